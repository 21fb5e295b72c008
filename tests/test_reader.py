import contextlib
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.errors import CaptureError
from triage.sources.reader import decode, read_capture, scan_inbox, split_frontmatter

P = Path("inbox/capture.md")
MB = 1_000_000


def read(data: bytes, limit: int = MB):
    return read_capture(data, P, limit)


@pytest.mark.parametrize(
    "data, text",
    [
        ("café naïve – “quoted”".encode("cp1252"), "café naïve – “quoted”"),
        ("Grüße aus Köln".encode("latin-1"), "Grüße aus Köln"),
        ("\ufeffhello wörld".encode("utf-16"), "hello wörld"),
        ("hello wörld".encode("utf-16-be").join([b"\xfe\xff", b""]), "hello wörld"),
        (b"\xef\xbb\xbfwith bom", "with bom"),
        (
            "Привет мир, как дела у тебя сегодня, это длинный текст".encode("cp1251"),
            "Привет мир, как дела у тебя сегодня, это длинный текст",
        ),
    ],
)
def test_encodings_are_detected(data, text):
    assert read(data).text == text


def test_crlf_and_cr_become_lf():
    note = read(b"---\r\ntitle: x\r\n---\r\nline one\r\nline two\rline three")
    assert note.given == {"title": "x"}
    assert note.body == "line one\nline two\nline three"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"%PDF-1.7\n%\xe2\xe3", "a PDF"),
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (bytes(range(256)) * 20, "looks binary"),
        (b"", "empty"),
        (b"   \n\t\n", "empty"),
        (b"---\n---\n", "no text"),
    ],
)
def test_unreadable_files_are_explained(data, message):
    with pytest.raises(CaptureError, match=message):
        read(data)


def test_size_limit():
    with pytest.raises(CaptureError, match=r"over the 0\.0 MB limit"):
        read(b"x" * 100, limit=50)


def test_one_megabyte_single_line_is_fine():
    note = read(b"word " * 220_000, limit=10 * MB)
    assert len(note.text) == 1_100_000


@pytest.mark.parametrize(
    "data, needle, line",
    [
        (b"---\ntitle: [unclosed\n---\nbody", "flow sequence", 3),
        (b"---\ntitle: a\ntitle: b\n---\nbody", "duplicate key", 3),
        (b"---\n\ttitle: a\n---\nbody", "tabs", 2),
        (b"---\nx: !!python/object/apply:os.system ['echo pwned']\n---\nbody", "unsafe", 2),
    ],
)
def test_bad_frontmatter_names_file_line(data, needle, line):
    with pytest.raises(CaptureError) as err:
        read(data)
    assert needle in err.value.message
    assert err.value.line == line
    assert "fix the YAML" in err.value.hint


def test_frontmatter_not_a_mapping():
    with pytest.raises(CaptureError, match="must be a mapping"):
        read(b"---\n- a\n- b\n---\nbody")


def test_no_closing_fence_is_plain_markdown():
    given, body = split_frontmatter("---\nnot frontmatter, just a rule\n\ntext")
    assert given == {} and body.startswith("---")


def test_template_syntax_is_just_text():
    note = read(b"{{ 7*7 }} and {% raw %}")
    assert note.body == "{{ 7*7 }} and {% raw %}"


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=2000))
def test_reader_raises_only_its_own_error(data):
    try:
        note = read(data)
    except CaptureError:
        return
    assert note.text.strip()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_reader_raises_only_its_own_error_on_frontmatter_text(text):
    with contextlib.suppress(CaptureError):
        read(("---\n" + text + "\n---\nbody").encode("utf-8"))


def test_scan_ignores_litter_and_waits_for_settling(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "_failed").mkdir()
    names = [
        "a.md",
        "b.txt",
        "c.markdown",
        ".DS_Store",
        "x.md.part",
        "y.crdownload",
        "~$doc.md",
        ".a.md.swp",
        "z.tmp",
        ".hidden.md",
        "notes.pdf",
        "sub/d.md",
        "_failed/old.md",
        "fresh.md",
    ]
    for name in names:
        (inbox / name).write_text("text")
        os.utime(inbox / name, (1000, 1000))
    os.utime(inbox / "fresh.md", (9999, 9999))
    (inbox / "link.md").symlink_to(inbox / "a.md")
    suffixes = (".md", ".markdown", ".txt")
    ready, skipped = scan_inbox(inbox, settle_seconds=5, now=10_000, suffixes=suffixes, probe=0)
    assert [p.relative_to(inbox).as_posix() for p in ready] == ["a.md", "b.txt", "c.markdown", "sub/d.md"]
    reasons = {s.path.name: (s.kind, s.reason) for s in skipped}
    assert set(reasons) == {"notes.pdf", "fresh.md"}
    assert reasons["notes.pdf"] == ("unsupported", "not a capture triage reads (.md, .markdown, .txt)")
    assert reasons["fresh.md"][0] == "waiting"
    # With the probe (what a run does), a young file that does not change is read in the same run.
    waits: list[float] = []
    ready, skipped = scan_inbox(inbox, 5, 10_000, suffixes, probe=0.5, sleep=waits.append)
    assert waits == [0.5]
    assert "fresh.md" in [p.name for p in ready]


def test_probe_leaves_a_growing_file_waiting(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "done.md").write_text("complete")
    (inbox / "growing.md").write_text("first half")

    def still_writing(seconds: float) -> None:
        with (inbox / "growing.md").open("a") as fh:
            fh.write(" and the second half")

    now = (inbox / "done.md").stat().st_mtime + 1
    ready, skipped = scan_inbox(inbox, 5, now, (".md",), probe=0.2, sleep=still_writing)
    assert [p.name for p in ready] == ["done.md"]
    assert [(s.path.name, s.kind, s.reason) for s in skipped] == [
        ("growing.md", "waiting", "still being written; the next run takes it")
    ]


def test_decode_prefers_utf8():
    assert decode("naïve".encode()) == "naïve"


def test_subfolder_is_recorded(tmp_path):
    inbox = tmp_path / "inbox"
    note = read_capture(b"text here", inbox / "policy" / "x.md", MB, inbox=inbox)
    assert note.inbox_folder == "policy"


MARKDOWNLOAD_BAD_YAML = b"""---
created: 2024-03-06T10:22:31 (UTC +01:00)
tags: [storage,databases]
source: https://example.com/posts/fsync-costs
author: By: Jane Roe
---

# The Hidden Cost of fsync | Example Blog

> ## Excerpt
> Durability has a price.

---
Every database that promises durability pays for it at fsync time, and batching commits is the answer.
"""


def test_a_tools_frontmatter_that_is_not_yaml_is_read_line_by_line():
    from triage.sources.infer import infer_metadata

    note = infer_metadata(read_capture(MARKDOWNLOAD_BAD_YAML, P, MB))
    assert (note.source_tool, note.title, note.url, note.author) == (
        "markdownload",
        "The Hidden Cost of fsync",
        "https://example.com/posts/fsync-costs",
        "Jane Roe",
    )
    assert note.given.get("tags") == ["storage", "databases"]
    assert note.read_reasons == [
        "read: MarkDownload clip: frontmatter is not valid YAML (line 5); read line by line"
    ]


def test_hand_written_frontmatter_that_is_not_yaml_is_still_refused():
    with pytest.raises(CaptureError) as err:
        read_capture(b"---\ntitle: My: notes\nurl: https://example.com\n---\nSome text of mine.\n", P, MB)
    assert err.value.message.startswith("invalid frontmatter") and err.value.line == 2
