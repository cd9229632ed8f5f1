"""Enrich: ids, metadata, sizes and quality signals as typed columns; optional filters on the signals.

The columns are defined once in `toolkit.enrich.schema`. Upstream facts arrive in `doc.meta` under the
column's name (clean: url, outlet, author, ..., published, dateline, templated; repair:
original_script) and may be absent: a missing fact is null, never invented.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.config import Options, fingerprint, option
from toolkit.document import Document, content_id
from toolkit.enrich.dates import find_dateline, full_dates, parse_iso_date, published_date
from toolkit.enrich.language import detect_language
from toolkit.enrich.schema import DATASET_SCHEMA, PROMOTED_TEXT_KEYS, SIGNALS
from toolkit.enrich.signals import quality_signals
from toolkit.pipeline import Stage, StageInput, read_manifest
from toolkit.text import han_ratio, paragraphs

__all__ = ["EnrichOptions", "EnrichStage", "stage_history"]


@dataclass(frozen=True)
class EnrichOptions(Options):
    """Adding metadata and quality signals; optional filters send documents to the rejects."""

    reject_above: dict = option({}, "signal = limit: reject documents above it, e.g. { duplicate_line_ratio = 0.3 }")
    reject_below: dict = option({}, "signal = limit: reject documents below it, e.g. { han_ratio = 0.5 }")
    reject_templated: bool = option(False, "reject documents the clean stage found to be filled-in templates")

    def __post_init__(self) -> None:
        for name, limits in (("reject_above", self.reject_above), ("reject_below", self.reject_below)):
            for signal, limit in limits.items():
                if signal not in SIGNALS:
                    raise ValueError(f"{name} has no signal {signal!r}; known: {', '.join(SIGNALS)}")
                if isinstance(limit, bool) or not isinstance(limit, (int, float)):
                    raise ValueError(f"{name}.{signal} must be a number, not {limit!r}")

    def rejection(self, values: dict[str, Any]) -> str | None:
        """The reason to reject a document with these column values, None to keep it."""
        for signal in SIGNALS:  # column order, so the reason does not depend on the order in the file
            if signal in self.reject_above and values[signal] > self.reject_above[signal]:
                return f"{signal} > {self.reject_above[signal]}"
            if signal in self.reject_below and values[signal] < self.reject_below[signal]:
                return f"{signal} < {self.reject_below[signal]}"
        if self.reject_templated and values.get("templated"):
            return "templated"
        return None


def stage_history(folder: Path) -> list[dict[str, Any]]:
    """The stages that made `folder`, oldest first, following each manifest's `input` upstream."""
    history: list[dict[str, Any]] = []
    seen: set[Path] = set()
    while (manifest := read_manifest(folder)) and "stage" in manifest and folder.resolve() not in seen:
        seen.add(folder.resolve())
        history.append(
            {
                "stage": manifest["stage"],
                "config_fingerprint": manifest["config_fingerprint"],
                "options": manifest.get("options", {}),
            }
        )
        folder = Path(manifest["input"])
    return history[::-1]


def context_dates(doc: Document) -> list[date]:
    """Full dates stated anywhere the document's file shows them: text, removed lines, page heads, path."""
    places = [doc.text, doc.source, *(span["text"] for span in doc.removed), *(doc.meta.get("page_head") or [])]
    return [found for place in places for found in full_dates(str(place))]


def _as_text(value: Any) -> str | None:
    """A metadata value as one string: lists (several authors) joined, blanks as null."""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(item).strip() for item in value if str(item).strip())
    text = str(value).strip() if value is not None else ""
    return text or None


class EnrichStage(Stage):
    name = "enrich"
    options_class = EnrichOptions
    schema = DATASET_SCHEMA
    needs_prepare = True  # a dateline's year may be stated in another article of the same file
    survey_columns = ("source", "text", "removed", "meta")  # what `context_dates` looks at
    output_compression = "zstd"  # the final corpus, kept in clean/
    options: EnrichOptions

    @classmethod
    def warm_up(cls) -> None:
        # both scripts and a gloss take every lazy table: converters, character classes, pinyin syllables
        detect_language("建設发展")
        quality_signals("建設(shè)发展")

    def __init__(self, options: Options | None = None) -> None:
        super().__init__(options)
        self.pipeline = {"tool_version": __version__, "config_fingerprint": self.config_fingerprint()}
        self.file_dates: dict[str, list[date]] = {}

    def open_input(self, path: Path, output: Path) -> StageInput:
        source = super().open_input(path, output)
        stages = [
            *stage_history(path),
            {"stage": self.name, "config_fingerprint": self.config_fingerprint(), "options": self.options.as_dict()},
        ]
        self.pipeline = {
            "tool_version": __version__,
            "config_fingerprint": fingerprint([stage["config_fingerprint"] for stage in stages]),
        }
        # The pipeline column changes with any stage's options, so those count as input too.
        source.fingerprint = fingerprint(source.fingerprint, self.pipeline["config_fingerprint"])
        source.manifest_extra = {**source.manifest_extra, "pipeline": {**self.pipeline, "stages": stages}}
        return source

    def survey(self, documents: Iterable[Document]) -> dict[str, list[date]]:
        dates: dict[str, list[date]] = {}
        for doc in documents:
            dates.setdefault(doc.source, []).extend(context_dates(doc))
        return dates

    def combine(self, surveys: Iterable[dict[str, list[date]]]) -> None:
        # Gathered apart and set at the end: the surveys still to come are computed by tasks that carry this
        # stage, and a growing `file_dates` made each task's copy larger (quadratic at 1 GB).
        file_dates: dict[str, list[date]] = {}
        for dates in surveys:
            for source, found in dates.items():
                file_dates.setdefault(source, []).extend(found)
        self.file_dates = file_dates

    def published(self, doc: Document) -> date | None:
        explicit = doc.meta.get("published")
        if isinstance(explicit, date):
            return explicit
        if isinstance(explicit, str) and (parsed := parse_iso_date(explicit)):
            return parsed
        dateline = doc.meta.get("dateline") or find_dateline(doc.text)
        if dateline:
            doc.meta["dateline"] = dateline
        context = self.file_dates.get(doc.source) or context_dates(doc)
        return published_date(dateline, context)

    def process(self, doc: Document) -> Iterable[Document]:
        doc.id = content_id(doc.text)
        meta = doc.meta
        for key in PROMOTED_TEXT_KEYS:
            meta[key] = _as_text(meta.get(key))
        meta["templated"] = None if meta.get("templated") is None else bool(meta["templated"])
        meta["published"] = self.published(doc)
        meta["language"] = detect_language(doc.text)
        meta["original_script"] = _as_text(meta.get("original_script")) or meta["language"]
        meta["characters"] = len(doc.text)
        meta["bytes"] = len(doc.text.encode("utf-8"))
        meta["paragraphs"] = len(paragraphs(doc.text))
        meta["han_ratio"] = han_ratio(doc.text)
        meta.update(quality_signals(doc.text))
        meta["pipeline"] = self.pipeline
        self.stats[f"language {meta['language']}"] += 1
        self.stats["published known" if meta["published"] else "published unknown"] += 1
        if reason := self.options.rejection(meta):
            doc.reject(reason)
        yield doc
