"""The Ray engine on a real local Ray cluster gives the same corpus, byte for byte, as the local engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import news_project
from toolkit.engines import LocalEngine
from toolkit.project import run_pipeline

ray = pytest.importorskip("ray", reason="Ray is the optional extra [ray]; make test installs it with [dev]")


def _shards(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "documents").glob("*.parquet"))}


def test_ray_and_local_engines_write_the_same_corpus(tmp_path: Path) -> None:
    from toolkit.engines.ray import RayEngine

    local = news_project(tmp_path / "local", repeated=40)  # duplicates give the dedup stage work
    run_pipeline(local, engine=LocalEngine(2))
    distributed = news_project(tmp_path / "ray", repeated=40)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        result = run_pipeline(distributed, engine=RayEngine())
    finally:
        ray.shutdown()
    assert [r.documents_out for r in result.stages][-1] > 500
    assert _shards(distributed / "clean") == _shards(local / "clean")
    assert _shards(distributed / "clean")
