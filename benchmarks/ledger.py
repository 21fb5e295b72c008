"""The quality ledger: every figure of `benchmarks/quality.py` held to a floor.

    python benchmarks/ledger.py check    [--results benchmarks/results.json] [--baseline benchmarks/baseline.json]
    python benchmarks/ledger.py baseline RUN.json [RUN.json ...] [--out benchmarks/baseline.json]
    python benchmarks/ledger.py table    [--baseline benchmarks/baseline.json]
    python benchmarks/ledger.py docs     docs/quality.md   (the table between the ledger markers)

`quality.py --fast --json benchmarks/results.json` writes the figures of one run as data:

    {"figures": {"news.p_at_3": 0.84, ...}, "seconds": {"news": 41.2, ...}, "meta": {...}}

Every figure is higher-is-better (a figure where lower is better is stored as its negative or as
1 - value, and its name says so). `baseline` turns two or more runs of the same code into
`baseline.json`: each figure's value (the lowest of the runs), its run-to-run spread, and its floor =
value - tolerance, where tolerance = max(MIN_TOLERANCE, SPREAD_FACTOR x spread). `check` compares a
run with the floors and exits 1 naming every figure below its floor (with the floor, the baseline
value and the new value) or missing from the run; a new figure that has no floor yet is listed, not
failed. Raising a floor is a reviewed change, like the golden files: `make quality-baseline`, then
read the diff of `benchmarks/baseline.json`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.json"
BASELINE = ROOT / "benchmarks" / "baseline.json"
MIN_TOLERANCE = 0.005  # a figure that is the same in every run still gets this much room (float, BLAS)
SPREAD_FACTOR = 3.0


@dataclass(frozen=True)
class Verdict:
    """One figure of a run against its floor."""

    name: str
    value: float | None  # None: not measured in this run
    floor: float | None  # None: no floor yet (a new figure)
    baseline: float | None

    @property
    def failed(self) -> bool:
        return self.floor is not None and (self.value is None or self.value < self.floor)

    def line(self) -> str:
        if self.floor is None:
            return f"new      {self.name} = {self.value:.4f} (no floor yet: make quality-baseline)"
        if self.value is None:
            return (
                f"MISSING  {self.name}: not measured (floor {self.floor:.4f}, baseline {self.baseline:.4f})"
            )
        mark = "BELOW" if self.failed else "ok"
        return (
            f"{mark:<8} {self.name} = {self.value:.4f} "
            f"(floor {self.floor:.4f}, baseline {self.baseline:.4f}, {self.value - self.baseline:+.4f})"
        )


def compare(figures: dict[str, float], baseline: dict) -> list[Verdict]:
    """Every figure with a floor, then the new ones, in name order."""
    floors = baseline.get("figures", {})
    out = [
        Verdict(name, figures.get(name), entry["floor"], entry["value"])
        for name, entry in sorted(floors.items())
    ]
    out += [Verdict(name, value, None, None) for name, value in sorted(figures.items()) if name not in floors]
    return out


def make_baseline(runs: list[dict], meta: dict | None = None) -> dict:
    """Floors from two or more runs of the same code: the figures measured in every run."""
    if not runs:
        raise ValueError("no run given")
    names = set.intersection(*(set(r["figures"]) for r in runs))
    figures = {}
    for name in sorted(names):
        values = [float(r["figures"][name]) for r in runs]
        spread = max(values) - min(values)
        tolerance = max(MIN_TOLERANCE, SPREAD_FACTOR * spread)
        figures[name] = {
            "value": round(min(values), 4),
            "spread": round(spread, 4),
            "floor": round(min(values) - tolerance, 4),
        }
    seconds = {
        k: round(max(r.get("seconds", {}).get(k, 0.0) for r in runs), 1) for k in runs[0].get("seconds", {})
    }
    return {"meta": {**(meta or {}), "runs": len(runs)}, "seconds": seconds, "figures": figures}


def markdown(baseline: dict) -> str:
    """The ledger as a markdown table, for docs/quality.md."""
    rows = ["| figure | baseline | spread | floor |", "|---|---|---|---|"]
    for name, e in baseline["figures"].items():
        rows.append(f"| `{name}` | {e['value']:.4f} | {e['spread']:.4f} | {e['floor']:.4f} |")
    secs = ", ".join(f"{k} {v:.0f} s" for k, v in baseline.get("seconds", {}).items())
    meta = baseline.get("meta", {})
    head = f"{len(baseline['figures'])} figures from {meta.get('runs', '?')} runs of `make quality-check`"
    if meta.get("date"):
        head += f" on {meta['date']}"
    return head + (f" (seconds per family: {secs})" if secs else "") + ".\n\n" + "\n".join(rows) + "\n"


START, END = "<!-- ledger:start -->", "<!-- ledger:end -->"


def with_table(doc: str, baseline: dict) -> str:
    """`doc` with the region between the ledger markers replaced by the table (appended if absent)."""
    block = f"{START}\n{markdown(baseline)}{END}"
    if START in doc and END in doc:
        head, rest = doc.split(START, 1)
        return head + block + rest.split(END, 1)[1]
    return doc.rstrip("\n") + "\n\n## The ledger\n\n" + block + "\n"


def _load(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SystemExit(f"{path}: not found (run `make quality-check` first)") from None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check", help="compare a run with the floors; exit 1 if a figure fell below")
    c.add_argument("--results", type=Path, default=RESULTS)
    c.add_argument("--baseline", type=Path, default=BASELINE)
    b = sub.add_parser("baseline", help="write floors from two or more runs of the same code")
    b.add_argument("runs", type=Path, nargs="+")
    b.add_argument("--out", type=Path, default=BASELINE)
    t = sub.add_parser("table", help="print the ledger as markdown")
    t.add_argument("--baseline", type=Path, default=BASELINE)
    d = sub.add_parser("docs", help="write the table into a markdown file, between the ledger markers")
    d.add_argument("doc", type=Path)
    d.add_argument("--baseline", type=Path, default=BASELINE)
    args = ap.parse_args(argv)
    if args.cmd == "baseline":
        runs = [_load(p) for p in args.runs]
        meta = {**runs[0].get("meta", {}), "date": dt.date.today().isoformat()}
        args.out.write_text(json.dumps(make_baseline(runs, meta), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.out}: review it with git diff -- {args.out}")
        return 0
    if args.cmd == "table":
        print(markdown(_load(args.baseline)), end="")
        return 0
    if args.cmd == "docs":
        args.doc.write_text(
            with_table(args.doc.read_text(encoding="utf-8"), _load(args.baseline)), encoding="utf-8"
        )
        print(f"wrote the ledger into {args.doc}")
        return 0
    results, baseline = _load(args.results), _load(args.baseline)
    verdicts = compare(results["figures"], baseline)
    for v in verdicts:
        print(v.line())
    failed = [v for v in verdicts if v.failed]
    took = sum(results.get("seconds", {}).values())
    if failed:
        print(f"\nquality-check: {len(failed)} of {len(verdicts)} figures fell below their floor:")
        for v in failed:
            print(
                f"  {v.name}: {'not measured' if v.value is None else f'{v.value:.4f}'} < floor {v.floor:.4f}"
            )
        return 1
    print(f"\nquality-check: {len(verdicts)} figures, none below its floor ({took:.0f} s of measuring)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
