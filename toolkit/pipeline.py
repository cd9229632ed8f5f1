"""Stages, their manifests, skip-if-up-to-date, and the runner.

A stage is a small object over an iterator of documents (datatrove's `PipelineStep`): most implement
`process(doc)` for one document and the runner iterates, counts, times and writes. A stage's output
folder holds Parquet shards and a manifest:

    OUT/documents/part-00000.parquet   kept documents (lz4; zstd for the final corpus)
    OUT/rejects/<stage>-00000.parquet  every document dropped so far, with its reason
    OUT/manifest.json                  fingerprints of input and config, tool version, counts, checksums

Everything is written under `OUT/.tmp-<stage>/` and moved into place at the end, manifest last: a
killed run leaves no manifest, and the next run redoes that stage and only that stage.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import queue
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import islice
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from toolkit import __version__
from toolkit.config import Options, fingerprint
from toolkit.document import DOCUMENT_SCHEMA, RAW_PART, Document, arrow_array, from_table, to_table
from toolkit.errors import DataError

__all__ = [
    "DataError",
    "Engine",
    "Reporter",
    "SideProcess",
    "Stage",
    "StageInput",
    "StageReport",
    "parquet_batches",
    "read_documents",
    "run_stage",
]

Item = TypeVar("Item")
Result = TypeVar("Result")

MANIFEST = "manifest.json"
BATCH_ROWS = 256  # documents per record batch and per worker task
SHARD_ROWS = 50_000  # documents per shard at most
SHARD_BYTES = 256 * 2**20  # text bytes per shard at most, so a shard's row groups stay small in memory


@dataclass
class StageInput:
    """What a stage reads: a fingerprint of it, a way to iterate it (more than once), rejects to carry."""

    fingerprint: str
    total: int | None
    documents: Callable[[], Iterator[Document]]
    rejects: list[Path] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # the Parquet shards behind `documents`, when there are
    manifest_extra: dict[str, Any] = field(default_factory=dict)


class Engine:
    """Runs a stage over its input; this one in the calling process. See toolkit.engines for the others."""

    name = "serial"
    workers = 1  # processes that compute at once: what a stage cuts its work for, so that none waits at the end

    def run(self, stage: Stage, source: StageInput, count: Callable[[int], None]) -> Iterator[Document]:
        """The stage's output documents in input order; `count(n)` reports n input documents consumed."""
        return stage.run_source(source, count, self)

    def run_batches(
        self, stage: Stage, source: StageInput, count: Callable[[int], None], then: Stage | None = None
    ) -> Iterator[OutputBatch]:
        """The stage's output as the runner writes it: `run`'s documents, a batch of rows at a time, each with
        `then`'s survey of its documents if given (see `output_batch`)."""
        documents = self.run(stage, source, count)
        while batch := list(islice(documents, BATCH_ROWS)):
            yield output_batch(stage, batch, then)

    def prepare(self, stages: Iterable[Stage]) -> None:
        """Called before a run with the stages it will run, so that the engine can start its workers early."""

    def side_process(self, modules: Sequence[str]) -> SideProcess:
        """Where a later call runs that needs slow imports (`modules`), made ready meanwhile; here: this
        process, which imports them when called."""
        return SideProcess()

    def map_in_order(self, function: Callable[[Item], Result], items: Iterable[Item]) -> Iterator[Result]:
        """`map(function, items)` where this engine computes (a stage's own parallel pass), in input order.
        `function` must be picklable: a module-level function or a partial of one."""
        return map(function, items)

    def map_with_shared(
        self, function: Callable[[Any, Item], Result], shared: Any, items: Iterable[Item]
    ) -> Iterator[Result]:
        """`function(shared, item)` for each item, in input order: a stage's step over data too large to copy
        for every item (dedup's band keys and signatures). Computed in this process, where `shared` costs no
        copy, by this engine and by the local one, whose pool workers would each need a copy; Ray puts
        `shared` in its object store once for all its tasks. `function` must be picklable."""
        return (function(shared, item) for item in items)

    def call(self, function: Callable[..., Result], *args: Any) -> Result:
        """`function(*args)`: a stage's whole-corpus step (dedup's clusters), computed where `map_with_shared`
        computes: in this process here and for the local engine, in a Ray task for Ray."""
        return function(*args)


