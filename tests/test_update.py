"""The same source again updates its note (issue #10): new highlights only, inside triage's markers,
never the reader's text; crash-safe; two captures of one source in a run give one note."""

from __future__ import annotations

import json
import re

import pytest

import triage.outcome
import triage.pipeline
import triage.sources.reader
from triage.note import Highlight, Note
from triage.sources.base import Document, Item, SourceReader
from triage.sources.identity import book_key, normalize_url
from triage.vault.catalog import Record
from triage.vault.render import HL_BEGIN, HL_END, make_env
from triage.vault.update import add_highlights, plan_updates

from .conftest import drop


def test_urls_are_compared_without_the_noise():
    same = {
        normalize_url("https://www.example.com/post/?utm_source=rss&utm_medium=feed#comments"),
        normalize_url("http://example.com/post"),
        normalize_url("https://m.example.com/post/"),
        normalize_url("https://example.com/post?si=abc"),
    }
    assert same == {"example.com/post"}
    assert normalize_url("https://twitter.com/ana/status/1?s=20&t=abc") == "x.com/ana/status/1"
    assert normalize_url("https://example.com/a?id=2") != normalize_url("https://example.com/a?id=3")


def test_a_book_is_the_same_book_from_any_tool():
    assert book_key("The Quiet Engine (2nd Edition)", "Ines Moreau") == book_key(
        "The Quiet Engine", "Moreau, Ines"
    )
    assert book_key("The Quiet Engine", "Ines Moreau") != book_key("The Quiet Engine", "Paul Okoye")


def note(url: str | None, texts: list[str], tool: str | None = "readwise", name: str = "a.md") -> Note:
    from pathlib import Path

    n = Note(source=Path(name), url=url, title="T", format="article", source_tool=tool)
    n.highlights = [Highlight(t) for t in texts]
    return n


def test_plan_sends_highlights_to_the_note_of_their_source():
    records = [Record("notes/2026/old.md", {"url": "https://example.com/essay", "format": "article"})]
    again = note("https://www.example.com/essay/", ["New passage."])
    other = note("https://example.com/other", ["Elsewhere."])
    plain = note("https://example.com/essay", [], tool=None)  # a plain re-clip: a note of its own
    plan = plan_updates([again, other, plain], records)
    assert plan.updates == [(again, "notes/2026/old.md")]
    assert plan.new == [other, plain]


def test_two_captures_of_one_new_source_in_a_run_make_one_note():
    first = note("https://example.com/x", ["One.", "Two."], name="a.md")
    second = note("https://example.com/x", ["Two.", "Three."], name="b.md")
    plan = plan_updates([first, second], [])
    assert plan.new == [first] and plan.merged == [(second, first)]
    assert [h.text for h in first.highlights] == ["One.", "Two.", "Three."]


def test_only_new_highlights_are_added_between_the_markers():
    env = make_env()
    text = f"---\nid: X\n---\n# T\n\n{HL_BEGIN}\n## Highlights\n\n- Old one.\n{HL_END}\n\n## My notes\nmine\n"
    new, added = add_highlights(text, [Highlight("Old one."), Highlight("Fresh one.", note="so true")], env)
    assert added == 1
    assert new == text.replace("- Old one.\n", "- Old one.\n- Fresh one.\n    - Note: so true\n")
    assert add_highlights(new, [Highlight("old ONE")], env) == (None, 0)
    assert add_highlights(text.replace(HL_BEGIN, ""), [Highlight("Fresh.")], env) == (None, -1)


# --- end to end, with a stand-in capture tool ----------------------------------------------------


def _detect(doc: Document) -> bool:
    return doc.body.startswith("FAKE-TOOL")


def _read(doc: Document) -> list[Item]:
    lines = doc.body.splitlines()
    url = lines[1]
    passages = [ln[2:] for ln in lines[2:] if ln.startswith("- ")]
    return [
        Item(
            body=doc.body,
            content="\n\n".join(passages),
            meta={"title": "An Essay About Bridges", "url": url, "format": "article"},
            highlights=[Highlight(p) for p in passages],
        )
    ]


FAKE = SourceReader("readwise", "fake tool", (".md",), _detect, _read)
URL = "https://example.com/bridges"
PASSAGES = [
    "Bridges fail at their joints long before their spans give way under load.",
    "Inspection budgets were cut in half while traffic doubled over twenty years.",
    "Engineers now argue that sensors are cheaper than a single closed crossing.",
]


def capture(*passages: str) -> str:
    return "FAKE-TOOL\n" + URL + "\n" + "".join(f"- {p}\n" for p in passages)


