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
    >>> rendered_lines(lxml.html.fromstring("<p>14:25 <!--author-->作者：赵婕<!--author--> 出自</p>"))
    ['14:25 作者：赵婕 出自']
    """
    parts: list[str] = []
    walker = lxml.etree.iterwalk(element, events=("start", "end", "comment", "pi"))
    for event, node in walker:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if event in ("comment", "pi"):  # not shown, but the text after it is (templates mark fields so)
            if node is not element:
                parts.append(_SPACES.sub(" ", node.tail or ""))
            continue
        if event == "start":
            if not tag or tag in _HIDDEN_TAGS:  # entities, scripts, styles
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


def extract_article(
    page: str, page_lines: list[str], url: str | None = None, tree: lxml.html.HtmlElement | None = None
) -> Article:
    """The article of a page, with the metadata trafilatura and the byline patterns find.

    The text is Readability's main block unless that is much shorter than trafilatura's (see
    SIDE_BLOCK_SHARE); of a page of posts, the one the title names. Author and date come from the byline
    lines around the article in `page_lines` (the page's visible lines), else from the page's markup
    (`tree`, parsed from `page` when not given) and trafilatura; title, URL and site name from trafilatura.
    """
    found = trafilatura_extraction(page, url)
    text = readability_text(page)
    if _visible_length(text) < SIDE_BLOCK_SHARE * _visible_length(found.get("text") or ""):
        text = table_cells_as_lines(found["text"])
    text = titled_post(text, found.get("title"))
    zone = byline_zone(page_lines, text)
    tree = parse_page(page) if tree is None else tree
    meta = {
        "url": url or found.get("url"),
        # not trafilatura's author: it takes <meta> tags as they are, and Chinese sites fill them with their
        # own name; ours takes a declared name only when the page shows it (see declared_author)
        "author": find_author(
            zone,
            found.get("title"),
            declared=declared_author(tree, page_lines, [*zone.before, *zone.after]) if tree is not None else None,
        ),
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
        *("全文完", "未完待续", "待续", "完", "出自", "摘自", "选自", "转自", "转载"),
        *("简体中文", "繁体中文", "繁體中文", "中文版", "英文版"),  # a link's language, in brackets
    }
)
# Words of a page's interface that stand alone on a line like a pen name: buttons, menus, sections, roles.
_INTERFACE_WORDS = frozenset(
    {
        *("关注", "加关注", "已关注", "取消关注", "私信", "订阅", "收藏", "点赞", "打赏", "举报", "回复", "引用"),
        *("登录", "注册", "退出", "搜索", "打印", "关闭", "上一篇", "下一篇", "上一页", "下一页", "返回顶部"),
        *("原创", "转载", "推荐", "置顶", "精华", "热门", "最新", "专栏", "专题", "博客", "论坛", "社区"),
        *("要闻", "头条", "时政", "国内", "国际", "财经", "体育", "娱乐", "科技", "社会", "军事", "教育", "文化"),
        *("健康", "汽车", "房产", "旅游", "生活", "时尚", "读书", "历史", "观点", "专访", "独家", "图集", "组图"),
        *("作者", "记者", "编者", "小编", "网友", "游客", "匿名", "匿名用户", "管理员", "版主", "楼主"),
        *("admin", "administrator", "guest", "anonymous", "unknown", "home", "more", "share", "follow", "login"),
        *("comments", "comment", "reply", "print", "email", "tags", "top", "back", "next", "previous", "permalink"),
    }
)
_NOT_PEN_NAMES = _NOT_NAMES | _INTERFACE_WORDS
# A section's or a column's name ends so (`国内新闻`, `体育频道`, `第3版`), as does no pen name.
_SECTION_ENDINGS = ("新闻", "频道", "栏目", "资讯", "动态", "快讯", "专题", "论坛", "博客", "社区", "中心", "版")
_PEN_NAME = re.compile(rf"[{_HAN_CHAR}·]{{2,6}}|[A-Za-z][A-Za-z0-9_.\-]{{1,19}}")
_ORGANISATION_ENDINGS = tuple("报网社台刊站部局厅委会院所办处司")
# An author's page as blogs link it: `?author=12` alone (not a category or month of theirs), `/author/name/`.
_AUTHOR_PAGE = re.compile(r"\?author=[^&#=]+$|/author/[^/?#]+/?$", re.IGNORECASE)
# Not a person: a URL or domain, a software's or a company's credit, several names in one word list.
_NOT_A_PERSON = re.compile(
    r"://|www\.|\.(?:com|cn|net|org|edu|gov)\b|[!@#$%^*=+<>{}|\\/]|网络|公司|集团|出版|工作室|团队|编辑部|中心|频道"
    r"|\b(?:team|inc|ltd|corp|co|group|studio|press|media|news|powered)\b",
    re.IGNORECASE,
)
_DECLARED_SEPARATORS = re.compile(r"\s*[,，;；、]\s*")
_HANDLE_AFTER = re.compile(r"\s*[（(][A-Za-z0-9_.\-]{2,20}[）)]$")  # `史蒂文的家_藍天 (stevenhgm)`
MIN_NAME_CHARS = 2
MAX_DECLARED_NAME_CHARS = 12  # a blog's name can stand for its owner (`史蒂文的家_藍天`); a longer one is a line
BYLINE_LINES = 20  # lines above the article (and below it, for blogs) where bylines and dates stand
EDGE_PARAGRAPHS = 4  # the article's first and last paragraphs, where credit lines stand too
NAME_LINE_DISTANCE = 2  # a name alone on a line stands by the headline: just above or below it
OPENING_PARAGRAPHS = 6  # the article's lines where its headline, its name line and their date stand
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
        """The article's first paragraphs, and the credit lines that go on from them (`本报实习生 X`,
        then `本报记者 Y Z`).

        >>> lines = ["标题", "副题", "题", "本报实习生 刘国栋", "本报记者 王燕平 方云凤", "正文。"]
        >>> BylineZone([], lines, []).head[-1]
        '本报记者 王燕平 方云凤'
        """
        head = self.article[:EDGE_PARAGRAPHS]
        for line in self.article[EDGE_PARAGRAPHS:]:
            if not (reporters(head[-1:]) and reporters([line])):
                break
            head.append(line)
        return head

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
        """The lines by the headline, in page order: the two above the article and its first lines (a
        forum post repeats its subject under a header line)."""
        return [*self.above[:NAME_LINE_DISTANCE][::-1], *self.article[:OPENING_PARAGRAPHS]]

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
    >>> labelled_author(["02日14:25 作者： 赵婕 出自[人民文学出版社]"])
    '赵婕'
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
    """The names after each role label of a credit, up to the next label (`实习记者 樊亮 记者 惠禾`: no
    `记者` among the names).

    >>> _reporter_names("本报记者 王小明 通讯员 李杰"), _reporter_names("实习记者 樊亮 张明超 记者惠禾")
    (['王小明', '李杰'], ['樊亮', '张明超'])
    """
    credit = _REPORT_PLACE.sub("", credit.strip())
    labels = list(_REPORTER_LABEL.finditer(credit))
    credited: list[str] = []
    for label, following in itertools.zip_longest(labels, labels[1:]):
        names = _names_in(credit[label.end() : following.start() if following else None], _HAN_NAME)
        if names and (label.group("separator") or names[0][0] in COMMON_SURNAMES):
            credited += names
    return credited


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
    >>> closing_credit(["犬儒病（待续）"]), closing_credit(["…（人民日报）"]), closing_credit(["微博（简体中文）"])
    (None, None, None)
    """
    for line in lines:
        if found := _CLOSING_CREDIT.search(line):
            names = _NAME_SEPARATORS.split(found.group(1).strip())
            if all(is_personal_name(name) for name in names):
                return " ".join(names)
    return None