class SideProcess:
    """Runs one call for the runner (see `Engine.side_process`); this one in the calling process."""

    def call(self, function: Callable[..., Result], /, *args: Any, **kwargs: Any) -> Result:
        return function(*args, **kwargs)

    def close(self) -> None:
        """Release the process, if the call was not needed."""


def counting(documents: Iterable[Document], count: Callable[[int], None]) -> Iterator[Document]:
    for doc in documents:
        count(1)
        yield doc


@dataclass
class OutputBatch:
    """Consecutive output of a stage as the runner writes it: kept documents and rejects as tables.

    Made where the documents were processed (a worker converts its own), so that the process that writes
    only compresses. A stage that splits documents numbers the parts of each source from 0 in each batch,
    and `last_part` says where its last source stands; `PartNumbers` carries that on across batches."""

    documents: pa.Table
    rejects: pa.Table
    rejected: Counter[str]
    last_part: tuple[str, int] | None = None  # the last output's source and the next part of it
    survey: Any = None  # the next stage's survey of `documents`, when the runner chains them


def output_batch(stage: Stage, outputs: Iterable[Document], then: Stage | None = None) -> OutputBatch:
    """A stage's output documents, in order, as an `OutputBatch`; with `then`, the stage that will read them,
    also its survey of the kept ones, made here from the table as it would be read back."""
    kept, rejected = [], []
    previous_source, next_part = None, 0
    for doc in outputs:
        if stage.splits_documents:  # documents of one source arrive together, in order
            doc.meta.setdefault(RAW_PART, doc.part)  # the renumbering loses which raw document it was cut from
            next_part = next_part if doc.source == previous_source else 0
            doc.part, next_part, previous_source = next_part, next_part + 1, doc.source
        if doc.reject_reason:
            doc.stage = doc.stage or stage.name
            rejected.append(doc)
        else:
            kept.append(doc)
    documents = to_table(kept, schema=stage.schema)
    return OutputBatch(
        documents=documents,
        rejects=to_table(rejected, rejects=True),
        rejected=Counter(doc.reject_reason for doc in rejected if doc.reject_reason),
        last_part=None if previous_source is None else (previous_source, next_part),
        survey=None if then is None else survey_table(then, documents),
    )


class PartNumbers:
    """Numbers the parts of each source across batches: a batch that starts with the source the previous
    batch ended with continues its numbering, and the documents of one source arrive together."""

    def __init__(self) -> None:
        self.last: tuple[str, int] | None = None

    def carry_on(self, batch: OutputBatch) -> OutputBatch:
        if batch.last_part is None:
            return batch
        source, next_part = batch.last_part
        if self.last is not None:
            batch.documents = _shifted_parts(batch.documents, *self.last)
            batch.rejects = _shifted_parts(batch.rejects, *self.last)
            if self.last[0] == source:  # the whole batch continues the previous source
                next_part += self.last[1]
        self.last = (source, next_part)
        return batch


def _shifted_parts(table: pa.Table, source: str, offset: int) -> pa.Table:
    """`table` with `offset` added to the part of the rows of `source`."""
    if offset == 0 or table.num_rows == 0:
        return table
    index = table.schema.get_field_index("part")
    # In Python, not pyarrow.compute: a scalar made of `offset` or `source` imports pandas (half a second in
    # the parent process, which needs pandas for nothing else).
    sources, parts = table.column("source").to_pylist(), table.column(index).to_pylist()
    shifted = [part + offset if row == source else part for row, part in zip(sources, parts, strict=True)]
    return table.set_column(index, table.schema.field(index), arrow_array(shifted, pa.int32()))