@pytest.fixture
def tool(monkeypatch):
    monkeypatch.setattr(triage.sources.reader, "READERS", (FAKE, *triage.sources.reader.READERS))


def the_note(ws):
    notes = list((ws.vault / "notes").rglob("*.md"))
    assert len(notes) == 1
    return notes[0]


@pytest.mark.nlp
def test_a_resync_adds_only_new_highlights_and_keeps_the_readers_edits(ws, nlp, tool):
    drop(ws, "export.md", capture(*PASSAGES[:2]))
    report = triage.pipeline.run(ws, nlp=nlp)
    assert len(report.processed) == 1 and not report.failed
    path = the_note(ws)
    text = path.read_text()
    assert text.count(PASSAGES[0]) >= 2  # as a highlight and as a key insight
    insights = re.search(r"key_insights:\n((?:  - .*\n)+)", text).group(1)
    assert PASSAGES[0] in insights and PASSAGES[1] in insights
    edited = text.replace("status: triaged", "status: reviewed") + "My own thought about joints.\n"
    path.write_text(edited)

    drop(ws, "export.md", capture(*PASSAGES))  # the grown export, dropped again
    report = triage.pipeline.run(ws, nlp=nlp)
    assert report.processed == [] and len(report.updated) == 1
    assert report.updated[0]["reason"] == "1 new highlights"
    after = the_note(ws).read_text()
    assert after == edited.replace(
        f"- {PASSAGES[1]}\n{HL_END}", f"- {PASSAGES[1]}\n- {PASSAGES[2]}\n{HL_END}"
    )
    assert not (ws.inbox / "export.md").exists()

    drop(ws, "export.md", capture(*PASSAGES) + "\n")  # nothing new (other bytes): a duplicate
    report = triage.pipeline.run(ws, nlp=nlp)
    assert report.updated == [] and report.skipped[0]["kind"] == "duplicate"
    assert the_note(ws).read_text() == after


@pytest.mark.nlp
def test_removed_markers_mean_nothing_is_written(ws, nlp, tool):
    drop(ws, "export.md", capture(PASSAGES[0]))
    triage.pipeline.run(ws, nlp=nlp)
    path = the_note(ws)
    mine = path.read_text().replace(HL_BEGIN, "").replace(HL_END, "")
    path.write_text(mine)
    drop(ws, "export.md", capture(*PASSAGES))
    report = triage.pipeline.run(ws, nlp=nlp)
    assert report.updated == []
    assert "highlight markers were removed" in report.skipped[0]["reason"]
    assert path.read_text() == mine
    assert not (ws.inbox / "export.md").exists()  # archived: nothing is lost


@pytest.mark.nlp
def test_two_exports_of_one_source_in_one_run_give_one_note(ws, nlp, tool):
    drop(ws, "first.md", capture(*PASSAGES[:2]))
    drop(ws, "second.md", capture(*PASSAGES[1:]))
    report = triage.pipeline.run(ws, nlp=nlp)
    assert len(report.processed) == 1 and len(report.updated) == 1
    text = the_note(ws).read_text()
    region = text[text.index(HL_BEGIN) : text.index(HL_END)]
    assert [region.count(p) for p in PASSAGES] == [1, 1, 1]
    assert list(ws.inbox.glob("*.md")) == []


@pytest.mark.nlp
def test_an_update_interrupted_before_archiving_is_finished_by_the_next_run(ws, nlp, tool, monkeypatch):
    drop(ws, "export.md", capture(PASSAGES[0]))
    triage.pipeline.run(ws, nlp=nlp)
    drop(ws, "export.md", capture(*PASSAGES))

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the process dies after writing the note, before archiving

    with monkeypatch.context() as m:
        m.setattr(triage.outcome, "archive", killed)
        with pytest.raises(KeyboardInterrupt):
            triage.pipeline.run(ws, nlp=nlp)
    once = the_note(ws).read_text()
    region = once[once.index(HL_BEGIN) : once.index(HL_END)]
    assert [region.count(f"- {p}") for p in PASSAGES] == [1, 1, 1]
    report = triage.pipeline.run(ws, nlp=nlp)
    assert report.skipped[0]["kind"] == "duplicate"  # already there: not doubled
    assert the_note(ws).read_text() == once
    assert not (ws.inbox / "export.md").exists()


