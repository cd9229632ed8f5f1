"""Which document of a cluster is kept: the keep policies and the quality score one of them uses.

>>> cases = [("黄河流域生态保护", 0), ("黄河流域 ####", 0), ("黄河流域生态保护", 1)]
>>> [round(quality_score(text, repairs=n), 3) for text, n in cases]
[1.0, 0.5, 0.074]
"""

from __future__ import annotations

import numpy as np

__all__ = ["KEEP_POLICIES", "preferences", "quality_score"]

KEEP_POLICIES = ("longest", "earliest", "quality")


def quality_score(text: str, *, repairs: int) -> float:
    """Share of letters among the visible characters, divided by 1 + repairs per 100 characters (a copy
    that needed many repairs was the more damaged one)."""
    visible = len(text) - sum(map(str.isspace, text))
    if not visible:
        return 0.0
    letters = sum(map(str.isalpha, text))
    return letters / visible / (1 + 100 * repairs / visible)


def preferences(policy: str, *, lengths: np.ndarray, qualities: np.ndarray) -> list[np.ndarray]:
    """Sort keys for `clusters.keepers`, most significant first (smaller is preferred); ties go to the
    earliest document."""
    if policy == "longest":
        return [-lengths]
    if policy == "quality":
        return [-qualities, -lengths]
    if policy == "earliest":
        return []
    raise ValueError(f"keep must be one of {', '.join(KEEP_POLICIES)}, not {policy!r}")
