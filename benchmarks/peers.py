"""Peers (issue 7): `ctk run` beside the pipelines a user would assemble from ftfy, OpenCC, datasketch and
pyarrow, and beside datatrove's, on one damaged real-text corpus; and how `ctk run`'s memory grows with size.

    .venv/bin/python benchmarks/peers.py [--sizes 10,100] [--large] [--seed 7] [--skip-datatrove] [--repeat N]
    .venv/bin/python benchmarks/peers.py --sizes 100 --large --only-ctk --skip-stages   # memory growth to 1 GB

For each size (MB of JSONL input) it builds a corpus project in benchmarks/out/peers/, then runs each of
these alone, for its wall time (the median of `--repeat` runs, five under 50 MB), then once more with its
process tree sampled for resident memory and CPU time (the sampling takes about a fifth of a core, which
would slow down the pipelines that use both cores):

(a) `ctk run -C PROJECT -q --no-report`, local engine (the HTML report is a viewer, not processing);
(b) benchmarks/anchors_pipeline.py: ftfy.fix_text + OpenCC t2s per document, datasketch MinHashLSH with our
    dedup defaults, pyarrow Parquet;
(c) benchmarks/datatrove_pipeline.py in benchmarks/out/.venv-datatrove (created on first use; skipped with
    the reason printed when it cannot be installed).

Then each `ctk` stage command alone, and `ctk ingest` of the corpus as one file, for the memory table.

Documents are real sentences (the seeds in raw/ and the public corpora) laid out as real documents are
(paragraphs, and sentences per paragraph, of a real document), with the damage of benchmarks/clean_corpus.py
and benchmarks/repair.py, and a share of exact and near duplicates (toolkit.dedup.evaluation.VARIANTS).
Seeded: the same seed and the same damage functions give the same bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

# the repository root, so that `benchmarks.*` imports when this file is run as a script
ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

import argparse
import compileall
import json
import random
import re
import shutil
import statistics
import subprocess
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import count

import psutil

from benchmarks.clean_corpus import damage as scrape_damage
from benchmarks.clean_corpus import original_documents
from benchmarks.repair import KINDS as REPAIR_DAMAGE
from benchmarks.repair import combined as combined_repair_damage
from toolkit.dedup import DedupOptions
from toolkit.dedup.evaluation import VARIANTS
from toolkit.project import init_project, stage_folders

OUT = ROOT / "benchmarks" / "out"
DATATROVE_VENV = OUT / ".venv-datatrove"
# its readers and writers need orjson and pyarrow, its Chinese word tokenizer spacy and jieba
DATATROVE_PACKAGES = ["datatrove[processing]", "orjson", "pyarrow", "spacy", "jieba"]
BIN = Path(sys.executable).parent
MB = 10**6

# the seeds in raw/ and the public corpora (an absolute folder stays itself under clean_corpus.CORPORA / name)
SOURCES = (str(ROOT / "raw"), "peoples-daily-1998", "prc-regulations", "zh-hant")
SENTENCE = re.compile(r"[^。！？!?]+(?:[。！？!?]+[”」』）)]?|$)")
FILE_BYTES = 2 * MB  # per JSONL file: several files per size, so that datatrove's tasks have files to share
EXACT_SHARE, NEAR_SHARE = 0.05, 0.10  # of documents: a copy of a recent one, as scraped / a variant of it
SCRAPE_DAMAGE_SHARE = 0.5  # page breaks, captions, page heads, web chrome (half print, half web)
ONE_REPAIR_DAMAGE_SHARE, COMBINED_REPAIR_DAMAGE_SHARE = 0.3, 0.1  # one kind of repair damage / 2-4 kinds
RECENT_DOCUMENTS = 2000  # duplicates copy one of these
NEAR_VARIANTS = [variant for name, variant in VARIANTS.items() if name not in ("exact copy", "simplified copy")]
SAMPLE_SECONDS = 0.05
SHORT_RUN_MB, SHORT_RUN_REPEATS = 50, 5  # a smaller corpus is timed as the median of that many runs
DATATROVE_NGRAM = 2  # jieba words per shingle: about our 4 characters (news words average under 2 characters)
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


# ---------------------------------------------------------------- the corpus


@dataclass
class SentencePool:
    """One source corpus: its sentences, and its documents' shapes (sentences per paragraph)."""

    name: str
    sentences: list[str]
    shapes: list[list[int]]

    def document(self, rng: random.Random) -> list[str]:
        """A new document shaped like a real one, each paragraph of at least two random sentences, so that
        a paragraph does not recur across documents (dedup would remove it as repeated boilerplate)."""
        return ["".join(rng.choices(self.sentences, k=max(2, n))) for n in rng.choice(self.shapes)]


