"""Matter highlights notes (triage/sources/matter.py): the title is the file name."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.note import Highlight
from triage.sources import matter

from .capture_helpers import (
    chrome_in,
    claims,
    document,
    fixture,
    fixtures,
    mutated_bytes,
    other_fixtures,
    read_notes,
    reads_or_explains,
    run_pipeline,
    template_variants_still_read,
)

MINE = tuple(n for n in fixtures() if n.startswith("matter"))
NAME = "The Hidden Cost of fsync- Durability vs. Throughput.md"


def test_every_field():
    (note,) = read_notes("matter.md", as_name=NAME)
    assert note.source_tool == "matter"
    assert note.title == "The Hidden Cost of fsync: Durability vs. Throughput"
    assert note.url == "https://www.harborline.example/engineering/fsync-cost"
    assert note.author == "Daniel Soto"  # without the wikilink brackets
    assert note.creator == "daniel_soto"
    assert note.published_date == dt.date(2023, 11, 2)
    assert note.captured_date == dt.date.fromtimestamp(1_700_000_000)  # Matter states no clip date
    assert note.platform == "web"
    assert note.format == "article"
    assert note.given["tags"] == ["databases", "durability"]
    assert note.extra == {"publisher": "Harborline Engineering"}
    assert note.original_filename == NAME
    assert note.read_reasons == []


def test_highlights_with_notes():
    (note,) = read_notes("matter.md", as_name=NAME)
    assert note.highlights[:2] == [
        Highlight("The fsync call is where your durability promise meets the disk's opinion of it."),
        Highlight(
            "Batching commits trades a few milliseconds of latency for an order of magnitude in "
            "throughput, and most users never notice the milliseconds.",
            "This is the group-commit argument; compare with what Postgres does.",
        ),
    ]
    assert len(note.highlights) == 4
    for chrome in ("Metadata", "URL", "Publisher", "**Note**", "Send this to", "group-commit"):
        assert chrome not in note.content


@pytest.mark.parametrize(
    "stem, title",
    [
        (
            "The Hidden Cost of fsync- Durability vs. Throughput",
            "The Hidden Cost of fsync: Durability vs. Throughput",
        ),
        ("The -Boring- Technology Club", 'The "Boring" Technology Club'),
        ("Is AI Overhyped-", "Is AI Overhyped?"),
        ("Data-Intensive Apps - A Review", "Data-Intensive Apps - A Review"),
        ("TCP-IP in 2024", "TCP-IP in 2024"),
        ("Part 1- Intro", "Part 1: Intro"),
    ],
)
def test_title_from_filename(stem, title):
    assert matter.title_from_filename(stem) == title


def test_title_is_never_metadata():
    (note,) = read_notes("matter.md", as_name="matter.md")
    assert note.title == "matter"


def test_empty_highlights_section_read_with_a_reason():
    (note,) = read_notes("matter-empty.md", as_name="Queue Depth Is Not a Metric-.md")
    assert note.title == "Queue Depth Is Not a Metric?"
    assert note.author == "Ingrid Holm" and note.published_date == dt.date(2024, 1, 15)
    assert note.highlights == []
    assert note.read_reasons == ["read: matter: the Highlights section is empty"]


def test_stray_line_in_highlights_is_reported_with_its_line():
    data = fixture("matter.md") + b"Some text Matter never writes\n"
    (note,) = read_notes("matter.md", data, as_name=NAME)
    assert len(note.highlights) == 4
    assert note.read_reasons == ["read: matter: line 15 is not a highlight; kept in the capture only"]


def test_detects_by_structure_not_name():
    assert matter.detect(document("matter.md"))
    for name in MINE:
        assert claims("matter", name), name
    for name in other_fixtures(*MINE):
        assert not matter.detect(document(name)), name


@settings(max_examples=150, deadline=None)
@given(data=mutated_bytes(fixture("matter.md")))
def test_mutations_raise_only_capture_error(data):
    reads_or_explains("matter.md", data)


@pytest.mark.nlp
def test_end_to_end(tmp_path, nlp):
    report, notes = run_pipeline(tmp_path, nlp, "matter.md", NAME)
    assert report.failed == []
    ((title, props),) = notes
    assert title == "The Hidden Cost of fsync: Durability vs. Throughput"
    assert props["source_tool"] == "matter" and str(props["published_date"]) == "2023-11-02"
    assert chrome_in(props, title) == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_customised_templates_still_read(data):
    """Sections reordered or dropped, heading levels, bullets, the reader's keys, no H1: still
    recognised, title, URL and author found, nothing quarantined (failed on the old registry)."""
    template_variants_still_read(data, "matter")
