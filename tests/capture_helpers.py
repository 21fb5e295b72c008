"""Helpers for the capture-tool reader tests (tests/test_source_<tool>.py).

Fixtures live in tests/fixtures/sources/<tool>-<variant>.<ext>, written for the project in each
tool's exact layout (../shared/docs/capture-formats.md).
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import strategies as st

from triage.note import Note
from triage.sources.base import Document
from triage.sources.infer import infer_metadata
from triage.sources.reader import READERS, _document, read_file

from .conftest import NOW, OLD, drop

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"
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


def read(name: str, data: bytes | None = None, path: Path | None = None, mtime: float = OLD) -> list[Note]:
    """Every capture in a fixture, read and with its metadata inferred, as the pipeline does."""
    data = fixture(name) if data is None else data
    notes = read_file(data, path or Path("/inbox") / name, 10_000_000, mtime)
    return [infer_metadata(n) for n in notes]


def read_one(name: str, **kwargs: object) -> Note:
    notes = read(name, **kwargs)  # type: ignore[arg-type]
    assert len(notes) == 1
    return notes[0]


def document(name: str, data: bytes | None = None) -> Document:
    path = Path("/inbox") / name
    readers = [r for r in READERS if path.suffix.lower() in r.suffixes]
    return _document(fixture(name) if data is None else data, path, readers)


def claims(reader_name: str, name: str, data: bytes | None = None) -> bool:
    reader = next(r for r in READERS if r.name == reader_name)
    return bool(reader.detect(document(name, data)))


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


def chrome_in(props: dict, title: str) -> list[str]:
    """Tool chrome found in the parts of a note a reader reads first."""
    fields = [title, str(props.get("synopsis") or ""), *(props.get("key_insights") or [])]
    fields += [str(e).removeprefix("[[").removesuffix("]]") for e in props.get("entities") or []]
    return [f"{word!r} in {field!r}" for field in fields for word in CHROME if word in field]
