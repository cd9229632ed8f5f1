"""A BCP-47 language tag from the scripts a text is written in; no statistical guessing.

Han text is Chinese unless kana say Japanese; whether it is simplified or traditional is read from the
characters OpenCC would convert. Text in another script gets `und` with the script subtag (`und-Latn`):
the script is a fact, the language behind Latin letters is not.
"""

from __future__ import annotations

import unicodedata

import numpy as np

from toolkit.text import CodePointTable, classified, is_han, opencc_converter

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


# Script subtags in the order of their codes in `_LETTER_CODES` (0: no script we count); two more codes
# mark Han characters that only simplified or only traditional text uses (they count as Hani too).
_SCRIPTS = (None, "Hani", "Latn", "Cyrl", "Grek", "Arab", "Hebr", "Deva", "Thai", "Hang", "Kana")
HANI = _SCRIPTS.index("Hani")
SIMPLIFIED_ONLY, TRADITIONAL_ONLY = len(_SCRIPTS), len(_SCRIPTS) + 1


def _script_of(ch: str) -> str | None:
    """The script subtag a character counts for, from its Unicode name.

    >>> _script_of("設"), _script_of("a"), _script_of("の"), _script_of("황"), _script_of("2")
    ('Hani', 'Latn', 'Kana', 'Hang', None)
    """
    if is_han(ch):
        return "Hani"
    name = unicodedata.name(ch, "")
    return next((code for prefix, code in _SCRIPT_PREFIXES.items() if name.startswith(prefix)), None)


def _han_variant(ch: str) -> str | None:
    """'Hant' for a character only traditional text uses, 'Hans' for a simplified-only one, else None.

    >>> _han_variant("設"), _han_variant("设"), _han_variant("山")
    ('Hant', 'Hans', None)
    """
    if opencc_converter("t2s").convert(ch) != ch:
        return "Hant"
    if opencc_converter("s2t").convert(ch) != ch:
        return "Hans"
    return None


def _han_variants(chars: list[str]) -> list[str | None]:
    """`_han_variant` of each character, with one OpenCC call per direction: characters on lines of
    their own convert as they do alone (no dictionary phrase spans a line break).

    >>> _han_variants(["設", "设", "山"])
    ['Hant', 'Hans', None]
    """
    lines = "\n".join(chars)
    to_simplified = opencc_converter("t2s").convert(lines).split("\n")
    to_traditional = opencc_converter("s2t").convert(lines).split("\n")
    if not len(to_simplified) == len(to_traditional) == len(chars):  # never seen; stay exact if it happens
        return [_han_variant(ch) for ch in chars]
    return [
        "Hant" if simplified != ch else "Hans" if traditional != ch else None
        for ch, simplified, traditional in zip(chars, to_simplified, to_traditional, strict=True)
    ]


def _letter_codes(chars: list[str]) -> list[int]:
    """The code of each character in `_LETTER_CODES`: its script's index in `_SCRIPTS`, or for a Han
    character that OpenCC converts, SIMPLIFIED_ONLY or TRADITIONAL_ONLY.

    >>> _letter_codes(["a", "山", "设", "設", "。"]) == [2, HANI, SIMPLIFIED_ONLY, TRADITIONAL_ONLY, 0]
    True
    """
    codes = [_SCRIPTS.index(_script_of(ch)) for ch in chars]
    han = [i for i, code in enumerate(codes) if code == HANI]
    variant_codes = {"Hans": SIMPLIFIED_ONLY, "Hant": TRADITIONAL_ONLY, None: HANI}
    for i, variant in zip(han, _han_variants([chars[i] for i in han]) if han else [], strict=True):
        codes[i] = variant_codes[variant]
    return codes


# `_letter_codes` of every code point, filled as characters are met: the language of a text is one lookup.
_LETTER_CODES = CodePointTable(_letter_codes)


def _letter_counts(text: str) -> tuple[np.ndarray, list[int]]:
    """The `_LETTER_CODES` of `text` and how many characters have each code."""
    codes = _LETTER_CODES(classified(text)[0])
    return codes, np.bincount(codes, minlength=TRADITIONAL_ONLY + 1).tolist()


def _han_script_of(counts: list[int]) -> str:
    """`han_script` from a text's `_letter_counts`."""
    return "Hant" if counts[TRADITIONAL_ONLY] > counts[SIMPLIFIED_ONLY] else "Hans"


def han_script(text: str) -> str:
    """'Hant' when traditional-only characters outnumber simplified-only ones, else 'Hans'.

    >>> han_script("錨定美麗山西建設目標"), han_script("锚定美丽山西建设目标"), han_script("山西")
    ('Hant', 'Hans', 'Hans')
    """
    return _han_script_of(_letter_counts(text)[1])


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
    codes, counts = _letter_counts(text)
    scripts = counts[: len(_SCRIPTS)]
    scripts[0] = 0
    scripts[HANI] += counts[SIMPLIFIED_ONLY] + counts[TRADITIONAL_ONLY]
    letters = sum(scripts)
    if not letters:
        return "und"
    kana, hani = scripts[_SCRIPTS.index("Kana")], scripts[HANI]
    if kana / letters >= KANA_SHARE_FOR_JAPANESE and hani + kana > letters / 2:
        return "ja"
    # The most frequent script; of equally frequent ones, the one met first (as Counter.most_common).
    most = max(scripts)
    tied = [code for code, n in enumerate(scripts) if n == most]
    dominant = _SCRIPTS[tied[0] if len(tied) == 1 else min(tied, key=lambda code: _first(codes, code))]
    if dominant == "Hani":
        return f"zh-{_han_script_of(counts)}"
    if dominant == "Hang":
        return "ko"
    return f"und-{dominant}"


def _first(codes: np.ndarray, script: int) -> int:
    """Where the first character of a script is (the script's index in `_SCRIPTS`)."""
    found = codes == script if script != HANI else (codes == HANI) | (codes >= SIMPLIFIED_ONLY)
    return int(np.argmax(found))
