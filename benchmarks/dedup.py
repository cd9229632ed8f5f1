"""Dedup throughput and memory beside datasketch's MinHashLSH, on synthetic corpora of real sentences.

    .venv/bin/python benchmarks/dedup.py [--sizes 10000,100000,1000000] [--baseline-limit 100000] [--workers N]

A synthetic document is 6-32 sentences in 3-8 paragraphs, drawn from one of the public corpora (People's
Daily, PRC regulations or traditional-script text: a document is written in one script); one in five is a
variant (toolkit.dedup.evaluation.VARIANTS) of an earlier one. Rows, per size:

- normalise: normalize_for_hashing, shared by both implementations (not in the signature rows);
- signatures: normalised text -> MinHash signature (ours: numpy shingle hashes + rensa; datasketch:
  shingle strings + MinHash.update_batch), same shingles and num_perm;
- whole stage: a child process from Parquet in to decisions out, with its peak memory (ours: run_stage of
  DedupStage with --workers processes for the first pass, writing Parquet; datasketch, one process: read,
  normalise, sign, MinHashLSH insert and query, in memory). Peak memory: the child's own (VmHWM), and the
  largest sum of resident memory over the child and all its descendants (workers), sampled every 0.2 s.

datasketch runs on the first --baseline-limit documents only (it is slow); its rates are per document.
Then the recall/precision table of the default settings on variants of the real documents.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from toolkit.dedup import DedupOptions, DedupStage
from toolkit.dedup.evaluation import VARIANTS, build_test_set, score
from toolkit.dedup.minhash import minhash_signatures
from toolkit.dedup.normalize import normalize_for_hashing
from toolkit.dedup.shingles import WORD, character_units, is_written_without_spaces, shingle_hashes
from toolkit.document import Document
from toolkit.engines import LocalEngine
from toolkit.pipeline import ShardWriter, read_documents, read_stage_output, run_stage

CORPORA = Path("/work/shared/corpora")
SENTENCE = re.compile(r"[^。！？]+[。！？]")
OPTIONS = DedupOptions()


SOURCES = ("peoples-daily-1998", "prc-regulations", "zh-hant")


def real_texts(sources: tuple[str, ...] = SOURCES) -> list[str]:
    return [f.read_text(encoding="utf-8") for d in sources for f in sorted((CORPORA / d).glob("*.txt"))]


def synthetic_corpus(size: int, seed: int = 0) -> list[str]:
    by_source = [[s for text in real_texts((source,)) for s in SENTENCE.findall(text)] for source in SOURCES]
    rng, choose = random.Random(seed), np.random.default_rng(seed)
    variants = [v for name, v in VARIANTS.items() if name != "simplified copy"]
    texts: list[str] = []
    for _ in range(size):
        if texts and rng.random() < 0.2:
            texts.append(rng.choice(variants)(rng.choice(texts), rng))
            continue
        sentences = by_source[int(choose.integers(0, len(by_source)))]
        picks = choose.integers(0, len(sentences), size=int(choose.integers(6, 32)))
        cut = np.sort(
            choose.choice(np.arange(1, len(picks)), size=min(len(picks) - 1, rng.randint(2, 7)), replace=False)
        )
        texts.append("\n".join("".join(sentences[i] for i in part) for part in np.split(picks, cut)))
    return texts


def shingle_strings(normalized: str) -> list[bytes]:
    """The shingles of shingle_hashes, as the byte strings datasketch hashes."""
    if is_written_without_spaces(character_units(normalized)):
        lines = ["".join(ch for ch in line if ch.isalnum()) for line in normalized.split("\n")]
        n = OPTIONS.char_ngram
        return [line[i : i + n].encode() for line in lines for i in range(len(line) - n + 1)]
    n = OPTIONS.word_ngram
    words = [WORD.findall(line) for line in normalized.split("\n")]
    return [" ".join(w[i : i + n]).encode() for w in words for i in range(len(w) - n + 1)]


def timed(work: Callable[..., Any], *arguments: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = work(*arguments)
    return result, time.perf_counter() - started


def normalize_all(texts: list[str]) -> list[str]:
    return [normalize_for_hashing(text) for text in texts]


def our_signatures(normalized: list[str]) -> None:
    for start in range(0, len(normalized), 1024):
        shingles = [
            shingle_hashes(t, char_ngram=OPTIONS.char_ngram, word_ngram=OPTIONS.word_ngram)
            for t in normalized[start : start + 1024]
        ]
        minhash_signatures(shingles, num_perm=OPTIONS.num_perm)


def datasketch_signatures(normalized: list[str]) -> list[object]:
    from datasketch import MinHash

    signatures = []
    for text in normalized:
        minhash = MinHash(num_perm=OPTIONS.num_perm, seed=1)
        minhash.update_batch(shingle_strings(text))
        signatures.append(minhash)
    return signatures


# ---------------------------------------------------------------- child processes (peak memory)


def run_ours(source: Path, output: Path, workers: int) -> dict[str, float]:
    report = run_stage(DedupStage(OPTIONS), source, output, force=True, engine=LocalEngine(workers))
    return {"kept": report.documents_out, "dropped": sum(report.rejected.values())}


def run_datasketch(source: Path, limit: int) -> dict[str, float]:
    from datasketch import MinHashLSH

    rows = OPTIONS.num_perm // OPTIONS.bands
    lsh = MinHashLSH(threshold=OPTIONS.threshold, num_perm=OPTIONS.num_perm, params=(OPTIONS.bands, rows))
    signatures: dict[int, object] = {}
    dropped = number = 0
    for number, doc in enumerate(read_documents(sorted(source.glob("*.parquet")))):
        if number >= limit:
            break
        (minhash,) = datasketch_signatures([normalize_for_hashing(doc.text)])
        candidates = lsh.query(minhash)
        dropped += any(minhash.jaccard(signatures[c]) >= OPTIONS.threshold for c in candidates)
        lsh.insert(number, minhash)
        signatures[number] = minhash
    return {"kept": min(limit, number + 1) - dropped, "dropped": dropped}


def peak_resident_mb() -> float:
    """This process's peak resident memory. Not ru_maxrss: Linux carries it over from the forked parent
    across exec, so a child of a big parent would report the parent's size."""
    status = Path("/proc/self/status").read_text(encoding="ascii")
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024  # type: ignore[union-attr]


