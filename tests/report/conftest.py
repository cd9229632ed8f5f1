"""A project whose final corpus records what the repair, clean and dedup stages record, for the report.

The seeds are ingested for real; a stand-in for the later stages then removes spans, repairs characters,
adds metadata and a quality signal, and drops duplicates naming what they duplicate (by `duplicate_of` and
by `cluster_id`). A sixth raw file holds markup that must show as text.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pytest

from tests.conftest import RAW
from toolkit.document import DOCUMENT_SCHEMA, Document, content_id
from toolkit.ingest import IngestStage
from toolkit.pipeline import Stage, run_stage
from toolkit.project import init_project, stage_folders
from toolkit.report import ReportLayout, write_report
from toolkit.text import han_ratio

MARKUP_FILE = "005_markup.txt"
MARKUP = (
    '<script>window.injected = true; console.error("injected script ran")</script>标记测试\n'
    '正文一段，<img src=x onerror="window.injected = true">其中有标记 & 符号。\n'
)
SUBTITLE = "金湘军提出工作要求"  # a line of the first seed, removed by the stand-in as boilerplate
SMALL_LAYOUT = ReportLayout(documents_per_page=2, entries_per_chunk=3, rows_per_listing_page=2)


class LaterStagesStandIn(Stage):
    """Records on the seeds what repair, clean and dedup record, and keeps a typed quality signal."""

    name = "enrich"
    parallel = False
    schema = DOCUMENT_SCHEMA.append(pa.field("han_ratio", pa.float64()))

    def run(self, documents: Iterable[Document]) -> Iterator[Document]:
        kept: dict[str, str] = {}  # source prefix -> id of the kept document
        for doc in documents:
            prefix = doc.source[:3]
            if prefix == "000":
                doc.text = doc.text.replace(SUBTITLE + "\n", "").replace(",", "，")
                doc.removed.append({"reason": "boilerplate", "text": SUBTITLE})
                doc.count_repair("punctuation", 3)
                doc.meta.update(outlet="山西日报", author="杨文")
            doc.id = content_id(doc.text)
            doc.meta["han_ratio"] = han_ratio(doc.text)
            if prefix == "001":
                doc.meta["duplicate_of"] = kept["000"]
                doc.reject("near-duplicate").stage = "dedup"
            elif prefix in ("002", "003"):
                doc.meta["cluster_id"] = "cluster-2"
                if prefix == "003":
                    doc.reject("exact-duplicate").stage = "dedup"
            kept[prefix] = doc.id
            yield doc


def build_project(root: Path) -> Path:
    init_project(root)
    for seed in sorted(RAW.iterdir()):
        shutil.copy(seed, root / "raw" / seed.name)
    (root / "raw" / MARKUP_FILE).write_text(MARKUP, encoding="utf-8")
    folders = stage_folders(root)
    raw, ingest_output, final = folders[0][1], folders[0][2], folders[-1][2]
    run_stage(IngestStage(), raw, ingest_output)
    run_stage(LaterStagesStandIn(), ingest_output, final)
    return root


@pytest.fixture(scope="module")
def recorded_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with its report written in small pages (2 documents) and chunks (3 entries)."""
    root = build_project(tmp_path_factory.mktemp("recorded"))
    write_report(root, layout=SMALL_LAYOUT)
    return root
