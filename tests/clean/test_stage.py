"""The clean stage as a pipeline stage: splitting, numbering, accounting for removals, --keep-removed."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from benchmarks.clean_corpus import build_corpus, character_errors, exact_paragraphs
from toolkit.clean import CleanOptions, CleanStage
from toolkit.config import ConfigError
from toolkit.document import Document, to_table
from toolkit.pipeline import run_stage
from toolkit.text import paragraphs

TWO_ARTICLES = (
    "要闻\n\n（本版稿件均由省生态环境厅提供）\n\n"
    "全省生态环境保护大会召开\n\n本报讯（记者 杨文）10月17日，全省生态环境保护大会在太原召开。"
    "会议强调，要突出抓好问\n\n"
    "2023年10月18日 星期三 第2版 要闻\n\n题整改。（下转第三版）\n\n"
    "华阳二矿：逐“绿”前行\n\n本刊记者 刘振兴\n\n矸石山治理工程的实施，有效地减少了有害气体的排放。\n\n"
    "分享到：\n\n责任编辑：王芳\n\n版权所有 © 2023 某某网\n\n某某网 让新闻离你更近"
)


def test_a_page_splits_into_articles_and_a_rejected_column_header() -> None:
    outs = list(CleanStage().process(Document(text=TWO_ARTICLES, source="page.txt")))
    assert [(d.reject_reason, d.title) for d in outs] == [
        ("not-an-article", "要闻"),
        (None, "全省生态环境保护大会召开"),
        (None, "华阳二矿：逐“绿”前行"),
    ]
    assert outs[1].text == (
        "全省生态环境保护大会召开\n本报讯（记者 杨文）10月17日，全省生态环境保护大会在太原召开。"
        "会议强调，要突出抓好问题整改。"
    )
    assert outs[1].meta["page_head"] == ["2023年10月18日 星期三 第2版 要闻"]
    assert outs[1].meta["continuation_markers"] == ["（下转第三版）"]
    assert (outs[2].meta["author"], outs[2].meta["editor"]) == ("刘振兴", "王芳")
    assert [r["reason"] for r in outs[2].removed] == ["share-widget", "metadata-line", "copyright", "trailing-chrome"]


def test_every_removal_is_counted_and_kept_on_its_document() -> None:
    stage = CleanStage()
    outs = list(stage.process(Document(text=TWO_ARTICLES, source="page.txt")))
    removed = sum(count for key, count in stage.stats.items() if key.startswith("removed."))
    assert removed == sum(len(d.removed) for d in outs) == 6


def test_parts_are_numbered_on_across_documents_of_one_source(tmp_path: Path) -> None:
    docs = [Document(text=TWO_ARTICLES, source="a.jsonl", part=n) for n in range(2)]
    docs.append(Document(text="正文。", source="b.jsonl"))
    (tmp_path / "in").mkdir()
    pq.write_table(to_table(docs), tmp_path / "in" / "part-00000.parquet")
    run_stage(CleanStage(), tmp_path / "in", tmp_path / "out")
    written = [
        (row["source"], row["part"])
        for folder in ("documents", "rejects")
        for row in pq.read_table(tmp_path / "out" / folder).to_pylist()
    ]
    assert sorted(written) == [*(("a.jsonl", n) for n in range(6)), ("b.jsonl", 0)]


@pytest.mark.parametrize(
    "text",
    [
        "The river is long.\nIt flows east, past the town-hall and the old mill.\nPM2.5 fell by 50.6% in 2022.",
        "第一章　总则\n第一条 为了规范国务院行政机构的设置，制定本条例。\n一、总体要求\n推进生态保护。",
    ],
)
def test_clean_text_passes_unchanged(text: str) -> None:
    (out,) = CleanStage().process(Document(text=text, source="x"))
    assert out.text == text and not out.removed


def test_a_page_made_only_of_chrome_is_rejected_with_what_it_held() -> None:
    (out,) = CleanStage().process(Document(text="首页 > 新闻 > 正文\n\n分享到：\n\n（0）", source="x"))
    assert out.reject_reason == "only-boilerplate" and len(out.removed) == 3


def test_lines_recurring_across_the_corpus_are_boilerplate() -> None:
    docs = [Document(text=f"第{n}号公告：会议召开。\n东方资讯网·权威发布 服务百姓", source=f"{n}") for n in range(5)]
    stage = CleanStage(CleanOptions(recurring_line_min_documents=5))
    stage.prepare(docs)
    assert [d.text for d in stage.process(docs[0])] == ["第0号公告：会议召开。"]
    assert stage.stats["removed.recurring-line"] == 1


def test_recurrence_threshold_of_one_is_refused() -> None:
    with pytest.raises(ConfigError, match="recurring_line_min_documents"):
        CleanOptions.from_table({"recurring_line_min_documents": 1}, "clean")


def test_keep_removed_writes_every_removed_span_beside_the_output(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    pq.write_table(to_table([Document(text=TWO_ARTICLES, source="page.txt")]), source / "part-00000.parquet")
    report = run_stage(CleanStage(CleanOptions(keep_removed=True)), source, tmp_path / "out")
    removed = pq.read_table(tmp_path / "out" / "removed" / "removed-00000.parquet").to_pylist()
    assert len(removed) == sum(n for key, n in report.stats.items() if key.startswith("removed."))
    assert {"source": "page.txt", "part": 2, "reason": "metadata-line", "text": "责任编辑：王芳"} in removed
    assert report.rejected == {"not-an-article": 1}


def test_damaged_real_text_comes_back() -> None:
    """A small slice of the benchmark (benchmarks/clean.py): real paragraphs, synthetic damage."""
    docs = build_corpus(seed=7, per_corpus=12)
    if not docs:
        pytest.skip("the public corpora benchmarks/clean_corpus.py draws from are not present")
    stage = CleanStage()
    inputs = [Document(text=d.damaged, source=d.source) for d in docs]
    stage.prepare(inputs)
    cleaned = {d.source: [] for d in docs}
    for doc in inputs:
        for out in stage.process(doc):
            cleaned[out.source] += paragraphs(out.text)
    characters = sum(len("\n".join(d.original)) for d in docs)
    errors = sum(character_errors(d.original, cleaned[d.source]) for d in docs)
    exact = sum(exact_paragraphs(d.original, cleaned[d.source]) for d in docs)
    assert errors / characters < 0.01
    assert exact / sum(len(d.original) for d in docs) >= 0.95


def test_recurring_lines_are_counted_the_same_when_the_counts_are_merged_often(monkeypatch):
    from collections import Counter

    from toolkit.clean import boilerplate
    from toolkit.clean.boilerplate import RecurringLines, _line_key
    from toolkit.text import paragraphs

    footers = ["本站由某某网络科技公司提供技术支持", "版权所有 某某日报社", "责任编辑：王某"]
    pages = [f"第{i}号公告的正文。\n{footers[i % 3]}\n{footers[(i * 7) % 3]}\n第{i % 4}页" for i in range(60)]
    documents_with = Counter(key for page in pages for key in {_line_key(line) for line in paragraphs(page)})
    expected = {key for key, n in documents_with.items() if n >= 5}
    monkeypatch.setattr(boilerplate, "KEYS_PER_MERGE", 7)  # many merges of partial counts
    assert RecurringLines.count(pages, max_chars=40, min_documents=5).keys == expected
    assert len(expected) == 3 + 4  # the footers and the page numbers, not the numbered notices


def test_lines_recurring_across_slices_of_the_input_are_counted_together(tmp_path: Path) -> None:
    """The recurrence survey runs in workers, a slice of rows each: a line in five documents that two slices
    share (rows 252 to 256, across the first row group's end) must still count five."""
    from toolkit.engines import LocalEngine
    from toolkit.pipeline import ShardWriter

    footer = "东方资讯网·权威发布 服务百姓"
    writer = ShardWriter(tmp_path / "in", "part", rejects=False)
    for n in range(600):
        writer.write(
            Document(f"第{n}号公告：今日召开第{n}次会议。" + (f"\n{footer}" if 252 <= n <= 256 else ""), f"{n}.txt")
        )
    writer.close()
    stage = CleanStage(CleanOptions(recurring_line_min_documents=5))
    run_stage(stage, tmp_path / "in", tmp_path / "out", engine=LocalEngine(2))
    texts = [
        row["text"]
        for shard in sorted((tmp_path / "out" / "documents").glob("*.parquet"))
        for row in pq.read_table(shard).to_pylist()
    ]
    assert len(texts) == 600 and not any(footer in text for text in texts)
    assert stage.stats["removed.recurring-line"] == 5
