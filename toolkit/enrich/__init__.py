"""Enrich stage (pass-through until its issue is done)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.config import Options
from toolkit.document import Document, content_id
from toolkit.pipeline import Stage

__all__ = ["EnrichOptions", "EnrichStage"]


@dataclass(frozen=True)
class EnrichOptions(Options):
    """Adding metadata and quality signals."""


class EnrichStage(Stage):
    name = "enrich"
    options_class = EnrichOptions

    def process(self, doc: Document) -> Iterable[Document]:
        doc.id = content_id(doc.text)
        yield doc
