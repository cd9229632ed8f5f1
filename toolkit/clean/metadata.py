"""Facts about an article found in its text: datelines, bylines, `key：value` fields, templates.

Datelines and bylines stay in the text (they are the author's); their parts are also returned so the
enrich stage can make columns of them. Field lines (`来源：…`, `责任编辑：…`) are web chrome: the stage
removes them after taking their facts. Keys follow the contract with enrich: outlet, author, editor,
photographer, dateline, published, url.
"""

from __future__ import annotations

import re

from toolkit.text import HAN_CLASS

__all__ = [
    "byline_credit",
    "closing_byline",
    "dateline",
    "field_facts",
    "is_field_line",
    "is_templated",
    "iso_date",
    "parse_credit",
]

_DATE_TEXT = r"(?:\d{4}年)?\d{1,2}月\d{1,2}日"
_ROLE = r"(?:特约记者|见习记者|摄影记者|记者|通讯员|实习生)"
_NAME = rf"[{HAN_CLASS}·]{{2,4}}"
# 本报讯(山西日报记者 杨文)3月28日 / 忻州日报(乔龙飞)6月20日 / 本刊讯 （记者 范琛）10月18日
NEWS_DATELINE = re.compile(
    rf"^(?P<lead>本报讯|本刊讯|本台讯|本网讯|[{HAN_CLASS}]{{2,10}}?(?:日报|晚报|早报|时报|报|网|台)讯?)?\s*"
    rf"[（(](?P<credit>[^（）()]{{2,40}})[）)]\s*(?P<date>{_DATE_TEXT})"
)
# 新华社北京3月28日电（记者 张三 李四）
AGENCY_DATELINE = re.compile(
    rf"^据?(?P<lead>[{HAN_CLASS}]{{1,5}}?(?:社|网))(?P<place>[{HAN_CLASS}]{{0,8}}?)(?P<date>{_DATE_TEXT})电"
    rf"\s*(?:[（(](?P<credit>[^（）()]{{2,40}})[）)])?"
)
# A byline line under a headline: "本刊记者 刘振兴", "通讯员 李杰 杨蓉蓉", "文/张三".
BYLINE_LINE = re.compile(
    rf"^(?:(?:[{HAN_CLASS}]{{0,6}}?{_ROLE}\s*{_NAME}(?:[\s、，,]+{_NAME})*\s*)+|(?:文|撰文)\s*[/／|｜]\s*{_NAME}(?:[\s、]+{_NAME})*)$"
)
CLOSING_BYLINE = re.compile(rf"[（(](?P<credit>[^（）()]{{0,12}}?{_ROLE}[^（）()]{{2,30}})[）)]\s*$")
_FIELD_KEYS = {
    "outlet": "来源|稿源|出处|信息来源|文章来源",
    "author": "作者|记者|撰稿",
    "editor": "责任编辑|责编|编辑|本文编辑|值班编辑",
    "photographer": "摄影|图片",
    "published": "发布时间|发布日期|发表时间|时间|日期|更新时间",
    "url": "文章地址|原文地址|原文链接|本文链接|本文地址|网址|链接",
}
_KEY_OF = {key: name for name, keys in _FIELD_KEYS.items() for key in keys.split("|")}
FIELD = re.compile(
    r"(?P<key>" + "|".join(sorted(_KEY_OF, key=len, reverse=True)) + r")\s*[:：]\s*"
    r"(?P<value>https?://\S+|[^\s:：|｜]+(?:\s\d{1,2}:\d{2}(?::\d{2})?)?)"
)
URL = re.compile(r"https?://[^\s，。）)」\"']+")
_DATETIME = re.compile(
    r"(?P<y>\d{4})\s*[-./年]\s*(?P<m>\d{1,2})\s*[-./月]\s*(?P<d>\d{1,2})日?(?:\s*(?P<H>\d{1,2}):(?P<M>\d{2}))?"
)
# A timestamp alone on a line is web chrome ("2022-06-22 10:51"); a date written out alone ("1985年12月30日")
# may be the text's own (a regulation's date, a letter's), so it needs a time of day to count.
_WEB_TIMESTAMP = re.compile(
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?|\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,2}:\d{2}(?::\d{2})?"
)
# What else stands on a line of fields: a timestamp's verb (`06:40更新`), a counter (`网友评论 0 条`, `阅读10544次`).
_FIELD_LINE_EXTRAS = re.compile(
    r"(?<=\d)\s*(?:更新|发布|发表)|(?:网友评论|评论|阅读|浏览|点击)\s*[:：]?\s*\d+\s*[条次]?|" + _WEB_TIMESTAMP.pattern
)
# A field line in brackets, as portals print the editor: `（ 责任编辑：魏喆 ）`, `[责任编辑：肖春芳]`, `【编辑:刘欢】`.
_BRACKETS = re.compile(r"^\s*[（(\[【]\s*(.*?)\s*[）)\]】]\s*$")
_FIELD_SEPARATORS = re.compile(r"[\s|｜/·]+")
# A name field's value is a name, not a sentence (`记者：请问你怎样看待…？` is an interview's question).
_SENTENCE = re.compile(r"[，。？！?!；]")
_NAME_FIELDS = ("author", "editor", "photographer")
# 201x年, xx同志, xx、xx同志, xx、xx. The pattern starts at a slot's first x and looks back for what stands
# before it: starting with a class, it is scanned for (a digit or a look-behind first: tried at every position).
_TEMPLATE = re.compile(
    r"[xX×](?:(?<=(?:19|20)\d[xX×])年|(?<![A-Za-z][xX×])[xX×](?:[、，,][xX×]{2})*同志|(?<![A-Za-z]x)(?<=x)x、xx)"
)
MAX_FIELD_LINE_CHARS = 120


