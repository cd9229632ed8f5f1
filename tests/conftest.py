"""Shared fixtures: real files only (the seeds in raw/ and the public corpora beside the project)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
CORPORA = ROOT.parent / "shared" / "corpora"


def corpus_files(name: str, limit: int) -> list[Path]:
    """The first files of one of the public corpora; the test is skipped where they are absent."""
    folder = CORPORA / name
    if not folder.is_dir():
        pytest.skip(f"public corpus {folder} is not present")
    return sorted(folder.glob("*.txt"))[:limit]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A corpus project in a temp folder holding the five seed files."""
    from toolkit.project import init_project

    init_project(tmp_path)
    for seed in sorted(RAW.iterdir()):
        shutil.copy(seed, tmp_path / "raw" / seed.name)
    return tmp_path
