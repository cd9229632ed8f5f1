"""ftfy's own test cases through our ftfy configuration.

We switch off the ftfy fixes that damage Chinese text (see FTFY_CJK_SAFE): width folding, quote
uncurling, NFC, ligatures, line breaks, HTML (entities.py does it). To compare with ftfy's expected
output we apply exactly those switched-off fixes to ours afterwards; the encoding repair itself must
agree with ftfy's on every case ftfy passes. The deliberate differences are listed in DIFFERENCES.
"""

from __future__ import annotations

import json

import ftfy
import pytest

from tests.conftest import CORPORA
from toolkit.repair.characters import remove_invisible_characters
from toolkit.repair.mojibake import fix_latin_mojibake

CASES = CORPORA / "ftfy-testcases"
# ftfy's fixers we leave off, applied afterwards to compare with ftfy's expectations
SWITCHED_OFF = ftfy.TextFixerConfig(
    fix_encoding=False,
    restore_byte_a0=False,
    replace_lossy_sequences=False,
    decode_inconsistent_utf8=False,
    fix_c1_controls=False,
    remove_terminal_escapes=False,
)
# label -> why our result differs from ftfy's on purpose
DIFFERENCES = {
    "Synthetic, negative: don't leak our internal use of byte 0x1A": "rule 8 removes control characters U+1A, U+81",
    "Synthetic, negative: U+1A on its own": "rule 8 removes control characters; ftfy keeps U+1A",
}


def _cases() -> list[pytest.param]:
    if not CASES.is_dir():
        pytest.skip(f"{CASES} is not present", allow_module_level=True)
    params = []
    for file in sorted(CASES.glob("*.json")):
        for case in json.loads(file.read_text(encoding="utf-8")):
            if case.get("expect") != "pass" or "original" not in case:
                continue
            expected = case.get("fixed-encoding", case["fixed"])
            marks = (
                [pytest.mark.xfail(reason=DIFFERENCES[case["label"]], strict=True)]
                if case["label"] in DIFFERENCES
                else []
            )
            params.append(
                pytest.param(
                    case["original"], expected, "fixed-encoding" in case, id=f"{file.stem}:{case['label']}", marks=marks
                )
            )
    return params


@pytest.mark.parametrize(("original", "expected", "encoding_only"), _cases())
def test_ftfy_case(original: str, expected: str, encoding_only: bool) -> None:
    ours = remove_invisible_characters(fix_latin_mojibake(original))
    if not encoding_only:
        ours = ftfy.fix_text(ours, SWITCHED_OFF)
    assert ours == expected
