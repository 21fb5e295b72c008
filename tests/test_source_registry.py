"""The contract every source reader keeps, over the whole registry (triage.sources.reader.READERS),
and detection by evidence (triage.sources.evidence)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.readers_quality import BATTERY
from triage.errors import CaptureError
from triage.sources import evidence
from triage.sources.base import Document
from triage.sources.reader import READERS, read_file

from .capture_helpers import MB, OWN_SCHEMA, PLAIN, claims, document, fixture

TOOLS = [r for r in READERS if r.name]
VARIANTS = sorted(n for n, e in BATTERY.items() if e[7])


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.label)
def test_every_reader_keeps_the_contract(reader):
    assert reader.label and reader.suffixes and all(s.startswith(".") for s in reader.suffixes)
    assert all(c.weight > 0 and c.what for c in reader.clues)
    assert reader is READERS[-1] or reader.name or reader.binary or not reader.clues


@pytest.mark.parametrize("reader", TOOLS, ids=lambda r: r.label)
@settings(max_examples=40, deadline=None)
@given(text=st.text(max_size=300), keys=st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3))
def test_detection_never_raises(reader, text, keys):
    doc = Document(Path("/inbox/x.md"), text.encode(), text, dict(keys), text)
    reader.detect(doc)
    score, found = evidence.weigh(reader.clues, doc)
    assert score >= 0 and len(found) <= len(reader.clues)


@pytest.mark.parametrize("name", VARIANTS)
def test_variants_are_recognised_and_say_by_what(name):
    """Customised templates and older plugin versions go to their tool (the old registry gave
    them to the generic reader), and the reasons say which evidence decided."""
    tool = BATTERY[name][0]
    assert claims(tool, name)
    [note, *_] = read_file(fixture(name), Path("/inbox") / name, MB)
    assert note.source_tool == tool
    said = [r for r in note.read_reasons if r.startswith("read: recognised as")]
    default = any(r.detect(document(name)) for r in TOOLS if r.name == tool)
    assert bool(said) != default, (tool, said)


@pytest.mark.parametrize("text", [PLAIN, OWN_SCHEMA, "# Metadata\n\nSome notes about metadata.\n"])
def test_plain_and_own_schema_files_go_to_the_generic_reader(text):
    assert all(not claims(r.name, "note.md", text.encode()) for r in TOOLS)


def test_a_folder_alone_claims_nothing():
    assert all(not claims(r.name, "note.md", PLAIN.encode(), as_name=f"{r.name}/note.md") for r in TOOLS)


def test_own_schema_wins_over_any_clue():
    text = "---\nid: SOURCE-20240101-001\ntitle: Mine\n---\n- x ([View Highlight](https://read.readwise.io/read/1))\n"
    assert not claims("readwise", "mine.md", text.encode())
    assert evidence.own_schema({"id": "SOURCE-20240101-001"}) and not evidence.own_schema({"id": "0b6f3c1e"})


def test_a_readers_keys_never_quarantine_a_tool_capture():
    data = fixture("webclipper-reader-keys.md")
    [note] = read_file(data, Path("/inbox/w.md"), MB)
    assert note.source_tool == "webclipper"
    custom = fixture("omnivore-custom.md")
    [note] = read_file(custom, Path("/inbox/o.md"), MB)
    assert note.extra["omnivore_id"] == "4be0c2a9-8f1d-4e37-b5a6-2c9d7e1f0a83"


def test_the_strongest_evidence_wins():
    """A Readwise export of a Kindle book links readwise.io/to_kindle: Readwise, not Kindle."""
    assert claims("readwise", "readwise-book.md")


@pytest.mark.parametrize(
    "lines, expected",
    [
        (["- Author: [[A B]]"], {"author": "[[A B]]"}),
        (["Author: A B"], {"author": "A B"}),
        (["**Source**:: https://x.example/a"], {"source": "https://x.example/a"}),
        (["> **Title**:: T", ">[!info] Info"], {"title": "T"}),
        (["https://x.example/a: b"], {}),
        (["Author:", "Author: late"], {"author": "late"}),
    ],
)
def test_labelled_reads_every_shape(lines, expected):
    assert evidence.labelled(lines, ("author", "source", "title")) == expected


def test_unreadable_tool_files_still_explain():
    with pytest.raises(CaptureError):
        read_file(b"   \n", Path("/inbox/Readwise/x.md"), MB)


@pytest.mark.parametrize(
    "text",
    [
        "# Why I left Omnivore\n\nIt closed; see https://omnivore.app for the notice.\n"
        "Raindrop (https://raindrop.io) next?\n",
        "# Tools\n\n- https://readwise.io and https://hypothes.is are what I use.\n",
    ],
)
def test_mentioning_a_tool_is_no_export_of_it(text):
    """A note that links a tool's home page is not that tool's export: only the links a tool
    writes into its exports (`read.readwise.io/read/...`, `omnivore.app/me/...`) weigh enough."""
    assert all(not claims(r.name, "note.md", text.encode()) for r in TOOLS)
