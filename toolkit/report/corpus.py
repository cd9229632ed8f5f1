"""What the report reads from a project: the stages' manifests, the ingest output as the raw side of each
diff, the duplicate clusters, and the typed columns of the final corpus. Everything streams a record batch at
a time; what is kept in memory grows with the number of duplicates, not with the corpus.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from toolkit.document import DOCUMENT_SCHEMA, RAW_PART, Document
from toolkit.pipeline import BATCH_ROWS, parquet_batches, read_manifest
from toolkit.report.charts import Histogram
from toolkit.text import han_ratio

__all__ = ["DuplicateClusters", "RawTexts", "StageRow", "Tallies", "TextMeasures", "signal_histograms", "stage_rows"]


@dataclass
class StageRow:
    """One stage's line in the totals table, from its manifest (`ran` is False when it has none)."""

    name: str
    ran: bool
    documents_in: int = 0
    documents_out: int = 0
    rejected: Mapping[str, int] = field(default_factory=dict)
    bytes_out: int = 0
    seconds: float = 0.0
    stats: Mapping[str, Any] = field(default_factory=dict)


def stage_rows(stage_outputs: Iterable[tuple[str, Path]]) -> list[StageRow]:
    rows = []
    for name, output in stage_outputs:
        manifest = read_manifest(output)
        if manifest is None:
            rows.append(StageRow(name, ran=False))
            continue
        counts = manifest.get("counts", {})
        rows.append(
            StageRow(
                name,
                ran=True,
                documents_in=counts.get("in", 0),
                documents_out=counts.get("out", 0),
                rejected=counts.get("rejected", {}),
                bytes_out=manifest.get("bytes_out", 0),
                seconds=manifest.get("seconds", 0.0),
                stats=manifest.get("stats", {}),
            )
        )
    return rows


class RawTexts:
    """The ingest output in a scratch SQLite file: the raw side of every diff.

    A document's raw text is the ingest document it came from: the one with its source and its `raw_part`
    (a document the clean stage cut out of a larger one) or else its `part`. Workers read the file the
    report's process wrote (`reading`).
    """

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.database = sqlite3.connect(path if create else f"{path.resolve().as_uri()}?mode=ro", uri=not create)
        if create:
            self.database.execute("CREATE TABLE raw (source TEXT, part INTEGER, text TEXT, PRIMARY KEY (source, part))")

    @staticmethod
    @lru_cache(maxsize=1)
    def reading(path: Path) -> RawTexts:
        """The raw texts written at `path`, opened once per process."""
        return RawTexts(path, create=False)

    def add_all(self, documents: Iterable[Document]) -> None:
        rows = ((doc.source, doc.part, doc.text) for doc in documents)
        self.database.executemany("INSERT OR REPLACE INTO raw VALUES (?, ?, ?)", rows)
        self.database.commit()

    def text_of(self, doc: Document) -> str | None:
        part = doc.part if doc.meta.get(RAW_PART) is None else doc.meta[RAW_PART]
        query = "SELECT text FROM raw WHERE source = ? AND part = ?"
        row = self.database.execute(query, (doc.source, part)).fetchone()
        return None if row is None else str(row[0])

    def close(self) -> None:
        self.database.close()


@dataclass
class TextMeasures:
    """Length and Han-ratio histograms of a stream of texts (the same bins before and after, to overlay)."""

    lengths: Histogram = field(default_factory=Histogram.logarithmic)
    han_ratios: Histogram = field(default_factory=lambda: Histogram.linear(0.0, 1.0))

    def counted(self, documents: Iterable[Document]) -> Iterator[Document]:
        """The same documents, measured as they pass."""
        for doc in documents:
            self.add(doc.text)
            yield doc

    def add(self, text: str) -> None:
        self.lengths.add([len(text)])
        self.han_ratios.add([han_ratio(text)])

    def merge(self, other: TextMeasures) -> None:
        """Count in what `other` measured (with the same bins)."""
        self.lengths.counts += other.lengths.counts
        self.han_ratios.counts += other.han_ratios.counts


