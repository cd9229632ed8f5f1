"""The repair fixers' fast paths give what the plain definitions give (hypothesis against reference code)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import python_output
from toolkit.repair import mojibake
from toolkit.repair.mojibake import CJK_CODECS, LOST, NON_ASCII_RUN, SENTINEL, _reread, _runs_around, _suspect
from toolkit.text import pinyin_dict

# Han text with losses, as a CJK codec reads its UTF-8 (mojibake, lossy or not), and clean text around it.
HAN = st.text(st.sampled_from([*"全省经济建设目标年，。“”\u3000", LOST, "\ue000"]), min_size=1, max_size=12)
MOJIBAKE = st.builds(
    lambda text, codec: text.encode("utf-8", "surrogatepass").decode(codec, "replace"),
    HAN,
    st.sampled_from(CJK_CODECS),
)
RUNS = st.lists(st.one_of(MOJIBAKE, HAN, st.sampled_from([" ", "a", "\n", "鍏ㄧ渷", "骞"])), max_size=8).map("".join)


def _encoded_by_pieces(run: str, codec: str) -> bytes:
    """The definition: each piece between losses encoded, the sentinel byte between them."""
    return bytes([SENTINEL]).join(piece.encode(codec) for piece in run.split(LOST))


@settings(max_examples=1500)
@given(text=RUNS)
def test_a_run_is_encoded_at_once_as_its_pieces_would_be(text: str) -> None:
    """_reread encodes a run in one call, losses as NUL: the bytes of each piece and a sentinel between."""
    for run in NON_ASCII_RUN.findall(text):
        for codec in CJK_CODECS:
            try:
                expected = _encoded_by_pieces(run, codec)
            except UnicodeEncodeError:
                assert _reread(run, codec, LOST, None) is None
                continue
            assert run.replace(LOST, "\x00").encode(codec).replace(b"\x00", bytes([SENTINEL])) == expected


@settings(max_examples=1500)
@given(text=st.lists(st.sampled_from(["甲", "乙", "丁", " ", "a", "\n", "\u3000", "，"]), max_size=20).map("".join))
def test_runs_around_matches_are_the_runs_that_hold_one(text: str) -> None:
    for pattern in (re.compile("[乙丁]"), re.compile("[乙 a]")):  # the second also matches outside runs
        expected = [match.span() for match in NON_ASCII_RUN.finditer(text) if pattern.search(match.group())]
        assert list(_runs_around(pattern, text)) == expected


def _fix_cjk_mojibake_by_definition(text: str, marker: str = LOST) -> tuple[str, int, int]:
    """Every run with a suspect character, each codec tried, the reading that loses fewest kept."""
    suspect = _suspect()
    lost_byte = mojibake.GB18030_LOST_BYTE if mojibake.GB18030_PRIVATE_USE.search(text) else None
    spans = lost = 0

    def repair(match: re.Match[str]) -> str:
        nonlocal spans, lost
        run = match.group()
        if not suspect.search(run):
            return run
        candidates = [c for c in (_reread(run, codec, marker, lost_byte) for codec in CJK_CODECS) if c is not None]
        if not candidates:
            return run
        fixed, run_lost = min(candidates, key=lambda candidate: candidate[1])
        spans, lost = spans + 1, lost + run_lost
        return fixed

    return NON_ASCII_RUN.sub(repair, text), spans, lost


@settings(max_examples=1500)
@given(text=RUNS)
def test_cjk_mojibake_is_repaired_as_defined(text: str) -> None:
    fixed = mojibake.fix_cjk_mojibake(text)
    assert (str(fixed), fixed.spans, fixed.lost) == _fix_cjk_mojibake_by_definition(text)


def test_pinyin_readings_are_pypinyins() -> None:
    from pypinyin.pinyin_dict import pinyin_dict as readings_of

    assert pinyin_dict() == readings_of


def test_importing_repair_leaves_pypinyin_and_pandas_out() -> None:
    """A worker process imports the repair stage: pypinyin's phrase dictionary and pandas cost it 0.4 s."""
    code = "import sys, toolkit.repair; print(sorted({'pypinyin', 'pandas'} & set(sys.modules)))"
    assert python_output(code) == "[]\n"
