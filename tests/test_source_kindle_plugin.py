"""The Kindle Highlights plugin for Obsidian (triage/sources/kindle_plugin.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.note import Highlight
from triage.sources import kindle_plugin
from triage.sources.common import book_key

from .capture_helpers import (
    chrome_in,
    document,
    fixture,
    mutated_bytes,
    other_fixtures,
    read_notes,
    reads_or_explains,
    run_pipeline,
    template_variants_still_read,
)

MINE = ("kindle-plugin.md", "kindle-plugin-empty.md")


def test_every_field():
    (note,) = read_notes("kindle-plugin.md")
    assert note.source_tool == "kindle"
    assert note.title == "Designing Quiet Systems (2nd Edition)"  # the full title, not the H1
    assert note.author == "Lena Okafor"
    assert note.creator == "lena_okafor"
    assert note.url == "https://www.amazon.com/dp/B0QUIET123"  # the book's page, not kindle://
    assert note.captured_date == dt.date(2024, 3, 10)  # lastAnnotatedDate
    assert note.published_date is None
    assert note.platform == "kindle"
    assert note.format == "book"
    # the nested kindle-sync map is not copied
    assert note.extra == {"asin": "B0QUIET123", "publisher": "Harbor Lane Press"}
    assert note.read_reasons == []


def test_highlights_without_chrome_and_with_notes():
    (note,) = read_notes("kindle-plugin.md")
    assert note.highlights == [
        Highlight(
            "Latency is a budget you spend, not a number you report. Every team that treated it "
            "as a report eventually overspent it.",
            "Use this framing in the SLO review with the payments team.",
            [],
            "location 410",
        ),
        Highlight(
            "#NoEstimates was never about refusing to plan; it was about refusing to pretend the "
            "plan was a measurement.",
            "",
            [],
            "location 702",
        ),
        Highlight(
            "Queues do not remove load; they move it to a moment when nobody is watching the graphs.",
            "Ask Tomas whether the ingest queue has an alert. Then check the retry budget.",
            [],
            "location 980",
        ),
    ]
    for chrome in ("kindle://", "^ref-", "location:", "ASIN", "Reference", "Harbor Lane", "Ask Tomas"):
        assert chrome not in note.content


def test_same_book_as_my_clippings():
    (plugin,) = read_notes("kindle-plugin.md")
    clippings = read_notes("kindle-clippings.txt")[0]
    assert (plugin.title, plugin.author) == (clippings.title, clippings.author)
    assert book_key(plugin.title, plugin.author) == book_key(clippings.title, clippings.author)


def test_empty_highlights_section_is_read_with_a_reason():
    (note,) = read_notes("kindle-plugin-empty.md")
    assert note.title == "The Cartographer's Ledger: A Survey of Lost Coasts"
    assert note.author == "Priya Raman, Tomas Ferreira"  # "A and B", as My Clippings' "A; B"
    assert note.highlights == []
    assert note.read_reasons == ["read: kindle: the Highlights section is empty"]
    assert "Metadata" not in note.content and "ASIN" not in note.content


def test_highlight_without_its_location_link_is_read_with_a_reason():
    data = fixture("kindle-plugin.md").replace(
        b" \xe2\x80\x94 location: [702](kindle://book?action=open&asin=B0QUIET123&location=702)", b""
    )
    (note,) = read_notes("kindle-plugin.md", data)
    assert note.highlights[1].text.startswith("#NoEstimates was never")
    assert note.highlights[1].location == ""
    assert note.read_reasons == ["read: kindle: highlight at line 25 has no '— location:' link; read as text"]


def test_without_frontmatter_the_heading_and_metadata_serve():
    text = fixture("kindle-plugin.md").decode()
    body = text.split("---\n", 2)[2]
    (note,) = read_notes("kindle-plugin.md", body.encode())
    assert note.source_tool == "kindle"
    assert note.title == "Designing Quiet Systems" and note.author == "Lena Okafor"
    assert note.url == "https://www.amazon.com/dp/B0QUIET123"
    assert len(note.highlights) == 3


def test_detects_by_structure_not_name():
    for name in MINE:
        assert kindle_plugin.detect(document(name))
    for name in other_fixtures(*MINE):
        assert not kindle_plugin.detect(document(name)), name


@settings(max_examples=150, deadline=None)
@given(data=mutated_bytes(fixture("kindle-plugin.md")))
def test_mutations_raise_only_capture_error(data):
    reads_or_explains("kindle-plugin.md", data)


@pytest.mark.nlp
def test_end_to_end(tmp_path, nlp):
    report, notes = run_pipeline(tmp_path, nlp, "kindle-plugin.md", "Okafor-Designing Quiet Systems.md")
    assert report.failed == []
    ((title, props),) = notes
    assert title == "Designing Quiet Systems (2nd Edition)"
    assert props["source_tool"] == "kindle" and props["url"] == "https://www.amazon.com/dp/B0QUIET123"
    assert props["asin"] == "B0QUIET123"
    assert chrome_in(props, title) == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_customised_templates_still_read(data):
    """Sections reordered or dropped, heading levels, bullets, the reader's keys, no H1: still
    recognised, title, URL and author found, nothing quarantined (failed on the old registry)."""
    template_variants_still_read(data, "kindle")
