"""Clusters of duplicates from pairs of documents, and the one document each cluster keeps.

Documents are numbered by input order (their ordinal). Everything here is vectorised over flat
arrays, so a million documents cost seconds and a few arrays of memory.

>>> first, other = pairs_sharing_a_key(np.array([5, 3, 5, 5]), np.arange(4))
>>> first.tolist(), other.tolist()
([0, 0], [2, 3])
>>> connected_components(5, np.array([3, 1]), np.array([4, 3])).tolist()
[0, 1, 2, 1, 1]
>>> keepers(np.array([0, 1, 2, 1, 1]), preferences=[-np.array([9, 5, 1, 8, 8])]).tolist()
[0, 3, 2, 3, 3]
>>> cluster_keepers(5, np.array([3, 1]), np.array([4, 3]), preferences=[-np.array([9, 5, 1, 8, 8])]).tolist()
[0, 3, 2, 3, 3]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["cluster_keepers", "connected_components", "keepers", "pairs_sharing_a_key"]


def pairs_sharing_a_key(keys: np.ndarray, documents: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first, other) for every other document sharing the first's key, the first being the earliest.

    `documents` are the ordinals of the rows of `keys`, ascending.
    """
    if len(keys) == 0:
        return documents[:0], documents[:0]
    order = np.argsort(keys, kind="stable")
    sorted_keys, sorted_documents = keys[order], documents[order]
    starts_group = np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1]))
    first_of_group = sorted_documents[starts_group][np.cumsum(starts_group) - 1]
    others = ~starts_group
    return first_of_group[others], sorted_documents[others]


def connected_components(count: int, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Per document, the smallest ordinal of the documents linked to it through the pairs.

    Each round hooks the larger root of every still-split pair under the smaller, then jumps pointers
    to the roots; labels only decrease, so there are no cycles and few rounds.
    """
    labels = np.arange(count, dtype=np.int64)
    while True:
        a, b = labels[first], labels[second]
        split = a != b
        if not split.any():
            return labels
        np.minimum.at(labels, np.maximum(a[split], b[split]), np.minimum(a[split], b[split]))
        while True:
            roots = labels[labels]
            if np.array_equal(roots, labels):
                break
            labels = roots


def keepers(labels: np.ndarray, preferences: Sequence[np.ndarray]) -> np.ndarray:
    """Per document, the ordinal of the document its cluster keeps: the smallest by `preferences`
    (most significant first), then the earliest."""
    order = np.lexsort((*reversed(preferences), labels))  # lexsort sorts by its last key first; it is stable
    sorted_labels = labels[order]
    first_of_cluster = np.concatenate(([True], sorted_labels[1:] != sorted_labels[:-1]))
    keeper_of_label = np.empty(len(labels), dtype=np.int64)
    keeper_of_label[sorted_labels[first_of_cluster]] = order[first_of_cluster]
    return keeper_of_label[labels]


def cluster_keepers(count: int, first: np.ndarray, second: np.ndarray, preferences: Sequence[np.ndarray]) -> np.ndarray:
    """Per document, the ordinal of the document kept in its place, the clusters being the documents linked
    through the pairs: the whole cluster step in one call, for `Engine.call` to run where it computes."""
    return keepers(connected_components(count, first, second), preferences)
