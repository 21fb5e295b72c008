import datetime as dt
from pathlib import Path

import pytest

from triage.errors import CaptureError
from triage.note import Note
from triage.sources.infer import infer_metadata, platform_for
from triage.sources.normalize import normalize_given


def note(body: str, given: dict | None = None, name: str = "capture.md", mtime: float = 0.0) -> Note:
    return infer_metadata(Note(source=Path("/inbox") / name, body=body, given=given or {}, mtime=mtime))


@pytest.mark.parametrize(
    "url, platform",
    [
        ("https://x.com/a/status/1", "x"),
        ("https://twitter.com/a/status/1", "x"),
        ("https://www.youtube.com/watch?v=1", "youtube"),
        ("https://youtu.be/1", "youtube"),
        ("https://someone.substack.com/p/post", "substack"),
        ("https://arxiv.org/abs/2401.00001", "arxiv"),
        ("https://github.com/o/r", "github"),
        ("https://old.reddit.com/r/x", "reddit"),
        ("https://news.ycombinator.com/item?id=1", "hackernews"),
        ("https://www.linkedin.com/posts/x", "linkedin"),
        ("https://podcasts.apple.com/us/podcast/x", "podcast"),
        ("https://example.com/a", "web"),
        (None, "unknown"),
    ],
)
def test_platform_table(url, platform):
    assert platform_for(url) == platform


def test_given_values_win_and_unknown_keys_are_kept():
    n = note(
        "# Heading\ntext",
        {
            "title": "Mine",
            "url": "https://x.com/me/status/9",
            "format": "thread",
            "my_rating": 5,
            "captured_date": "2026-01-02",
        },
    )
    assert n.title == "Mine"
    assert n.platform == "x" and n.creator == "me" and n.format == "thread"
    assert n.captured_date == dt.date(2026, 1, 2)
    assert n.extra["my_rating"] == 5


def test_web_clipper_properties_are_understood():
    n = note(
        "text",
        {
            "source": "https://blog.example.com/post",
            "author": ["[[Mara Lindqvist]]"],
            "created": "2026-03-10",
            "tags": ["clippings"],
        },
    )
    assert n.url == "https://blog.example.com/post"
    assert n.author == "Mara Lindqvist"
    assert n.captured_date == dt.date(2026, 3, 10)
    assert n.extra["source"] == "https://blog.example.com/post"  # the clipper's own key stays


def test_inference_from_text_and_file_name():
    n = note(
        "Priya Raman (@priya_evals)\nhttps://x.com/priya_evals/status/1\n\n1/ First post here. More.\n\n"
        "2/ Second post.",
        name="2026-03-05 thread.md",
    )
    assert n.title == "First post here"
    assert n.url == "https://x.com/priya_evals/status/1"
    assert n.author == "Priya Raman (@priya_evals)"
    assert n.creator == "priya_evals"
    assert n.captured_date == dt.date(2026, 3, 5)
    assert n.format == "thread"


def test_date_falls_back_to_mtime():
    n = note("text", mtime=dt.datetime(2025, 5, 6, 12).timestamp())
    assert n.captured_date == dt.date(2025, 5, 6)


def test_transcript_is_recognised():
    body = "\n".join(f"[00:0{i}:00] Host: line {i}" for i in range(5))
    assert note(body).format == "transcript"


def test_citation_links_further_down_are_not_the_source():
    body = "Title\n\n" + "Paragraph.\n\n" * 10 + "https://example.com/cited"
    assert note(body).url is None


def test_status_is_never_downgraded():
    assert note("x", {"status": "reviewed"}).status == "reviewed"
    assert note("x", {"status": "inbox"}).status == "triaged"
    assert note("x").status == "triaged"


@pytest.mark.parametrize(
    "given, message",
    [
        ({"captured_date": "someday"}, "captured_date"),
        ({"topics": 5}, "topics"),
        ({"id": "NOTE-1"}, "SOURCE-20260218-001"),
        ({"id": "SOURCE-20261399-001"}, "no real date"),
        ({"url": "not a url"}, "http"),
        ({"status": "done"}, "status"),
        ({"format": "tweetstorm"}, "format"),
        ({"author": {"name": "x"}}, "author"),
    ],
)
def test_wrong_known_values_are_specific_errors(given, message):
    with pytest.raises(CaptureError, match=message):
        normalize_given(given)


def test_several_problems_are_reported_together():
    with pytest.raises(CaptureError) as err:
        normalize_given({"captured_date": "someday", "status": "done"})
    assert "captured_date" in err.value.message and "status" in err.value.message


def test_given_synopsis_is_cleaned_to_whole_sentences():
    known, _ = normalize_given({"synopsis": "A **bold** claim. " + "Long sentence goes on. " * 20})
    assert "**" not in known["synopsis"] and len(known["synopsis"]) <= 300
    assert known["synopsis"].endswith(".")


def test_malformed_address_is_refused_not_a_crash():
    assert platform_for("https://[oops/a") == "web"
    with pytest.raises(CaptureError, match="not a valid address"):  # triage's own schema: strict
        note("text", {"id": "SOURCE-20260101-001", "url": "https://[oops/a"})
    kept = note("text", {"url": "https://[oops/a"})  # anyone else's frontmatter: kept, with a reason
    assert kept.url is None and kept.extra["capture_url"] == "https://[oops/a"
    assert any("capture_url" in r and "not a valid address" in r for r in kept.read_reasons)


@pytest.mark.parametrize(
    "name, body, title",
    [
        # no title line: a file name that reads like a title is the title (MarkDownload, Matter, people)
        (
            "The Hidden Cost of fsync.md",
            "Every write must survive a power cut.\n\n## Where it goes\n",
            "The Hidden Cost of fsync",
        ),
        (
            "2026-03-05 Notes from the offsite.md",
            "We agreed on small steps. Then lunch.",
            "Notes from the offsite",
        ),
        # a title line still wins; names that are not titles still give way to the text
        ("The Hidden Cost of fsync.md", "# Durability costs\n\ntext", "Durability costs"),
        ("2026-03-05 thread.md", "First post here. More.", "First post here"),
        ("New Text Document.md", "First post here. More.", "First post here"),
        ("notes-on-the-offsite.md", "First post here. More.", "First post here"),
    ],
)
def test_title_from_a_file_name_that_reads_like_one(name, body, title):
    assert note(body, name=name).title == title
