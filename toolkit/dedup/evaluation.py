"""A labelled test set of near-duplicates built from real documents, and the recall and precision of a
dedup result on it: tune the threshold on your own corpus before trusting the defaults.

Each source document gives a cluster: the original and one variant per kind in VARIANTS (the damage
scraped copies show). Documents not used as sources stay single, so a wrong merge shows as lost precision.

>>> rng = random.Random(0)
>>> truncate("一二三四五六七八九十\\n甲乙丙丁戊己庚辛壬癸", rng)
'一二三四五六七八九十\\n甲乙丙丁戊己庚'
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from toolkit.dedup.normalize import fold_script
from toolkit.text import paragraphs

__all__ = ["VARIANTS", "LabelledText", "Scores", "build_test_set", "score"]

HEADERS = ["来源：人民日报 责任编辑：王磊", "本报讯 记者 李明 报道", "【新华社北京电】", "原标题：今日要闻"]
FOOTERS = [
    "本文转载自其他媒体，转载目的在于传递更多信息，并不代表本网赞同其观点和对其真实性负责。",
    "（责任编辑：张华）欢迎关注我们的微信公众号，获取更多新闻资讯。",
    "版权所有 未经授权禁止复制或建立镜像 联系电话：010-12345678",
    "扫描二维码下载客户端，随时随地阅读最新报道。点击分享到朋友圈。",
]
# Characters put in place of others by a typing or recognition error (common Han characters and digits).
EDIT_ALPHABET = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动"
    "同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自"
    "二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日"
    "那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变"
    "条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总"
    "次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
    "几九区强放决西被干做必战先回则任取据处理"
)
Variant = Callable[[str, random.Random], str]


def exact_copy(text: str, rng: random.Random) -> str:
    return text


def different_boilerplate(text: str, rng: random.Random) -> str:
    """A site's header line above and its footer below."""
    return "\n".join([rng.choice(HEADERS), text, rng.choice(FOOTERS)])


def character_edits(text: str, rng: random.Random, rate: float = 0.03) -> str:
    """3% of the characters deleted, replaced or followed by an inserted one."""
    out = []
    for ch in text:
        if ch == "\n" or rng.random() >= rate:
            out.append(ch)
            continue
        edit = rng.randrange(3)
        if edit == 1:
            out.append(rng.choice(EDIT_ALPHABET))
        elif edit == 2:
            out += [ch, rng.choice(EDIT_ALPHABET)]
    return "".join(out)


def truncate(text: str, rng: random.Random, keep: float = 0.85) -> str:
    """The first 85% of the characters (a copy cut off by a page limit)."""
    return text[: round(len(text) * keep)].rstrip()


def reorder_paragraphs(text: str, rng: random.Random) -> str:
    lines = paragraphs(text)
    rng.shuffle(lines)
    return "\n".join(lines)


def change_spacing(text: str, rng: random.Random) -> str:
    """Spaces inserted between characters, doubled after punctuation, blank lines between paragraphs."""
    out = []
    for ch in text:
        out.append("\n\n" if ch == "\n" else ch)
        if ch in "，。；：,.;:":
            out.append("  ")
        elif ch != "\n" and rng.random() < 0.1:
            out.append(" ")
    return "".join(out)


def other_script(text: str, rng: random.Random) -> str:
    """Simplified Chinese (the copy of a traditional original, published elsewhere)."""
    return fold_script(text)


VARIANTS: dict[str, Variant] = {
    "exact copy": exact_copy,
    "different boilerplate": different_boilerplate,
    "3% character edits": character_edits,
    "truncated to 85%": truncate,
    "paragraphs reordered": reorder_paragraphs,
    "spacing changed": change_spacing,
    "simplified copy": other_script,
}


@dataclass(frozen=True)
class LabelledText:
    text: str
    cluster: int  # index of the source document; every distinct document has its own
    variant: str  # "original", "distinct" or a key of VARIANTS


def build_test_set(texts: list[str], *, clusters: int, seed: int = 0) -> list[LabelledText]:
    """The first `clusters` texts each with its variants, the rest as distinct documents, shuffled.

    A "simplified copy" is made only of a text that holds traditional characters (it would be an exact copy).
    """
    rng = random.Random(seed)
    items = []
    for number, text in enumerate(texts):
        if number >= clusters:
            items.append(LabelledText(text, number, "distinct"))
            continue
        items.append(LabelledText(text, number, "original"))
        for name, make in VARIANTS.items():
            variant = make(text, rng)
            if name != "simplified copy" or variant != text:
                items.append(LabelledText(variant, number, name))
    rng.shuffle(items)
    return items


@dataclass
class Scores:
    """Recall over (original, variant) pairs put in one cluster; precision over the documents dropped."""

    pairs: Counter[str] = field(default_factory=Counter)  # per variant: (original, variant) pairs
    found: Counter[str] = field(default_factory=Counter)  # per variant: pairs that ended in one cluster
    dropped: int = 0
    dropped_wrongly: int = 0  # dropped for a document of another cluster

    @property
    def recall(self) -> float:
        return sum(self.found.values()) / max(1, sum(self.pairs.values()))

    @property
    def precision(self) -> float:
        return (self.dropped - self.dropped_wrongly) / self.dropped if self.dropped else 1.0

    def rows(self) -> list[tuple[str, int, int, float]]:
        """(variant, pairs, found, recall) per variant, in VARIANTS order."""
        return [
            (name, self.pairs[name], self.found[name], self.found[name] / self.pairs[name])
            for name in VARIANTS
            if self.pairs[name]
        ]


def score(items: list[LabelledText], kept_for: list[int | None]) -> Scores:
    """Scores of a result given as, per item, the index of the item kept in its place (None: it was kept)."""
    scores = Scores()
    predicted = [index if keeper is None else keeper for index, keeper in enumerate(kept_for)]
    originals = {item.cluster: index for index, item in enumerate(items) if item.variant == "original"}
    for index, item in enumerate(items):
        if item.variant in VARIANTS:
            scores.pairs[item.variant] += 1
            scores.found[item.variant] += predicted[index] == predicted[originals[item.cluster]]
        if kept_for[index] is not None:
            scores.dropped += 1
            scores.dropped_wrongly += items[predicted[index]].cluster != item.cluster
    return scores
