"""Clean-stage benchmark: character error rate and exact paragraphs on a damaged real-text corpus.

    .venv/bin/python benchmarks/clean.py [--per-corpus N] [--seed S] [--skip K]

Builds the corpus of benchmarks/clean_corpus.py, runs CleanStage on it (prepare, then process), and
prints one row per source corpus and scrape kind, plus the same text undamaged (what cleaning harms).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

# the repository root, so that `benchmarks.clean_corpus` imports when this file is run as a script
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from benchmarks.clean_corpus import DamagedDocument, build_corpus, character_errors, exact_paragraphs
from toolkit.clean import CleanStage
from toolkit.document import Document
from toolkit.text import paragraphs


def clean(docs: list[DamagedDocument], *, undamaged: bool = False) -> tuple[dict[str, list[str]], CleanStage]:
    """Cleaned paragraphs per source (all parts in order), from the damaged or the original text."""
    inputs = [Document(text="\n".join(d.original) if undamaged else d.damaged, source=d.source) for d in docs]
    stage = CleanStage()
    stage.prepare(inputs)
    cleaned: dict[str, list[str]] = {d.source: [] for d in docs}
    for doc in inputs:
        for out in stage.process(doc):
            if not out.reject_reason:
                cleaned[out.source] += paragraphs(out.text)
    return cleaned, stage


def row(label: str, docs: list[DamagedDocument], cleaned: dict[str, list[str]]) -> list[str]:
    chars = sum(len("\n".join(d.original)) for d in docs)
    errors = sum(character_errors(d.original, cleaned[d.source]) for d in docs)
    total = sum(len(d.original) for d in docs)
    exact = sum(exact_paragraphs(d.original, cleaned[d.source]) for d in docs)
    damage = sum((d.damage for d in docs), Counter())
    return [
        label,
        str(len(docs)),
        str(total),
        ", ".join(f"{k} {v}" for k, v in sorted(damage.items())) or "none",
        f"{100 * errors / chars:.3f}%",
        f"{100 * exact / total:.2f}%",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-corpus", type=int, default=100, help="documents taken from each source corpus")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument(
        "--skip", type=int, default=0, help="files skipped in each corpus (100: documents not tuned on)"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    docs = build_corpus(args.seed, args.per_corpus, args.skip)
    cleaned, stage = clean(docs)
    untouched, _ = clean(docs, undamaged=True)
    groups = {
        f"{corpus} ({kind})": [d for d in docs if d.source.startswith(corpus) and ("chrome" in d.damage) == web]
        for corpus in ("prc-regulations", "peoples-daily-1998")
        for kind, web in (("print", False), ("web", True))
    }
    rows = [row(label, group, cleaned) for label, group in groups.items()]
    rows.append(row("all damaged", docs, cleaned))
    rows.append(row("all undamaged (harm check)", [DamagedDocument(d.source, d.original, "") for d in docs], untouched))
    header = ["corpus", "docs", "paragraphs", "damage injected", "CER", "exact paragraphs"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for cells in rows:
        print("| " + " | ".join(cells) + " |")
    removed = {k.removeprefix("removed."): v for k, v in stage.stats.items() if k.startswith("removed.")}
    print(f"\nremoved: {dict(sorted(removed.items()))}")
    print(f"rejoined page breaks: {stage.stats['rejoined.page-break']}; articles: {stage.stats['articles']}")
    print(f"{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
