"""Readwise's official Obsidian export: fields, re-sync sections, broken files, detection, end to end."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.errors import CaptureError
from triage.note import Highlight
from triage.sources import readwise

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

MINE = [n for n in fixtures() if n.startswith("readwise-")]


def test_kindle_book_with_resync_sections():
    n = read_one("readwise-book.md")
    assert n.source_tool == "readwise"
    assert n.title == "The Quiet Machine: How Small Systems Outlast Big Plans"  # Full Title, not the H1
    assert n.author == "Ingrid Halvorsen"  # "Halvorsen, Ingrid" in reading order, as Kindle readers give it
    assert n.url is None
    assert (n.format, n.platform) == ("book", "kindle")
    assert n.published_date is None
    assert n.captured_date == dt.datetime.fromtimestamp(OLD).date()  # no export date in the file
    assert n.read_reasons == []
    # every section's highlights: the first export and both re-syncs
    assert [h.location for h in n.highlights] == [
        "location 412",
        "location 988",
        "location 1530",
        "location 2104",
        "location 2877",
    ]
    first = n.highlights[0]
    assert first == Highlight(
        "A plan that needs every part to work on the first day is not a plan, it is a wager.",
        "Compare with the rollout of the billing service last spring.",
        ["planning", "systems"],
        "location 412",
    )
    assert n.highlights[1].text.endswith("is a cheap experiment with a readable result.")  # continuation line
    assert n.highlights[3].note == "Good example for the architecture review."
    assert "rw-book-cover" not in n.body and "## New highlights added April 2, 2024" in n.body
    assert n.content.split("\n\n")[0] == first.text


def test_article_with_summary_tags_and_image_continuation():
    n = read_one("readwise-article.md")
    assert n.title == "Why Small Batches Beat Big Releases: Notes From Ten Years of Deploys"
    assert n.url == "https://fieldnotes-example.org/essays/small-batches"
    assert n.author == "Tomasz Wielgosz"
    assert (n.format, n.platform) == ("article", "web")
    assert n.given["tags"] == ["devops", "delivery"]
    assert n.published_date is None
    texts = [h.text for h in n.highlights]
    assert texts[1] == (
        "Our median change size fell from 900 lines to 60 lines in two years, "
        "and the rate of failed releases fell with it."
    )
    assert n.highlights[1].tags == ["metrics"] and n.highlights[1].location == ""
    assert n.highlights[0].note.startswith("This is the core claim")
    # the Summary is Readwise's, not the author's: never content (so never an insight)
    assert "Summary" not in n.content and "decade of release data" not in n.content
    assert "View Highlight" not in n.content and "read.readwise.io" not in n.content
    assert "decade of release data" in n.body  # kept with the capture


def test_tweets_title_author_and_platform():
    n = read_one("readwise-tweets.md")
    # the Full Title is the first tweet cut with "...": the first highlight's whole first sentence
    assert n.title == "Most teams evaluating LLM agents measure the wrong thing"
    assert (n.author, n.creator) == ("@priya_evals", "priya_evals")
    assert n.url == "https://x.com/priya_evals/status/1765432109876543210"  # one spelling across tools
    assert (n.platform, n.format) == ("x", "thread")
    assert len(n.highlights) == 3 and n.highlights[1].tags == ["evals"]
    assert all("View Tweet" not in h.text and "twitter.com" not in h.text for h in n.highlights)


def test_podcast_category():
    n = read_one("readwise-podcast.md")
    assert n.title == "Ep. 212: Grid Storage After the Battery Boom"
    assert (n.platform, n.format) == ("podcast", "podcast")
    assert n.author == "Grid Talk" and n.url == "https://gridtalk-example.fm/episodes/212"
    assert len(n.highlights) == 2


def test_cut_off_file_is_read_as_far_as_it_goes():
    n = read_one("readwise-cutoff.md")
    assert n.title == "Patterns of Resilient Teams" and n.author == "Ada Okonkwo"
    assert n.format == "book" and n.platform == "unknown"  # page numbers, no Kindle locations
    assert [h.location for h in n.highlights] == ["page 12", "page 47"]
    assert n.highlights[1].note == "Trust comes before process."
    assert n.read_reasons == [
        "read: readwise: highlight list cut off: the highlight at line 12 is incomplete "
        "and left out of the highlights"
    ]
    assert "a team with no spare hours" in n.body  # nothing is lost


def test_empty_highlights_section():
    n = read_one("readwise-empty.md")
    assert n.title == "Notes on Estimation: Why Every Schedule Slips"
    assert n.highlights == []
    assert n.read_reasons == ["read: readwise: the `## Highlights` section (line 9) is empty"]
    assert n.content == "# Notes on Estimation: Why Every Schedule Slips\n"  # never the metadata list


def test_cut_off_in_the_metadata():
    text = fixture("readwise-article.md").decode().split("- Summary:")[0]
    n = read_one("readwise-article.md", data=text.encode())
    assert n.title.startswith("Why Small Batches") and n.url is None and n.highlights == []
    assert n.read_reasons[0].startswith("read: readwise: no highlights section (file cut off after line")


def test_cut_off_right_after_a_backlink_is_complete():
    text = fixture("readwise-book.md").decode().rstrip("\n")
    n = read_one("readwise-book.md", data=text.encode())
    assert len(n.highlights) == 5 and n.read_reasons == []


@pytest.mark.parametrize("name", MINE)
def test_detects_its_own_fixtures(name):
    assert claims("readwise", name)


@pytest.mark.parametrize("name", [n for n in fixtures() if n not in MINE])
def test_rejects_other_tools_fixtures(name):
    assert not claims("readwise", name)


@pytest.mark.parametrize("text", [PLAIN, OWN_SCHEMA, "## Metadata\n- Author: me\n- Title: a note\n"])
def test_rejects_plain_markdown(text):
    assert not claims("readwise", "note.md", text.encode())
    assert read_one("note.md", data=text.encode()).source_tool is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(fixture("readwise-book.md").decode()) | mutated(fixture("readwise-article.md").decode()))
def test_mutations_raise_only_capture_error(text):
    with contextlib.suppress(CaptureError):
        notes = read("readwise-x.md", data=text.encode())
        assert notes


def test_read_without_metadata_reads_what_is_there():
    """A template without a Metadata list is read as far as it goes (it used to be refused)."""
    from .capture_helpers import document

    [item] = readwise.read(document("x.md", b"# Title\n\n## Highlights\n- text\n"))
    assert item.meta["title"] == "Title" and [h.text for h in item.highlights] == ["text"]


@pytest.mark.nlp
@pytest.mark.parametrize("name", ["readwise-book.md", "readwise-tweets.md"])
def test_end_to_end(ws, nlp, name):
    props, text, report = triage_one(ws, nlp, name)
    assert report.failed == []
    assert props["source_tool"] == "readwise"
    assert chrome_in(props, note_title(text)) == []
    assert props["key_insights"]


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Kahneman, Daniel", "Daniel Kahneman"),
        ("Le Guin, Ursula K.", "Ursula K. Le Guin"),
        ("Daniel Kahneman", "Daniel Kahneman"),
        ("Kahneman, Daniel, Tversky, Amos", "Kahneman, Daniel, Tversky, Amos"),  # unclear: left alone
        ("Acme, Inc.", "Acme, Inc."),
        ("Smith, Jr.", "Smith, Jr."),
    ],
)
def test_person_name_in_reading_order(name, expected):
    from triage.sources.common import person_name

    assert person_name(name) == expected


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_customised_templates_still_read(data):
    """Sections reordered or dropped, heading levels, bullets, the reader's keys, no H1: still
    recognised, title, URL and author found, nothing quarantined (failed on the old registry)."""
    template_variants_still_read(data, "readwise")


@pytest.mark.parametrize(
    "name",
    [
        "readwise-metadata-h3.md",
        "readwise-2022.md",
        "readwise-blocks.md",
        "readwise-dataview.md",
        "readwise-unfenced.md",
    ],
)
def test_customised_and_older_layouts(name):
    """Each variant goes to Readwise with its full title, URL, author and every highlight; a web
    article is an article (the unbulleted `Author:` / `URL:` lines once made it a 'transcript')."""
    n = read_one(name)
    assert n.source_tool == "readwise"
    assert n.url and n.url.startswith("https://") and n.author and " " in n.author
    assert n.format == "article" and len(n.highlights) == 3
    assert all("View Highlight" not in h.text and "](" not in h.text for h in n.highlights)
    assert "Metadata" not in n.title and not n.title.startswith("title:")


def test_highlight_blocks_keep_their_notes_and_tags():
    n = read_one("readwise-blocks.md")
    assert n.highlights[0].text.startswith("The oldest code in a company")
    assert n.highlights[0].note == "True of our billing module."
    assert n.highlights[2].tags == ["process"]
    assert n.extra["deliveredBy"] == "readwise"
