"""HTML pages: decode with the page's declared charset, extract the article and its metadata.

A scraped page is read in three steps. The bytes are decoded with the charset the page declares (a
CleanEval-style `<text encoding=…>` wrapper, then `<meta charset>` or `http-equiv`), as browsers read
that label, when the declaration is consistent with the bytes; otherwise with the same detection as
plain text. The main content is then extracted with trafilatura, the page's title, author, date,
URL and site name going to the document's title and meta. The text is handed on as the extractor
gives it, one paragraph per line: hard line wraps, entities and web chrome are for repair and clean.
"""

from __future__ import annotations

import codecs
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import lxml.etree
import lxml.html
import readability
import trafilatura

from toolkit.document import Document
from toolkit.ingest.encoding import MAX_INVALID_UTF8, MIN_PLAUSIBILITY, Decoded, DecodeError, decode_bytes, plausibility

__all__ = [
    "Article",
    "declared_charsets",
    "decode_html",
    "extract_article",
    "find_author",
    "find_editor",
    "find_published",
    "html_document",
    "read_html",
    "readability_text",
    "rendered_lines",
    "table_cells_as_lines",
    "trafilatura_extraction",
    "unwrap",
]

# Where a page's charset declarations are looked for: the wrapper and the <head> of most pages.
DECLARATION_BYTES = 16384
_WRAPPER = re.compile(r"^\s*<text\b([^>]*)>(.*?)(?:</text>\s*)?$", re.IGNORECASE | re.DOTALL)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_META_CHARSET = re.compile(r"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # an invalid byte, as errors="surrogateescape" keeps it
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

# What browsers decode a label as (WHATWG Encoding Standard): legacy labels name their superset.
BROWSER_DECODERS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb_2312-80": "gb18030",
    "chinese": "gb18030",
    "csgb2312": "gb18030",
    "big5": "cp950",
    "x-x-big5": "cp950",
    "cn-big5": "cp950",
    "big5-hkscs": "big5hkscs",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "shift_jis": "cp932",
    "sjis": "cp932",
    "tis-620": "cp874",
    "iso-8859-9": "cp1254",
}


def _attributes(tag_inside: str) -> dict[str, str]:
    found = {}
    for match in _ATTRIBUTE.finditer(tag_inside):
        value = match.group(2) if match.group(2) is not None else match.group(3) or match.group(4) or ""
        found[match.group(1).lower()] = value
    return found


def unwrap(page: str) -> tuple[str, dict[str, str]]:
    """The page inside a CleanEval-style `<text id=URL title=… encoding=…>` wrapper, and the wrapper's
    attributes; a page without one is returned as it is.

    >>> unwrap('<text id="http://a.cn/1" title="标题" encoding="gb2312">\\n<html>…</html>\\n</text>\\n')
    ('\\n<html>…</html>\\n', {'id': 'http://a.cn/1', 'title': '标题', 'encoding': 'gb2312'})
    >>> unwrap("<html></html>")
    ('<html></html>', {})
    """
    if wrapper := _WRAPPER.match(page):
        return wrapper.group(2), _attributes(wrapper.group(1))
    return page, {}


def declared_charsets(data: bytes) -> list[str]:
    """The charset labels a page declares, in order of trust: the crawler's wrapper, then the page.

    >>> declared_charsets(b'<text id="http://a.cn/1" encoding="gb2312"><meta charset="utf-8">')
    ['gb2312', 'utf-8']
    >>> declared_charsets(b'<meta http-equiv="Content-Type" content="text/html; charset=GBK">')
    ['gbk']
    """
    head = data[:DECLARATION_BYTES].decode("latin-1")  # labels are ASCII in any charset
    labels = [unwrap(head)[1].get("encoding", "")]
    labels += [match.group(1) for match in _META_CHARSET.finditer(head)]
    return list(dict.fromkeys(label.strip().lower() for label in labels if label.strip()))


