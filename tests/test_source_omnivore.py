"""Omnivore's Obsidian plugin (default template): its id is its own, highlights, labels, notes."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

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

MINE = [n for n in fixtures() if n.startswith("omnivore-")]


def test_article_with_highlights_labels_and_notes():
    n = read_one("omnivore-article.md")
    assert n.source_tool == "omnivore"
    assert n.id is None  # Omnivore's id is not ours: no quarantine, a new triage id later
    assert n.extra == {"omnivore_id": "4b7e2a10-9c3d-4f5e-8a61-2d0c7b9e1f34"}
    assert n.title == "The Slow Death of the Status Meeting"
    assert n.url == "https://worklife-example.com/essays/status-meetings"  # Read Original, not Omnivore's
    assert n.author is None and n.published_date is None
    assert n.captured_date == dt.datetime.fromtimestamp(OLD).date()  # not in a dated folder: the file's time
    assert (n.platform, n.format) == ("web", "article")
    assert n.highlights == [
        Highlight(
            "Status meetings exist because nobody trusts the written record.",
            "This matches what happened on the data team last year.",
            ["management"],
        ),
        Highlight(
            "Teams at Basecamp replaced the weekly sync with a written check-in, "
            "and nobody asked for the meeting back."
        ),
        Highlight("Write it down once & let people read it when they can.", "", ["writing", "habits"]),
    ]
    assert "Omnivore" not in n.content and "⤴" not in n.content and "^7a1c9e02" not in n.content
    assert "data team" not in n.content  # the reader's note is not the author's text
    assert n.read_reasons == []


def test_save_date_from_the_omnivore_folder():
    n = read_one("omnivore-article.md", path=Path("/inbox/Omnivore/2024-03-07/The Slow Death.md"))
    assert n.captured_date == dt.date(2024, 3, 7)


def test_no_highlights_is_not_broken():
    n = read_one("omnivore-no-highlights.md")
    assert n.title == "A Field Guide to Slow Databases"
    assert n.url == "https://dbnotes-example.io/field-guide-slow-databases"
    assert n.highlights == [] and n.read_reasons == []
    assert n.content == "# A Field Guide to Slow Databases\n"


def test_empty_highlights_section_and_cut_off_list():
    text = fixture("omnivore-no-highlights.md").decode() + "## Highlights\n\n"
    n = read_one("omnivore-no-highlights.md", data=text.encode())
    assert n.read_reasons == ["read: omnivore: the `## Highlights` section is empty"]
    cut = (
        fixture("omnivore-article.md")
        .decode()
        .split("[⤴️](https://omnivore.app/me/the-slow-death-of-the-status-meeting-18e1c2a4f5b#c2d8")[0]
    )
    n = read_one("omnivore-article.md", data=cut.encode())
    assert len(n.highlights) == 2
    assert n.read_reasons == [
        "read: omnivore: highlight list cut off: the highlight at line 19 is incomplete "
        "and left out of the highlights"
    ]


def test_customised_frontmatter_is_read():
    text = (
        fixture("omnivore-article.md")
        .decode()
        .replace("---\n#", "---\n#", 1)
        .replace(
            "id: 4b7e2a10-9c3d-4f5e-8a61-2d0c7b9e1f34\n",
            "id: 4b7e2a10-9c3d-4f5e-8a61-2d0c7b9e1f34\nauthor: Hana Sato\ndate_saved: 2024-03-07T10:00:00Z\n"
            "date_published: 2024-02-28\nsiteName: Worklife\n",
        )
    )
    n = read_one("omnivore-article.md", data=text.encode())
    assert (n.author, n.captured_date, n.published_date) == (
        "Hana Sato",
        dt.date(2024, 3, 7),
        dt.date(2024, 2, 28),
    )
    assert n.extra["siteName"] == "Worklife" and "date_saved" in n.extra  # the tool's keys stay


@pytest.mark.parametrize("name", MINE)
def test_detects_its_own_fixtures(name):
    assert claims("omnivore", name)


@pytest.mark.parametrize("name", [n for n in fixtures() if n not in MINE])
def test_rejects_other_tools_fixtures(name):
    assert not claims("omnivore", name)


@pytest.mark.parametrize(
    "text", [PLAIN, OWN_SCHEMA, "# Omnivore\n\nI used to read everything in Omnivore.\n"]
)
def test_rejects_plain_markdown(text):
    assert not claims("omnivore", "note.md", text.encode())
    assert read_one("note.md", data=text.encode()).source_tool is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(fixture("omnivore-article.md").decode()))
def test_mutations_raise_only_capture_error(text):
    with contextlib.suppress(CaptureError):
        assert read("omnivore-x.md", data=text.encode())


@pytest.mark.nlp
def test_end_to_end(ws, nlp):
    props, text, report = triage_one(ws, nlp, "omnivore-article.md")
    assert report.failed == []  # not quarantined for its `id`
    assert props["source_tool"] == "omnivore" and props["id"].startswith("SOURCE-")
    assert props["omnivore_id"] == "4b7e2a10-9c3d-4f5e-8a61-2d0c7b9e1f34"
    assert chrome_in(props, note_title(text)) == []
    assert props["key_insights"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_customised_templates_still_read(data):
    """Sections reordered or dropped, heading levels, bullets, the reader's keys, no H1: still
    recognised, title, URL and author found, nothing quarantined (failed on the old registry)."""
    template_variants_still_read(data, "omnivore")


def test_custom_template_keeps_omnivore_id_and_reads_frontmatter():
    (n,) = read("omnivore-custom.md")
    assert n.source_tool == "omnivore" and n.extra["omnivore_id"] == "4be0c2a9-8f1d-4e37-b5a6-2c9d7e1f0a83"
    assert (n.author, str(n.published_date), str(n.captured_date)) == (
        "Priyanka Lindqvist",
        "2024-04-02",
        "2024-04-11",
    )
    assert [h.tags for h in n.highlights] == [[], ["oncall"], []]


def test_full_content_file_gives_the_article_to_the_nlp():
    """No highlights, the article exported: content is the article (it used to be the title only)."""
    (n,) = read("omnivore-content.md")
    assert n.highlights == [] and n.content.startswith("Hospitals run two different institutions")
    assert "Read on Omnivore" not in n.content and "#Omnivore" not in n.content
    assert len(n.content.split()) > 200


@pytest.mark.nlp
def test_full_content_file_gets_key_insights(ws, nlp):
    props, _text, report = triage_one(ws, nlp, "omnivore-content.md")
    assert report.failed == [] and props["source_tool"] == "omnivore"
    assert len(props["key_insights"]) >= 2
