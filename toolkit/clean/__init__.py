"""Clean stage (pass-through until its issue is done)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.config import Options, option
from toolkit.document import Document
from toolkit.pipeline import Stage

__all__ = ["CleanOptions", "CleanStage"]


@dataclass(frozen=True)
class CleanOptions(Options):
    """Removing page-break artefacts and boilerplate; one document per article."""

    keep_removed: bool = option(False, "also write every removed line to removed/ beside the output")


class CleanStage(Stage):
    name = "clean"
    options_class = CleanOptions

    def process(self, doc: Document) -> Iterable[Document]:
        yield doc