def browser_decoder(label: str) -> str | None:
    """The Python codec a browser would decode `label` with; None for a label no codec knows.

    >>> browser_decoder("GB2312"), browser_decoder("utf8"), browser_decoder("unset")
    ('gb18030', 'utf-8', None)
    """
    label = label.strip().lower()
    if label in BROWSER_DECODERS:
        return BROWSER_DECODERS[label]
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_as_declared(data: bytes, label: str) -> Decoded | None:
    """`data` decoded as the page declares, or None when the declaration does not fit the bytes.

    A declaration fits when at most a few bytes are invalid in it (pages cut in the middle of a
    character are common) and the non-ASCII text it gives is plausible: markup is ASCII in any
    charset, so only the rest tells a right decode from a wrong one.

    >>> page = "<p>黄河流域生态保护</p>".encode("gb2312")
    >>> decode_as_declared(page, "gb2312")
    Decoded(text='<p>黄河流域生态保护</p>', encoding='gb18030', replaced=0)
    >>> decode_as_declared("<p>黄河流域生态保护</p>".encode("utf-8"), "gb2312") is None
    True
    """
    codec = browser_decoder(label)
    if codec is None or codec.startswith(("utf-16", "utf-32")):  # a BOM, not a <meta>, declares those
        return None
    try:
        text = data.decode(codec, errors="surrogateescape")
    except (LookupError, UnicodeDecodeError):  # a codec without byte-level error handling
        return None
    text, invalid = _ESCAPED_BYTE.subn("\ufffd", text)
    if invalid > len(data) * MAX_INVALID_UTF8:
        return None
    beyond_ascii = "".join(ch for ch in text if ord(ch) > 127)
    if beyond_ascii and plausibility(beyond_ascii) < MIN_PLAUSIBILITY:
        return None
    return Decoded(text.replace("\r\n", "\n").replace("\r", "\n"), codec, replaced=invalid)


def decode_html(data: bytes, http_charset: str | None = None) -> Decoded:
    """Decode a page: a byte-order mark, else the first declared charset that fits (the HTTP header's,
    when the page came with one, then the page's own), else detection.

    >>> decode_html('<meta charset="gb2312"><p>黄河</p>'.encode("gb18030")).encoding
    'gb18030'
    >>> decode_html('<meta charset="gb2312"><p>黄河</p>'.encode("utf-8")).encoding  # a wrong declaration
    'utf-8'
    >>> decode_html('<p>黃河流域</p>'.encode("big5"), http_charset="big5").encoding
    'cp950'
    """
    if not data.startswith(_BOMS):
        for label in [*filter(None, [http_charset]), *declared_charsets(data)]:
            if (decoded := decode_as_declared(data, label)) is not None:
                return decoded
    return decode_bytes(data)


# ---------------------------------------------------------------- bad pages


def truncated_markup(page: str) -> bool:
    """True when the page stops inside a tag, a comment or a script: the download was cut off.

    >>> truncated_markup("<html><body><p>黄河</p></body></html>")
    False
    >>> truncated_markup("<html><body><p>黄河</p><a href=\\"http://a.cn/")
    True
    >>> truncated_markup("<p>黄河</p><script>var a = 1;")
    True
    """
    tail = page.rstrip()
    lower = tail.lower()
    return (
        tail.rfind("<") > tail.rfind(">")
        or lower.rfind("<!--") > lower.rfind("-->")
        or lower.rfind("<script") > lower.rfind("</script")
    )


# ---------------------------------------------------------------- text of markup

# Elements that start a new line when rendered, and elements whose content is never shown.
_BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "center", "dd", "div", "dl", "dt", "figcaption"),
        *("figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav"),
        *("ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"),
    }
)
_HIDDEN_TAGS = ("script", "style", "noscript", "template", "head", "iframe", "object", "select")
_SPACES = re.compile(r"[ \t\n\r\f\v]+")  # HTML collapses ASCII white space; U+3000 indentation is text


def rendered_lines(element: lxml.html.HtmlElement) -> list[str]:
    """The visible text of `element`, one line per block, white space collapsed as a browser does.

    >>> markup = "<div><h1>标题</h1><p>第一段\\n接着<br>第二行</p><script>x()</script></div>"
    >>> rendered_lines(lxml.html.fromstring(markup))
    ['标题', '第一段 接着', '第二行']
    """
    parts: list[str] = []
    walker = lxml.etree.iterwalk(element, events=("start", "end"))
    for event, node in walker:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if event == "start":
            if not tag or tag in _HIDDEN_TAGS:  # comments, processing instructions, scripts
                walker.skip_subtree()
                continue
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            parts.append(_SPACES.sub(" ", node.text or ""))
        else:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if node is not element:
                parts.append(_SPACES.sub(" ", node.tail or ""))
    lines = (line.strip(" ") for line in "".join(parts).split("\n"))
    return [line for line in lines if line]


def parse_page(page: str) -> lxml.html.HtmlElement | None:
    """The page's element tree; None when there is no markup to parse."""
    try:
        return lxml.html.document_fromstring(page)
    except (lxml.etree.ParserError, ValueError):  # empty document, or an encoding declaration in a str
        try:
            return lxml.html.document_fromstring(page.encode("utf-8"), parser=_UTF8_PARSER)
        except (lxml.etree.ParserError, ValueError):
            return None


_UTF8_PARSER = lxml.html.HTMLParser(encoding="utf-8")


# ---------------------------------------------------------------- the article

# Readability's pick is kept unless it is under this share of trafilatura's text: then it took a side
# block (a signature, a teaser). Measured on web-pages-zh: F1 0.93, against 0.89 and 0.86 for either alone.
SIDE_BLOCK_SHARE = 1 / 3
MAX_LINK_SHARE = 0.5  # a candidate whose text is mostly link text is navigation, not an article