def sentence_pools() -> list[SentencePool]:
    pools = []
    for name in SOURCES:
        documents = original_documents(name, limit=10**6)
        shapes = [[len(SENTENCE.findall(p)) for p in paragraphs] for _, paragraphs in documents]
        sentences = [s for _, paragraphs in documents for p in paragraphs for s in SENTENCE.findall(p)]
        pools.append(SentencePool(Path(name).name, sentences, shapes))
    return pools


def damaged(source: str, paragraphs: list[str], rng: random.Random) -> str:
    """The document as a scrape gives it: maybe page and web damage, maybe encoding and script damage."""
    text = "\n".join(paragraphs)
    if rng.random() < SCRAPE_DAMAGE_SHARE:
        text = scrape_damage(source, paragraphs, rng, web=rng.random() < 0.5).damaged
    roll = rng.random()
    if roll < ONE_REPAIR_DAMAGE_SHARE:
        text = rng.choice(list(REPAIR_DAMAGE.values()))(text, rng)
    elif roll < ONE_REPAIR_DAMAGE_SHARE + COMBINED_REPAIR_DAMAGE_SHARE:
        text = combined_repair_damage(text, rng)
    return text


@dataclass
class CorpusDocument:
    number: int
    pool: str
    kind: str  # "original", "exact duplicate" or "near duplicate"
    text: str

    def jsonl_line(self) -> str:
        record = {"id": f"doc-{self.number:08d}", "url": f"https://news.example.cn/{self.pool}/{self.number}.html"}
        # a lone surrogate (invisible-character damage) cannot be UTF-8: U+FFFD, as an encoder substituting
        # writes it (its JSON escape, as JavaScript writes it, crashes `ctk ingest`: reported)
        text = LONE_SURROGATE.sub("\ufffd", self.text)
        return json.dumps({**record, "text": text}, ensure_ascii=False) + "\n"


def corpus_documents(seed: int) -> Iterator[CorpusDocument]:
    """An endless seeded stream: a corpus of any size is a prefix of the same stream."""
    rng = random.Random(seed)
    pools = sentence_pools()
    recent: deque[tuple[str, list[str], str]] = deque(maxlen=RECENT_DOCUMENTS)  # pool, paragraphs, damaged text
    for number in count():
        roll = rng.random()
        if recent and roll < EXACT_SHARE:
            pool, paragraphs, text = recent[rng.randrange(len(recent))]
            yield CorpusDocument(number, pool, "exact duplicate", text)
            continue
        if recent and roll < EXACT_SHARE + NEAR_SHARE:
            pool, original, _ = recent[rng.randrange(len(recent))]
            paragraphs = rng.choice(NEAR_VARIANTS)("\n".join(original), rng).split("\n")
            kind = "near duplicate"
        else:
            (source,) = rng.choices(pools, weights=[len(pool.shapes) for pool in pools])  # a real document's shape
            pool, paragraphs, kind = source.name, source.document(rng), "original"
        text = damaged(pool, [p for p in paragraphs if p.strip()], rng)
        recent.append((pool, paragraphs, text))
        yield CorpusDocument(number, pool, kind, text)


@dataclass
class Corpus:
    project: Path
    megabytes: float
    documents: int = 0
    input_bytes: int = 0
    kinds: Counter[str] = field(default_factory=Counter)

    @property
    def raw(self) -> Path:
        return self.project / "raw"


def build_corpus(folder: Path, megabytes: float, seed: int) -> Corpus:
    """A fresh corpus project (`ctk init`) at `folder` whose raw/ holds `megabytes` MB of JSONL in 2 MB files."""
    shutil.rmtree(folder, ignore_errors=True)
    init_project(folder)
    corpus = Corpus(folder, megabytes)
    output, file_bytes, files = None, FILE_BYTES, count()
    for doc in corpus_documents(seed):
        if corpus.input_bytes >= megabytes * MB:
            break
        if file_bytes >= FILE_BYTES:
            if output is not None:
                output.close()
            output = (corpus.raw / f"part-{next(files):05d}.jsonl").open("wb")
            file_bytes = 0
        line = doc.jsonl_line().encode("utf-8")
        output.write(line)
        file_bytes += len(line)
        corpus.input_bytes += len(line)
        corpus.documents += 1
        corpus.kinds[doc.kind] += 1
    if output is not None:
        output.close()
    return corpus