def standalone_name(lines: list[str]) -> str | None:
    """A line holding only personal names right under a headline (`胡平` under `犬儒病(上)`); `lines`
    in page order, blank ones skipped. Of co-authors, one name with a common family name vouches for
    the others (`风笑天`: 风 is a rarer one).

    >>> standalone_name(["犬儒病(上)", "胡平", "当今流行什么？"]), standalone_name(["社会资本与就业", "赵延东、张文"])
    ('胡平', '赵延东 张文')
    >>> standalone_name(["社会资本与就业", "\\xa0", "赵延东、风笑天"])
    '赵延东 风笑天'
    >>> standalone_name(["最新评论", "查看评论", "发表评论"]), standalone_name(["旅游景点推荐", "凤凰 乌镇"])
    (None, None)
    """
    for above, line in itertools.pairwise(_shown(lines)):
        if _NAME_LIST.fullmatch(line) and _HEADLINE.fullmatch(above):
            names = _NAME_SEPARATORS.split(line)
            personal = [is_personal_name(name) for name in names]
            co_authors = len(names) > 1 and any(personal) and all(len(name) <= MAX_CO_AUTHOR_CHARS for name in names)
            if all(personal) or co_authors:
                return " ".join(names)
    return None


MAX_CO_AUTHOR_CHARS = 3  # a family name and one or two given characters: a longer word is no co-author's name