@dataclass(frozen=True)
class Article:
    """What a page holds: its main text, one paragraph per line, and the facts about it."""

    text: str
    title: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # url, author, published, outlet


def _visible_length(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def readability_text(page: str) -> str:
    """The main content as Readability (readability-lxml) finds it; empty when it is mostly links."""
    try:
        summary = readability.Document(page).summary(html_partial=True)
    except (readability.readability.Unparseable, ValueError, TypeError):
        return ""
    tree = parse_page(summary)
    if tree is None:
        return ""
    text = "\n".join(rendered_lines(tree))
    links = sum(_visible_length(link.text_content()) for link in tree.iter("a"))
    return "" if links > MAX_LINK_SHARE * _visible_length(text) else text


def trafilatura_extraction(page: str, url: str | None = None) -> dict[str, Any]:
    """trafilatura's main text and metadata (keys `text`, `title`, `author`, `date`, `url`, `sitename`);
    empty when it finds nothing."""
    found = trafilatura.bare_extraction(
        page,
        url=url,
        with_metadata=True,
        favor_precision=True,  # measured: F1 0.87 against 0.84 by default on web-pages-zh
        include_comments=False,  # reader comments are not the article
    )
    if found is None:
        return {}
    return found if isinstance(found, dict) else found.as_dict()


_CELL_SEPARATOR = re.compile(r"(?<!\\)\|")  # an escaped `\|` is a bar inside a cell
_RULE_CELL = re.compile(r"[\s:-]*")  # a Markdown table's header rule: `| --- | :---: |`


def table_cells_as_lines(text: str) -> str:
    r"""trafilatura's text with each table row (`| cell | cell |`) given as one line per non-empty cell,
    as the page renders them: old sites lay whole pages out in tables, and a row is not a paragraph.

    >>> print(table_cells_as_lines("| 眉间尺   | 不得不承认，… |\n|  | ← 返回 |\n| --- | --- |\n| a \\| b |"))
    眉间尺
    不得不承认，…
    ← 返回
    a | b
    """
    lines = []
    for line in text.split("\n"):
        if not (line.strip().startswith("|") and line.strip().endswith("|")):
            lines.append(line)
            continue
        cells = (cell.strip().replace("\\|", "|") for cell in _CELL_SEPARATOR.split(line.strip()))
        lines += [cell for cell in cells if not _RULE_CELL.fullmatch(cell)]
    return "\n".join(lines)


_TIMESTAMP_LINE = re.compile(r"\s*(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?\s*")


def titled_post(text: str, title: str | None) -> str:
    r"""From a page listing several posts, each a headline over a timestamp line (a blog's page), the post
    whose headline is the page's title; any other text as it is.

    >>> posts = "首页 | 博客\n湘菜 (图)\n2005-06-14 03:25:55\n湘菜浓妆淡抹。\n累了\n2005-06-13 15:00:14\n我累了。"
    >>> titled_post(posts, "湘菜 (图)")
    '湘菜 (图)\n2005-06-14 03:25:55\n湘菜浓妆淡抹。'
    >>> titled_post(posts, "文学城") == posts
    True
    """
    lines = text.split("\n")
    headlines = [i for i in range(len(lines) - 1) if _TIMESTAMP_LINE.fullmatch(lines[i + 1])]
    wanted = "".join((title or "").split())
    for number, start in enumerate(headlines if len(headlines) > 1 else []):
        headline = "".join(lines[start].split())
        if len(headline) >= MIN_TITLE_CHARS and headline in wanted:
            end = headlines[number + 1] if number + 1 < len(headlines) else len(lines)
            return "\n".join(lines[start:end])
    return text


MIN_TITLE_CHARS = 4  # a shorter headline is found in too many titles


def extract_article(page: str, page_lines: list[str], url: str | None = None) -> Article:
    """The article of a page, with the metadata trafilatura and the byline patterns find.

    The text is Readability's main block unless that is much shorter than trafilatura's (see
    SIDE_BLOCK_SHARE); of a page of posts, the one the title names. Author and date come from the byline
    lines around the article in `page_lines` (the page's visible lines), else from trafilatura; title, URL
    and site name from trafilatura.
    """
    found = trafilatura_extraction(page, url)
    text = readability_text(page)
    if _visible_length(text) < SIDE_BLOCK_SHARE * _visible_length(found.get("text") or ""):
        text = table_cells_as_lines(found["text"])
    text = titled_post(text, found.get("title"))
    zone = byline_zone(page_lines, text)
    meta = {
        "url": url or found.get("url"),
        # not trafilatura's author: it comes from <meta> tags that Chinese sites fill with their own name
        "author": find_author(zone, found.get("title")),
        "editor": find_editor([*zone.before, *zone.after]),
        "published": (
            find_published(zone.before)
            or first_timed_date(zone.article)  # a forum's first post
            or find_published(zone.after)
            or found.get("date")
        ),
        "outlet": found.get("sitename"),
    }
    return Article(
        text=text.strip(), title=found.get("title"), meta={key: value for key, value in meta.items() if value}
    )


# ---------------------------------------------------------------- bylines and dates near the headline

_HAN_CHAR = "\u4e00-\u9fff"
_TO_ASCII_DIGITS = str.maketrans("０１２３４５６７８９：", "0123456789:")  # some pages print dates in full width
# A date as pages print it: 2005-06-01, 2005/6/1, 2005.06.01, 2005年6月1日, optionally with a time of day
# (`2005年03月31日03:18`, `2005年08月30日, 星期二 13:22`).
_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*(?:日|(?!\d))|[-/.](\d{1,2})[-/.](\d{1,2})(?!\d))"
    r"(?:[\s,，]*(?:星期.)?\s*(\d{1,2})[:：]\d{2})?"
)
# A date with the year last (`9/17/2004 5:54:13 AM`, `06/02/2022 - 13:48`): the day comes first except in
# the US order, told by a 12-hour clock or by a second number over 12.
_YEAR_LAST_DATE = re.compile(
    r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?![\d/])(?:[\s-]+(\d{1,2}):\d{2}(?::\d{2})?(\s*[AaPp][Mm])?)?"
)
# Labels a byline opens with, not inside a word (`纯属作者个人观点`, `撰文指出` are prose), then a separator.
_AUTHOR_LABEL = re.compile(
    rf"(?<![{_HAN_CHAR}])(?:作\s*者|执\s*笔\s*人?|撰\s*稿|撰\s*文|发\s*表\s*人|发\s*布\s*人|发\s*帖\s*人|楼\s*主|署\s*名|"
    r"发文机关|文\s*(?=[/／:：])|^[Pp]osted\s+by|^[Ww]ritten\s+by)(?:\s*[:：】\]/／]\s*|\s+)"
)
_REPORTER_LABEL = re.compile(r"(?:记\s*者|实习生|通讯员)(?P<separator>\s*[:：]?\s*)")
_EDITOR_LABEL = re.compile(r"(?:责任编辑|编\s*辑)\s*[:：]\s*")
_NAME_SEPARATORS = re.compile(r"[\s、，,;；|]+")
# A name or a handle: up to 8 Han characters (a longer run is a sentence), or a Latin handle, ending where
# a separator or the line does.
_NAME = re.compile(rf"[{_HAN_CHAR}·&]{{2,8}}(?![{_HAN_CHAR}])|[A-Za-z][\w&.\-]{{1,19}}(?=[\s、，,;；|（(:：]|$)")
# A reporter's name: two to four Han characters, before a space or what follows a name in a credit line
# (`本报记者罗科苏盈发自北京`, `记者马俊峰/文`).
_HAN_NAME = re.compile(rf"[{_HAN_CHAR}·]{{2,4}}?(?=发自|报道|摄|/|[\s、，,）)\]】]|$)")
_REPORT_PLACE = re.compile(r"\s+\S{2,8}报道$")  # `新京报记者 彭冲 山东冠县报道`: a place, not a name
# A name written in the original script after its transliteration: `周思博 (Joel Spolsky)`.
_ORIGINAL_NAME = re.compile(r"\s*[（(]([A-Za-z][A-Za-z .\-]{1,40})[）)]")
# A two-character name padded to the width of three (`赵 培`, `傅　谨`).
_PADDED_NAME = re.compile(rf"(?<![{_HAN_CHAR}])([{_HAN_CHAR}])[ \u3000]+([{_HAN_CHAR}])(?![{_HAN_CHAR}])")
# Posters of blog and forum posts: `X 发表于 …`, `由X于…发表`, `由X张贴`, `… 22:11:42 by X`, `X写于2005年…`.
_POSTER = re.compile(
    r"(?:^|\s)(?P<before_posted>[\w&·.\-]{2,20})\s+发表于"
    r"|由(?P<posted_by>[\w&·.\-]{2,20}?)(?:于\s*\d|\s*张贴)"
    r"|\d{1,2}:\d{2}(?::\d{2})?\s+by\s+(?P<after_time>[\w&·.\-]{2,20})"
    rf"|^(?P<signed>[{_HAN_CHAR}\w&·]{{2,12}}?)写于\s*(?:19|20)\d{{2}}"
)
# A name in brackets after a timestamp, as portals print their byline: `2004年7月16日08:19 [ 黄宇 ] 来源：…`.
_DATED_CREDIT = re.compile(
    rf"(?:\d{{1,2}}[:：]\d{{2}}(?::\d{{2}})?|\d日)\s*[\[【]\s*([{_HAN_CHAR}·]{{2,4}}(?:\s+[{_HAN_CHAR}·]{{2,4}})*)\s*[\]】]"
)
# A credit in brackets closing an article: `（袁源）`, `（姚峰 上海报道）`, `（记者 胡晓蓉）`.
_CLOSING_CREDIT = re.compile(
    rf"[（(]\s*(?:(?:本报|本刊)?(?:记者|通讯员|实习生)\s*)?([{_HAN_CHAR}·]{{2,4}}(?:[\s、]+[{_HAN_CHAR}·]{{2,4}})*?)"
    rf"(?:\s+[{_HAN_CHAR}]{{2,8}}报道)?\s*[）)]\s*$"
)
# `来源：X` naming a person, as some portals credit the writer (an outlet ends in 报, 网, 社, …: not a name).
_SOURCE_CREDIT = re.compile(rf"(?:^|\s)来\s*源\s*[:：]\s*([{_HAN_CHAR}]{{2,3}})(?=\s|$)")
# A headline: a short line that is not a sentence, a field or a menu.
_HEADLINE = re.compile(r"[^:：|｜>»。！？!?]{5,40}(?<![。！？!?])")
_NAME_LIST = re.compile(rf"[{_HAN_CHAR}·]{{2,4}}(?:[\s、]+[{_HAN_CHAR}·]{{2,4}})*")
# The most common family names (over 85% of people in China), in simplified and traditional script: a name
# that stands without a label must start with one, or a heading (`（待续）`, `来源：网络`) would pass for it.
COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
    "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝诸"
    "張劉陳楊黃趙吳孫馬許鄭謝韓馮鄧蕭葉蘇呂盧鍾譚陸錢賴龔顧嚴湯萬聶詹魯閻賈蔣鄒鄔"
)
# Words that follow a byline on the same line and end it (`作者：X 时间：…`), or stand alone above an
# article without being a name (`导读`); closing marks in brackets (`（待续）`).
_NOT_NAMES = frozenset(
    {
        *("时间", "日期", "来源", "出处", "发表于", "发表", "发布", "更新", "编辑", "责任编辑", "点击", "阅读"),
        *("浏览", "字号", "本文", "原创", "简介", "联系", "本人", "其他", "文章", "正文", "摘要", "导读", "内容"),
        *("关注", "评论", "分享", "返回", "首页", "全文", "图片", "视频", "编者按", "前言", "引言", "目录", "更多"),
        *("全文完", "未完待续", "待续", "完"),
    }
)
_ORGANISATION_ENDINGS = tuple("报网社台刊站部局厅委会院所办处司")
BYLINE_LINES = 20  # lines above the article (and below it, for blogs) where bylines and dates stand
EDGE_PARAGRAPHS = 4  # the article's first and last paragraphs, where credit lines stand too
NAME_LINE_DISTANCE = 2  # a name alone on a line stands by the headline: just above or below it
MAX_CREDIT_LINE_CHARS = 40  # a longer line is prose, where `记者` is a word: only its brackets can hold credits
_BRACKETED = re.compile(r"[（(]([^（）()]{2,40})[）)]")


