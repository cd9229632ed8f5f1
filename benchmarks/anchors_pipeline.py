"""The pipeline a user would assemble from the anchors' building blocks, for benchmarks/peers.py.

    python benchmarks/anchors_pipeline.py INPUT_FOLDER OUTPUT_FOLDER [--num-perm 128] [--bands 32]
        [--threshold 0.6] [--ngram 4]

Reads every *.jsonl file of INPUT_FOLDER (text in `text`), one document at a time: ftfy.fix_text with its
defaults, then OpenCC t2s; a datasketch MinHash of the character n-grams, queried against a MinHashLSH of
the documents kept so far (a candidate whose estimated Jaccard similarity reaches the threshold makes the
document a duplicate); kept documents go to a zstd Parquet file with pyarrow, a batch at a time. One process,
as such a script is usually written. It does not import the toolkit: peers.py passes our dedup defaults in.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

import ftfy
import numpy as np
import opencc
import pyarrow as pa
import pyarrow.parquet as pq
from datasketch import MinHash, MinHashLSH

WRITE_BATCH = 1000  # documents per Parquet write


def read_jsonl(folder: Path) -> Iterator[dict[str, str]]:
    for file in sorted(folder.glob("*.jsonl")):
        with file.open(encoding="utf-8") as lines:
            for line in lines:
                yield json.loads(line)


def character_shingles(text: str, n: int) -> set[bytes]:
    return {text[i : i + n].encode("utf-8") for i in range(len(text) - n + 1)}


class NearDuplicateFilter:
    """MinHashLSH over the documents kept so far; the signatures are kept to check the candidates."""

    def __init__(self, *, num_perm: int, bands: int, threshold: float, ngram: int) -> None:
        self.num_perm, self.threshold, self.ngram = num_perm, threshold, ngram
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, params=(bands, num_perm // bands))
        self.signatures: dict[int, np.ndarray] = {}

    def is_duplicate(self, key: int, text: str) -> bool:
        minhash = MinHash(num_perm=self.num_perm)
        minhash.update_batch(list(character_shingles(text, self.ngram)))
        for candidate in self.lsh.query(minhash):
            if np.mean(self.signatures[candidate] == minhash.hashvalues) >= self.threshold:
                return True
        self.lsh.insert(key, minhash)
        self.signatures[key] = minhash.hashvalues
        return False


class BatchedParquetWriter:
    """Records to one zstd Parquet file, written a batch at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.writer: pq.ParquetWriter | None = None
        self.batch: list[dict[str, str]] = []

    def write(self, record: dict[str, str]) -> None:
        self.batch.append(record)
        if len(self.batch) >= WRITE_BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        table = pa.Table.from_pylist(self.batch)
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.path, table.schema, compression="zstd")
        self.writer.write_table(table)
        self.batch = []

    def close(self) -> None:
        self.flush()
        if self.writer is not None:
            self.writer.close()


def run(source: Path, output: Path, near_duplicates: NearDuplicateFilter) -> tuple[int, int]:
    """Documents kept and dropped."""
    to_simplified = opencc.OpenCC("t2s")
    output.mkdir(parents=True, exist_ok=True)
    kept_documents = BatchedParquetWriter(output / "documents.parquet")
    kept = dropped = 0
    for number, record in enumerate(read_jsonl(source)):
        text = to_simplified.convert(ftfy.fix_text(record["text"]))
        if near_duplicates.is_duplicate(number, text):
            dropped += 1
            continue
        kept_documents.write({**record, "text": text})
        kept += 1
    kept_documents.close()
    return kept, dropped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", type=Path, help="folder of *.jsonl files")
    parser.add_argument("output", type=Path, help="folder for documents.parquet")
    parser.add_argument("--num-perm", type=int, default=128)
    parser.add_argument("--bands", type=int, default=32)
    parser.add_argument("--threshold", type=float, default=0.6)
    parser.add_argument("--ngram", type=int, default=4, help="characters per shingle")
    args = parser.parse_args()
    near_duplicates = NearDuplicateFilter(
        num_perm=args.num_perm, bands=args.bands, threshold=args.threshold, ngram=args.ngram
    )
    kept, dropped = run(args.input, args.output, near_duplicates)
    print(json.dumps({"kept": kept, "dropped": dropped}))


if __name__ == "__main__":
    main()
