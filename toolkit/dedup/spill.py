"""Storage for the dedup index, memory up to a budget, then disk; and for documents that are no shards.

The index is a set of fixed-width numpy columns that grow batch by batch. While their sum fits the
budget they stay in memory; a column that would exceed it moves to a file and is memory-mapped when
read, so the operating system pages it in. Documents given as an iterator (the stage used as a
library, not by the runner, which hands over the input's shards) are first written to one lz4 Parquet
file, read like a shard.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow.parquet as pq

from toolkit.document import Document, to_table

__all__ = ["MemoryBudget", "SpillableColumn", "spill_documents"]


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


def spill_documents(documents: Iterable[Document], path: Path, *, batch_rows: int) -> list[Path]:
    """Write `documents` in input order to one Parquet file; [path], or [] when there were none."""
    stream = iter(documents)
    writer: pq.ParquetWriter | None = None
    while batch := list(islice(stream, batch_rows)):
        table = to_table(batch)
        if writer is None:
            # lz4: the file lives for one run; zstd's smaller file costs more time than it saves
            writer = pq.ParquetWriter(path, table.schema, compression="lz4")
        writer.write_table(table)
    if writer is None:
        return []
    writer.close()
    return [path]
