"""Quality signals in the style of Gopher and FineWeb, adapted to text without spaces between words.

Gopher counts words; Chinese has no spaces, so our unit is one character of a script written without
spaces (Han, kana, Thai, ...), or one run of other letters and digits (a Latin or Hangul word). The same
n-gram sizes then mean roughly the same thing in Chinese and in English. Every signal is a plain function
of the text, returning a ratio in [0, 1] or a length.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

import numpy as np

from toolkit.enrich.schema import DUPLICATE_NGRAM_SIZES, TOP_NGRAM_SIZES
from toolkit.text import (
    HAN_CHARACTER,
    HAN_CLASS,
    MAX_CODE_POINT,
    PUNCTUATION,
    SPACE,
    UNSPACED_CHARACTER,
    UNSPACED_SCRIPT_CLASS,
    WORD_CHARACTER,
    classified,
    paragraphs,
    pinyin_dict,
)

__all__ = [
    "duplicate_line_ratios",
    "duplicate_ngram_ratio",
    "is_pinyin",
    "pinyin_gloss_density",
    "punctuation_ratio",
    "quality_signals",
    "top_ngram_ratio",
    "units",
]

_UNIT = re.compile(rf"[{UNSPACED_SCRIPT_CLASS}]|(?:(?![{UNSPACED_SCRIPT_CLASS}])[^\W_])+")


def units(text: str) -> list[str]:
    """The n-gram units of `text`: single characters of unspaced scripts, whole words of the others.

    >>> units("黄河 Yellow River, 2023年!")
    ['黄', '河', 'Yellow', 'River', '2023', '年']
    """
    return _UNIT.findall(text)


def _unit_arrays(text_units: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """An integer id per unit (equal units, equal ids) and the character length of each unit."""
    index: dict[str, int] = {}
    ids = np.fromiter((index.setdefault(u, len(index)) for u in text_units), dtype=np.uint64, count=len(text_units))
    lengths = np.fromiter((len(u) for u in text_units), dtype=np.int64, count=len(text_units))
    return ids, lengths


def _text_unit_arrays(text: str, points: np.ndarray, classes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The unit ids and lengths of `_unit_arrays(units(text))` from the text's code points and character
    classes, without a Python step per character. Only the ids' values differ: a character unit's id is its
    code point, a word's id is above every code point (equal units, equal ids; distinct units, distinct ids).
    """
    unspaced = (classes & UNSPACED_CHARACTER) != 0
    word = (classes & (WORD_CHARACTER | UNSPACED_CHARACTER)) == WORD_CHARACTER
    bounded = np.zeros(len(word) + 2, dtype=bool)  # not a word before the first character and after the last
    bounded[1:-1] = word
    first, last = (bounded[1:] != bounded[:-1]).nonzero()[0].reshape(-1, 2).T  # a word starts, then ends: by pairs
    unit_starts = unspaced.copy()
    unit_starts[first] = True
    starts = unit_starts.nonzero()[0]
    ids = points[starts].astype(np.uint64)
    lengths = np.ones(len(starts), dtype=np.int64)
    if first.size:  # words are few in Chinese text: a dict of them costs little
        index: dict[str, int] = {}
        word_ids = [index.setdefault(text[a:b], len(index)) for a, b in zip(first.tolist(), last.tolist(), strict=True)]
        is_word = word[starts]
        ids[is_word] = np.array(word_ids, dtype=np.uint64) + np.uint64(MAX_CODE_POINT + 1)
        lengths[is_word] = last - first
    return ids, lengths


_GRAM_BASE = 0x9E3779B97F4A7C15  # odd 64-bit multiplier: n-gram keys as polynomial hashes
_PAST_END = np.uint64(2**64 - 1)  # the unit after the last: above every id, so no n-gram running past the end repeats


