"""Character classes and small text helpers shared by every stage (one place, not copied per stage).

>>> han_ratio("黄河 rivers")
0.25
>>> is_han("設"), is_han("a")
(True, False)
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "CHARACTER_CLASSES",
    "CJK_PUNCTUATION",
    "HAN",
    "HAN_CHARACTER",
    "HAN_CLASS",
    "MAX_CODE_POINT",
    "PUNCTUATION",
    "SPACE",
    "UNSPACED_CHARACTER",
    "UNSPACED_SCRIPT",
    "UNSPACED_SCRIPT_CLASS",
    "WORD_CHARACTER",
    "CodePointTable",
    "character_class",
    "class_ranges",
    "classified",
    "code_points",
    "converter_from",
    "han_ratio",
    "is_han",
    "joins_without_space",
    "opencc_converter",
    "paragraphs",
    "pinyin_dict",
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


def han_ratio(text: str) -> float:
    """Share of non-space characters that are Han ideographs (0.0 for blank text)."""
    _, classes = classified(text)  # one table lookup, shared with the other checks of the same text
    visible = len(classes) - int(np.count_nonzero(classes & SPACE))
    return int(np.count_nonzero(classes & HAN_CHARACTER)) / visible if visible else 0.0


def paragraphs(text: str) -> list[str]:
    """Non-blank lines, stripped: our documents keep one paragraph per line.

    >>> paragraphs(" 黄河 \\n\\n  \\n长江")
    ['黄河', '长江']
    """
    return [stripped for line in text.split("\n") if (stripped := line.strip())]


# Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar, Tibetan): text in
# them is compared by characters, text in other scripts by words.
UNSPACED_SCRIPT_CLASS = (
    HAN_CLASS + "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"  # hiragana, katakana, half-width katakana
    "\u0e00-\u0eff\u1780-\u17ff\u1000-\u109f\u0f00-\u0fff"  # Thai, Lao, Khmer, Myanmar, Tibetan
)
UNSPACED_SCRIPT = re.compile(f"[{UNSPACED_SCRIPT_CLASS}]")


# ---------------------------------------------------------------- per-code-point tables

MAX_CODE_POINT = 0x10FFFF


def code_points(text: str) -> np.ndarray:
    """The code points of `text` as an array (a lone surrogate stays one code point, as in `str`), so
    that position i of the array is `text[i]`.

    >>> code_points("黄a\\U00020000").tolist()
    [40644, 97, 131072]
    """
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


class CodePointTable:
    """A small number per code point, computed by `classify` (characters in, numbers 0-254 out) the first
    time the code point is looked up and kept for the life of the process.

    Whole-text checks become one array lookup instead of a Python call per character; only the code
    points a corpus uses are ever classified (a few thousand), so a worker process starts at no cost, and
    the values are those of `classify` whatever the plane.

    >>> table = CodePointTable(lambda chars: [ch.isdigit() for ch in chars])
    >>> table(code_points("a1b2")).tolist()
    [0, 1, 0, 1]
    """

    UNSEEN = 255

    def __init__(self, classify: Callable[[list[str]], Iterable[int]]) -> None:
        self.classify = classify
        self.values: np.ndarray | None = None  # built on first use, never pickled with a stage

    def __call__(self, points: np.ndarray) -> np.ndarray:
        if self.values is None:
            self.values = np.full(MAX_CODE_POINT + 1, self.UNSEEN, dtype=np.uint8)
        found = self.values.take(points)
        if (found == self.UNSEEN).any():
            unseen = np.unique(points[found == self.UNSEEN])
            self.values[unseen] = np.fromiter(self.classify([chr(p) for p in unseen.tolist()]), np.uint8, len(unseen))
            found = self.values.take(points)
        return found


# Bits of `character_class`.
SPACE = 1  # str.isspace, which is also what regex `\s` matches
HAN_CHARACTER = 2  # in HAN_CLASS
UNSPACED_CHARACTER = 4  # in UNSPACED_SCRIPT_CLASS
WORD_CHARACTER = 8  # a letter or digit: regex `[^\W_]`, i.e. str.isalnum
PUNCTUATION = 16  # Unicode general category P*

_WORD_CHARACTER = re.compile(r"[^\W_]")


def character_class(ch: str) -> int:
    """The class bits of one character: SPACE | HAN_CHARACTER | UNSPACED_CHARACTER | WORD_CHARACTER |
    PUNCTUATION. The definition behind `CHARACTER_CLASSES`.

    >>> [character_class(ch) for ch in " 黄a。"]
    [1, 14, 8, 16]
    """
    return (
        (SPACE if ch.isspace() else 0)
        | (HAN_CHARACTER if HAN.fullmatch(ch) else 0)
        | (UNSPACED_CHARACTER if UNSPACED_SCRIPT.fullmatch(ch) else 0)
        | (WORD_CHARACTER if _WORD_CHARACTER.fullmatch(ch) else 0)
        | (PUNCTUATION if unicodedata.category(ch).startswith("P") else 0)
    )


# `character_class` of every code point of an array: `CHARACTER_CLASSES(code_points(text)) & HAN_CHARACTER`.
CHARACTER_CLASSES = CodePointTable(lambda chars: map(character_class, chars))


@functools.lru_cache(maxsize=1)
def classified(text: str) -> tuple[np.ndarray, np.ndarray]:
    """`code_points(text)` and their `CHARACTER_CLASSES`, read-only and kept for the last text: the checks
    of one document (Han ratio, language, quality signals) share one pass over it.

    >>> points, classes = classified("黄 a")
    >>> points.tolist(), (classes & SPACE).tolist()
    ([40644, 32, 97], [0, 1, 0])
    """
    points = code_points(text)
    classes = CHARACTER_CLASSES(points)
    classes.flags.writeable = False
    return points, classes


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


@functools.cache
def pinyin_dict() -> dict[int, str]:
    """pypinyin's readings of each character (code point -> "zhōng,zhòng"), loaded on first use.

    Read from pypinyin's data file when it has one: importing the `pypinyin` package also loads its
    phrase dictionary and trains its segmenter, 0.15 s of CPU in every worker process.

    >>> pinyin_dict()[ord("中")]
    'zhōng,zhòng'
    """
    spec = importlib.util.find_spec("pypinyin")  # finds the package without importing it
    data = Path(spec.origin).with_name("pinyin_dict.json") if spec and spec.origin else None
    if data is None or not data.is_file():
        from pypinyin.pinyin_dict import pinyin_dict as readings_of

        return readings_of
    return {int(code): readings for code, readings in json.loads(data.read_text(encoding="utf-8")).items()}


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