def _shown(lines: list[str]) -> list[str]:
    return [line.strip() for line in lines if line.strip()]


def pen_name(lines: list[str], headings: list[str]) -> str | None:
    """A pen name (no family name needed) alone on a line right under a headline, when the page
    confirms it: a date on the line under it, as columns and blogs print their byline, or a heading
    that puts it before the headline (`茉莉：我是怎样…`, as portals title a column). `lines` in page
    order; `headings` the page's other lines and its title.

    >>> pen_name(["雨夜里的随想", "青衫客", "2005-06-01 21:30"], [])
    '青衫客'
    >>> pen_name(["我是怎样长大的", "茉莉", "一九八九年四月，我在湖南开会。"], ["茉莉：我是怎样长大的"])
    '茉莉'
    >>> pen_name(["我是怎样长大的", "茉莉", "一九八九年四月，我在湖南开会。"], ["我是怎样长大的"]) is None
    True
    >>> pen_name(["今日热点新闻", "更多", "2005-06-01 21:30"], []) is None
    True
    """
    shown = _shown(lines)
    squeezed_headings = {"".join(heading.split()) for heading in headings if heading}
    for number, (above, line) in enumerate(itertools.pairwise(shown)):
        if not (_HEADLINE.fullmatch(above) and is_pen_name(line)):
            continue
        below = shown[number + 2] if number + 2 < len(shown) else ""
        dated = len(below) <= MAX_CREDIT_LINE_CHARS and bool(dates_in(below))
        headline = "".join(above.split())
        titled = any(heading.startswith((f"{line}：{headline}", f"{line}:{headline}")) for heading in squeezed_headings)
        if dated or titled:
            return line
    return None


def is_pen_name(text: str) -> bool:
    """True for what can be a writer's name without a family name: two to six Han characters, or a
    Latin handle, that is no word of a page's interface.

    >>> is_pen_name("魑皇"), is_pen_name("duscha"), is_pen_name("半窗明月")
    (True, True, True)
    >>> is_pen_name("关注"), is_pen_name("人民日报"), is_pen_name("国内新闻"), is_pen_name("Comments")
    (False, False, False, False)
    """
    return (
        bool(_PEN_NAME.fullmatch(text))
        and text.lower() not in _NOT_PEN_NAMES
        and not text.endswith(_ORGANISATION_ENDINGS + _SECTION_ENDINGS)
    )


def find_author(zone: BylineZone, title: str | None = None, declared: str | None = None) -> str | None:
    """The author the lines around the article name, several names joined by a space.

    The lines before the article are read first, then the first post's poster (a forum's posts are one
    article), then the lines after it (a blog's poster, an article's closing credit); explicit credits
    first, then weaker evidence. Then the author the page's markup `declared` (see `declared_author`). A
    page title that is only a personal name is a personal page's owner.
    """
    return (
        _credited(zone.before)
        or standalone_name(zone.opening)
        or pen_name(zone.opening, [*zone.above, *zone.opening, title or ""])
        or poster(zone.article)
        or _credited(zone.after)
        or closing_credit(zone.closing)
        or reporters(zone.article)
        or source_credit(zone.after)
        or declared
        or (title if title and is_personal_name(title) else None)
    )


def _credited(lines: list[str]) -> str | None:
    return labelled_author(lines) or reporters(lines) or dated_credit(lines) or poster(lines)


def declared_author(tree: lxml.html.HtmlElement, page_lines: list[str], nearby: list[str] | None = None) -> str | None:
    """The author the page's markup names: `<meta name="author">` when the page shows that name as a
    line of its own (or opening one), else the name that `rel="author"` or `itemprop="author"` elements
    and links to an author's page (`?author=12`, `/author/name/`, as WordPress makes them) give; of
    several (a commenter's link), the one shown as a line among the `nearby` lines (the byline zone).
    Many sites fill the meta tag with their own name, a domain or their software's credit: those are
    not names (see `is_declared_name`), and are seldom shown as a name is.

    >>> page = lxml.html.fromstring(
    ...     '<html><head><meta name="author" content="Comsenz Inc."></head><body><p>青衫客</p>'
    ...     '<a href="/?author=7">青衫客</a> <a href="/?author=7&amp;cat=2">随笔</a></body></html>'
    ... )
    >>> declared_author(page, rendered_lines(page))
    '青衫客'
    """
    shown = "\n".join(page_lines)
    contents = (meta.get("content") or "" for meta in tree.iter("meta") if _is_author_meta(meta))
    if meta_name := next((name for name in contents if is_declared_name(name) and _shown_as_name(name, shown)), None):
        return meta_name
    names = {
        name
        for element in tree.xpath("//*[@rel or @itemprop or @href]")
        if _marks_author(element) and is_declared_name(name := " ".join(element.text_content().split()))
    }
    if len(names) > 1:
        near = "\n".join(nearby or [])
        names = {name for name in names if _shown_as_name(name, near)}
    return names.pop() if len(names) == 1 else None


