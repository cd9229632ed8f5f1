"""Reading the input shards directly: the first pass in chunks of row groups, the output passes by selection.

The input of a stage is immutable Parquet, so dedup reads it where it lies instead of copying the corpus:
a worker reads the text column of its own chunk (nothing but a file name and row-group numbers travels
to it), and the output passes read the shards again, turning only the selected rows into documents.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from toolkit.document import Document, from_table
from toolkit.pipeline import DataError, parquet_batches

__all__ = ["Chunk", "chunks", "read_chunk", "read_selected"]


@dataclass(frozen=True)
class Chunk:
    """Consecutive row groups of one shard: the unit of work of the first pass."""

    path: Path
    row_groups: tuple[int, ...]
    rows: int


def chunks(files: Iterable[Path], rows: int) -> Iterator[Chunk]:
    """The shards' row groups gathered into chunks of about `rows` rows, in input order.

    Our stages write row groups of a few hundred rows; a shard written elsewhere may hold larger
    ones, and a row group is never split: it is the smallest part of a file that can be read alone.
    """
    for path in files:
        try:
            metadata = pq.ParquetFile(path).metadata
        except (OSError, ValueError) as error:
            raise DataError(f"{path}: unreadable Parquet shard ({error})") from None
        groups: list[int] = []
        count = 0
        for group in range(metadata.num_row_groups):
            groups.append(group)
            count += metadata.row_group(group).num_rows
            if count >= rows:
                yield Chunk(path, tuple(groups), count)
                groups, count = [], 0
        if groups:
            yield Chunk(path, tuple(groups), count)


def read_chunk(chunk: Chunk, *, with_repairs: bool) -> tuple[list[str], np.ndarray]:
    """The texts of a chunk's rows and, when asked, the repairs counted in each (zeros otherwise)."""
    columns = ["text", "repairs"] if with_repairs else ["text"]
    try:
        # one thread: this runs in a worker, and the workers are the parallelism
        table = pq.ParquetFile(chunk.path).read_row_groups(list(chunk.row_groups), columns=columns, use_threads=False)
    except (OSError, ValueError, KeyError) as error:
        raise DataError(f"{chunk.path}: unreadable Parquet shard ({error})") from None
    texts = table.column("text").to_pylist()
    if not with_repairs:
        return texts, np.zeros(len(texts), dtype=np.int64)
    return texts, _repairs_per_row(table.column("repairs").combine_chunks())


def _repairs_per_row(repairs: pa.ListArray) -> np.ndarray:
    """Sum of the `count` fields of each row's list of repairs.

    >>> _repairs_per_row(pa.array([[{"fixer": "a", "count": 2}, {"fixer": "b", "count": 3}], [], None]))
    array([5, 0, 0])
    """
    offsets = repairs.offsets.to_numpy(zero_copy_only=False).astype(np.int64)
    counts = repairs.values.field("count").fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    running = np.concatenate([[0], np.cumsum(counts)])
    return running[offsets[1:]] - running[offsets[:-1]]


def _indices(ordinals: np.ndarray) -> pa.Array:
    # From the buffer: pa.array() on a numpy array imports pandas, 0.3 s for a process that never uses it.
    values = np.ascontiguousarray(ordinals, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])


def read_selected(files: Iterable[Path], selected: np.ndarray, batch_rows: int) -> Iterator[tuple[int, Document]]:
    """(ordinal, document) for the rows whose entry in the boolean `selected` is true, in input order;
    the others are skipped before they become Python objects."""
    start = 0
    for path in files:
        try:
            for batch in parquet_batches(path, batch_size=batch_rows):
                ordinals = np.flatnonzero(selected[start : start + batch.num_rows]) + start
                if len(ordinals):
                    chosen = batch if len(ordinals) == batch.num_rows else batch.take(_indices(ordinals - start))
                    yield from zip(ordinals.tolist(), from_table(chosen), strict=True)
                start += batch.num_rows
        except (OSError, ValueError) as error:
            raise DataError(f"{path}: unreadable Parquet shard ({error})") from None
