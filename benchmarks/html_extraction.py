"""HTML extraction on real Chinese news pages: text, author and date against hand-made gold.

    .venv/bin/python benchmarks/html_extraction.py [--pages N] [--skip-run]

Pages: `../shared/corpora/web-pages-zh/` (69 pages with gold content, author and date, and Readability's
four Chinese test pages with its expected article and byline). For each page and overall it prints
character-level precision, recall and F1 of the text against the gold, and whether author and date are
right, for:

- trafilatura and readability-lxml alone (the two extractors compared, on our decode of the page),
- ingest: our HTML reader (both extractors combined, byline patterns), before repair and clean,
- ctk run: the whole pipeline on a folder of the pages (what `clean/documents` holds), with the
  script kept (`[repair] script_target = "keep"`), as the gold is partly traditional.

Text is compared without white space (paragraph breaks and the gold's hard wraps do not count): the
characters of the longest matching blocks (difflib) over the lengths of output and gold. Author and
date count only where the gold knows them: author as a set of names, date as the day (gold dates
without a day are left out and counted apart). The gold's annotators took the editor (`责任编辑：X`)
when a page names no author, so our author counts, else our editor.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path, and its name would hide the standard
# library's `html` package from everything imported below: put the project root there instead.
ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

import argparse
import difflib
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field

import lxml.html
import pyarrow.parquet as pq

from toolkit.ingest.html import (
    decode_html,
    read_html,
    readability_text,
    rendered_lines,
    trafilatura_extraction,
    unwrap,
)

CORPUS = ROOT.parent / "shared" / "corpora" / "web-pages-zh"
GOLD_PAGES = CORPUS / "chinese-web-content-extraction-dataset"
READABILITY_PAGES = CORPUS / "mozilla-readability-test-pages"
UNKNOWN = {"", "UNKNOWN", "UNKNWON"}  # the gold's spellings of "not stated"


@dataclass
class Page:
    name: str
    path: Path
    text: str
    author: str | None
    date: str | None  # YYYY-MM-DD, or None when the gold has no full date
    partial_date: bool = False  # the gold states a date without its day


@dataclass
class Output:
    text: str
    author: str | None = None
    date: str | None = None
    documents: int = 1


@dataclass
class Score:
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    f1: list[float] = field(default_factory=list)
    authors: list[bool] = field(default_factory=list)
    dates: list[bool] = field(default_factory=list)


def gold_date(value: str) -> tuple[str | None, bool]:
    """The gold's date as YYYY-MM-DD, and whether it is a date without its day.

    >>> gold_date("2005-5-7 21:23:57"), gold_date("1998-3"), gold_date("UNKNOWN")
    (('2005-05-07', False), (None, True), (None, False))
    """
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:\s.*)?", value.strip()):
        return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}", False
    return None, bool(re.fullmatch(r"\d{4}(?:-\d{1,2})?", value.strip()))


def names(author: str | None) -> frozenset[str]:
    """Author names as a set: `刘国栋 周炜` equals `刘国栋、周炜`.

    >>> sorted(names("周思博 (Joel Spolsky)"))
    ['Joel', 'Spolsky', '周思博']
    """
    return frozenset(re.split(r"[\s、,，;；&]+", re.sub(r"[()（）]", " ", author or "").strip())) - {""}


def gold_text(folder: str, page: str) -> str:
    return (GOLD_PAGES / folder / f"{page}.txt").read_text(encoding="utf-8").strip()


def load_pages(limit: int | None) -> list[Page]:
    pages = []
    for path in sorted((GOLD_PAGES / "original").glob("*.html")):
        text, author, date = (gold_text(folder, path.stem) for folder in ("cleaned", "author", "date"))
        day, partial = gold_date(date)
        pages.append(Page(path.stem[:8], path, text, None if author in UNKNOWN else author, day, partial))
    for folder in sorted(p for p in READABILITY_PAGES.iterdir() if p.is_dir()):
        expected = lxml.html.fromstring((folder / "expected.html").read_text(encoding="utf-8"))
        byline = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8")).get("byline")
        pages.append(
            Page(f"rdb-{folder.name}", folder / "source.html", "\n".join(rendered_lines(expected)), byline, None)
        )
    return pages[:limit]


def overlap(output: str, gold: str) -> tuple[float, float, float]:
    """Character precision, recall and F1 of `output` against `gold`, white space ignored."""
    out, ref = re.sub(r"\s+", "", output), re.sub(r"\s+", "", gold)
    if not out or not ref:
        return 0.0, 0.0, 0.0
    matched = sum(block.size for block in difflib.SequenceMatcher(None, out, ref, autojunk=False).get_matching_blocks())
    precision, recall = matched / len(out), matched / len(ref)
    return precision, recall, 2 * precision * recall / (precision + recall) if matched else 0.0


def page_html(page: Page) -> tuple[str, str | None]:
    html, wrapper = unwrap(decode_html(page.path.read_bytes()).text)
    return html, wrapper.get("id")


def trafilatura_alone(page: Page) -> Output:
    found = trafilatura_extraction(*page_html(page))
    return Output(found.get("text") or "", found.get("author"), found.get("date"))


def readability_alone(page: Page) -> Output:
    return Output(readability_text(page_html(page)[0]))


def ingest(page: Page) -> Output:
    doc = next(read_html(page.path.read_bytes(), page.path.name))
    author = doc.meta.get("author") or doc.meta.get("editor")
    return Output(doc.text if doc.reject_reason is None else "", author, doc.meta.get("published"))


def keep_script(config: Path) -> None:
    """Set `[repair] script_target = "keep"` in a project's pipeline.toml: some gold (the zh-TW page
    `rdb-pixnet`) is in traditional script, as a traditional corpus would be configured."""
    text, replaced = re.subn(r'(?m)^script_target = ".*"$', 'script_target = "keep"', config.read_text("utf-8"))
    if replaced != 1:
        sys.exit(f"{config}: no script_target line to set")
    config.write_text(text, encoding="utf-8")


def ctk_run(pages: list[Page]) -> dict[str, Output]:
    """Outputs of `ctk run` on a fresh project holding the pages, by page name."""
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        subprocess.run([sys.executable, "-m", "toolkit", "init", str(project), "--quiet"], check=True, cwd=ROOT)
        keep_script(project / "pipeline.toml")
        for page in pages:
            shutil.copy(page.path, project / "raw" / f"{page.name}.html")
        subprocess.run([sys.executable, "-m", "toolkit", "run", "-C", str(project), "--quiet"], check=True, cwd=ROOT)
        parts: dict[str, list[dict]] = {}
        for shard in sorted((project / "clean" / "documents").glob("*.parquet")):
            for row in pq.read_table(shard).to_pylist():
                parts.setdefault(Path(row["source"]).stem, []).append(row)
        return {name: page_output(sorted(rows, key=lambda row: row["part"])) for name, rows in parts.items()}


def page_output(rows: list[dict]) -> Output:
    """One page's output from its documents: their texts in order (the clean stage may cut a page into
    articles), author and date as the first states them."""
    first = rows[0]
    meta = json.loads(first.get("meta") or "{}")
    author = first.get("author") or meta.get("author") or first.get("editor") or meta.get("editor")
    published = first.get("published") or meta.get("published")
    text = "\n".join(row["text"] for row in rows)
    return Output(text, author, str(published)[:10] if published else None, documents=len(rows))


def score(scores: Score, page: Page, output: Output) -> tuple[float, bool | None, bool | None]:
    precision, recall, f1 = overlap(output.text, page.text)
    scores.precision.append(precision)
    scores.recall.append(recall)
    scores.f1.append(f1)
    author_right = date_right = None
    if page.author is not None:
        author_right = names(output.author) == names(page.author)
        scores.authors.append(author_right)
    if page.date is not None:
        date_right = (output.date or "")[:10] == page.date
        scores.dates.append(date_right)
    return f1, author_right, date_right


def mean(values: list[float] | list[bool]) -> str:
    return f"{sum(values) / len(values):.3f}" if values else "–"


def mark(right: bool | None) -> str:
    return "" if right is None else ("✓" if right else "✗")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, help="only the first N pages")
    parser.add_argument("--skip-run", action="store_true", help="leave out `ctk run` (extraction only)")
    args = parser.parse_args()
    if not GOLD_PAGES.is_dir():
        sys.exit(f"{CORPUS} is not present: the benchmark needs the web-pages-zh corpus")
    pages = load_pages(args.pages)
    methods = {"trafilatura": trafilatura_alone, "readability-lxml": readability_alone, "ingest": ingest}
    outputs = {name: {page.name: method(page) for page in pages} for name, method in methods.items()}
    if not args.skip_run:
        run = ctk_run(pages)
        outputs["ctk run"] = {page.name: run.get(page.name, Output("", documents=0)) for page in pages}

    scores = {name: Score() for name in outputs}
    print("| page | gold chars | " + " | ".join(f"F1 {name}" for name in outputs) + " | author | date |")
    print("| --- | ---: | " + " | ".join("---:" for _ in outputs) + " | :---: | :---: |")
    for page in pages:
        cells, author_right, date_right = [], None, None
        for name in outputs:
            f1, author_right, date_right = score(scores[name], page, outputs[name][page.name])
            cells.append(f"{f1:.3f}")
        last = outputs[list(outputs)[-1]][page.name]  # author and date as the last column found them
        author = f"{mark(author_right)} {last.author or '–'} ({page.author})" if page.author else ""
        date = f"{mark(date_right)} {last.date or '–'}" if page.date else ("(no day)" if page.partial_date else "")
        gold_chars = len(re.sub(r"\s+", "", page.text))
        print(f"| {page.name} | {gold_chars} | " + " | ".join(cells) + f" | {author} | {date} |")

    partial = sum(page.partial_date for page in pages)
    print(f"\nOverall, {len(pages)} pages (means over pages; author and date where the gold knows them):\n")
    print("| output | precision | recall | F1 | author | date |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, result in scores.items():
        print(
            f"| {name} | {mean(result.precision)} | {mean(result.recall)} | {mean(result.f1)} "
            f"| {mean(result.authors)} ({len(result.authors)}) | {mean(result.dates)} ({len(result.dates)}) |"
        )
    print(f"\n{partial} gold dates state no day (a month or a year) and are not scored.")
    if "ctk run" in outputs:
        split = {name: out.documents for name, out in outputs["ctk run"].items() if out.documents != 1}
        print(f"`ctk run` documents per page: one for {len(pages) - len(split)} pages; otherwise {split}.")


if __name__ == "__main__":
    main()
