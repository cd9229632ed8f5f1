"""Pipeline invariants: accounting, determinism across worker counts, and resuming after a kill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import news_project, python_output, seed_project
from toolkit.config import CONFIG_FILE
from toolkit.document import RAW_PART, Document, to_table
from toolkit.engines import LocalEngine
from toolkit.pipeline import (
    BATCH_ROWS,
    PartNumbers,
    RowGroup,
    ShardWriter,
    Stage,
    output_batch,
    read_documents,
    read_manifest,
    read_rows,
    run_stage,
)
from toolkit.project import load_config, make_stage, run_pipeline, stage_folders


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
    news_project(tmp_path)
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
        news_project(root)
        run_pipeline(root, engine=LocalEngine(workers))
        outputs.append(_files(root / "clean"))
    assert outputs[0] == outputs[1]
    assert outputs[0]


def test_a_killed_run_resumes_to_the_same_result(tmp_path: Path) -> None:
    reference, killed = tmp_path / "reference", tmp_path / "killed"
    for root in (reference, killed):
        news_project(root, copies=4)
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


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads resident memory from /proc")
def test_memory_a_stage_freed_goes_back_to_the_system() -> None:
    script = """
import re
from pathlib import Path
from toolkit.pipeline import return_freed_memory
def resident():
    return int(re.search(r"VmRSS:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1)) // 1024
pieces = [str(n).zfill(8) * 500 for n in range(60_000)]  # texts of 4 kB, as a stage's documents hold
before = resident()
survivors = pieces[::20]  # a few stay, scattered over the heap: malloc cannot shrink it by itself
del pieces
after_free = resident()
return_freed_memory()
print(before, after_free, resident())
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    before, after_free, returned = map(int, out.split())
    assert returned < after_free - 50, (before, after_free, returned)


class _Splitter(Stage):
    """Splits a document in two and rejects every third output, as clean may."""

    splits_documents = True

    def process(self, doc: Document) -> Iterable[Document]:
        for half in range(2):
            out = Document(f"{doc.text}/{half}", doc.source, part=doc.part)
            yield out.reject("odd") if int(doc.text) % 3 == half else out


def _parts(tables: list[pa.Table]) -> list[tuple[str, str, int]]:
    return [(row["source"], row["text"], row["part"]) for table in tables for row in table.to_pylist()]


@pytest.mark.parametrize("batch_size", [1, 2, 3, 5, 64])
def test_parts_are_numbered_per_source_across_batches(batch_size: int) -> None:
    inputs = [Document(str(n), source) for n, source in enumerate("aaaaabbbccccccd")]
    outputs = [out for doc in inputs for out in _Splitter().process(doc)]
    expected: dict[str, list[tuple[str, str, int]]] = {"kept": [], "rejected": []}
    seen: Counter[str] = Counter()
    for out in outputs:
        expected["rejected" if out.reject_reason else "kept"].append((out.source, out.text, seen[out.source]))
        seen[out.source] += 1

    parts, kept, rejected = PartNumbers(), [], []
    for start in range(0, len(inputs), batch_size):
        batch = parts.carry_on(
            output_batch(_Splitter(), (o for d in inputs[start : start + batch_size] for o in _Splitter().process(d)))
        )
        kept.append(batch.documents)
        rejected.append(batch.rejects)
    assert _parts(kept) == expected["kept"]
    assert _parts(rejected) == expected["rejected"]


def test_parts_cut_from_a_document_name_the_part_it_had() -> None:
    inputs = [Document(str(n), "a.jsonl", part=n) for n in range(4)]
    batch = output_batch(_Splitter(), (out for doc in inputs for out in _Splitter().process(doc)))
    rows = pa.concat_tables([batch.documents, batch.rejects.select(batch.documents.column_names)]).to_pylist()
    raw_parts = {row["text"]: (json.loads(row["meta"])[RAW_PART], row["part"]) for row in rows}
    assert raw_parts == {f"{n}/{half}": (n, 2 * n + half) for n in range(4) for half in range(2)}


def test_shards_hold_the_same_bytes_however_their_rows_were_cut(tmp_path: Path) -> None:
    # Texts of 6 kB: a row group's distinct texts outgrow Parquet's dictionary page (1 MB), and where the
    # writer gives the dictionary up depends on the pieces it is handed, unless they are joined first.
    texts = ["".join(chr(0x4E00 + (n * 7919 + i * 31) % 20000) for i in range(2000)) for n in range(3 * BATCH_ROWS + 7)]
    documents = [Document(text, f"s{n // 100}.txt") for n, text in enumerate(texts)]
    written = []
    for cut in (1, 64, 185, BATCH_ROWS, 1000):
        writer = ShardWriter(tmp_path / f"cut{cut}", "part", rejects=False)
        for start in range(0, len(documents), cut):
            writer.write_table(to_table(documents[start : start + cut]))
        (entry,) = writer.close()
        shard = tmp_path / f"cut{cut}" / Path(entry["path"]).name
        metadata = pq.ParquetFile(shard).metadata
        assert [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)] == [BATCH_ROWS] * 3 + [7]
        written.append(shard.read_bytes())
    assert len(set(written)) == 1


def test_documents_read_in_part_leave_the_other_fields_empty(tmp_path: Path) -> None:
    writer = ShardWriter(tmp_path, "part", rejects=False)
    writer.write(Document("黄河", "a.txt", part=3, title="标题", meta={"url": "u"}, repairs={"script": 1}))
    (entry,) = writer.close()
    (doc,) = read_rows(RowGroup(tmp_path / Path(entry["path"]).name, 0), columns=["text"])
    assert doc == Document("黄河", "")


@pytest.mark.parametrize(("workers", "imported_here"), [(2, False), (1, True)])
def test_publishing_runs_in_a_side_process_that_imported_its_libraries(
    tmp_path: Path, workers: int, imported_here: bool
) -> None:
    """With workers, `datasets` is imported by a side process while the stages run, and publish runs there."""
    seed_project(tmp_path)
    code = (
        "import sys; from toolkit.engines import LocalEngine; from toolkit.project import run_pipeline;"
        f"result = run_pipeline({str(tmp_path)!r}, engine=LocalEngine({workers}));"
        "print(result.published.status, 'datasets' in sys.modules)"
    )
    assert python_output(code) == f"published {imported_here}\n"
    assert python_output(code) == "unchanged False\n"  # nothing ran: nothing to publish, nothing imported


def test_a_shard_written_again_under_the_same_name_is_read_anew(tmp_path: Path) -> None:
    """A stage that runs again replaces its shards under the same names; a process that read them before
    (a library user running the pipeline twice) must not read the old file's row groups."""
    for texts in (["黄河"], ["长江", "珠江"]):
        writer = ShardWriter(tmp_path / "writing", "part", rejects=False)
        for text in texts:
            writer.write(Document(text, "a.txt"))
        (entry,) = writer.close()
        shard = tmp_path / "documents.parquet"
        (tmp_path / "writing" / Path(entry["path"]).name).replace(shard)
        assert [doc.text for doc in read_rows(RowGroup(shard, 0), columns=["text"])] == texts


def _stage_folders(root: Path) -> dict[str, tuple[Path, Path]]:
    return {name: (source, output) for name, source, output in stage_folders(root)}


def _survey_refused(stage: Stage, *_: object) -> None:
    raise AssertionError(f"{stage.name} surveyed its input again")


def test_a_stage_surveyed_while_its_input_was_written_writes_the_same_bytes(tmp_path: Path, monkeypatch) -> None:
    """`ctk run` hands clean the surveys of repair's output as repair's workers make it: clean then reads its
    input once, and writes what it writes when it surveys the input itself."""
    outputs = []
    for chained in (False, True):
        root = news_project(tmp_path / f"chained-{chained}")
        folders, config = _stage_folders(root), load_config(root / CONFIG_FILE)
        clean = make_stage("clean", config)
        for name in ("ingest", "repair"):
            then = clean if chained and name == "repair" else None
            run_stage(make_stage(name, config), *folders[name], engine=LocalEngine(2), then=then)
        if chained:
            monkeypatch.setattr("toolkit.pipeline._surveys", _survey_refused)
        run_stage(clean, *folders["clean"], engine=LocalEngine(2))
        outputs.append(_files(folders["clean"][1]))
    assert outputs[0] == outputs[1]
    assert outputs[0]


def test_surveys_of_other_content_are_not_taken_for_the_input(tmp_path: Path, monkeypatch) -> None:
    root = seed_project(tmp_path)
    folders, config = _stage_folders(root), load_config(root / CONFIG_FILE)
    clean = make_stage("clean", config)
    run_stage(make_stage("ingest", config), *folders["ingest"], then=clean)
    run_stage(make_stage("repair", config), *folders["repair"], then=clean)
    assert clean.prepared_on == read_manifest(folders["repair"][1])["output_fingerprint"]  # type: ignore[index]
    (root / "raw" / "new.txt").write_text("新华社北京1月2日电 黄河。", encoding="utf-8")
    run_stage(make_stage("ingest", config), *folders["ingest"])
    run_stage(make_stage("repair", config), *folders["repair"])  # repair's output changed, unseen by clean
    surveyed = Counter[str]()
    monkeypatch.setattr("toolkit.pipeline._surveys", lambda stage, *_: surveyed.update([stage.name]) or [])
    run_stage(clean, *folders["clean"])
    assert surveyed == Counter(["clean"])


def test_stage_outputs_are_lz4_between_stages_and_zstd_for_the_corpus(tmp_path: Path) -> None:
    root = seed_project(tmp_path)
    run_pipeline(root, engine=LocalEngine(1))

    def codecs(folder: Path) -> set[str]:
        files = sorted(folder.glob("*.parquet"))
        assert files
        return {pq.ParquetFile(f).metadata.row_group(0).column(0).compression for f in files}

    for stage in ("ingest", "repair", "clean", "dedup"):
        assert codecs(root / "build" / stage / "documents") == {"LZ4"}, stage
    assert codecs(root / "clean" / "documents") == {"ZSTD"}
