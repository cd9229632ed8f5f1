"""Characters that carry no text: control characters, zero-width marks, non-characters, lone surrogates."""

from __future__ import annotations

import re

from toolkit.repair.result import Repaired

__all__ = ["remove_invisible_characters"]

# C0/C1 controls except tab and line breaks; zero-width space, word joiner, BOM, Mongolian vowel separator;
# non-characters; surrogates (a pair is joined first). ZWJ/ZWNJ are kept: emoji and Indic scripts need them.
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u180e\u200b\u2060\ufeff\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0010fffe\U0010ffff]+"
)
SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _join_surrogate_pair(match: re.Match[str]) -> str:
    return match.group().encode("utf-16", "surrogatepass").decode("utf-16")


def remove_invisible_characters(text: str) -> Repaired:
    """Remove characters that are not text, keeping tab, line breaks and the ideographic space U+3000.

    >>> remove_invisible_characters("黄河\\u200b流域\\x00生态\\ufeff")
    '黄河流域生态'
    >>> remove_invisible_characters("\\u3000\\u3000全省\\ud83d\\ude00\\udc00")
    '\\u3000\\u3000全省😀'
    """
    if not INVISIBLE.search(text):
        return Repaired(text)
    text, joined = SURROGATE_PAIR.subn(_join_surrogate_pair, text)
    text, removed = INVISIBLE.subn("", text)
    return Repaired(text, joined + removed)
