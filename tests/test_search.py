from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from triage.cli import cli
from triage.vault.catalog import load_notes
from triage.vault.search import fts_query, search

from .conftest import triaged_examples


def test_query_words_are_never_syntax():
    assert fts_query('AND OR "( NEAR grid*') == '"AND" "OR" "NEAR" "grid"*'
    assert fts_query("  ") == ""


@pytest.fixture(scope="module")
def ws(tmp_path_factory, nlp):
    return triaged_examples(tmp_path_factory, nlp, "search")[0]


@pytest.mark.nlp
def test_ranked_results_with_snippets_and_filters(ws):
    hits = search(ws.vault, load_notes(ws.vault), "inference cost")
    assert hits[0].title == "Why Inference Is the New Training"
    assert "**" in hits[0].snippet
    assert (
        search(ws.vault, load_notes(ws.vault), "grid*", since="2026-03-04", until="2026-03-04")[0].title
        == "The Grid Is the New Bottleneck"
    )
    assert search(ws.vault, load_notes(ws.vault), "grid*", since="2026-03-05") == []
    assert [h.title for h in search(ws.vault, load_notes(ws.vault), "weights", topic="open-source")] == [
        "Open Weights and the Next Year of Models (transcript excerpt)"
    ]
    assert search(ws.vault, load_notes(ws.vault), "weights", topic="compute") == []
    notes = load_notes(ws.vault)
    purpose = next(r.get("teleology") for r in notes if r.title.startswith("Local-first"))
    assert search(ws.vault, notes, "crdt", teleology=purpose)[0].title.startswith("Local-first")
    other = next(t for t in ("implement", "reference") if t != purpose)
    assert not any(
        h.title.startswith("Local-first") for h in search(ws.vault, notes, "crdt", teleology=other)
    )


@pytest.mark.nlp
def test_index_follows_edits_and_deletions(ws):
    note = next(p for p in (ws.vault / "notes").rglob("*tinyvec*"))
    text = note.read_text()
    note.write_text(text.replace("## My notes\n", "## My notes\nzanzibarian remark\n"))
    assert len(search(ws.vault, load_notes(ws.vault), "zanzibarian")) == 1
    note.unlink()
    assert search(ws.vault, load_notes(ws.vault), "zanzibarian") == []
    note.write_text(text)


@pytest.mark.nlp
def test_search_command(ws):
    runner = CliRunner()
    result = runner.invoke(cli, ["-w", str(ws.root), "search", "substations"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith(
        "notes/2026/20260304-unknown_article-the_grid_is_the_new_bottleneck.md  The Grid"
    )
    assert lines[-1] == "1 result"
    data = json.loads(
        runner.invoke(cli, ["-w", str(ws.root), "search", "nothing-matches-this", "--json"]).output
    )
    assert data == []
    bad = runner.invoke(cli, ["-w", str(ws.root), "search", "x", "--since", "yesterday"])
    assert bad.exit_code == 2 and "Invalid value for '--since'" in bad.output
