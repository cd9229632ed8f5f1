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

import numpy as np

from toolkit.text import HAN_CLASS, UNSPACED_SCRIPT_CLASS, class_ranges, opencc_converter

__all__ = ["fold_script", "normalize_for_hashing"]

# Punctuation that NFKC leaves full-width, folded to its ASCII counterpart.
PUNCTUATION_WIDTH = {
        "。": ".", "、": ",", "｡": ".", "､": ",",
        "“": '"', "”": '"', "「": '"', "」": '"', "『": '"', "』": '"', "《": '"', "》": '"',
        "〈": '"', "〉": '"', "‘": "'", "’": "'",
        "【": "[", "】": "]", "〔": "(", "〕": ")",
        "—": "-", "–": "-", "―": "-", "～": "~", "〜": "~", "·": ".", "・": ".",
}  # fmt: skip
SPACES = re.compile(" {2,}")  # after ASCII_WIDTH, every space but the line break is " "
# A space carries no meaning next to punctuation or inside text written without spaces, and scraped copies
# differ exactly there ("国 务 院", "word , word"). Both start with the space, so re finds it by a fast scan.
SPACE_AFTER = re.compile(f" (?<=[^\\w\\s] |[{UNSPACED_SCRIPT_CLASS}] )")
SPACE_BEFORE = re.compile(f" (?=[^\\w\\s]|[{UNSPACED_SCRIPT_CLASS}])")
# Characters OpenCC's t2s changes only inside a phrase ("深沈" -> "深沉", "回覆" -> "回复"), never alone; read
# from its TSPhrases dictionary (tests/dedup/test_normalize.py checks this against the installed one).
CHANGED_ONLY_IN_PHRASES = "么哩坏沈甦瞭藉衹覆"


def _ascii_width_table() -> np.ndarray:
    """Per BMP code point, what it folds to: full-width ASCII and CJK punctuation to ASCII, every space but
    the line break to " "; the rest to itself."""
    table = np.arange(0x10000, dtype=np.uint32)
    table[0xFF01:0xFF5F] = np.arange(0x21, 0x7F)  # NFKC folds these too, but only when a text needs NFKC
    table[[ord(ch) for ch in PUNCTUATION_WIDTH]] = [ord(ascii_) for ascii_ in PUNCTUATION_WIDTH.values()]
    table[[code for code in range(0x10000) if chr(code).isspace() and code != ord("\n")]] = ord(" ")
    return table


ASCII_WIDTH = _ascii_width_table()


def fold_width_and_spaces(text: str) -> str:
    """`text` with ASCII_WIDTH applied: an array lookup, several times faster than str.translate (which
    looks every character up in a dict) on text that is mostly not ASCII.

    >>> fold_width_and_spaces("《条例》\\u3000ＡＢ\\xa0１。")
    '"条例" AB 1.'
    """
    code_points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    in_bmp = code_points < len(ASCII_WIDTH)
    folded = (
        ASCII_WIDTH[code_points] if in_bmp.all() else np.where(in_bmp, ASCII_WIDTH[code_points & 0xFFFF], code_points)
    )
    return folded.tobytes().decode("utf-32-le")


ALONE, IN_PHRASES = 1, 2  # how t2s may change a character: by itself, or only inside some phrases
# Characters in the longest t2s phrase holding a CHANGED_ONLY_IN_PHRASES character ("衹見樹木不見森林"); the
# test checks this against the installed dictionary.
LONGEST_PHRASE = 8


@functools.cache
def _script_changes() -> np.ndarray:
    """Per code point below 0x40000: ALONE where t2s changes the character by itself (the installed OpenCC,
    asked in one call about every Han character, a line each so that no phrase spans two), IN_PHRASES for
    CHANGED_ONLY_IN_PHRASES. t2s changes nothing but Han characters (the test asks it about all the others)."""
    codes = [code for first, last in class_ranges(HAN_CLASS) for code in range(first, last + 1)]
    converted = opencc_converter("t2s").convert("\n".join(map(chr, codes))).split("\n")
    table = np.zeros(0x40000, dtype=np.uint8)
    table[[code for code, out in zip(codes, converted, strict=True) if out != chr(code)]] = ALONE
    table[[ord(ch) for ch in CHANGED_ONLY_IN_PHRASES]] = IN_PHRASES
    return table


def _changes(text: str) -> np.ndarray:
    """ALONE, IN_PHRASES or 0 for each character of `text`."""
    code_points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    table = _script_changes()
    return table[np.minimum(code_points, len(table) - 1)]  # above the table: no Han there


def may_change_script(text: str) -> bool:
    """Whether OpenCC's t2s could change `text`: a table lookup per character, ten times faster than t2s.

    >>> may_change_script("发布条例 and Latin"), may_change_script("發佈"), may_change_script("回覆")
    (False, True, True)
    """
    return bool(_changes(text).any())


def _phrases_change(text: str, positions: np.ndarray) -> bool:
    """Whether t2s changes a phrase around one of `positions`: only the stretches where such a phrase could
    lie are converted. "什么" and "覆盖" are simplified text too; converting every text that holds them cost
    more than all the rest of the normalisation."""
    stretches = "\n".join(text[max(0, p - LONGEST_PHRASE + 1) : p + LONGEST_PHRASE] for p in positions.tolist())
    return opencc_converter("t2s").convert(stretches) != stretches


def fold_script(text: str) -> str:
    """Traditional Chinese characters to simplified, so both copies of an article compare equal.

    >>> fold_script("發佈條例 and Latin"), fold_script("不再局限於單一國家"), fold_script("什么意志消沈")
    ('发布条例 and Latin', '不再局限于单一国家', '什么意志消沉')
    """
    changes = _changes(text)
    if not (changes == ALONE).any():  # most text: simplified Chinese or no Chinese at all
        in_phrases = np.flatnonzero(changes == IN_PHRASES)
        if not len(in_phrases) or not _phrases_change(text, in_phrases):
            return text
    # Twice when something convertible by itself is left: OpenCC converts by phrases, and a phrase match can
    # leave a character that a second pass converts ("局限於" -> "局限於" -> "局限于").
    once = opencc_converter("t2s").convert(text)
    return opencc_converter("t2s").convert(once) if (_changes(once) == ALONE).any() else once


def normalize_for_hashing(text: str) -> str:
    """Compatibility and width folding (NFKC), CJK punctuation to ASCII, case folding, spaces collapsed and
    dropped where they carry no meaning, each line stripped, traditional to simplified."""
    text = fold_width_and_spaces(text)
    if not unicodedata.is_normalized("NFKC", text):  # NFKC can make characters the table folds ("﹁" -> "「")
        text = fold_width_and_spaces(unicodedata.normalize("NFKC", text))
    text = SPACES.sub(" ", text.casefold()).replace(" \n", "\n").replace("\n ", "\n")
    text = SPACE_BEFORE.sub("", SPACE_AFTER.sub("", text)).strip(" ")
    return fold_script(text)  # last: OpenCC converts by phrases, and a stray space splits a phrase
