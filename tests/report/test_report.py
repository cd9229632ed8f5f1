"""The HTML report: produced for the sample corpus, showing what the stages recorded, text escaped,
split into pages and chunks, deterministic, and rewritten only when the corpus changes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import RAW
from tests.report.conftest import MARKUP_FILE, SMALL_LAYOUT, SUBTITLE, build_project
from toolkit.clean import CleanStage
from toolkit.cli import main
from toolkit.document import RAW_PART
from toolkit.engines import LocalEngine
from toolkit.ingest import IngestStage
from toolkit.pipeline import run_stage
from toolkit.project import init_project, stage_folders
from toolkit.report import write_report
from toolkit.report.charts import Histogram, histogram_chart
from toolkit.report.corpus import signal_histograms

TWO_ARTICLES = "000_e8ddab1613936c90.txt"  # the clean stage cuts it into two articles


def report_folder(root: Path) -> Path:
    return root / "clean" / "report"


def read(root: Path, name: str) -> str:
    return (report_folder(root) / name).read_text(encoding="utf-8")


def every_file(root: Path) -> dict[str, bytes]:
    folder = report_folder(root)
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def index_entries(root: Path) -> list[list[object]]:
    """The document list, parsed from the chunk scripts (each `ctkIndexChunk(n, [...]);`)."""
    entries = []
    for chunk in sorted((report_folder(root) / "index").glob("chunk-*.js")):
        body = chunk.read_text(encoding="utf-8")
        array = body[body.index("[") : body.rindex("]") + 1]
        entries += json.loads(re.sub(r",\s*]$", "]", array))
    return entries


def test_ctk_run_writes_the_report_of_the_sample_corpus_and_ends_by_printing_its_path(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", "-C", str(project)]) == 0
    index = report_folder(project) / "index.html"
    assert capsys.readouterr().out.strip().splitlines()[-1] == f"Report: {index}"
    page = index.read_text(encoding="utf-8")
    for stage in ("ingest", "repair", "clean", "dedup", "enrich"):
        assert f"<td>{stage}</td>" in page
    assert page.count("<svg") >= 2  # length and Han ratio, inline
    entries = index_entries(project)
    assert {entry[2] for entry in entries} == {p.name for p in (project / "raw").iterdir()}
    details = "".join(p.read_text(encoding="utf-8") for p in (report_folder(project) / "docs").glob("*.html"))
    assert details.count('<section class="document"') == len(entries)


def test_totals_repairs_and_removed_spans_are_on_the_index_page(recorded_project: Path) -> None:
    page = read(recorded_project, "index.html")
    assert "4 documents kept, 2 dropped" in page
    assert "<td>ingest</td><td class=number>6</td><td class=number>6</td>" in page
    assert re.search(r"<td>repair</td><td colspan=\"6\" class=\"note\">not run</td>", page)
    assert "<tr><td>punctuation</td><td class=number>3</td><td class=number>1</td></tr>" in page
    assert f"<tr><td>boilerplate</td><td class=number>1</td><td class=number>{len(SUBTITLE)}</td></tr>" in page


def test_charts_cover_lengths_han_ratio_signals_and_duplicate_clusters(recorded_project: Path) -> None:
    page = read(recorded_project, "index.html")
    charts = re.findall(r"<figure><svg.*?</svg>\s*</figure>", page, flags=re.S)
    titles = ["Document length", "Han ratio", "han_ratio", "Duplicate cluster sizes"]
    assert len(charts) == len(titles)
    for chart, title in zip(charts, titles, strict=True):
        assert f">{title}</text>" in chart  # matplotlib's text, left as SVG text
    assert "http" not in "".join(re.findall(r'(?:src|href)="([^"]*)"', page))  # nothing loaded from afar


def test_a_removed_line_is_marked_with_its_reason_in_the_diff(recorded_project: Path) -> None:
    page = read(recorded_project, "docs/page-00001.html")
    first = page[page.index('id="doc-1"') : page.index('id="doc-2"')]
    assert re.search(rf'<del class="removed" data-reason="boilerplate"[^>]*>{SUBTITLE}\n</del>', first)
    assert "<del>,</del><ins>，</ins>" in first  # the repaired punctuation
    assert "<dt>outlet</dt><dd>山西日报</dd>" in first and "<dt>repairs</dt><dd>punctuation ×3</dd>" in first


def test_duplicates_link_to_each_other_across_pages(recorded_project: Path) -> None:
    pages = {n: read(recorded_project, f"docs/page-0000{n}.html") for n in (1, 3)}
    assert 'Dropped duplicates of this document: <a href="page-00003.html#doc-5">#5</a>' in pages[1]
    assert 'Dropped duplicates of this document: <a href="page-00003.html#doc-6">#6</a>' in pages[1]
    assert 'Duplicate of <a href="page-00001.html#doc-1">#1</a>' in pages[3]
    assert 'Duplicate of <a href="page-00001.html#doc-2">#2</a>' in pages[3]
    assert "dropped by dedup: near-duplicate" in pages[3]


def test_the_documents_are_split_into_pages_and_index_chunks(recorded_project: Path) -> None:
    files = every_file(recorded_project)
    assert [f for f in files if f.startswith("docs/")] == [f"docs/page-0000{n}.html" for n in (1, 2, 3)]
    assert [f for f in files if f.startswith("index/")] == ["index/chunk-00001.js", "index/chunk-00002.js"]
    entries = index_entries(recorded_project)
    assert [entry[0] for entry in entries] == [1, 2, 3, 4, 5, 6]
    assert entries[4][4] == "near-duplicate (dedup)" and entries[0][8] == "山西日报 · 杨文"
    second = read(recorded_project, "docs/page-00002.html")
    assert '<a href="page-00001.html">← previous</a>' in second and '<a href="page-00003.html">next →</a>' in second


def test_corpus_markup_is_shown_as_text(recorded_project: Path) -> None:
    html = "".join(text.decode("utf-8") for name, text in every_file(recorded_project).items() if ".html" in name)
    assert "&lt;script&gt;window.injected = true;" in html
    assert "onerror=&quot;window.injected = true&quot;" in html and "&amp; 符号" in html
    assert "<script>window" not in html and "<img src=x" not in html
    (entry,) = [e for e in index_entries(recorded_project) if e[2] == MARKUP_FILE]
    assert str(entry[1]).startswith("<script>window.injected")  # data for textContent, never markup


def test_the_report_is_deterministic_and_rewritten_only_when_the_corpus_changes(tmp_path: Path) -> None:
    project = build_project(tmp_path)
    write_report(project, layout=SMALL_LAYOUT)
    manifest = report_folder(project) / "manifest.json"
    first, written = every_file(project), manifest.stat().st_mtime_ns

    write_report(project, layout=SMALL_LAYOUT)
    assert manifest.stat().st_mtime_ns == written
    write_report(project, layout=SMALL_LAYOUT, force=True)
    assert manifest.stat().st_mtime_ns != written
    assert every_file(project) == first

    (project / "raw" / "006_new.txt").write_text("新的一篇文章。\n", encoding="utf-8")
    build_project(project)  # the stages rerun on the changed raw folder
    write_report(project, layout=SMALL_LAYOUT)
    assert manifest.stat().st_mtime_ns != written
    assert len(index_entries(project)) == 7


def test_ctk_report_prints_the_path_and_fails_in_one_line_before_the_pipeline_ran(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = build_project(tmp_path / "project")
    assert main(["report", "-C", str(project), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"report": str(report_folder(project) / "index.html")}
    assert main(["report", "-C", str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"ctk: error: {tmp_path / 'clean'}: no manifest.json here; run `ctk run` first\n"


def test_an_article_cut_out_of_a_record_is_compared_with_that_record(tmp_path: Path) -> None:
    """The clean stage numbers the parts of a file anew when it splits a record: the first record of this
    JSONL file holds two articles, so the second record's document is part 2 and must still show record 1."""
    init_project(tmp_path)
    records = [(RAW / name).read_text(encoding="utf-8") for name in (TWO_ARTICLES, "002_bc199c91f5c17d2a.txt")]
    lines = [json.dumps({"text": text}, ensure_ascii=False) for text in records]
    (tmp_path / "raw" / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    folders = stage_folders(tmp_path)
    run_stage(IngestStage(), folders[0][1], folders[0][2])
    run_stage(CleanStage(), folders[0][2], folders[-1][2])
    write_report(tmp_path)
    page = read(tmp_path, "docs/page-00001.html")
    third = page[page.index('id="doc-3"') :]
    assert "news.jsonl, part 2" in third
    assert "No ingest document has this source" not in third
    assert "201x年" in third and "蓝佛安" not in third


def test_the_local_engine_renders_the_same_report_as_one_process(tmp_path: Path) -> None:
    """Row groups are rendered on the pool: 300 more raw files make the final corpus two row groups."""
    init_project(tmp_path)
    for n in range(300):
        (tmp_path / "raw" / f"{100 + n}_extra.txt").write_text(f"第{n}篇短文。\n内容，编号{n}。\n", encoding="utf-8")
    project = build_project(tmp_path)
    write_report(project, layout=SMALL_LAYOUT, engine=LocalEngine(2))
    on_the_pool = every_file(project)
    write_report(project, layout=SMALL_LAYOUT, force=True)
    assert every_file(project) == on_the_pool
    assert len(index_entries(project)) == 306


def test_numbers_that_locate_a_document_get_no_chart(tmp_path: Path) -> None:
    shard = tmp_path / "documents.parquet"
    columns = {"part": pa.array([0, 1], pa.int32()), RAW_PART: pa.array([0, 0], pa.int32())}
    pq.write_table(pa.table({**columns, "characters": [120, 3400], "han_ratio": [0.5, 0.9]}), shard)
    assert list(signal_histograms([shard])) == ["characters", "han_ratio"]


def test_a_long_log_axis_labels_its_decades_only() -> None:
    """Minor labels (2 and 5 of each decade) help on a short log axis and run into each other on a long one."""
    long, short = Histogram.logarithmic(), Histogram.logarithmic()
    long.add([5, 50_000])
    short.add([150, 900])
    assert ">10,000<" in histogram_chart("Lengths", "characters", {"clean": long})
    assert ">5,000<" not in histogram_chart("Lengths", "characters", {"clean": long})
    assert ">200<" in histogram_chart("Lengths", "characters", {"clean": short})
