"""Engines: where a stage's work runs. The output is the same bytes whichever engine runs it.

- `LocalEngine`: a process pool on this machine (`--workers N`, default one per core).
- `RayEngine` (toolkit.engines.ray): a Ray cluster, `--engine ray [--address ADDR]`, optional extra `[ray]`.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice
from multiprocessing.pool import AsyncResult
from typing import Any, TypeVar

from toolkit.document import Document
from toolkit.pipeline import (
    Engine,
    OutputBatch,
    RowGroup,
    SideProcess,
    Stage,
    StageInput,
    output_batch,
    read_rows,
    row_groups,
)
from toolkit.workers import start_forkserver, worker_count

__all__ = ["BATCH_DOCUMENTS", "Engine", "LocalEngine", "get_engine", "map_in_order", "process_batch"]

Item = TypeVar("Item")
Result = TypeVar("Result")

BATCH_DOCUMENTS = 64  # documents per Ray Data batch: small enough to balance, large enough to amortise pickling
SERIAL_BELOW = 500  # inputs smaller than this are not worth starting worker processes for


def process_batch(stage: Stage, batch: list[Document]) -> tuple[list[Document], Counter[str]]:
    """Apply a per-document stage to a batch; return its output and the statistics it counted."""
    stage.stats = Counter()
    return [result for doc in batch for result in stage.process(doc)], stage.stats


BATCHES_AHEAD = 2  # per worker: enough to keep every worker busy while the next batch is read


def worker_context() -> multiprocessing.context.BaseContext:
    """Worker processes that start clean: never a fork of this process, which may run threads (Arrow's,
    rensa's Rust pool) whose locks a forked child would inherit held, with no thread left to release them."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def map_in_order(
    function: Callable[[Item], Result],
    items: Iterable[Item],
    *,
    workers: int | None = None,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[Result]:
    """`map(function, items)` computed by `workers` processes (default one per core), results in input
    order; with one worker, or a single item, computed here without starting any.

    Unlike `Pool.imap`, whose feeder reads the whole input ahead into a queue, this keeps only a few
    items in flight, so what streams through it is never all in memory. `function` must be picklable
    (a module-level function or a partial of one).

    >>> list(map_in_order(sum, iter([[1, 2], [3], [4, 5]]), workers=2))
    [3, 3, 9]
    """
    items = iter(items)
    head = list(islice(items, 2))
    workers = worker_count(workers)
    if workers <= 1 or len(head) < 2:
        if initializer is not None:
            initializer(*initargs)
        yield from map(function, chain(head, items))
        return
    with worker_context().Pool(workers, initializer=initializer, initargs=initargs) as pool:
        pending: deque[AsyncResult[Result]] = deque()
        for item in chain(head, items):
            pending.append(pool.apply_async(function, (item,)))
            if len(pending) > BATCHES_AHEAD * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


_worker_stage: Stage | None = None
_worker_then: Stage | None = None  # the stage that surveys the output, if the runner chains it


def _init_worker(stage: Stage, then: Stage | None) -> None:
    global _worker_stage, _worker_then
    _worker_stage, _worker_then = stage, then


def _process_in_worker(group: RowGroup) -> tuple[OutputBatch, Counter[str], int]:
    """Read, process and convert a row group of the input where the work is done: the parent only writes."""
    assert _worker_stage is not None
    documents = read_rows(group)
    _worker_stage.stats = Counter()
    outputs = (out for doc in documents for out in _worker_stage.process(doc))
    return output_batch(_worker_stage, outputs, _worker_then), _worker_stage.stats, len(documents)


def _prepare_side_process(modules: Sequence[str]) -> None:
    # At the lowest priority: the imports (a second of CPU for `datasets`) then take the cores only when the
    # stages leave one idle, instead of slowing their workers down.
    if hasattr(os, "nice"):
        os.nice(19)
    for module in modules:
        importlib.import_module(module)


class PooledSideProcess(SideProcess):
    """A worker process of its own that imports `modules` as soon as it starts, while the caller goes on, at
    the lowest priority: it runs what comes after the stages."""

    def __init__(self, modules: Sequence[str]) -> None:
        self.pool = worker_context().Pool(1, initializer=_prepare_side_process, initargs=(modules,))

    def call(self, function: Callable[..., Result], /, *args: Any, **kwargs: Any) -> Result:
        try:
            return self.pool.apply(function, args, kwargs)
        finally:
            self.close()

    def close(self) -> None:
        self.pool.terminate()  # at once, even while it still imports: the call is done or not needed


class LocalEngine(Engine):
    """Per-document stages on a pool of processes that read their row groups of the input shards themselves;
    results come back in input order."""

    name = "local"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = worker_count(workers)

    def prepare(self, stages: Iterable[Stage]) -> None:
        """Start the process that forks the workers now (toolkit.workers), so that each stage's pool starts
        in milliseconds instead of importing the stage and building its tables in every worker."""
        if self.workers > 1:
            start_forkserver(type(stage).__module__ for stage in stages)

    def map_in_order(self, function: Callable[[Item], Result], items: Iterable[Item]) -> Iterator[Result]:
        return map_in_order(function, items, workers=self.workers)

    def side_process(self, modules: Sequence[str]) -> SideProcess:
        return PooledSideProcess(modules) if self.workers > 1 else SideProcess()

    def run_batches(
        self, stage: Stage, source: StageInput, count: Callable[[int], None], then: Stage | None = None
    ) -> Iterator[OutputBatch]:
        if not stage.parallel or self.workers <= 1 or not source.files or (source.total or 0) < SERIAL_BELOW:
            yield from super().run_batches(stage, source, count, then)
            return
        work = row_groups(source.files)
        for batch, stats, inputs in map_in_order(
            _process_in_worker, work, workers=self.workers, initializer=_init_worker, initargs=(stage, then)
        ):
            count(inputs)
            stage.stats.update(stats)
            yield batch


def get_engine(name: str = "local", *, workers: int | None = None, address: str | None = None) -> Engine:
    """The engine called `name`; a missing optional package is a clear error saying what to install."""
    if name == "local":
        return LocalEngine(workers)
    if name == "ray":
        from toolkit.engines.ray import RayEngine

        return RayEngine(address=address, workers=workers)
    raise ValueError(f"unknown engine {name!r}: use 'local' or 'ray'")
