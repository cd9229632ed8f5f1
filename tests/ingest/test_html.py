"""HTML pages: the declared charset when it fits the bytes, the article and its metadata, bad pages as rejects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import CORPORA
from toolkit.ingest import IngestStage
from toolkit.ingest.html import (
    BylineZone,
    byline_zone,
    decode_html,
    find_author,
    labelled_author,
    read_html,
    reporters,
)
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


# ---------------------------------------------------------------- authors


def author_of(markup: str) -> str | None:
    doc = next(read_html(markup.encode(), "page.html"))
    assert doc.reject_reason is None
    return doc.meta.get("author")


def test_a_byline_between_template_comments_is_read() -> None:
    # portals' templates mark their fields with comments; the text after a comment is shown all the same
    byline = "<p><!--time-->03日10:20 <!--/time-->作者：<!--author-->林夕<!--/author--> 出自《散文》月刊</p>"
    assert author_of(page(f"<h1>江南的雨季来了</h1>{byline}<div>{ARTICLE}</div>")) == "林夕"


def test_a_byline_ends_before_where_the_text_comes_from() -> None:
    assert labelled_author(["作者：林夕 出自《诗刊》"]) == "林夕"
    assert labelled_author(["文/ 石头 摘自《读者》2005年第3期"]) == "石头"


def test_a_post_the_extractor_joins_into_one_paragraph_keeps_the_byline_above_it() -> None:
    # a film post in a forum's table: trafilatura gives its 30 lines as one paragraph; the byline stands
    # above its first line, not above the download link it ends with
    lines = ["论坛首页", "主题：【大地】【DVD】", "作者： 风吹麦浪", *(f"◎字段{n}　内容{n}" for n in range(30))]
    lines += ["下载：http://down.example.com/bbs/2005/08/28/1125233906416.torrent", "第 2 楼 回复"]
    zone = byline_zone(lines, " ".join(lines[3:-1]))
    assert "作者： 风吹麦浪" in zone.above
    assert find_author(zone) == "风吹麦浪"


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        # co-authors under the headline: one common family name vouches for a rarer one (闻)
        ("<h2>城市化进程中的社区治理研究</h2><p>周晓虹、闻天</p>", "周晓虹 闻天"),
        # a forum archive: post header, the subject twice, a blank line, then the authors
        (
            "<p>学术论坛 » 论文 » 城市化进程中的社区治理研究</p><p>2004-3-2 10:15 版主甲</p>"
            "<p>城市化进程中的社区治理研究</p><p>城市化进程中的社区治理研究</p><p>&nbsp;</p><p>张静 闻天</p>",
            "张静 闻天",
        ),
    ],
)
def test_names_alone_under_the_headline_are_its_authors(opening: str, expected: str) -> None:
    assert author_of(page(f"<div>{opening}{ARTICLE}</div>")) == expected


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        # a column: headline, the writer's pen name, the time of posting
        ("<h1>雨夜里的一些随想</h1><div>半窗明月</div><div>2021-03-05 22:10</div>", "半窗明月"),
        (
            "<h1>Notes from a rainy night</h1><p>moonlit_window</p><p>March 5, 2021 · 2021/03/05 22:10</p>",
            "moonlit_window",
        ),
        # a portal titles the column `name：headline`, and the name stands again under the headline
        ("<h2>一苇：江南的雨季来了</h2><div><p>江南的雨季来了</p><p>一苇</p>", "一苇"),
    ],
)
def test_a_pen_name_under_the_headline_counts_when_the_page_confirms_it(opening: str, expected: str) -> None:
    article = f"{ARTICLE}</div>" if opening.endswith("</p>") else f"<div>{ARTICLE}</div>"
    assert author_of(page(opening + article)) == expected


@pytest.mark.parametrize(
    "opening",
    [
        "<h1>雨夜里的一些随想</h1><div>半窗明月</div>",  # nothing confirms it: a pen name or a slogan?
        "<h1>雨夜里的一些随想</h1><div>国内新闻</div><div>2021-03-05 22:10</div>",  # a section
        "<h1>雨夜里的一些随想</h1><div>加关注</div><div>2021-03-05 22:10</div>",  # a button
    ],
)
def test_a_word_under_the_headline_is_no_author_without_confirmation(opening: str) -> None:
    assert author_of(page(f"{opening}<div>{ARTICLE}</div>")) is None


def test_the_meta_author_counts_when_the_page_shows_that_name() -> None:
    card = "<div class='up-card'><div><a href='//space.example.com/1'>雾里看花</a></div><div>粉丝：23</div></div>"
    markup = page(f"<h1>情人节的礼物</h1>{card}<div>{ARTICLE}</div>", '<meta name="author" content="雾里看花">')
    assert author_of(markup) == "雾里看花"
    handle = page(
        f"<div><a href='/'>夜航船的家</a></div><div>{ARTICLE}</div>",
        '<meta name="author" content="夜航船的家 (nightboat)">',
    )
    assert author_of(handle) == "夜航船的家 (nightboat)"


@pytest.mark.parametrize(
    "content",
    [
        "夜航船",  # a name the page never shows: a template's default
        "Discuz! Team and Comsenz UI Team",  # the software's credit
        "www.example.cn,示例日报报业集团,示例网",  # the site's own names
        "大汉网络",  # a company
        "L_104485",  # an account number
    ],
)
def test_a_meta_author_that_is_no_shown_name_is_ignored(content: str) -> None:
    shown = f"<p>{content}</p>" if content != "夜航船" else ""
    assert author_of(page(f"{shown}<div>{ARTICLE}</div>", f'<meta name="author" content="{content}">')) is None


def test_a_link_to_the_authors_page_names_the_blog_owner() -> None:
    sidebar = (
        "<div class='sidebar'><a href='https://blog.example.org/author/lanxin/'>林兰心</a>"
        "<p>[作者简介] 保密</p><a href='https://blog.example.org/?cat=3&amp;author=7'>随笔 (12)</a></div>"
    )
    # a commenter's link to their own page, in the latest comments far down the sidebar
    commenter = "<ul><li>〖<a href='https://blog.example.org/?author=55'>路人甲</a>〗回复：写得真好</li></ul>"
    markup = page(f"<h1>播客热潮迅速蔓延</h1><div>{ARTICLE}</div>{sidebar}{NAVIGATION * 2}{commenter}")
    assert author_of(markup) == "林兰心"
    byline = "<p>Posted in 随笔 · <a rel='author' href='/u/9'>ann_lee</a></p>"
    rel = page(f"<h1>播客热潮迅速蔓延</h1><div>{ARTICLE}</div>{byline}")
    assert author_of(rel) == "ann_lee"


def test_credit_lines_that_follow_each_other_are_one_byline() -> None:
    lines = ["谁来为拆房埋单", "拆房屡出命案", "谁来为拆房埋单？", "本报实习生 刘东 周炜", "本报记者 王燕平 柏建斌"]
    zone = BylineZone([], [*lines, "为拆一幢房，断送了三条人命。"], [])
    assert find_author(zone) == "刘东 周炜 王燕平 柏建斌"


def test_role_labels_are_not_names() -> None:
    assert reporters(["本报记者 王小明 通讯员 李杰"]) == "王小明 李杰"
    assert reporters(["（实习记者 樊亮 张明超 记者 惠禾）"]) == "樊亮 张明超 惠禾"


def test_a_language_label_in_brackets_is_no_closing_credit() -> None:
    zone = BylineZone([], ["正文第一段。", "参见他的微博（简体中文）"], [])
    assert find_author(zone) is None


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
