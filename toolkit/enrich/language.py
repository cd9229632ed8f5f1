"""A BCP-47 language tag from the scripts a text is written in; no statistical guessing.

Han text is Chinese unless kana say Japanese; whether it is simplified or traditional is read from the
characters OpenCC would convert. Text in another script gets `und` with the script subtag (`und-Latn`):
the script is a fact, the language behind Latin letters is not.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache

from toolkit.text import is_han, opencc_converter

__all__ = ["detect_language", "han_script"]

# Japanese prose mixes kana into nearly every sentence; a few kana in Chinese text are quotations.
KANA_SHARE_FOR_JAPANESE = 0.05


_SCRIPT_PREFIXES = {
    "LATIN": "Latn",
    "CYRILLIC": "Cyrl",
    "GREEK": "Grek",
    "ARABIC": "Arab",
    "HEBREW": "Hebr",
    "DEVANAGARI": "Deva",
    "THAI": "Thai",
    "HANGUL": "Hang",
    "HIRAGANA": "Kana",
    "KATAKANA": "Kana",
}


@lru_cache(maxsize=65536)
def _script_of(ch: str) -> str | None:
    if is_han(ch):
        return "Hani"
    name = unicodedata.name(ch, "")
    return next((code for prefix, code in _SCRIPT_PREFIXES.items() if name.startswith(prefix)), None)


@lru_cache(maxsize=65536)
def _han_variant(ch: str) -> str | None:
    """'Hant' for a character only traditional text uses, 'Hans' for a simplified-only one, else None."""
    if opencc_converter("t2s").convert(ch) != ch:
        return "Hant"
    if opencc_converter("s2t").convert(ch) != ch:
        return "Hans"
    return None


def han_script(text: str) -> str:
    """'Hant' when traditional-only characters outnumber simplified-only ones, else 'Hans'.

    >>> han_script("錨定美麗山西建設目標"), han_script("锚定美丽山西建设目标"), han_script("山西")
    ('Hant', 'Hans', 'Hans')
    """
    counts = Counter(_han_variant(ch) for ch in text if is_han(ch))
    return "Hant" if counts["Hant"] > counts["Hans"] else "Hans"


def detect_language(text: str) -> str:
    """BCP-47 tag of `text`, from its letters' scripts.

    >>> detect_language("省委书记主持召开会议 and 讲话")
    'zh-Hans'
    >>> detect_language("奮力實現生態環境保護良好開局")
    'zh-Hant'
    >>> detect_language("黄河の生態系を守るために"), detect_language("황하 생태 보호")
    ('ja', 'ko')
    >>> detect_language("The Yellow River"), detect_language("2023 — 42%")
    ('und-Latn', 'und')
    """
    scripts = Counter(script for ch in text if (script := _script_of(ch)) is not None)
    letters = sum(scripts.values())
    if not letters:
        return "und"
    if scripts["Kana"] / letters >= KANA_SHARE_FOR_JAPANESE and scripts["Hani"] + scripts["Kana"] > letters / 2:
        return "ja"
    dominant, _ = scripts.most_common(1)[0]
    if dominant == "Hani":
        return f"zh-{han_script(text)}"
    if dominant == "Hang":
        return "ko"
    return f"und-{dominant}"
