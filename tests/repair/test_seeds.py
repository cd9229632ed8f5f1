"""The issue's "done when" on the seed files in raw/."""

from __future__ import annotations

import re

import pytest

from tests.conftest import RAW
from toolkit.repair import RepairOptions, repair
from toolkit.repair.pinyin import GLOSS
from toolkit.repair.script import detect_script
from toolkit.text import HAN_CLASS

SEEDS = sorted(RAW.glob("*.txt"))
ASCII_MARK_BESIDE_HAN = re.compile(f"[{HAN_CLASS}][,;:?!]|[,;:?!][{HAN_CLASS}]")


def seed(prefix: str) -> str:
    return next(path for path in SEEDS if path.name.startswith(prefix)).read_text(encoding="utf-8")


def test_traditional_seed_becomes_simplified_without_glosses() -> None:
    outcome = repair(seed("004"))
    assert outcome.original_script.startswith("zh-Hant")
    assert detect_script(outcome.text) == "zh-Hans"
    assert not GLOSS.search(outcome.text)
    assert not re.search("[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\\)", outcome.text)
    assert outcome.spans["pinyin_glosses"] > 500
    assert "锚定美丽山西建设目标" in outcome.text


def test_stray_and_is_gone() -> None:
    raw = seed("000")
    assert " and " in raw
    outcome = repair(raw)
    assert " and " not in outcome.text
    assert "党的二十大精神和习近平生态文明思想" in outcome.text
    assert outcome.spans["stray_words"] == raw.count(" and ")


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_keeps_quotes_and_gets_full_width_punctuation(path) -> None:
    raw = path.read_text(encoding="utf-8")
    fixed = repair(raw).text
    assert fixed.count("“") == raw.count("“") and fixed.count("”") == raw.count("”")
    assert ASCII_MARK_BESIDE_HAN.search(raw)
    assert not ASCII_MARK_BESIDE_HAN.search(fixed)
    assert "，" in fixed


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_second_repair_changes_nothing(path) -> None:
    once = repair(path.read_text(encoding="utf-8"))
    twice = repair(once.text)
    assert twice.text == once.text
    assert twice.spans == {}


def test_keep_target_keeps_traditional() -> None:
    fixed = repair(seed("004"), RepairOptions(script_target="keep")).text
    assert "錨定美麗山西建設目標" in fixed
