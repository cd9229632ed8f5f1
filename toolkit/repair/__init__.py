"""Repair: undo broken encodings, scripts and punctuation without harming clean text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.config import Options
from toolkit.document import Document
from toolkit.pipeline import Stage

__all__ = ["RepairOptions", "RepairStage", "fix_text"]


@dataclass(frozen=True)
class RepairOptions(Options):
    """Repairing damaged text."""


def fix_text(text: str, options: RepairOptions | None = None) -> str:
    return text


class RepairStage(Stage):
    name = "repair"
    options_class = RepairOptions

    def process(self, doc: Document) -> Iterable[Document]:
        yield doc