@dataclass
class StageReport:
    stage: str
    output: str
    skipped: bool = False
    documents_in: int = 0
    documents_out: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    bytes_in: int = 0
    bytes_out: int = 0
    seconds: float = 0.0
    stats: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "output": self.output,
            "skipped": self.skipped,
            "documents_in": self.documents_in,
            "documents_out": self.documents_out,
            "rejected": dict(sorted(self.rejected.items())),
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "seconds": round(self.seconds, 3),
            "stats": dict(sorted(self.stats.items())),
        }


class Reporter:
    """Receives progress; the CLI's rich progress bar implements it, the default ignores it."""

    def stage_started(self, stage: str, total: int | None) -> None: ...
    def advance(self, documents: int) -> None: ...
    def stage_finished(self, report: StageReport) -> None: ...


class Stage:
    """Base of every pipeline stage.

    Subclasses set `name` and `options_class` and implement `process` (one document in, zero or
    more out; mark a dropped one with `doc.reject(reason)` and still yield it). A stage that needs
    the whole corpus first implements `prepare`; one that cannot work document by document overrides
    `run` and sets `parallel = False`.
    """

    name: ClassVar[str] = "stage"
    options_class: ClassVar[type[Options]] = Options
    parallel: ClassVar[bool] = True
    schema: ClassVar[pa.Schema] = DOCUMENT_SCHEMA  # a wider schema adds typed columns taken from meta
    needs_prepare: ClassVar[bool] = False
    survey_columns: ClassVar[tuple[str, ...] | None] = None  # what `survey` reads of each document; None: all
    # A stage that may cut a document into several sets this; the runner then numbers `part` afresh per
    # source, in output order, because workers that see one batch each cannot know the running count.
    # Its outputs keep their input's `part`, which the runner moves to `meta[RAW_PART]` (the report's link
    # from a document to its raw text).
    splits_documents: ClassVar[bool] = False
    # An intermediate output is written once and read by the next stage (and the report): lz4 writes it 1.5x
    # and reads it 3x as fast as zstd, for a third more bytes (Spark and Ray Data write snappy by default, for
    # the same reason). The stage whose output is the final corpus sets zstd.
    output_compression: ClassVar[str] = "lz4"

    def __init__(self, options: Options | None = None) -> None:
        self.options = options if options is not None else self.options_class()
        self.stats: Counter[str] = Counter()
        self.prepared_on: str | None = None  # the output fingerprint of the input `combine` took in, if known

    @classmethod
    def warm_up(cls) -> None:
        """Build now the tables that every instance of this stage builds on first use and keeps for the
        process (OpenCC converters, character tables). The local engine calls it once in the process its
        workers are forked from, so that they start with them built."""

    def open_input(self, path: Path, output: Path) -> StageInput:
        """What this stage reads from `path`; `output` is where its previous result lies, if any."""
        return read_stage_output(path)

    def survey(self, documents: Iterable[Document]) -> Any:
        """What `combine` needs to know of one part of the input (a stage that `needs_prepare` implements
        both). The runner surveys the parts where its engine works: in workers, a row group each, or, when
        `ctk run` chains stages, each batch of the previous stage's output where it is made. The parts
        differ in the two ways, so surveys must add up whatever the cut; they never see `part`."""

    def combine(self, surveys: Iterable[Any]) -> None:
        """Take in the surveys of all the input, in input order, before processing (corpus statistics).
        The stage must not change until the last survey is in: the tasks still computing them carry it."""

    def prepare(self, documents: Iterable[Document]) -> None:
        """Survey `documents` as one part, here, and combine (the stage used as a library)."""
        self.combine([self.survey(documents)])

    def process(self, doc: Document) -> Iterable[Document]:
        yield doc

    def run(self, documents: Iterable[Document]) -> Iterator[Document]:
        for doc in documents:
            yield from self.process(doc)

    def run_source(self, source: StageInput, count: Callable[[int], None], engine: Engine) -> Iterator[Document]:
        """The whole-corpus entry point an engine calls for a stage that is not `parallel`: a stage that can
        use the input's shards directly, or the engine's workers for passes of its own, overrides it."""
        return self.run(counting(source.documents(), count))

    def finish(self, output: Path) -> None:
        """Write extra outputs (beside documents/ and rejects/) into the folder being built."""

    def config_fingerprint(self) -> str:
        return fingerprint(self.name, __version__, self.options.as_dict())


