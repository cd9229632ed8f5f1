"""The raw → clean diff: what it marks, with which reason, and that it loses no text either way."""

from __future__ import annotations

import re
from html import unescape

from hypothesis import given
from hypothesis import strategies as st

from toolkit.report.diff import FOLD_LINES, render_diff

RAW = "标题\n来源：新华社 责任编辑：王磊\n正文第一段,说明情况。(下转第二版)正文继续。\n正文第二段。"
CLEAN = "标题\n正文第一段，说明情况。正文继续。\n正文第二段。"
REMOVED = [
    {"reason": "boilerplate", "text": "来源：新华社 责任编辑：王磊"},
    {"reason": "page-break", "text": "(下转第二版)"},
]


def side(html: str, keep: str) -> str:
    """The text of one side of a diff: drop the other side's elements and the folds' summaries."""
    other = "ins" if keep == "del" else "del"
    html = re.sub(rf"<{other}\b[^>]*>.*?</{other}>", "", html, flags=re.S)
    html = re.sub(r"<summary>.*?</summary>", "", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_removed_lines_and_inline_spans_carry_their_reason() -> None:
    html = render_diff(RAW, CLEAN, REMOVED)
    assert '<del class="removed" data-reason="boilerplate"' in html
    assert re.search(r'data-reason="boilerplate"[^>]*>来源：新华社 责任编辑：王磊\n</del>', html)
    assert re.search(r'data-reason="page-break"[^>]*>\(下转第二版\)</del>', html)


def test_a_repaired_character_is_a_change_not_a_removal() -> None:
    html = render_diff(RAW, CLEAN, REMOVED)
    assert "<del>,</del><ins>，</ins>" in html
    assert "正文第二段。" in html and "<ins>正文第二段" not in html  # an unchanged line is plain text


def test_identical_texts_give_plain_escaped_text() -> None:
    assert render_diff("a <b> & c\n第二行", "a <b> & c\n第二行") == "a &lt;b&gt; &amp; c\n第二行"


def test_markup_in_the_corpus_is_escaped_on_both_sides() -> None:
    html = render_diff("<script>alert(1)</script>\n正文", '正文\n<img src=x onerror="alert(1)">')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "onerror=&quot;alert(1)&quot;" in html


def test_a_long_run_of_unexplained_raw_lines_folds_away() -> None:
    other_part = "\n".join(f"另一篇文章第{n}段。" for n in range(FOLD_LINES + 1))
    html = render_diff(f"正文。\n{other_part}", "正文。")
    assert f'<details class="folded"><summary>{FOLD_LINES + 1} raw lines' in html
    assert "另一篇文章第0段" in html  # folded, not dropped


@given(
    st.text(alphabet="ab，,。中文\n <&", max_size=60),
    st.text(alphabet="ab，,。中文\n <&", max_size=60),
)
def test_each_side_of_the_diff_is_the_text_it_came_from(raw: str, clean: str) -> None:
    html = render_diff(raw, clean, [{"reason": "boilerplate", "text": raw[:8]}])
    assert side(html, keep="del") == raw
    assert side(html, keep="ins") == clean
