"""The clean stage on text extracted from web pages: post headers, page links and field lines go; an
interview's questions and a table's cells stay."""

from __future__ import annotations

from toolkit.clean import CleanStage
from toolkit.document import Document

FORUM_POST = (
    "主题： 你知道导游为什么那么热衷于让你去各种各样的商场购物吗？\n"
    "2005-04-05 06:40更新 来源：转载文章\n"
    "导游带团进店购物，商店按营业额给导游返还佣金，这是旅游业公开的秘密。\n"
    "（ 责任编辑：魏喆 ）\n"
    "第1页/共1页 << 上一页 | 下一页 >>\n"
    "收藏此帖 回复此帖 引用此帖"
)
INTERVIEW = (
    "新华网黑龙江频道 记者 伊琳 李清芬\n"
    "记者：首先欢迎你来到新华网接受我们的采访，请问你怎样看待农业税补贴问题？\n"
    "王先生：农业税补贴让农民得到了实惠，买农机的人多了。"
)
# A table's cells, one per line, after a number the extractor gave alone (taken for a counter).
TABLE = "招生专业目录如下。\n7\n" + "\n".join(
    ["艺术学原理", "刘梦溪", "英语或俄语或日语", "艺术概论", "中国艺术史基础知识", "新增点正在审批"] * 3
)


def cleaned(text: str) -> Document:
    (doc,) = CleanStage().process(Document(text=text, source="page.html"))
    return doc


def test_post_headers_page_links_and_field_lines_go_and_their_facts_stay() -> None:
    doc = cleaned(FORUM_POST)
    assert doc.text == "导游带团进店购物，商店按营业额给导游返还佣金，这是旅游业公开的秘密。"
    assert doc.meta["editor"] == "魏喆" and doc.meta["outlet"] == "转载文章"
    assert {removed["reason"] for removed in doc.removed} == {"post-header", "metadata-line", "pagination"}


def test_an_interviews_questions_are_text_not_fields() -> None:
    doc = cleaned(INTERVIEW)
    assert "记者：首先欢迎你来到新华网接受我们的采访" in doc.text
    assert "请问你怎样看待农业税补贴问题" not in doc.meta.get("author", "")


def test_a_tables_cells_are_not_chrome_trailing_a_counter() -> None:
    doc = cleaned(TABLE)
    assert doc.text.count("艺术学原理") == 3 and "新增点正在审批" in doc.text