def _ngram_ratios(
    ids: np.ndarray, lengths: np.ndarray, top_sizes: Sequence[int], duplicate_sizes: Sequence[int]
) -> dict[str, float]:
    """`top_{n}gram_ratio` and `duplicate_{n}gram_ratio` of a unit sequence, for the sizes asked (every
    duplicate size above every top size, as Gopher's 2-4 and 5-10).

    N-grams are 64-bit keys (polynomial hashes: equal n-grams, equal keys; a collision is about 2^-64 per
    pair) counted by sorting. An n-gram can only repeat where the (n-1)-grams at its place and the next
    both repeat, so each top size sorts only the places the one before kept, and the duplicate sizes
    only those the largest top size kept (a sixth of ordinary news), together: one sort, a row per size.
    """
    if top_sizes and duplicate_sizes and max(top_sizes) >= min(duplicate_sizes):
        raise ValueError(f"duplicate n-gram sizes {duplicate_sizes} must all exceed the top sizes {top_sizes}")
    names = [*(f"top_{n}gram_ratio" for n in top_sizes), *(f"duplicate_{n}gram_ratio" for n in duplicate_sizes)]
    ratios = dict.fromkeys(names, 0.0)
    size = len(ids)
    chars_before = np.zeros(size + 1, dtype=np.int64)  # characters in the units before each place
    lengths.cumsum(out=chars_before[1:])
    total = int(chars_before[-1])
    if not total:
        return ratios
    padded = np.empty(size + max((*top_sizes, *duplicate_sizes)), dtype=np.uint64)
    padded[:size] = ids
    padded[size:] = _PAST_END
    walked = max(top_sizes, default=0)  # top sizes one by one, then the duplicate sizes together
    positions, keys = np.arange(size), np.zeros(size, dtype=np.uint64)
    with np.errstate(over="ignore"):  # wrapping multiplication is the hash
        for n in range(1, walked + 1):
            keys = keys * np.uint64(_GRAM_BASE) + padded[n - 1 :][positions]
            if n < min(top_sizes):
                continue  # no ratio asked yet: every place stays
            order = keys.argsort()
            keys, positions = keys[order], positions[order]
            changes = np.empty(len(keys) + 1, dtype=bool)  # where a run of equal keys starts or ends
            changes[0] = changes[-1] = True
            np.not_equal(keys[1:], keys[:-1], out=changes[1:-1])
            bounds = changes.nonzero()[0]
            counts = bounds[1:] - bounds[:-1]  # of each distinct key, in sorted order
            if n in top_sizes and size >= n:
                ratios[f"top_{n}gram_ratio"] = _top_ratio(counts, positions, chars_before, n)
            repeated = ~(changes[:-1] & changes[1:])  # no run boundary on both sides: a key seen twice or more
            kept = _followed_by_repeats(repeated, positions, size)
            keys, positions = keys[kept], positions[kept]
        if duplicate_sizes and positions.size:  # no repeated n-gram is followed by one: nothing longer repeats
            order = positions.argsort()
            positions = positions[order]
            grams = _longer_grams(keys[order], positions, padded, walked, max(duplicate_sizes))
            sizes = np.array(duplicate_sizes)
            covered = _covered_chars(grams[sizes - walked - 1], positions, sizes, chars_before)
            for n, chars in zip(duplicate_sizes, covered, strict=True):
                ratios[f"duplicate_{n}gram_ratio"] = chars / total
    return ratios


def _followed_by_repeats(repeated: np.ndarray, positions: np.ndarray, size: int) -> np.ndarray:
    """Indices of the n-grams at `positions` (distinct places) that are `repeated` and have a repeated n-gram
    at the next place too: only there can an (n+1)-gram repeat, as it holds the n-grams at its place and at
    the next. Indices, not a mask: gathering by index is several times faster than by mask.

    >>> _followed_by_repeats(np.array([True, True, False, True]), np.array([4, 0, 1, 5]), 6)
    array([0])
    """
    repeats = np.zeros(size + 1, dtype=bool)  # by place; nothing repeats past the end
    repeats[positions] = repeated
    return (repeated & repeats[positions + 1]).nonzero()[0]


