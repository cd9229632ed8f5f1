"""Text normalisation for hashing: two copies of one text that differ only in form hash the same.

The result is never written out; it only feeds the exact hash, the shingles and the paragraph hashes.
Line breaks are kept, one normalised line per input line, so a paragraph found repeated can be removed
from the original text.

>>> normalize_for_hashing("國務院　發佈《條例》，ＡＢＣ  Two   words")
'国务院发布"条例",abc two words'
>>> normalize_for_hashing("国 务 院 发 布\\n\\n  第一条 ")
'国务院发布\\n\\n第一条'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from toolkit.text import HAN, UNSPACED_SCRIPT_CLASS

__all__ = ["fold_script", "normalize_for_hashing"]

# Full-width forms of ASCII (，！？：；（）Ａ１...) and the ideographic space: NFKC folds them too, but this
# is 5 times faster, and most Chinese text needs nothing else from NFKC.
FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")
FULL_WIDTH_OFFSET = 0xFF01 - 0x21
# Punctuation that NFKC leaves full-width, folded to its ASCII counterpart.
PUNCTUATION_WIDTH = {
        "。": ".", "、": ",", "｡": ".", "､": ",",
        "“": '"', "”": '"', "「": '"', "」": '"', "『": '"', "』": '"', "《": '"', "》": '"',
        "〈": '"', "〉": '"', "‘": "'", "’": "'",
        "【": "[", "】": "]", "〔": "(", "〕": ")",
        "—": "-", "–": "-", "―": "-", "～": "~", "〜": "~", "·": ".", "・": ".",
}  # fmt: skip
PUNCTUATION = re.compile(f"[{''.join(PUNCTUATION_WIDTH)}]")
SPACES = re.compile(r"[^\S\n]+")
# A space carries no meaning next to punctuation or inside text written without spaces, and scraped copies
# differ exactly there ("国 务 院", "word , word").
SPACE_AFTER = re.compile(f"([^\\w\\s]|[{UNSPACED_SCRIPT_CLASS}]) ")
SPACE_BEFORE = re.compile(f" (?=[^\\w\\s]|[{UNSPACED_SCRIPT_CLASS}])")
SPACES_AROUND_LINE_BREAKS = re.compile(" ?\n ?")


@functools.cache
def _t2s() -> Any:
    """The OpenCC traditional-to-simplified converter (official binding, or the pure-Python reimplementation
    whose configuration is named without the .json)."""
    try:
        import opencc
    except ImportError as error:  # pragma: no cover - opencc is a core dependency
        raise ImportError("dedup folds traditional to simplified Chinese with OpenCC: pip install opencc") from error
    try:
        return opencc.OpenCC("t2s.json")
    except Exception:  # the reimplementation raises its own errors for an unknown configuration name
        return opencc.OpenCC("t2s")


def fold_script(text: str) -> str:
    """Traditional Chinese characters to simplified, so both copies of an article compare equal.

    >>> fold_script("發佈條例 and Latin"), fold_script("不再局限於單一國家")
    ('发布条例 and Latin', '不再局限于单一国家')
    """
    if not HAN.search(text):
        return text
    # Twice: OpenCC converts by phrases, and a phrase match can leave a character that a second pass
    # converts ("局限於" -> "局限於" -> "局限于"); the second pass over simplified text is quick.
    return _t2s().convert(_t2s().convert(text))


def _half_width(match: re.Match[str]) -> str:
    character = match.group()
    return " " if character == "\u3000" else chr(ord(character) - FULL_WIDTH_OFFSET)


def _ascii_punctuation(match: re.Match[str]) -> str:
    return PUNCTUATION_WIDTH[match.group()]


def normalize_for_hashing(text: str) -> str:
    """Compatibility and width folding (NFKC), CJK punctuation to ASCII, case folding, spaces collapsed and
    dropped where they carry no meaning, each line stripped, traditional to simplified."""
    text = FULL_WIDTH.sub(_half_width, text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = SPACES.sub(" ", PUNCTUATION.sub(_ascii_punctuation, text).casefold())
    text = SPACE_BEFORE.sub("", SPACE_AFTER.sub(r"\1", SPACES_AROUND_LINE_BREAKS.sub("\n", text))).strip(" ")
    return fold_script(text)  # last: OpenCC converts by phrases, and a stray space splits a phrase
