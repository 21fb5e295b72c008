"""Structural performance promises (nothing here is timed)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import triage.vault.catalog
from triage.enrich.nlp import CHUNK_CHARS, chunk
from triage.pipeline import run
from triage.vault.catalog import load_notes

from .conftest import NOW, copy_examples, drop, make_workspace


def test_a_no_op_run_never_imports_spacy(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom triage.cli import cli\n"
        f"r = CliRunner().invoke(cli, ['-w', {str(ws.root)!r}, 'run'])\n"
        "print(r.exit_code, *(m in sys.modules for m in ('spacy', 'thinc', 'sklearn', 'numpy')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "False", "False", "False", "False"]


def test_long_texts_are_chunked_at_block_boundaries():
    parts = [("para", "word " * 3000 + "end.") for _ in range(150)] + [("para", "x" * (3 * CHUNK_CHARS))]
    chunks = list(chunk(0, parts))
    assert all(len(c.text) <= CHUNK_CHARS for c in chunks)
    assert len(chunks) > 10
    joined = "".join(c.text.replace("\n\n", "") for c in chunks)
    assert joined.count("end.") == 150 and joined.count("x") == 3 * CHUNK_CHARS


@pytest.mark.nlp
def test_spacy_never_sees_more_than_a_chunk(ws, nlp):
    old = nlp.max_length
    nlp.max_length = CHUNK_CHARS + 1  # anything longer would raise
    try:
        drop(
            ws,
            "long.md",
            "# Long\n\n" + ("The grid limits where data centers get built. " * 500 + "\n\n") * 3,
        )
        assert len(run(ws, now=NOW, nlp=nlp).processed) == 1
    finally:
        nlp.max_length = old


@pytest.mark.nlp
def test_unchanged_index_pages_keep_their_bytes_and_mtimes(ws, nlp):
    copy_examples(ws)
    run(ws, now=NOW, nlp=nlp)
    pages = {p: p.stat().st_mtime_ns for p in ws.vault.rglob("*.md") if "notes" not in p.parts}
    drop(
        ws, "2026-03-20-tiny.md", "# Tiny\n\nA short note about Kestrel AI and open weights, released today."
    )
    run(ws, now=NOW, nlp=nlp)
    changed = {p.relative_to(ws.vault).as_posix() for p, m in pages.items() if p.stat().st_mtime_ns != m}
    assert "Home.md" in changed
    untouched = {
        "topics/Topic - Compute and hardware.md",
        "entities/Tomas Ferreira.md",
        "platforms/Platform - x.md",
        "teleology/Teleology - implement.md",
        "tiers/Tier - high.md",
    }
    assert not (changed & untouched)
    assert len(changed) < len(pages) / 2


@pytest.mark.nlp
def test_user_edits_show_on_the_next_run_that_has_work(ws, nlp):
    copy_examples(ws)
    run(ws, now=NOW, nlp=nlp)
    note = next(p for p in (ws.vault / "notes").rglob("*.md") if "tinyvec" in p.name)
    note.write_text(note.read_text().replace("status: triaged", "status: reviewed"))
    drop(ws, "2026-03-21-x.md", "# Another\n\nA short note about grids and chips in Taiwan, said TSMC.")
    run(ws, now=NOW, nlp=nlp)
    assert note.stem not in (ws.vault / "Review Queue.md").read_text()


def test_catalog_cache_skips_unchanged_notes(tmp_path, monkeypatch):
    vault = tmp_path / "vault"
    (vault / "notes").mkdir(parents=True)
    for i in range(5):
        (vault / "notes" / f"n{i}.md").write_text(
            f"---\nid: SOURCE-20260101-00{i}\ncaptured_date: 2026-01-01\n---\nx"
        )
    first = load_notes(vault)
    calls = []
    real = triage.vault.catalog.read_frontmatter
    monkeypatch.setattr(triage.vault.catalog, "read_frontmatter", lambda p: calls.append(p) or real(p))
    assert [r.props for r in load_notes(vault)] == [r.props for r in first]
    assert calls == []
    (vault / "notes" / "n2.md").write_text(
        "---\nid: SOURCE-20260101-009\ncaptured_date: 2026-01-02\n---\nchanged"
    )
    (vault / "notes" / "n4.md").unlink()
    again = load_notes(vault)
    assert [c.name for c in calls] == ["n2.md"]
    assert [r.get("id") for r in again] == [
        "SOURCE-20260101-000",
        "SOURCE-20260101-001",
        "SOURCE-20260101-009",
        "SOURCE-20260101-003",
    ]
    (vault / ".triage" / "catalog.sqlite").unlink()
    assert [r.props for r in load_notes(vault)] == [r.props for r in again]  # rebuilt from the notes


@pytest.mark.nlp
def test_worker_processes_give_the_same_result(nlp):
    import copy

    from triage.enrich.nlp import analyze
    from triage.sources.infer import infer_metadata
    from triage.sources.reader import read_capture

    from .conftest import EXAMPLES

    notes = [
        infer_metadata(read_capture(p.read_bytes(), p, 10**7, 1.7e9)) for p in sorted(EXAMPLES.iterdir())
    ]
    one, two = copy.deepcopy(notes), copy.deepcopy(notes)
    analyze(one, nlp, workers=1)
    analyze(two, nlp, workers=2)
    for a, b in zip(one, two, strict=True):
        assert (a.key_insights, a.synopsis, a.entities, a.lemmas) == (
            b.key_insights,
            b.synopsis,
            b.entities,
            b.lemmas,
        )


# --- growth with the input: doubling it at most about doubles the time (issue 22) -----------------
# Each test times the same work on an input of size n and of size 2n in one run (best of three)
# and bounds the RATIO, not the time: <= 3 leaves room for a loaded machine, while work that grows
# with the square of its input shows 4.


def _best(fn, arg, repeat: int = 3) -> float:
    """The best of `repeat` timings, the garbage collector paused (its passes are noise here)."""
    import gc
    import time

    times = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            fn(arg)
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return min(times)


def growth(make, fn, n: int) -> float:
    small, large = make(n), make(2 * n)
    fn(small)  # warm up: imports, caches
    return _best(fn, large) / max(_best(fn, small), 1e-6)


def _clippings(n: int) -> bytes:
    entries = []
    for i in range(n):
        loc = 10 * i
        kind, text = (
            ("Note", f"My thought number {i}.") if i % 3 == 2 else ("Highlight", f"Passage {i} of it.")
        )
        where = f"Location {loc - 7}" if kind == "Note" else f"Location {loc}-{loc + 3}"
        entries.append(
            f"One Long Book (Writer, Ann)\n- Your {kind} on {where} | Added on Tuesday, March 5, 2024 "
            f"9:{i % 60:02d}:07 PM\n\n{text}\n==========\n"
        )
    return "".join(entries).encode()


def test_kindle_clippings_grow_linearly():
    from pathlib import Path

    from triage.sources.reader import read_file

    def read(data: bytes) -> None:
        read_file(data, Path("/inbox/My Clippings.txt"), 10**9)

    assert growth(_clippings, read, 3000) <= 3.0


def test_highlights_scoring_grows_linearly():
    import random

    from triage.enrich.highlights import select_from_highlights
    from triage.enrich.insights import Sentence
    from triage.note import Highlight

    rng = random.Random(5)
    vocab = [f"w{i}" for i in range(300)]  # common words, and one of its own per highlight

    def make(n: int):
        texts = [" ".join(rng.choice(vocab) for _ in range(10)) + f" end{i}." for i in range(n)]
        return (
            [Highlight(t, "", [], "") for t in texts],
            [Sentence(t, i) for i, t in enumerate(texts)],
            [rng.random() for _ in texts],
        )

    assert growth(make, lambda a: select_from_highlights(*a, 3), 1500) <= 3.0


def test_markup_fallback_grows_linearly():
    from triage.sources.html import _stripped

    def make(n: int) -> str:
        return "<div>" * n + "<a " * n + "<script>" * (n // 4) + "<!--" * (n // 4) + " text"

    assert growth(make, _stripped, 20_000) <= 3.0


def test_subtitles_grow_linearly():
    from pathlib import Path

    from triage.sources.reader import read_file

    def make(n: int) -> bytes:
        cues = [
            f"{i + 1}\n00:{i // 60 % 60:02d}:{i % 60:02d},000 --> 00:{i // 60 % 60:02d}:{i % 60:02d},900\n"
            f"words said in cue {i}\n"
            for i in range(n)
        ]
        return "\n".join(cues).encode()

    assert growth(make, lambda d: read_file(d, Path("/inbox/talk.srt"), 10**9), 3000) <= 3.0


def test_deep_web_page_grows_linearly():
    from pathlib import Path

    from triage.sources.reader import read_file

    def make(n: int) -> bytes:
        return (
            "<html><body>"
            + "<div>" * n
            + "<p>Text worth reading in the middle of it all.</p>"
            + "<a " * (10 * n)
            + "</div>" * n
            + "</body></html>"
        ).encode()

    assert growth(make, lambda d: read_file(d, Path("/inbox/deep.html"), 10**9), 2000) <= 3.0
