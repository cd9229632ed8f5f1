"""The Ray engine on a real local Ray cluster gives the same corpus, byte for byte, as the local engine, with
dedup's bucket and cluster steps run in Ray's worker processes."""

from __future__ import annotations

import json
import os
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.conftest import corpus_files, news_project
from toolkit.dedup.evaluation import truncate
from toolkit.engines import LocalEngine
from toolkit.project import run_pipeline

ray = pytest.importorskip("ray", reason="Ray is the optional extra [ray]; make test installs it with [dev]")


@pytest.fixture(scope="module")
def ray_engine():
    from toolkit.engines.ray import RayEngine

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield RayEngine()
    finally:
        ray.shutdown()


def _shards(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "documents").glob("*.parquet"))}


def _duplicates_project(root: Path) -> Path:
    """The news project with work for the dedup stage: 40 documents repeated (exact duplicates), 40 more
    repeated truncated (near duplicates)."""
    news_project(root, repeated=40)
    with (root / "raw" / "news.jsonl").open("a", encoding="utf-8") as fh:
        for path in corpus_files("peoples-daily-1998", 80)[40:]:
            text = truncate(path.read_text(encoding="utf-8"), random.Random(0))
            fh.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
    return root


def _run_noting_where(folder: Path, function: Callable[..., Any], *args: Any) -> Any:
    """`function(*args)`, leaving in `folder` a file named after the function and the process running it."""
    (folder / f"{getattr(function, 'func', function).__name__}.{os.getpid()}").touch()
    return function(*args)


class NotesWhereStepsRun:
    """Engine mixin: the steps a stage hands to `map_with_shared` and `call` note where they ran."""

    def __init__(self, folder: Path, *args: Any) -> None:
        self.folder = folder
        folder.mkdir()
        super().__init__(*args)

    def map_with_shared(self, function: Callable[..., Any], shared: Any, items: Iterable[Any]) -> Iterator[Any]:
        return super().map_with_shared(partial(_run_noting_where, self.folder, function), shared, items)

    def call(self, function: Callable[..., Any], *args: Any) -> Any:
        return super().call(partial(_run_noting_where, self.folder, function), *args)

    def processes(self) -> dict[str, set[int]]:
        """Per step (function name), the processes it ran in."""
        ran: dict[str, set[int]] = defaultdict(set)
        for note in self.folder.iterdir():
            name, pid = note.name.rsplit(".", 1)
            ran[name].add(int(pid))
        return ran


def test_ray_and_local_engines_write_the_same_corpus(tmp_path: Path, ray_engine) -> None:
    from toolkit.engines.ray import RayEngine

    class NotingLocalEngine(NotesWhereStepsRun, LocalEngine):
        pass

    class NotingRayEngine(NotesWhereStepsRun, RayEngine):
        pass

    local = _duplicates_project(tmp_path / "local")
    local_engine = NotingLocalEngine(tmp_path / "local-steps", 2)
    run_pipeline(local, engine=local_engine)
    distributed = _duplicates_project(tmp_path / "ray")
    ray_steps = NotingRayEngine(tmp_path / "ray-steps")
    result = run_pipeline(distributed, engine=ray_steps)
    assert [r.documents_out for r in result.stages][-1] > 500
    assert _shards(distributed / "clean") == _shards(local / "clean")
    assert _shards(distributed / "clean")
    ray_ran, local_ran = ray_steps.processes(), local_engine.processes()
    for step in ("band_candidates", "signatures_agree", "cluster_keepers"):  # dedup's bucket and cluster steps
        assert ray_ran[step] and os.getpid() not in ray_ran[step], step  # in Ray's worker processes
        assert local_ran[step] == {os.getpid()}, step  # here: the index is not copied to the pool's workers


def _tagged(offset: int, item: int) -> tuple[int, int]:
    return item + offset, os.getpid()


def test_a_stage_pass_mapped_on_ray_runs_in_ray_workers_in_input_order(ray_engine) -> None:
    results = list(ray_engine.map_in_order(partial(_tagged, 100), iter(range(20))))
    assert [value for value, _ in results] == list(range(100, 120))
    assert os.getpid() not in {pid for _, pid in results}  # computed by Ray's worker processes, not here


def _row_sum(matrix: np.ndarray, row: int) -> tuple[int, int, bool]:
    return int(matrix[row].sum()), os.getpid(), matrix.flags.writeable


def test_a_step_over_shared_arrays_on_ray_runs_in_ray_workers_reading_the_object_store(ray_engine) -> None:
    matrix = np.arange(60).reshape(20, 3)
    results = list(ray_engine.map_with_shared(_row_sum, matrix, range(20)))
    assert [total for total, _, _ in results] == matrix.sum(axis=1).tolist()
    assert os.getpid() not in {pid for _, pid, _ in results}
    assert not any(writeable for _, _, writeable in results)  # Ray's zero-copy view of the object store


def test_a_whole_corpus_step_called_on_ray_runs_in_a_ray_worker(ray_engine) -> None:
    total, pid, _ = ray_engine.call(_row_sum, np.arange(6).reshape(2, 3), 1)
    assert total == 12 and pid != os.getpid()