def _is_author_meta(meta: lxml.html.HtmlElement) -> bool:
    return (meta.get("name") or "").strip().lower() == "author"


def _marks_author(element: lxml.html.HtmlElement) -> bool:
    return (
        "author" in (element.get("rel") or "").lower().split()
        or (element.get("itemprop") or "").strip().lower() == "author"
        or bool(_AUTHOR_PAGE.search(element.get("href") or ""))
    )


def is_declared_name(value: str) -> bool:
    """True when a name the markup declares can be a person's: one to a few names (each a pen name, or
    a longer blog name with its handle in brackets), not a domain, an organisation or a credit line.

    >>> is_declared_name("魑皇"), is_declared_name("史蒂文的家_藍天 (stevenhgm)"), is_declared_name("张三, 李四")
    (True, True, True)
    >>> is_declared_name("www.yunnan.cn,云南日报报业集团,云南网"), is_declared_name("Discuz! Team and Comsenz UI Team")
    (False, False)
    >>> is_declared_name("大汉网络"), is_declared_name("L_104485"), is_declared_name("人民网"), is_declared_name("关注")
    (False, False, False, False)
    """
    names = [name.strip() for name in _DECLARED_SEPARATORS.split(value) if name.strip()]
    return bool(names) and not _NOT_A_PERSON.search(value) and all(map(_is_declared_part, names))


def _is_declared_part(name: str) -> bool:
    base = _HANDLE_AFTER.sub("", name)
    digits = sum(ch.isdigit() for ch in base)
    return (
        MIN_NAME_CHARS <= len(base) <= MAX_DECLARED_NAME_CHARS
        and digits <= sum(ch.isalpha() for ch in base) // 2  # `L_104485` is an account number
        and base.lower() not in _NOT_PEN_NAMES
        and not base.endswith(_ORGANISATION_ENDINGS)
    )


def _shown_as_name(value: str, shown: str) -> bool:
    """`value` (or the first of its names, without its handle) is a line of the page or opens one."""
    first = _HANDLE_AFTER.sub("", _DECLARED_SEPARATORS.split(value.strip())[0]).strip()
    return bool(first) and re.search(rf"(?m)^{re.escape(first)}(?:\s|$)", shown) is not None


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


def _line_of(squeezed: list[str], paragraph: str, order: range, *, start: bool) -> int | None:
    """Where `paragraph` stands among the page's lines (white space removed): the first line in `order`
    that is the paragraph, else the first that holds its start (its end, for `start=False`), else the
    first that begins (ends) it: an extractor joins a table cell's lines into one paragraph. Only then a
    line that holds its other end.

    >>> lines = ["作者：甲", "◎片名太行山上", "◎年代2005", "下载：http://a.cn/1.torrent"]
    >>> _line_of(lines, "◎片名 太行山上 ◎年代 2005 下载：http://a.cn/1.torrent", range(4), start=True)
    1
    """
    whole = "".join(paragraph.split())
    if not whole:
        return None
    near, far = (whole[:20], whole[-20:]) if start else (whole[-20:], whole[:20])
    joined = whole.startswith if start else whole.endswith
    tests = (
        lambda line: line == whole,
        lambda line: near in line,
        lambda line: len(line) >= MIN_JOINED_LINE_CHARS and joined(line),
        lambda line: far in line,
    )
    return next((i for test in tests for i in order if test(squeezed[i])), None)


MIN_JOINED_LINE_CHARS = 4  # a shorter line (`首页`) begins too many paragraphs to place one


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
    start = _line_of(squeezed, paragraphs[0], range(len(squeezed)), start=True)
    end = _line_of(squeezed, paragraphs[-1], range(len(squeezed) - 1, -1, -1), start=False)
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
    article = extract_article(page, page_lines, url=url or wrapper.get("id") or None, tree=tree)
    if not article.text:
        return doc.reject("no-article")
    doc.text, doc.title = article.text, article.title or doc.title
    doc.meta.update(article.meta)
    return doc
