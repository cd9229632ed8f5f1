"""WARC files: one document per HTML response, url and crawl date from the record, bad records as rejects."""

from __future__ import annotations

import gzip
from io import BytesIO
from pathlib import Path

import pytest

from tests.conftest import CORPORA
from toolkit.ingest.readers import read_file
from toolkit.ingest.warc import read_warc

warcio = pytest.importorskip("warcio")
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

GOLD_PAGES = CORPORA / "web-pages-zh" / "chinese-web-content-extraction-dataset" / "original"
SOHU = "33a95b71"  # GB2312 with a few invalid bytes: detection alone misreads it
CCTV_FORUM = "a6e8b739"  # a forum post: author and time in a line above it
CRAWLED = "2024-05-01T08:00:00Z"


def real_page(prefix: str) -> bytes:
    if not GOLD_PAGES.is_dir():
        pytest.skip(f"public corpus {GOLD_PAGES} is not present")
    return next(GOLD_PAGES.glob(f"{prefix}*.html")).read_bytes()


def response(writer: WARCWriter, url: str, body: bytes, content_type: str, status: str = "200 OK") -> None:
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url, "response", payload=BytesIO(body), http_headers=headers, warc_headers_dict={"WARC-Date": CRAWLED}
    )
    writer.write_record(record)


def write_crawl(path: Path, gzipped: bool) -> None:
    """A small crawl: two real pages, their request, a stylesheet, an image and a page not found."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzipped)
        request = writer.create_warc_record(
            "http://business.sohu.com/20050311/n224662925.shtml",
            "request",
            payload=BytesIO(b""),
            http_headers=StatusAndHeaders("GET / HTTP/1.1", [("Host", "business.sohu.com")], is_http_request=True),
        )
        writer.write_record(request)
        response(
            writer, "http://business.sohu.com/20050311/n224662925.shtml", real_page(SOHU), "text/html; charset=GB2312"
        )
        response(writer, "http://bbs.cctv.com/style.css", b"body { color: red }", "text/css")
        response(writer, "http://bbs.cctv.com/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
        response(writer, "http://bbs.cctv.com/forumthread.jsp?id=6910910", real_page(CCTV_FORUM), "text/html")
        response(
            writer,
            "http://bbs.cctv.com/gone.html",
            b"<html><body>Not Found</body></html>",
            "text/html",
            "404 Not Found",
        )


@pytest.mark.parametrize(("name", "gzipped"), [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_one_document_per_html_response(tmp_path: Path, name: str, gzipped: bool) -> None:
    path = tmp_path / name
    write_crawl(path, gzipped)
    assert (path.read_bytes()[:2] == b"\x1f\x8b") == gzipped
    documents = list(read_warc(path, name))

    assert [(doc.part, doc.reject_reason) for doc in documents] == [(0, None), (1, None), (2, "http-404")]
    sohu, forum, missing = documents
    assert sohu.encoding == "gb18030" and "SK-II" in sohu.text
    assert sohu.meta["url"] == "http://business.sohu.com/20050311/n224662925.shtml"
    assert forum.meta["url"] == "http://bbs.cctv.com/forumthread.jsp?id=6910910"
    assert forum.meta["author"] == "芊草凡凡"
    for doc in (sohu, forum):
        assert doc.meta["crawled"] == CRAWLED  # when it was fetched: not the publication date
        assert doc.meta["published"].startswith("2005-")
    assert missing.meta["url"] == "http://bbs.cctv.com/gone.html"


def test_warc_files_are_read_by_their_suffix(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    write_crawl(path, gzipped=False)
    assert [doc.reject_reason for doc in read_file(path, "crawl.warc")] == [None, None, "http-404"]


def test_bad_warc_files_become_rejects(tmp_path: Path) -> None:
    not_warc = tmp_path / "page.warc.gz"
    not_warc.write_bytes(gzip.compress(b"<html><body>not a WARC file</body></html>"))
    only_image = tmp_path / "image.warc"
    with only_image.open("wb") as stream:
        writer = WARCWriter(stream, gzip=False)
        response(writer, "http://a.cn/logo.png", b"\x89PNG\r\n\x1a\n", "image/png")
    empty = tmp_path / "empty.warc"
    empty.write_bytes(b"")

    assert [doc.reject_reason for doc in read_warc(not_warc, "page.warc.gz")] == ["malformed-warc"]
    assert [doc.reject_reason for doc in read_warc(only_image, "image.warc")] == ["no-html-records"]
    assert [doc.reject_reason for doc in read_warc(empty, "empty.warc")] == ["no-html-records"]
