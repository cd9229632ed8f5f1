"""Every fixer never raises, is idempotent, and leaves clean text alone (hypothesis and real clean corpora)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import corpus_files
from toolkit.repair import RepairOptions, fix_text, repair
from toolkit.repair.characters import remove_invisible_characters
from toolkit.repair.entities import unescape_entities
from toolkit.repair.latin_words import restore_function_words
from toolkit.repair.mojibake import fix_cjk_mojibake, fix_latin_mojibake, remove_lost_sequences
from toolkit.repair.pinyin import remove_pinyin_glosses
from toolkit.repair.punctuation import restore_fullwidth_punctuation
from toolkit.repair.script import convert_script

FIXERS: list[Callable[[str], str]] = [
    unescape_entities,
    fix_latin_mojibake,
    fix_cjk_mojibake,
    remove_lost_sequences,
    remove_invisible_characters,
    remove_pinyin_glosses,
    restore_function_words,
    convert_script,
    restore_fullwidth_punctuation,
    fix_text,
]
# Pieces of damage, so that generated strings come near every rule's trigger.
DAMAGE = list("鍏ㄧ渷缁忔祹灏辫仈鍚堝浗銆锟斤拷烫建設們(shè)men?&#;x24314amp 和,;:!（）“”\ufffd\u200b\x85\ud800Ã©â€œ")
ANY_TEXT = st.text(st.one_of(st.characters(exclude_categories=()), st.sampled_from(DAMAGE)), max_size=60)
# Clean Chinese and Latin: simplified characters, full-width punctuation, letters and digits, no ASCII
# punctuation beside Han (that is the damage the punctuation fixer restores).
CLEAN = st.text(
    st.sampled_from(
        list("黄河流域生态保护和高质量发展的重要实验区，。、；：？！（）“”《》\u3000") + list("PM2.5abcXYZ019%")
    )
)


@pytest.mark.parametrize("fixer", FIXERS, ids=lambda f: f.__name__)
@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT)
def test_never_raises_and_is_idempotent(fixer: Callable[[str], str], text: str) -> None:
    once = fixer(text)
    assert fixer(once) == once


@pytest.mark.parametrize("fixer", FIXERS, ids=lambda f: f.__name__)
@settings(max_examples=200, deadline=None)
@given(text=CLEAN)
def test_clean_text_is_unchanged(fixer: Callable[[str], str], text: str) -> None:
    assert fixer(text) == text


@pytest.mark.parametrize(
    ("corpus", "options"),
    [
        ("peoples-daily-1998", RepairOptions()),
        # the regulations write enumerations `(一)` in ASCII, which is the damage the punctuation fixer undoes
        ("prc-regulations", RepairOptions(punctuation=False)),
        # a few press releases write `包括:興建` or `(美國、俄羅斯及日本)` among full-width marks: restored
        ("zh-hant", RepairOptions(script_target="keep", punctuation=False)),
    ],
    ids=["peoples-daily", "prc-regulations", "zh-hant-kept"],
)
def test_clean_corpus_is_unchanged(corpus: str, options: RepairOptions) -> None:
    for path in corpus_files(corpus, 40):
        text = path.read_text(encoding="utf-8")
        outcome = repair(text, options)
        assert outcome.spans == {}, path.name
        assert outcome.text == text


def test_latin_in_parentheses_keeps_ascii_in_chinese_text() -> None:
    for path in corpus_files("zh-hant", 233):
        text = path.read_text(encoding="utf-8")
        fixed = restore_fullwidth_punctuation(text)
        for latin in re.findall(r"\([A-Za-z0-9 .,-]+\)", text):
            assert latin in fixed, (path.name, latin)
