"""Topic suggestions and accepting them (discover, suggestions, `triage topics`), and the empty taxonomy."""

from __future__ import annotations

import ast
import difflib
import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from triage.cli import cli
from triage.config import parse_taxonomy
from triage.enrich import discover
from triage.enrich.discover import suggest
from triage.errors import LockedError
from triage.lock import locked
from triage.pipeline import reindex, run, validate
from triage.suggestions import append_topic
from triage.vault.catalog import load_notes
from triage.vault.yamlio import safe_load_mapping

from .conftest import NOW, drop, make_workspace

THEMES = {
    "sail": [
        "We reefed the mainsail as the wind rose; the jib stayed trimmed and the boat heeled.",
        "Tacking upwind against the tide, the crew eased the jib sheet and trimmed the mainsail.",
        "The harbour was calm; we hoisted the mainsail, set the jib and sailed out on the tide.",
        "A gust heeled the boat; the skipper reefed the mainsail and the crew eased the jib sheet.",
        "Sailing at night: the tide turned, the wind backed and we trimmed the jib and mainsail.",
        "The regatta boats tacked at the mark; every crew trimmed the jib and the mainsail hard.",
    ],
    "bread": [
        "Knead the dough until smooth, let it proof overnight, then bake the loaf in a hot oven.",
        "A sourdough starter needs flour and water daily; the dough rises slowly before baking.",
        "Shape the dough into a loaf, score the crust and bake it in the oven with steam.",
        "The crust browns in a hot oven; the loaf sounds hollow when the bread is baked.",
        "Rye flour makes a dense dough; proof it longer and bake the loaf at a lower oven heat.",
        "Fold the dough every hour, proof it in a basket, then bake the bread until the crust cracks.",
    ],
    "garden": [
        "Plant the tomato seedlings in compost, water the roots and mulch the garden beds.",
        "Prune the roses in spring; the garden beds need compost and the seedlings need water.",
        "Weeds crowd the seedlings; mulch the beds, water deeply and add compost to the soil.",
        "Sow the seeds in trays of compost, then plant the seedlings out when the soil warms.",
        "The garden soil drains badly; dig in compost, mulch the beds and water the roots less.",
        "Harvest the tomatoes, pull the weeds and spread compost on the garden beds for winter.",
    ],
}
TAXONOMY = "# my topics, none yet\ntopics: {}  # filled by triage topics accept\n# end of file\n"


def notes_of(themes=THEMES):
    return [(f"notes/{name}-{i}.md", text) for name, texts in themes.items() for i, text in enumerate(texts)]


def test_suggestions_group_themes_and_are_deterministic():
    found = suggest(notes_of())
    assert 2 <= len(found) <= 4
    groups = [[p.split("/")[1].split("-")[0] for p in s.notes] for s in found]
    majority = [max(set(g), key=g.count) for g in groups]
    assert sorted(majority) == sorted(THEMES)  # one suggestion per theme
    assert all(g.count(m) >= 0.8 * len(g) for g, m in zip(groups, majority, strict=True))
    assert sum(len(s.notes) for s in found) >= 12
    again = suggest(list(reversed(notes_of())))
    assert [(s.id, s.label, s.keywords, s.notes) for s in again] == [
        (s.id, s.label, s.keywords, s.notes) for s in found
    ]
    assert all(s.id and s.id == s.id.lower() and " " not in s.id for s in found)


def test_suggestions_never_reuse_a_taken_id():
    first = suggest(notes_of())
    taken = [s.id for s in first]
    assert not {s.id for s in suggest(notes_of(), taken=taken)} & set(taken)


def test_too_few_notes_give_no_suggestion():
    assert suggest(notes_of()[:6]) == []


POOLS = {
    "sail": [
        *"mainsail jib tide tack reef heel crew harbour mooring anchor keel rudder helm".split(),
        "gust",
        "squall",
    ],
    "bread": "dough loaf crust flour yeast starter proof knead oven bake rye crumb sourdough levain".split(),
    "garden": [
        *"compost seedling mulch soil weeds prune roses tomato beds sow harvest trowel".split(),
        "hedge",
        "lawn",
    ],
    "chess": "pawn bishop rook knight castling checkmate gambit endgame opening grandmaster blitz".split(),
}
FILLERS = [f"w{a}{b}" for a in "abcdefgh" for b in "abcdefgh"]  # words every theme uses