# ---------------------------------------------------------------- reading


def read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def parquet_batches(
    file: Path, *, batch_size: int = BATCH_ROWS, columns: list[str] | None = None
) -> Iterator[pa.RecordBatch]:
    """Record batches of one Parquet file, read as they are needed: with pre-buffering (pyarrow's default)
    the whole file is read into memory before the first batch comes out."""
    return pq.ParquetFile(file, pre_buffer=False).iter_batches(batch_size=batch_size, columns=columns)


def read_documents(files: Iterable[Path]) -> Iterator[Document]:
    """Stream documents from Parquet shards, one record batch at a time."""
    for file in files:
        try:
            for batch in parquet_batches(file):
                yield from from_table(batch)
        except (OSError, ValueError) as error:
            raise DataError(f"{file}: unreadable Parquet shard ({error})") from None


@dataclass(frozen=True)
class RowGroup:
    """One row group of a shard: the unit of work that a worker reads itself, the smallest part of a
    Parquet file that can be read alone (ours hold BATCH_ROWS rows)."""

    path: Path
    index: int


def row_groups(files: Iterable[Path]) -> Iterator[RowGroup]:
    """The shards' row groups, in order."""
    for path in files:
        try:
            count = pq.ParquetFile(path).metadata.num_row_groups
        except (OSError, ValueError) as error:
            raise DataError(f"{path}: unreadable Parquet shard ({error})") from None
        yield from (RowGroup(path, index) for index in range(count))


def _opened(path: Path) -> pq.ParquetFile:
    # A shard's footer lists every row group and column: parsing it again for each of its row groups cost
    # more than reading the group, on shards of 50,000 rows. A stage that runs again replaces its shards
    # under the same names, so the file's identity is part of the key.
    status = path.stat()
    return _parquet_file(path, status.st_ino, status.st_mtime_ns, status.st_size)


@lru_cache(maxsize=4)
def _parquet_file(path: Path, inode: int, modified: int, size: int) -> pq.ParquetFile:
    return pq.ParquetFile(path)


def read_rows(group: RowGroup, columns: Sequence[str] | None = None) -> list[Document]:
    """The documents of a row group; only `columns` of them if given (the others empty)."""
    try:
        # One thread: the workers are the parallelism, and Arrow's pool costs a small row group more than it saves.
        table = _opened(group.path).read_row_group(
            group.index, columns=None if columns is None else list(columns), use_threads=False
        )
    except (OSError, ValueError) as error:
        raise DataError(f"{group.path}: unreadable Parquet shard ({error})") from None
    return list(from_table(table))


def read_stage_output(path: Path) -> StageInput:
    """The documents and rejects a previous stage wrote, as its manifest lists them."""
    manifest = read_manifest(path)
    if manifest is None:
        if path.is_dir() and any(path.glob("*.parquet")):
            return read_parquet_folder(path)
        raise DataError(f"{path}: no {MANIFEST} here; run the stage that writes it first")
    files = [path / entry["path"] for entry in manifest["documents"]]
    missing = [f for f in files if not f.exists()]
    if missing:
        raise DataError(f"{missing[0]}: listed in {path / MANIFEST} but missing; rerun the stage that writes it")
    return StageInput(
        fingerprint=manifest["output_fingerprint"],
        total=sum(entry["rows"] for entry in manifest["documents"]),
        documents=lambda: read_documents(files),
        rejects=[path / entry["path"] for entry in manifest["rejects"]],
        files=files,
    )


def read_parquet_folder(path: Path) -> StageInput:
    """A plain folder of document shards with no manifest (written by hand or another tool)."""
    files = sorted(path.glob("*.parquet"))
    return StageInput(
        fingerprint=fingerprint([(f.name, sha256_file(f)) for f in files]),
        total=sum(_rows(f) for f in files),
        documents=lambda: read_documents(files),
        files=files,
    )


