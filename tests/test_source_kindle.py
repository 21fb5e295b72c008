"""Kindle's `My Clippings.txt` (triage/sources/kindle.py): one note per book."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings

from triage.errors import CaptureError
from triage.note import Highlight
from triage.sources import kindle
from triage.sources.common import book_key, person_names

from .capture_checks import (
    chrome_in,
    document,
    fixture,
    mutated,
    other_fixtures,
    read_notes,
    reads_or_explains,
    run_pipeline,
)

MINE = ("kindle-clippings.txt", "kindle-clippings-malformed.txt")


def test_fixture_is_laid_out_as_the_device_writes_it():
    raw = fixture("kindle-clippings.txt")
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n==========\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")


def test_one_note_per_book_with_title_and_author_split():
    notes = read_notes("kindle-clippings.txt")
    assert [(n.title, n.author) for n in notes] == [
        ("Designing Quiet Systems (2nd Edition)", "Lena Okafor"),
        ("The Cartographer's Ledger", "Priya Raman, Tomas Ferreira"),
        ("Evaluating Retrieval Pipelines", "Daniel Soto"),
    ]  # "Field Notes on Attention" holds only a bookmark: no note


def test_every_field():
    book, ledger, pdf = read_notes("kindle-clippings.txt")
    for note in (book, ledger, pdf):
        assert note.source_tool == "kindle"
        assert note.platform == "kindle"
        assert note.format == "book"
        assert note.url is None
        assert note.published_date is None  # "Added on" is when it was highlighted
        assert note.read_reasons == []
        assert note.extra == {}
    assert book.captured_date == dt.date(2024, 3, 10)  # the newest "Added on" of the book
    assert ledger.captured_date == dt.date(2024, 3, 9)
    assert pdf.captured_date == dt.date(2024, 3, 11)
    assert book.creator == "lena_okafor"


def test_extended_highlight_kept_once_note_attached_bookmark_dropped():
    book = read_notes("kindle-clippings.txt")[0]
    assert book.highlights == [
        Highlight(
            "Latency is a budget you spend, not a number you report. Every team that treated it "
            "as a report eventually overspent it.",
            "Use this framing in the SLO review with the payments team.",
            [],
            "page 27, location 410-415",
        ),
        Highlight(
            "Queues do not remove load; they move it to a moment when nobody is watching the graphs.",
            "",
            [],
            "page 61, location 980-983",
        ),
    ]
    assert "Bookmark" not in book.body and "Bookmark" not in book.content
    assert book.content.split("\n\n")[0].startswith("Latency is a budget")


def test_old_location_forms_and_notes_by_page():
    _, ledger, pdf = read_notes("kindle-clippings.txt")
    assert [h.location for h in ledger.highlights] == ["location 1204-1207", "location 1530-1532"]
    assert ledger.highlights[1].note == "Compare with how we keep runbooks."
    assert pdf.highlights[0].location == "page 14"
    assert pdf.highlights[0].note == "Ask Daniel whether the benchmark reports recall at fifty."


def test_content_is_the_highlighted_text_only():
    book = read_notes("kindle-clippings.txt")[0]
    for chrome in ("Your Highlight", "Added on", "Location", "==========", "Note:"):
        assert chrome not in book.content
    assert "Use this framing" not in book.content  # the reader's note is not the author's text
    assert "Note: Use this framing" in book.body


@pytest.mark.parametrize(
    "raw, title, author",
    [
        (
            "Designing Quiet Systems (2nd Edition) (Okafor, Lena)",
            "Designing Quiet Systems (2nd Edition)",
            "Lena Okafor",
        ),
        ("A Book (Series (Vol. 2)) (Jane Doe)", "A Book (Series (Vol. 2))", "Jane Doe"),
        ("Le Petit Livre (Le Guin, Ursula K.)", "Le Petit Livre", "Ursula K. Le Guin"),
        ("Two Hands (Doe, Jane;Roe, Rick)", "Two Hands", "Jane Doe, Rick Roe"),
        ("my-notes-2024", "my-notes-2024", None),
        ("Some Document (Unknown)", "Some Document", None),
    ],
)
def test_title_and_author_split(raw, title, author):
    assert kindle._split_title(raw) == (title, author)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Kleppmann, Martin", "Martin Kleppmann"),
        ("Scott Knaster and Mark Dalrymple", "Scott Knaster, Mark Dalrymple"),
        ("[[Lena Okafor]]", "Lena Okafor"),
        ("King, Martin Luther, Jr.", "King, Martin Luther, Jr."),
        ("", None),
    ],
)
def test_person_names(raw, expected):
    assert person_names(raw) == expected


def test_same_book_key_across_tools():
    assert book_key("Designing Quiet Systems (2nd Edition)", "Lena Okafor") == book_key(
        "Designing Quiet Systems: Latency, Load and Calm", "Okafor"
    )
    assert book_key("A", "Jane Doe, Rick Roe") == book_key("a", "Rick Roe, Jane Doe")
    assert book_key("A", "Jane Doe") != book_key("B", "Jane Doe")


@pytest.mark.parametrize(
    "line, location",
    [
        ("- Your Highlight on page 27 | Location 410-412 | Added on x", ("27", 410, 412)),
        ("- Highlight Loc. 1204-07 | Added on x", ("", 1204, 1207)),
        ("- Highlight Loc. 998-1002 | Added on x", ("", 998, 1002)),
        ("- Your Highlight at location 99 | Added on x", ("", 99, 99)),
        ("- Your Highlight on Page xii | Added on x", ("xii", None, None)),
    ],
)
def test_location_forms(line, location):
    assert kindle._location(line) == location


def test_malformed_entry_skipped_with_its_line_rest_read():
    book, ledger = read_notes("kindle-clippings-malformed.txt")
    assert [h.text for h in book.highlights] == ["Latency is a budget you spend, not a number you report."]
    assert [h.text for h in ledger.highlights] == [
        "Every survey team argued about the scale before they argued about the coast."
    ]
    reasons = " | ".join(book.read_reasons)
    assert "line 7 is not a '- Your Highlight/Note/Bookmark' line" in reasons
    assert "the file ends inside the entry at line 21" in reasons
    assert "highlight at line 21 has no text; skipped (Evaluating Retrieval Pipelines)" in reasons
    assert any("clipping-limit" in r for r in ledger.read_reasons)


def test_file_cut_inside_an_entry_keeps_what_it_has():
    data = fixture("kindle-clippings.txt")
    cut = data[: data.index(b"eventually overspent")]
    notes = read_notes("kindle-clippings.txt", cut)
    assert [n.title for n in notes] == ["Designing Quiet Systems (2nd Edition)", "The Cartographer's Ledger"]
    book = notes[0]
    assert any("ends inside the entry at line 21" in r for r in book.read_reasons)
    # the cut-off extension still holds the old text, so it replaces it (longer), once
    assert len([h for h in book.highlights if h.text.startswith("Latency")]) == 1


def test_only_bookmarks_is_explained():
    data = (
        "\ufeffA Book (Jane Doe)\r\n- Your Bookmark on page 3 | Location 40 | "
        "Added on Monday, March 11, 2024 7:45:30 PM\r\n\r\n\r\n==========\r\n"
    )
    with pytest.raises(CaptureError, match=r"Kindle My Clippings\.txt: no highlight or note could be read"):
        read_notes("kindle-clippings.txt", data.encode("utf-8"))


def test_orphan_note_is_kept_without_text():
    data = (
        "A Book (Jane Doe)\n- Your Note on page 3 | Location 40 | "
        "Added on Monday, March 11, 2024 7:45:30 PM\n\n"
        "Find the source of this claim.\n==========\n"
    )
    (note,) = read_notes("kindle-clippings.txt", data.encode("utf-8"))
    assert note.highlights == [Highlight("", "Find the source of this claim.", [], "page 3, location 40")]


def test_detects_by_structure_not_name():
    assert kindle.detect(document("kindle-clippings.txt"))
    assert kindle.detect(document("kindle-clippings-malformed.txt"))
    for name in other_fixtures(*MINE):
        assert not kindle.detect(document(name)), name


def test_plain_text_essay_is_not_a_clippings_file():
    (note,) = read_notes("plain-essay.txt")
    assert note.source_tool is None and note.title == "On Keeping Notes"


@settings(max_examples=150, deadline=None)
@given(data=mutated(fixture("kindle-clippings.txt")))
def test_mutations_raise_only_capture_error(data):
    reads_or_explains("kindle-clippings.txt", data)


@pytest.mark.nlp
def test_end_to_end_one_note_per_book(tmp_path, nlp):
    report, notes = run_pipeline(tmp_path, nlp, "kindle-clippings.txt", "My Clippings.txt")
    assert report.failed == []
    assert len(report.processed) == 3
    assert sorted(title for title, _ in notes) == [
        "Designing Quiet Systems (2nd Edition)",
        "Evaluating Retrieval Pipelines",
        "The Cartographer's Ledger",
    ]
    for title, props in notes:
        assert props["source_tool"] == "kindle" and props["format"] == "book"
        assert chrome_in(title, props) == []
