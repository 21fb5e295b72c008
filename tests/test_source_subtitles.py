"""Subtitle files (.srt, .vtt) become transcripts: what is kept, what is dropped, every field."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.errors import CaptureError
from triage.sources import subtitles
from triage.sources.infer import infer_metadata
from triage.sources.reader import read_file

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
MTIME = dt.datetime(2026, 3, 1, 12, 0).timestamp()


def note_of(fixture: str, name: str):
    data = (FIXTURES / fixture).read_bytes()
    notes = read_file(data, Path("/inbox") / name, 10**7, MTIME)
    assert len(notes) == 1
    return infer_metadata(notes[0])


def test_srt_talk_every_field_and_what_is_dropped():
    note = note_of("subtitles-talk.srt", "Designing for Slow Internet.en.srt")
    assert note.title == "Designing for Slow Internet"
    assert note.format == "transcript"
    assert note.source_tool is None
    assert note.url is None and note.platform == "unknown"
    assert note.published_date is None
    assert note.captured_date == dt.date(2026, 3, 1)
    assert note.read_reasons == []
    assert note.body.split("\n\n") == [
        "**Moderator:** Good morning, everyone, and welcome to the last session of the day. Our speaker "
        "builds software for places where the internet is slow and expensive. Please welcome Adaeze Obi.",
        "**Adaeze Obi:** Thank you. I want to start with a number: four hundred kilobytes. That is the "
        "median page weight we measured across our users' phones in the rural districts of Kaduna State, "
        "on a network that drops every few minutes. Every byte you send is a byte somebody pays for.",
        # a pause of 3.5 s starts a paragraph
        "So the first rule is simple: cache everything and assume the connection will fail. The second "
        "rule is that offline is not an error state. It is the normal state.\n",
    ]
    for chrome in ("-->", "00:00", "{\\an8}", "<i>", "<font", "[Music]", "audience laughs", "\n1\n"):
        assert chrome not in note.body


def test_youtube_vtt_rolling_captions_shown_once_and_id_becomes_url():
    note = note_of("subtitles-youtube.vtt", "How Rural Clinics Keep Vaccines Cold [a1B2c3D4e5F].en.vtt")
    assert note.title == "How Rural Clinics Keep Vaccines Cold"
    assert note.url == "https://www.youtube.com/watch?v=a1B2c3D4e5F"
    assert note.platform == "youtube"
    assert note.format == "transcript"  # stated: not the youtube default "video"
    assert note.read_reasons == []
    assert note.body.split("\n\n") == [
        "so the problem with vaccines is that they have to stay cold all the way from the factory to the "
        "clinic at the end of the road",
        "in Malawi we visited a clinic that runs its fridge on a single solar panel and a battery the size "
        "of a suitcase and it has not lost a dose in three years\n",
    ]
    for chrome in ("align:start", "<c>", "<00:", "Kind:", "Language:", "[Music]", "WEBVTT"):
        assert chrome not in note.body


def test_vtt_voices_note_url_and_header_title():
    note = note_of("subtitles-lecture.vtt", "lecture-4.vtt")
    assert note.title == "Lecture 4: Maps and the territory"  # the WEBVTT header names it
    assert note.url == "https://media.example.edu/lectures/maps-and-territory"
    assert note.platform == "web"
    paragraphs = note.body.strip().split("\n\n")
    assert [p.split(":**")[0] for p in paragraphs] == ["**Rosa Delgado", "**Student", "**Rosa Delgado"]
    assert paragraphs[0].endswith("they show every rock near the coast and nothing inland.")
    assert "census maps & the people" in paragraphs[2]
    for chrome in ("intro-1", "line:85%", "STYLE", "::cue", "NOTE", "Recorded at", "<v", "</v>", "&amp;"):
        assert chrome not in note.body


@pytest.mark.parametrize(
    "name, title, url",
    [
        ("Talk [dQw4w9WgXcQ].en.vtt", "Talk", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ("Talk [dQw4w9WgXcQ].en-US.vtt", "Talk", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ("Talk.en.srt", "Talk", None),
        ("my_talk_notes.srt", "my talk notes", None),
        ("A talk [not an id].vtt", "A talk [not an id]", None),
    ],
)
def test_title_and_url_from_the_file_name(name, title, url):
    assert subtitles.name_meta(Path(name)) == (title, url)


def test_detect_needs_cues_not_a_name():
    srt = (FIXTURES / "subtitles-talk.srt").read_text()
    doc = subtitles.Document(Path("x.srt"), b"", srt.replace("\r\n", "\n"))
    assert subtitles.detect(doc)
    assert not subtitles.detect(subtitles.Document(Path("x.srt"), b"", "# A heading\n\nplain markdown\n"))


def test_a_cut_off_file_is_read_as_far_as_it_goes():
    data = (FIXTURES / "subtitles-talk.srt").read_bytes()
    cut = data[: data.index(b"median page weight")]
    note = note_of_bytes(cut, "talk.srt")
    assert note.body.rstrip().endswith("That is the")
    assert "Please welcome Adaeze Obi." in note.body


def test_junk_between_cues_is_skipped_with_a_reason():
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nFirst line.\n\nstray junk\nmore junk\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\nSecond.\n"
    )
    note = note_of_bytes(text.encode(), "x.srt")
    assert note.body == "First line. Second.\n"
    assert note.read_reasons == ["read: subtitles: text without a timing line at line 5; skipped"]


def test_cues_separated_by_lines_of_spaces():
    text = "1\n00:00:01,000 --> 00:00:02,000\nFirst line.\n   \n2\n00:00:02,100 --> 00:00:03,000\nSecond.\n"
    assert note_of_bytes(text.encode(), "x.srt").body == "First line. Second.\n"


@pytest.mark.parametrize(
    "text, message",
    [
        ("just some words\nwith no timings at all\n", "no subtitle cues"),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\n[Music]\n", "no text"),
    ],
)
def test_unreadable_subtitles_are_explained(text, message):
    with pytest.raises(CaptureError, match=message):
        read_file(text.encode(), Path("/inbox/x.vtt"), 10**7)


def note_of_bytes(data: bytes, name: str):
    return infer_metadata(read_file(data, Path("/inbox") / name, 10**7, MTIME)[0])


LINES = (FIXTURES / "subtitles-youtube.vtt").read_text().split("\n")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, len(LINES) - 1), max_size=8),
    st.integers(0, len(LINES)),
    st.text(max_size=30),
)
def test_mutated_subtitles_raise_only_capture_errors(deleted, cut, junk):
    lines = [*[ln for i, ln in enumerate(LINES) if i not in set(deleted)][:cut], junk]
    with contextlib.suppress(CaptureError):
        read_file("\n".join(lines).encode(), Path("/inbox/x.vtt"), 10**7)
