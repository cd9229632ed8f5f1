"""What a rule returns: the repaired text, which is a `str`, carrying how many spans the rule changed."""

from __future__ import annotations

__all__ = ["Repaired"]


class Repaired(str):
    """A rule's output: use it as the text; `spans` counts the places changed, `lost` the characters
    that could not be recovered (marked or removed).

    >>> fixed = Repaired("建设", spans=1)
    >>> fixed, fixed.spans, fixed.lost
    ('建设', 1, 0)
    """

    spans: int
    lost: int

    def __new__(cls, text: str, spans: int = 0, lost: int = 0) -> Repaired:
        self = super().__new__(cls, text)
        self.spans = spans
        self.lost = lost
        return self
