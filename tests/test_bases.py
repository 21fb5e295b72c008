"""`Triage.base` (`triage/vault/bases.py`): valid YAML, only properties triage writes, filters and
sorts that select what they say (a small evaluator of the Bases subset the file uses, run over the
golden vault's notes), and the reader's edits kept. Also the review queue's order (`vault/pages.py`)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from triage.config import default_text, parse_rules
from triage.note import PROPERTY_ORDER
from triage.vault import bases
from triage.vault.catalog import Record, load_notes
from triage.vault.pages import Item, build_pages, tier_first_order
from triage.vault.render import make_env
from triage.vault.writer import VaultWriter
from triage.vault.yamlio import safe_load_mapping

RULES = parse_rules(safe_load_mapping(default_text("rules.yaml")))
GOLDEN = Path(__file__).resolve().parent / "golden" / "expected"


# --- a tiny evaluator of the Bases expressions Triage.base uses ---------------------------------

_CMP = re.compile(r'^([a-z_.]+) (==|!=) "([^"]*)"$')
_LEN = re.compile(r"^([a-z_]+)\.length > 0$")
_FOLDER = re.compile(r'^file\.inFolder\("([^"]+)"\)$')
_IF = re.compile(r'^if\(([a-z_]+) == "([^"]*)", (\d+), (.+)\)$')


def formula(expr: str, props: dict[str, Any]) -> int:
    m = _IF.match(expr)
    if m:
        return int(m.group(3)) if props.get(m.group(1)) == m.group(2) else formula(m.group(4), props)
    return int(expr)  # the last alternative: a number


def value(name: str, path: str, props: dict[str, Any], formulas: dict[str, str]) -> Any:
    if name.startswith("formula."):
        return formula(formulas[name[len("formula.") :]], props)
    if name == "file.name":
        return Path(path).stem
    return props.get(name.removeprefix("note."))


def holds(flt: Any, path: str, props: dict[str, Any], formulas: dict[str, str]) -> bool:
    if flt is None:
        return True
    if isinstance(flt, dict):
        (op, parts), *rest = flt.items()
        assert not rest, "a filter object has exactly one key"
        results = [holds(p, path, props, formulas) for p in parts]
        return {"and": all, "or": any, "not": lambda r: not any(r)}[op](results)
    m = _FOLDER.match(flt)
    if m:
        return path.startswith(m.group(1).rstrip("/") + "/")
    m = _CMP.match(flt)
    if m:
        got = value(m.group(1), path, props, formulas)
        return (str(got) == m.group(3)) == (m.group(2) == "==")
    m = _LEN.match(flt)
    if m:
        got = props.get(m.group(1))
        return isinstance(got, list) and len(got) > 0
    raise AssertionError(f"the evaluator does not know {flt!r}: extend it with the base")


def run_view(base: dict[str, Any], view: dict[str, Any], records: list[Record]) -> list[str]:
    """The file names a view lists, in its order (groups in their order, then the view's sort)."""
    formulas = base.get("formulas") or {}
    rows = [r for r in records if holds(base.get("filters"), r.path, r.props, formulas)]
    rows = [r for r in rows if holds(view.get("filters"), r.path, r.props, formulas)]
    for s in reversed(view.get("sort") or []):  # stable sorts, last key first
        rows.sort(
            key=lambda r, p=s["property"]: str(value(p, r.path, r.props, formulas) or ""),
            reverse=s["direction"] == "DESC",
        )
    if view.get("groupBy"):
        g = view["groupBy"]["property"]
        rows.sort(key=lambda r: str(r.props.get(g) or ""), reverse=view["groupBy"]["direction"] == "DESC")
    names = [Path(r.path).stem for r in rows]
    return names[: view["limit"]] if view.get("limit") else names


@pytest.fixture
def golden_notes(tmp_path: Path) -> list[Record]:
    """The golden vault's notes, with a mix of statuses (so the filters have something to reject)."""
    vault = tmp_path / "vault"
    shutil.copytree(GOLDEN / "notes", vault / "notes")
    records = load_notes(vault, use_cache=False)
    assert len(records) >= 6
    for i, r in enumerate(records):
        r.props["status"] = ["triaged", "reviewed", "triaged", "archived"][i % 4]
        r.props["signal_tier"] = RULES.tiers[(i // 2) % len(RULES.tiers)]
    records[0].props["same_story"] = [f"[[{Path(records[1].path).stem}]]"]
    return records


def parsed() -> dict[str, Any]:
    return safe_load_mapping(bases.render_base(RULES))


def test_valid_yaml_with_the_views_a_reader_works_the_queue_with():
    base = parsed()
    assert [v["name"] for v in base["views"]] == [
        "To review",
        "By teleology",
        "Recent captures",
        "Same story",
    ]
    assert all(v["type"] == "table" for v in base["views"])


def _referenced(base: dict[str, Any]) -> set[str]:
    names = set(base["properties"])
    for view in base["views"]:
        names |= set(view.get("order", [])) | {s["property"] for s in view.get("sort", [])}
        if view.get("groupBy"):
            names.add(view["groupBy"]["property"])
        for f in (view.get("filters") or {}).get("and", []):
            names.add(re.split(r"[ .(]", f)[0])
    return names


def test_only_properties_triage_writes():
    base = parsed()
    for name in _referenced(base):
        if name.startswith("formula."):
            assert name[len("formula.") :] in base["formulas"], name
        elif name.startswith("file."):
            assert name in {"file.name"}, name
        else:
            assert name in PROPERTY_ORDER, f"{name} is not a property triage writes"


def test_tier_rank_follows_the_rules_tiers():
    expr = parsed()["formulas"]["tier_rank"]
    assert [formula(expr, {"signal_tier": t}) for t in RULES.tiers] == list(range(len(RULES.tiers)))
    assert formula(expr, {"signal_tier": "unheard-of"}) == len(RULES.tiers)
    assert formula(expr, {}) == len(RULES.tiers)


def test_filters_select_what_they_say(golden_notes):
    base = parsed()
    views = {v["name"]: v for v in base["views"]}
    stem = {Path(r.path).stem: r for r in golden_notes}

    queue = run_view(base, views["To review"], golden_notes)
    assert set(queue) == {s for s, r in stem.items() if r.props["status"] == "triaged"}
    # the same order as the Review Queue page: highest tier first, then newest
    items = [Item(s, "", str(stem[s].props.get("captured_date")), "triaged", stem[s].props["signal_tier"], "")
             for s in queue]  # fmt: skip
    expected = [(i.tier, i.date) for i in tier_first_order(items, RULES.tiers)]
    assert [(i.tier, i.date) for i in items] == expected  # ties (same tier and day) in any order
    assert len({i.tier for i in items}) > 1

    grouped = run_view(base, views["By teleology"], golden_notes)
    assert set(grouped) == {s for s, r in stem.items() if r.props["status"] != "archived"}
    tele = [stem[s].props["teleology"] for s in grouped]
    assert tele == sorted(tele)

    recent = run_view(base, views["Recent captures"], golden_notes)
    assert set(recent) == set(stem)
    dates = [str(stem[s].props["captured_date"]) for s in recent]
    assert dates == sorted(dates, reverse=True)

    same = run_view(base, views["Same story"], golden_notes)
    assert same == [
        s for s, r in stem.items() if r.props.get("same_story") and r.props["status"] == "triaged"
    ]


def test_index_pages_are_not_in_the_base(tmp_path: Path):
    base = parsed()
    assert not holds(base["filters"], "Home.md", {"status": "triaged"}, base["formulas"])
    assert not holds(base["filters"], "entities/Ada.md", {}, base["formulas"])
    assert holds(base["filters"], "notes/2026/x.md", {}, base["formulas"])


def test_the_readers_edits_are_kept(tmp_path: Path):
    vault = tmp_path / "vault"
    vault.mkdir()
    writer = VaultWriter(vault)
    assert bases.write_base(writer, RULES) == 1
    path = vault / bases.BASE
    first = path.read_text(encoding="utf-8")
    assert bases.write_base(writer, RULES) == 0  # unchanged
    # triage's own older version (other tiers) is brought up to date
    other = RULES.model_copy(update={"tiers": ["must", "paradigm", "high", "medium", "low"]})
    assert bases.write_base(writer, other) == 1 and "must" in path.read_text(encoding="utf-8")
    # the reader changes a view (as Obsidian does): from then on the file is theirs
    mine = path.read_text(encoding="utf-8").replace("limit: 50", "limit: 20")
    path.write_text(mine, encoding="utf-8")
    assert bases.write_base(VaultWriter(vault), RULES) == 0
    assert path.read_text(encoding="utf-8") == mine
    # deleted: triage's current version comes back
    path.unlink()
    assert bases.write_base(VaultWriter(vault), RULES) == 1
    assert path.read_text(encoding="utf-8") == first


def test_a_base_triage_has_no_record_of_is_the_readers(tmp_path: Path):
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / bases.BASE).write_text("views:\n  - type: table\n    name: Mine\n", encoding="utf-8")
    assert bases.write_base(VaultWriter(vault), RULES) == 0
    assert "Mine" in (vault / bases.BASE).read_text(encoding="utf-8")


def test_dry_run_writes_no_base(tmp_path: Path):
    vault = tmp_path / "vault"
    vault.mkdir()
    bases.write_base(VaultWriter(vault, dry_run=True), RULES)
    assert not (vault / bases.BASE).exists()


def _rec(stem: str, date: str, tier: str, status: str = "triaged") -> Record:
    return Record(
        f"notes/2026/{stem}.md",
        {"id": "SOURCE-20260301-001", "captured_date": dt.date.fromisoformat(date), "status": status,
         "signal_tier": tier,
         "teleology": "explore", "platform": "web", "title": stem},
    )  # fmt: skip


def test_review_queue_and_home_list_the_highest_tier_first():
    records = [
        _rec("a-low-new", "2026-03-09", "low"),
        _rec("b-high-old", "2026-03-01", "high"),
        _rec("c-high-new", "2026-03-05", "high"),
        _rec("d-paradigm", "2026-02-01", "paradigm"),
        _rec("e-medium", "2026-03-08", "medium"),
        _rec("f-reviewed-paradigm", "2026-03-09", "paradigm", "reviewed"),
        _rec("g-odd-tier", "2026-03-10", "someday"),
    ]
    from triage.config import Taxonomy

    pages = build_pages(make_env(None), records, Taxonomy(topics={}), RULES, {})
    queue = pages["Review Queue.md"]
    order = ["d-paradigm", "c-high-new", "b-high-old", "e-medium", "a-low-new", "g-odd-tier"]
    positions = [queue.index(f"[[{s}") for s in order]
    assert positions == sorted(positions)
    assert "f-reviewed-paradigm" not in queue.split("## Probably")[0].split("```dataview")[0]
    assert 'choice(signal_tier = "paradigm", 0,' in queue  # the Dataview view sorts the same way
    home = pages["Home.md"].split("## Review queue")[1].split("##")[0]
    positions = [home.index(f"[[{s}") for s in order]
    assert positions == sorted(positions)
    # Recent captures stay newest first
    recent = pages["Home.md"].split("## Recent captures")[1].split("## Review queue")[0]
    assert recent.index("[[g-odd-tier") < recent.index("[[a-low-new") < recent.index("[[d-paradigm")
