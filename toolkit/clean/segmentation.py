"""One document per article: where a raw file holding several articles is cut.

A new article starts at a dateline (`本报讯（…）`, `本刊讯`, `新华社…电`) or a byline block (`本刊记者 刘振兴`),
together with the headline block right above it. Nothing else cuts: sub-headings inside an article
look like headlines but have no dateline or byline under them, so a single article is never split.
A cut is kept only when the text after it holds prose, so a stray byline cannot make an article.

A headline can land after its article on a printed page (a jump head repeated at the top of the
continuation page); a headless article takes the leading lines of the next headline block when they
restate its lead (`displaced_headline`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from toolkit.clean.metadata import byline_credit, dateline
from toolkit.clean.pagebreaks import is_running_text

__all__ = ["Segment", "is_headline_like", "opens_article", "split_articles"]

MAX_HEADLINE_CHARS = 60
DISPLACED_HEADLINE_OVERLAP = 0.6  # share of a headline's character bigrams found in the article's lead
_SENTENCE_PUNCTUATION = re.compile(r"[。；;]|[，,：:、]$")
_BRACKETED = re.compile(r"[（(].*[）)]")
_WHITESPACE = re.compile(r"\s+")


@dataclass
class Segment:
    """Paragraph indexes of one article (or of a stretch that is not one): its headline block first."""

    headline: list[int] = field(default_factory=list)
    body: list[int] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[int]:
        return self.headline + self.body


def opens_article(paragraph: str) -> bool:
    """A dateline or byline paragraph: an article's text starts here.

    >>> opens_article("本刊讯 （记者 范琛）10月18日，省生态环境厅召开大会。"), opens_article("本刊记者 刘振兴")
    (True, True)
    >>> opens_article("十年来，我省生态环境工作取得了优异成绩。")
    False
    """
    return dateline(paragraph) is not None or byline_credit(paragraph) is not None


def is_headline_like(paragraph: str) -> bool:
    """A short line that is not a sentence: a headline, kicker, subtitle or sub-heading.

    >>> is_headline_like("奏好忻州新时代黄河“大合唱”"), is_headline_like("金湘军主持")
    (True, True)
    >>> is_headline_like("会议以视频形式召开。"), is_headline_like("（完）")
    (False, False)
    """
    return (
        len(paragraph) <= MAX_HEADLINE_CHARS
        and not _SENTENCE_PUNCTUATION.search(paragraph)
        and not _BRACKETED.fullmatch(paragraph)
        and not opens_article(paragraph)
    )


def _bigrams(text: str) -> set[str]:
    text = _WHITESPACE.sub("", text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


def displaced_headline(headline: list[str], lead: str) -> int:
    """How many leading lines of a headline block restate `lead`, an article's first paragraph.

    >>> displaced_headline(["省生态环境厅召开干部职工大会 传达学习大会精神", "华阳二矿：逐“绿”前行"],
    ...                    "本刊讯（记者 范琛）10月18日，省生态环境厅召开全省干部职工大会，传达学习了大会精神。")
    1
    """
    lead_bigrams = _bigrams(lead)
    taken = 0
    for line in headline:
        bigrams = _bigrams(line)
        if not bigrams or len(bigrams & lead_bigrams) / len(bigrams) < DISPLACED_HEADLINE_OVERLAP:
            break
        taken += 1
    return taken


def split_articles(paragraphs: list[str]) -> list[Segment]:
    """The articles in a list of paragraphs, in order; a segment without prose is not an article.

    >>> paragraphs = ["蓝佛安主持召开全体会议", "本报讯（记者 杨文）3月28日，会议召开。", "会议以视频方式召开。",
    ...               "金湘军主持", "本报讯（记者 杨文）3月29日，大会召开。"]
    >>> split_articles(paragraphs)
    [Segment(headline=[0], body=[1, 2]), Segment(headline=[3], body=[4])]
    >>> split_articles(["一、总体要求", "推进生态保护。", "二、重点任务", "强化水资源管理。"])
    [Segment(headline=[0], body=[1, 2, 3])]
    """
    starts = [0]
    previous_opener = -1
    for index, paragraph in enumerate(paragraphs):
        if not opens_article(paragraph):
            continue
        if index - 1 != previous_opener:  # a run of byline and dateline lines opens one article
            start = index
            while start - 1 > previous_opener and is_headline_like(paragraphs[start - 1]):
                start -= 1
            if start > starts[-1] and any(is_running_text(p) for p in paragraphs[index:]):
                starts.append(start)
        previous_opener = index
    segments = []
    for start, end in itertools.pairwise([*starts, len(paragraphs)]):
        headline_end = start
        while headline_end < end and is_headline_like(paragraphs[headline_end]):
            headline_end += 1
        segments.append(Segment(list(range(start, headline_end)), list(range(headline_end, end))))
    _restore_displaced_headlines(segments, paragraphs)
    return [s for s in segments if s.paragraphs]


def _restore_displaced_headlines(segments: list[Segment], paragraphs: list[str]) -> None:
    for segment, following in itertools.pairwise(segments):
        if segment.headline or not segment.body:
            continue
        taken = displaced_headline([paragraphs[i] for i in following.headline], paragraphs[segment.body[0]])
        segment.headline, following.headline = following.headline[:taken], following.headline[taken:]
