"""Related notes and same-story flags (enrich/related.py), the `related:` schema, `triage related`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from triage.cli import TYPES_JSON, cli
from triage.config import Settings
from triage.enrich import related as rel
from triage.enrich.related_report import find_note
from triage.note import PROPERTY_ORDER, NoteProperties
from triage.pipeline import run
from triage.vault.catalog import link_target, load_notes

from .conftest import NOW, drop, make_workspace

HEAT_1 = """# Heat pumps are winning Norway's cold winters

Ingrid Solberg, who runs the installer Varmefjord in Tromso, says heat pumps now heat most new homes
in northern Norway. Her crews fitted 1,400 air-to-water heat pumps last year, twice as many as in 2022.

Cold-climate heat pumps keep working at minus 25 degrees, Solberg says, and the electricity they use
costs a household less than half of what direct electric heating did. Varmefjord now trains
apprentices in refrigerant handling because installers, not hardware, are the bottleneck.
"""

HEAT_2 = """# Varmefjord's installers cannot keep up with heat pump orders

Varmefjord has a waiting list of nine months for heat pumps, Ingrid Solberg told a meeting of
installers in Tromso. Homeowners in northern Norway want air-to-water heat pumps since electricity
prices rose, and the company cannot hire trained installers fast enough.

Solberg wants the government to pay for refrigerant courses. Cold-climate heat pumps are proven,
she says; the shortage of people who can install heat pumps is what slows the switch.
"""

BREAD = """# A slower sourdough

Leave the dough in the fridge overnight. The cold slows the yeast while the bacteria keep making
acid, so the crumb tastes deeper and the crust blisters in the oven. Feed the starter twice the
day before, bake in a covered pot at 250 degrees, and take the lid off for the last twenty minutes.
"""


MATCH_1 = """# Harrow Town win the derby in the rain

Harrow Town beat Kelmscott Rovers 2-1 on Saturday. Their striker Dan Okafor scored twice in the
second half, once from a penalty, and the home fans sang through the rain until the final whistle.
The coach said the win keeps them third in the league with six matches of the season left.
"""

MATCH_2 = """# Kelmscott Rovers sack their manager after a fifth defeat

