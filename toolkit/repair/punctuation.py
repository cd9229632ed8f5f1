"""ASCII punctuation in Chinese text, left by NFKC normalisation, back to full width by context."""

from __future__ import annotations

import re

from toolkit.repair.result import Repaired
from toolkit.text import CJK_PUNCTUATION, HAN_CLASS

__all__ = ["restore_fullwidth_punctuation"]

FULL_WIDTH = str.maketrans(",;:?!()", "，；：？！（）")
# What makes a neighbour Chinese: Han, Chinese punctuation, CJK symbols, full-width forms.
CHINESE = f"{HAN_CLASS}{CJK_PUNCTUATION}\u3001-\u303f\uff01-\uff5e"
# URLs and e-mail addresses keep their punctuation; a trailing ',' or ')' is the sentence's, not the URL's.
ADDRESS = r"(?:(?:https?|ftp)://|www\.)[!-~]*[A-Za-z0-9/#=_-]|[A-Za-z0-9.+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}"
# A mark with Chinese before it (or '%': `50.8%,31.3%`) or after it. Testing the neighbours in the pattern
# leaves the marks that stay (`1,000`, `12:30`, Latin text) without a Python call each.
CHINESE_MARK = rf"[,;:?!](?:(?<=[{CHINESE}%].)|(?=[{CHINESE}]))"
MARK = re.compile(CHINESE_MARK)
# Trying the address at every position is 10x slower than looking for the marks: only where one may be.
ADDRESS_OR_MARK = re.compile(rf"(?P<address>{ADDRESS})|{CHINESE_MARK}")
ADDRESS_HINTS = ("://", "www.", "@")
PARENTHESES = re.compile(r"[(（][^()（）\n]{0,200}[)）]")
HAS_CHINESE = re.compile(f"[{CHINESE}]")
ASCII_PUNCTUATION = re.compile("[,;:?!()]")  # what this fixer restores: text without any costs one search
CHAINED = re.compile("[,;:?!][，；：？！]|[，；：？！][,;:?!]")


def _marks(text: str) -> tuple[str, int]:
    """Marks with Chinese before (or '%') or Chinese after; digits never count, so `1,000` and `12:30` stay."""
    spans = 0

    def widen(match: re.Match[str]) -> str:
        nonlocal spans
        if match.lastgroup == "address":
            return match.group()
        spans += 1
        return match.group().translate(FULL_WIDTH)

    pattern = ADDRESS_OR_MARK if any(hint in text for hint in ADDRESS_HINTS) else MARK
    return pattern.sub(widen, text), spans


def _parentheses(text: str) -> tuple[str, int]:
    spans = 0

    def widen(match: re.Match[str]) -> str:
        nonlocal spans
        pair = match.group()
        # only Chinese inside makes a pair Chinese: `(PM2.5)`, `(Edmund Burke)`, `今(2015)年` and `f(x)`
        # are written with ASCII parentheses in Chinese text too
        if ("(" not in pair and ")" not in pair) or not HAS_CHINESE.search(pair[1:-1]):
            return pair
        spans += 1
        return pair.translate(FULL_WIDTH)

    return PARENTHESES.sub(widen, text), spans


def restore_fullwidth_punctuation(text: str) -> Repaired:
    """Turn `, ; : ? ! ( )` next to Chinese back into `，；：？！（）`; numbers, times, URLs, code and
    Latin text keep theirs.

    >>> restore_fullwidth_punctuation("本报讯(山西日报记者 杨文)3月28日,省委书记:PM2.5下降,1,000人;12:30见!")
    '本报讯（山西日报记者 杨文）3月28日，省委书记：PM2.5下降，1,000人；12:30见！'
    >>> restore_fullwidth_punctuation("细颗粒物(PM2.5)、美国「莎达菲德(SADAFED)」、今(2015)年、(一)")
    '细颗粒物(PM2.5)、美国「莎达菲德(SADAFED)」、今(2015)年、（一）'
    >>> restore_fullwidth_punctuation("占50.8%,31.3%的人口 详见http://a.b/c?d=1,谢谢 f(x) = 1; Hello, world!")
    '占50.8%，31.3%的人口 详见http://a.b/c?d=1，谢谢 f(x) = 1; Hello, world!'
    """
    if not (ASCII_PUNCTUATION.search(text) and HAS_CHINESE.search(text)):
        return Repaired(text)
    total = 0
    while True:
        text, marks = _marks(text)
        text, pairs = _parentheses(text)
        total += marks + pairs
        # a restored mark is Chinese context for the ASCII one beside it (`好,,`): one more pass then
        if not (marks and CHAINED.search(text)):
            return Repaired(text, total)