def _top_ratio(counts: np.ndarray, positions: np.ndarray, chars_before: np.ndarray, n: int) -> float:
    """Gopher's top n-gram ratio from the sorted n-grams' `counts` and `positions` (only the places where
    the (n-1)-gram repeats, which hold every repeated n-gram).

    Of equally frequent n-grams, the one that occurs first counts. With no repeats here there are none
    anywhere: every n-gram occurs once, and the first is at 0.
    """
    most = int(counts.max(initial=1))
    first = int(positions[(counts == most).repeat(counts)].min()) if most > 1 else 0
    return min(1.0, most * int(chars_before[first + n] - chars_before[first]) / int(chars_before[-1]))


def _longer_grams(keys: np.ndarray, positions: np.ndarray, padded: np.ndarray, walked: int, largest: int) -> np.ndarray:
    """Keys of the n-grams at `positions` for n = walked + 1 .. largest, one row per n, from the keys of
    the `walked`-grams there (the same polynomial as adding one unit at a time, with wrapping uint64).

    >>> ids = np.array([3, 1, 4, 1, 5], dtype=np.uint64)
    >>> padded = np.append(ids, np.full(2, _PAST_END))
    >>> rows = _longer_grams(ids, np.arange(5), padded, 1, 3)  # from 1-grams to 2- and 3-grams
    >>> int(rows[1, 0]) == (3 * _GRAM_BASE**2 + 1 * _GRAM_BASE + 4) % 2**64
    True
    """
    # key(n + j) = B^j key(n) + sum over k <= j of unit(n + k) B^(j-k) = B^j (key(n) + sum unit(n + k) B^-k)
    powers, inverse_powers = _gram_powers(largest - walked)
    units = padded[positions + np.arange(walked, largest)[:, None]]
    with np.errstate(over="ignore"):
        return powers * (keys + (units * inverse_powers).cumsum(axis=0))


@functools.cache
def _gram_powers(count: int) -> tuple[np.ndarray, np.ndarray]:
    """B^j and B^-j modulo 2^64 for j = 1..count, as columns (B is odd, so it has an inverse)."""
    steps = range(1, count + 1)
    powers = np.array([pow(_GRAM_BASE, j, 2**64) for j in steps], dtype=np.uint64)[:, None]
    return powers, np.array([pow(_GRAM_BASE, -j, 2**64) for j in steps], dtype=np.uint64)[:, None]


def _covered_chars(keys: np.ndarray, positions: np.ndarray, sizes: np.ndarray, chars_before: np.ndarray) -> list[int]:
    """For each row of `keys` (the n-grams of size `sizes[row]` starting at the ascending `positions`),
    the characters of the units inside an n-gram whose key occurs more than once in the row.

    >>> keys = np.array([[1, 2, 1, 3]], dtype=np.uint64)  # 2-grams at 0, 1, 3, 5: the first and third match
    >>> _covered_chars(keys, np.array([0, 1, 3, 5]), np.array([2]), np.arange(8))
    [4]
    """
    rows, columns = keys.shape
    flat_order = (keys.argsort(axis=1) + np.arange(rows)[:, None] * columns).ravel()
    ordered = keys.take(flat_order).reshape(rows, columns)
    same = ordered[:, 1:] == ordered[:, :-1]
    repeated_in_order = np.zeros((rows, columns), dtype=bool)
    repeated_in_order[:, 1:] = same
    repeated_in_order[:, :-1] |= same
    repeated = np.empty(rows * columns, dtype=bool)
    repeated[flat_order] = repeated_in_order.ravel()
    repeated = repeated.reshape(rows, columns)
    # Repeated n-grams overlap; each adds the characters of its units up to the next one's start.
    end = len(chars_before) - 1
    next_start = np.minimum.accumulate(np.where(repeated, positions, end)[:, ::-1], axis=1)[:, ::-1]
    next_start = np.concatenate((next_start[:, 1:], np.full((rows, 1), end)), axis=1)
    stops = np.minimum(np.minimum(positions + sizes[:, None], next_start), end)
    return np.where(repeated, chars_before[stops] - chars_before[positions], 0).sum(axis=1).tolist()


