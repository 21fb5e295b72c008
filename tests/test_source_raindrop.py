"""Raindrop.io highlights notes (triage/sources/raindrop.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.note import Highlight
from triage.sources import raindrop

from .capture_helpers import (
    chrome_in,
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

MINE = tuple(n for n in fixtures() if n.startswith("raindrop"))


def test_every_field():
    (note,) = read_notes("raindrop.md")
    assert note.source_tool == "raindrop"
    assert note.title == 'The Slow Web: Why "Fast" Stopped Meaning Better'  # not "Metadata"
    assert note.url == "https://www.harborline.example/essays/the-slow-web"
    assert note.author is None
    assert note.creator is None
    assert note.captured_date == dt.date(2024, 3, 7)  # the newest "Updated on"
    assert note.published_date is None  # "Updated on" is never a publication date
    assert note.platform == "web"
    assert note.format == "article"
    assert note.given["tags"] == ["web-performance", "attention"]
    assert note.extra == {"raindrop_id": 771234567}  # the raindrop_highlights map is not copied
    assert note.read_reasons == []


def test_highlights_decoded_rejoined_and_with_notes():
    (note,) = read_notes("raindrop.md")
    assert note.highlights == [
        Highlight(
            "A page that loads instantly but hides its point is slower than a page that takes a "
            "second and says it plainly."
        ),
        Highlight(
            'Marguerite Dubois called it "the tyranny of the spinner", and the name stuck at Lumen '
            "Labs. Nobody there argued & nobody had to: the support tickets did the arguing.",
            "Good opening for the performance talk.",
        ),
        Highlight(
            "We measured what was easy to measure, and then we optimised what we had measured; "
            "that's the whole story of the last decade."
        ),
        Highlight("Speed > features, until the features are the reason anyone came."),
    ]
    chrome_words = ("Updated on", "[!", "&quot;", "&gt;", "&amp;", "&#39;", "Metadata", "Source URL", "Topic")
    for chrome in chrome_words:
        assert chrome not in note.content
    assert "Pages that load in 200 ms" not in note.content  # the excerpt is the page's description
    assert "Good opening" not in note.content  # the reader's note


def test_body_keeps_the_text_readable():
    (note,) = read_notes("raindrop.md")
    assert "&quot;" not in note.body and "\n&gt;" not in note.body
    assert "> Nobody there argued & nobody had to" in note.body
    assert "Source URL::" not in note.body  # the metadata block is shown as the Source line


def test_empty_highlights_section_uses_the_excerpt_with_a_reason():
    (note,) = read_notes("raindrop-empty.md")
    assert note.title == "Cache Invalidation Is a People Problem"
    assert note.url == "https://www.harborline.example/notes/cache-invalidation"
    assert note.highlights == []
    assert note.read_reasons == ["read: raindrop: the Highlights section is empty"]
    assert note.content == "Why the hardest part of caching is agreeing who owns the stale data.\n"
    assert note.captured_date == dt.date.fromtimestamp(1_700_000_000)  # no date in the file


def test_default_template_list_with_comments():
    text = (
        "---\nraindrop_id: 5\nlink: https://a.example/x\n---\n# Metadata\nSource URL:: https://a.example/x\n\n"
        "---\n# A Title\n\n## Highlights\n- First &amp; foremost.\nComment: mine\n- Second line.\n"
    )
    (note,) = read_notes("raindrop.md", text.encode())
    assert note.highlights == [Highlight("First & foremost.", "mine"), Highlight("Second line.")]


def test_without_frontmatter_detected_by_its_body():
    body = fixture("raindrop.md").decode().split("---\n", 2)[2]
    (note,) = read_notes("raindrop.md", body.encode())
    assert note.source_tool == "raindrop"
    assert note.url == "https://www.harborline.example/essays/the-slow-web"
    assert note.given["tags"] == ["web-performance", "attention"]  # from Topics::


def test_detects_by_structure_not_name():
    for name in MINE:
        assert raindrop.detect(document(name))
    for name in other_fixtures(*MINE):
        assert not raindrop.detect(document(name)), name


@settings(max_examples=150, deadline=None)
@given(data=mutated_bytes(fixture("raindrop.md")))
def test_mutations_raise_only_capture_error(data):
    reads_or_explains("raindrop.md", data)


@pytest.mark.nlp
def test_end_to_end(tmp_path, nlp):
    report, notes = run_pipeline(tmp_path, nlp, "raindrop.md", "The Slow Web.md")
    assert report.failed == []
    ((title, props),) = notes
    assert title == 'The Slow Web: Why "Fast" Stopped Meaning Better'
    assert props["source_tool"] == "raindrop" and props["raindrop_id"] == 771234567
    assert "raindrop_highlights" not in props
    assert chrome_in(props, title) == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_customised_templates_still_read(data):
    """Sections reordered or dropped, heading levels, bullets, the reader's keys, no H1: still
    recognised, title, URL and author found, nothing quarantined (failed on the old registry)."""
    template_variants_still_read(data, "raindrop")
