"""The seeds as the clean stage receives them: repaired.

`toolkit.repair.fix_text` is used once it repairs; until then (it is a pass-through while its issue is
open) a small stand-in does what the repair spec promises for these seeds: traditional to simplified,
pinyin glosses and stray ` and ` removed, full-width punctuation restored beside Han text.
"""

from __future__ import annotations

import re
from pathlib import Path

import opencc

from toolkit.repair import fix_text

_HAN = r"[\u4e00-\u9fff]"
_PINYIN_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)")
_FULL_WIDTH = {",": "，", ";": "；", "!": "！", ":": "："}


def repair_is_pass_through(raw: str) -> bool:
    return fix_text(raw) == raw


def stand_in_repair(text: str) -> str:
    text = opencc.OpenCC("t2s").convert(text)
    text = _PINYIN_GLOSS.sub("", text)
    text = re.sub(rf"(?<={_HAN}) and (?={_HAN})", "", text)
    text = re.sub(r"\(([^()]*[\u4e00-\u9fff][^()]*)\)", r"（\1）", text)
    text = re.sub(rf"(?<={_HAN}|[”）])[,;!]|[,;!](?={_HAN}|[“”])", lambda m: _FULL_WIDTH[m[0]], text)
    return re.sub(rf"(?<={_HAN}):", "：", text)


def repaired_seed(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    return stand_in_repair(raw) if repair_is_pass_through(raw) else fix_text(raw)