def backlog(n: int, seed: int) -> list[tuple[str, str]]:
    """A first backlog: n notes on four themes, each with 4 of its theme's words among 8 fillers."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        theme = list(POOLS)[i % len(POOLS)]
        words = rng.sample(POOLS[theme], 4) + rng.sample(FILLERS, 8)
        rng.shuffle(words)
        out.append((f"notes/{theme}-{i:03d}.md", " ".join(words) + "."))
    return out


@pytest.mark.parametrize("seed", [0, 1])
def test_a_first_backlog_is_mostly_suggested_and_pure(seed):
    found = suggest(backlog(60, seed))
    groups = [[p.split("/")[1].split("-")[0] for p in s.notes] for s in found]
    members = sum(map(len, groups))
    assert members >= 54  # (45 and 44 before: 50 directions for 60 notes, nobody left out joined)
    assert sum(max(g.count(t) for t in set(g)) for g in groups) >= 0.9 * members


def test_directions_follow_the_vault_and_left_out_notes_join_a_clear_group():
    assert discover.dims(100) == 20 and discover.dims(500) == discover.DIMS == 50 and discover.dims(3) == 2
    import numpy as np

    together = np.full((8, 8), 0.1)
    together[:3, :3] = together[3:6, 3:6] = 1.0
    together[6, :3] = together[:3, 6] = 0.55  # with the first group in over half the runs: joins
    together[7, 3:6] = together[3:6, 7] = 0.45  # with the second in under half: stays out
    assert discover._attach(together, [[0, 1, 2], [3, 4, 5]]) == [[0, 1, 2, 6], [3, 4, 5]]
    assert discover._attach(together, []) == []


def test_suggestions_do_not_import_the_pipeline_and_share_its_lock(tmp_path):
    import triage.suggestions

    source = Path(triage.suggestions.__file__).read_text(encoding="utf-8")
    imported = {
        node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module is not None
    }
    assert "pipeline" not in imported and "triage.pipeline" not in imported
    ws = make_workspace(tmp_path)
    with locked(ws), pytest.raises(LockedError), locked(ws):
        pass
    with locked(ws):  # released
        pass


def test_empty_taxonomy_is_valid():
    assert parse_taxonomy({"topics": {}}).topics == {}
    assert parse_taxonomy({"topics": None}).topics == {}


def test_append_topic_keeps_every_other_byte():
    text = "# head\ntopics:\n  ai:   # mine\n    label: AI\n    keywords: [ai]\n\n# tail comment\n"
    out = append_topic(text, "sail", "sail, jib", ["sail", "jib"])
    assert out == (
        "# head\ntopics:\n  ai:   # mine\n    label: AI\n    keywords: [ai]\n"
        '  sail:\n    label: "sail, jib"\n    keywords: ["sail", "jib"]\n\n# tail comment\n'
    )
    empty = append_topic(TAXONOMY, "x", "X", ["y"])
    assert empty == (
        '# my topics, none yet\ntopics:  # filled by triage topics accept\n  x:\n    label: "X"\n'
        '    keywords: ["y"]\n# end of file\n'
    )
    assert list(parse_taxonomy(safe_load_mapping(empty)).topics) == ["x"]


@pytest.fixture(scope="module")
def themed(tmp_path_factory, nlp):
    """A workspace with `topics: {}` after one run over the three themes."""
    ws = make_workspace(tmp_path_factory.mktemp("topics") / "ws")
    (ws.vault / "_triage").mkdir(parents=True)
    (ws.vault / "_triage" / "taxonomy.yaml").write_text(TAXONOMY)
    for name, texts in THEMES.items():
        for i, text in enumerate(texts):
            drop(ws, f"2026-02-{i + 1:02d}-{name}{i}.md", f"# {name.title()} {i}\n\n{text}")
    report = run(ws, now=NOW, nlp=nlp)
    assert report.failed == [] and len(report.processed) == 18
    return ws


def invoke(ws, *args):
    return CliRunner().invoke(cli, ["-w", str(ws.root), *args], catch_exceptions=False)


def test_runs_pages_and_validate_work_with_an_empty_taxonomy(themed):
    notes = load_notes(themed.vault)
    assert all(r.get("topics") == [] for r in notes)
    assert any("taxonomy has no topics" in x for x in notes[0].strings("triage_reasons"))
    assert validate(themed) == []
    topics_page = (themed.vault / "Topics.md").read_text()
    home = (themed.vault / "Home.md").read_text()
    assert "## Suggested topics" in topics_page and "Suggested topics" in home
    assert reindex(themed) == 0  # pages are already current


def test_suggest_json_shape_and_text(themed):
    result = invoke(themed, "topics", "suggest", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert list(data) == ["suggestions"] and data["suggestions"]
    for s in data["suggestions"]:
        assert list(s) == ["id", "label", "keywords", "notes"]
        assert all((themed.vault / p).is_file() for p in s["notes"])
    again = invoke(themed, "topics", "suggest", "--json")
    assert again.output == result.output
    text = invoke(themed, "topics", "suggest")
    assert text.exit_code == 0
    assert (
        text.output.splitlines()[-2]
        == f"{len(data['suggestions'])} suggested topics from 18 notes without a topic"
    )
    assert data["suggestions"][0]["id"] in text.output


def test_accept_adds_the_topic_and_gives_it_to_unedited_notes(tmp_path, nlp, themed):
    import shutil

    ws = make_workspace(tmp_path / "ws")
    shutil.copytree(themed.vault, ws.vault, dirs_exist_ok=True)
    first = json.loads(invoke(ws, "topics", "suggest", "--json").output)["suggestions"][0]
    edited, untouched = first["notes"][0], first["notes"][1]
    mine = (ws.vault / edited).read_text() + "\nMy own thought.\n"
    (ws.vault / edited).write_text(mine)
    before = (ws.vault / untouched).read_text()

    result = invoke(ws, "topics", "accept", first["id"], "--label", "My theme")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"added topic {first['id']} (My theme) to _triage/taxonomy.yaml"
    assert lines[1] == f"gave it to {len(first['notes']) - 1} notes"
    assert f"    {edited}" in lines
    taxonomy = (ws.vault / "_triage" / "taxonomy.yaml").read_text()
    assert taxonomy.startswith("# my topics, none yet\ntopics:  # filled by triage topics accept\n")
    assert taxonomy.endswith("# end of file\n") and f'  {first["id"]}:\n    label: "My theme"\n' in taxonomy
    assert (ws.vault / edited).read_text() == mine  # the reader's edit is never touched
    after = (ws.vault / untouched).read_text()
    diff = [d for d in difflib.ndiff(before.splitlines(), after.splitlines()) if d[0] in "+-"]
    tid = first["id"]
    assert sorted(diff) == sorted(
        [
            "- topics: []",
            "+ topics:",
            f"+   - {tid}",
            f"+   - {tid}",  # the tag
            next(d for d in diff if d.startswith('-   - "topics: none')),
            f"+   - \"topics: {tid} (accepted suggestion 'My theme')\"",
            "- (none: listed in the [[Review Queue]])",
            f"+ [[Topic - My theme|{tid}]]",
        ]
    ), diff
    record = next(r for r in load_notes(ws.vault) if r.path == untouched)
    assert record.get("topics") == [first["id"]] and first["id"] in record.get("tags")
    assert f"[[Topic - My theme|{first['id']}]]" in after
    assert (ws.vault / "topics" / "Topic - My theme.md").is_file()
    assert validate(ws) == []
    # Accepting again: the id is taken now.
    again = invoke(ws, "topics", "accept", first["id"])
    assert again.exit_code == 2 and "already in" in again.output
    # A second accept of the same note (now rewritten by triage) is known to be unedited.
    second = json.loads(invoke(ws, "topics", "suggest", "--json").output)["suggestions"]
    assert all(first["id"] != s["id"] for s in second)


def test_accept_unknown_id_is_a_usage_error(themed):
    result = invoke(themed, "topics", "accept", "no-such-topic")
    assert result.exit_code == 2
    assert result.output.startswith("Error: no suggested topic 'no-such-topic'")


def test_notes_written_before_the_record_count_as_edited(tmp_path, themed):
    import shutil

    ws = make_workspace(tmp_path / "ws")
    shutil.copytree(themed.vault, ws.vault, dirs_exist_ok=True)
    (ws.vault / ".triage" / "written.sqlite").unlink()
    first = json.loads(invoke(ws, "topics", "suggest", "--json").output)["suggestions"][0]
    before = {p: (ws.vault / p).read_bytes() for p in first["notes"]}
    result = invoke(ws, "topics", "accept", first["id"])
    assert result.exit_code == 0 and "gave it to 0 notes" in result.output
    assert {p: (ws.vault / p).read_bytes() for p in first["notes"]} == before
