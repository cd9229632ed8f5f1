"""Shingles of a normalised text, as 64-bit hashes: character n-grams for text written without spaces
(Chinese, Japanese, Thai...), word n-grams for the rest, chosen per document.

Shingles never cross a line: a copy with its paragraphs in another order has the same shingle set.
Punctuation and spaces are not part of any shingle, so copies that differ there compare equal.

>>> texts = ["黄河流域生态保护\\n高质量发展", "高质量发展\\n黄河流域生态保护"]
>>> [sorted(shingle_hashes(t, char_ngram=5, word_ngram=3).tolist()) for t in texts][0] == sorted(
...     shingle_hashes(texts[1], char_ngram=5, word_ngram=3).tolist())
True
>>> len(shingle_hashes("黄河流域生态保护", char_ngram=5, word_ngram=3))  # 8 characters, 4 windows of 5
4
>>> len(shingle_hashes("the yellow river flows east", char_ngram=5, word_ngram=3))  # 5 words, 3 windows of 3
3
"""

from __future__ import annotations

import re

import numpy as np
import xxhash

from toolkit.text import CHARACTER_CLASSES, UNSPACED_CHARACTER, WORD_CHARACTER, code_points

__all__ = ["character_units", "is_written_without_spaces", "mix64", "shingle_hashes"]

WORD = re.compile(r"[^\W_]+")  # letters and digits; punctuation and '_' separate words
LINE_BREAK = 0  # the unit that marks a line end; no letter, digit or word hashes to 0 (see _word_units)
# Odd 64-bit constants (from splitmix64) for the polynomial over a window and the final mixing.
WINDOW_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
MIX_1, MIX_2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
SHIFT_30, SHIFT_27, SHIFT_31 = np.uint64(30), np.uint64(27), np.uint64(31)


def is_written_without_spaces(units: np.ndarray) -> bool:
    """Whether most letters and digits belong to scripts written without spaces (so words cannot be
    found by splitting on spaces).

    >>> [is_written_without_spaces(character_units(text)) for text in ("黄河 rivers", "黄河流域生态 river", "ภาษาไทย")]
    [False, True, True]
    """
    letters = int(np.count_nonzero(units != LINE_BREAK))
    unspaced = int(np.count_nonzero(CHARACTER_CLASSES(units) & UNSPACED_CHARACTER))
    return letters > 0 and 2 * unspaced >= letters


def character_units(text: str) -> np.ndarray:
    """Code points of the letters and digits (regex `[^\\W_]`), LINE_BREAK at each line end.

    >>> character_units("黄河，a_1\\n流").tolist()
    [40644, 27827, 97, 49, 0, 27969]
    """
    points = code_points(text)
    line_ends = points == ord("\n")
    units = points[(CHARACTER_CLASSES(points) & WORD_CHARACTER).astype(bool) | line_ends].astype(np.uint64)
    units[units == ord("\n")] = LINE_BREAK
    return units


def _word_units(text: str) -> np.ndarray:
    """A 64-bit hash per word (never 0: the low bit is set), LINE_BREAK at each line end."""
    hashes: list[int] = []
    for line in text.split("\n"):
        hashes.extend(xxhash.xxh3_64_intdigest(word.encode()) | 1 for word in WORD.findall(line))
        hashes.append(LINE_BREAK)
    return np.array(hashes, dtype=np.uint64)


def mix64(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads a weak polynomial hash over all 64 bits (in place)."""
    values ^= values >> SHIFT_30
    values *= MIX_1
    values ^= values >> SHIFT_27
    values *= MIX_2
    values ^= values >> SHIFT_31
    return values


def _window_hashes(units: np.ndarray, n: int) -> np.ndarray:
    """One hash per window of n consecutive units that holds no LINE_BREAK."""
    count = len(units) - n + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint64)
    hashes = units[:count].copy()
    for offset in range(1, n):
        hashes *= WINDOW_MULTIPLIER
        hashes += units[offset : offset + count]
    breaks = np.concatenate(([0], np.cumsum(units == LINE_BREAK)))
    within_a_line = breaks[n : n + count] == breaks[:count]
    return mix64(hashes[within_a_line])


def shingle_hashes(normalized: str, *, char_ngram: int, word_ngram: int) -> np.ndarray:
    """The shingles of a text from `normalize_for_hashing`, hashed to uint64 (repeats included)."""
    characters = character_units(normalized)
    if is_written_without_spaces(characters):
        return _window_hashes(characters, char_ngram)
    return _window_hashes(_word_units(normalized), word_ngram)
