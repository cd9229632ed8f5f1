"""Boilerplate: the web page around the article (navigation, widgets, comments, copyright, ...).

Two kinds of evidence, as in CCNet, Gopher and FineWeb: patterns for the chrome every site has
(`chrome_reason`), and corpus statistics for the chrome of one site (`RecurringLines`: a short line
that recurs in many documents of the corpus is not the author's). A third rule catches the short
lines left after the chrome that ends a page (`trailing_chrome`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from itertools import islice

import numpy as np

from toolkit.text import paragraphs

__all__ = ["CHROME_PATTERNS", "RecurringLines", "chrome_reason", "recurs_by_design", "trailing_chrome"]

_COUNT = r"(?:[（(]?\s*\d{1,7}\s*[)）]?)"
# What a line of page links is made of: the links, page numbers, and the brackets and bars between them.
_PAGE_LINKS = (
    r"(?:[\s\[\]<>«»|｜/()（）【】]|\d|上一[页篇]|下一[页篇]|首页|尾页|末页|最末页|第一页|最后一页"
    r"|第\s*\d+\s*页|共\s*\d+\s*页|页\s*[:：])"
)
# reason -> (what the line starts with, what it holds anywhere, what it holds in Latin letters, in any
# case), tried in this order on whole lines (short ones: see MAX_CHROME_CHARS). Kept apart, each part is
# fast to search: a pattern whose alternatives all start with a fixed Chinese character is scanned for
# that character, while an anchor, or a letter in any case, makes the engine try every alternative at
# every position of the line (10x slower).
_CHROME: dict[str, tuple[str | None, str | None, str | None]] = {
    "navigation": (
        r"(?:当前位置|您的位置|您现在的位置|你的位置|你现在的位置|所在位置|位置)\s*[:：]"
        r"|(?:首页|网站首页|主页|返回首页)\s*(?:[>»›/|｜]|(?i:&gt;)|$)"
        r"|[^\s>»›]{1,12}(?:\s*(?:>>|[>»›])\s*[^\s>»›]{1,16}){2,}\s*(?:>>|[>»›])?$",
        None,
        None,
    ),
    "prev-next": (r"(?:上一篇|下一篇|上一条|下一条|上一页|下一页|上篇|下篇)(?:\s|[:：]|$)", None, None),
    # a line of page links only: `第1页/共1页 << 上一页 | 下一页 >>`, `[1] [2] [3]`, `页: [1]`
    "pagination": (rf"{_PAGE_LINKS}*(?:上一[页篇]|下一[页篇]|\[\d+\]|第\s*\d+\s*页){_PAGE_LINKS}*$", None, None),
    # a forum post's header: its subject, the poster's tools
    "post-header": (
        r"(?:主题|帖子主题)\s*[:：]",
        r"收藏此帖|回复此帖|引用此帖|举报此帖",
        r"^Trackback\b|引用\s*[(（]?Trackback[)）]?\s*链接",
    ),
    "share-widget": (
        r"分享到|分享至|转发到|一键分享|分享让更多人看到",
        r"打印本页|打印此页|关闭窗口|【\s*(?:打印|关闭|收藏)\s*】|\[\s*(?:打印|关闭|收藏)\s*\]|收藏本页|加入收藏"
        r"|返回顶部|回到顶部|字[体号]\s*[:：]\s*【?大】?\s*【?中】?\s*【?小】?",  # with or without 【 before 字
        None,
    ),
    "related-links": (
        r"(?:相关推荐|相关阅读|相关新闻|相关文章|相关链接|推荐阅读|热门推荐|猜你喜欢|热点推荐|延伸阅读|"
        r"更多精彩|热门文章|精彩推荐|大家都在看|热点新闻|最新文章|编辑推荐)\s*[:：]?\s*$",
        None,
        None,
    ),
    "comments": (
        r"(?:发表回复|发表评论|我要评论|网友评论|评论区|查看评论|参与评论|全部评论|最新评论|热门评论|"
        r"登录后才能评论|请登录后评论|请先登录|登录|注册|登录\s*[|｜/]\s*注册)\s*" + _COUNT + r"?\s*$"
        r"|(?:评论|留言)\s*" + _COUNT + r"$|\d+\s*条评论$",
        r"已有\s*\d+\s*(?:人参与|条评论)",
        None,
    ),
    "counter": (
        _COUNT + r"$|(?:点赞|赞|收藏|转发|分享|阅读|浏览|阅读量|浏览量|浏览次数|点击|点击数|点击量|在看)"
        r"\s*[:：]?\s*" + _COUNT + r"\s*次?$",
        None,
        None,
    ),
    "app-prompt": (
        None,
        r"扫一扫.{0,10}(?:二维码|关注|下载|分享|阅读|订阅)|二维码.{0,6}扫一扫|手机.{0,6}扫一扫|扫描二维码"
        r"|扫码(?:关注|下载|阅读|查看)|长按识别|下载客户端|关注(?:我们的)?(?:官方)?(?:微信)?公众号",
        r"下载\s*APP|打开\s*APP|APP\s*内打开",
    ),
    "copyright": (
        None,
        r"版权所有|©|公网安备|网安备|未经(?:书面)?(?:许可|授权).{0,12}(?:转载|复制|使用)|违法和不良信息举报"
        r"|举报(?:电话|邮箱)\s*[:：]",
        r"copyright|all rights reserved|ICP\s*[备证]",
    ),
    "aggregator-note": (
        None,
        r"由互联网用户(?:分享|上传)整理|本文(?:来源于|转载自|来自)(?:网络|互联网)"
        r"|如有侵权.{0,8}(?:删除|联系)|转载请注明(?:出处|来源)",
        None,
    ),
}
# reason -> one pattern for the whole rule, searched anywhere in a line.
CHROME_PATTERNS: dict[str, re.Pattern[str]] = {
    reason: re.compile(
        "|".join(part for part in (start and f"^(?:{start})", anywhere, latin and f"(?i:{latin})") if part)
    )
    for reason, (start, anywhere, latin) in _CHROME.items()
}
_CHROME_TESTS = [
    (
        reason,
        start and re.compile(start).match,
        anywhere and re.compile(anywhere).search,
        latin and re.compile(latin, re.IGNORECASE).search,
    )
    for reason, (start, anywhere, latin) in _CHROME.items()
]


def _any_rule(part: int, flags: int = 0) -> re.Pattern[str]:
    """One part (0 start, 1 anywhere, 2 Latin) of every rule in one pattern. The parts are joined bare,
    not each in a group, so that the engine still scans for the first characters of the alternatives."""
    return re.compile("|".join(filter(None, (parts[part] for parts in _CHROME.values()))), flags)


# Most lines are no chrome: these three searches say so where the rules one by one take up to twenty.
_ANY_START, _ANY_HOLDS, _ANY_LATIN = _any_rule(0), _any_rule(1), _any_rule(2, re.IGNORECASE)
# Every Latin part holds a letter that only an ASCII letter matches, in any case (not i, k or s).
_ASCII_LETTER = re.compile("[A-Za-z]")
MAX_CHROME_CHARS = 120  # a longer line that merely mentions 版权所有 is prose (a copyright law, say)
PROSE_COMMAS = 2  # a line with this many full-width commas is prose, whatever phrase it contains
MAX_TRAILING_CHROME_CHARS = 30
MAX_TRAILING_PER_REMOVED = 3  # the short lines trailing a page's chrome are few beside the chrome itself
_STRUCTURAL_HEADING = re.compile(
    r"^(?:第[0-9一二三四五六七八九十百零〇]+[章节条编部分款]|[一二三四五六七八九十]+[、．.]|附\s*[则录件]|总\s*则|前\s*言)"
)
_SENTENCE_MARK = re.compile(r"[。！？!?]")


def chrome_reason(line: str) -> str | None:
    """The kind of web chrome a line is, or None.

    >>> chrome_reason("上一篇 2022-06-22 10:51"), chrome_reason("登录后才能评论"), chrome_reason("（0）")
    ('prev-next', 'comments', 'counter')
    >>> chrome_reason("首页 > 新闻中心 > 正文"), chrome_reason("Copyright © 2005 新华网 京ICP备10020099号")
    ('navigation', 'copyright')
    >>> chrome_reason("会议指出，要扫一扫思想上的灰尘。"), chrome_reason("扫一扫，关注我们的公众号")
    (None, 'app-prompt')
    >>> chrome_reason("普查办公室应当设立举报电话和信箱，接受社会各界的监督，并给予奖励。") is None
    True
    >>> chrome_reason("第1页/共1页 << 上一页 | 下一页 >>"), chrome_reason("[1] [2]"), chrome_reason("[上一篇] [下一篇]")
    ('pagination', 'pagination', 'pagination')
    >>> chrome_reason("主题： 你知道导游为什么热衷于让你去商场购物吗？"), chrome_reason("收藏此帖 回复此帖 引用此帖")
    ('post-header', 'post-header')
    >>> chrome_reason("2005年第3页的数据显示上一页有误。") is None
    True
    """
    if len(line) > MAX_CHROME_CHARS or line.count("，") >= PROSE_COMMAS:
        return None
    latin = bool(_ASCII_LETTER.search(line))
    if not (_ANY_START.match(line) or _ANY_HOLDS.search(line) or (latin and _ANY_LATIN.search(line))):
        return None  # then the rule that matched, in the order of the rules
    for reason, starts, holds, holds_latin in _CHROME_TESTS:
        if (starts and starts(line)) or (holds and holds(line)) or (latin and holds_latin and holds_latin(line)):
            return reason
    return None


def recurs_by_design(line: str) -> bool:
    """Lines that recur in many documents by design and are text, not chrome: structural headings
    (第一章 总则) and lines citing a document (《…》), such as a regulation's revision history.

    >>> recurs_by_design("第一章 总则"), recurs_by_design("2011年1月8日 《国务院关于修改部分行政法规的决定》第一次修订")
    (True, True)
    >>> recurs_by_design("央媒头条全球推介平台")
    False
    """
    return bool(_STRUCTURAL_HEADING.match(line)) or "《" in line


def trailing_chrome(lines: list[str], removed: list[bool]) -> list[int]:
    """Indexes of the short lines left among the chrome that closes a page (a site's slogan after
    `登录后才能评论`): in the run at the end of the page made of removed lines and short lines without
    a sentence, the short lines after the first removed one. `removed[i]` says whether line i went.

    >>> trailing_chrome(["正文。", "来源：新华网", "相关推荐", "央媒头条全球推介平台"], [False, True, True, False])
    [3]
    >>> trailing_chrome(["正文。", "（完）"], [False, False])
    []
    >>> cells = ["正文。", "7", "艺术学原理", "刘梦溪", "英语或俄语或日语", "艺术概论", "文化批评", "新增点正在审批"]
    >>> trailing_chrome(cells, [False, True] + [False] * 6)  # a table's cells after a number taken for a counter
    []
    """
    start = len(lines)
    while start > 0 and (removed[start - 1] or _is_short_phrase(lines[start - 1])):
        start -= 1
    first_removed = next((i for i in range(start, len(lines)) if removed[i]), len(lines))
    trailing = [i for i in range(first_removed + 1, len(lines)) if not removed[i]]
    # a run of short lines with chrome here and there (a table's cells, a list) is text, not chrome
    if len(trailing) > MAX_TRAILING_PER_REMOVED * sum(removed[first_removed:]):
        return []
    return trailing


def _is_short_phrase(line: str) -> bool:
    return len(line) <= MAX_TRAILING_CHROME_CHARS and not _SENTENCE_MARK.search(line)


KEYS_PER_MERGE = 1 << 18  # line keys gathered before they join the counts (a few MB)
TEXTS_PER_PART = 1024  # texts whose keys `RecurringLines.count` gathers at a time


def _merge_counts(keys: np.ndarray, documents: np.ndarray, more: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique keys and how many documents have each, with one more document per key of `more`.

    >>> [a.tolist() for a in _merge_counts(np.array([5], np.uint64), np.array([2]), [np.array([7, 5], np.uint64)])]
    [[5, 7], [3, 1]]
    """
    added = np.concatenate(more) if more else np.empty(0, dtype=np.uint64)
    merged, inverse = np.unique(np.concatenate([keys, added]), return_inverse=True)
    weights = np.concatenate([documents, np.ones(len(added), dtype=np.int64)])
    return merged, np.bincount(inverse.ravel(), weights=weights, minlength=len(merged)).astype(np.int64)


