"""Exact duplicates: documents whose normalised text is the same, compared by a 128-bit hash.

>>> from toolkit.dedup.normalize import normalize_for_hashing
>>> exact_key(normalize_for_hashing("國務院發佈條例。\\n")) == exact_key(normalize_for_hashing("国务院 发布条例."))
True
"""

from __future__ import annotations

import xxhash

__all__ = ["exact_key"]


def exact_key(normalized: str) -> bytes:
    """16 bytes naming the normalised text; blank lines and line ends do not count."""
    lines = (line for line in normalized.split("\n") if line)
    return xxhash.xxh3_128_digest("\n".join(lines).encode("utf-8"))
