"""Obsidian Web Clipper (default template): pages, X posts and threads, Thread Reader App clips."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.errors import CaptureError

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

MINE = [n for n in fixtures() if n.startswith("webclipper-")]


def test_page_clip():
    n = read_one("webclipper-article.md")
    assert n.source_tool == "webclipper"
    assert n.title == "How Cities Learned to Love the Heat Pump"
    assert n.url == "https://www.citylab-example.com/energy/heat-pumps-cold-winters"
    assert n.author == "Lucía Fernández, Jonas Berg"
    assert n.captured_date == dt.date(2024, 3, 5)
    assert n.published_date is None  # `published:` left empty by the clipper
    assert (n.platform, n.format) == ("web", "article")
    assert n.given["tags"] == ["clippings"]
    assert [h.text for h in n.highlights] == [
        "Cities that trained their own installers cut the waiting time for a heat pump from nine months "
        "to six weeks.",
        "the payback period depends more on the electricity tariff than on the weather.",
    ]
    assert "==" not in n.content.replace("==not a highlight==", "")  # marks gone, code left alone
    assert "==not a highlight==" in n.content
    assert "Cities that trained their own installers" in n.content
    assert "replaced gas boilers" not in n.content  # the description is not the author's text
    assert n.extra["description"].startswith("A look at how three northern cities")
    assert n.extra["source"] == n.url and n.extra["created"] == dt.date(2024, 3, 5)  # the clipper's keys stay
    assert n.read_reasons == []


def test_x_thread():
    n = read_one("webclipper-x-thread.md")
    assert n.title == "Inference now costs most teams more than training did"  # not "Post by @... on X"
    assert "title" not in n.extra
    assert n.url == "https://x.com/lena_okafor/status/1766001234567890123"
    assert (n.author, n.creator) == ("@lena_okafor", "lena_okafor")
    assert (n.platform, n.format) == ("x", "thread")
    assert n.published_date == dt.date(2024, 3, 8)
    assert n.captured_date == dt.date(2024, 3, 9)
    assert [h.text for h in n.highlights] == [
        "A small router that picks the cheapest model able to answer cut our spend by 38 percent."
    ]
    # other people's replies are not the author's text
    assert "Comments" not in n.content and "Quantum Dynamics" not in n.content and "Oracle" not in n.content
    assert "Quantum Dynamics" in n.body
    assert n.content.rstrip().endswith("repeated millions of times a day.")


def test_x_post():
    n = read_one("webclipper-x-post.md")
    assert n.title == "The best code review comment I ever got was a question, not a correction"
    assert n.url == "https://x.com/mirela_codes/status/1767112233445566778"  # twitter.com -> x.com
    assert (n.author, n.creator, n.platform, n.format) == ("@mirela_codes", "mirela_codes", "x", "post")
    assert n.published_date == dt.date(2024, 3, 12) and n.highlights == []
    assert "Stripe" not in n.content


def test_thread_reader_clip():
    n = read_one("webclipper-threadreader.md")
    assert n.title == "I spent a month moving our CI from a single big runner to many small ones"
    assert n.url == "https://x.com/marcus_dev/status/1767554433221100998"
    assert (n.author, n.creator) == ("@marcus_dev", "marcus_dev")
    assert (n.platform, n.format) == ("x", "thread")
    assert n.captured_date == dt.date(2024, 3, 11) and n.published_date is None
    assert [h.text for h in n.highlights] == [
        "The slowest test file now decides the build time, not the compiler."
    ]
    for clutter in (
        "Enter URL",
        "views",
        "1/",
        "3/",
        "• • •",
        "Missing some Tweet",
        "Keep Current",
        "More from",
    ):
        assert clutter not in n.content, clutter
    assert n.content.startswith("I spent a month")
    assert n.content.rstrip().endswith("before you buy more machines.")


def test_thread_reader_keeps_a_named_author():
    text = (
        fixture("webclipper-threadreader.md").decode().replace("author:\n", 'author:\n  - "[[Marcus Dev]]"\n')
    )
    n = read_one("webclipper-threadreader.md", data=text.encode())
    assert (n.author, n.creator) == ("Marcus Dev", "marcus_dev")


@pytest.mark.parametrize("name", MINE)
def test_detects_its_own_fixtures(name):
    assert claims("webclipper", name)


@pytest.mark.parametrize("name", [n for n in fixtures() if n not in MINE])
def test_rejects_other_tools_fixtures(name):
    assert not claims("webclipper", name)


@pytest.mark.parametrize(
    "text",
    [
        PLAIN,
        OWN_SCHEMA,  # triage's own schema: strictly validated by the generic reader
        "---\nsource: https://example.com/a\ncreated: 2024-03-05\n---\nsource and created are not enough\n",
    ],
)
def test_rejects_plain_markdown(text):
    assert not claims("webclipper", "note.md", text.encode())
    assert read_one("note.md", data=text.encode()).source_tool is None


def test_own_schema_stays_strict():
    # triage's own schema is a SOURCE- id and triage's keys only (issue 20): anything else is lenient
    bad = "---\nid: SOURCE-20260310-001\ntitle: Hand-written\ncaptured_date: someday\n---\nTyped by hand.\n"
    with pytest.raises(CaptureError, match="captured_date"):
        read("note.md", data=bad.encode())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    mutated(fixture("webclipper-x-thread.md").decode())
    | mutated(fixture("webclipper-threadreader.md").decode())
)
def test_mutations_raise_only_capture_error(text):
    with contextlib.suppress(CaptureError):
        assert read("webclipper-x.md", data=text.encode())


@pytest.mark.nlp
@pytest.mark.parametrize(
    "name", ["webclipper-x-thread.md", "webclipper-threadreader.md", "webclipper-article.md"]
)
def test_end_to_end(ws, nlp, name):
    props, text, report = triage_one(ws, nlp, name)
    assert report.failed == []
    assert props["source_tool"] == "webclipper"
    assert chrome_in(props, note_title(text)) == []
    assert not [
        e for e in props["entities"] if any(w in e for w in ("Quantum", "Oracle", "Stripe", "Sam Ortiz"))
    ]
    assert "Post by" not in note_title(text) and "Thread by" not in note_title(text)
    assert "&id0" not in text  # the clipper's `created` and our captured_date: two plain values


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_customised_templates_still_read(data):
    """Sections reordered or dropped, heading levels, bullets, the reader's keys, no H1: still
    recognised, title, URL and author found, nothing quarantined (failed on the old registry)."""
    template_variants_still_read(data, "webclipper")


def test_replies_after_rules_without_a_comments_heading_are_not_the_authors_text():
    n = read_one("webclipper-x-replies.md")
    assert n.format == "thread" and n.author == "@arjun_rao"
    assert "Three: the software" in n.content
    assert "Karen" not in n.content and "Duke Energy" not in n.content and "Ercot" not in n.content
    assert "Duke Energy" in n.body  # kept in the capture


def test_the_readers_own_status_does_not_quarantine_a_clipping():
    n = read_one("webclipper-reader-keys.md")
    assert n.source_tool == "webclipper" and n.author == "Ottilie Marsh"


@pytest.mark.nlp
def test_repliers_do_not_become_entities(ws, nlp):
    props, _text, report = triage_one(ws, nlp, "webclipper-x-replies.md")
    assert report.failed == []
    names = " ".join(props.get("entities") or [])
    assert "Karen" not in names and "Duke" not in names and "Ercot" not in names and "Ferreira" not in names


def test_the_authors_own_tweet_that_mentions_someone_stays_the_authors():
    text = (
        fixture("webclipper-x-replies.md")
        .decode()
        .replace("Two: utilities", "@kblythe asked about this. Two: utilities")
    )
    n = read_one("webclipper-x-replies.md", data=text.encode())
    assert "Three: the software" in n.content and "Karen" not in n.content
