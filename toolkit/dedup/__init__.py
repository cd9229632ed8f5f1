"""Dedup stage: exact duplicates, near duplicates (MinHash + LSH) and repeated paragraphs.

It reads the corpus once and writes it out twice, reading the input's Parquet shards where they lie:

1. Each document is normalised (normalize.py), hashed (exact.py), shingled and signed (shingles.py,
   minhash.py) by the engine's workers (processes, or Ray tasks), each reading a chunk of row groups
   itself (shards.py), into a CorpusIndex that stays in memory up to `memory_budget_mb` and goes to
   files in a temporary folder beyond.
2. From the index alone: exact groups (here); LSH candidate pairs band by band, checked against their
   signatures (buckets.py); clusters of the linked documents, each keeping one (clusters.py, keep.py);
   paragraphs repeated across the kept documents (paragraphs.py, here). The bucket and cluster steps run
   where the engine runs steps over the whole index (`Engine.map_with_shared`, `Engine.call`): in this
   process under the serial and local engines, whose pool workers would each need a copy of the index,
   as Ray tasks reading it from the object store under Ray.
3. The shards are read twice more: the kept documents (repeated paragraphs removed, new ids), then the
   dropped ones, which need the final id of the document kept in their place.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

from toolkit import __version__
from toolkit.config import Options, fingerprint, option
from toolkit.dedup.buckets import band_candidates, decode_pairs, signatures_agree
from toolkit.dedup.clusters import cluster_keepers, pairs_sharing_a_key
from toolkit.dedup.index import CorpusIndex, IndexSettings, chunk_features
from toolkit.dedup.keep import KEEP_POLICIES, preferences
from toolkit.dedup.minhash import algorithm
from toolkit.dedup.paragraphs import remove_lines, repeated_paragraphs
from toolkit.dedup.shards import chunks, read_selected
from toolkit.dedup.spill import MemoryBudget, spill_documents
from toolkit.document import Document, content_id
from toolkit.pipeline import Engine, Stage, StageInput

__all__ = ["DedupOptions", "DedupStage"]

INDEX_BATCH = 1024  # documents per worker task and per call to rensa, at most
TASKS_PER_WORKER = 4  # at least, where the corpus allows: the workers then finish the first pass together
READ_ROWS = 1024  # documents per record batch read back in the output passes
VERIFY_BATCH = 65_536  # candidate pairs compared per step (per task under Ray)


@dataclass(frozen=True)
class DedupOptions(Options):
    """Removing exact and near-duplicate documents and repeated paragraphs."""

    exact: bool = option(
        True, "drop documents whose text is the same once spacing, punctuation width and script are folded"
    )
    near: bool = option(True, "drop near duplicates (MinHash + LSH): boilerplate, small edits, truncation, reordering")
    threshold: float = option(
        0.6, "estimated Jaccard similarity of shingle sets from which two documents are near duplicates"
    )
    num_perm: int = option(128, "MinHash permutations: more estimate similarity better, cost time and index space")
    bands: int = option(32, "LSH bands (num_perm/bands rows each): more find pairs below threshold, then checked")
    char_ngram: int = option(4, "characters per shingle for text written without spaces (Chinese, Japanese, Thai)")
    word_ngram: int = option(3, "words per shingle for space-delimited text")
    keep: str = option(
        "longest", "which copy a cluster keeps: longest, earliest (input order) or quality (letters, repairs)"
    )
    paragraphs: bool = option(True, "remove a paragraph found in many kept documents from all but the first")
    paragraph_min_chars: int = option(20, "shorter paragraphs (normalised) are never removed as repeated")
    paragraph_min_documents: int = option(3, "a paragraph is repeated once this many kept documents have it")
    memory_budget_mb: int = option(512, "index size kept in memory; beyond it signatures and band keys go to disk")
    spill_dir: str = option(
        "", "folder for the temporary index (and documents not read from shards); empty means the system's"
    )

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], not {self.threshold}")
        if self.bands < 1 or self.num_perm % self.bands:
            raise ValueError(f"bands ({self.bands}) must divide num_perm ({self.num_perm})")
        if min(self.char_ngram, self.word_ngram, self.paragraph_min_documents) < 1:
            raise ValueError("char_ngram, word_ngram and paragraph_min_documents must be at least 1")
        if self.keep not in KEEP_POLICIES:
            raise ValueError(f"keep must be one of {', '.join(KEEP_POLICIES)}, not {self.keep!r}")


def first_pass_rows(total: int | None, workers: int) -> int:
    """Documents per task of the first pass: INDEX_BATCH, or fewer where so few tasks would leave workers idle
    while the last ones run (1,480 documents made a task of 1,024 and one of 456 for two workers).

    >>> first_pass_rows(100_000, 2), first_pass_rows(1_480, 2), first_pass_rows(None, 2)
    (1024, 185, 1024)
    """
    if not total:
        return INDEX_BATCH
    return max(1, min(INDEX_BATCH, total // (TASKS_PER_WORKER * workers)))


@dataclass
class Decisions:
    """What the index says about every document, by ordinal."""

    keeper: np.ndarray  # ordinal of the document kept in its place (itself when kept)
    exact: np.ndarray  # bool: same exact key as its keeper
    # The lines kept documents lose, as repeats of a paragraph an earlier kept document keeps, sorted by
    # document ordinal, then line number; document i's are removed_lines[removed_start[i]:removed_start[i + 1]].
    removed_lines: np.ndarray
    removed_start: np.ndarray


class DedupStage(Stage):
    name = "dedup"
    options_class = DedupOptions
    parallel = False

    options: DedupOptions

    def config_fingerprint(self) -> str:
        return fingerprint(self.name, __version__, self.options.as_dict(), algorithm())

    def run_source(self, source: StageInput, count: Callable[[int], None], engine: Engine) -> Iterator[Document]:
        if not source.files:
            yield from super().run_source(source, count, engine)
            return
        yield from self._deduplicate(source.files, count, engine, total=source.total)

    def run(self, documents: Iterable[Document]) -> Iterator[Document]:
        """Documents that are not in shards (the stage used as a library) are written to one first."""
        with tempfile.TemporaryDirectory(prefix="ctk-dedup-", dir=self.options.spill_dir or None) as folder:
            files = spill_documents(documents, Path(folder) / "documents.parquet", batch_rows=INDEX_BATCH)
            yield from self._deduplicate(files, lambda n: None, Engine())

    def _deduplicate(
        self, files: list[Path], count: Callable[[int], None], engine: Engine, total: int | None = None
    ) -> Iterator[Document]:
        with tempfile.TemporaryDirectory(prefix="ctk-dedup-", dir=self.options.spill_dir or None) as folder:
            index = self._index(files, Path(folder), count, engine, total)
            if index.count == 0:
                return
            decisions = self._decide(index, engine)
            kept_ids = np.zeros((index.count, 16), dtype=np.uint8)  # not "S16": numpy strips its trailing zeros
            yield from self._kept(files, decisions, kept_ids)
            yield from self._dropped(files, decisions, kept_ids)

    # ------------------------------------------------------------ pass 1

    def _index(
        self, files: list[Path], folder: Path, count: Callable[[int], None], engine: Engine, total: int | None
    ) -> CorpusIndex:
        o = self.options
        settings = IndexSettings(
            num_perm=o.num_perm,
            bands=o.bands,
            char_ngram=o.char_ngram,
            word_ngram=o.word_ngram,
            paragraph_min_chars=o.paragraph_min_chars,
            with_quality=o.keep == "quality",
        )
        index = CorpusIndex(folder, budget=MemoryBudget(o.memory_budget_mb * 2**20), settings=settings)
        rows = first_pass_rows(total, engine.workers)
        for batch in engine.map_in_order(partial(chunk_features, settings=settings), chunks(files, rows)):
            index.add(batch)
            count(len(batch.lengths))
        return index

    # ------------------------------------------------------------ decisions

    def _decide(self, index: CorpusIndex, engine: Engine) -> Decisions:
        o, n = self.options, index.count
        ordinals = np.arange(n, dtype=np.int64)
        exact_keys = index.exact_keys.array()
        linked = [pairs_sharing_a_key(exact_keys, ordinals)] if o.exact else []
        if o.near:
            linked.append(self._similar_pairs(index, engine, exact_copies=linked[0][1] if linked else None))
        first = np.concatenate([pair[0] for pair in linked] or [np.empty(0, np.int64)])
        second = np.concatenate([pair[1] for pair in linked] or [np.empty(0, np.int64)])
        prefer = preferences(o.keep, lengths=index.lengths.array(), qualities=index.qualities.array())
        keeper = engine.call(cluster_keepers, n, first, second, prefer)
        self.stats["clusters"] += int(np.count_nonzero(np.bincount(keeper, minlength=n) > 1))
        decisions = Decisions(
            keeper=keeper,
            exact=exact_keys == exact_keys[keeper],
            removed_lines=np.empty(0, dtype=np.int64),
            removed_start=np.zeros(n + 1, dtype=np.int64),
        )
        if o.paragraphs:
            self._find_repeated_paragraphs(index, decisions)
        self.stats["index-columns-spilled"] += index.spilled_columns()
        return decisions

    def _similar_pairs(
        self, index: CorpusIndex, engine: Engine, exact_copies: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """LSH candidates, kept when their signatures agree enough. Exact copies are already linked to
        the first of their group, which alone takes part."""
        takes_part = index.has_shingles.array().copy()
        if exact_copies is not None:
            takes_part[exact_copies] = False
        documents = np.flatnonzero(takes_part)
        # np.asarray: a spilled column is a memory map, which pickles (into Ray's object store) as a copy in bytes
        keys, signatures = np.asarray(index.band_keys.array()), np.asarray(index.signatures.array())
        codes = engine.map_with_shared(band_candidates, (keys, documents), range(self.options.bands))
        candidates = np.unique(np.concatenate(list(codes)))
        first, other = decode_pairs(candidates, count=index.count)
        parts = [slice(start, start + VERIFY_BATCH) for start in range(0, len(candidates), VERIFY_BATCH)]
        check = partial(signatures_agree, threshold=self.options.threshold)
        agree = engine.map_with_shared(check, (signatures, first, other), parts)
        similar = np.concatenate([np.zeros(0, dtype=bool), *agree])
        self.stats["candidate-pairs"] += len(candidates)
        self.stats["similar-pairs"] += int(similar.sum())
        return first[similar], other[similar]

    def _find_repeated_paragraphs(self, index: CorpusIndex, decisions: Decisions) -> None:
        kept = decisions.keeper == np.arange(index.count)
        owners = index.paragraph_documents.array()
        in_kept = kept[owners]
        hashes, owners = index.paragraph_hashes.array()[in_kept], owners[in_kept]
        repeated, first = repeated_paragraphs(hashes, owners, min_documents=self.options.paragraph_min_documents)
        if len(repeated):
            position = np.minimum(np.searchsorted(repeated, hashes), len(repeated) - 1)
            removed = (repeated[position] == hashes) & (first[position] != owners)
            decisions.removed_lines = index.paragraph_lines.array()[in_kept][removed].astype(np.int64)
            decisions.removed_start = np.searchsorted(owners[removed], np.arange(index.count + 1))
        self.stats["repeated-paragraphs"] += len(repeated)

    # ------------------------------------------------------------ passes 2 and 3

    def _kept(self, files: list[Path], decisions: Decisions, kept_ids: np.ndarray) -> Iterator[Document]:
        kept = decisions.keeper == np.arange(len(decisions.keeper))
        for ordinal, doc in read_selected(files, kept, READ_ROWS):
            self._remove_repeated_paragraphs(doc, ordinal, decisions)
            doc.id = content_id(doc.text)
            doc.meta["cluster_id"] = doc.id
            kept_ids[ordinal] = np.frombuffer(bytes.fromhex(doc.id), dtype=np.uint8)
            if not doc.text.strip():  # nothing but paragraphs that other documents keep
                doc.reject("repeated-paragraph")
            yield doc

    def _remove_repeated_paragraphs(self, doc: Document, ordinal: int, decisions: Decisions) -> None:
        start, end = decisions.removed_start[ordinal : ordinal + 2].tolist()
        if start == end:
            return
        doc.text, removed = remove_lines(doc.text, decisions.removed_lines[start:end].tolist())
        doc.removed.extend({"reason": "repeated-paragraph", "text": line} for line in removed)
        self.stats["paragraphs-removed"] += len(removed)

    def _dropped(self, files: list[Path], decisions: Decisions, kept_ids: np.ndarray) -> Iterator[Document]:
        dropped = decisions.keeper != np.arange(len(decisions.keeper))
        for ordinal, doc in read_selected(files, dropped, READ_ROWS):
            doc.id = content_id(doc.text)
            doc.meta["duplicate_of"] = doc.meta["cluster_id"] = kept_ids[decisions.keeper[ordinal]].tobytes().hex()
            reason = "exact-duplicate" if decisions.exact[ordinal] else "near-duplicate"
            self.stats[reason + "s"] += 1
            yield doc.reject(reason)
