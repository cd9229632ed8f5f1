"""Characters that carry no text: control characters, zero-width marks, non-characters, lone surrogates."""

from __future__ import annotations

import re
from functools import cache

from toolkit.repair.result import Repaired

__all__ = ["remove_invisible_characters"]

# C0 controls except tab and line breaks; zero-width space, word joiner, BOM, Mongolian vowel separator;
# non-characters; surrogates (a pair is joined first). ZWJ/ZWNJ are kept: emoji and Indic scripts need them.
INVISIBLE_BMP = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u180e\u200b\u2060\ufeff\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff"
C1_CONTROLS = "\x80-\x9f"
NONCHARACTERS_ASTRAL = "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0010fffe\U0010ffff"
ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@cache
def _invisible(keep_c1_controls: bool, astral: bool, run: bool) -> re.Pattern[str]:
    """The invisible characters, one or a run of them. Finding one is 3x faster than finding a run, and
    astral characters in the class make it 3x slower: they are only looked for in text that has some."""
    c1, noncharacters = ("" if keep_c1_controls else C1_CONTROLS), (NONCHARACTERS_ASTRAL if astral else "")
    return re.compile(f"[{INVISIBLE_BMP}{c1}{noncharacters}]{'+' if run else ''}")


@cache
def _invisible_or_astral(keep_c1_controls: bool) -> re.Pattern[str]:
    """The invisible characters of the BMP, or any astral character: one search, as fast as one for the
    BMP class alone, clears a text with neither (most texts) or finds where to look closer."""
    c1 = "" if keep_c1_controls else C1_CONTROLS
    return re.compile(f"[{INVISIBLE_BMP}{c1}\U00010000-\U0010ffff]")


SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _join_surrogate_pair(match: re.Match[str]) -> str:
    return match.group().encode("utf-16", "surrogatepass").decode("utf-16")


def remove_invisible_characters(text: str, keep_c1_controls: bool = False) -> Repaired:
    """Remove characters that are not text, keeping tab, line breaks and the ideographic space U+3000.

    `keep_c1_controls` keeps U+0080-U+009F, which are bytes of Latin-1 mojibake until that is repaired.

    >>> remove_invisible_characters("黄河\\u200b流域\\x00生态\\ufeff")
    '黄河流域生态'
    >>> remove_invisible_characters("\\u3000\\u3000全省\\ud83d\\ude00\\udc00\\ud83f\\udffe")
    '\\u3000\\u3000全省😀'
    >>> remove_invisible_characters("ä¸\\xad\\u200bæ\\x96\\x87", keep_c1_controls=True)
    'ä¸\\xadæ\\x96\\x87'
    """
    found = _invisible_or_astral(keep_c1_controls).search(text)
    # an astral character says only that the text has some: then the class with astral ones decides
    if not found or (found.group() > "\uffff" and not _invisible(keep_c1_controls, True, run=False).search(text)):
        return Repaired(text)
    text, joined = SURROGATE_PAIR.subn(_join_surrogate_pair, text)
    # looked for again: a joined pair is an astral character, maybe a non-character
    text, removed = _invisible(keep_c1_controls, bool(ASTRAL.search(text)), run=True).subn("", text)
    return Repaired(text, joined + removed)
