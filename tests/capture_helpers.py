"""Helpers for the capture-tool reader tests (tests/test_source_<tool>.py): read a fixture the way the
pipeline does, mutate it for property tests, run it end to end, and look for tool chrome in a note.

Fixtures live in tests/fixtures/sources/<tool>-<variant>.<ext>, written for the project in each
tool's exact layout (../shared/docs/capture-formats.md).
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import strategies as st

from triage.errors import CaptureError
from triage.note import Note
from triage.sources.base import Document
from triage.sources.infer import infer_metadata
from triage.sources.reader import READERS, _choose, _document, read_file

from .conftest import NOW, OLD, drop, make_workspace

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"
MB = 10_000_000
PLAIN = (
    "# Notes from the planning offsite\n\nWe agreed to ship the billing rewrite in small steps.\n\n"
    "- Ada owns the migration plan\n- Next review on Friday\n\nSource: https://wiki.example.com/offsite\n"
)
OWN_SCHEMA = (
    "---\ntitle: Hand-written capture\nurl: https://blog.example.com/post\nsource: https://blog.example.com/post\n"
    "created: 2026-03-10\ncaptured_date: 2026-03-10\ntags:\n  - clippings\n---\n"
    "A capture typed by hand in triage's own schema, with a clipper-like source and created.\n"
)
CHROME = (
    "View Highlight",
    "View Tweet",
    "Location",
    "Updated on",
    "Omnivore",
    "Read Original",
    "Excerpt",
    "Metadata",
    "Full Title",
    "rw-book-cover",
    "Page Notes",
    "Enter URL",
    "Unroll",
    "Thread Reader",
    "⤴",
    "==",
    "](",
    "[[",
    "^",
)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixtures() -> list[str]:
    return sorted(p.name for p in FIXTURES.iterdir() if p.is_file())


def other_fixtures(*mine: str) -> list[str]:
    """Every markdown or text fixture not listed in `mine` (for detection tests), plus the plain
    markdown ones (web pages, PDFs and subtitles have readers of their own file types)."""
    return sorted(
        p.name for p in FIXTURES.iterdir() if p.name not in mine and p.suffix in (".md", ".markdown", ".txt")
    )


def read(name: str, data: bytes | None = None, path: Path | None = None, mtime: float = OLD) -> list[Note]:
    """Every capture in a fixture, read and with its metadata inferred, as the pipeline does."""
    data = fixture(name) if data is None else data
    notes = read_file(data, path or Path("/inbox") / name, MB, mtime)
    return [infer_metadata(n) for n in notes]


def read_one(name: str, **kwargs: object) -> Note:
    notes = read(name, **kwargs)  # type: ignore[arg-type]
    assert len(notes) == 1
    return notes[0]


def read_notes(name: str, data: bytes | None = None, as_name: str | None = None) -> list[Note]:
    """The notes a fixture gives, read as if named `as_name` (file names carry metadata for some
    tools), metadata inferred as in the pipeline."""
    return read(name, data, Path("/inbox") / (as_name or name))


def document(name: str, data: bytes | None = None) -> Document:
    path = Path("/inbox") / name
    readers = [r for r in READERS if path.suffix.lower() in r.suffixes]
    return _document(fixture(name) if data is None else data, path, readers)


def claims(reader_name: str, name: str, data: bytes | None = None, as_name: str | None = None) -> bool:
    """Whether the registry gives the file to `reader_name` (its layout check and its clues
    weighed against every other reader's)."""
    path = Path("/inbox") / (as_name or name)
    readers = [r for r in READERS if path.suffix.lower() in r.suffixes] or [READERS[-1]]
    try:
        doc = _document(fixture(name) if data is None else data, path, readers)
    except CaptureError:
        return False
    return _choose(doc, readers)[0].name == reader_name


def mutated(text: str) -> st.SearchStrategy[str]:
    """Text shaped like a fixture: cut short, lines deleted or doubled, junk inserted."""
    lines = text.split("\n")
    pieces = ["", "---", "## Highlights", "- ", "    - Note:", "> ", "[⤴️](", "#", "==", "`", "\t"]
    junk = st.sampled_from([*pieces, "\u00a0", "]()", "—", "\ufeff"]) | st.text(max_size=20)

    @st.composite
    def build(draw: st.DrawFn) -> str:
        out = list(lines)
        for _ in range(draw(st.integers(0, 4))):
            op = draw(st.sampled_from(["cut", "delete", "double", "insert", "splice"]))
            if not out:
                break
            i = draw(st.integers(0, len(out) - 1))
            if op == "cut":
                out = [*out[:i], out[i][: draw(st.integers(0, len(out[i])))]]
            elif op == "delete":
                del out[i]
            elif op == "double":
                out.insert(i, out[i])
            elif op == "insert":
                out.insert(i, draw(junk))
            else:
                j = draw(st.integers(0, len(out[i])))
                out[i] = out[i][:j] + draw(junk) + out[i][j:]
        return "\n".join(out)

    return build()


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """The fixture cut short, with lines deleted, duplicated or swapped, and junk inserted."""
    lines = data.split(b"\n")
    for _ in range(draw(st.integers(0, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "dup", "junk", "swap", "cut-line"]))
        if op == "delete":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "junk":
            junk = draw(st.text(max_size=40)).encode("utf-8")
            lines.insert(i, junk)
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = lines[i][: draw(st.integers(0, max(0, len(lines[i]))))]
    out = b"\n".join(lines)
    return out[: draw(st.integers(0, len(out)))] if draw(st.booleans()) else out


def reads_or_explains(name: str, data: bytes) -> None:
    """Reading `data` gives notes or a CaptureError from the reader itself, never a crash that the
    registry had to catch ("unexpected problem")."""
    try:
        notes = read_file(data, FIXTURES / name, MB)
    except CaptureError as exc:
        assert "unexpected problem" not in exc.message, exc.message
        assert "too complex" not in exc.message, exc.message
        return
    for note in notes:
        infer_metadata(note)
        assert note.title


def run_pipeline(tmp_path: Path, nlp, name: str, as_name: str | None = None):
    """Run triage on one fixture: (report, [(title, frontmatter), ...]) for the notes written."""
    from triage.pipeline import run
    from triage.vault.catalog import load_notes

    ws = make_workspace(tmp_path / "ws")
    drop(ws, as_name or name, fixture(name))
    report = run(ws, now=NOW, nlp=nlp)
    notes = []
    for record in load_notes(ws.vault):
        text = (ws.vault / record.path).read_text(encoding="utf-8")
        title = re.search(r"^# (.+)$", text, re.M)
        notes.append((title.group(1) if title else "", record.props))
    return report, notes


def triage_one(ws, nlp, name: str, data: bytes | None = None) -> tuple[dict, str, object]:
    """Run the pipeline on one fixture: (the written note's frontmatter, its text, the report)."""
    from triage.pipeline import run
    from triage.vault.catalog import load_notes

    drop(ws, name, fixture(name) if data is None else data)
    report = run(ws, now=NOW, nlp=nlp)
    records = load_notes(ws.vault)
    assert len(records) == 1, report
    text = (ws.vault / records[0].path).read_text(encoding="utf-8")
    return dict(records[0].props), text, report


def note_title(text: str) -> str:
    m = re.search(r"^# (.+)$", text.split("\n---\n", 1)[1], re.M)
    assert m
    return m.group(1)


CHROME_WORDS = re.compile(
    r"\b(?:Your (?:Bookmark|Highlight|Note)|Location|Updated on|Metadata|Annotations|"
    r"Episode AI description|View Highlight|Added on|kindle://|zotero://|ref-\d+|&quot;|&gt;|&#39;|"
    r"\[!quote\]|Created with|Snipd|Open in)\b",
    re.I,
)


def chrome_in(props: dict, title: str) -> list[str]:
    """Tool chrome found in the parts of a note a reader reads first: title, synopsis, key insights
    and entities (markup left in them, or a tool's own words)."""
    fields = [title, str(props.get("synopsis") or ""), *(props.get("key_insights") or [])]
    fields += [str(e).removeprefix("[[").removesuffix("]]") for e in props.get("entities") or []]
    found = [f"{word!r} in {field!r}" for field in fields for word in CHROME if word in field]
    return found + [f"{m.group(0)!r} in {field!r}" for field in fields if (m := CHROME_WORDS.search(field))]


def template_variants_still_read(data: st.DataObject, tool: str) -> None:
    """Property: a fixture of `tool` mutated the way customised templates differ (sections
    reordered or dropped, heading levels changed, bullets restyled, the reader's keys added, the
    H1 removed; tests/template_mutations.py), saved under its title as sync tools name files, is
    still recognised as `tool`, its title, URL and author are still found, and it is not
    quarantined. Expectations: benchmarks/readers_quality.py's BATTERY."""
    import random

    from benchmarks.readers_quality import BATTERY, MUTATED_CHECKS, check_note, file_name

    from .template_mutations import MUTATIONS, mutate

    name = data.draw(st.sampled_from(sorted(n for n, e in BATTERY.items() if e[0] == tool)))
    ops = data.draw(st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=1, max_size=4))
    expected = BATTERY[name]
    keep = tuple(str(v) for v in expected[1:4] if v)
    text = mutate(fixture(name).decode(), ops, random.Random(data.draw(st.integers(0, 9999))), keep)
    try:
        notes = read_file(text.encode(), Path("/inbox") / file_name(expected[1]), MB, OLD)
    except CaptureError as exc:
        raise AssertionError(f"{name} {ops}: quarantined: {exc.message}") from None
    got = check_note(infer_metadata(notes[0]), expected, loose_title=True)
    wrong = [c for c in MUTATED_CHECKS if not got[c]]
    assert not wrong, f"{name} {ops}: {wrong} ({notes[0].source_tool}, {notes[0].title!r}, {notes[0].url})"