@dataclass(frozen=True)
class BylineZone:
    """The page lines around an article where its bylines and dates stand."""

    above: list[str]  # nearest first
    article: list[str]  # its paragraphs
    below: list[str]  # nearest first

    @property
    def head(self) -> list[str]:
        return self.article[:EDGE_PARAGRAPHS]

    @property
    def tail(self) -> list[str]:
        return self.article[-EDGE_PARAGRAPHS:]

    @property
    def before(self) -> list[str]:
        return [*self.above, *self.head]

    @property
    def after(self) -> list[str]:
        return [*self.tail, *self.below]

    @property
    def opening(self) -> list[str]:
        """The lines by the headline, in page order: the two above the article, its first two."""
        return [*self.above[:NAME_LINE_DISTANCE][::-1], *self.head[:NAME_LINE_DISTANCE]]

    @property
    def closing(self) -> list[str]:
        """The article's last paragraphs and the lines just below it."""
        return [*self.tail, *self.below[:NAME_LINE_DISTANCE]]


def _names_after(label: re.Pattern[str], line: str, name: re.Pattern[str]) -> list[str]:
    """The names after the first match of `label` in `line` that is followed by any."""
    return next((names for match in label.finditer(line) if (names := _names_in(line[match.end() :], name))), [])


def _names_in(rest: str, name: re.Pattern[str]) -> list[str]:
    """The names `rest` opens with, up to the first word that is not one."""
    names: list[str] = []
    rest = _PADDED_NAME.sub(r"\1\2", rest)
    while found := name.match(rest):
        token = found.group()
        # a later word before `：` is the next field's label (`作者：流泉 访问统计：…`)
        is_label = bool(names) and rest[found.end() : found.end() + 1] in (":", "：")
        if is_label or token in _NOT_NAMES or any(ch.isdigit() for ch in token):
            break
        end = found.end()
        if original := _ORIGINAL_NAME.match(rest, end):
            token, end = f"{token} ({original.group(1)})", original.end()
        names.append(token)
        separator = _NAME_SEPARATORS.match(rest, end)
        if separator is None:
            break
        rest = rest[separator.end() :]
    return names


