"""Pipeline invariants: accounting, determinism across worker counts, and resuming after a kill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.conftest import RAW, corpus_files
from toolkit.engines import LocalEngine
from toolkit.pipeline import read_documents, read_manifest
from toolkit.project import init_project, run_pipeline


def _write_news_corpus(raw: Path, copies: int) -> None:
    """Real People's Daily text as JSONL, plus the seeds, with a few bad lines mixed in."""
    texts = [path.read_text(encoding="utf-8") for path in corpus_files("peoples-daily-1998", 600)]
    raw.mkdir(parents=True, exist_ok=True)
    with (raw / "news.jsonl").open("w", encoding="utf-8") as fh:
        for copy in range(copies):
            for i, text in enumerate(texts):
                fh.write(json.dumps({"text": f"{text}\n（第{copy}批）", "n": i}, ensure_ascii=False) + "\n")
                if i % 97 == 0:
                    fh.write("{broken json\n")
    for seed in RAW.iterdir():
        (raw / seed.name).write_bytes(seed.read_bytes())


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.parquet"))}


def _all(folder: Path) -> tuple[list, list]:
    manifest = read_manifest(folder)
    assert manifest is not None
    return (
        list(read_documents(folder / e["path"] for e in manifest["documents"])),
        list(read_documents(folder / e["path"] for e in manifest["rejects"])),
    )


def test_every_input_document_is_accounted_for(tmp_path: Path) -> None:
    init_project(tmp_path)
    _write_news_corpus(tmp_path / "raw", copies=1)
    result = run_pipeline(tmp_path, engine=LocalEngine(2))
    ingested, ingest_rejects = _all(tmp_path / "build" / "ingest")
    final, rejects = _all(tmp_path / "clean")
    units = {(d.source, d.part) for d in ingested + ingest_rejects}
    # A stage may split a document into parts, so the trace is by source; ingest's own rejects stay whole.
    assert {d.source for d in ingested + ingest_rejects} == {d.source for d in final + rejects}
    assert {(r.source, r.part) for r in ingest_rejects} <= {(r.source, r.part) for r in rejects}
    assert len(units) == len(ingested) + len(ingest_rejects)
    for report in result.stages:
        if report.stage != "clean":  # clean splits articles: it may output more than it reads
            assert report.documents_in == report.documents_out + sum(report.rejected.values())


def test_same_output_bytes_with_one_or_two_workers(tmp_path: Path) -> None:
    outputs = []
    for workers in (1, 2):
        root = tmp_path / f"w{workers}"
        init_project(root)
        _write_news_corpus(root / "raw", copies=1)
        run_pipeline(root, engine=LocalEngine(workers))
        outputs.append(_files(root / "clean"))
    assert outputs[0] == outputs[1]
    assert outputs[0]


def test_a_killed_run_resumes_to_the_same_result(tmp_path: Path) -> None:
    reference, killed = tmp_path / "reference", tmp_path / "killed"
    for root in (reference, killed):
        init_project(root)
        _write_news_corpus(root / "raw", copies=4)
    run_pipeline(reference)

    command = [sys.executable, "-m", "toolkit", "run", "-C", str(killed), "-q"]
    process = subprocess.Popen(command, start_new_session=True)
    deadline = time.monotonic() + 120
    partial = None
    while partial is None and time.monotonic() < deadline and process.poll() is None:
        partial = next(iter(killed.glob("build/*/.tmp-*/documents/*.parquet")), None)
        time.sleep(0.005)
    if partial is None:
        process.kill()
        pytest.fail("the run ended before it could be killed mid-stage; make the corpus larger")
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    interrupted = partial.parent.parent.parent
    assert not (interrupted / "manifest.json").exists(), "a killed stage must not leave a manifest"

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert _files(killed / "clean") == _files(reference / "clean")
    assert not list(killed.glob("build/*/.tmp-*"))
    assert pq.read_table(killed / "clean" / "documents").num_rows > 0
