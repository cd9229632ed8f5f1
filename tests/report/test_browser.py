"""The report in a real browser: Debian's headless Chromium loads it from file:// without a console error,
the document list pages and searches, corpus markup shows as text, and the screenshots are not blank."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from tests.report.chromium import CHROMIUM, Browser
from tests.report.conftest import MARKUP_FILE

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium package is not installed (.ci/run installs it: apt-get install chromium)",
)

ROWS = "Array.from(document.querySelectorAll('#listing-rows tr'), row => row.cells[0].textContent).join(' ')"
STATUS = "document.getElementById('listing-status').textContent"


def assert_not_blank(screenshot: Path) -> None:
    """More than a few percent of the pixels differ from the background (text, tables, charts)."""
    image = Image.open(screenshot).convert("L")
    background = max(range(256), key=image.histogram().__getitem__)
    drawn = sum(n for value, n in enumerate(image.histogram()) if abs(value - background) > 32)
    assert drawn > 0.02 * image.width * image.height, f"{screenshot} looks blank"


def test_the_index_page_loads_pages_and_searches_without_console_errors(recorded_project: Path, tmp_path: Path) -> None:
    index = recorded_project / "clean" / "report" / "index.html"
    with Browser() as browser:
        page = browser.load(index.as_uri())
        # SMALL_LAYOUT: 2 rows per page of the list, 3 entries per chunk, 2 documents per detail page
        assert browser.wait_for(page, ROWS) == "#1 #2"
        assert browser.evaluate(page, STATUS) == "1–2 of 6 documents"
        assert_not_blank(browser.screenshot(page, tmp_path / "index.png"))

        browser.evaluate(page, "document.getElementById('next-page').click()")
        browser.wait_for(page, f"{ROWS} === '#3 #4'")  # the second chunk, loaded on demand

        browser.evaluate(page, "search.value = 'DEDUP'; search.dispatchEvent(new Event('input'))")
        browser.wait_for(page, f"{STATUS}.startsWith('1–2 of 2 documents matching')")
        assert browser.evaluate(page, ROWS) == "#5 #6"
        assert browser.evaluate(page, "location.hash") == "#q=DEDUP"
        assert page.errors == []


def test_a_detail_page_shows_corpus_markup_as_text_without_running_it(recorded_project: Path, tmp_path: Path) -> None:
    docs = recorded_project / "clean" / "report" / "docs"
    markup_page = next(p for p in sorted(docs.glob("*.html")) if MARKUP_FILE in p.read_text(encoding="utf-8"))
    with Browser() as browser:
        page = browser.load(markup_page.as_uri())
        text = browser.evaluate(page, "document.body.innerText")
        assert "<script>window.injected = true;" in text and '<img src=x onerror="window.injected = true">' in text
        assert browser.evaluate(page, "window.injected === undefined && document.images.length === 0")
        assert_not_blank(browser.screenshot(page, tmp_path / "detail.png"))
        assert page.errors == []


def test_console_errors_are_caught(tmp_path: Path) -> None:
    """The check itself can fail: a page with a broken script and a missing file reports both."""
    broken = tmp_path / "broken.html"
    broken.write_text('<script>console.error("boom"); missing();</script><script src="gone.js"></script>')
    with Browser() as browser:
        page = browser.load(broken.as_uri())
        assert len(page.errors) == 3, page.errors
        assert "console.error: boom" in page.errors  # the browser may report the failed load of gone.js first