def is_personal_name(text: str) -> bool:
    """True for two to four Han characters that begin with a common family name.

    >>> is_personal_name("李建忠"), is_personal_name("待续"), is_personal_name("人民日报")
    (True, False, False)
    """
    return (
        bool(re.fullmatch(rf"[{_HAN_CHAR}]{{2,4}}", text))
        and text[0] in COMMON_SURNAMES
        and text not in _NOT_NAMES
        and not text.endswith(_ORGANISATION_ENDINGS)
    )


def labelled_author(lines: list[str]) -> str | None:
    """The names after a byline label (`作者：X`, `文/X`, `posted by X`, `发文机关：X`).

    >>> labelled_author(["主题：导游", "作者：芊草凡凡 时间：2005-08-22 19:13:18"])
    '芊草凡凡'
    >>> labelled_author(["作者:  赵 培：北京物资学院"]), labelled_author(["作者： 周思博 (Joel Spolsky)"])
    ('赵培', '周思博 (Joel Spolsky)')
    >>> labelled_author(["任何言论纯属作者个人观点", "作者： size=\\"20\\"", "作者： 流泉 访问统计：2005年"])
    '流泉'
    >>> labelled_author(["Copyright. Messages posted by other users are theirs."]) is None
    True
    """
    for line in lines:
        if names := _names_after(_AUTHOR_LABEL, line, _NAME):
            return " ".join(names)
    return None


