"""WARC files (.warc, .warc.gz): one document per HTML response record, read with warcio.

warcio (Webrecorder's reader and writer of the format, ISO 28500) undoes the record's and the
HTTP body's compression and chunking; each HTML page is then read as a page file is
(`toolkit.ingest.html.html_document`), with the HTTP header's charset as its first declaration. The
record's WARC-Target-URI is the document's url, and its WARC-Date goes to meta as `crawled`: it is
when the page was fetched, not when it was published.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from toolkit.document import Document
from toolkit.ingest.html import html_document

__all__ = ["content_type", "read_warc"]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def content_type(header: str | None) -> tuple[str, str | None]:
    """The media type of a Content-Type header, lower case, and its charset parameter if any.

    >>> content_type("text/html; charset=GB2312"), content_type('text/HTML;charset="utf-8"'), content_type(None)
    (('text/html', 'GB2312'), ('text/html', 'utf-8'), ('', None))
    """
    media_type, *parameters = (header or "").split(";")
    charset = None
    for parameter in parameters:
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset" and value.strip().strip("\"'"):
            charset = value.strip().strip("\"'")
    return media_type.strip().lower(), charset


def read_warc(path: Path, source: str, text_field: str = "text") -> Iterator[Document]:
    """One document per HTML response record of a WARC file, numbered in file order; a response that is
    not a success (HTTP 404, a redirect) is a reject named after its status. Other records (requests,
    metadata, images, scripts) are no documents. A file that is not a WARC, or holds no HTML response,
    becomes one reject. `text_field` is the readers' common signature; a page has no fields."""
    part = 0
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if (doc := _record_document(record, source, part)) is not None:
                    yield doc
                    part += 1
    except OSError as error:
        yield Document(text="", source=source, meta={"error": str(error)}).reject("unreadable")
        return
    except ArchiveLoadFailed as error:
        yield Document(text="", source=source, part=part, meta={"error": str(error)}).reject("malformed-warc")
        return
    if part == 0:
        yield Document(text="", source=source).reject("no-html-records")


def _record_document(record: Any, source: str, part: int) -> Document | None:
    """The document of a response record holding an HTML page; None for any other record."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    media_type, charset = content_type(record.http_headers.get_header("Content-Type"))
    if media_type not in HTML_TYPES:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    status = record.http_headers.get_statuscode()
    if status != "200":
        return Document(text="", source=source, part=part, meta={"url": url}).reject(f"http-{status}")
    doc = html_document(record.content_stream().read(), source, part=part, url=url, http_charset=charset)
    doc.meta["url"] = url or doc.meta.get("url")
    if crawled := record.rec_headers.get_header("WARC-Date"):
        doc.meta["crawled"] = crawled
    return doc
