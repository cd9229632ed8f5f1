"""The bucket step of near-duplicate search: the candidate pairs of each LSH band, then the candidates whose
signatures agree enough.

Each function takes the large arrays (band keys, signatures) as its first argument and a small item (a band,
a slice of the candidates) as its second: the shape `Engine.map_with_shared` maps, so an engine that computes
elsewhere (Ray) ships the arrays once, and one that computes here copies nothing.

A pair is coded as one uint64, first * count + other (count: the documents of the corpus), so that the pairs
of all bands merge into one sorted, duplicate-free array with np.unique.

>>> keys = np.array([[7, 1], [7, 2], [8, 2]], dtype=np.uint64)
>>> [band_candidates((keys, np.arange(3)), band).tolist() for band in (0, 1)]
[[1], [5]]
>>> first, other = decode_pairs(np.array([1, 5], dtype=np.uint64), count=3)
>>> first.tolist(), other.tolist()
([0, 1], [1, 2])
>>> signatures = np.array([[1, 2], [1, 2], [1, 3]], dtype=np.uint32)
>>> signatures_agree((signatures, first, other), slice(0, 2), threshold=0.6).tolist()
[True, False]
"""

from __future__ import annotations

import numpy as np

from toolkit.dedup.clusters import pairs_sharing_a_key
from toolkit.dedup.minhash import estimated_similarity

__all__ = ["band_candidates", "decode_pairs", "signatures_agree"]


def band_candidates(band_keys_of: tuple[np.ndarray, np.ndarray], band: int) -> np.ndarray:
    """Sorted codes of the pairs whose documents share a key in `band`, each pair's first being the earliest
    document of its bucket.

    `band_keys_of` is (the band keys of the whole corpus, a row per document; the ordinals of the documents
    that take part, ascending).
    """
    keys, documents = band_keys_of
    first, other = pairs_sharing_a_key(keys[documents, band], documents)
    return np.unique(first.astype(np.uint64) * np.uint64(len(keys)) + other.astype(np.uint64))


def decode_pairs(codes: np.ndarray, *, count: int) -> tuple[np.ndarray, np.ndarray]:
    """(first, other) ordinals of coded pairs, in a corpus of `count` documents."""
    return (codes // np.uint64(count)).astype(np.int64), (codes % np.uint64(count)).astype(np.int64)


def signatures_agree(
    candidates: tuple[np.ndarray, np.ndarray, np.ndarray], part: slice, *, threshold: float
) -> np.ndarray:
    """Per candidate pair of `part`: whether its estimated similarity reaches `threshold`.

    `candidates` is (the signatures of the whole corpus, a row per document; the pairs' first ordinals;
    their other ordinals).
    """
    signatures, first, other = candidates
    return estimated_similarity(signatures, first[part], other[part]) >= threshold
