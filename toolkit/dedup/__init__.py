"""Dedup stage (pass-through until its issue is done)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.config import Options
from toolkit.document import Document
from toolkit.pipeline import Stage

__all__ = ["DedupOptions", "DedupStage"]


@dataclass(frozen=True)
class DedupOptions(Options):
    """Removing exact and near-duplicate documents and repeated paragraphs."""


class DedupStage(Stage):
    name = "dedup"
    options_class = DedupOptions

    def process(self, doc: Document) -> Iterable[Document]:
        yield doc