def top_ngram_ratio(text_units: Sequence[str], n: int) -> float:
    """Share of characters taken by the most frequent n-gram's occurrences (Gopher's top n-gram ratio).

    >>> top_ngram_ratio(units("黄河黄河黄河长江"), 2)
    0.75
    """
    ids, lengths = _unit_arrays(text_units)
    return _ngram_ratios(ids, lengths, [n], [])[f"top_{n}gram_ratio"]


def duplicate_ngram_ratio(text_units: Sequence[str], n: int) -> float:
    """Share of characters inside n-grams that occur more than once (Gopher's duplicate n-gram ratio).

    >>> duplicate_ngram_ratio(units("保护黄河。保护黄河。治理长江"), 4)
    0.6666666666666666
    """
    ids, lengths = _unit_arrays(text_units)
    return _ngram_ratios(ids, lengths, [], [n])[f"duplicate_{n}gram_ratio"]


def duplicate_line_ratios(lines: Sequence[str]) -> tuple[float, float]:
    """Share of lines that repeat an earlier line, and share of characters in those lines.

    >>> duplicate_line_ratios(["上一篇", "正文第一段很长", "上一篇", "上一篇"])
    (0.5, 0.375)
    """
    seen: set[str] = set()
    duplicate_lines = duplicate_chars = 0
    for line in lines:
        if line in seen:
            duplicate_lines += 1
            duplicate_chars += len(line)
        seen.add(line)
    total_chars = sum(len(line) for line in lines)
    return (duplicate_lines / len(lines) if lines else 0.0, duplicate_chars / total_chars if total_chars else 0.0)


def _visible_and_punctuation(classes: np.ndarray) -> tuple[int, int]:
    """How many characters are not spaces, and how many of those are punctuation."""
    visible = len(classes) - int(np.count_nonzero(classes & SPACE))
    return visible, int(np.count_nonzero((classes & (PUNCTUATION | SPACE)) == PUNCTUATION))


def punctuation_ratio(text: str) -> float:
    """Share of non-space characters that are punctuation (Unicode category P*).

    >>> punctuation_ratio("黄河，长江。")
    0.3333333333333333
    """
    visible, punctuation = _visible_and_punctuation(classified(text)[1])
    return punctuation / visible if visible else 0.0


# ---------------------------------------------------------------- pinyin glosses

_TONE_MARKS = "\u0300\u0301\u0304\u030c"  # grave, acute, macron, caron as combining marks
_TONED_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_LETTERS = f"a-zA-Zü{_TONED_VOWELS}"
# Han text, then an optional opening bracket, then a run of syllable-like words (with tone digits).
_GLOSS = re.compile(rf"[{HAN_CLASS}]\s?([(（\[【]?)\s?([{_LETTERS}]+[1-5]?(?:[\s'’\-]+[{_LETTERS}]+[1-5]?)*)")
# A gloss's first letter comes at most this far after its Han character: space, bracket, space, letter.
_GLOSS_REACH = 4


def _toneless(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))


@functools.lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    """Every toneless reading pypinyin knows; vowel-less interjections (m, n, ng, hm) left out."""
    readings = {_toneless(r) for r in {r for value in pinyin_dict().values() for r in value.split(",")}}
    return frozenset(r for r in readings if re.search("[aeiouü]", r))


@functools.lru_cache(maxsize=8192)
def is_pinyin(word: str) -> bool:
    """Whether `word` is one or more pinyin syllables, with or without tone marks or a final tone digit.

    >>> is_pinyin("huánghé"), is_pinyin("huang2"), is_pinyin("xian"), is_pinyin("and"), is_pinyin("river")
    (True, True, True, False, False)
    """
    letters = _toneless(word.rstrip("12345")).replace("v", "ü")
    syllables = _syllables()
    # reachable[i]: letters[:i] splits into syllables (pinyin syllables are at most 6 letters long)
    reachable = [True] + [False] * len(letters)
    for end in range(1, len(letters) + 1):
        reachable[end] = any(
            reachable[start] and letters[start:end] in syllables for start in range(max(0, end - 6), end)
        )
    return bool(letters) and reachable[-1]


