"""The first pass: what dedup needs to know of each document, computed batch by batch.

Per document (its ordinal is its row): the exact key, the length, a quality score, whether it has
shingles, its MinHash signature and LSH band keys. Per paragraph long enough to count: its hash, the
ordinal of its document and its line number there. The text itself is not kept: the output passes
read the input shards again.

`features` computes a batch's rows from its texts alone, so worker processes can compute batches in any
order and the index appends them in input order; `chunk_features` reads the texts of a chunk of a shard
first, in the worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from toolkit.dedup.exact import exact_key
from toolkit.dedup.keep import quality_score
from toolkit.dedup.minhash import band_keys, minhash_signatures
from toolkit.dedup.normalize import normalize_for_hashing
from toolkit.dedup.paragraphs import paragraph_hash
from toolkit.dedup.shards import Chunk, read_chunk
from toolkit.dedup.shingles import shingle_hashes
from toolkit.dedup.spill import MemoryBudget, SpillableColumn

__all__ = ["BatchFeatures", "CorpusIndex", "IndexSettings", "chunk_features", "features"]


@dataclass(frozen=True)
class IndexSettings:
    num_perm: int
    bands: int
    char_ngram: int
    word_ngram: int
    paragraph_min_chars: int
    with_quality: bool  # only the "quality" keep policy reads it, and it costs a look at every character


@dataclass
class BatchFeatures:
    """The index rows of one batch of documents; paragraph owners count from the batch's first document."""

    exact_keys: np.ndarray
    lengths: np.ndarray
    qualities: np.ndarray
    has_shingles: np.ndarray
    signatures: np.ndarray
    band_keys: np.ndarray
    paragraph_hashes: np.ndarray
    paragraph_owners: np.ndarray
    paragraph_lines: np.ndarray


def chunk_features(chunk: Chunk, settings: IndexSettings) -> BatchFeatures:
    """`features` of a chunk of an input shard, read here: to a worker only the chunk's name travels."""
    return features(read_chunk(chunk, with_repairs=settings.with_quality), settings)


def features(batch: tuple[list[str], Sequence[int] | np.ndarray], settings: IndexSettings) -> BatchFeatures:
    """The index rows of a batch given as (texts, repairs counted in each)."""
    texts, repairs = batch
    normalized = [normalize_for_hashing(text) for text in texts]
    shingles = [shingle_hashes(t, char_ngram=settings.char_ngram, word_ngram=settings.word_ngram) for t in normalized]
    signatures = minhash_signatures(shingles, num_perm=settings.num_perm)
    if settings.with_quality:
        scores = [quality_score(text, repairs=int(n)) for text, n in zip(texts, repairs, strict=True)]
        qualities = np.array(scores, dtype=np.float32)
    else:
        qualities = np.zeros(len(texts), dtype=np.float32)
    hashes, owners, lines = [], [], []
    for owner, text in enumerate(normalized):
        for number, line in enumerate(text.split("\n")):
            if line and len(line) >= settings.paragraph_min_chars:
                hashes.append(paragraph_hash(line))
                owners.append(owner)
                lines.append(number)
    return BatchFeatures(
        exact_keys=np.array([exact_key(text) for text in normalized], dtype="S16"),
        lengths=np.array([len(text) for text in normalized], dtype=np.int64),  # content, not spacing
        qualities=qualities,
        has_shingles=np.array([len(s) > 0 for s in shingles], dtype=np.bool_),
        signatures=signatures,
        band_keys=band_keys(signatures, bands=settings.bands),
        paragraph_hashes=np.array(hashes, dtype=np.uint64),
        paragraph_owners=np.array(owners, dtype=np.uint32),
        paragraph_lines=np.array(lines, dtype=np.uint32),
    )


class CorpusIndex:
    def __init__(self, folder: Path, *, budget: MemoryBudget, settings: IndexSettings) -> None:
        def column(name: str, dtype: type | str, width: int = 0) -> SpillableColumn:
            return SpillableColumn(folder / f"{name}.bin", np.dtype(dtype), width, budget)

        self.exact_keys = column("exact-keys", "S16")
        self.lengths = column("lengths", np.int64)
        self.qualities = column("qualities", np.float32)
        self.has_shingles = column("has-shingles", np.bool_)
        self.signatures = column("signatures", np.uint32, settings.num_perm)
        self.band_keys = column("band-keys", np.uint64, settings.bands)
        self.paragraph_hashes = column("paragraph-hashes", np.uint64)
        self.paragraph_documents = column("paragraph-documents", np.uint32)
        self.paragraph_lines = column("paragraph-lines", np.uint32)
        self.count = 0

    def add(self, batch: BatchFeatures) -> None:
        """Append the rows of the next batch of documents."""
        self.exact_keys.append(batch.exact_keys)
        self.lengths.append(batch.lengths)
        self.qualities.append(batch.qualities)
        self.has_shingles.append(batch.has_shingles)
        self.signatures.append(batch.signatures)
        self.band_keys.append(batch.band_keys)
        self.paragraph_hashes.append(batch.paragraph_hashes)
        self.paragraph_documents.append(batch.paragraph_owners + np.uint32(self.count))
        self.paragraph_lines.append(batch.paragraph_lines)
        self.count += len(batch.lengths)

    def spilled_columns(self) -> int:
        return sum(column.spilled for column in vars(self).values() if isinstance(column, SpillableColumn))
