"""MarkDownload: the template's lenient `created`, `By` bylines, `title | site`, and the default
layout (no frontmatter, no title: the file name is the title)."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.errors import CaptureError
from triage.sources.markdownload import unescape

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

MINE = [n for n in fixtures() if n.startswith("markdownload-")]
NAMED = Path("/inbox/The Hidden Cost of fsync Durability vs. Throughput.md")


def test_template_clip():
    n = read_one("markdownload-template.md")
    assert n.source_tool == "markdownload"
    assert n.title == "The Hidden Cost of fsync: Durability vs. Throughput"  # without " | Storage Notes"
    assert n.url == "https://storage-example.dev/posts/fsync-durability"
    assert n.author == "Keiko Tanaka"  # not "By Keiko Tanaka"
    assert n.captured_date == dt.date(2024, 3, 6)  # "2024-03-06T10:22:31 (UTC +01:00)", read leniently
    assert n.published_date is None
    assert (n.platform, n.format) == ("web", "article")
    assert n.given["tags"] == ["databases", "storage", "performance"]
    assert n.extra["created"] == "2024-03-06T10:22:31 (UTC +01:00)"  # the tool's key, as written
    assert n.highlights == [] and n.read_reasons == []
    assert "Excerpt" not in n.content and "Few explain what it costs" not in n.content
    assert "Storage Notes" not in n.content
    assert n.content.startswith("Every write that a database acknowledges")
    assert "written as synchronous_commit in docs" in n.content and "*at all*" in n.content  # escapes undone
    assert "`pg_test_fsync`" in n.content


def test_unreadable_created_is_kept_as_written():
    text = (
        fixture("markdownload-template.md")
        .decode()
        .replace("created: 2024-03-06T10:22:31 (UTC +01:00)", "created: Mittwoch früh (UTC +01:00)")
    )
    n = read_one("markdownload-template.md", data=text.encode(), mtime=OLD)
    assert n.source_tool == "markdownload"  # still recognised (by its Excerpt), never quarantined
    assert n.captured_date == dt.datetime.fromtimestamp(OLD).date()
    assert n.extra["created"] == "Mittwoch früh (UTC +01:00)"
    assert n.read_reasons == ["read: captured_date 'Mittwoch früh (UTC +01:00)' could not be read; left out"]


def test_empty_author_and_a_site_that_names_a_platform():
    text = (
        fixture("markdownload-template.md")
        .decode()
        .replace("author: By Keiko Tanaka", "author:")
        .replace("| Storage Notes", "| Substack")
    )
    n = read_one("markdownload-template.md", data=text.encode())
    assert n.author is None
    assert (n.platform, n.format) == ("substack", "newsletter")


def test_default_clip_takes_its_title_from_the_file_name():
    n = read_one("markdownload-default.md", path=NAMED)
    assert n.source_tool == "markdownload"
    assert n.title == "The Hidden Cost of fsync Durability vs. Throughput"
    assert n.url is None and n.author is None and n.published_date is None
    assert n.captured_date == dt.datetime.fromtimestamp(OLD).date()
    assert n.platform == "unknown" and n.given == {} and n.extra == {}
    assert "synchronous_commit lets you choose" in n.content and "*is*" in n.content
    assert "\\_" in n.body  # the capture is kept as it came


def test_an_unrecognised_default_clip_still_takes_its_title_from_the_file_name():
    text = "Every write must survive a power cut. On Linux that means fsync.\n\n## Where the time goes\n"
    n = read_one("x.md", data=text.encode(), path=NAMED)
    assert n.source_tool is None  # too few fingerprints: the generic reader
    assert n.title == "The Hidden Cost of fsync Durability vs. Throughput"  # not "Where the time goes"


def test_unescape_leaves_code_alone():
    assert unescape("a\\_b \\*c\\* `x\\_y`\n```\nz\\_w\n```\n\\# not a heading") == (
        "a_b *c* `x\\_y`\n```\nz\\_w\n```\n# not a heading"
    )


@pytest.mark.parametrize("name", MINE)
def test_detects_its_own_fixtures(name):
    assert claims("markdownload", name)


@pytest.mark.parametrize("name", [n for n in fixtures() if n not in MINE])
def test_rejects_other_tools_fixtures(name):
    assert not claims("markdownload", name)


@pytest.mark.parametrize(
    "text",
    [
        PLAIN,
        OWN_SCHEMA,
        "# A note\n\n-   three spaces\n\nsnake\\_case\n",  # a title line: not MarkDownload's default
        "Just prose with one\\_escape and nothing else.\n",  # one fingerprint is not enough
    ],
)
def test_rejects_plain_markdown(text):
    assert not claims("markdownload", "note.md", text.encode())
    assert read_one("note.md", data=text.encode()).source_tool is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    mutated(fixture("markdownload-template.md").decode())
    | mutated(fixture("markdownload-default.md").decode())
)
def test_mutations_raise_only_capture_error(text):
    with contextlib.suppress(CaptureError):
        assert read("markdownload-x.md", data=text.encode())


@pytest.mark.nlp
@pytest.mark.parametrize("name", ["markdownload-template.md", "markdownload-default.md"])
def test_end_to_end(ws, nlp, name):
    props, text, report = triage_one(ws, nlp, name)
    assert report.failed == []  # the non-ISO `created` does not quarantine it
    assert props["source_tool"] == "markdownload"
    assert chrome_in(props, note_title(text)) == []
    assert "\\_" not in " ".join(props["key_insights"])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_customised_templates_still_read(data):
    """Sections reordered or dropped, heading levels, bullets, the reader's keys, no H1: still
    recognised, title, URL and author found, nothing quarantined (failed on the old registry)."""
    template_variants_still_read(data, "markdownload")
