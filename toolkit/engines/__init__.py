"""Engines: where a stage's work runs. The output is the same bytes whichever engine runs it.

- `LocalEngine`: a process pool on this machine (`--workers N`, default one per core).
- `RayEngine` (toolkit.engines.ray): a Ray cluster, `--engine ray [--address ADDR]`, optional extra `[ray]`.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterator

from toolkit.document import Document
from toolkit.pipeline import Engine, Stage, StageInput, counting

__all__ = ["BATCH_DOCUMENTS", "Engine", "LocalEngine", "get_engine", "process_batch"]

BATCH_DOCUMENTS = 64  # documents per task: small enough to balance, large enough to amortise pickling
SERIAL_BELOW = 500  # inputs smaller than this are not worth starting worker processes for


def process_batch(stage: Stage, batch: list[Document]) -> tuple[list[Document], Counter[str]]:
    """Apply a per-document stage to a batch; return its output and the statistics it counted."""
    stage.stats = Counter()
    return [result for doc in batch for result in stage.process(doc)], stage.stats


def batches(documents: Iterator[Document], size: int = BATCH_DOCUMENTS) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for doc in documents:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_worker_stage: Stage | None = None


def _init_worker(stage: Stage) -> None:
    global _worker_stage
    _worker_stage = stage


def _process_in_worker(batch: list[Document]) -> tuple[list[Document], Counter[str]]:
    assert _worker_stage is not None
    return process_batch(_worker_stage, batch)


class LocalEngine(Engine):
    """Per-document stages on a pool of processes; results come back in input order."""

    name = "local"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1

    def run(self, stage: Stage, source: StageInput, count: Callable[[int], None]) -> Iterator[Document]:
        if not stage.parallel or self.workers <= 1 or (source.total or 0) < SERIAL_BELOW:
            yield from super().run(stage, source, count)
            return
        context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        with context.Pool(self.workers, initializer=_init_worker, initargs=(stage,)) as pool:
            for out, stats in pool.imap(_process_in_worker, batches(counting(source.documents(), count))):
                stage.stats.update(stats)
                yield from out


def get_engine(name: str = "local", *, workers: int | None = None, address: str | None = None) -> Engine:
    """The engine called `name`; a missing optional package is a clear error saying what to install."""
    if name == "local":
        return LocalEngine(workers)
    if name == "ray":
        from toolkit.engines.ray import RayEngine

        return RayEngine(address=address, workers=workers)
    raise ValueError(f"unknown engine {name!r}: use 'local' or 'ray'")
