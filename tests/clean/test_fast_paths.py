"""The clean rules' fast paths give what the plain definitions give (hypothesis against reference code)."""

from __future__ import annotations

import hashlib
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.clean import boilerplate, metadata, pagebreaks
from toolkit.clean.boilerplate import CHROME_PATTERNS, MAX_CHROME_CHARS, PROSE_COMMAS, chrome_reason
from toolkit.clean.metadata import _BRACKETS, _unbracketed, dateline, is_field_line, is_templated
from toolkit.clean.pagebreaks import (
    _LATIN_CONTINUED_END,
    _LATIN_HYPHENATED_END,
    _WHITESPACE,
    flatten_latex_scripts,
    is_page_head,
    normalise_whitespace,
    photo_caption_credit,
)

# The literals of every chrome pattern, and what could trip a shortcut: letters in any case (the Kelvin
# sign is a k, the long s an s, a dotless i an i to a case-blind pattern), brackets, digits, spaces.
CHROME_PIECES = sorted(
    set(re.findall(r"[\u4e00-\u9fff]{1,6}", "".join(p.pattern for p in CHROME_PATTERNS.values())))
    | {"Trackback", "TRACKBACK", "APP", "app", "Copyright", "COPYRIGHT", "all rights reserved", "ALL RIGHTS"}
    | {"ICP", "ıcp", "İCP", "&gt;", "&GT;", "\u212a", "\u017f", "ı", ">", ">>", "»", "›", " ", "：", ":", "（"}
    | {"(", ")", "）", "【", "】", "[", "]", "1", "23", "１２", "，", "。", "|", "/", "©", "\u3000", "页", "次"}
)
LINES = st.lists(st.sampled_from(CHROME_PIECES), max_size=8).map("".join)


def _chrome_reason_by_definition(line: str) -> str | None:
    if len(line) > MAX_CHROME_CHARS or line.count("，") >= PROSE_COMMAS:
        return None
    return next((reason for reason, pattern in CHROME_PATTERNS.items() if pattern.search(line)), None)


@settings(max_examples=3000)
@given(line=LINES)
def test_chrome_reason_is_the_first_pattern_found(line: str) -> None:
    assert chrome_reason(line) == _chrome_reason_by_definition(line)


def test_chrome_patterns_ignore_case_only_in_latin() -> None:
    assert [chrome_reason(line) for line in ("COPYRIGHT 2005", "下载app", "首页 &GT; 新闻", "TrackBack")] == [
        "copyright",
        "app-prompt",
        "navigation",
        "post-header",
    ]


SPACES = st.sampled_from([*_WHITESPACE, "\r", "\n", "\r\n", "\u2028", "\u2029", "\x85", "\v", "a", "黄"])


def _normalise_whitespace_by_definition(text: str) -> list[str]:
    lines = (
        re.sub(f"[{_WHITESPACE}]+", lambda run: run[0] if run[0] == "\u3000" else " ", line).strip(_WHITESPACE)
        for line in re.split(r"\r\n|\r|\n|\u2028|\u2029", text)
    )
    return [line for line in lines if line]


@settings(max_examples=2000)
@given(text=st.lists(SPACES, max_size=30).map("".join))
def test_whitespace_runs_are_normalised_as_defined(text: str) -> None:
    assert normalise_whitespace(text) == _normalise_whitespace_by_definition(text)


@settings(max_examples=2000)
@given(text=st.text(st.sampled_from(list("aZ-,;\n中 ")), max_size=6))
def test_latin_line_ends_are_found_from_the_end(text: str) -> None:
    assert bool(_LATIN_CONTINUED_END.search(text, len(text) - 2)) == bool(re.search(r"[a-z,;-]$", text))
    assert bool(_LATIN_HYPHENATED_END.search(text, len(text) - 3)) == bool(re.search(r"[A-Za-z]-$", text))


@settings(max_examples=2000)
@given(text=st.text(st.sampled_from(list(" \n\t（(【[）)】]a中：\u3000")), max_size=8))
def test_unbracketing_is_the_substitution(text: str) -> None:
    assert _unbracketed(text) == _BRACKETS.sub(r"\1", text)