def tree_resident_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, summed (a page they share counts in each)."""
    total = 0.0
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii").split()
    except OSError:  # it has just ended
        return 0.0
    if found := re.search(r"VmRSS:\s+(\d+) kB", status):
        total += int(found.group(1)) / 1024
    return total + sum(tree_resident_mb(int(child)) for child in children)


def child(arguments: list[str]) -> dict[str, float]:
    """Run one whole-stage measurement in a fresh process: seconds and peak resident memory."""
    started = time.perf_counter()
    command = [sys.executable, __file__, "--child", *arguments]
    peak_tree_mb = 0.0
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        while process.poll() is None:
            peak_tree_mb = max(peak_tree_mb, tree_resident_mb(process.pid))
            time.sleep(0.2)
        out = process.stdout.read()  # type: ignore[union-attr]
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    result = json.loads(out.strip().splitlines()[-1])
    result["seconds"] = time.perf_counter() - started
    result["tree_peak_mb"] = peak_tree_mb
    return result


# ---------------------------------------------------------------- the tables


def throughput(documents: int, text_bytes: int, seconds: float) -> str:
    return f"{documents / seconds:>10,.0f} | {text_bytes / seconds / 1e6:>7.2f}"


def benchmark(sizes: list[int], baseline_limit: int, workers: int) -> None:
    print("| documents | step | implementation | documents/s | MB/s | peak RSS (process, tree) | speed-up |")
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: |")
    for size in sizes:
        texts = synthetic_corpus(size)
        text_bytes = sum(len(t.encode("utf-8")) for t in texts)
        baseline_n = min(size, baseline_limit)
        baseline_bytes = sum(len(t.encode("utf-8")) for t in texts[:baseline_n])
        normalized, seconds = timed(normalize_all, texts)
        print(f"| {size:,} | normalise | shared | {throughput(size, text_bytes, seconds)} | | |")
        _, ours = timed(our_signatures, normalized)
        _, theirs = timed(datasketch_signatures, normalized[:baseline_n])
        ratio = (size / ours) / (baseline_n / theirs)
        print(f"| {size:,} | signatures | rensa + numpy | {throughput(size, text_bytes, ours)} | | {ratio:.1f}× |")
        rate = throughput(baseline_n, baseline_bytes, theirs)
        print(f"| {size:,} | signatures | datasketch ({baseline_n:,}) | {rate} | | |")
        del normalized
        with tempfile.TemporaryDirectory(prefix="ctk-bench-") as folder:
            source = Path(folder) / "in"
            writer = ShardWriter(source, "part", rejects=False)
            for number, text in enumerate(texts):
                writer.write(Document(text=text, source=f"{number}.txt"))
            writer.close()
            del texts
            mine = child(["ours", str(source), str(Path(folder) / "out"), str(workers)])
            other = child(["datasketch", str(source), str(baseline_n)])
        ratio = (size / mine["seconds"]) / (baseline_n / other["seconds"])
        print(
            f"| {size:,} | whole stage | DedupStage, {workers} workers"
            f" | {throughput(size, text_bytes, mine['seconds'])}"
            f" | {mine['peak_mb']:,.0f} MB, {mine['tree_peak_mb']:,.0f} MB | {ratio:.1f}× |"
        )
        print(
            f"| {size:,} | whole stage | datasketch MinHashLSH ({baseline_n:,}) |"
            f" {throughput(baseline_n, baseline_bytes, other['seconds'])}"
            f" | {other['peak_mb']:,.0f} MB, {other['tree_peak_mb']:,.0f} MB | |"
        )
        sys.stdout.flush()


def quality_table() -> None:
    """Recall and precision of the default options on variants of every real document."""
    texts = real_texts()
    random.Random(1).shuffle(texts)
    items = build_test_set(texts, clusters=len(texts) // 2)
    with tempfile.TemporaryDirectory(prefix="ctk-bench-") as folder:
        writer = ShardWriter(Path(folder) / "in", "part", rejects=False)
        for number, item in enumerate(items):
            writer.write(Document(text=item.text, source=f"{number}.txt"))
        writer.close()
        run_stage(DedupStage(OPTIONS), Path(folder) / "in", Path(folder) / "out")
        result = read_stage_output(Path(folder) / "out")
        kept = {doc.id: int(doc.source.split(".")[0]) for doc in result.documents()}
        kept_for: list[int | None] = [None] * len(items)
        for doc in read_documents(result.rejects):
            kept_for[int(doc.source.split(".")[0])] = kept[doc.meta["duplicate_of"]]
    scores = score(items, kept_for)
    print(f"\n{len(items):,} documents, {len(texts) // 2} clusters, default options\n")
    print("| variant | pairs | found | recall |\n| --- | ---: | ---: | ---: |")
    for name, pairs, found, recall in scores.rows():
        print(f"| {name} | {pairs} | {found} | {recall:.3f} |")
    print(f"| **all** | {sum(scores.pairs.values())} | {sum(scores.found.values())} | {scores.recall:.3f} |")
    print(f"\nprecision {scores.precision:.4f} ({scores.dropped_wrongly} of {scores.dropped} dropped wrongly)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated corpus sizes")
    parser.add_argument("--baseline-limit", type=int, default=100_000, help="documents datasketch runs on")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="DedupStage's worker processes")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "ours":
            result = run_ours(Path(rest[0]), Path(rest[1]), int(rest[2]))
        else:
            result = run_datasketch(Path(rest[0]), int(rest[1]))
        result["peak_mb"] = peak_resident_mb()
        print(json.dumps(result))
        return
    benchmark([int(s) for s in args.sizes.split(",")], args.baseline_limit, args.workers)
    quality_table()


if __name__ == "__main__":
    main()