def iso_date(text: str) -> str | None:
    """An ISO date (with the time when given) for a full explicit date, else None.

    >>> iso_date("2022-06-22 10:51"), iso_date("2023年3月30日"), iso_date("3月28日")
    ('2022-06-22T10:51', '2023-03-30', None)
    """
    found = _DATETIME.search(text)
    if not found or not (1 <= int(found["m"]) <= 12 and 1 <= int(found["d"]) <= 31):
        return None
    day = f"{found['y']}-{int(found['m']):02d}-{int(found['d']):02d}"
    return f"{day}T{int(found['H']):02d}:{found['M']}" if found["H"] else day


def is_field_line(line: str) -> bool:
    """A line made only of `key：value` fields (with the URL, timestamps and counters pages print beside
    them), or only of a date and time (web page chrome).

    >>> is_field_line("来源：忻州日报新媒体中心"), is_field_line("发布时间：2022-06-22 10:51 来源：新华网")
    (True, True)
    >>> is_field_line("来源：本报综合"), is_field_line("会议指出：全省生态环境保护大会系统总结了成效。")
    (True, False)
    >>> is_field_line("2022-06-22 10:51"), is_field_line("1985年12月30日")
    (True, False)
    >>> is_field_line("2005-04-05 06:40更新 来源：转载文章"), is_field_line("（ 责任编辑：魏喆 ）")
    (True, True)
    >>> is_field_line("http://biz.163.com　2005-04-25 08:24:06　来源: 第一财经日报　　　网友评论 0 条")
    True
    >>> is_field_line("记者：这么看你平时也很关注国家的相关农业政策，所以你不止是农民专家。")
    False
    """
    if len(line) > MAX_FIELD_LINE_CHARS:
        return False
    line = _unbracketed(line)
    if ":" not in line and "：" not in line:  # no field without its colon: most lines end here
        return bool(_WEB_TIMESTAMP.fullmatch(line.strip()))
    fields = [field for field in FIELD.finditer(line) if not _is_sentence_value(field)]
    if fields:  # most lines with a colon hold no field: they skip the three passes over what is left
        rest = FIELD.sub(lambda field: "" if not _is_sentence_value(field) else field.group(), line)
        rest = _FIELD_LINE_EXTRAS.sub("", URL.sub("", rest))
        if not _FIELD_SEPARATORS.sub("", rest):
            return True
    return bool(_WEB_TIMESTAMP.fullmatch(line.strip()))


def _unbracketed(line: str) -> str:
    """`_BRACKETS.sub(r"\\1", line)`, without the cost of a template substitution for every line.

    >>> _unbracketed("（ 责任编辑：魏喆 ）"), _unbracketed("来源：新华网")
    ('责任编辑：魏喆', '来源：新华网')
    """
    found = _BRACKETS.match(line)  # anchored at the start: it matches there or nowhere
    return found[1] + line[found.end() :] if found else line


def _is_sentence_value(field: re.Match[str]) -> bool:
    return _KEY_OF[field["key"]] in _NAME_FIELDS and bool(_SENTENCE.search(field["value"]))