def reporters(lines: list[str]) -> str | None:
    """The reporters credited in `lines` (`记者 X Y`, `本报实习生 X`, `…（记者 X）`), in order. A name
    written onto its label (`本报记者罗科苏盈`) must begin with a family name (`小记者训练营` is no credit).

    >>> reporters(["新华网黑龙江频道  记者  伊琳  李清芬", "本报记者罗科苏盈发自北京"])
    '伊琳 李清芬 罗科苏盈'
    >>> reporters(["新京报记者 彭冲 山东冠县报道", "据新华社拉萨电（记者 格桑边觉）记者近日从西藏自治区农业厅了解到。"])
    '彭冲 格桑边觉'
    >>> reporters(["记者一眼就注意到墙上一幅巨大的规划图", "记者调查 民意调查", "小记者训练营"]) is None
    True
    """
    credited = [name for line in lines for credit in _credit_spans(line) for name in _reporter_names(credit)]
    return " ".join(dict.fromkeys(credited)) or None


def _credit_spans(line: str) -> list[str]:
    line = line.strip()
    return [line] if len(line) <= MAX_CREDIT_LINE_CHARS else _BRACKETED.findall(line)


def _reporter_names(credit: str) -> list[str]:
    credit = _REPORT_PLACE.sub("", credit.strip())
    for label in _REPORTER_LABEL.finditer(credit):
        names = _names_in(credit[label.end() :], _HAN_NAME)
        if names and (label.group("separator") or names[0][0] in COMMON_SURNAMES):
            return names
    return []


def dated_credit(lines: list[str]) -> str | None:
    """A name in brackets after a timestamp: `2004年7月16日08:19 [ 黄宇 ] 来源：[ 国际金融报 ]`.

    >>> dated_credit(["BUSINESS.SOHU.COM　2004年7月16日08:19 [ 黄宇 ] 来源：[ 国际金融报 ]"])
    '黄宇'
    """
    return next((found.group(1) for line in lines if (found := _DATED_CREDIT.search(line))), None)


def poster(lines: list[str]) -> str | None:
    """The poster of a blog or forum post.

    >>> poster(["ggjjzhzz 发表于 2005-9-15 11:46:00"]), poster(["本贴由大卫于2005年8月12日16:12:21在〖论坛〗发表."])
    ('ggjjzhzz', '大卫')
    >>> poster(["由海姑娘张贴 @ 2005-03-15 16:47:37"]), poster(["〓 发布时间 2005/03/15 22:36:13 by duscha 〓"])
    ('海姑娘', 'duscha')
    >>> poster(["海姑娘写于2005年3月16日"])
    '海姑娘'
    """
    for line in lines:
        if found := _POSTER.search(line.strip()):
            return next(name for name in found.groups() if name)
    return None


