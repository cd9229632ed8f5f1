"""The first pass: what dedup needs to know of each document, computed batch by batch.

Per document (its ordinal is its row): the exact key, the length, a quality score, whether it has
shingles, its MinHash signature and LSH band keys. Per paragraph long enough to count: its hash and
the ordinal of its document. The text itself is not kept: it goes to the DocumentSpill.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from toolkit.dedup.exact import exact_key
from toolkit.dedup.keep import quality_score
from toolkit.dedup.minhash import band_keys, minhash_signatures
from toolkit.dedup.normalize import normalize_for_hashing
from toolkit.dedup.paragraphs import paragraph_hash
from toolkit.dedup.shingles import shingle_hashes
from toolkit.dedup.spill import MemoryBudget, SpillableColumn
from toolkit.document import Document

__all__ = ["CorpusIndex"]


class CorpusIndex:
    def __init__(
        self,
        folder: Path,
        *,
        budget: MemoryBudget,
        num_perm: int,
        bands: int,
        char_ngram: int,
        word_ngram: int,
        paragraph_min_chars: int,
        with_quality: bool,
    ) -> None:
        self.num_perm, self.bands = num_perm, bands
        self.char_ngram, self.word_ngram = char_ngram, word_ngram
        self.paragraph_min_chars, self.with_quality = paragraph_min_chars, with_quality

        def column(name: str, dtype: type | str, width: int = 0) -> SpillableColumn:
            return SpillableColumn(folder / f"{name}.bin", np.dtype(dtype), width, budget)

        self.exact_keys = column("exact-keys", "S16")
        self.lengths = column("lengths", np.int64)
        self.qualities = column("qualities", np.float32)
        self.has_shingles = column("has-shingles", np.bool_)
        self.signatures = column("signatures", np.uint32, num_perm)
        self.band_keys = column("band-keys", np.uint64, bands)
        self.paragraph_hashes = column("paragraph-hashes", np.uint64)
        self.paragraph_documents = column("paragraph-documents", np.uint32)
        self.count = 0

    def add(self, documents: list[Document]) -> None:
        normalized = [normalize_for_hashing(doc.text) for doc in documents]
        shingles = [shingle_hashes(text, char_ngram=self.char_ngram, word_ngram=self.word_ngram) for text in normalized]
        signatures = minhash_signatures(shingles, num_perm=self.num_perm)
        self.exact_keys.append(np.array([exact_key(text) for text in normalized], dtype="S16"))
        self.lengths.append(np.array([len(text) for text in normalized], dtype=np.int64))  # content, not spacing
        if self.with_quality:  # only the "quality" keep policy reads it, and it costs a look at every character
            self.qualities.append(
                np.array([quality_score(doc.text, repairs=sum(doc.repairs.values())) for doc in documents])
            )
        else:
            self.qualities.append(np.zeros(len(documents)))
        self.has_shingles.append(np.array([len(s) > 0 for s in shingles], dtype=np.bool_))
        self.signatures.append(signatures)
        self.band_keys.append(band_keys(signatures, bands=self.bands))
        hashes, owners = [], []
        for ordinal, text in enumerate(normalized, start=self.count):
            for line in text.split("\n"):
                if len(line) >= self.paragraph_min_chars:
                    hashes.append(paragraph_hash(line))
                    owners.append(ordinal)
        self.paragraph_hashes.append(np.array(hashes, dtype=np.uint64))
        self.paragraph_documents.append(np.array(owners, dtype=np.uint32))
        self.count += len(documents)
