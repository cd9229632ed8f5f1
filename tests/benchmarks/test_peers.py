"""Smoke tests of benchmarks/peers.py: its corpus is deterministic and the anchors' pipeline runs on it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from benchmarks.peers import Corpus, build_corpus
from tests.conftest import CORPORA, ROOT

SIZE_MB = 0.1

pytestmark = pytest.mark.skipif(not CORPORA.is_dir(), reason=f"public corpora {CORPORA} are not present")


def build(folder: Path) -> Corpus:
    return build_corpus(folder, SIZE_MB, seed=7)


def test_corpus_is_deterministic_jsonl_of_the_requested_size(tmp_path: Path) -> None:
    first, second = build(tmp_path / "first"), build(tmp_path / "second")
    files = sorted(first.raw.glob("*.jsonl"))
    assert [f.read_bytes() for f in files] == [f.read_bytes() for f in sorted(second.raw.glob("*.jsonl"))]
    assert first.input_bytes >= SIZE_MB * 10**6
    # one record a line; "\n" only: U+2028 and the like stay unescaped inside the JSON strings
    records = [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").rstrip("\n").split("\n")]
    assert len(records) == first.documents == sum(first.kinds.values())
    assert all(record["text"] for record in records)
    assert (first.project / "pipeline.toml").exists()  # a `ctk init` project


def test_anchors_pipeline_keeps_or_drops_every_document(tmp_path: Path) -> None:
    pytest.importorskip("datasketch")
    corpus = build(tmp_path / "corpus")
    output = tmp_path / "anchors"
    script = ROOT / "benchmarks" / "anchors_pipeline.py"
    result = subprocess.run([sys.executable, str(script), str(corpus.raw), str(output)], check=True,
                            capture_output=True, text=True)  # fmt: skip
    counts = json.loads(result.stdout)
    assert counts["kept"] + counts["dropped"] == corpus.documents
    assert pq.ParquetFile(output / "documents.parquet").metadata.num_rows == counts["kept"]
