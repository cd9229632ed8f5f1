"""The Hub's Parquet layout, written the way `datasets` writes it.

`data/train-{i:05d}-of-{n:05d}.parquet`; shards of at most `max_shard_bytes` of Arrow data; row groups
of at most `max_row_group_bytes` in memory (the Hub's viewer reads one row group at a time); zstd;
content-defined chunking, so pages that did not change between two versions are byte-identical and the
Hub's storage re-uploads only what changed; a page index; the `datasets` features in the schema metadata,
so `load_dataset("parquet", ...)` gets the declared types without the card. The same corpus gives
byte-identical shards.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features
from datasets import config as datasets_config

from toolkit.enrich.schema import DATASET_SCHEMA
from toolkit.pipeline import DataError, parquet_batches

__all__ = ["SPLIT", "CorpusScan", "dataset_features", "read_keys", "scan_corpus", "shard_name", "write_shards"]

SPLIT = "train"
READ_BATCH_ROWS = 1024


def dataset_features() -> Features:
    """The `datasets` features of DATASET_SCHEMA: what the card declares and the shards carry."""
    return Features.from_arrow_schema(DATASET_SCHEMA)


def shard_name(index: int, count: int) -> str:
    return f"data/{SPLIT}-{index:05d}-of-{count:05d}.parquet"


@dataclass
class CorpusScan:
    """What one pass over the corpus tells the card, the changelog and the shard plan."""

    rows: int = 0
    nbytes: int = 0  # Arrow size in memory: `datasets`' num_bytes, and what shard and row group sizes count
    characters: int = 0
    text_bytes: int = 0
    paragraphs: int = 0
    han_ratio_sum: float = 0.0
    published: list[date] = field(default_factory=list)
    languages: Counter[str] = field(default_factory=Counter)
    repaired_documents: Counter[str] = field(default_factory=Counter)  # fixer -> documents it changed
    repaired_spans: Counter[str] = field(default_factory=Counter)  # fixer -> spans it changed
    removed_spans: Counter[str] = field(default_factory=Counter)  # reason -> spans removed
    keys: dict[tuple[str, int], str] = field(default_factory=dict)  # (source, part) -> id

    def add(self, batch: pa.RecordBatch) -> None:
        self.rows += batch.num_rows
        self.nbytes += batch.nbytes
        columns = [
            "id",
            "source",
            "part",
            "characters",
            "bytes",
            "paragraphs",
            "han_ratio",
            "published",
            "language",
            "repairs",
            "removed",
        ]
        for row in batch.select(columns).to_pylist():
            self.characters += row["characters"]
            self.text_bytes += row["bytes"]
            self.paragraphs += row["paragraphs"]
            self.han_ratio_sum += row["han_ratio"]
            if row["published"] is not None:
                self.published.append(row["published"])
            self.languages[row["language"]] += 1
            for repair in row["repairs"]:
                self.repaired_documents[repair["fixer"]] += 1
                self.repaired_spans[repair["fixer"]] += repair["count"]
            self.removed_spans.update(span["reason"] for span in row["removed"])
            self.keys[(row["source"], row["part"])] = row["id"]


def _check_schema(file: Path) -> None:
    schema = pq.read_schema(file).remove_metadata()
    if not schema.equals(DATASET_SCHEMA):
        raise DataError(f"{file}: its columns are not those of this corpus-toolkit's enrich stage; rerun `ctk enrich`")


def scan_corpus(files: list[Path]) -> CorpusScan:
    scan = CorpusScan()
    for file in files:
        _check_schema(file)
        for batch in parquet_batches(file, batch_size=READ_BATCH_ROWS):
            scan.add(batch)
    return scan


def read_keys(folder: Path) -> dict[tuple[str, int], str]:
    """(source, part) -> id of every document of a published version, for its changelog."""
    keys: dict[tuple[str, int], str] = {}
    for file in sorted((folder / "data").glob(f"{SPLIT}-*.parquet")):
        table = pq.read_table(file, columns=["source", "part", "id"])
        keys.update(
            zip(
                zip(table["source"].to_pylist(), table["part"].to_pylist(), strict=True),
                table["id"].to_pylist(),
                strict=True,
            )
        )
    return keys


def _row_groups(files: list[Path], group_rows: int) -> Iterator[pa.Table]:
    """The corpus as tables of exactly `group_rows` rows (the last may be shorter).

    A group is up to `max_row_group_bytes` (100 MB): nothing here keeps one once it is yielded, so that it is
    freed before the next is read (holding it made two groups alive at once, 130 MB more at 1 GB)."""
    pending: list[pa.RecordBatch] = []
    count = 0
    for file in files:
        for batch in parquet_batches(file, batch_size=READ_BATCH_ROWS):
            pending.append(batch)
            count += batch.num_rows
            while count >= group_rows:
                head, pending = _split_batches(pending, group_rows)
                count -= group_rows
                yield pa.Table.from_batches(head, schema=DATASET_SCHEMA)
                del head
    if count:
        yield pa.Table.from_batches(pending, schema=DATASET_SCHEMA)


def _split_batches(batches: list[pa.RecordBatch], rows: int) -> tuple[list[pa.RecordBatch], list[pa.RecordBatch]]:
    """The first `rows` rows of `batches` and the rest, as slices of them (no copy)."""
    head: list[pa.RecordBatch] = []
    for index, batch in enumerate(batches):
        if rows <= batch.num_rows:
            head.append(batch.slice(0, rows))
            rest = [batch.slice(rows)] if rows < batch.num_rows else []
            return head, rest + batches[index + 1 :]
        head.append(batch)
        rows -= batch.num_rows
    return head, []


def write_shards(
    files: list[Path], folder: Path, scan: CorpusScan, *, max_shard_bytes: int, max_row_group_bytes: int
) -> list[str]:
    """Write the corpus as data/ shards under `folder`; returns their paths relative to `folder`."""
    # The same arithmetic as `datasets` (push_to_hub and get_writer_batch_size_from_data_size).
    group_rows = max(1, scan.rows * max_row_group_bytes // scan.nbytes) if scan.nbytes else max(1, scan.rows)
    groups = math.ceil(scan.rows / group_rows)
    groups_per_shard = math.ceil(groups / (scan.nbytes // max_shard_bytes + 1))
    count = math.ceil(groups / groups_per_shard)
    schema = dataset_features().arrow_schema
    cdc = datasets_config.DEFAULT_CDC_OPTIONS
    (folder / "data").mkdir(parents=True, exist_ok=True)
    names = [shard_name(i, count) for i in range(count)]
    writer: pq.ParquetWriter | None = None
    group_index = 0  # not enumerate(): its reused result tuple would hold the last group while the next is read
    for table in _row_groups(files, group_rows):
        if group_index % groups_per_shard == 0:
            if writer is not None:
                writer.close()
            writer = pq.ParquetWriter(
                folder / names[group_index // groups_per_shard],
                schema,
                compression="zstd",
                use_content_defined_chunking=cdc,
                write_page_index=True,
            )
            writer.add_key_value_metadata({"content_defined_chunking": json.dumps(cdc)})  # as `datasets` records it
        assert writer is not None
        writer.write_table(table.replace_schema_metadata(schema.metadata), row_group_size=group_rows)
        del table
        group_index += 1  # noqa: SIM113
    if writer is not None:
        writer.close()
    return names
