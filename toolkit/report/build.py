"""Writing the report of a project into clean/report/, from what the stages left on disk.

    clean/report/index.html              totals per stage, repairs, removed spans, charts, the document list
    clean/report/docs/page-00001.html    the documents themselves, raw → clean, a few dozen per page
    clean/report/index/chunk-00001.js    the document list, loaded by report.js a chunk at a time
    clean/report/manifest.json           what the report was built from: unchanged input, nothing rewritten

Documents are numbered from 1 in the order they are written: the final documents, then every reject. The
rejects' meta is read first, to know the duplicate clusters; then the engine renders the row groups (the
local one on its process pool), given their first number and their links to duplicates, which this process
reads from ids and meta alone, and this process writes them in order. The raw side of each diff is looked up
in a scratch SQLite copy of the ingest output. The report is built in clean/.tmp-report/
and moved into place at the end, like a stage's output.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from importlib import resources
from pathlib import Path
from typing import TextIO

import pyarrow.parquet as pq

from toolkit import __version__
from toolkit.config import CONFIG_FILE, ProjectOptions, fingerprint
from toolkit.pipeline import MANIFEST, DataError, Engine, RowGroup, read_documents, read_manifest, read_rows, row_groups
from toolkit.project import load_config, stage_folders
from toolkit.report.charts import Histogram, bar_chart, histogram_chart
from toolkit.report.corpus import (
    DuplicateClusters,
    RawTexts,
    Tallies,
    TextMeasures,
    signal_histograms,
    stage_rows,
)
from toolkit.report.pages import (
    CHUNK_FILE,
    PAGE_FILE,
    PAGE_NAME,
    detail_page_end,
    detail_page_start,
    document_section,
    index_entry,
    index_page,
    numbered,
)

__all__ = ["REPORT_FOLDER", "ReportLayout", "write_report"]

REPORT_FOLDER = "report"  # inside the final corpus folder, clean/
ASSETS = ("report.css", "report.js")


@dataclasses.dataclass(frozen=True)
class ReportLayout:
    """How the report splits a corpus into files, so that 100,000 documents open as fast as 100."""

    documents_per_page: int = 25  # a detail page holds full diffs: a few dozen keep it quick to open
    entries_per_chunk: int = 1000  # about 150 kB of script per chunk of the document list
    rows_per_listing_page: int = 50


class NumberedFiles:
    """Items written into numbered files of `per_file` items each (file 1, 2, …), each file opened with
    `start(number)` and closed with `end(number)`."""

    def __init__(
        self, folder: Path, template: str, per_file: int, start: Callable[[int], str], end: Callable[[int], str]
    ) -> None:
        self.folder, self.template, self.per_file, self.start, self.end = folder, template, per_file, start, end
        self.items = 0
        self.file: TextIO | None = None

    def write(self, item: str) -> None:
        if self.items % self.per_file == 0:
            self.close()
            number = self.items // self.per_file + 1
            path = self.folder / numbered(self.template, number)
            path.parent.mkdir(parents=True, exist_ok=True)
            self.file = path.open("w", encoding="utf-8")
            self.file.write(self.start(number))
        assert self.file is not None
        self.file.write(item)
        self.items += 1

    def close(self) -> None:
        if self.file is not None:
            self.file.write(self.end((self.items - 1) // self.per_file + 1))
            self.file.close()
            self.file = None


def write_report(
    root: str | Path = ".", *, force: bool = False, layout: ReportLayout | None = None, engine: Engine | None = None
) -> Path:
    """Write the HTML report of the project at `root` (unless it is up to date) and return its index page.
    The documents are rendered by `engine` (the local one renders row groups on its process pool)."""
    root = Path(root)
    layout = layout or ReportLayout()
    folders = stage_folders(root)
    final_folder = folders[-1][2]
    manifest = read_manifest(final_folder)
    if manifest is None:
        raise DataError(f"{final_folder}: no {MANIFEST} here; run `ctk run` first")
    target = final_folder / REPORT_FOLDER
    project = load_config(root / CONFIG_FILE)["project"]
    assert isinstance(project, ProjectOptions)
    project_name = project.name or root.resolve().name
    built_from = fingerprint(
        __version__,
        project_name,
        dataclasses.asdict(layout),
        [(read_manifest(output) or {}).get("output_fingerprint") for _, _, output in folders],
    )
    if not force and (read_manifest(target) or {}).get("built_from") == built_from:
        return target / "index.html"

    building = final_folder / f".tmp-{REPORT_FOLDER}"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir()
    document_files = [final_folder / entry["path"] for entry in manifest["documents"]]
    reject_files = [final_folder / entry["path"] for entry in manifest["rejects"]]
    kept = sum(entry["rows"] for entry in manifest["documents"])
    dropped = sum(pq.ParquetFile(file).metadata.num_rows for file in reject_files)
    before, after, tallies = TextMeasures(), TextMeasures(), Tallies()
    clusters = DuplicateClusters.from_rejects(reject_files, first_number=kept + 1)

    # matplotlib draws the signals' charts in a thread while the engine renders the documents (the two
    # largest parts of the work; this process only waits for and writes the documents meanwhile, so the
    # thread has the interpreter); the other charts need the documents' pass.
    with tempfile.TemporaryDirectory(prefix="ctk-report-") as scratch, ThreadPoolExecutor(1) as drawing:
        raw_path = Path(scratch) / "raw.sqlite"
        raw_texts = RawTexts(raw_path)
        ingest_output = folders[0][2]
        if (ingest_manifest := read_manifest(ingest_output)) is not None:
            ingest_files = [ingest_output / entry["path"] for entry in ingest_manifest["documents"]]
            raw_texts.add_all(before.counted(read_documents(ingest_files)))
        raw_texts.close()
        signal_charts = drawing.submit(_signal_charts, document_files)
        rows = _numbered_rows(document_files, reject_files, clusters, raw_path, layout.documents_per_page)
        rendered = (engine or Engine()).map_in_order(render_rows, rows)
        _write_documents(building, layout, kept + dropped, rendered, after, tallies)
        charts, chart_notes = _charts(before, after, signal_charts.result(), clusters)

    listing = {
        "total": kept + dropped,
        "documentsPerPage": layout.documents_per_page,
        "entriesPerChunk": layout.entries_per_chunk,
        "rowsPerPage": layout.rows_per_listing_page,
    }
    page = index_page(
        project=project_name,
        stages=stage_rows((name, output) for name, _, output in folders),
        tallies=tallies,
        charts=charts,
        chart_notes=chart_notes,
        kept=kept,
        dropped=dropped,
        listing_config=listing,
    )
    (building / "index.html").write_text(page, encoding="utf-8")
    for asset in ASSETS:
        (building / asset).write_bytes(resources.files("toolkit.report").joinpath("assets", asset).read_bytes())
    record = {"built_from": built_from, "tool_version": __version__, "documents": kept + dropped}
    (building / MANIFEST).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    _move_into_place(building, target)
    return target / "index.html"


@dataclasses.dataclass(frozen=True)
class NumberedRows:
    """A row group of the final documents or of the rejects, whose first row is document number `first`,
    with what links each row to its duplicates: (the kept copy of a reject, the dropped copies of a kept one)."""

    group: RowGroup
    first: int
    links: list[tuple[int | None, list[int]]]
    raw_texts: Path
    documents_per_page: int


@dataclasses.dataclass
class RenderedRows:
    """NumberedRows as the report shows them: detail page sections, index entries, and what they count."""

    sections: list[str]
    entries: list[str]
    tallies: Tallies
    measures: TextMeasures  # of the final documents' texts only


def _numbered_rows(
    document_files: list[Path], reject_files: list[Path], clusters: DuplicateClusters, raw_texts: Path, per_page: int
) -> Iterator[NumberedRows]:
    """The row groups to render, in order: the final documents, then the rejects. Reading only ids and meta,
    it notes each kept document's number before any reject asks for its kept copy."""
    number = 1
    for files, kept in ((document_files, True), (reject_files, False)):
        for group in row_groups(files):
            links: list[tuple[int | None, list[int]]] = []
            for offset, doc in enumerate(read_rows(group, ["id", "meta"])):
                if kept:
                    clusters.note_kept(number + offset, doc)
                    links.append((None, clusters.duplicates_of(doc)))
                else:
                    links.append((clusters.kept_copy_of(doc), []))
            yield NumberedRows(group, number, links, raw_texts, per_page)
            number += len(links)


