"""The Ray engine on a real local Ray cluster gives the same corpus, byte for byte, as the local engine."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import pytest

from tests.conftest import news_project
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


def test_ray_and_local_engines_write_the_same_corpus(tmp_path: Path, ray_engine) -> None:
    local = news_project(tmp_path / "local", repeated=40)  # duplicates give the dedup stage work
    run_pipeline(local, engine=LocalEngine(2))
    distributed = news_project(tmp_path / "ray", repeated=40)
    result = run_pipeline(distributed, engine=ray_engine)
    assert [r.documents_out for r in result.stages][-1] > 500
    assert _shards(distributed / "clean") == _shards(local / "clean")
    assert _shards(distributed / "clean")


def _tagged(offset: int, item: int) -> tuple[int, int]:
    return item + offset, os.getpid()


def test_a_stage_pass_mapped_on_ray_runs_in_ray_workers_in_input_order(ray_engine) -> None:
    results = list(ray_engine.map_in_order(partial(_tagged, 100), iter(range(20))))
    assert [value for value, _ in results] == list(range(100, 120))
    assert os.getpid() not in {pid for _, pid in results}  # computed by Ray's worker processes, not here
