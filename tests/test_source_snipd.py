"""Snipd podcast exports (triage/sources/snipd.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.note import Highlight
from triage.sources import snipd

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

MINE = tuple(n for n in fixtures() if n.startswith("snipd"))
QUOTE = (
    "A benchmark is a photograph of a question. The longer you stare at it, the less it looks "
    "like the question people are actually asking."
)


def test_every_field():
    (note,) = read_notes("snipd.md")
    assert note.source_tool == "snipd"
    assert note.title == "Why Evals Drift: Benchmarks, Incentives and Stale Metrics"
    assert note.author == "Lena Okafor"  # the show's author; the guest is a person in the text
    assert note.creator == "lena_okafor"
    assert note.url == "https://share.snipd.com/episode/3f2c9a1e-7b4d-4e8a-9c1f-2a6b8d0e4f13"
    assert note.published_date == dt.date(2024, 2, 20)
    assert note.captured_date == dt.date(2024, 3, 5)  # the export date
    assert note.platform == "podcast"
    assert note.format == "podcast"
    assert note.extra == {
        "show_title": "The Quiet Systems Podcast",
        "guests": ["Priya Raman"],
        "mentioned_books": ["The Cartographer's Ledger"],
        "episode_duration_minutes": 58,
        "show_url": "https://share.snipd.com/show/8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        "snips_count": 2,
    }
    assert note.read_reasons == []


def test_quotes_are_the_highlights():
    (note,) = read_notes("snipd.md")
    assert note.highlights == [Highlight(QUOTE, "", ["evals", "benchmarks"], "12:31")]


def test_content_is_only_what_was_said():
    (note,) = read_notes("snipd.md")
    assert note.content.startswith("A benchmark is a photograph of a question.")
    assert "Nobody gets promoted for retiring a metric." in note.content
    assert note.content.count("A benchmark is a photograph") == 1  # the quote is in the transcript
    assert "— Priya Raman, Lena Okafor" in note.content
    for chrome in (
        "AI description",
        "insightful episode",  # the AI description
        "Benchmarks lose their value",  # an AI summary bullet
        "Benchmarks Age Like Milk",  # an AI snip title
        "🎧",
        "Cover image",
        "Created with",
        "share.snipd.com",
        "<details>",
        "Lena Okafor: ",  # speaker labels are cut from the words
    ):
        assert chrome not in note.content


def test_cut_off_export_is_read_as_far_as_it_goes():
    (note,) = read_notes("snipd-cutoff.md")
    assert note.highlights == [Highlight(QUOTE, "", ["evals", "benchmarks"], "12:31")]
    assert note.read_reasons == ["read: snipd: the file ends before 'Created with Snipd' (cut off?)"]
    assert "Nobody gets promoted" not in note.content


def test_fewer_snips_than_announced_is_said():
    data = fixture("snipd.md").replace(b"snips_count: 2", b"snips_count: 5")
    (note,) = read_notes("snipd.md", data)
    assert note.read_reasons == ["read: snipd: 2 of 5 snips found (the file may be cut off)"]


def test_empty_snips_section():
    text = fixture("snipd.md").decode()
    data = text[: text.index("## Snips")] + "## Snips\n\nCreated with [Snipd](https://www.snipd.com)\n"
    (note,) = read_notes("snipd.md", data.encode())
    assert note.highlights == []
    assert note.read_reasons == [
        "read: snipd: the Snips section is empty",
        "read: snipd: 0 of 2 snips found (the file may be cut off)",
    ]
    assert "AI description" not in note.content and "insightful" not in note.content


def test_detects_by_structure_not_name():
    for name in MINE:
        assert claims("snipd", name), name
    assert snipd.detect(document("snipd.md"))
    for name in other_fixtures(*MINE):
        assert not snipd.detect(document(name)), name
        assert not claims("snipd", name), name


@settings(max_examples=150, deadline=None)
@given(data=mutated_bytes(fixture("snipd.md")))
def test_mutations_raise_only_capture_error(data):
    reads_or_explains("snipd.md", data)


@pytest.mark.nlp
def test_end_to_end(tmp_path, nlp):
    report, notes = run_pipeline(tmp_path, nlp, "snipd.md", "Why Evals Drift.md")
    assert report.failed == []
    ((title, props),) = notes
    assert props["platform"] == "podcast" and props["format"] == "podcast"
    assert "[[Priya Raman]]" in props["entities"]
    assert chrome_in(props, title) == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_customised_templates_still_read(data):
    """Sections reordered or dropped, heading levels, bullets, the reader's keys, no H1: still
    recognised, title, URL and author found, nothing quarantined (failed on the old registry)."""
    template_variants_still_read(data, "snipd")


def test_older_template_with_glued_speaker_labels():
    (n,) = read_notes("snipd-old.md")
    assert (n.title, n.author) == ("Seeds, Vaults and the Long Memory of Farms", "Bram Oyelowo")
    assert n.url == "https://share.snipd.com/episode/5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a"
    assert (str(n.published_date), str(n.captured_date)) == ("2023-05-14", "2023-06-01")
    assert n.content.startswith("Richard was the first to say it out loud")
    assert "Speaker 1Richard" not in n.content and "Speaker 2And" not in n.content
    assert "— Speaker 1, Speaker 2" in n.content
    assert "guest explains" not in n.content  # the summary bullets are Snipd's