def _rows(file: Path) -> int:
    try:
        return pq.ParquetFile(file).metadata.num_rows
    except (OSError, ValueError) as error:
        raise DataError(f"{file}: unreadable Parquet shard ({error})") from None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------- writing


class ShardWriter:
    """Writes documents to numbered Parquet shards, in row groups of BATCH_ROWS rows whatever the
    size of the tables it is given, so that the bytes do not depend on how the work was cut up.

    A row group is compressed and written by a background thread while the caller makes the next one
    (compression and file writes release the GIL); one write is in flight at most, in order.
    """

    def __init__(
        self,
        folder: Path,
        prefix: str,
        *,
        rejects: bool,
        schema: pa.Schema | None = None,
        compression: str = "zstd",
    ) -> None:
        self.folder, self.prefix, self.rejects, self.schema = folder, prefix, rejects, schema
        self.compression = compression
        self.files: list[dict[str, Any]] = []
        self.documents: list[Document] = []  # given one at a time, not yet a table
        self.tables: list[pa.Table] = []  # given, not yet written
        self.buffered_rows = 0
        self.writer: pq.ParquetWriter | None = None
        self.rows = self.text_bytes = self.total_text_bytes = 0
        self.background: ThreadPoolExecutor | None = None
        self.in_flight: Future[None] | None = None

    def write(self, doc: Document) -> None:
        self.documents.append(doc)
        if len(self.documents) >= BATCH_ROWS:
            self._convert_documents()

    def _convert_documents(self) -> None:
        if self.documents:
            self.write_table(to_table(self.documents, rejects=self.rejects, schema=self.schema))
            self.documents = []

    def write_table(self, table: pa.Table) -> None:
        """Write the rows of `table`, made by `to_table` with this writer's kind and schema."""
        if table.num_rows:
            self.tables.append(table)
            self.buffered_rows += table.num_rows
        while self.buffered_rows >= BATCH_ROWS:
            self._write_row_group(BATCH_ROWS)

    def _write_row_group(self, rows: int) -> None:
        buffered = pa.concat_tables(self.tables)
        rest = buffered.slice(rows)
        self.tables, self.buffered_rows = ([rest] if rest.num_rows else []), rest.num_rows
        # One chunk per column: where Parquet gives up a column's dictionary depends on the pieces it is handed.
        table = buffered.slice(0, rows).combine_chunks()
        self._wait()
        if self.writer is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            name = f"{self.prefix}-{len(self.files):05d}.parquet"
            self.writer = pq.ParquetWriter(self.folder / name, table.schema, compression=self.compression)
            self.files.append({"path": f"{self.folder.name}/{name}", "rows": 0})
        if self.background is None:
            self.background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ctk-shard-writer")
        self.in_flight = self.background.submit(self.writer.write_table, table)
        self.files[-1]["rows"] += rows
        self.rows += rows
        text_bytes = pc.sum(pc.binary_length(table.column("text"))).as_py() or 0
        self.text_bytes += text_bytes
        self.total_text_bytes += text_bytes
        if self.files[-1]["rows"] >= SHARD_ROWS or self.text_bytes >= SHARD_BYTES:
            self.close_shard()

    def flush(self) -> None:
        """Write what is buffered, as a row group of its own."""
        self._convert_documents()
        if self.buffered_rows:
            self._write_row_group(self.buffered_rows)

    def _wait(self) -> None:
        if self.in_flight is not None:
            self.in_flight.result()  # a failed write raises here
            self.in_flight = None

    def close_shard(self) -> None:
        self._wait()
        if self.writer is not None:
            self.writer.close()
            self.writer = None
            self.text_bytes = 0

    def close(self) -> list[dict[str, Any]]:
        self.flush()
        self.close_shard()
        if self.background is not None:
            self.background.shutdown()
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.files


def _describe(files: list[dict[str, Any]], root: Path) -> list[dict[str, Any]]:
    for entry in files:
        file = root / entry["path"]
        entry["bytes"] = file.stat().st_size
        entry["sha256"] = sha256_file(file)
    return files


