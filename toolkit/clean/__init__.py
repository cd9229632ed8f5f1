"""Clean stage: remove what is not the author's text, put split text back together, one document per article.

The rules are functions on strings in this package's modules: `pagebreaks` (page-break and print
artefacts), `boilerplate` (web chrome, recurring lines), `metadata` (datelines, bylines, fields),
`segmentation` (articles). `CleanStage` applies them to each document in this order:

1. lines: whitespace runs normalised, blank lines dropped;
2. whole lines removed: page heads, photo captions, field lines (after taking their facts), web
   chrome, lines recurring across the corpus, short lines trailing the chrome that ends a page;
3. inside kept lines: continuation markers removed, LaTeX sub/superscripts flattened;
4. paragraphs split by a page break (or by a removed caption) re-joined;
5. articles cut apart; each gets its headline first and its own facts in `meta`.

Every removed span goes to `doc.removed` as {"reason", "text"} and is counted in `stats` as
`removed.<reason>`; with `keep_removed` they are also written to `removed/` beside the output.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from toolkit.clean.boilerplate import RecurringLines, chrome_reason, trailing_chrome
from toolkit.clean.metadata import (
    byline_credit,
    closing_byline,
    dateline,
    field_facts,
    is_field_line,
    is_templated,
)
from toolkit.clean.pagebreaks import (
    continuation_markers,
    flatten_latex_scripts,
    is_page_head,
    is_running_text,
    normalise_whitespace,
    photo_caption_credit,
    rejoin_split_paragraphs,
)
from toolkit.clean.segmentation import Segment, opens_article, split_articles
from toolkit.config import Options, option
from toolkit.document import Document
from toolkit.pipeline import Stage, parquet_batches

__all__ = ["CleanOptions", "CleanStage"]

REMOVED_SCHEMA = pa.schema(
    [("source", pa.string()), ("part", pa.int32()), ("reason", pa.string()), ("text", pa.string())]
)
_NAME_FACTS = ("author", "photographer")  # every name found, "; "-joined; other facts: the first found
_LIST_FACTS = ("continuation_markers", "page_head")
_DATELINE_WITHIN = 3  # datelines and byline lines sit in an article's first paragraphs


@dataclass(frozen=True)
class CleanOptions(Options):
    """Removing page-break artefacts and boilerplate; one document per article."""

    keep_removed: bool = option(False, "also write every removed line to removed/ beside the output")
    recurring_line_min_documents: int = option(
        5, "a short line found in at least this many documents is boilerplate; 0 turns the statistics off"
    )
    recurring_line_max_chars: int = option(40, "longest line the recurrence statistics consider; longer is prose")

    def __post_init__(self) -> None:
        if self.recurring_line_min_documents == 1 or self.recurring_line_min_documents < 0:
            raise ValueError(
                "recurring_line_min_documents must be 0 (off) or at least 2: at 1 every short line would go"
            )


@dataclass
class _Removal:
    line: int  # index of the line it came from, to give it to the right article
    reason: str
    text: str
    facts: dict[str, Any]


class CleanStage(Stage):
    name = "clean"
    options_class = CleanOptions
    needs_prepare = True
    survey_columns = ("text",)  # recurring lines are counted in texts alone
    splits_documents = True  # the runner numbers the parts of each source
    options: CleanOptions

    def __init__(self, options: Options | None = None) -> None:
        super().__init__(options)
        self.recurring = RecurringLines(frozenset(), self.options.recurring_line_max_chars)

    def survey(self, documents: Iterable[Document]) -> np.ndarray:
        if not self.options.recurring_line_min_documents:
            return np.empty(0, dtype=np.uint64)
        return RecurringLines.line_keys(
            (doc.text for doc in documents), max_chars=self.options.recurring_line_max_chars
        )

    def combine(self, surveys: Iterable[np.ndarray]) -> None:
        if self.options.recurring_line_min_documents:
            self.recurring = RecurringLines.from_line_keys(
                surveys,
                max_chars=self.options.recurring_line_max_chars,
                min_documents=self.options.recurring_line_min_documents,
            )

    def process(self, doc: Document) -> Iterable[Document]:
        lines, removals = self._removed_lines(normalise_whitespace(doc.text))
        kept = [(index, line) for index, line in enumerate(lines) if line]
        paragraphs = rejoin_split_paragraphs([line for _, line in kept], opens_article)
        self.stats["rejoined.page-break"] += len(kept) - len(paragraphs)
        texts = [text for _, text in paragraphs]
        first_lines = [kept[position][0] for position, _ in paragraphs]
        segments = split_articles(texts)
        for removal in removals:
            self.stats[f"removed.{removal.reason}"] += 1
        if not segments:
            yield self._part(doc, text="", title=None, removals=removals, meta={}).reject("only-boilerplate")
            return
        yield from self._documents(doc, segments, texts, first_lines, removals)

    def _removed_lines(self, lines: list[str]) -> tuple[list[str], list[_Removal]]:
        """The lines with their inline artefacts gone, and every removal (whole lines get "")."""
        removals: list[_Removal] = []
        for index, line in enumerate(lines):
            line, markers = continuation_markers(line)  # first: a jump line must not make its line a page head
            if markers:
                removals += [_Removal(index, "continuation-marker", m, {"continuation_markers": [m]}) for m in markers]
            reason, facts = self._removal_reason(line) if line else (None, {})
            if reason:
                removals.append(_Removal(index, reason, line, facts))
                line = ""
            flattened = flatten_latex_scripts(line)
            if flattened != line:
                self.stats["rewritten.latex-script"] += 1
            lines[index] = flattened
        gone = [not line for line in lines]
        for index in trailing_chrome(lines, gone):
            removals.append(_Removal(index, "trailing-chrome", lines[index], {}))
            lines[index] = ""
        return lines, sorted(removals, key=lambda r: r.line)

    def _removal_reason(self, line: str) -> tuple[str | None, dict[str, Any]]:
        if is_page_head(line):
            return "page-head", {"page_head": [line]}
        photographers = photo_caption_credit(line)
        if photographers is not None:
            return "photo-caption", {"photographer": photographers}
        if is_field_line(line):
            return "metadata-line", field_facts(line)
        if reason := chrome_reason(line):
            return reason, field_facts(line)
        if self.recurring.is_recurring(line):
            return "recurring-line", {}
        return None, {}

    def _documents(
        self,
        doc: Document,
        segments: list[Segment],
        texts: list[str],
        first_lines: list[int],
        removals: list[_Removal],
    ) -> Iterator[Document]:
        starts = [min(first_lines[i] for i in segment.paragraphs) for segment in segments]
        for number, segment in enumerate(segments):
            later = starts[number + 1] if number + 1 < len(segments) else None
            own = [
                r for r in removals if (number == 0 or r.line >= starts[number]) and (later is None or r.line < later)
            ]
            headline = [texts[i] for i in segment.headline]
            body = [texts[i] for i in segment.body]
            title = max(headline, key=len) if headline else None
            part = self._part(doc, "\n".join(headline + body), title, own, _article_facts(body, own))
            # a stretch without prose beside real articles (a column header, a page's notes) is not one
            is_article = len(segments) == 1 or any(is_running_text(p) for p in body)
            self.stats["articles" if is_article else "not-an-article"] += 1
            yield part if is_article else part.reject("not-an-article")

    def _part(
        self, doc: Document, text: str, title: str | None, removals: list[_Removal], meta: dict[str, Any]
    ) -> Document:
        return dataclasses.replace(
            doc,
            text=text,
            title=title,
            meta={**doc.meta, **meta},
            repairs=dict(doc.repairs),
            removed=[*doc.removed, *({"reason": r.reason, "text": r.text} for r in removals)],
        )

    def finish(self, output: Path) -> None:
        """With keep_removed: every removed span of this run's documents and rejects, in removed/."""
        if not self.options.keep_removed:
            return
        shards = sorted((output / "documents").glob("*.parquet")) + sorted(
            (output / "rejects").glob(f"{self.name}-*.parquet")
        )
        folder = output / "removed"
        folder.mkdir(parents=True, exist_ok=True)
        with pq.ParquetWriter(folder / "removed-00000.parquet", REMOVED_SCHEMA, compression="zstd") as writer:
            for shard in shards:
                for batch in parquet_batches(shard, columns=["source", "part", "removed"]):
                    rows = [
                        {"source": row["source"], "part": row["part"], **span}
                        for row in batch.to_pylist()
                        for span in row["removed"] or []
                    ]
                    if rows:
                        writer.write_table(pa.Table.from_pylist(rows, schema=REMOVED_SCHEMA))


def _article_facts(body: list[str], removals: list[_Removal]) -> dict[str, Any]:
    """Facts of one article. Fields taken from removed lines come first (they are explicit), then its
    dateline; the author, unless a field names one, is everyone credited by dateline and bylines."""
    found: dict[str, list[str]] = defaultdict(list)
    for removal in removals:
        for key, value in removal.facts.items():
            found[key] += value if isinstance(value, list) else [value]
    opening = next(filter(None, map(dateline, body[:_DATELINE_WITHIN])), {})
    if not found["author"]:
        found["author"] = [*opening.pop("author", "").split("; "), *_credited(body)]
    for key, value in opening.items():
        found[key].append(value)
    meta: dict[str, Any] = {"templated": is_templated("\n".join(body))}
    for key, values in found.items():
        values = [v for v in dict.fromkeys(values) if v]
        if values:
            meta[key] = values if key in _LIST_FACTS else "; ".join(values) if key in _NAME_FACTS else values[0]
    return meta


def _credited(body: list[str]) -> list[str]:
    """Names on the byline lines under the headline and in a byline closing the article."""
    names = [name for paragraph in body[:_DATELINE_WITHIN] for name in byline_credit(paragraph) or []]
    return names + (closing_byline(body[-1]) or []) if body else names
