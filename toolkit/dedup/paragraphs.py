"""Repeated paragraphs: a paragraph found in many kept documents (a syndication footer, boilerplate that
survived clean) stays only in the first document that has it.

>>> hashes = np.array([7, 7, 7, 9, 9], dtype=np.uint64)
>>> documents = np.array([4, 1, 2, 1, 3], dtype=np.uint32)
>>> repeated, first = repeated_paragraphs(hashes, documents, min_documents=3)
>>> repeated.tolist(), first.tolist()
([7], [1])
>>> remove_lines("页脚\\n正文\\n页脚", [0, 2])
('正文', ['页脚', '页脚'])
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import xxhash

__all__ = ["paragraph_hash", "remove_lines", "repeated_paragraphs"]


def paragraph_hash(normalized_line: str) -> int:
    return xxhash.xxh3_64_intdigest(normalized_line.encode("utf-8"))


def repeated_paragraphs(
    hashes: np.ndarray, documents: np.ndarray, *, min_documents: int
) -> tuple[np.ndarray, np.ndarray]:
    """Paragraph hashes found in at least `min_documents` documents (sorted), and the first such document.

    `hashes[i]` is a paragraph of document `documents[i]`; a paragraph repeated inside one document
    counts once.
    """
    entries = np.unique(np.stack([hashes, documents.astype(np.uint64)], axis=1), axis=0)  # by hash, document
    starts = np.flatnonzero(np.concatenate(([True], entries[1:, 0] != entries[:-1, 0])))
    counts = np.diff(np.append(starts, len(entries)))
    repeated = starts[counts >= min_documents]
    return entries[repeated, 0], entries[repeated, 1].astype(np.uint32)


def remove_lines(text: str, numbers: Iterable[int]) -> tuple[str, list[str]]:
    """The text without the lines numbered `numbers` (from 0), and those lines."""
    lines = text.split("\n")
    removed = set(numbers)
    return "\n".join(line for n, line in enumerate(lines) if n not in removed), [lines[n] for n in sorted(removed)]