# Pieces of datelines, captions, field lines, templates and LaTeX, so that the rules' patterns match.
RULE_PIECES = [
    *"（）() 、：:|/·，。x月日年摄",
    *("本报讯", "本刊讯", "新华社", "北京", "3月28日", "2022年6月22日", "电", "山西日报记者 杨文", "张三 李四"),
    *("本报讯（记者 杨文）3月28日", "新华社北京3月28日电（记者 张三）", "来源：新华网", "责任编辑：王芳"),
    *("■记者史晓波 摄", "通讯员 张敏/摄", "图为", "PM_{2.5}", "CO_2", "km^{2}", "201x年", "xx、xx同志", "XX同志"),
    *("来源", "责任编辑", "发布时间", "2022-06-22", " 10:51", "http://a.cn/1", "网友评论 0 条", "【编辑:刘欢】"),
    *("第2版", "A3版", "版", "星期四", "周一", "2023年3月30日", " 要闻"),
]
RULE_TEXTS = st.lists(st.sampled_from(RULE_PIECES), max_size=12).map("".join)


@settings(max_examples=2000)
@given(text=RULE_TEXTS)
def test_dateline_answers_as_its_patterns(text: str) -> None:
    found = metadata.NEWS_DATELINE.match(text) or metadata.AGENCY_DATELINE.match(text)
    assert (dateline(text) is None) == (found is None)


@settings(max_examples=2000)
@given(text=RULE_TEXTS)
def test_page_heads_are_found_as_their_patterns_find_them(text: str) -> None:
    short = len(text) <= pagebreaks.MAX_PAGE_HEAD_CHARS and not pagebreaks._SENTENCE_MARK.search(text)
    by_patterns = bool(pagebreaks._PAGE_NUMBER.search(text)) or bool(
        pagebreaks._DATE.search(text) and pagebreaks._WEEKDAY.search(text)
    )
    assert is_page_head(text) == (short and by_patterns)


@settings(max_examples=2000)
@given(text=RULE_TEXTS)
def test_photo_caption_credit_answers_as_its_patterns(text: str) -> None:
    credit = pagebreaks.PHOTO_CREDIT.search(text)
    expected = (
        re.split(r"[\s、]+", credit["named"] or credit["bare"])
        if credit
        else ([] if pagebreaks._CAPTION_LEAD.match(text) else None)
    )
    assert photo_caption_credit(text) == (expected if len(text) <= pagebreaks.MAX_CAPTION_CHARS else None)


def _is_field_line_by_definition(line: str) -> bool:
    if len(line) > metadata.MAX_FIELD_LINE_CHARS:
        return False
    line = _BRACKETS.sub(r"\1", line)
    fields = [field for field in metadata.FIELD.finditer(line) if not metadata._is_sentence_value(field)]
    rest = metadata.FIELD.sub(lambda field: "" if not metadata._is_sentence_value(field) else field.group(), line)
    rest = metadata._FIELD_LINE_EXTRAS.sub("", metadata.URL.sub("", rest))
    if fields and not re.sub(r"[\s|｜/·]+", "", rest):
        return True
    return bool(metadata._WEB_TIMESTAMP.fullmatch(line.strip()))


@settings(max_examples=2000)
@given(text=RULE_TEXTS)
def test_field_lines_are_found_as_defined(text: str) -> None:
    assert is_field_line(text) == _is_field_line_by_definition(text)


# The template slots as first written: each alternative from its start, which is tried at every position.
TEMPLATE_BY_DEFINITION = re.compile(
    r"(?:19|20)\d[xX×]年|(?<![A-Za-z])[xX×]{2}(?:[、，,][xX×]{2})*同志|(?<![A-Za-z])xx、xx"
)
SLOT_PIECES = [*"9xX×年、，,aZ中 ", "19", "20", "201", "xx", "同志", "xx、xx"]


@settings(max_examples=3000)
@given(text=st.one_of(RULE_TEXTS, st.lists(st.sampled_from(SLOT_PIECES), max_size=8).map("".join)))
def test_templates_and_latex_are_found_as_defined(text: str) -> None:
    assert is_templated(text) == bool(TEMPLATE_BY_DEFINITION.search(text))
    assert flatten_latex_scripts(text) == pagebreaks._LATEX_SCRIPT.sub(lambda m: m[1] or "", text)


@settings(max_examples=1000)
@given(line=st.text(st.sampled_from([*_WHITESPACE, "\n", "\x1c", "\x85", "a", "黄"]), max_size=8))
def test_line_keys_ignore_the_whitespace_a_regex_would(line: str) -> None:
    without_spaces = re.sub(r"\s+", "", line)
    assert boilerplate._line_key(line) == boilerplate._line_key(without_spaces)
    assert boilerplate._line_key(line) == int.from_bytes(
        hashlib.blake2b(without_spaces.encode(), digest_size=8).digest(), "big"
    )
