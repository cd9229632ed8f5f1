"""Page-break and print artefacts: what the layout of a printed page leaves in scraped text.

A newspaper page turned into text carries its layout along: a paragraph cut by a page or column
break, jump lines (`(下转 C2 版)`), the running head of the page, photo captions that landed between
two halves of a sentence, typesetting code such as `PM_{2.5}`. Each rule here is a function on a
line or on a list of lines; the stage records what they removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from toolkit.text import HAN_CLASS, joins_without_space

__all__ = [
    "continuation_markers",
    "ends_sentence",
    "flatten_latex_scripts",
    "is_page_head",
    "is_running_text",
    "normalise_whitespace",
    "numbered_items_are_sentences",
    "photo_caption_credit",
    "rejoin_split_paragraphs",
]

_WHITESPACE = " \t\f\v\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# A whitespace run to make one space: any run but a single space or a single ideographic space. The
# pattern starts with one character class, which the regex engine scans for quickly, and needs no callback.
_WHITESPACE_NOT_KEPT_ALONE = _WHITESPACE.replace(" ", "").replace("\u3000", "")
_WHITESPACE_RUN_TO_SPACE = re.compile(f"[{_WHITESPACE}](?:[{_WHITESPACE}]+|(?<=[{_WHITESPACE_NOT_KEPT_ALONE}]))")
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
_NUMERAL = "0-9一二三四五六七八九十〇零"
# A jump line: (下转 C2 版), (上接第一版), (转A3), （接第3页）.
CONTINUATION_MARKER = re.compile(
    rf"[（(]\s*(?:下转|上接|转|接|续)\s*(?:第\s*)?[A-Za-z]?\s*[{_NUMERAL}]+\s*[版页面]?\s*[）)]"
)
_PAGE_NUMBER = re.compile(rf"第\s*[{_NUMERAL}]+\s*版|(?<![A-Za-z])[A-Z]?\d{{1,2}}\s*版")
_WEEKDAY = re.compile(r"星期[一二三四五六日天]|周[一二三四五六日]")
_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-./]\d{1,2}[-./]\d{1,2}")
_SENTENCE_MARK = re.compile(r"[，。！？；,!?;]")
# Who took the photo, at the end of a caption: "■山西日报记者史晓波 摄", "（新华社记者 王鹏 摄）",
# "通讯员 张敏/摄". A role word or a separator before 摄 is required: "进行拍摄" is not a credit.
_NAME = rf"[{HAN_CLASS}·]{{2,4}}"
_PHOTO_ROLE = rf"[{HAN_CLASS}]{{0,8}}?(?:记者|通讯员|实习生|摄影师|摄影)"
PHOTO_CREDIT = re.compile(
    rf"(?:[■□▲△●◆▼]\s*)?[（(]?\s*(?:(?:{_PHOTO_ROLE})\s*(?P<named>{_NAME}(?:[\s、]+{_NAME}){{0,3}})\s*[/／]?\s*摄影?"
    rf"|(?P<bare>{_NAME}(?:[\s、]+{_NAME}){{0,3}})(?:\s+|\s*[/／]\s*)摄影?)\s*[）)]?\s*$"
)
_CAPTION_LEAD = re.compile(r"^(?:图为|图片说明[:：]|（资料图片）$|\(资料图片\)$|资料图片$)")
MAX_CAPTION_CHARS = 160  # a caption is a sentence or two; a longer line ending in 摄 is running text
MAX_PAGE_HEAD_CHARS = 60
_FINAL = "。！？!?…；;.:："
_CLOSING_QUOTES = "”’」』》】\"'"
# A numbered line (一、 （一） 1.) is a heading or a list item; a chapter heading (第二章) is always a heading,
# and an article of law (第五条) always prose.
_LIST_NUMBER = re.compile(rf"^(?:[一二三四五六七八九十]+[、．.]|[（(][{_NUMERAL}]+[）)]|\d{{1,2}}[、．.](?!\d))")
_CHAPTER_HEADING = re.compile(rf"^第[{_NUMERAL}百]+[章节编部分]")
_LAW_ARTICLE = re.compile(rf"^第[{_NUMERAL}百千]+条")
MAX_NUMBERED_HEADING_CHARS = 40
MOSTLY = 2 / 3
# A paragraph never starts with these: a line that does continues the one before.
_CONTINUATION_START = "，。、；：？！,.;:?!”’」』）)】》…"
_LATEX_SCRIPT = re.compile(r"[_^]\{([^{}\s]{1,12})\}|(?<=[A-Z])_(?=\d)")
# Endings of a Latin line that continues, searched from two characters before the end (as `$` would
# match, before a final newline too): a paragraph can be long, and these run on every line.
_LATIN_CONTINUED_END = re.compile(r"[a-z,;-]\n?\Z")
_LATIN_HYPHENATED_END = re.compile(r"[A-Za-z]-\n?\Z")
_LATIN_LOWERCASE_START = re.compile(r"[a-z]")


def normalise_whitespace(text: str) -> list[str]:
    """Lines, trimmed, with each whitespace run made one space; blank lines dropped. A single
    ideographic space is a deliberate separator in Chinese typesetting (第一章　总则) and stays.

    >>> normalise_whitespace("\\n\\n 本报讯\\u3000\\u3000(记者 杨文)\\r\\n\\n\\xa0 \\xa0央媒头条 \\n第一章\\u3000总则")
    ['本报讯 (记者 杨文)', '央媒头条', '第一章\\u3000总则']
    """
    text = _WHITESPACE_RUN_TO_SPACE.sub(" ", text)  # no run crosses a line break: done on the whole text
    other_breaks = "\r" in text or "\u2028" in text or "\u2029" in text  # three scans: faster than the regex
    lines = _LINE_BREAK.split(text) if other_breaks else text.split("\n")
    return [line for line in (line.strip(_WHITESPACE) for line in lines) if line]


def continuation_markers(line: str) -> tuple[str, list[str]]:
    """The line without its jump lines, and the markers as found.

    >>> continuation_markers("四要抓好黄河干流流经县生态环境综合治理。（下转 C2 版）")
    ('四要抓好黄河干流流经县生态环境综合治理。', ['（下转 C2 版）'])
    >>> continuation_markers("(上接第一版)会议强调")
    ('会议强调', ['(上接第一版)'])
    """
    markers = CONTINUATION_MARKER.findall(line)
    return (CONTINUATION_MARKER.sub("", line).strip(), markers) if markers else (line, [])


def is_page_head(line: str) -> bool:
    """A page's running head: date, weekday, page number and section, and no sentence.

    >>> is_page_head("2023年3月30日 星期四 第2版 要闻")
    True
    >>> is_page_head("第五条 国务院行政机构的设立，由国务院机构编制管理机关组织评估。")
    False
    """
    if len(line) > MAX_PAGE_HEAD_CHARS or _SENTENCE_MARK.search(line):
        return False
    if "版" in line and _PAGE_NUMBER.search(line):  # a page number ends in 版: a scan, cheaper than the pattern
        return True
    return bool(_WEEKDAY.search(line) and _DATE.search(line))  # the weekday first: its search is the faster


def photo_caption_credit(line: str) -> list[str] | None:
    """The photographers' names when the line is a photo caption, [] for a caption without credit,
    None for any other line.

    >>> photo_caption_credit("10月17日，全省生态环境保护大会在太原召开。■山西日报记者史晓波 摄")
    ['史晓波']
    >>> photo_caption_credit("图为市民在公园游玩。")
    []
    >>> photo_caption_credit("他们用手机进行拍摄") is None
    True
    """
    if len(line) > MAX_CAPTION_CHARS:
        return None
    credit = PHOTO_CREDIT.search(line) if "摄" in line else None  # a credit ends in 摄: the search is 30x slower
    if credit:
        return re.split(r"[\s、]+", credit["named"] or credit["bare"])
    return [] if _CAPTION_LEAD.match(line) else None


def ends_sentence(line: str) -> bool:
    """Whether a line ends where a paragraph may end: sentence-final punctuation, or a closing quote
    or bracket right after one. A quoted phrase closing mid-sentence does not end it.

    >>> ends_sentence("下面，讲四点意见："), ends_sentence("他说：“好。”"), ends_sentence("更大贡献。（记者程国媛）")
    (True, True, True)
    >>> ends_sentence("把习近平总书记‘绿水青山就是金山银山’"), ends_sentence("突出抓好问")
    (False, False)
    """
    line = line.rstrip()
    if not line:
        return False
    if line[-1] in _FINAL:
        return True
    if line[-1] in _CLOSING_QUOTES:
        return line.rstrip(_CLOSING_QUOTES)[-1:] in tuple(_FINAL)
    if line[-1] in "）)":
        opening = max(line.rfind("（"), line.rfind("("))
        return opening > 0 and line[opening - 1] in _FINAL
    return False


def is_running_text(line: str, numbered_items_are_sentences: bool = False) -> bool:
    """A line of prose (clause punctuation, or an article of law), as opposed to a headline or a
    short numbered heading, which may also end without punctuation. Where a document's numbered
    lines are sentences (items of a list ending in ；), a numbered line is prose too.

    >>> is_running_text("蓝佛安指出，我省正处于加快建设美丽山西的关键期、攻"), is_running_text("第十四条 农民应")
    (True, True)
    >>> is_running_text("一、牢记嘱托、对标对表，切实强化协力推进黄河流域生态保护的使命担当")
    False
    >>> is_running_text("华阳二矿：逐“绿”前行 奏响高质量发展“最强音”")
    False
    """
    numbered = _LIST_NUMBER.match(line)
    if _LAW_ARTICLE.match(line) or (numbered and numbered_items_are_sentences):
        return True
    heading = (numbered or _CHAPTER_HEADING.match(line)) and len(line) <= MAX_NUMBERED_HEADING_CHARS
    return bool(_SENTENCE_MARK.search(line)) and not heading


def numbered_items_are_sentences(lines: list[str]) -> bool:
    """Whether most numbered lines of a document end a sentence: list items rather than headings.

    >>> numbered_items_are_sentences(["（一）国务院办公厅；", "（二）国务院组成部门；", "（三）国务院直属"])
    True
    >>> numbered_items_are_sentences(["一、牢记嘱托，切实强化使命担当", "正文。", "二、坚持系统观念"])
    False
    """
    numbered = [line for line in lines if _LIST_NUMBER.match(line)]
    return len(numbered) >= 2 and sum(map(ends_sentence, numbered)) >= MOSTLY * len(numbered)


def _joined(before: str, after: str) -> str:
    if _LATIN_HYPHENATED_END.search(before, len(before) - 3) and after[:1].islower():  # a hyphenated Latin word
        return before[:-1] + after
    return before + after if joins_without_space(before, after) else f"{before} {after}"


def rejoin_split_paragraphs(lines: list[str], opens_paragraph: Callable[[str], bool]) -> list[tuple[int, str]]:
    """Paragraphs from lines, re-joining those a page or column break split: a line of prose that
    ends mid-sentence is continued by the next line, unless that line opens a paragraph of its own
    (`opens_paragraph`, e.g. a dateline). Latin lines ending in a lowercase letter, comma or hyphen
    continue on a lowercase line. Each paragraph comes with the index of its first line.

    >>> never = lambda line: False
    >>> rejoin_split_paragraphs(["一要始终坚持问题导向，突出抓好问", "题整改。以警示片反映的问题为警示。"], never)
    [(0, '一要始终坚持问题导向，突出抓好问题整改。以警示片反映的问题为警示。')]
    >>> rejoin_split_paragraphs(["The river is an environ-", "ment for life, and", "it flows."], never)
    [(0, 'The river is an environment for life, and it flows.')]
    >>> rejoin_split_paragraphs(["（二）依法做出的解散决议", "，人民法院的破产裁定；"], never)
    [(0, '（二）依法做出的解散决议，人民法院的破产裁定；')]
    >>> rejoin_split_paragraphs(["金湘军提出工作要求", "本报讯（记者 杨文）3月28日，会议召开。"], never)
    [(0, '金湘军提出工作要求'), (1, '本报讯（记者 杨文）3月28日，会议召开。')]
    """
    items_are_sentences = numbered_items_are_sentences(lines)
    paragraphs: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        if paragraphs and _continues(paragraphs[-1][1], line, items_are_sentences) and not opens_paragraph(line):
            paragraphs[-1] = (paragraphs[-1][0], _joined(paragraphs[-1][1], line))
        else:
            paragraphs.append((index, line))
    return paragraphs


def _continues(before: str, after: str, items_are_sentences: bool) -> bool:
    if after[0] in _CONTINUATION_START or (
        _LATIN_CONTINUED_END.search(before, len(before) - 2) and _LATIN_LOWERCASE_START.match(after)
    ):
        return True
    return not ends_sentence(before) and is_running_text(before, items_are_sentences)


def flatten_latex_scripts(text: str) -> str:
    """Typesetting code left in the text: sub- and superscripts written as in LaTeX.

    >>> flatten_latex_scripts("PM_{2.5}平均浓度下降50.6%，CO_2排放，面积10 km^{2}")
    'PM2.5平均浓度下降50.6%，CO2排放，面积10 km2'
    >>> flatten_latex_scripts("snake_case and file_2 stay")
    'snake_case and file_2 stay'
    """
    if "_" not in text and "^" not in text:  # most lines: two scans instead of a regex
        return text
    return _LATEX_SCRIPT.sub(lambda m: m[1] or "", text)