Kelmscott Rovers dismissed Pat Mullan on Monday. The club has lost five league games in a row, and
the board said a new coach would be named before the next match. Supporters had called for change
since the derby, when a late penalty decided a game the side had led at half time.
"""


def notes_by_title(ws):
    return {r.title: r for r in load_notes(ws.vault)}


def links(record) -> list[str]:
    return [link_target(x) for x in record.strings("related")]


# --- pure functions --------------------------------------------------------------------------------


def test_urls_are_normalised():
    same = [
        "https://www.example.com/a/b/?utm_source=x&utm_medium=y",
        "http://example.com/a/b",
        "https://EXAMPLE.com/a/b#part",
        "https://example.com/a/b/?fbclid=123",
    ]
    assert {rel.normalize_url(u) for u in same} == {"example.com/a/b"}
    assert rel.normalize_url("https://twitter.com/ana/status/1?s=20&t=abc") == "x.com/ana/status/1"
    assert rel.normalize_url("https://x.com/ana/status/1") == "x.com/ana/status/1"
    assert rel.normalize_url("https://example.com/p?id=2&a=1") == "example.com/p?a=1&id=2"
    assert rel.normalize_url("https://example.com/p?id=2") != rel.normalize_url("https://example.com/p?id=3")
    assert rel.normalize_url(None) is None and rel.normalize_url("not a url") is None


def test_rare_shared_entities_weigh_more_than_common_ones():
    edf = {"Ingrid Solberg": 2, "Norway": 400, "Varmefjord": 3, "Oslo": 300}
    rare, shared = rel.entity_similarity(["Ingrid Solberg", "Oslo"], ["Ingrid Solberg", "Norway"], edf, 1000)
    common, _ = rel.entity_similarity(["Norway", "Varmefjord"], ["Norway", "Ingrid Solberg"], edf, 1000)
    assert shared == ["Ingrid Solberg"]
    assert rare > common > 0
    assert rel.entity_similarity([], ["Norway"], edf, 1000) == (0.0, [])


def test_topics_and_text_features():
    assert rel.topic_similarity(["a", "b"], ["b", "c"]) == (0.5, ["b"])
    assert rel.topic_similarity(["a"], []) == (0.0, [])
    v = rel.tfidf({"heat": 3, "pump": 2}, {"heat": 1, "pump": 50}, 100)
    assert abs(sum(x * x for x in v.values()) - 1) < 1e-9
    assert v["heat"] > v["pump"]  # rarer and more frequent
    assert rel.cosine(v, v) == pytest.approx(1.0)
    assert rel.cosine(v, {"bread": 1.0}) == 0.0


def link(key: str, score: float, same: str | None = None) -> rel.Link:
    return rel.Link(key, key, score, score, 0.0, 0.0, [], [], [], same)


def test_floor_and_limit_are_honoured_and_same_story_comes_first():
    f = rel.FLOOR
    found = [link("a", f + 0.01), link("b", f), link("c", f - 0.001), link("d", 0.01, "same URL")]
    assert [lk.key for lk in rel.best(found, 5)] == ["d", "a", "b"]
    assert [lk.key for lk in rel.best(found, 2)] == ["d", "a"]
    assert rel.best(found, 0) == []
    assert [lk.key for lk in rel.best(found, 5, floor=f + 0.05)] == ["d"]
    assert rel.best([link("c", f - 0.001)], 5) == []


def test_weak_links_do_not_ride_along_with_a_strong_one():
    strong = 0.6
    found = [link("a", strong), link("b", strong * rel.RELATIVE), link("c", strong * rel.RELATIVE - 0.01)]
    assert [lk.key for lk in rel.best(found, 5)] == ["a", "b"]


def test_same_story_reasons():
    a = rel.Profile("a", "A", {}, url="x.com/a/status/1", people=frozenset({"Ann Lee", "Bo Chen"}))
    b = rel.Profile("b", "B", {}, url="x.com/a/status/1")
    c = rel.Profile("c", "C", {}, url="example.com/c", people=frozenset({"Ann Lee", "Bo Chen", "Cy Day"}))
    assert rel.same_story_reason(a, b, 0.0) == "same URL"
    assert rel.same_story_reason(b, c, rel.SAME_TEXT) == "nearly the same text"
    assert rel.same_story_reason(b, c, rel.SAME_TEXT - 0.01) is None
    assert rel.same_story_reason(a, c, rel.SAME_PEOPLE_TEXT) == "same people, similar text"
    assert rel.same_story_reason(a, c, rel.SAME_PEOPLE_TEXT - 0.01) is None


def test_why_names_what_is_shared():
    lk = rel.Link("k", "K", 0.5, 0.4, 0.6, 0.5, ["Ingrid Solberg"], ["energy"], ["heat", "pumps"], "same URL")
    assert lk.why({"energy": "Energy"}) == (
        "probably the same story (same URL) · shared entities: Ingrid Solberg · shared topic: Energy"
        " · similar text: heat, pumps"
    )


def test_schema_has_related_and_same_story():
    i = PROPERTY_ORDER.index("entities")
    assert PROPERTY_ORDER[i + 1 : i + 3] == ("related", "same_story")
    assert TYPES_JSON["types"]["related"] == "multitext"
    assert TYPES_JSON["types"]["same_story"] == "multitext"
    base = {
        "id": "SOURCE-20260301-001",
        "captured_date": "2026-03-01",
        "original_filename": "a.md",
        "status": "triaged",
        "platform": "web",
        "format": "article",
        "signal_tier": "low",
        "teleology": "explore",
    }
    NoteProperties.model_validate({**base, "related": ["[[20260301-web_article-a]]"], "same_story": []})
    for key in ("related", "same_story"):
        with pytest.raises(ValueError, match="is not a wikilink"):
            NoteProperties.model_validate({**base, key: ["20260301-web_article-a"]})
    assert Settings().related_max == 5
    with pytest.raises(ValueError):
        Settings(related_max=-1)


# --- in the pipeline -------------------------------------------------------------------------------


@pytest.mark.nlp
@pytest.mark.parametrize("order", [("HEAT_1", "HEAT_2"), ("HEAT_2", "HEAT_1")])
def test_one_batch_in_either_order_the_later_note_links_the_earlier(tmp_path, nlp, order):
    ws = make_workspace(tmp_path / "ws")
    texts = {"HEAT_1": HEAT_1, "HEAT_2": HEAT_2}
    drop(ws, "bread.md", BREAD)
    for i, name in enumerate(order):  # the inbox is read in name order
        drop(ws, f"{i}-{name}.md", texts[name])
    run(ws, now=NOW, nlp=nlp)
    notes = {r.get("original_filename"): r for r in load_notes(ws.vault)}
    first, second = notes[f"0-{order[0]}.md"], notes[f"1-{order[1]}.md"]
    assert links(second) == [first.stem]
    assert links(first) == []  # links go from newer to older only: the first had nothing before it
    assert links(notes["bread.md"]) == []
    text = (ws.vault / second.path).read_text(encoding="utf-8")
    section = text.split("## Related\n", 1)[1].split("\n## Capture", 1)[0]
    assert section.startswith(f"- [[{first.stem}|")
    assert "shared entities: " in section and "Ingrid Solberg" in section and "similar text: " in section
    assert "(none: no earlier note is similar enough)" in (ws.vault / notes["bread.md"].path).read_text()


@pytest.mark.nlp
def test_a_later_run_links_notes_of_an_earlier_run_and_honours_related_max(tmp_path, nlp):
    ws = make_workspace(tmp_path / "ws")
    drop(ws, "a.md", HEAT_1)
    drop(ws, "b.md", HEAT_2.replace("# Varmefjord's", "# More on Varmefjord's"))
    run(ws, now=NOW, nlp=nlp)
    drop(ws, "c.md", HEAT_2 + "\nInstallers in Bodo say the same.\n")
    drop(ws, "d.md", BREAD.replace("slower", "colder"))
    run(ws, now=NOW, nlp=nlp)
    notes = {r.get("original_filename"): r for r in load_notes(ws.vault)}
    # b (a near copy) first; a is related too, but scores well under b: the relative floor drops it
    assert links(notes["c.md"]) == [notes["b.md"].stem]
    assert links(notes["b.md"]) == [notes["a.md"].stem]
    assert links(notes["d.md"]) == []
    copies = [HEAT_1, HEAT_1.replace("1,400", "1,500"), HEAT_1.replace("1,400", "1,600")]
    for limit, expected in ((5, [0, 1, 2]), (1, [0, 1, 1])):
        each = make_workspace(tmp_path / f"limit{limit}", related_max=limit)
        for i, text in enumerate(copies):
            drop(each, f"{i}.md", text)
        run(each, now=NOW, nlp=nlp)
        found = sorted(load_notes(each.vault), key=lambda r: str(r.get("original_filename")))
        assert [len(links(r)) for r in found] == expected
    off = make_workspace(tmp_path / "off", related_max=0)
    drop(off, "a.md", HEAT_1)
    drop(off, "b.md", HEAT_2)
    run(off, now=NOW, nlp=nlp)
    assert all(links(r) == [] for r in load_notes(off.vault))


@pytest.mark.nlp
def test_same_story_by_url_and_by_text(tmp_path, nlp):
    ws = make_workspace(tmp_path / "ws")
    drop(ws, "a.md", f"---\nurl: https://www.example.com/heat/?utm_source=feed\n---\n{HEAT_1}")
    drop(ws, "b.md", f"---\nurl: http://example.com/heat\n---\n{BREAD}")  # same URL, other words
    drop(ws, "c.md", HEAT_2)
    drop(ws, "d.md", HEAT_2.replace("nine months", "ten months"))  # not the same bytes, the same text
    run(ws, now=NOW, nlp=nlp)
    notes = {r.get("original_filename"): r for r in load_notes(ws.vault)}
    same = {k: [link_target(x) for x in r.strings("same_story")] for k, r in notes.items()}
    assert same == {"a.md": [], "b.md": [notes["a.md"].stem], "c.md": [], "d.md": [notes["c.md"].stem]}
    assert notes["a.md"].props["same_story"] == []  # every key on every note (#11), empty here
    assert links(notes["b.md"])[0] == notes["a.md"].stem  # a same-story note is always linked, first
    queue = (ws.vault / "Review Queue.md").read_text(encoding="utf-8")
    section = queue.split("## Probably the same story\n", 1)[1]
    assert f"[[{notes['d.md'].stem}|" in section and f"[[{notes['c.md'].stem}|" in section
    assert f"[[{notes['b.md'].stem}|" in section and f"[[{notes['a.md'].stem}|" in section


@pytest.mark.nlp
def test_related_command(tmp_path, nlp):
    ws = make_workspace(tmp_path / "ws")
    drop(ws, "a.md", HEAT_1)
    drop(ws, "b.md", HEAT_2)
    drop(ws, "c.md", BREAD)
    run(ws, now=NOW, nlp=nlp)
    notes = {r.get("original_filename"): r for r in load_notes(ws.vault)}
    a, b = notes["a.md"], notes["b.md"]
    runner = CliRunner()
    args = ["-w", str(ws.root), "related", "--vault", str(ws.vault)]
    res = runner.invoke(cli, [*args, a.stem, "--json"])  # the older note: its newer relative shows too
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["note"] == a.stem and data["path"] == a.path
    assert [r["note"] for r in data["related"]] == [b.stem]
    first = data["related"][0]
    assert set(first) == {
        "note",
        "path",
        "title",
        "score",
        "text",
        "latent",
        "entities",
        "topics",
        "same_story",
        "why",
    }
    assert (
        first["path"] == b.path
        and first["same_story"] is None
        and first["score"] >= rel.LEXICAL_FLOOR == data["floor"]
    )
    res = runner.invoke(cli, [*args, str(ws.vault / b.path)])  # by path; text output
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0] == f"Related to {b.stem}:"
    assert lines[1] == f"  {first['score']:.2f}  {a.stem}" or lines[1].endswith(f"  {a.stem}")
    assert lines[2].strip().startswith("shared entities: ")
    assert lines[-1] == "1 related note"
    res = runner.invoke(cli, [*args, "A slower sourdough"])  # by title: nothing related
    assert res.exit_code == 0
    assert res.output.splitlines()[-1] == f"no related notes (none scores {rel.LEXICAL_FLOOR} or more)"
    res = runner.invoke(cli, [*args, "no such note"])
    assert res.exit_code == 2
    assert "Error: no note matches 'no such note'" in res.output


@pytest.mark.nlp
def test_in_a_vault_of_four_notes_a_word_two_notes_share_still_finds_the_other(tmp_path, nlp):
    """A word in 2 of 4 notes is in over COMMON of them: it must still bring candidates (before,
    `triage related` found nothing in a vault this small: only shared rare entities brought any)."""
    ws = make_workspace(tmp_path / "ws")
    for name, text in (("a.md", HEAT_1), ("b.md", BREAD), ("c.md", MATCH_1)):
        drop(ws, name, text)
    run(ws, now=NOW, nlp=nlp)
    drop(ws, "d.md", MATCH_2)
    run(ws, now=NOW, nlp=nlp)  # a second run: c is in the index, not in the run's batch
    notes = {r.get("original_filename"): r for r in load_notes(ws.vault)}
    assert links(notes["d.md"]) == [notes["c.md"].stem]
    args = ["-w", str(ws.root), "related", "--vault", str(ws.vault), "--json"]
    found = {
        k: [r["note"] for r in json.loads(CliRunner().invoke(cli, [*args, notes[k].stem]).output)["related"]]
        for k in notes
    }
    assert found == {"a.md": [], "b.md": [], "c.md": [notes["d.md"].stem], "d.md": [notes["c.md"].stem]}


def test_find_note_says_when_a_name_is_ambiguous(tmp_path):
    from triage.errors import TriageError
    from triage.vault.catalog import Record

    records = [
        Record("notes/2026/a.md", {"aliases": ["Same"]}),
        Record("notes/2026/b.md", {"aliases": ["Same"]}),
    ]
    assert find_note(records, "a", tmp_path).path == "notes/2026/a.md"
    assert find_note(records, "[[b]]", tmp_path).path == "notes/2026/b.md"
    assert find_note(records, "notes/2026/b.md", tmp_path).path == "notes/2026/b.md"
    with pytest.raises(TriageError, match="2 notes match 'Same'"):
        find_note(records, "Same", tmp_path)
    assert Path("x").name == "x"
