"""Saved web pages: the main content as markdown, the chrome dropped, metadata from the page."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.errors import CaptureError
from triage.sources import html
from triage.sources.base import Document
from triage.sources.infer import infer_metadata
from triage.sources.reader import read_file

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
MTIME = dt.datetime(2026, 3, 1, 12, 0).timestamp()


def read(data: bytes, name: str = "page.html"):
    notes = read_file(data, Path("/inbox") / name, 10**8, MTIME)
    assert len(notes) == 1
    return infer_metadata(notes[0])


def fixture(name: str):
    return read((FIXTURES / name).read_bytes(), name)


def test_blog_page_keeps_the_article_as_markdown():
    body = fixture("html-blog.html").body
    assert body.startswith("# Why Small Batteries Win the Grid\n\nFor a decade the storage conversation")
    for kept in (
        "## What the utilities got wrong",
        "**giant battery parks**",
        "*small batteries*",
        "- Permits take days, not years.",
        "1. Each battery reports its state of charge every few seconds.",
        "[2024 Nordic VPP report](https://example.net/vpp-report)",
        "The grid does not care where a kilowatt-hour comes from",
        "The panels will get cheaper; the tariff window will not wait.",
    ):
        assert kept in body
    for dropped in (
        "cookies",  # the cookie banner
        "Archive",  # the menu
        "Related posts",
        "Heat pumps in cold climates",
        "Sponsored",
        "premium inverters",
        "Comments",
        "battery degradation",  # a comment
        "Leave a reply",
        "All rights reserved",
        "Privacy policy",
        "Share this",
        "Subscribe",
    ):
        assert dropped not in body


def test_blog_page_metadata():
    note = fixture("html-blog.html")
    assert note.title == "Why Small Batteries Win the Grid"  # og:title, not the <title> with the site name
    assert note.url == "https://fieldnotes.example.org/2025/03/small-batteries-win"
    assert note.author == "Mara Lindqvist"
    assert note.published_date == dt.date(2025, 3, 4)  # published, not modified (03-09)
    assert note.captured_date == dt.date(2026, 3, 1)
    assert note.platform == "web"
    assert note.format == "article"
    assert note.source_tool is None
    assert note.extra == {"site_name": "Field Notes"}
    assert note.read_reasons == []


def test_news_page_json_ld_metadata_and_body():
    note = fixture("html-news.html")
    assert note.title == "Port of Halvik opens Europe's first all-electric container terminal"
    assert note.url == "https://www.northernledger.example.com/business/2025/jun/12/halvik-electric-terminal"
    assert note.author == "Ines Okafor, Jonas Brekke"  # JSON-LD authors, both
    assert note.published_date == dt.date(2025, 6, 12)
    assert note.platform == "web"
    assert note.extra == {"site_name": "The Northern Ledger"}
    body = note.body
    assert body.startswith("The Port of Halvik on Thursday opened")
    assert "## Shore power at scale" in body
    assert body.rstrip().endswith("fewer than a fifth of them are on track.")
    for dropped in (
        "Advertisement",
        "privacy choices",
        "812 partners",
        "Opinion",
        "Read more",
        "Shipping emissions rose",
        "Sign up",
        "Most viewed",
        "Heatwave",
        "Registered in Halvik",
    ):
        assert dropped not in body


def test_div_soup_page_byline_author_and_date():
    note = fixture("html-divsoup.html")
    assert note.title == "Notes from a winter of reading"
    assert note.author == "Odile Fenwick"
    assert note.published_date == dt.date(2024, 1, 28)
    assert note.url is None and note.platform == "web"
    assert note.body.startswith("Every winter I pick one subject")
    assert note.body.rstrip().endswith("I have already started a shelf.")
    for dropped in (
        "You might also like",
        "reading chair",
        "12 responses",
        "Harriet",
        "grandfather",
        "old laptop",
    ):
        assert dropped not in note.body


def page(
    head: str = "", body: str = "<article><p>" + "Some words of an article here. " * 8 + "</p></article>"
):
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


@pytest.mark.parametrize(
    "head, url",
    [
        ('<meta property="og:url" content="https://a.example/x">', "https://a.example/x"),
        (
            '<link rel="canonical" href="https://a.example/c"><meta property="og:url" content="https://a.example/o">',
            "https://a.example/c",
        ),
        ('<meta property="og:url" content="/relative/path">', None),
    ],
)
def test_url_from_canonical_then_og_url(head, url):
    assert read(page(head)).url == url


def test_saved_from_comment_gives_the_url_and_platform():
    data = b"<!-- saved from url=(0039)https://someone.substack.com/p/a-post -->\n" + page()
    note = read(data)
    assert note.url == "https://someone.substack.com/p/a-post"
    assert note.platform == "substack"
    assert note.format == "newsletter"


def test_site_name_is_a_platform_hint_without_a_url():
    assert read(page('<meta property="og:site_name" content="Medium">')).platform == "medium"


def test_time_element_gives_the_date_but_not_one_in_the_comments():
    body = (
        '<article><p class="x">'
        + "An article with words. " * 10
        + '</p><time datetime="2023-02-01">1 Feb</time>'
        "</article>"
    )
    assert read(page("", body)).published_date == dt.date(2023, 2, 1)
    in_comments = (
        "<article><p>" + "An article with words. " * 10 + "</p></article>"
        '<div class="comments"><time datetime="2023-05-05">5 May</time> nice</div>'
    )
    assert read(page("", in_comments)).published_date is None


def test_meta_charset_other_than_utf8_is_honoured():
    text = (
        '<html><head><meta charset="iso-8859-2"><title>Zażółć gęślą jaźń</title></head><body><article>'
        "<h1>Zażółć gęślą jaźń</h1><p>Łódź i Kraków to miasta, w których żyją ludzie; ta strona jest "
        "zapisana w kodowaniu ISO-8859-2.</p></article></body></html>"
    )
    note = read(text.encode("iso-8859-2"))
    assert note.title == "Zażółć gęślą jaźń"
    assert "Łódź i Kraków" in note.body


def test_detect_by_markup_not_by_name():
    assert html.detect(Document(Path("x.html"), b"<!doctype html><html><body>x</body></html>"))
    assert not html.detect(Document(Path("x.html"), b"# markdown saved as .html\n\ntext"))


@pytest.mark.parametrize(
    "data, message, hint",
    [
        (
            b'<html><head><meta http-equiv="refresh" content="0; url=https://example.org/real"></head><body>Redirecting</body></html>',
            "only a redirect to https://example.org/real",
            "save it again",
        ),
        (
            b'<html><head><script>window.location.href = "https://example.org/a";</script></head><body>Wait</body></html>',
            "only a redirect",
            "wait until it has loaded",
        ),
        (
            b"<html><head><title>Sign in</title></head><body><h1>Sign in to continue</h1>"
            b'<form><input type="email"><input type="PASSWORD"></form></body></html>',
            "a login form, not the article",
            "log in in the browser",
        ),
        (b"<html><head><title>x</title></head><body></body></html>", "no readable text", "saved article"),
    ],
)
def test_pages_that_are_not_the_page_are_refused_with_what_to_do(data, message, hint):
    with pytest.raises(CaptureError) as err:
        read(data)
    assert message in err.value.message and hint in err.value.hint


def test_a_long_page_with_a_refresh_is_still_read():
    head = '<meta http-equiv="refresh" content="300; url=https://news.example/live">'
    body = "<article>" + "<p>A long live blog entry with plenty of text in it.</p>" * 20 + "</article>"
    assert "live blog entry" in read(page(head, body)).body


def test_a_cut_off_page_is_read_as_far_as_it_goes():
    data = (FIXTURES / "html-blog.html").read_bytes()
    note = read(data[: data.index(b"How the coordination works")])
    assert "## What the utilities got wrong" in note.body
    assert note.title == "Why Small Batteries Win the Grid"


def test_a_page_too_deep_to_parse_keeps_its_text():
    data = page(
        "",
        "<div>" * 100_000 + "<p>Deep text inside many divs, enough words to count.</p>" + "</div>" * 100_000,
    )
    note = read(data)
    assert "Deep text inside many divs" in note.body
    assert note.read_reasons == [
        "read: html: the page could not be parsed (nested too deep?); its text kept as it is"
    ]


BLOG = (FIXTURES / "html-blog.html").read_text()


@settings(max_examples=40, deadline=None)
@given(st.integers(0, len(BLOG)), st.integers(0, len(BLOG)), st.text(max_size=40))
def test_mutated_pages_raise_only_capture_errors(start, length, junk):
    data = (BLOG[:start] + junk + BLOG[start + length :]).encode("utf-8", "surrogatepass")
    with contextlib.suppress(CaptureError):
        read_file(data, Path("/inbox/x.html"), 10**8)