def source_credit(lines: list[str]) -> str | None:
    """A person named as the source, as some portals credit the writer: `来源: 尹娟` (not `来源：新华网`).

    >>> source_credit(["　　来源: 尹娟"]), source_credit(["来源：新华网", "来源：网络"])
    ('尹娟', None)
    """
    return next(
        (
            found.group(1)
            for line in lines
            if (found := _SOURCE_CREDIT.search(line)) and is_personal_name(found.group(1))
        ),
        None,
    )


def closing_credit(lines: list[str]) -> str | None:
    """Names in brackets ending a line, as news articles close: `（袁源）`, `…过廉洁之年。（常书香 马丹阳 ）`.

    >>> closing_credit(["（袁源）"]), closing_credit(["…吗？”（姚峰 上海报道）"]), closing_credit(["（常书香 马丹阳）"])
    ('袁源', '姚峰', '常书香 马丹阳')
    >>> closing_credit(["犬儒病（待续）"]), closing_credit(["…（人民日报）"])
    (None, None)
    """
    for line in lines:
        if found := _CLOSING_CREDIT.search(line):
            names = _NAME_SEPARATORS.split(found.group(1).strip())
            if all(is_personal_name(name) for name in names):
                return " ".join(names)
    return None


def standalone_name(lines: list[str]) -> str | None:
    """A line holding only personal names right under a headline (`胡平` under `犬儒病(上)`); `lines`
    in page order.

    >>> standalone_name(["犬儒病(上)", "胡平", "当今流行什么？"]), standalone_name(["社会资本与就业", "赵延东、张文"])
    ('胡平', '赵延东 张文')
    >>> standalone_name(["最新评论", "查看评论", "发表评论"]) is None
    True
    """
    for above, line in itertools.pairwise(line.strip() for line in lines):
        if _NAME_LIST.fullmatch(line) and _HEADLINE.fullmatch(above):
            names = _NAME_SEPARATORS.split(line)
            if all(is_personal_name(name) for name in names):
                return " ".join(names)
    return None


def find_author(zone: BylineZone, title: str | None = None) -> str | None:
    """The author the lines around the article name, several names joined by a space.

    The lines before the article are read first, then the first post's poster (a forum's posts are one
    article), then the lines after it (a blog's poster, an article's closing credit); explicit credits
    first, then weaker evidence. A page title that is only a personal name is a personal page's owner.
    """
    return (
        _credited(zone.before)
        or standalone_name(zone.opening)
        or poster(zone.article)
        or _credited(zone.after)
        or closing_credit(zone.closing)
        or reporters(zone.article)
        or source_credit(zone.after)
        or (title if title and is_personal_name(title) else None)
    )


def _credited(lines: list[str]) -> str | None:
    return labelled_author(lines) or reporters(lines) or dated_credit(lines) or poster(lines)


def find_editor(lines: list[str]) -> str | None:
    """The editor a credit line names (`责任编辑：X`, `编辑：X`).

    >>> find_editor(["来源：巴彦淖尔日报    编辑：苏亮"])
    '苏亮'
    """
    for line in lines:
        if names := _names_after(_EDITOR_LABEL, line, _NAME):
            return " ".join(names)
    return None


def _iso_day(year: str, month: str, day: str) -> str | None:
    if 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return None


def dates_in(line: str) -> list[tuple[str, bool]]:
    """The full dates in a line as ISO days, each with whether a time of day follows it.

    >>> dates_in("http://house.sina.com.cn 2005年03月31日03:18 北京娱乐信报")
    [('2005-03-31', True)]
    >>> dates_in("发布日期： 9/17/2004 5:54:13 AM"), dates_in("发表时间： 06/02/2022 - 13:48"), dates_in("1/2/2005")
    ([('2004-09-17', True)], [('2022-02-06', True)], [('2005-02-01', False)])
    >>> dates_in("２００５年１月２日"), dates_in("第2005-13-40期")
    ([('2005-01-02', False)], [])
    """
    line = line.translate(_TO_ASCII_DIGITS)
    found = []
    for match in _DATE.finditer(line):
        month, day = match.group(2) or match.group(4), match.group(3) or match.group(5)
        if iso := _iso_day(match.group(1), month, day):
            found.append((iso, match.group(6) is not None))
    for match in _YEAR_LAST_DATE.finditer(line):
        first, second = int(match.group(1)), int(match.group(2))
        us_order = bool(match.group(5)) or second > 12 >= first
        month, day = (match.group(1), match.group(2)) if us_order else (match.group(2), match.group(1))
        if iso := _iso_day(match.group(3), month, day):
            found.append((iso, match.group(4) is not None))
    return found


def find_published(lines: list[str]) -> str | None:
    """The first full date in `lines`, one with a time of day preferred.

    >>> find_published(["BUSINESS.SOHU.COM　2005年3月11日12:12 来源：[ 人民网 ]"])
    '2005-03-11'
    >>> find_published(["上一篇 2005-06-01", "发表于 2005-5-7 21:23:57"])
    '2005-05-07'
    >>> find_published(["第2005-13-40期"]) is None
    True
    """
    dates = [found for line in lines for found in dates_in(line)]
    return first_timed_date(lines) or (dates[0][0] if dates else None)


