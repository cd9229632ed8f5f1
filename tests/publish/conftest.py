"""A corpus project built once from the seeds (every stage run, version 0.1.0 published), and copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import seed_project
from toolkit.project import run_pipeline


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = seed_project(tmp_path_factory.mktemp("seeds"))
    run_pipeline(root)
    return root


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A copy of the built project this test may change."""
    copy = tmp_path / built.name
    shutil.copytree(built, copy)
    return copy
