"""The repair fixers' fast paths give what the plain definitions give (hypothesis against reference code)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import python_output
from toolkit.repair import mojibake
from toolkit.repair.characters import _invisible, remove_invisible_characters
from toolkit.repair.mojibake import (
    CJK_CODECS,
    LOST,
    NON_ASCII_RUN,
    SENTINEL,
    _encodings,
    _reread,
    _runs_around,
    _suspect,
)
from toolkit.repair.script import _lines_with
from toolkit.text import pinyin_dict

# Han text with losses, as a CJK codec reads its UTF-8 (mojibake, lossy or not), and clean text around it.
HAN = st.text(st.sampled_from([*"全省经济建设目标年，。“”\u3000", LOST, "\ue000"]), min_size=1, max_size=12)
MOJIBAKE = st.builds(
    lambda text, codec: text.encode("utf-8", "surrogatepass").decode(codec, "replace"),
    HAN,
    st.sampled_from(CJK_CODECS),
)
RUNS = st.lists(st.one_of(MOJIBAKE, HAN, st.sampled_from([" ", "a", "\n", "鍏ㄧ渷", "骞"])), max_size=8).map("".join)


def _encodings_by_definition(run: str) -> list[bytes]:
    """The definition: per codec that can write it, each piece between losses encoded, the sentinel byte
    between them."""
    encodings = []
    for codec in CJK_CODECS:
        try:
            encodings.append(bytes([SENTINEL]).join(piece.encode(codec) for piece in run.split(LOST)))
        except UnicodeEncodeError:
            continue
    return encodings


@settings(max_examples=1500)
@given(text=RUNS)
def test_a_run_is_encoded_at_once_as_its_pieces_would_be(text: str) -> None:
    """_encodings encodes a run in one call per codec, losses as NUL, and drops repeated bytes."""
    for run in NON_ASCII_RUN.findall(text):
        assert list(_encodings(run)) == list(dict.fromkeys(_encodings_by_definition(run)))


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
        readings = (_reread(data, marker, lost_byte) for data in _encodings_by_definition(run))
        candidates = [c for c in readings if c is not None]
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


@settings(max_examples=1500)
@given(text=st.lists(st.sampled_from(["甲", "乙", "a", "\n", "乙乙"]), max_size=20).map("".join))
def test_lines_with_are_the_lines_that_hold_a_match(text: str) -> None:
    pattern = re.compile("[乙\n]")  # a newline matching too: it belongs to the line it ends
    expected = {i for i, line in enumerate(text.split("\n")) if pattern.search(line + "\n" * (i < text.count("\n")))}
    assert _lines_with(pattern, text) == expected


# BMP text, an invisible character, a C1 control, astral characters, an astral non-character, surrogates
SOME_INVISIBLE = st.text(st.sampled_from(["甲", "a", "\u200b", "\x85", "😀", "\U0001fffe", "\ud83d", "\ude00"]))


@settings(max_examples=1500)
@given(text=SOME_INVISIBLE)
def test_text_without_invisible_characters_comes_back_as_it_is(text: str) -> None:
    """One search clears a text exactly when the full class (astral non-characters too) finds nothing."""
    for keep_c1_controls in (False, True):
        clean = not _invisible(keep_c1_controls, astral=True, run=False).search(text)
        fixed = remove_invisible_characters(text, keep_c1_controls)
        assert (fixed.spans == 0) == clean
        assert fixed == text or not clean