# ---------------------------------------------------------------- measuring


@dataclass
class Measurement:
    label: str
    seconds: float  # the median of the unobserved runs' wall times
    cpu_seconds: float
    peak_rss: int  # bytes, summed over the process tree
    peak_pss: int  # bytes, summed over the process tree: shared pages split between their sharers
    walls: list[float] = field(default_factory=list)  # each unobserved run's wall time


class ProcessTreeSampler:
    """Samples a process and all its descendants: their summed resident memory, and the CPU time each used.

    In the summed RSS, pages that forked workers share with their parent count in each of them, which
    overstates a process pool's footprint; the summed PSS divides each shared page between its sharers.
    CPU time is each process's last sample (getrusage of reaped children would miss the workers that a
    pool terminates without waiting for them, as datatrove's does)."""

    def __init__(self, root: psutil.Process) -> None:
        self.root = root
        self.peak_rss = self.peak_pss = 0
        self.cpu_seconds_by_pid: dict[int, float] = {}

    def sample(self) -> None:
        rss = pss = 0
        for member in [self.root, *self.root.children(recursive=True)]:
            try:
                with member.oneshot():
                    memory = member.memory_full_info()
                    times = member.cpu_times()
            except psutil.Error:  # it ended between listing and reading
                continue
            rss, pss = rss + memory.rss, pss + memory.pss
            self.cpu_seconds_by_pid[member.pid] = times.user + times.system
        self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu_seconds_by_pid.values())


def measure(
    label: str,
    command: list[str],
    log: Path,
    cwd: Path | None = None,
    *,
    reset: Callable[[], None] | None = None,
    repeat: int = 1,
) -> Measurement:
    """Run `command` to its end, sampling its process tree every SAMPLE_SECONDS; output goes to `log`.

    With `reset` (which removes what a run wrote), it first runs `repeat` times alone, for the median of their
    wall times, then once sampled.
    Sampling the memory of a tree of processes takes about a fifth of a core here (10 ms every 50 ms for
    `ctk run`'s six processes): a pipeline that keeps both cores busy would be timed slower than one that
    leaves a core free for the sampler."""
    walls = []
    for _ in range(repeat if reset is not None else 0):
        reset()
        started = time.perf_counter()
        with log.open("w") as output:
            exit_code = subprocess.run(command, stdout=output, stderr=subprocess.STDOUT, cwd=cwd).returncode
        walls.append(time.perf_counter() - started)
        if exit_code:
            raise RuntimeError(f"{label}: {' '.join(command)} exited with {exit_code}; see {log}")
    if reset is not None:
        reset()
    started = time.perf_counter()
    with log.open("w") as output:
        process = psutil.Popen(command, stdout=output, stderr=subprocess.STDOUT, cwd=cwd)
        sampler = ProcessTreeSampler(process)
        while process.poll() is None:
            sampler.sample()
            time.sleep(SAMPLE_SECONDS)
    walls = walls or [time.perf_counter() - started]
    if process.returncode:
        raise RuntimeError(f"{label}: {' '.join(command)} exited with {process.returncode}; see {log}")
    return Measurement(label, statistics.median(walls), sampler.cpu_seconds, sampler.peak_rss, sampler.peak_pss, walls)


def clear_outputs(project: Path) -> None:
    """Remove what an earlier run built, so that nothing is skipped as up to date."""
    for folder in ("build", "clean", "dist"):
        shutil.rmtree(project / folder, ignore_errors=True)


def run_ctk(corpus: Corpus, logs: Path, repeat: int) -> Measurement:
    command = [str(BIN / "ctk"), "run", "-C", str(corpus.project), "-q", "--no-report"]
    reset = partial(clear_outputs, corpus.project)
    return measure("(a) ctk run", command, logs / "ctk-run.log", reset=reset, repeat=repeat)


