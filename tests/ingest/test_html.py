"""HTML pages: the declared charset when it fits the bytes, the article and its metadata, bad pages as rejects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import CORPORA
from toolkit.ingest import IngestStage
from toolkit.ingest.html import decode_html, read_html
from toolkit.pipeline import read_documents, read_manifest, run_stage

GOLD_PAGES = CORPORA / "web-pages-zh" / "chinese-web-content-extraction-dataset"
# Long enough for the extractors to take it for an article, as a real news page is.
ARTICLE = "".join(
    f"<p>黄河流域生态保护和高质量发展是重大国家战略，沿黄各省区第{n}次联合召开座谈会，"
    "研究部署水资源节约集约利用、生态保护修复和文化遗产保护传承等工作。</p>"
    for n in range(1, 9)
)
NAVIGATION = "<ul>" + "".join(f'<li><a href="/c{n}">栏目{n}</a></li>' for n in range(12)) + "</ul>"


def page(body: str, head: str = "", title: str = "黄河座谈会") -> str:
    return f"<html><head>{head}<title>{title}</title></head><body>{body}</body></html>"


def gold_page(prefix: str) -> Path:
    if not GOLD_PAGES.is_dir():
        pytest.skip(f"public corpus {GOLD_PAGES} is not present")
    return next((GOLD_PAGES / "original").glob(f"{prefix}*.html"))


# ---------------------------------------------------------------- charsets


@pytest.mark.parametrize(
    ("markup", "codec", "expected"),
    [
        (page(ARTICLE, '<meta charset="gb2312">'), "gb2312", "gb18030"),
        (page(ARTICLE, '<meta http-equiv="Content-Type" content="text/html; charset=GBK">'), "gbk", "gb18030"),
        # a CleanEval-style wrapper declares what the crawler stored; the page itself declares nothing
        ('<text id="http://a.cn/1" title="黄河" encoding="gb2312">' + page(ARTICLE) + "</text>", "gbk", "gb18030"),
        # a GB2312 label on a page that uses a GBK-only character (镕): browsers read GB2312 as GBK
        (page(ARTICLE + "<p>朱镕基</p>", '<meta charset="gb2312">'), "gbk", "gb18030"),
        # the declaration is wrong (the page was re-saved as UTF-8): the bytes win
        (page(ARTICLE, '<meta charset="gb2312">'), "utf-8", "utf-8"),
        # an unusable label: detection, as for text
        ('<text id="http://a.cn/1" encoding="unset">' + page(ARTICLE) + "</text>", "gb18030", "gb18030"),
        (
            page("<p>黃河流域生態保護和高質量發展是重大國家戰略。</p>" * 8, '<meta charset="big5">', "黃河"),
            "cp950",
            "cp950",
        ),
    ],
)
def test_declared_charset_is_used_when_it_fits_the_bytes(markup: str, codec: str, expected: str) -> None:
    decoded = decode_html(markup.encode(codec))
    assert (decoded.encoding, decoded.text, decoded.replaced) == (expected, markup, 0)


def test_a_byte_order_mark_overrides_the_declaration() -> None:
    markup = page(ARTICLE, '<meta charset="gb2312">')
    decoded = decode_html(b"\xef\xbb\xbf" + markup.encode("utf-8"))
    assert (decoded.encoding, decoded.text) == ("utf-8-sig", markup)


def test_a_page_cut_inside_a_character_keeps_its_declared_charset() -> None:
    data = page(ARTICLE, '<meta charset="gb2312">').encode("gb18030")
    broken = data.replace("座谈会".encode("gb18030"), "座谈会".encode("gb18030")[:-1] + b"<", 1)
    decoded = decode_html(broken)
    assert decoded.encoding == "gb18030"
    assert decoded.replaced == 1
    assert "\ufffd" in decoded.text and "黄河流域生态保护" in decoded.text


def test_a_real_page_that_detection_alone_misreads_is_read_with_its_declaration() -> None:
    # charset detection alone reads this Sohu page (GB2312 with a few invalid bytes) as Windows-1250
    doc = next(read_html(gold_page("33a95b71").read_bytes(), "sohu.html"))
    assert doc.encoding == "gb18030"
    assert "SK-II" in doc.text and "虚假宣传" in (doc.title or "")


# ---------------------------------------------------------------- articles and metadata


def test_article_text_title_and_metadata() -> None:
    byline = "<div><h1>黄河座谈会</h1><p>2022年06月22日 10:51 来源：大河网 作者：杨文 责任编辑：李楠</p></div>"
    nav = f"<div class='nav'>{NAVIGATION}</div>"
    markup = page(nav + byline + f"<div class='article'>{ARTICLE}</div>" + nav)
    doc = next(read_html(markup.encode(), "page.html"))
    assert doc.reject_reason is None
    assert doc.text.split("\n")[0].startswith("黄河流域生态保护") and "栏目" not in doc.text
    assert doc.title == "黄河座谈会"
    assert doc.meta["author"] == "杨文" and doc.meta["editor"] == "李楠"
    assert doc.meta["published"] == "2022-06-22"


def test_real_page_gives_its_article_url_author_and_date() -> None:
    path = gold_page("a6e8b739")  # a CCTV forum post: author and time in a line above the post
    gold = (GOLD_PAGES / "cleaned" / f"{path.stem}.txt").read_text(encoding="utf-8")
    doc = next(read_html(path.read_bytes(), path.name))
    text, article = re.sub(r"\s", "", doc.text), re.sub(r"\s", "", gold)
    assert text.endswith(article)  # the post, after its subject and byline lines (for the clean stage)
    assert text.startswith("主题：")
    assert doc.meta["url"] == "http://bbs.cctv.com/forumthread.jsp?id=6910910"
    assert doc.meta["author"] == "芊草凡凡"
    assert doc.meta["published"] == "2005-08-22"


# ---------------------------------------------------------------- bad pages


def test_bad_pages_become_rejects_with_reasons(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.html").write_text(page(ARTICLE), encoding="utf-8")
    (raw / "zero-bytes.html").write_bytes(b"")
    (raw / "empty-body.html").write_text(page("<div> </div><script>var a = 1;</script>"), encoding="utf-8")
    (raw / "navigation.htm").write_text(page(NAVIGATION * 3), encoding="utf-8")
    (raw / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    whole = page(ARTICLE)
    (raw / "cut-off.html").write_text(whole[: whole.rindex("<p>") + 2], encoding="utf-8")  # stops inside a tag

    out = tmp_path / "out"
    run_stage(IngestStage(), raw, out)
    manifest = read_manifest(out)
    assert manifest is not None
    documents = list(read_documents(out / entry["path"] for entry in manifest["documents"]))
    rejects = list(read_documents(out / entry["path"] for entry in manifest["rejects"]))

    assert [doc.source for doc in documents] == ["good.html"]
    assert {doc.source: doc.reject_reason for doc in rejects} == {
        "zero-bytes.html": "empty",
        "empty-body.html": "empty-page",
        "navigation.htm": "no-article",
        "image.html": "binary",
        "cut-off.html": "truncated-html",
    }
