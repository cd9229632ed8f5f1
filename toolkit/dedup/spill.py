"""Storage for the dedup index and the documents between passes: memory up to a budget, then disk.

The index is a set of fixed-width numpy columns that grow batch by batch. While their sum fits the
budget they stay in memory; a column that would exceed it moves to a file and is memory-mapped when
read, so the operating system pages it in. The documents themselves always go to one lz4 Parquet
file, read back once per output pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from toolkit.document import Document, from_table, to_table

__all__ = ["DocumentSpill", "MemoryBudget", "SpillableColumn"]

READ_ROWS = 1024  # documents per record batch read back


class MemoryBudget:
    def __init__(self, limit_bytes: int) -> None:
        self.limit = limit_bytes
        self.used = 0


class SpillableColumn:
    """Rows of `width` values of `dtype` (width 0: one value per row), appended in batches."""

    def __init__(self, path: Path, dtype: np.dtype | type, width: int, budget: MemoryBudget) -> None:
        self.path, self.dtype, self.width, self.budget = path, np.dtype(dtype), width, budget
        self.chunks: list[np.ndarray] = []
        self.rows = 0
        self.file: BinaryIO | None = None  # the open file once spilled

    @property
    def spilled(self) -> bool:
        return self.file is not None

    def append(self, rows: np.ndarray) -> None:
        rows = np.ascontiguousarray(rows, dtype=self.dtype)
        self.rows += len(rows)
        if not self.spilled and self.budget.used + rows.nbytes > self.budget.limit:
            self._spill()
        if self.file is not None:
            self.file.write(rows.tobytes())
        else:
            self.chunks.append(rows)
            self.budget.used += rows.nbytes

    def _spill(self) -> None:
        self.file = self.path.open("wb")
        for chunk in self.chunks:
            self.file.write(chunk.tobytes())
            self.budget.used -= chunk.nbytes
        self.chunks = []

    def array(self) -> np.ndarray:
        """All rows: an array in memory, or a read-only memory map of the file."""
        shape = (self.rows, self.width) if self.width else (self.rows,)
        if self.file is not None:
            self.file.close()
            if self.rows == 0:
                return np.empty(shape, dtype=self.dtype)
            return np.memmap(self.path, dtype=self.dtype, mode="r", shape=shape)
        if not self.chunks:
            return np.empty(shape, dtype=self.dtype)
        return np.concatenate(self.chunks).reshape(shape)


class DocumentSpill:
    """The documents of the first pass, in input order, in one Parquet file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.writer: pq.ParquetWriter | None = None

    def write(self, documents: list[Document]) -> None:
        table = to_table(documents)
        if self.writer is None:
            # lz4: the file lives for one run and is read back twice; zstd's smaller file costs more time than it saves
            self.writer = pq.ParquetWriter(self.path, table.schema, compression="lz4")
        self.writer.write_table(table)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()

    def read(self, selected: np.ndarray) -> Iterator[tuple[int, Document]]:
        """(ordinal, document) for the documents whose entry in the boolean `selected` is true; the others
        are skipped before they become Python objects."""
        if self.writer is None:
            return
        start = 0
        # pre_buffer off: on, pyarrow buffers the file's whole column chunks ahead, and this file is the corpus
        for batch in pq.ParquetFile(self.path, pre_buffer=False).iter_batches(batch_size=READ_ROWS):
            ordinals = np.flatnonzero(selected[start : start + batch.num_rows]) + start
            if len(ordinals):
                chosen = batch.take(pa.array(ordinals - start))
                yield from zip(ordinals.tolist(), from_table(chosen), strict=True)
            start += batch.num_rows