@pytest.mark.nlp
def test_json_report_says_updated(ws, nlp, tool):
    from click.testing import CliRunner

    from triage.cli import cli

    drop(ws, "export.md", capture(PASSAGES[0]))
    triage.pipeline.run(ws, nlp=nlp)
    drop(ws, "export.md", capture(*PASSAGES))
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "run", "--json"])
    data = json.loads(result.output)
    assert [u["reason"] for u in data["updated"]] == ["2 new highlights"]
    assert data["processed"] == []


# --- a growing My Clippings.txt (the Kindle reader) ----------------------------------------------

ENTRY = (
    "{title}\r\n- Your Highlight on page {page} | Location {loc} | "
    "Added on Monday, April 1, 2024 8:00:00 PM\r\n\r\n{text}\r\n==========\r\n"
)
BOOK_A = "The Tide Tables (Ilse Varga)"
BOOK_B = "Small Engines, Large Ships (Okoro, Dami)"


def clippings(*entries: tuple[str, int, str]) -> bytes:
    text = "".join(ENTRY.format(title=t, page=p, loc=p * 15, text=x) for t, p, x in entries)
    return b"\xef\xbb\xbf" + text.encode("utf-8")


FIRST = [
    (BOOK_A, 3, "Every harbour keeps its own clock, set by the moon rather than the mayor."),
    (BOOK_B, 8, "A small engine running all day beats a large one that waits for perfect weather."),
]
LATER = [
    (
        BOOK_A,
        9,
        "Pilots trust the tide table more than the forecast, because the moon never changes its mind.",
    ),
    (BOOK_B, 20, "Shipyards that measured fuel per mile instead of top speed outlasted their rivals."),
]


def book_notes(ws) -> dict[str, str]:
    return {
        p.read_text().split("\naliases:\n  - ", 1)[1].split("\n", 1)[0].strip('"'): p.read_text()
        for p in (ws.vault / "notes").rglob("*.md")
    }


@pytest.mark.nlp
def test_a_growing_my_clippings_adds_only_new_highlights_and_keeps_the_readers_text(ws, nlp):
    drop(ws, "My Clippings.txt", clippings(*FIRST))
    report = triage.pipeline.run(ws, nlp=nlp)
    assert len(report.processed) == 2 and not report.failed
    notes = book_notes(ws)
    assert set(notes) == {"The Tide Tables", "Small Engines, Large Ships"}
    tide = next((ws.vault / "notes").rglob("*tide_tables*"))
    mine = tide.read_text() + "I read this on the ferry.\n"
    tide.write_text(mine)

    drop(ws, "My Clippings.txt", clippings(*FIRST, *LATER))  # the device's file, grown
    report = triage.pipeline.run(ws, nlp=nlp)
    assert report.processed == [] and len(report.updated) == 2
    assert [u["reason"] for u in report.updated] == ["1 new highlights", "1 new highlights"]
    after = tide.read_text()
    added = f"- {LATER[0][2]} (page 9, location 135)\n"
    assert after == mine.replace(HL_END, added + HL_END)
    assert after.endswith("I read this on the ferry.\n")


@pytest.mark.nlp
def test_an_interrupted_my_clippings_run_writes_the_missing_books_next_time(ws, nlp, monkeypatch):
    drop(ws, "My Clippings.txt", clippings(*FIRST))
    real = triage.pipeline.render_note
    calls = []

    def dies_on_the_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(triage.pipeline, "render_note", dies_on_the_second)
        with pytest.raises(KeyboardInterrupt):
            triage.pipeline.run(ws, nlp=nlp)
    assert len(book_notes(ws)) == 1
    report = triage.pipeline.run(ws, nlp=nlp)
    assert len(report.processed) == 1 and not report.failed
    assert len(book_notes(ws)) == 2
    assert not (ws.inbox / "My Clippings.txt").exists()


@pytest.mark.nlp
def test_an_update_keeps_an_edited_note_edited_and_an_unedited_one_unedited(ws, nlp, tool):
    from triage.vault.writer import unedited

    drop(ws, "export.md", capture(PASSAGES[0]))
    triage.pipeline.run(ws, nlp=nlp)
    path = the_note(ws)
    rel = path.relative_to(ws.vault).as_posix()
    drop(ws, "export.md", capture(*PASSAGES[:2]))
    triage.pipeline.run(ws, nlp=nlp)
    assert unedited(ws.vault, rel, path.read_bytes())  # only triage wrote it: still triage's bytes
    path.write_text(path.read_text() + "Mine.\n")
    drop(ws, "export.md", capture(*PASSAGES))
    triage.pipeline.run(ws, nlp=nlp)
    assert PASSAGES[2] in path.read_text()
    assert not unedited(ws.vault, rel, path.read_bytes())  # the reader's edit still counts