def _batches(items: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _line_key(line: str) -> int:
    # split() drops the same whitespace as the regex \s, in a third of the time
    return int.from_bytes(hashlib.blake2b("".join(line.split()).encode(), digest_size=8).digest(), "big")


class RecurringLines:
    """Short lines that recur in many documents of a corpus, kept as 8-byte hashes (small to pickle).

    >>> pages = [f"第{i}号公告。\\n本站由某某网络科技公司提供技术支持" for i in range(6)] + ["其他内容"]
    >>> recurring = RecurringLines.count(pages, max_chars=40, min_documents=5)
    >>> recurring.is_recurring("本站由某某网络科技公司提供技术支持"), recurring.is_recurring("第1号公告。")
    (True, False)
    """

    def __init__(self, keys: frozenset[int], max_chars: int) -> None:
        self.keys, self.max_chars = keys, max_chars

    @classmethod
    def count(cls, texts: Iterable[str], *, max_chars: int, min_documents: int) -> RecurringLines:
        """Counted in one process; a stage counts the parts of its input where its engine works."""
        parts = (cls.line_keys(batch, max_chars=max_chars) for batch in _batches(texts, TEXTS_PER_PART))
        return cls.from_line_keys(parts, max_chars=max_chars, min_documents=min_documents)

    @staticmethod
    def line_keys(texts: Iterable[str], *, max_chars: int) -> np.ndarray:
        """The keys of each text's distinct short lines, text after text: what a part of the corpus adds."""
        keys = [
            key for text in texts for key in {_line_key(line) for line in paragraphs(text) if len(line) <= max_chars}
        ]
        return np.array(keys, dtype=np.uint64)

    @classmethod
    def from_line_keys(cls, parts: Iterable[np.ndarray], *, max_chars: int, min_documents: int) -> RecurringLines:
        """The lines whose keys come from at least `min_documents` documents, given `line_keys` of every part
        of the corpus. Counted as sorted arrays of (key, documents): 16 bytes per distinct short line of the
        corpus, where a Counter took about 100."""
        keys, documents = np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
        gathered: list[np.ndarray] = []
        for part in parts:
            gathered.append(part)
            if sum(map(len, gathered)) >= KEYS_PER_MERGE:
                keys, documents = _merge_counts(keys, documents, gathered)
                gathered = []
        keys, documents = _merge_counts(keys, documents, gathered)
        return cls(frozenset(keys[documents >= min_documents].tolist()), max_chars)

    def is_recurring(self, line: str) -> bool:
        return len(line) <= self.max_chars and _line_key(line) in self.keys and not recurs_by_design(line)
