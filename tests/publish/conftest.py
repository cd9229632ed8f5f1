"""A corpus project built once from the seeds (every stage run, version 0.1.0 published), and copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import RAW
from toolkit.project import init_project, run_pipeline


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("seeds")
    init_project(root)
    for seed in sorted(RAW.iterdir()):
        shutil.copy(seed, root / "raw" / seed.name)
    run_pipeline(root)
    return root


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A copy of the built project this test may change."""
    copy = tmp_path / built.name
    shutil.copytree(built, copy)
    return copy