def field_facts(line: str) -> dict[str, str]:
    """The facts in a line of fields or of boilerplate (source, url, editor, ...).

    >>> field_facts("来源：忻州日报新媒体中心")
    {'outlet': '忻州日报新媒体中心'}
    >>> field_facts("《讲话》由互联网用户分享整理。文章地址：http://www.sanweiyuan.com/news/60310.html")
    {'url': 'http://www.sanweiyuan.com/news/60310.html'}
    >>> field_facts("发布时间：2022-06-22 10:51 责任编辑：王芳"), field_facts("[责任编辑：肖春芳]")
    ({'published': '2022-06-22T10:51', 'editor': '王芳'}, {'editor': '肖春芳'})
    """
    line = _unbracketed(line)
    facts: dict[str, str] = {}
    for field in FIELD.finditer(line):
        name, value = _KEY_OF[field["key"]], field["value"]
        if name == "published":
            if iso := iso_date(value):
                facts[name] = iso
        elif name == "url" or not URL.match(value):
            facts.setdefault(name, value)
    if "url" not in facts and (url := URL.search(line)):
        facts["url"] = url[0]
    if "published" not in facts and _WEB_TIMESTAMP.fullmatch(line.strip()) and (iso := iso_date(line)):
        facts["published"] = iso
    return facts


def parse_credit(credit: str) -> tuple[str | None, list[str]]:
    """The outlet and the names in a credit such as "山西日报记者 杨文" or "记者 张三 通讯员 李四".

    >>> parse_credit("山西日报记者 杨文"), parse_credit("乔龙飞")
    (('山西日报', ['杨文']), (None, ['乔龙飞']))
    >>> parse_credit("记者 范琛 通讯员 李杰、杨蓉蓉")
    (None, ['范琛', '李杰', '杨蓉蓉'])
    """
    pieces = re.split(_ROLE, credit)
    lead = re.sub(r"^(?:本报|本刊|本台|本网)|\s+", "", pieces[0]) if len(pieces) > 1 else ""
    outlet = lead if re.fullmatch(rf"[{HAN_CLASS}]{{1,10}}(?:报|社|网|台|刊|杂志)", lead) else None
    names = [
        name
        for piece in (pieces[1:] if len(pieces) > 1 else pieces)
        for name in re.split(r"[\s、，,/／]+", piece.strip())
        if re.fullmatch(_NAME, name)
    ]
    return outlet, names


def dateline(paragraph: str) -> dict[str, str] | None:
    """Outlet, author and date of a paragraph that opens with a dateline, else None.

    >>> dateline("本报讯（山西日报记者 杨文）3月28日，省委书记蓝佛安主持召开会议。")
    {'dateline': '3月28日', 'outlet': '山西日报', 'author': '杨文'}
    >>> dateline("新华社北京2022年6月22日电（记者 张三 李四）国务院召开常务会议。")
    {'dateline': '2022年6月22日', 'published': '2022-06-22', 'outlet': '新华社', 'author': '张三; 李四'}
    >>> dateline("会议以视频形式召开。") is None
    True
    """
    if "月" not in paragraph:  # every dateline has a date with its 月: one scan, cheaper than two patterns
        return None
    found = NEWS_DATELINE.match(paragraph) or AGENCY_DATELINE.match(paragraph)
    if not found:
        return None
    facts = {"dateline": found["date"]}
    if published := iso_date(found["date"]):
        facts["published"] = published
    outlet, names = parse_credit(found["credit"] or "")
    lead = found["lead"] or ""
    if lead and not lead.startswith("本"):
        outlet = outlet or lead.removesuffix("讯")
    if outlet:
        facts["outlet"] = outlet
    if names:
        facts["author"] = "; ".join(names)
    return facts


def byline_credit(line: str) -> list[str] | None:
    """The names on a byline line, or None when the line is not one.

    >>> byline_credit("本刊记者 刘振兴"), byline_credit("通讯员 李杰 杨蓉蓉"), byline_credit("文/张三")
    (['刘振兴'], ['李杰', '杨蓉蓉'], ['张三'])
    >>> byline_credit("记者节座谈会召开") is None
    True
    """
    if not BYLINE_LINE.match(line):
        return None
    credit = re.sub(r"^(?:文|撰文)\s*[/／|｜]\s*", "", line)
    return parse_credit(credit)[1]


def closing_byline(paragraph: str) -> list[str] | None:
    """The names in a byline closing the last paragraph: "…作出更大贡献。（记者程国媛）".

    >>> closing_byline("作出更大贡献。（记者程国媛）"), closing_byline("在沿黄河19县（市）实施")
    (['程国媛'], None)
    """
    found = CLOSING_BYLINE.search(paragraph)
    return parse_credit(found["credit"])[1] or None if found else None


def is_templated(text: str) -> bool:
    """Text with anonymised template slots (201x年, xx、xx同志): kept, but flagged as a quality signal.

    >>> is_templated("201x年，习近平总书记在郑州主持召开座谈会"), is_templated("刚才，xx、xx同志分别通报")
    (True, True)
    >>> is_templated("2019年，在郑州召开；xxx.com")
    False
    """
    if "x" not in text and "X" not in text and "×" not in text:  # every slot has one: scans beat the regex
        return False
    return bool(_TEMPLATE.search(text))
