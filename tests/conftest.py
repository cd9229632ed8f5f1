"""Shared fixtures: real files only (the seeds in raw/ and the public corpora beside the project)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# No per-example deadline: the CI machine has 2 shared cores, and a first example that builds a table
# once per process (OpenCC's convertible characters) is slow for reasons the property does not test.
settings.register_profile("shared-machine", deadline=None)
settings.load_profile("shared-machine")

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
CORPORA = ROOT.parent / "shared" / "corpora"


def python_output(code: str) -> str:
    """What `code` prints, run by this Python in a process of its own (fresh imports, its own forkserver)."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def corpus_files(name: str, limit: int) -> list[Path]:
    """The first files of one of the public corpora; the test is skipped where they are absent."""
    folder = CORPORA / name
    if not folder.is_dir():
        pytest.skip(f"public corpus {folder} is not present")
    return sorted(folder.glob("*.txt"))[:limit]


def seed_project(root: Path) -> Path:
    """A new corpus project at `root` whose raw/ holds the five seed files."""
    from toolkit.project import init_project

    init_project(root)
    for seed in sorted(RAW.iterdir()):
        shutil.copy(seed, root / "raw" / seed.name)
    return root


def news_project(root: Path, *, copies: int = 1, repeated: int = 0) -> Path:
    """A seed project plus raw/news.jsonl: real People's Daily text, `copies` times over (each copy marked,
    so distinct), the first `repeated` documents again (exact duplicates), and a bad line now and then."""
    texts = [path.read_text(encoding="utf-8") for path in corpus_files("peoples-daily-1998", 600)]
    seed_project(root)
    with (root / "raw" / "news.jsonl").open("w", encoding="utf-8") as fh:
        for copy in range(copies):
            for i, text in enumerate(texts):
                fh.write(json.dumps({"text": f"{text}\n（第{copy}批）", "n": i}, ensure_ascii=False) + "\n")
                if i % 97 == 0:
                    fh.write("{broken json\n")
        for text in texts[:repeated]:
            fh.write(json.dumps({"text": f"{text}\n（第0批）"}, ensure_ascii=False) + "\n")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A corpus project in a temp folder holding the five seed files."""
    return seed_project(tmp_path)
