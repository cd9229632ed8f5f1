"""Quality signals in the style of Gopher and FineWeb, adapted to text without spaces between words.

Gopher counts words; Chinese has no spaces, so our unit is one character of a script written without
spaces (Han, kana, Thai, ...), or one run of other letters and digits (a Latin or Hangul word). The same
n-gram sizes then mean roughly the same thing in Chinese and in English. Every signal is a plain function
of the text, returning a ratio in [0, 1] or a length.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from pypinyin.pinyin_dict import pinyin_dict

from toolkit.enrich.schema import DUPLICATE_NGRAM_SIZES, TOP_NGRAM_SIZES
from toolkit.text import HAN_CLASS, UNSPACED_SCRIPT_CLASS, paragraphs

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


_GRAM_BASE = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit multiplier: n-gram keys as polynomial hashes


def _unit_arrays(text_units: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """An integer id per unit (equal units, equal ids) and the character length of each unit."""
    index: dict[str, int] = {}
    ids = np.fromiter((index.setdefault(u, len(index)) for u in text_units), dtype=np.uint64, count=len(text_units))
    lengths = np.fromiter((len(u) for u in text_units), dtype=np.int64, count=len(text_units))
    return ids, lengths


def _ngram_keys(ids: np.ndarray, sizes: Sequence[int]) -> dict[int, np.ndarray]:
    """A 64-bit key per n-gram for each n in `sizes` (equal n-grams, equal keys; a collision is about
    2^-64 per pair), each n built from n-1: counting keys with numpy replaces Counters of tuples."""
    keys, found = ids, {}
    with np.errstate(over="ignore"):  # wrapping multiplication is the hash
        for n in range(1, max(sizes, default=0) + 1):
            if n > 1:
                keys = keys[:-1] * _GRAM_BASE + ids[n - 1 :]
            if n in sizes:
                found[n] = keys
    return found


def _top_ratio(keys: np.ndarray, lengths: np.ndarray, n: int) -> float:
    total = int(lengths.sum())
    if not keys.size or not total:
        return 0.0
    _, first, counts = np.unique(keys, return_index=True, return_counts=True)
    most = counts.max()
    start = int(first[counts == most].min())  # of equally frequent n-grams, the one that occurs first
    return min(1.0, int(most) * int(lengths[start : start + n].sum()) / total)


def _duplicate_ratio(keys: np.ndarray, lengths: np.ndarray, n: int) -> float:
    total = int(lengths.sum())
    if not keys.size or not total:
        return 0.0
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    starts = np.flatnonzero(counts[inverse] > 1)
    depth = np.zeros(len(lengths) + 1, dtype=np.int64)  # +1 where a repeated n-gram starts, -1 past its end
    np.add.at(depth, starts, 1)
    np.add.at(depth, starts + n, -1)
    return int(lengths[np.cumsum(depth[:-1]) > 0].sum()) / total


def top_ngram_ratio(text_units: Sequence[str], n: int) -> float:
    """Share of characters taken by the most frequent n-gram's occurrences (Gopher's top n-gram ratio).

    >>> top_ngram_ratio(units("黄河黄河黄河长江"), 2)
    0.75
    """
    ids, lengths = _unit_arrays(text_units)
    return _top_ratio(_ngram_keys(ids, [n])[n], lengths, n)


def duplicate_ngram_ratio(text_units: Sequence[str], n: int) -> float:
    """Share of characters inside n-grams that occur more than once (Gopher's duplicate n-gram ratio).

    >>> duplicate_ngram_ratio(units("保护黄河。保护黄河。治理长江"), 4)
    0.6666666666666666
    """
    ids, lengths = _unit_arrays(text_units)
    return _duplicate_ratio(_ngram_keys(ids, [n])[n], lengths, n)


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


def punctuation_ratio(text: str) -> float:
    """Share of non-space characters that are punctuation (Unicode category P*).

    >>> punctuation_ratio("黄河，长江。")
    0.3333333333333333
    """
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        return 0.0
    return sum(1 for ch in visible if unicodedata.category(ch).startswith("P")) / len(visible)


# ---------------------------------------------------------------- pinyin glosses

_TONE_MARKS = "\u0300\u0301\u0304\u030c"  # grave, acute, macron, caron as combining marks
_TONED_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_LETTERS = f"a-zA-Zü{_TONED_VOWELS}"
# Han text, then an optional opening bracket, then a run of syllable-like words (with tone digits).
_GLOSS = re.compile(rf"[{HAN_CLASS}]\s?([(（\[【]?)\s?([{_LETTERS}]+[1-5]?(?:[\s'’\-]+[{_LETTERS}]+[1-5]?)*)")


def _toneless(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    """Every toneless reading pypinyin knows; vowel-less interjections (m, n, ng, hm) left out."""
    readings = {_toneless(r) for value in pinyin_dict.values() for r in value.split(",")}
    return frozenset(r for r in readings if re.search("[aeiouü]", r))


@lru_cache(maxsize=8192)
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
    visible = sum(1 for ch in text if not ch.isspace())
    if not visible:
        return 0.0
    gloss_chars = 0
    for match in _GLOSS.finditer(text):
        bracketed, run = bool(match.group(1)), match.group(2)
        words = re.split(r"[\s'’\-]+", run)
        toned = any(ch in _TONED_VOWELS for ch in run) or any(word[-1].isdigit() for word in words)
        if (toned or bracketed) and all(is_pinyin(word) for word in words):
            gloss_chars += sum(1 for ch in run if not ch.isspace())
    return gloss_chars / visible


def quality_signals(text: str) -> dict[str, float]:
    """Every repetition, punctuation and gloss signal of `text`, keyed by its column name."""
    lines = paragraphs(text)
    ids, lengths = _unit_arrays(units(text))
    keys = _ngram_keys(ids, TOP_NGRAM_SIZES + DUPLICATE_NGRAM_SIZES)
    line_ratio, line_char_ratio = duplicate_line_ratios(lines)
    signals = {"duplicate_line_ratio": line_ratio, "duplicate_line_char_ratio": line_char_ratio}
    signals.update({f"top_{n}gram_ratio": _top_ratio(keys[n], lengths, n) for n in TOP_NGRAM_SIZES})
    signals.update({f"duplicate_{n}gram_ratio": _duplicate_ratio(keys[n], lengths, n) for n in DUPLICATE_NGRAM_SIZES})
    signals["punctuation_ratio"] = punctuation_ratio(text)
    signals["mean_paragraph_chars"] = sum(len(line) for line in lines) / len(lines) if lines else 0.0
    signals["pinyin_gloss_density"] = pinyin_gloss_density(text)
    return signals
