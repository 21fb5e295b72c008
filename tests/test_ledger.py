"""The quality ledger (benchmarks/ledger.py): a figure pushed below its floor fails the check."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


ledger = _module("ledger")


def run(figures: dict[str, float]) -> dict:
    return {"figures": figures, "seconds": {"news": 10.0}, "meta": {}}


def test_floor_is_value_less_tolerance_from_spread():
    base = ledger.make_baseline([run({"a": 0.80, "b": 0.5}), run({"a": 0.82, "b": 0.5})])
    a, b = base["figures"]["a"], base["figures"]["b"]
    assert a["value"] == 0.80 and a["spread"] == 0.02
    assert a["floor"] == pytest.approx(0.80 - 3 * 0.02)
    assert b["floor"] == pytest.approx(0.5 - ledger.MIN_TOLERANCE)  # no spread still gets some room


def test_a_figure_only_some_runs_measured_gets_no_floor():
    base = ledger.make_baseline([run({"a": 0.8, "new": 0.1}), run({"a": 0.8})])
    assert set(base["figures"]) == {"a"}


def _check(tmp_path: Path, figures: dict[str, float], capsys) -> tuple[int, str]:
    baseline = ledger.make_baseline([run({"news.p_at_3": 0.84, "entities.f1": 0.45})] * 2)
    (tmp_path / "baseline.json").write_text(json.dumps(baseline))
    (tmp_path / "results.json").write_text(json.dumps(run(figures)))
    code = ledger.main(
        ["check", "--results", str(tmp_path / "results.json"), "--baseline", str(tmp_path / "baseline.json")]
    )
    return code, capsys.readouterr().out


def test_check_passes_at_or_above_the_floor(tmp_path, capsys):
    code, out = _check(tmp_path, {"news.p_at_3": 0.836, "entities.f1": 0.47}, capsys)
    assert code == 0
    assert "none below its floor" in out


def test_check_fails_naming_the_figure_with_old_and_new_values(tmp_path, capsys):
    code, out = _check(tmp_path, {"news.p_at_3": 0.80, "entities.f1": 0.45}, capsys)
    assert code == 1
    assert "BELOW    news.p_at_3 = 0.8000 (floor 0.8350, baseline 0.8400, -0.0400)" in out
    assert "  news.p_at_3: 0.8000 < floor 0.8350" in out
    assert "entities.f1" not in out.split("fell below")[1]


def test_a_figure_not_measured_fails_and_a_new_one_does_not(tmp_path, capsys):
    code, out = _check(tmp_path, {"news.p_at_3": 0.84, "teleology.accuracy": 0.9}, capsys)
    assert code == 1
    assert "MISSING  entities.f1: not measured" in out
    assert "new      teleology.accuracy = 0.9000" in out


def test_docs_table_replaces_only_its_region():
    base = ledger.make_baseline([run({"a": 0.5})] * 2)
    doc = f"# Q\n\nintro\n\n{ledger.START}\nold\n{ledger.END}\n\nafter\n"
    out = ledger.with_table(doc, base)
    assert out.startswith("# Q\n\nintro\n\n") and out.endswith("\n\nafter\n")
    assert "| `a` | 0.5000 | 0.0000 | 0.4950 |" in out and "old" not in out
    assert ledger.with_table(out, base) == out


def test_the_committed_ledger_covers_every_family():
    """Every family quality.py measures has floors in baseline.json, and those the issue names."""
    baseline = json.loads((BENCH / "baseline.json").read_text(encoding="utf-8"))
    measured = {name.split(".")[0] for name in baseline["figures"]}
    for name, entry in baseline["figures"].items():
        assert entry["floor"] <= entry["value"], name
    required = {
        "insights",
        "news",
        "entities",
        "topics",
        "discovery",
        "connections",
        "teleology",
        "tier",
        "readers",
    }
    assert required <= measured, f"no floor for: {sorted(required - measured)}"
