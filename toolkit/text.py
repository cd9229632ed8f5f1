"""Character classes and small text helpers shared by every stage (one place, not copied per stage).

>>> han_ratio("黄河 rivers")
0.25
>>> is_han("設"), is_han("a")
(True, False)
"""

from __future__ import annotations

import re

__all__ = [
    "CJK_PUNCTUATION",
    "HAN",
    "HAN_CLASS",
    "SENTENCE_END",
    "han_count",
    "han_ratio",
    "is_han",
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
# Characters that may end a sentence (or a paragraph) in Chinese or Latin text.
SENTENCE_END = "。！？!?…；;.:：」』”’)）】》"


def is_han(ch: str) -> bool:
    return bool(HAN.fullmatch(ch))


def han_count(text: str) -> int:
    return len(HAN.findall(text))


def han_ratio(text: str) -> float:
    """Share of non-space characters that are Han ideographs (0.0 for blank text)."""
    visible = sum(1 for ch in text if not ch.isspace())
    return han_count(text) / visible if visible else 0.0


def paragraphs(text: str) -> list[str]:
    """Non-blank lines, stripped: our documents keep one paragraph per line."""
    return [line.strip() for line in text.split("\n") if line.strip()]