@dataclass
class Tallies:
    """Repairs by fixer and removed spans by reason, over every document that reached the end."""

    repair_spans: Counter[str] = field(default_factory=Counter)
    repaired_documents: Counter[str] = field(default_factory=Counter)
    removed_spans: Counter[str] = field(default_factory=Counter)
    removed_characters: Counter[str] = field(default_factory=Counter)

    def add(self, doc: Document) -> None:
        self.repair_spans.update(doc.repairs)
        self.repaired_documents.update(fixer for fixer, spans in doc.repairs.items() if spans)
        for span in doc.removed:
            self.removed_spans[span["reason"]] += 1
            self.removed_characters[span["reason"]] += len(span["text"] or "")

    def merge(self, other: Tallies) -> None:
        for counter in dataclasses.fields(self):
            getattr(self, counter.name).update(getattr(other, counter.name))


def cluster_key(meta: Mapping[str, Any]) -> str | None:
    """The cluster a document belongs to: the dedup stage's `cluster_id`, else the id it is a `duplicate_of`."""
    key = meta.get("cluster_id") or meta.get("duplicate_of")
    return str(key) if key else None


@dataclass
class DuplicateClusters:
    """Which dropped documents duplicate which kept one, by document number (the report's running index).

    Rejects name their cluster in meta (`cluster_id`, or `duplicate_of` with the kept document's id); the
    kept document is found by its id or its own `cluster_id`: `note_kept` is told each final document's
    number before any reject asks for its kept copy.
    """

    members: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    kept: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_rejects(cls, files: Iterable[Path], first_number: int) -> DuplicateClusters:
        """Read the rejects' meta column only; rejects are numbered from `first_number` in file order."""
        clusters = cls()
        number = first_number
        for file in files:
            for batch in parquet_batches(file, batch_size=BATCH_ROWS, columns=["meta"]):
                for meta in batch.column("meta").to_pylist():
                    key = cluster_key(json.loads(meta) if meta else {})
                    if key is not None:
                        clusters.members[key].append(number)
                    number += 1
        return clusters

    def note_kept(self, number: int, doc: Document) -> None:
        for key in (doc.id, cluster_key(doc.meta)):
            if key in self.members:
                self.kept[key] = number

    def duplicates_of(self, doc: Document) -> list[int]:
        """Numbers of the dropped duplicates of a kept document."""
        key = next((k for k in (doc.id, cluster_key(doc.meta)) if k in self.members), None)
        return self.members[key] if key is not None else []

    def kept_copy_of(self, doc: Document) -> int | None:
        """Number of the kept document a dropped duplicate duplicates, when it is among the final documents
        (all of them noted first: they are numbered before the rejects)."""
        key = cluster_key(doc.meta)
        return self.kept.get(key) if key is not None else None

    def sizes(self) -> Counter[int]:
        """Cluster size (the kept document and its dropped duplicates) -> number of clusters."""
        return Counter(len(members) + 1 for members in self.members.values())


_NOT_MEASURES = {*DOCUMENT_SCHEMA.names, RAW_PART}  # numbers that say where a document is, not what it is


def signal_histograms(files: list[Path]) -> dict[str, Histogram]:
    """A histogram per numeric column beyond the core schema (sizes and quality signals), in column order.

    Two passes over each column alone: its range, then its bins. Columns without a value are left out.
    """
    if not files:
        return {}
    schema = pq.read_schema(files[0])
    numeric = [
        f.name
        for f in schema
        if f.name not in _NOT_MEASURES and (pa.types.is_integer(f.type) or pa.types.is_floating(f.type))
    ]
    histograms = {}
    for name in numeric:
        extremes = [pc.min_max(values) for values in _column_batches(files, name)]
        lows = [e["min"].as_py() for e in extremes if e["min"].is_valid]
        highs = [e["max"].as_py() for e in extremes if e["max"].is_valid]
        if not lows:
            continue
        histogram = Histogram.for_range(min(lows), max(highs))
        for values in _column_batches(files, name):
            histogram.add(values.drop_null().to_numpy(zero_copy_only=False))
        histograms[name] = histogram
    return histograms


def _column_batches(files: list[Path], name: str) -> Iterator[pa.Array]:
    for file in files:
        for batch in parquet_batches(file, batch_size=BATCH_ROWS * 64, columns=[name]):
            yield batch.column(0)
