"""Run stages on a Ray cluster (optional extra: pip install 'corpus-toolkit[ray]').

Per-document stages are Ray Data `map_batches` over the input stage's Parquet shards, with order
preserved, so the driver writes the very same shards as the local engine. A stage that needs the whole
corpus runs in the driver and hands its heavy steps to the engine, which runs them as Ray tasks:
`map_in_order` maps a pass over items, `map_with_shared` one over large arrays put in the object store
once, `call` runs one whole-corpus step. Dedup's steps, in order:

- signatures: each task reads a chunk of the shards and computes its signatures, band keys and hashes;
  the driver joins them into the index;
- buckets: a task per LSH band finds its candidate pairs in the band keys, then tasks check slices of the
  candidates against the signatures (toolkit.dedup.buckets);
- clusters: one task joins the pairs into clusters and picks the document each keeps;
- the driver finds the exact groups and the repeated paragraphs, and writes the output.

Ingest, which reads raw files, runs in the driver.
"""

from __future__ import annotations

import logging
import pickle
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import pyarrow as pa

from toolkit.config import ConfigError
from toolkit.document import Document, from_table
from toolkit.engines import BATCH_DOCUMENTS, process_batch
from toolkit.pipeline import Engine, Stage, StageInput

__all__ = ["RayEngine", "require_ray"]

RESULT_COLUMN = "result"  # one row per batch: the pickled (output documents, statistics, inputs read)
TASKS_AHEAD_PER_CPU = 2  # enough to keep the cluster busy; more would hold more results in memory

Item = TypeVar("Item")
Result = TypeVar("Result")


def _call(function: Callable[..., Result], *args: Any) -> Result:
    return function(*args)


def require_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError:
        raise ConfigError("--engine ray needs Ray: pip install 'corpus-toolkit[ray]'") from None
    return ray


def _batch_applier(stage: Stage) -> Callable[[pa.Table], pa.Table]:
    # Results travel pickled, not as Arrow rows: a stage's metadata values keep their Python types
    # (dates, lists) exactly as the local engine hands them to the writer.
    def apply(table: pa.Table) -> pa.Table:
        documents = list(from_table(table))
        out, stats = process_batch(stage, documents)
        payload = pickle.dumps((out, dict(stats), len(documents)), protocol=pickle.HIGHEST_PROTOCOL)
        return pa.table({RESULT_COLUMN: pa.array([payload], pa.binary())})

    return apply


class RayEngine(Engine):
    name = "ray"

    def __init__(self, address: str | None = None, workers: int | None = None) -> None:
        self.ray = require_ray()
        if not self.ray.is_initialized():
            self.ray.init(
                address=address,
                num_cpus=workers if address is None else None,
                include_dashboard=False,
                log_to_driver=False,
                logging_level=logging.WARNING,
            )
        self.workers = max(1, int(self.ray.cluster_resources().get("CPU", 1)))
        context = self.ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True  # same order, hence same bytes, as the local engine
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        logging.getLogger("ray.data").setLevel(logging.WARNING)

    def map_in_order(self, function: Callable[[Item], Result], items: Iterable[Item]) -> Iterator[Result]:
        """Ray tasks, a few per CPU of the cluster in flight, results in input order."""
        return self.map_with_shared(_call, function, items)

    def map_with_shared(
        self, function: Callable[[Any, Item], Result], shared: Any, items: Iterable[Item]
    ) -> Iterator[Result]:
        """Ray tasks, a few per CPU of the cluster in flight, results in input order; `function` and `shared`
        are put in the object store once, where every task reads them (numpy arrays without a copy)."""
        task = self.ray.remote(_call)
        function_ref, shared_ref = self.ray.put(function), self.ray.put(shared)
        ahead = TASKS_AHEAD_PER_CPU * self.workers
        pending: deque[Any] = deque()
        for item in items:
            pending.append(task.remote(function_ref, shared_ref, item))
            if len(pending) > ahead:
                yield self.ray.get(pending.popleft())
        while pending:
            yield self.ray.get(pending.popleft())

    def call(self, function: Callable[..., Result], *args: Any) -> Result:
        """One Ray task, reading its arguments from the object store."""
        return self.ray.get(self.ray.remote(_call).remote(function, *(self.ray.put(arg) for arg in args)))

    def run(self, stage: Stage, source: StageInput, count: Callable[[int], None]) -> Iterator[Document]:
        if not stage.parallel or not source.files:
            yield from super().run(stage, source, count)
            return
        dataset = self.ray.data.read_parquet([str(f) for f in source.files], shuffle=None)
        results = dataset.map_batches(_batch_applier(stage), batch_format="pyarrow", batch_size=BATCH_DOCUMENTS)
        for batch in results.iter_batches(batch_format="pyarrow", batch_size=None):
            for payload in batch[RESULT_COLUMN].to_pylist():
                out, stats, inputs = pickle.loads(payload)
                count(inputs)
                stage.stats.update(Counter(stats))
                yield from out
