"""The array-based signals, language and date checks equal straightforward reference implementations.

The references below are the plain definitions (Counters of n-gram tuples, one Unicode lookup per
character, the regexes as first written); the fast code in toolkit.enrich and toolkit.text must give the
same values, floats included, on real text and on random text built to repeat itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import RAW
from toolkit.enrich import dates, language, signals
from toolkit.enrich.schema import DUPLICATE_NGRAM_SIZES, TOP_NGRAM_SIZES
from toolkit.text import (
    CHARACTER_CLASSES,
    HAN,
    HAN_CHARACTER,
    HAN_CLASS,
    PUNCTUATION,
    SPACE,
    UNSPACED_CHARACTER,
    UNSPACED_SCRIPT,
    WORD_CHARACTER,
    CodePointTable,
    character_class,
    class_ranges,
    classified,
    code_points,
    han_ratio,
    is_han,
    paragraphs,
)

# ---------------------------------------------------------------- references


def reference_han_ratio(text: str) -> float:
    visible = len(text) - len(re.findall(r"\s", text))
    return len(HAN.findall(text)) / visible if visible else 0.0


def reference_paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _grams(units: list[str], n: int) -> tuple[list[tuple[str, ...]], Counter[tuple[str, ...]], int]:
    """The n-grams of `units` in order, how often each occurs, and the characters of all units."""
    grams = [tuple(units[i : i + n]) for i in range(len(units) - n + 1)]
    return grams, Counter(grams), sum(len(unit) for unit in units)


def reference_top_ngram_ratio(units: list[str], n: int) -> float:
    grams, counts, total = _grams(units, n)
    if not grams or not total:
        return 0.0
    most = max(counts.values())
    first = next(gram for gram in grams if counts[gram] == most)  # of equally frequent, the first to occur
    return min(1.0, most * sum(len(unit) for unit in first) / total)


def reference_duplicate_ngram_ratio(units: list[str], n: int) -> float:
    grams, counts, total = _grams(units, n)
    if not grams or not total:
        return 0.0
    covered = {i + k for i, gram in enumerate(grams) if counts[gram] > 1 for k in range(n)}
    return sum(len(units[i]) for i in covered) / total


def reference_punctuation_ratio(text: str) -> float:
    visible = [ch for ch in text if not ch.isspace()]
    return sum(unicodedata.category(ch).startswith("P") for ch in visible) / len(visible) if visible else 0.0


def reference_pinyin_gloss_density(text: str) -> float:
    visible = sum(1 for ch in text if not ch.isspace())
    if not visible:
        return 0.0
    gloss_chars = 0
    for match in signals._GLOSS.finditer(text):
        bracketed, run = bool(match.group(1)), match.group(2)
        words = re.split(r"[\s'’\-]+", run)
        toned = any(ch in signals._TONED_VOWELS for ch in run) or any(word[-1].isdigit() for word in words)
        if (toned or bracketed) and all(signals.is_pinyin(word) for word in words):
            gloss_chars += sum(1 for ch in run if not ch.isspace())
    return gloss_chars / visible


def reference_quality_signals(text: str) -> dict[str, float]:
    lines = reference_paragraphs(text)
    units = signals.units(text)
    line_ratio, line_char_ratio = signals.duplicate_line_ratios(lines)
    found = {"duplicate_line_ratio": line_ratio, "duplicate_line_char_ratio": line_char_ratio}
    found.update({f"top_{n}gram_ratio": reference_top_ngram_ratio(units, n) for n in TOP_NGRAM_SIZES})
    found.update({f"duplicate_{n}gram_ratio": reference_duplicate_ngram_ratio(units, n) for n in DUPLICATE_NGRAM_SIZES})
    found["punctuation_ratio"] = reference_punctuation_ratio(text)
    found["mean_paragraph_chars"] = sum(len(line) for line in lines) / len(lines) if lines else 0.0
    found["pinyin_gloss_density"] = reference_pinyin_gloss_density(text)
    return found


def reference_han_script(text: str) -> str:
    counts = Counter(language._han_variant(ch) for ch in text if is_han(ch))
    return "Hant" if counts["Hant"] > counts["Hans"] else "Hans"


def reference_detect_language(text: str) -> str:
    scripts = Counter(script for ch in text if (script := language._script_of(ch)) is not None)
    letters = sum(scripts.values())
    if not letters:
        return "und"
    kana_share = language.KANA_SHARE_FOR_JAPANESE
    if scripts["Kana"] / letters >= kana_share and scripts["Hani"] + scripts["Kana"] > letters / 2:
        return "ja"
    dominant, _ = scripts.most_common(1)[0]
    if dominant == "Hani":
        return f"zh-{reference_han_script(text)}"
    if dominant == "Hang":
        return "ko"
    return f"und-{dominant}"


REFERENCE_FULL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[-/.](\d{1,2})[-/.](\d{1,2})(?!\d))"
)


def reference_published_date(dateline: str, context: list[date]) -> date | None:
    if explicit := dates.full_dates(dateline):
        return explicit[0]
    if (parsed := dates.month_day(dateline)) is None:
        return None
    candidates = set()
    for reference in context:
        for year in (reference.year - 1, reference.year, reference.year + 1):
            candidate = dates._date(year, *parsed)
            if candidate is not None and abs(candidate - reference) <= dates.NEAR:
                candidates.add(candidate)
    return candidates.pop() if len(candidates) == 1 else None


def reference_find_dateline(text: str) -> str | None:
    for paragraph in reference_paragraphs(text)[: dates.LEAD_PARAGRAPHS]:
        if match := dates._DATELINE.match(paragraph):
            return match.group(1)
    return None


# ---------------------------------------------------------------- text that repeats itself

PIECES = [
    *"黄河长江保护治理生态设設山西",  # Han, simplified-only 设 and traditional-only 設
    "黄河",
    "保护黄河",
    "𠀀",  # Han from extension B, beyond the BMP
    *"のカ황ภ",  # kana, Hangul, Thai
    *" \n\u3000\t",  # spaces, ideographic space, line breaks
    *"，。、（）()【】-'’!?",  # punctuation, brackets
    "Yellow",
    "River",
    "2023",
    "3月28日",
    "huáng",
    "hé",
    "he2",
    "xian",
    "lüe",
    "ǖ",
    "é",
    "Straße",
    "река",
    "x_y",
    "١٢",  # Arabic-Indic digits
]
repetitive_text = st.lists(st.sampled_from(PIECES), max_size=160).map("".join)
any_text = st.text(max_size=200)


def canonical(values: list) -> list[int]:
    """Each value replaced by the order of its first occurrence: equal where the values are equal."""
    index: dict = {}
    return [index.setdefault(value, len(index)) for value in values]


# ---------------------------------------------------------------- character tables

ASTRAL_SAMPLES = [
    0x10000,  # Linear B
    0x1039F,  # Ugaritic word divider: punctuation
    0x1B000,  # katakana letter archaic e
    0x1B001,  # hiragana letter archaic ye
    0x1D400,  # mathematical bold capital A: a letter, not "LATIN"
    0x1E030,  # modifier letter Cyrillic small a
    0x1EE00,  # Arabic mathematical alef
    0x1F600,  # emoji
    0x20000,
    0x2A6DF,
    0x2A6E0,  # just past extension B
    0x2F800,  # CJK compatibility supplement
    0x30000,  # extension G
    0xE0041,  # tag
    0xF0000,  # private use
    0x10FFFF,
]


def test_character_class_is_the_regexes_and_unicodedata_for_every_bmp_character_and_astral_samples() -> None:
    for point in [*range(0x10000), *ASTRAL_SAMPLES]:
        ch = chr(point)
        bits = character_class(ch)
        assert bool(bits & SPACE) == ch.isspace() == bool(re.fullmatch(r"\s", ch)), hex(point)
        assert bool(bits & HAN_CHARACTER) == bool(HAN.fullmatch(ch)), hex(point)
        assert bool(bits & UNSPACED_CHARACTER) == bool(UNSPACED_SCRIPT.fullmatch(ch)), hex(point)
        assert bool(bits & WORD_CHARACTER) == bool(re.fullmatch(r"[^\W_]", ch)) == ch.isalnum(), hex(point)
        assert bool(bits & PUNCTUATION) == unicodedata.category(ch).startswith("P"), hex(point)


def test_the_class_table_gives_character_class_of_each_code_point() -> None:
    text = "".join(map(chr, [*range(0, 0x3100, 7), *range(0xAC00, 0xAC40), *ASTRAL_SAMPLES])) + "黄 a。\n"
    assert CHARACTER_CLASSES(code_points(text)).tolist() == [character_class(ch) for ch in text]


def test_code_points_keep_lone_surrogates_as_one_code_point() -> None:
    assert code_points("\ud800a\U00020000").tolist() == [0xD800, 97, 0x20000]
    assert classified("\ud800a")[1].tolist() == [character_class("\ud800"), WORD_CHARACTER]
    text = "黄\udc00河 a\ud800b 黄\udfffhé"
    assert signals.quality_signals(text) == reference_quality_signals(text)
    assert language.detect_language(text) == reference_detect_language(text)
    assert han_ratio(text) == reference_han_ratio(text)


def test_a_code_point_table_classifies_each_code_point_once() -> None:
    seen: list[str] = []

    def classify(chars: list[str]) -> list[int]:
        seen.extend(chars)
        return [ch.isdigit() for ch in chars]

    table = CodePointTable(classify)
    assert table(code_points("a1a1")).tolist() == [0, 1, 0, 1]
    assert table(code_points("1b𠀀")).tolist() == [1, 0, 0]
    assert sorted(seen) == ["1", "a", "b", "𠀀"]


def test_classified_arrays_are_read_only() -> None:
    points, classes = classified("黄河")
    with pytest.raises(ValueError):
        classes[0] = 0
    with pytest.raises(ValueError):
        points[0] = 0


@settings(max_examples=300, deadline=None)
@given(st.one_of(any_text, repetitive_text))
def test_han_ratio_and_paragraphs_equal_their_references(text: str) -> None:
    assert han_ratio(text) == reference_han_ratio(text)
    assert paragraphs(text) == reference_paragraphs(text)


# ---------------------------------------------------------------- quality signals


@settings(max_examples=300, deadline=None)
@given(st.one_of(any_text, repetitive_text))
def test_units_from_arrays_equal_the_unit_regex(text: str) -> None:
    ids, lengths = signals._text_unit_arrays(text, *classified(text))
    text_units = signals.units(text)
    assert lengths.tolist() == [len(unit) for unit in text_units]
    assert canonical(ids.tolist()) == canonical(text_units)


@settings(max_examples=400, deadline=None)
@given(st.one_of(repetitive_text, any_text))
def test_quality_signals_equal_the_reference(text: str) -> None:
    assert signals.quality_signals(text) == reference_quality_signals(text)


@pytest.mark.parametrize("seed", sorted(path.name for path in RAW.iterdir()))
def test_quality_signals_of_the_seeds_equal_the_reference(seed: str) -> None:
    text = (RAW / seed).read_text(encoding="utf-8")
    assert signals.quality_signals(text) == reference_quality_signals(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["黄", "河", "黄河", "x", "River"]), max_size=40), st.integers(1, 12))
def test_one_size_ratios_equal_the_reference(text_units: list[str], n: int) -> None:
    assert signals.top_ngram_ratio(text_units, n) == reference_top_ngram_ratio(text_units, n)
    assert signals.duplicate_ngram_ratio(text_units, n) == reference_duplicate_ngram_ratio(text_units, n)


def test_duplicate_sizes_must_exceed_top_sizes() -> None:
    ids, lengths = np.arange(5, dtype=np.uint64), np.ones(5, dtype=np.int64)
    with pytest.raises(ValueError, match="must all exceed"):
        signals._ngram_ratios(ids, lengths, [2, 5], [5])


def test_every_gloss_letter_is_found_by_the_letter_filter() -> None:
    letters = "".join(ch for ch in map(chr, range(0x300)) if re.fullmatch(f"[{signals._LETTERS}]", ch))
    text = "".join(f"黄{letter}" for letter in letters)
    for letter in letters:  # one toned syllable per letter, so the gloss pattern has something to count
        assert signals.pinyin_gloss_density(f"河{letter}ā") == reference_pinyin_gloss_density(f"河{letter}ā")
    assert signals.pinyin_gloss_density(text) == reference_pinyin_gloss_density(text)


# ---------------------------------------------------------------- language


def test_han_variants_in_one_opencc_call_equal_one_call_per_character() -> None:
    chars = [chr(point) for first, last in class_ranges(HAN_CLASS) for point in range(first, last + 1)]
    assert language._han_variants(chars) == [language._han_variant(ch) for ch in chars]


def test_letter_codes_are_the_script_and_variant_of_each_character() -> None:
    chars = [chr(point) for point in [*range(0x3400), *range(0xA000, 0x10000, 3), *ASTRAL_SAMPLES]]
    variants = {None: language.HANI, "Hans": language.SIMPLIFIED_ONLY, "Hant": language.TRADITIONAL_ONLY}
    expected = [
        variants[language._han_variant(ch)] if is_han(ch) else language._SCRIPTS.index(language._script_of(ch))
        for ch in chars
    ]
    assert language._LETTER_CODES(code_points("".join(chars))).tolist() == expected


@settings(max_examples=400, deadline=None)
@given(st.one_of(repetitive_text, any_text, st.text(alphabet="ab설설のカ黄設设ภ", max_size=12)))
def test_detect_language_equals_the_reference(text: str) -> None:
    assert language.detect_language(text) == reference_detect_language(text)
    assert language.han_script(text) == reference_han_script(text)


# ---------------------------------------------------------------- dates

DATE_PIECES = [*"0123456789年月日-/. \n，电讯", "2023", "1998", "本报讯", "新华社北京", "记者", "２"]
date_text = st.lists(st.sampled_from(DATE_PIECES), max_size=60).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(date_text, any_text))
def test_full_dates_and_datelines_equal_the_reference(text: str) -> None:
    assert [m.groups() for m in dates._FULL_DATE.finditer(text)] == [
        m.groups() for m in REFERENCE_FULL_DATE.finditer(text)
    ]
    assert dates.find_dateline(text) == reference_find_dateline(text)


@settings(max_examples=400, deadline=None)
@given(
    st.integers(1, 12),
    st.integers(1, 31),
    st.lists(st.dates(min_value=date(2019, 1, 1), max_value=date(2024, 12, 31)), max_size=8),
)
def test_published_dates_equal_the_reference(month: int, day: int, context: list[date]) -> None:
    dateline = f"{month}月{day}日"
    assert dates.published_date(dateline, context) == reference_published_date(dateline, context)
    assert dates.published_date(dateline, context * 3) == reference_published_date(dateline, context)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12), st.integers(1, 31), st.lists(st.dates(), max_size=40))
def test_published_dates_from_any_years_equal_the_reference(month: int, day: int, context: list[date]) -> None:
    """Files that state dates decades apart, and the first and last years a date can have."""
    dateline = f"{month}月{day}日"
    assert dates.published_date(dateline, context) == reference_published_date(dateline, context)


def test_a_date_stated_many_times_counts_once() -> None:
    head = date(2023, 3, 30)
    assert dates.published_date("3月28日", [head] * 50) == date(2023, 3, 28)
    assert dates.published_date("3月28日", [head] * 5 + [head + timedelta(days=365)] * 5) is None
