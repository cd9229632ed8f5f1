"""MinHash signatures (rensa's Rust kernel, fed shingle hashes computed with numpy) and LSH banding.

Signatures of a batch are one uint32 matrix, a row per document. Banding hashes each band of `rows`
values to one uint64 key; two documents become candidates when they share a key in some band, and a
candidate pair is kept when the share of equal signature values (the estimated Jaccard similarity of
the shingle sets) reaches the threshold. Banding is done by sorting the keys of a band, not by a
dict of buckets, so the index is a few flat arrays that can live on disk.

>>> same, other = np.arange(1, 200, dtype=np.uint64), np.arange(300, 400, dtype=np.uint64)
>>> hashes = [same, same, other]
>>> signatures = minhash_signatures(hashes, num_perm=128)
>>> signatures.shape, signatures.dtype
((3, 128), dtype('uint32'))
>>> estimated_similarity(signatures, np.array([0, 0]), np.array([1, 2])).tolist()
[1.0, 0.0]
>>> keys = band_keys(signatures, bands=32)
>>> bool((keys[0] == keys[1]).all()), bool((keys[0] == keys[2]).any())
(True, False)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from toolkit.dedup.shingles import mix64

__all__ = ["algorithm", "band_keys", "estimated_similarity", "minhash_signatures"]

SEED = 20240501  # fixed: a different seed gives different signatures and so different borderline matches
BAND_MULTIPLIER = np.uint64(0xD6E8FEB86659FD93)


def _rensa() -> Any:
    try:
        from rensa import RMinHash
    except ImportError as error:
        raise ImportError("the dedup stage computes MinHash with rensa: pip install 'rensa>=0.5,<0.6'") from error
    return RMinHash


def algorithm() -> str:
    """What the signatures depend on besides the options: part of the stage's config fingerprint."""
    return f"rensa-rminhash-v{_rensa().ALGORITHM_VERSION}-seed{SEED}"


def minhash_signatures(shingle_sets: list[np.ndarray], *, num_perm: int) -> np.ndarray:
    """One row of `num_perm` uint32 minima per set of uint64 shingle hashes, in one call to rensa."""
    offsets = np.zeros(len(shingle_sets) + 1, dtype=np.uint64)
    np.cumsum([len(s) for s in shingle_sets], out=offsets[1:])
    flat = np.concatenate(shingle_sets) if shingle_sets else np.empty(0, dtype=np.uint64)
    matrix = _rensa().digest_matrix_from_flat_token_hashes(flat, offsets, num_perm, SEED)
    return np.array(matrix.to_rows(), dtype=np.uint32).reshape(len(shingle_sets), num_perm)


def band_keys(signatures: np.ndarray, *, bands: int) -> np.ndarray:
    """A uint64 key per band of each signature row: (documents, bands)."""
    rows = signatures.shape[1] // bands
    values = signatures.reshape(len(signatures), bands, rows).astype(np.uint64)
    keys = np.zeros((len(signatures), bands), dtype=np.uint64)
    for row in range(rows):
        keys *= BAND_MULTIPLIER
        keys += values[:, :, row]
    keys += np.arange(bands, dtype=np.uint64)  # the same values in two bands are different buckets
    return mix64(keys)


def estimated_similarity(signatures: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Share of equal values between the signature rows of each pair: the estimated Jaccard similarity."""
    return (signatures[first] == signatures[second]).mean(axis=1)
