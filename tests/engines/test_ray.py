"""The Ray engine on a real local Ray cluster gives the same corpus, byte for byte, as the local engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import RAW, corpus_files
from toolkit.engines import LocalEngine
from toolkit.project import init_project, run_pipeline

ray = pytest.importorskip("ray", reason="Ray is the optional extra [ray]; make test installs it with [dev]")


def _project(root: Path) -> Path:
    init_project(root)
    texts = [p.read_text(encoding="utf-8") for p in corpus_files("peoples-daily-1998", 600)]
    with (root / "raw" / "news.jsonl").open("w", encoding="utf-8") as fh:
        for text in texts + texts[:40]:  # some exact duplicates for the dedup stage
            fh.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
    for seed in RAW.iterdir():
        (root / "raw" / seed.name).write_bytes(seed.read_bytes())
    return root


def _shards(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "documents").glob("*.parquet"))}


def test_ray_and_local_engines_write_the_same_corpus(tmp_path: Path) -> None:
    from toolkit.engines.ray import RayEngine

    local = _project(tmp_path / "local")
    run_pipeline(local, engine=LocalEngine(2))
    distributed = _project(tmp_path / "ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        result = run_pipeline(distributed, engine=RayEngine())
    finally:
        ray.shutdown()
    assert [r.documents_out for r in result.stages][-1] > 500
    assert _shards(distributed / "clean") == _shards(local / "clean")
    assert _shards(distributed / "clean")
