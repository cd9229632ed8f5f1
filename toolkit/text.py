"""Character classes and small text helpers shared by every stage (one place, not copied per stage).

>>> han_ratio("黄河 rivers")
0.25
>>> is_han("設"), is_han("a")
(True, False)
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

__all__ = [
    "CJK_PUNCTUATION",
    "HAN",
    "HAN_CLASS",
    "UNSPACED_SCRIPT",
    "UNSPACED_SCRIPT_CLASS",
    "class_ranges",
    "converter_from",
    "han_ratio",
    "is_han",
    "joins_without_space",
    "opencc_converter",
    "paragraphs",
]

# Han ideographs: the URO, extensions A-H, compatibility ideographs, and 〇.
HAN_CLASS = (
    "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002a6df\U0002a700-\U0002ebef\U00030000-\U0003134f\U0002f800-\U0002fa1f"
)
HAN = re.compile(f"[{HAN_CLASS}]")
# Full-width punctuation used in Chinese text.
CJK_PUNCTUATION = "，。、；：？！“”‘’（）《》〈〉【】「」『』—…·～"


def is_han(ch: str) -> bool:
    return bool(HAN.fullmatch(ch))


_SPACE = re.compile(r"\s")


def han_ratio(text: str) -> float:
    """Share of non-space characters that are Han ideographs (0.0 for blank text)."""
    visible = len(text) - _SPACE.subn("", text)[1]  # regex counting: this runs on every document
    return HAN.subn("", text)[1] / visible if visible else 0.0


def paragraphs(text: str) -> list[str]:
    """Non-blank lines, stripped: our documents keep one paragraph per line."""
    return [line.strip() for line in text.split("\n") if line.strip()]


# Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar, Tibetan): text in
# them is compared by characters, text in other scripts by words.
UNSPACED_SCRIPT_CLASS = (
    HAN_CLASS + "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"  # hiragana, katakana, half-width katakana
    "\u0e00-\u0eff\u1780-\u17ff\u1000-\u109f\u0f00-\u0fff"  # Thai, Lao, Khmer, Myanmar, Tibetan
)
UNSPACED_SCRIPT = re.compile(f"[{UNSPACED_SCRIPT_CLASS}]")


def class_ranges(characters: str) -> list[tuple[int, int]]:
    """The (first, last) code points of a regex character class body made of characters and ranges, for
    checks on arrays of code points.

    >>> class_ranges("a-cx")
    [(97, 99), (120, 120)]
    """
    ranges, i = [], 0
    while i < len(characters):
        if characters[i + 1 : i + 2] == "-" and i + 2 < len(characters):
            ranges.append((ord(characters[i]), ord(characters[i + 2])))
            i += 3
        else:
            ranges.append((ord(characters[i]), ord(characters[i])))
            i += 1
    return ranges


def joins_without_space(before: str, after: str) -> bool:
    """Whether a line break between these two texts disappears when the lines are re-joined.

    The CSS Text rule for East Asian segment breaks, widened for Chinese prose: the break goes when one
    side is East Asian wide or full-width (not Hangul, which uses spaces) and the other side is not a
    letter of a spaced script; digits and punctuation take the script of the text around them.
    Digits, brackets and the curly quotes Chinese sets full-width so join unspaced (在2007年, “专业合作社”);
    a Latin word next to Han text keeps its space, as between Latin words.

    >>> joins_without_space("问", "题"), joins_without_space("社", "”字样"), joins_without_space("于", "2007年")
    (True, True, True)
    >>> joins_without_space("之日起18", "0日内"), joins_without_space("本条前款", "(二)项")
    (True, True)
    >>> joins_without_space("the", "river"), joins_without_space("使用", "Python"), joins_without_space("18", "0")
    (False, False, False)
    """

    def wide(ch: str) -> bool:
        return unicodedata.east_asian_width(ch) in "WF" and not "\uac00" <= ch <= "\ud7a3"

    def context(chars: Iterable[str]) -> str | None:  # the nearest letter or wide character: digits take their script
        return next((ch for ch in chars if wide(ch) or ch.isalpha()), None)

    a, b = context(reversed(before)), context(after)
    return (a is not None or b is not None) and all(ch is None or wide(ch) for ch in (a, b))


# OpenCC converters come from the official binding or opencc-python-reimplemented (both install a module
# named `opencc`), are built on first use and kept per process, never in a stage's pickled state.


def opencc_converter(config: str) -> Any:
    """An OpenCC converter from the official binding (`opencc`) or `opencc-python-reimplemented`.

    >>> opencc_converter("t2s").convert("建設目標")
    '建设目标'
    """
    return _cached_converter(config)


@functools.cache
def _cached_converter(config: str) -> Any:
    try:
        import opencc
    except ImportError:
        raise ImportError("script conversion needs OpenCC: pip install opencc") from None
    return converter_from(opencc, config)


def converter_from(module: Any, config: str) -> Any:
    """`module.OpenCC` for `config`, whichever binding `module` is: the official one takes 't2s' or
    't2s.json', opencc-python-reimplemented only 't2s'.

    >>> converter_from(__import__("opencc"), "t2s").convert("建設")
    '建设'
    """
    for name in (config, config + ".json"):
        try:
            return module.OpenCC(name)
        except Exception:  # each binding raises its own error for a name it does not know
            continue
    raise ValueError(f"OpenCC has no configuration {config!r}")
