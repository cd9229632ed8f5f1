"""Running a function over a stream of batches in worker processes, results in input order.

Unlike `Pool.imap`, which reads its whole input ahead into a queue, this keeps only a few batches in
flight, so the text streamed through it is never all in memory.

>>> list(map_in_order(sum, iter([[1, 2], [3], [4, 5]]), workers=2))
[3, 3, 9]
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from multiprocessing.pool import AsyncResult
from typing import TypeVar

__all__ = ["map_in_order"]

Item = TypeVar("Item")
Result = TypeVar("Result")

BATCHES_AHEAD = 2  # per worker: enough to keep every worker busy while the next batch is read


def map_in_order(
    function: Callable[[Item], Result], items: Iterable[Item], *, workers: int | None = None
) -> Iterator[Result]:
    """`map(function, items)`, computed by `workers` processes (default one per core). `function` must be
    a module-level function or a partial of one; a single item is computed here, without starting any."""
    items = iter(items)
    head = list(islice(items, 2))
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(head) < 2:
        yield from map(function, chain(head, items))
        return
    # Not fork: this process may run threads (rensa's Rust pool, Arrow's) whose locks a forked child would
    # inherit held, with no thread left to release them.
    context = multiprocessing.get_context(
        "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    )
    with context.Pool(workers) as pool:
        pending: deque[AsyncResult[Result]] = deque()
        for item in chain(head, items):
            pending.append(pool.apply_async(function, (item,)))
            if len(pending) > BATCHES_AHEAD * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
