"""datatrove's equivalent of our pipeline, for benchmarks/peers.py; run by the python of a venv holding
`datatrove[processing]`, pyarrow, spacy and jieba (peers.py creates benchmarks/out/.venv-datatrove).

    python benchmarks/datatrove_pipeline.py INPUT_FOLDER WORK_FOLDER [--workers 2] [--tasks 8]
        [--ngram 2] [--buckets 32] [--hashes-per-bucket 4]

The four stages of datatrove's MinHash example on the local executor:
1. JsonlReader -> FTFYFormatter -> ParquetWriter (the formatted text) -> MinhashDedupSignature;
2. MinhashDedupBuckets; 3. MinhashDedupCluster;
4. ParquetReader (the formatted text) -> MinhashDedupFilter -> ParquetWriter (the output).
Stage 4 reads what stage 1 wrote, one file per task, so document numbers match the signatures'.
Signatures shingle Chinese by words (jieba, as datatrove does for `zh`), not by characters as ours do.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.dedup import MinhashDedupBuckets, MinhashDedupCluster, MinhashDedupFilter, MinhashDedupSignature
from datatrove.pipeline.dedup.minhash import MinhashConfig
from datatrove.pipeline.formatters import FTFYFormatter
from datatrove.pipeline.readers import JsonlReader, ParquetReader
from datatrove.pipeline.writers import ParquetWriter
from datatrove.utils.hashing import HashConfig


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help="folder of *.jsonl files")
    parser.add_argument("work", type=Path, help="folder for intermediate files, logs and output/")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tasks", type=int, default=8, help="tasks of stages 1 and 4 (at most one per input file)")
    parser.add_argument("--ngram", type=int, default=2, help="words per shingle")
    parser.add_argument("--buckets", type=int, default=32)
    parser.add_argument("--hashes-per-bucket", type=int, default=4)
    args = parser.parse_args()
    config = MinhashConfig(
        hash_config=HashConfig(precision=64),
        n_grams=args.ngram,
        num_buckets=args.buckets,
        hashes_per_bucket=args.hashes_per_bucket,
    )
    formatted, signatures, buckets, duplicates = (
        str(args.work / name) for name in ("formatted", "signatures", "buckets", "duplicate-ids")
    )
    stages = [
        (
            [
                JsonlReader(args.input, glob_pattern="*.jsonl"),
                FTFYFormatter(),
                ParquetWriter(formatted),
                MinhashDedupSignature(output_folder=signatures, config=config, language="zh"),
            ],
            args.tasks,
        ),
        ([MinhashDedupBuckets(input_folder=signatures, output_folder=buckets, config=config)], args.buckets),
        ([MinhashDedupCluster(input_folder=buckets, output_folder=duplicates, config=config)], 1),
        (
            [
                ParquetReader(formatted),
                MinhashDedupFilter(input_folder=duplicates),
                ParquetWriter(str(args.work / "output")),
            ],
            args.tasks,
        ),
    ]
    for number, (pipeline, tasks) in enumerate(stages, 1):
        executor = LocalPipelineExecutor(
            pipeline=pipeline,
            tasks=tasks,
            workers=args.workers,
            logging_dir=str(args.work / "logs" / f"stage-{number}"),
        )
        executor.run()


if __name__ == "__main__":
    main()