def _commit(tmp: Path, output: Path) -> None:
    """Move a finished build into place, manifest last, so a crash never leaves a valid half."""
    (output / MANIFEST).unlink(missing_ok=True)
    old = output / f".old-{tmp.name}"
    shutil.rmtree(old, ignore_errors=True)
    for entry in sorted(tmp.iterdir()):
        if entry.name == MANIFEST:
            continue
        target = output / entry.name
        if target.exists():
            old.mkdir(exist_ok=True)
            target.rename(old / entry.name)
        entry.rename(target)
    (tmp / MANIFEST).rename(output / MANIFEST)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(tmp, ignore_errors=True)


def return_freed_memory() -> None:
    """Hand the memory a finished stage freed back to the system. Arrow's allocator and glibc's malloc keep
    freed pages for reuse, so the stages of one `ctk run` would each start on top of the largest peak before
    them (measured on 1 GB: the process held 430 MB after dedup, 147 MB once both let go)."""
    pa.default_memory_pool().release_unused()
    try:
        trim = ctypes.CDLL(None).malloc_trim  # glibc; other C libraries have no such call
    except (OSError, AttributeError, TypeError):
        return
    trim(0)


def _up_to_date(output: Path, stage: Stage, config_fp: str, input_fp: str) -> dict[str, Any] | None:
    manifest = read_manifest(output)
    if not manifest or manifest.get("stage") != stage.name:
        return None
    if manifest.get("config_fingerprint") != config_fp or manifest.get("input_fingerprint") != input_fp:
        return None
    for entry in manifest["documents"] + manifest["rejects"]:
        file = output / entry["path"]
        if not file.exists() or file.stat().st_size != entry["bytes"]:
            return None
    return manifest


# ---------------------------------------------------------------- running


def _prepared(stage: Stage, input_path: Path) -> bool:
    """Whether `stage` took in the surveys of the input as it lies now, made while it was written."""
    manifest = read_manifest(input_path) or {}
    return stage.prepared_on is not None and manifest.get("output_fingerprint") == stage.prepared_on


def _surveys(stage: Stage, source: StageInput, engine: Engine) -> Iterable[Any]:
    if not source.files:
        return [stage.survey(source.documents())]
    return engine.map_in_order(partial(survey_rows, stage), row_groups(source.files))


def survey_rows(stage: Stage, group: RowGroup) -> Any:
    return stage.survey(read_rows(group, stage.survey_columns))


def survey_table(stage: Stage, table: pa.Table) -> Any:
    """`stage`'s survey of the documents of `table`, read as `survey_rows` reads them from a shard."""
    return stage.survey(from_table(table if stage.survey_columns is None else table.select(stage.survey_columns)))


def can_chain(stage: Stage) -> bool:
    """Whether `stage` can take in surveys made by the stage before it as it writes (see `run_stage`'s `then`):
    it needs them, and says what it reads, which is not `part`, numbered afresh after the surveys are made."""
    return stage.needs_prepare and stage.survey_columns is not None and "part" not in stage.survey_columns


_END = object()


class SurveyFeed:
    """Surveys handed to a stage's `combine` as they come, in a thread, so that they are never all held (clean's
    hold a key per short line of every document); `close` waits for it and raises its error."""

    def __init__(self, stage: Stage) -> None:
        self.stage = stage
        self.error: BaseException | None = None
        self.surveys: queue.Queue[Any] = queue.Queue(maxsize=8)
        self.thread = threading.Thread(target=self._combine, name="ctk-survey-feed", daemon=True)
        self.thread.start()

    def _combine(self) -> None:
        try:
            self.stage.combine(self._handed_in())
        except BaseException as error:  # raised again in the runner's thread, by `close`
            self.error = error
            for _ in self._handed_in():  # the runner still hands surveys in until it closes
                pass

    def _handed_in(self) -> Iterator[Any]:
        while (survey := self.surveys.get()) is not _END:  # `is`: iter(get, _END) compares arrays with ==
            yield survey

    def add(self, survey: Any) -> None:
        self.surveys.put(survey)

    def close(self) -> None:
        self.surveys.put(_END)
        self.thread.join()
        if self.error is not None:
            raise self.error


