"""Hypothes.is plugin: a domain is not an author, "Updated on" is not a publication date, page
notes are the reader's, highlights with tags and annotations."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.errors import CaptureError
from triage.note import Highlight

from .capture_helpers import (
    OWN_SCHEMA,
    PLAIN,
    chrome_in,
    claims,
    fixture,
    fixtures,
    mutated,
    note_title,
    read,
    read_one,
    template_variants_still_read,
    triage_one,
)
from .conftest import OLD

MINE = [n for n in fixtures() if n.startswith("hypothesis-")]


def test_article_with_page_notes_and_annotations():
    n = read_one("hypothesis-article.md")
    assert n.source_tool == "hypothesis"
    assert n.title == "The Last Mile Problem: Rural Broadband in 2024"
    assert n.url == "https://ruralbroadband-example.org/reports/last-mile-2024"
    assert n.author is None and n.creator is None  # "[ruralbroadband-example.org]()" is a domain
    assert n.published_date is None  # "Updated on" is when the reader annotated
    assert n.captured_date == dt.date(2024, 3, 5)  # the earliest annotation
    assert (n.platform, n.format) == ("web", "article")
    assert n.given["tags"] == ["broadband", "policy"]  # the page notes' tags
    assert n.extra == {"doc_type": "hypothesis-highlights"}
    assert n.highlights == [
        Highlight(
            "Laying fibre costs about 27,000 dollars per mile in open farmland "
            "and three times that in hills.",
            "Compare with the numbers from the Vermont co-op.",
            ["costs"],
        ),
        Highlight(
            "Cooperatives connected more rural homes in Minnesota than all national carriers together."
        ),
        Highlight(
            "Fixed wireless is a bridge, not a destination: it serves today's households "
            "but not the bandwidth they will need in ten years.",
            "",
            ["wireless", "planning"],
        ),
    ]
    for chrome in (
        "Updated on",
        "hyp.is",
        "Metadata",
        "Category",
        "county infrastructure meeting",
        "Vermont",
    ):
        assert chrome not in n.content, chrome  # page notes and annotations are the reader's, not content
    assert "county infrastructure meeting" in n.body  # kept with the capture
    assert n.read_reasons == []


def test_a_real_author_is_kept():
    text = (
        fixture("hypothesis-article.md")
        .decode()
        .replace("[ruralbroadband-example.org]()", "[Nadia Kowalski]()")
    )
    assert read_one("hypothesis-article.md", data=text.encode()).author == "Nadia Kowalski"


def test_empty_sections():
    n = read_one("hypothesis-empty.md")
    assert n.title == "Why We Nap" and n.url == "https://sleepscience-example.net/why-we-nap"
    assert n.highlights == [] and n.content == "# Why We Nap\n"
    assert n.captured_date == dt.datetime.fromtimestamp(OLD).date()
    assert n.read_reasons == ["read: hypothesis: the `## Highlights` section (line 15) is empty"]


def test_cut_off_list():
    text = fixture("hypothesis-article.md").decode().split(" — [Updated on 2024-03-06")[0]
    n = read_one("hypothesis-article.md", data=text.encode())
    assert len(n.highlights) == 2
    assert n.read_reasons == [
        "read: hypothesis: highlight list cut off: the highlight at line 22 is incomplete "
        "and left out of the highlights"
    ]


@pytest.mark.parametrize("name", MINE)
def test_detects_its_own_fixtures(name):
    assert claims("hypothesis", name)


@pytest.mark.parametrize("name", [n for n in fixtures() if n not in MINE])
def test_rejects_other_tools_fixtures(name):
    assert not claims("hypothesis", name)


@pytest.mark.parametrize("text", [PLAIN, OWN_SCHEMA, "---\ndoc_type: meeting\n---\n# Notes\n"])
def test_rejects_plain_markdown(text):
    assert not claims("hypothesis", "note.md", text.encode())
    assert read_one("note.md", data=text.encode()).source_tool is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(fixture("hypothesis-article.md").decode()))
def test_mutations_raise_only_capture_error(text):
    with contextlib.suppress(CaptureError):
        assert read("hypothesis-x.md", data=text.encode())


@pytest.mark.nlp
def test_end_to_end(ws, nlp):
    props, text, report = triage_one(ws, nlp, "hypothesis-article.md")
    assert report.failed == []
    assert props["source_tool"] == "hypothesis" and props["author"] is None
    assert props["published_date"] is None
    assert chrome_in(props, note_title(text)) == []
    assert props["key_insights"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_customised_templates_still_read(data):
    """Sections reordered or dropped, heading levels, bullets, the reader's keys, no H1: still
    recognised, title, URL and author found, nothing quarantined (failed on the old registry)."""
    template_variants_still_read(data, "hypothesis")


def test_file_without_frontmatter_is_recognised_by_its_links():
    (n,) = read("hypothesis-no-frontmatter.md")
    assert n.source_tool == "hypothesis"
    assert n.url == "https://publicspaces-example.org/essays/reading-rooms"
    assert n.author is None  # the domain is not an author
    assert n.highlights[0].note == "Cite in the zoning comment."
    assert n.read_reasons[0].startswith("read: recognised as Hypothes.is export by hyp.is annotation links")
