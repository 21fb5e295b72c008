"""Helpers for the capture-tool reader tests (tests/test_source_*.py): read a fixture the way the
pipeline does, mutate it for property tests, and run it end to end."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import strategies as st

from triage.errors import CaptureError
from triage.note import Note
from triage.sources.base import Document
from triage.sources.decode import split_frontmatter
from triage.sources.infer import infer_metadata
from triage.sources.reader import read_file

from .conftest import NOW, OLD, drop, make_workspace

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
MB = 10_000_000


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def read_notes(name: str, data: bytes | None = None, as_name: str | None = None) -> list[Note]:
    """The notes a fixture gives (read as if named `as_name`), metadata inferred (as in the
    pipeline's phase 1)."""
    path = FIXTURES / (as_name or name)
    notes = read_file(fixture(name) if data is None else data, path, MB, float(OLD))
    return [infer_metadata(n) for n in notes]


def document(name: str, data: bytes | None = None) -> Document:
    """A fixture as a reader's `detect` sees it."""
    raw = fixture(name) if data is None else data
    text = raw.decode("utf-8").lstrip("\ufeff").replace("\r\n", "\n")
    fm, body = split_frontmatter(text)
    return Document(FIXTURES / name, raw, text, fm, body)


def other_fixtures(*mine: str) -> list[str]:
    """Every markdown or text fixture not listed in `mine` (for detection tests), plus the plain
    markdown ones (web pages, PDFs and subtitles have readers of their own file types)."""
    return sorted(
        p.name for p in FIXTURES.iterdir() if p.name not in mine and p.suffix in (".md", ".markdown", ".txt")
    )


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
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


CHROME = re.compile(
    r"\b(?:Your (?:Bookmark|Highlight|Note)|Location|Updated on|Metadata|Annotations|"
    r"Episode AI description|View Highlight|Added on|kindle://|zotero://|ref-\d+|&quot;|&gt;|&#39;|"
    r"\[!quote\]|Created with|Snipd|Open in)\b",
    re.I,
)


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


def chrome_in(title: str, props: dict) -> list[str]:
    """Tool chrome found in a written note's title, synopsis, key insights or entities."""
    found = []
    fields = {
        "title": [title],
        "synopsis": [props.get("synopsis") or ""],
        "key_insights": props.get("key_insights") or [],
        "entities": props.get("entities") or [],
    }
    for key, values in fields.items():
        for value in values:
            if m := CHROME.search(str(value)):
                found.append(f"{key}: {m.group(0)!r} in {value!r}")
    return found
