"""The report's HTML: the index page (totals, charts, the searchable list of documents) and the detail
pages (documents with their metadata, duplicates and diffs).

Corpus text goes through `html.escape` here, or through `textContent` in report.js (the list is data in
index chunks): it never reaches markup as it is.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any

from toolkit import __version__
from toolkit.document import Document
from toolkit.report.corpus import StageRow, Tallies
from toolkit.report.diff import reason_hue, render_diff
from toolkit.text import paragraphs

__all__ = [
    "CHUNK_FILE",
    "DOCS_FOLDER",
    "NUMBER_DIGITS",
    "PAGE_FILE",
    "PAGE_NAME",
    "detail_page_end",
    "detail_page_start",
    "document_section",
    "index_entry",
    "index_page",
    "numbered",
]

DOCS_FOLDER = "docs"
PAGE_NAME = "page-{}.html"  # detail pages, numbered from 1
PAGE_FILE = f"{DOCS_FOLDER}/{PAGE_NAME}"
CHUNK_FILE = "index/chunk-{}.js"  # index chunks, numbered from 1
NUMBER_DIGITS = 5
TITLE_CHARACTERS = 80  # a document without a title is listed by the start of its first paragraph
LISTED_META = ("outlet", "author", "published")  # shown (and searchable) in the document list
LINKED_DUPLICATES = 50  # a kept document links this many of its dropped duplicates at most


def numbered(template: str, number: int) -> str:
    """A numbered file's name (report.js pads numbers the same way).

    >>> numbered(PAGE_FILE, 3)
    'docs/page-00003.html'
    """
    return template.format(f"{number:0{NUMBER_DIGITS}d}")


def document_title(doc: Document) -> str:
    if doc.title:
        return doc.title
    first = next(iter(paragraphs(doc.text)), "")
    return first[:TITLE_CHARACTERS] + ("…" if len(first) > TITLE_CHARACTERS else "") or "(no text)"


def document_status(doc: Document) -> str:
    return f"{doc.reject_reason} ({doc.stage})" if doc.reject_reason else "kept"


def _format_value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def index_entry(number: int, doc: Document, raw_text: str | None) -> list[Any]:
    """One document in the list: number, title, source, part, status, raw and clean length, id, metadata."""
    details = " · ".join(_format_value(doc.meta[key]) for key in LISTED_META if doc.meta.get(key))
    raw_characters = None if raw_text is None else len(raw_text)
    return [number, document_title(doc), doc.source, doc.part, document_status(doc), raw_characters, len(doc.text),
            doc.id, details]  # fmt: skip


# ---------------------------------------------------------------- detail pages


def _page_start(title: str, stylesheet: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="stylesheet" href="{stylesheet}">\n</head>\n<body>\n'
    )


def _page_navigation(page: int, pages: int) -> str:
    links = ['<a href="../index.html#documents">all documents</a>', f"page {page} of {pages}"]
    if page > 1:
        links.append(f'<a href="{numbered(PAGE_NAME, page - 1)}">← previous</a>')
    if page < pages:
        links.append(f'<a href="{numbered(PAGE_NAME, page + 1)}">next →</a>')
    return f'<p class="nav">{" · ".join(links)}</p>\n'


def detail_page_start(page: int, pages: int, first: int, last: int) -> str:
    title = f"Documents {first}–{last}"
    return _page_start(title, "../report.css") + f"<h1>{title}</h1>\n" + _page_navigation(page, pages)


def detail_page_end(page: int, pages: int) -> str:
    return _page_navigation(page, pages) + "</body>\n</html>\n"


def _facts(doc: Document, raw_text: str | None) -> str:
    rows = [
        ("source", f"{doc.source}, part {doc.part}"),
        ("id", doc.id or "–"),
        ("encoding", doc.encoding or "–"),
        ("length", f"{'–' if raw_text is None else len(raw_text)} raw → {len(doc.text)} characters"),
    ]
    if doc.repairs:
        rows.append(("repairs", ", ".join(f"{fixer} ×{count}" for fixer, count in sorted(doc.repairs.items()))))
    rows += [(key, _format_value(value)) for key, value in sorted(doc.meta.items()) if value not in (None, "")]
    items = "".join(f"<div><dt>{escape(key)}</dt><dd>{escape(value)}</dd></div>" for key, value in rows)
    return f'<dl class="facts">{items}</dl>\n'


def _duplicate_links(kept_copy: int | None, duplicates: Sequence[int], href: Callable[[int], str]) -> str:
    def link(number: int) -> str:
        return f'<a href="{href(number)}">#{number}</a>'

    parts = []
    if kept_copy is not None:
        parts.append(f'<p class="links">Duplicate of {link(kept_copy)}, the copy that was kept.</p>')
    if duplicates:
        shown = ", ".join(link(n) for n in duplicates[:LINKED_DUPLICATES])
        more = f" and {len(duplicates) - LINKED_DUPLICATES} more" if len(duplicates) > LINKED_DUPLICATES else ""
        parts.append(f'<p class="links">Dropped duplicates of this document: {shown}{more}.</p>')
    return "".join(f"{p}\n" for p in parts)


def _legend(removed: Sequence[Mapping[str, str]]) -> str:
    counts: dict[str, int] = {}
    for span in removed:
        counts[span["reason"]] = counts.get(span["reason"], 0) + 1
    chips = "".join(
        f'<span class="chip" style="--hue:{reason_hue(reason)}">{escape(reason)} ×{n}</span> '
        for reason, n in sorted(counts.items())
    )
    removed_text = f"Removed: {chips}· " if chips else ""
    return f'<p class="note">{removed_text}<ins>only in the clean text</ins> · <del>only in the raw text</del></p>\n'


def document_section(
    number: int,
    doc: Document,
    raw_text: str | None,
    *,
    kept_copy: int | None,
    duplicates: Sequence[int],
    href: Callable[[int], str],
) -> str:
    """One document on a detail page: title, status, facts, links to its duplicates, and raw → clean."""
    status_class = "dropped" if doc.reject_reason else "kept"
    status = f"dropped by {doc.stage}: {doc.reject_reason}" if doc.reject_reason else "kept"
    language = doc.meta.get("language")  # the enrich stage's BCP-47 tag picks the right CJK glyphs
    lang = f' lang="{escape(str(language))}"' if language else ""
    if raw_text is None:
        body = '<p class="note">No ingest document has this source: the text as the pipeline last had it.</p>\n'
        body += f'<div class="diff"{lang}>{escape(doc.text)}</div>\n'
    else:
        body = _legend(doc.removed) + f'<div class="diff"{lang}>{render_diff(raw_text, doc.text, doc.removed)}</div>\n'
    return (
        f'<section class="document" id="doc-{number}">\n'
        f'<h2><a class="number" href="#doc-{number}">#{number}</a> {escape(document_title(doc))}</h2>\n'
        f'<p class="{status_class}">{escape(status)}</p>\n'
        + _duplicate_links(kept_copy, duplicates, href)
        + _facts(doc, raw_text)
        + body
        + "</section>\n"
    )


# ---------------------------------------------------------------- index page


def _stage_table(rows: Sequence[StageRow]) -> str:
    head = (
        "<tr><th>stage</th><th class=number>in</th><th class=number>kept</th><th>dropped</th>"
        "<th class=number>bytes out</th><th class=number>seconds</th><th>statistics</th></tr>"
    )
    body = []
    for row in rows:
        if not row.ran:
            body.append(f'<tr><td>{escape(row.name)}</td><td colspan="6" class="note">not run</td></tr>')
            continue
        dropped = ", ".join(f"{escape(reason)} {n}" for reason, n in sorted(row.rejected.items())) or "–"
        stats = "".join(f"<tr><td>{escape(k)}</td><td class=number>{escape(_format_value(v))}</td></tr>"
                        for k, v in sorted(row.stats.items()))  # fmt: skip
        stats_cell = f'<details class="stats"><summary>{len(row.stats)}</summary><table>{stats}</table></details>'
        body.append(
            f"<tr><td>{escape(row.name)}</td><td class=number>{row.documents_in}</td>"
            f"<td class=number>{row.documents_out}</td><td>{dropped}</td><td class=number>{row.bytes_out}</td>"
            f"<td class=number>{row.seconds:.2f}</td><td>{stats_cell if row.stats else '–'}</td></tr>"
        )
    return f"<table>{head}{''.join(body)}</table>\n"


def _count_table(columns: Sequence[str], counts: Sequence[Mapping[str, int]], empty: str) -> str:
    """A table of names (the keys of the first mapping) and one number column per mapping."""
    if not counts[0]:
        return f'<p class="note">{escape(empty)}</p>\n'
    head = f"<th>{escape(columns[0])}</th>" + "".join(f"<th class=number>{escape(c)}</th>" for c in columns[1:])
    body = "".join(
        f"<tr><td>{escape(name)}</td>" + "".join(f"<td class=number>{column[name]}</td>" for column in counts) + "</tr>"
        for name in sorted(counts[0])
    )
    return f"<table><tr>{head}</tr>{body}</table>\n"


def index_page(
    *,
    project: str,
    stages: Sequence[StageRow],
    tallies: Tallies,
    charts: Sequence[str],
    chart_notes: Sequence[str],
    kept: int,
    dropped: int,
    listing_config: Mapping[str, Any],
) -> str:
    """The report's front page; the document list is filled in by report.js from the index chunks."""
    config = json.dumps({**listing_config, "pageFile": PAGE_FILE, "chunkFile": CHUNK_FILE, "digits": NUMBER_DIGITS})
    figures = "".join(f"<figure>{svg}</figure>\n" for svg in charts)
    notes = "".join(f'<p class="note">{escape(note)}</p>\n' for note in chart_notes)
    first_page = numbered(PAGE_FILE, 1)
    return (
        _page_start(f"{project}: corpus-toolkit report", "report.css")
        + f"<h1>{escape(project)}</h1>\n"
        + f'<p class="lead">What the pipeline did: {kept} documents kept, {dropped} dropped. '
        + f"corpus-toolkit {escape(__version__)}.</p>\n"
        + "<h2>Stages</h2>\n"
        + _stage_table(stages)
        + "<h2>Repairs</h2>\n"
        + _count_table(
            ("fixer", "spans", "documents"),
            (tallies.repair_spans, tallies.repaired_documents),
            "No document records a repair.",
        )
        + "<h2>Removed spans</h2>\n"
        + _count_table(
            ("reason", "spans", "characters"),
            (tallies.removed_spans, tallies.removed_characters),
            "No document records a removed span.",
        )
        + f'<h2>Charts</h2>\n<div class="charts">\n{figures}</div>\n{notes}'
        + '<h2 id="documents">Documents</h2>\n'
        + '<p><input type="search" id="search" aria-label="search the documents" '
        + 'placeholder="search titles, sources, ids, reasons, metadata"> <span id="listing-status"></span></p>\n'
        + '<table class="listing"><thead><tr><th class=number>#</th><th>title</th><th>source</th><th>status</th>'
        + "<th class=number>characters raw → clean</th><th>metadata</th></tr></thead>"
        + '<tbody id="listing-rows"></tbody></table>\n'
        + '<p class="pager"><button id="previous-page">← previous</button> '
        + '<button id="next-page">next →</button></p>\n'
        + f'<noscript><p>This list needs JavaScript; <a href="{first_page}">the pages</a> do not.</p></noscript>\n'
        + f'<script type="application/json" id="report-config">{config}</script>\n'
        + '<script src="report.js"></script>\n</body>\n</html>\n'
    )