def first_timed_date(lines: list[str]) -> str | None:
    """The first date in `lines` with a time of day: a post's timestamp, not a date in its text.

    >>> first_timed_date(["会议于2004年12月11日召开。", "〓 发布时间 2005/05/17 22:11:42 by 眉间尺 〓"])
    '2005-05-17'
    """
    return next((day for line in lines for day, has_time in dates_in(line) if has_time), None)


_LONE_LABEL = re.compile(rf"[{_HAN_CHAR}\s]{{2,12}}[:：]")


def join_lone_labels(lines: list[str]) -> list[str]:
    """Lines with a field label alone (a table cell) joined to the value on the next line.

    >>> join_lone_labels(["发文机关：", "吉林省人民政府", "正文。"])
    ['发文机关：吉林省人民政府', '正文。']
    """
    joined: list[str] = []
    for line in lines:
        if joined and _LONE_LABEL.fullmatch(joined[-1].strip()):
            joined[-1] = joined[-1].strip() + line.strip()
        else:
            joined.append(line)
    return joined


def _line_of(squeezed: list[str], paragraph: str, order: range) -> int | None:
    """Where `paragraph` stands among the page's lines (white space removed): the first line in `order`
    that is the paragraph, else the first that holds its first (and last) characters."""
    whole = "".join(paragraph.split())
    if not whole:
        return None
    exact = next((i for i in order if squeezed[i] == whole), None)
    if exact is not None:
        return exact
    return next((i for i in order if whole[:20] in squeezed[i] or whole[-20:] in squeezed[i]), None)


def byline_zone(page_lines: list[str], article: str) -> BylineZone:
    """The page lines nearest the article: those above it, the article's own first and last lines, and
    those below it.

    >>> lines = ["首页", "标题", "作者：", "甲", "第一段", "第二段", "发表于 2005-1-2", "版权"]
    >>> zone = byline_zone(lines, "第一段\\n第二段")
    >>> zone.above, zone.article, zone.below
    (['作者：甲', '标题', '首页'], ['第一段', '第二段'], ['发表于 2005-1-2', '版权'])
    """
    paragraphs = [line for line in article.split("\n") if line.strip()]
    if not paragraphs:
        return BylineZone([], [], [])
    page_lines = join_lone_labels(page_lines)
    squeezed = ["".join(line.split()) for line in page_lines]
    start = _line_of(squeezed, paragraphs[0], range(len(squeezed)))
    end = _line_of(squeezed, paragraphs[-1], range(len(squeezed) - 1, -1, -1))
    above = page_lines[max(0, start - BYLINE_LINES) : start][::-1] if start is not None else []
    below = page_lines[end + 1 : end + 1 + BYLINE_LINES] if end is not None else []
    return BylineZone(above, paragraphs, below)


# ---------------------------------------------------------------- the reader


def read_html(data: bytes, source: str, text_field: str = "text") -> Iterator[Document]:
    """One document per page file (see `html_document`).
    `text_field` is the readers' common signature; a page has no fields."""
    yield html_document(data, source)


def html_document(
    data: bytes, source: str, *, part: int = 0, url: str | None = None, http_charset: str | None = None
) -> Document:
    """The document of one page: its article, title and metadata. A page that cannot be decoded or
    parsed, is cut off, shows no text or only navigation is a reject with that reason. `url` and
    `http_charset` are what a crawl recorded with the page, when it did (a WARC record's target URI
    and HTTP Content-Type)."""
    try:
        decoded = decode_html(data, http_charset)
    except DecodeError as error:
        meta = {"bytes": len(data), "error": str(error)}
        return Document(text="", source=source, part=part, meta=meta).reject(error.reason)
    page, wrapper = unwrap(decoded.text)
    title = wrapper.get("title") or None
    doc = Document(text="", source=source, part=part, encoding=decoded.encoding, title=title)
    if decoded.replaced:
        doc.meta["invalid_bytes"] = decoded.replaced
        doc.count_repair("invalid-bytes-replaced", decoded.replaced)
    tree = parse_page(page)
    page_lines = rendered_lines(tree.body) if tree is not None else []
    doc.text = "\n".join(page_lines)  # what a reject shows; an article replaces it
    if truncated_markup(page):
        return doc.reject("truncated-html")
    if not page_lines:
        return doc.reject("empty-page")
    article = extract_article(page, page_lines, url=url or wrapper.get("id") or None)
    if not article.text:
        return doc.reject("no-article")
    doc.text, doc.title = article.text, article.title or doc.title
    doc.meta.update(article.meta)
    return doc