def render_rows(rows: NumberedRows) -> RenderedRows:
    """Render a row group where the engine computes: each document's diff is most of the report's work."""
    raw_texts = RawTexts.reading(rows.raw_texts)
    href = partial(detail_href, rows.documents_per_page)
    rendered = RenderedRows([], [], Tallies(), TextMeasures())
    documents = read_rows(rows.group)
    for number, (doc, (kept_copy, duplicates)) in enumerate(zip(documents, rows.links, strict=True), rows.first):
        raw_text = raw_texts.text_of(doc)
        rendered.tallies.add(doc)
        if doc.reject_reason is None:
            rendered.measures.add(doc.text)
        rendered.sections.append(
            document_section(number, doc, raw_text, kept_copy=kept_copy, duplicates=duplicates, href=href)
        )
        rendered.entries.append(json.dumps(index_entry(number, doc, raw_text), ensure_ascii=False) + ",\n")
    return rendered


def detail_href(per_page: int, number: int) -> str:
    """The link from one detail page to document `number` on another."""
    return f"{numbered(PAGE_NAME, (number - 1) // per_page + 1)}#doc-{number}"


def _write_documents(
    folder: Path,
    layout: ReportLayout,
    total: int,
    rendered: Iterable[RenderedRows],
    measures: TextMeasures,
    tallies: Tallies,
) -> None:
    """The detail pages and the index chunks, from the rendered row groups in order."""
    per_page = layout.documents_per_page
    page_count = -(-total // per_page)

    def page_start(page: int) -> str:
        return detail_page_start(page, page_count, (page - 1) * per_page + 1, min(total, page * per_page))

    pages = NumberedFiles(folder, PAGE_FILE, per_page, page_start, lambda page: detail_page_end(page, page_count))
    chunks = NumberedFiles(
        folder, CHUNK_FILE, layout.entries_per_chunk, lambda chunk: f"ctkIndexChunk({chunk}, [\n", lambda _: "]);\n"
    )
    for rows in rendered:
        for section in rows.sections:
            pages.write(section)
        for entry in rows.entries:
            chunks.write(entry)
        tallies.merge(rows.tallies)
        measures.merge(rows.measures)
    pages.close()
    chunks.close()


def _signal_charts(document_files: list[Path]) -> list[str]:
    """A chart per quality signal of the final documents: they need nothing from the documents' pass."""
    return [
        histogram_chart(name, name, {"clean": histogram})
        for name, histogram in signal_histograms(document_files).items()
    ]


def _charts(
    before: TextMeasures, after: TextMeasures, signal_charts: list[str], clusters: DuplicateClusters
) -> tuple[list[str], list[str]]:
    """The SVG charts, and a note for each chart that has nothing to show yet."""

    def before_and_after(raw: Histogram, clean: Histogram) -> dict[str, Histogram]:
        return {"raw (ingest)": raw, "clean": clean} if raw.total else {"clean": clean}

    charts = [
        histogram_chart("Document length", "characters", before_and_after(before.lengths, after.lengths)),
        histogram_chart("Han ratio", "share of Han characters", before_and_after(before.han_ratios, after.han_ratios)),
        *signal_charts,
    ]
    notes = []
    if not signal_charts:
        notes.append("No quality signals: the final documents have no numeric columns yet (enrich writes them).")
    if clusters.members:
        charts.append(bar_chart("Duplicate cluster sizes", "documents in the cluster", clusters.sizes()))
    else:
        notes.append("No duplicate clusters: no dropped document names a cluster_id or a duplicate_of.")
    return charts, notes


def _move_into_place(building: Path, target: Path) -> None:
    old = target.with_name(f".old-{target.name}")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    building.rename(target)
    shutil.rmtree(old, ignore_errors=True)
