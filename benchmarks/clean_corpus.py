"""A test corpus for the clean stage: real text damaged on purpose, and how well cleaning restores it.

Real paragraphs (PRC regulations, People's Daily sentences from /work/shared/corpora) get synthetic
page breaks, photo captions, page heads, continuation markers, whitespace junk and web chrome. The
damage is drawn from the pools below, written to differ from the forms in the seeds the rules were
developed on (other outlets, other wording, other marker spellings), so the score measures how the
rules generalise. Every choice comes from a seeded random generator: the corpus is the same each run.
"""

from __future__ import annotations

import difflib
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.clean.pagebreaks import normalise_whitespace

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"

NAMES = ["王晔", "刘洋", "陈立新", "赵敏", "孙海涛", "周雯", "郑凯", "黄晓梅", "何春雷", "马骏"]
PLACES = ["成都市锦江区", "杭州西湖景区", "兰州新区", "贵阳市", "洛阳老城区", "银川市", "海口湾"]
SITES = [  # each damaged page belongs to one site, whose slogan line recurs on all of its pages
    ("东方资讯网", "东方资讯网·权威发布 服务百姓"),
    ("西部在线", "西部在线——传播好声音 凝聚正能量"),
    ("南国时讯", "南国时讯 让新闻离你更近"),
]
CAPTIONS = [
    "{place}的志愿者在清理河道垃圾。（新华社记者 {name} 摄）",
    "图为{place}新建成的污水处理厂。 本报记者 {name}/摄",
    "▲ {place}群众在广场上观看文艺演出。 通讯员 {name} 摄",
    "{place}湿地公园一角。 {name} 摄",
    "（资料图片）",
    "图为工人在{place}的生产线上作业。",
]
PAGE_HEADS = [
    "人民日报 {year}年{month}月{day}日 星期{weekday} 第{page}版",
    "第{page}版：地方新闻",
    "B{page} 版 经济·社会 {year}年{month}月{day}日",
    "{year}年{month}月{day}日 周{weekday} 第{page}版 综合新闻 责编：{name}",
]
MARKERS_BEFORE_BREAK = ["（下转第四版）", "（转第8版）", "(下转B2版)", "（转A6版）"]
MARKERS_AFTER_BREAK = ["（上接第二版）", "（接第3页）", "(上接A1版)", "（续第五版）"]
CHROME_HEADER = [
    "首页 > 要闻 > 正文",
    "当前位置：网站首页 >> 时政新闻",
    "您现在的位置： 首页 > 新闻中心",
    "发布时间：{year}-{month:02d}-{day:02d} 08:{minute:02d}",
    "【字体：大 中 小】",
]
CHROME_FOOTER = [
    "上一条：{place}召开座谈会",
    "下一条：{place}举办专题培训班",
    "【打印本页】【关闭窗口】",
    "分享到：",
    "责任编辑：{name}",
    "来源：{site}",
    "Copyright © {year} {site} 版权所有",
    "蜀ICP备0501{minute:02d}号",
    "扫一扫在手机打开当前页",
    "阅读次数：{count}",
    "网友评论",
    "请登录后评论",
    "赞（{count}）",
    "热门文章",
]
WEEKDAYS = "一二三四五六日"
SPACES = ["\u3000\u3000", "\u00a0\u00a0", "  ", "\t"]


@dataclass
class DamagedDocument:
    source: str
    original: list[str]  # the paragraphs as published
    damaged: str
    damage: Counter[str] = field(default_factory=Counter)


def original_documents(corpus: str, limit: int, skip: int = 0) -> list[tuple[str, list[str]]]:
    files = sorted((CORPORA / corpus).glob("*.txt"))[skip : skip + limit]
    documents = []
    for file in files:
        # whitespace runs collapsed as the clean stage must do, so they do not count as errors
        paragraphs = normalise_whitespace(file.read_text(encoding="utf-8"))
        documents.append((f"{corpus}/{file.name}", paragraphs))
    return documents


def _fill(template: str, rng: random.Random, site: str) -> str:
    return template.format(
        name=rng.choice(NAMES),
        place=rng.choice(PLACES),
        site=site,
        year=rng.randint(1998, 2023),
        month=rng.randint(1, 12),
        day=rng.randint(1, 28),
        weekday=rng.choice(WEEKDAYS),
        page=rng.randint(2, 16),
        minute=rng.randint(0, 59),
        count=rng.randint(0, 9999),
    )


def damage(source: str, paragraphs: list[str], rng: random.Random, *, web: bool) -> DamagedDocument:
    """Paragraphs as a scrape of a printed page (web=False) or of a web page (web=True) would give them."""
    doc = DamagedDocument(source, paragraphs, "")
    site, slogan = rng.choice(SITES)
    lines: list[str] = []
    if web:
        lines += [slogan] + [_fill(t, rng, site) for t in rng.sample(CHROME_HEADER, 2)]
        doc.damage["chrome"] += 3
    for paragraph in paragraphs:
        if len(paragraph) >= 30 and rng.random() < 0.35:
            cut = rng.randint(6, len(paragraph) - 6)
            first, rest = paragraph[:cut], paragraph[cut:]
            doc.damage["page-break"] += 1
            between = []
            if rng.random() < 0.3:
                first += rng.choice(MARKERS_BEFORE_BREAK)
                doc.damage["marker"] += 1
            if rng.random() < 0.3:
                between.append(_fill(rng.choice(CAPTIONS), rng, site))
                doc.damage["caption"] += 1
            if rng.random() < 0.25:
                between.append(_fill(rng.choice(PAGE_HEADS), rng, site))
                doc.damage["page-head"] += 1
            if rng.random() < 0.2:
                rest = rng.choice(MARKERS_AFTER_BREAK) + rest
                doc.damage["marker"] += 1
            lines += [first, *between, rest]
        else:
            lines.append(paragraph)
    if web:
        footer = [_fill(t, rng, site) for t in rng.sample(CHROME_FOOTER, rng.randint(3, 7))] + [slogan]
        lines += footer
        doc.damage["chrome"] += len(footer)
    indented = [rng.choice(SPACES) + line + rng.choice(["", " ", "\u00a0"]) for line in lines]
    doc.damaged = "\n" * rng.randint(0, 3) + "\n\n".join(indented) + "\n" * rng.randint(0, 3)
    return doc


def build_corpus(seed: int = 4, per_corpus: int = 100, skip: int = 0) -> list[DamagedDocument]:
    """Half print scrapes, half web scrapes, over regulations and news sentences (after `skip` files)."""
    rng = random.Random(seed)
    corpus = []
    for name in ("prc-regulations", "peoples-daily-1998"):
        for number, (source, paragraphs) in enumerate(original_documents(name, per_corpus, skip)):
            corpus.append(damage(source, paragraphs, rng, web=number % 2 == 1))
    return corpus


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions of characters)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def character_errors(original: list[str], cleaned: list[str]) -> int:
    """Edit distance between the texts (paragraphs joined by newlines), aligning paragraphs first so
    that only the differing stretches are compared character by character."""
    matcher = difflib.SequenceMatcher(a=original, b=cleaned, autojunk=False)
    return sum(
        edit_distance("\n".join(original[i1:i2]), "\n".join(cleaned[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    )


def exact_paragraphs(original: list[str], cleaned: list[str]) -> int:
    """How many original paragraphs come back exactly (each output paragraph counted once)."""
    return sum((Counter(original) & Counter(cleaned)).values())