def run_stage(
    stage: Stage,
    input_path: Path,
    output: Path,
    *,
    force: bool = False,
    engine: Engine | None = None,
    reporter: Reporter | None = None,
    then: Stage | None = None,
) -> StageReport:
    """Run one stage from `input_path` to `output`, or skip it when its output is up to date.

    `then`, the stage that reads `output` next (`ctk run`), takes in its survey of the output while it is
    written, when it is, instead of reading it once more before it starts."""
    reporter = reporter or Reporter()
    engine = engine or Engine()
    started = time.perf_counter()
    source = stage.open_input(input_path, output)
    config_fp = stage.config_fingerprint()
    report = StageReport(stage=stage.name, output=str(output))
    if not force and (manifest := _up_to_date(output, stage, config_fp, source.fingerprint)):
        report.skipped = True
        report.documents_in = manifest["counts"]["in"]
        report.documents_out = manifest["counts"]["out"]
        report.rejected.update(manifest["counts"]["rejected"])
        report.seconds = time.perf_counter() - started
        reporter.stage_finished(report)
        return report

    output.mkdir(parents=True, exist_ok=True)
    for stale in output.glob(".tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)
    tmp = output / f".tmp-{stage.name}"
    tmp.mkdir()
    reporter.stage_started(stage.name, source.total)

    if stage.needs_prepare and not _prepared(stage, input_path):
        stage.combine(_surveys(stage, source, engine))

    def count_in(n: int) -> None:
        report.documents_in += n
        reporter.advance(n)

    documents = ShardWriter(
        tmp / "documents", "part", rejects=False, schema=stage.schema, compression=stage.output_compression
    )
    rejects = ShardWriter(tmp / "rejects", stage.name, rejects=True, compression=stage.output_compression)
    parts = PartNumbers()
    chained = then if then is not None and can_chain(then) else None
    feed = SurveyFeed(chained) if chained is not None else None
    try:
        for batch in engine.run_batches(stage, source, count_in, chained):
            batch = parts.carry_on(batch)
            report.rejected.update(batch.rejected)
            report.documents_out += batch.documents.num_rows
            documents.write_table(batch.documents)
            rejects.write_table(batch.rejects)
            if feed is not None:
                feed.add(batch.survey)
    finally:
        if feed is not None:
            feed.close()
    document_files = documents.close()
    report.bytes_out = documents.total_text_bytes
    reject_files = rejects.close()
    stage.finish(tmp)
    for carried in source.rejects:  # earlier stages' rejects travel along, so the last holds them all
        target = tmp / "rejects" / carried.name
        try:
            os.link(carried, target)
        except OSError:
            shutil.copyfile(carried, target)
        reject_files.append({"path": f"rejects/{carried.name}", "rows": pq.ParquetFile(target).metadata.num_rows})

    report.stats = stage.stats
    report.seconds = time.perf_counter() - started
    _describe(document_files, tmp)
    _describe(reject_files, tmp)
    manifest = {
        "stage": stage.name,
        "tool_version": __version__,
        "config_fingerprint": config_fp,
        "input": str(input_path),
        "input_fingerprint": source.fingerprint,
        "options": stage.options.as_dict(),
        "documents": document_files,
        "rejects": sorted(reject_files, key=lambda e: e["path"]),
        "output_fingerprint": fingerprint([e["sha256"] for e in document_files + reject_files]),
        "counts": {"in": report.documents_in, "out": report.documents_out, "rejected": dict(report.rejected)},
        "bytes_out": report.bytes_out,
        "seconds": round(report.seconds, 3),
        "stats": dict(sorted(report.stats.items())),
        **source.manifest_extra,
    }
    (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    _commit(tmp, output)
    if chained is not None:
        chained.prepared_on = manifest["output_fingerprint"]
    return_freed_memory()
    report.bytes_in = source.manifest_extra.get("bytes_in", 0)
    reporter.stage_finished(report)
    return report