def _gloss_characters(text: str, points: np.ndarray, classes: np.ndarray) -> int:
    """Non-space characters inside the pinyin glosses of `text` (see `pinyin_gloss_density`).

    The gloss pattern is tried only at Han characters with a Latin letter close behind; a match holds no
    Han character after its first, so these are the places `_GLOSS.finditer` would find.
    """
    # ASCII letters, and the Latin-1 to Latin Extended-B range that holds ü and the toned vowels: all of _LETTERS
    letters = ((points | 0x20) - ord("a") < 26) | (points - 0xC0 < 0x250 - 0xC0)
    if not letters.any():  # most Chinese news has no Latin letter at all, so no gloss
        return 0
    letter_follows = np.zeros(len(classes), dtype=bool)
    for offset in range(1, _GLOSS_REACH + 1):
        letter_follows[:-offset] |= letters[offset:]
    gloss_chars = end = 0
    for start in (letter_follows & ((classes & HAN_CHARACTER) != 0)).nonzero()[0].tolist():
        if start < end or (match := _GLOSS.match(text, start)) is None:
            continue
        end, bracketed, run = match.end(), bool(match.group(1)), match.group(2)
        words = re.split(r"[\s'’\-]+", run)
        toned = any(vowel in run for vowel in _TONED_VOWELS) or any(word[-1].isdigit() for word in words)
        if (toned or bracketed) and all(is_pinyin(word) for word in words):
            gloss_chars += sum(1 for ch in run if not ch.isspace())
    return gloss_chars


def pinyin_gloss_density(text: str) -> float:
    """Share of non-space characters inside pinyin glosses: syllables written right after Han text,
    counted when tone-marked, tone-numbered or bracketed (plain Latin words after Chinese are common).

    >>> round(pinyin_gloss_density("黄河(huáng hé)是母亲河"), 3)  # 7 of 15 characters
    0.467
    >>> round(pinyin_gloss_density("黄huang2河he2"), 3)  # 9 of 11
    0.818
    >>> pinyin_gloss_density("省委书记 and 省长"), pinyin_gloss_density("黄河(Yellow River)")
    (0.0, 0.0)
    """
    points, classes = classified(text)
    visible, _ = _visible_and_punctuation(classes)
    return _gloss_characters(text, points, classes) / visible if visible else 0.0


def quality_signals(text: str) -> dict[str, float]:
    """Every repetition, punctuation and gloss signal of `text`, keyed by its column name.

    >>> signals = quality_signals("保护黄河。\\n保护黄河。\\n治理长江")
    >>> signals["duplicate_line_ratio"], signals["duplicate_5gram_ratio"], signals["punctuation_ratio"]
    (0.3333333333333333, 0.0, 0.14285714285714285)
    """
    lines = paragraphs(text)
    points, classes = classified(text)
    ids, lengths = _text_unit_arrays(text, points, classes)
    visible, punctuation = _visible_and_punctuation(classes)
    line_ratio, line_char_ratio = duplicate_line_ratios(lines)
    signals = {"duplicate_line_ratio": line_ratio, "duplicate_line_char_ratio": line_char_ratio}
    signals.update(_ngram_ratios(ids, lengths, TOP_NGRAM_SIZES, DUPLICATE_NGRAM_SIZES))
    signals["punctuation_ratio"] = punctuation / visible if visible else 0.0
    signals["mean_paragraph_chars"] = sum(len(line) for line in lines) / len(lines) if lines else 0.0
    signals["pinyin_gloss_density"] = _gloss_characters(text, points, classes) / visible if visible else 0.0
    return signals