def run_anchors(corpus: Corpus, logs: Path, repeat: int) -> Measurement:
    options = DedupOptions()
    output = corpus.project / "anchors"
    command = [
        sys.executable, str(ROOT / "benchmarks" / "anchors_pipeline.py"), str(corpus.raw), str(output),
        "--num-perm", str(options.num_perm), "--bands", str(options.bands),
        "--threshold", str(options.threshold), "--ngram", str(options.char_ngram),
    ]  # fmt: skip
    reset = partial(shutil.rmtree, output, ignore_errors=True)
    return measure(
        "(b) ftfy + OpenCC + datasketch + pyarrow", command, logs / "anchors.log", reset=reset, repeat=repeat
    )


def datatrove_python() -> tuple[Path | None, str]:
    """The python of the datatrove venv, created on first use; or None and why it is not there."""
    python = DATATROVE_VENV / "bin" / "python"
    installed = DATATROVE_VENV / "installed"  # written last: the packages installed
    if installed.exists() and installed.read_text().split() == DATATROVE_PACKAGES:
        return python, ""
    try:
        subprocess.run(["python3", "-m", "venv", str(DATATROVE_VENV)],
                       check=True, capture_output=True)  # fmt: skip
        subprocess.run([str(python), "-m", "pip", "install", "-q", *DATATROVE_PACKAGES], check=True,
                       capture_output=True, text=True)  # fmt: skip
    except (OSError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", None) or str(error)
        return None, f"could not install {' '.join(DATATROVE_PACKAGES)}: {detail.strip().splitlines()[-1]}"
    installed.write_text(" ".join(DATATROVE_PACKAGES) + "\n")
    return python, ""


def run_datatrove(corpus: Corpus, logs: Path, python: Path, workers: int, repeat: int) -> Measurement:
    options = DedupOptions()
    work = corpus.project / "datatrove"
    files = len(list(corpus.raw.glob("*.jsonl")))
    command = [
        str(python), str(ROOT / "benchmarks" / "datatrove_pipeline.py"), str(corpus.raw), str(work),
        "--workers", str(workers), "--tasks", str(min(files, 4 * workers)), "--ngram", str(DATATROVE_NGRAM),
        "--buckets", str(options.bands), "--hashes-per-bucket", str(options.num_perm // options.bands),
    ]  # fmt: skip
    reset = partial(shutil.rmtree, work, ignore_errors=True)  # its logs too: datatrove skips the tasks they list
    return measure("(c) datatrove", command, logs / "datatrove.log", reset=reset, repeat=repeat)


def run_stages_one_by_one(corpus: Corpus, logs: Path) -> list[Measurement]:
    """Each stage command alone (`ctk ingest raw build/ingest`, ..., `ctk publish clean dist`), for its own
    peak memory."""
    clear_outputs(corpus.project)
    commands = [(name, [name, str(source), str(output)]) for name, source, output in stage_folders(corpus.project)]
    commands.append(("publish", ["publish", str(corpus.project / "clean"), str(corpus.project / "dist")]))
    return [
        measure(name, [str(BIN / "ctk"), *arguments, "-q"], logs / f"ctk-{name}.log", cwd=corpus.project)
        for name, arguments in commands
    ]


def run_ingest_of_one_file(corpus: Corpus, logs: Path) -> Measurement:
    """`ctk ingest` of the same corpus delivered as one JSONL file, as many corpora are."""
    folder = corpus.project / "one-file"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    with (folder / "corpus.jsonl").open("wb") as whole:
        for part in sorted(corpus.raw.glob("*.jsonl")):
            with part.open("rb") as lines:
                shutil.copyfileobj(lines, whole)
    command = [str(BIN / "ctk"), "ingest", str(folder), str(corpus.project / "build" / "ingest-one-file"), "-q"]
    return measure("ingest, one file", command, logs / "ctk-ingest-one-file.log", cwd=corpus.project)


# ---------------------------------------------------------------- the tables


def megabytes(size: int) -> str:
    return f"{size / MB:,.0f} MB"


def peers_row(corpus: Corpus, run: Measurement, reference: Measurement) -> str:
    rate = corpus.input_bytes / run.seconds / MB
    return (
        f"| {corpus.megabytes} MB | {run.label} | {run.seconds:,.1f} | {run.cpu_seconds:,.1f} | {rate:.2f} | "
        f"{corpus.documents / run.seconds:,.0f} | {megabytes(run.peak_rss)} | {megabytes(run.peak_pss)} | "
        f"{run.seconds / reference.seconds:.2f}× |"
    )


def print_peers_table(results: list[tuple[Corpus, list[Measurement]]]) -> None:
    print(
        "\n| input | pipeline | wall s | CPU s | MB/s | documents/s | peak RSS (tree) | peak PSS (tree) "
        "| (a) is faster by |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for corpus, runs in results:
        for run in runs:
            print(peers_row(corpus, run, runs[0]))


def growth(peaks: list[int]) -> str:
    return f"{100 * (peaks[-1] / peaks[0] - 1):+.0f}%"


def print_memory_table(results: list[tuple[Corpus, Measurement, list[Measurement]]]) -> None:
    """Peak RSS and PSS of `ctk run` and of each stage command, per size, and their growth over the sizes."""
    sizes = " | ".join(f"{corpus.megabytes} MB: RSS / PSS" for corpus, _, _ in results)
    print(f"\n| command | {sizes} | RSS growth | PSS growth |")
    print("| --- |" + " ---: |" * (len(results) + 2))
    for row in range(len(results[0][2]) + 1):
        runs = [run if row == 0 else stages[row - 1] for _, run, stages in results]
        rss, pss = [run.peak_rss for run in runs], [run.peak_pss for run in runs]
        cells = " | ".join(f"{megabytes(r)} / {megabytes(p)}" for r, p in zip(rss, pss, strict=True))
        label = "ctk run" if row == 0 else f"ctk {runs[0].label}"
        print(f"| {label} | {cells} | {growth(rss)} | {growth(pss)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100", help="corpus sizes in MB of JSONL (default 10,100)")
    parser.add_argument("--large", action="store_true", help="also 1000 MB")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-datatrove", action="store_true", help="do not run (or install) datatrove")
    parser.add_argument("--only-ctk", action="store_true", help="run (a) alone: for memory growth at large sizes")
    parser.add_argument("--skip-stages", action="store_true", help="do not run each stage command alone")
    parser.add_argument(
        "--repeat",
        type=int,
        help="unobserved runs of each pipeline, wall s their median (default 5 under 50 MB, else 1)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] + ([1000] if args.large else [])
    workers = psutil.cpu_count() or 1
    skip_datatrove = args.skip_datatrove or args.only_ctk
    python, reason = (None, "--skip-datatrove or --only-ctk") if skip_datatrove else datatrove_python()
    if python is None:
        print(f"(c) datatrove skipped: {reason}")
    # Timed as installed: pip compiled (b)'s and (c)'s libraries, but an editable install of ours compiles
    # nothing, and under PYTHONDONTWRITEBYTECODE each process of `ctk run` would compile it again.
    compileall.compile_dir(ROOT / "toolkit", quiet=1)
    peers, memory = [], []
    for size in sizes:
        started = time.perf_counter()
        corpus = build_corpus(OUT / "peers" / f"{size}MB-seed{args.seed}", size, args.seed)
        logs = corpus.project / "logs"
        logs.mkdir(exist_ok=True)
        print(f"{size} MB: {corpus.documents:,} documents, {dict(corpus.kinds)}, built in "
              f"{time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
        # A run of a few seconds varies by 15% here from one minute to the next; one of minutes averages its noise.
        repeat = args.repeat or (SHORT_RUN_REPEATS if size < SHORT_RUN_MB else 1)
        runs = [run_ctk(corpus, logs, repeat)] + ([] if args.only_ctk else [run_anchors(corpus, logs, repeat)])
        if python is not None:
            runs.append(run_datatrove(corpus, logs, python, workers, repeat))
        for run in runs:
            each = f" (median of {', '.join(f'{wall:.1f}' for wall in run.walls)})" if len(run.walls) > 1 else ""
            print(f"  {run.label}: {run.seconds:.1f} s{each}, {megabytes(run.peak_rss)}", flush=True)
        stages = []
        if not args.skip_stages:
            stages = [*run_stages_one_by_one(corpus, logs), run_ingest_of_one_file(corpus, logs)]
        peers.append((corpus, runs))
        memory.append((corpus, runs[0], stages))
    print(f"\n{psutil.cpu_count()} cores, {workers} ctk and datatrove workers; (b) runs in one process")
    print_peers_table(peers)
    print_memory_table(memory)


if __name__ == "__main__":
    main()
