"""Signal tier: how it spreads over a mixed inbox, triage's rules against the old rules, in one run.

    python benchmarks/tier_quality.py [--data ../shared/dev-eval] [--fast]

The inbox (read from `--data`, never copied into the repo): teleology-dev's 360 texts (5 labels:
implement, synthesize, reference, monitor, explore), bbc-dev's 300 news articles (`news-bbc`),
kpcrowd-500n's 500 news stories (`news-kpcrowd`; 79 are only a headline) and arg-microtexts' 112
short arguments (`argument`). Every text goes through triage's own code (`infer_metadata`,
`nlp.analyze`, `classify`); the novelty step (phase 2, against a vault) is not part of this measure.

Per label and overall: the share of each tier, the largest share, the paradigm share, thin captures
(under `tier_thin_words` words) above medium (must be 0), and the Spearman correlation of tier rank
with word count (a tier that follows length alone has ~1). The same for the old rules (the cue list
and word/evidence thresholds of rules.yaml before issue 21, `OLD_RULES`), and for each half of the
inbox (texts with an even / odd index within their source): a rule that holds on one half only
fits that half.

`measure()` returns triage's figures (higher is better): `tier.tiers_used` (share of the tiers used),
`tier.max_share_ok` (1 - max(0, max share - 0.5)), `tier.paradigm_rare` (1 - max(0, paradigm share
- 0.1)), `tier.thin_above_medium_free` (1 - share of thin captures above medium),
`tier.not_length_alone` (1 - |Spearman(tier, words)|), and `tier.halves_rules_met` (the share of
the four spread rules each half meets, averaged: 1 when both meet all four). `--fast`: a fixed subset (every sixth text), under ~90 s.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from tables import MODELS, table  # noqa: E402

from triage.config import Rules, Taxonomy, default_text, parse_rules  # noqa: E402
from triage.enrich import tier  # noqa: E402
from triage.enrich.classify import Matcher, classify, words_of  # noqa: E402
from triage.note import Note  # noqa: E402
from triage.sources.infer import infer_metadata  # noqa: E402
from triage.vault.yamlio import safe_load_mapping  # noqa: E402

OLD_RULES = {
    "tier_cues": [
        "paradigm",
        "inflection",
        "era",
        "end of",
        "shift",
        "shifting",
        "equilibrium",
        "fundamental",
        "first principles",
        "structural",
        "turning point",
        "diminishing returns",
        "bottleneck",
        "new regime",
    ],
    "tier_rules": [
        {"tier": "paradigm", "min_words": 500, "min_evidence": 2.0, "min_cues": 3},
        {"tier": "high", "min_words": 300, "min_evidence": 2.5},
        {"tier": "high", "min_words": 800, "min_cues": 2},
        {"tier": "medium", "min_words": 150},
    ],
}
"""The tier part of rules.yaml before issue 21 (the baseline)."""


def inbox(data: Path, fast: bool) -> list[tuple[str, str, str]]:
    """(label, name, markdown) for every text of the mixed inbox, in a fixed order."""
    out: list[tuple[str, str, str]] = []
    tel = data / "teleology-dev"
    for line in (tel / "labels.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        file, label = line.split("\t")[:2]
        out.append((label, file, (tel / "texts" / file).read_text(encoding="utf-8", errors="replace")))
    for line in (data / "bbc-dev.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        head, _, body = r["article"].partition("\n")
        out.append(("news-bbc", r["id"], f"# {head.strip()}\n\n{body.strip()}\n"))
    for path in sorted((data / "kpcrowd-500n" / "docsutf8").glob("*.txt")):
        lines = [
            ln.strip() for ln in path.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()
        ]
        if lines:
            out.append(("news-kpcrowd", path.stem, f"# {lines[0]}\n\n" + "\n\n".join(lines[1:]) + "\n"))
    for line in (data / "arg-microtexts-en.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        out.append(("argument", r["id"], r["text"] + "\n"))
    return out[::6] if fast else out


def old_tier(note: Note, rules: Rules) -> str:
    """The tier the rules before issue 21 gave (their first-match rule list, their cue list)."""
    matcher = Matcher(words_of(note.clean_text), note.lemmas)
    cues = [c for c in OLD_RULES["tier_cues"] if matcher.count(c)]
    for rule in OLD_RULES["tier_rules"]:
        if (
            note.words >= rule.get("min_words", 0)
            and note.evidence >= rule.get("min_evidence", 0)
            and len(cues) >= rule.get("min_cues", 0)
        ):
            return str(rule["tier"])
    return rules.tier_default


def spearman(xs: list[float], ys: list[float]) -> float:
    """Spearman's rank correlation (ties get their average rank); 0 when either side is constant."""

    def ranks(v: list[float]) -> list[float]:
        order = sorted(range(len(v)), key=lambda i: v[i])
        out = [0.0] * len(v)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
                j += 1
            for k in range(i, j + 1):
                out[order[k]] = (i + j) / 2
            i = j + 1
        return out

    if len(xs) < 3:
        return 0.0
    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx) ** 0.5
    vy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (vx * vy) if vx and vy else 0.0


def spread(rows: list[tuple[str, int]], rules: Rules) -> dict[str, float]:
    """Figures of (tier, words) rows: shares, max share, paradigm share, thin above medium, Spearman."""
    n = max(len(rows), 1)
    counts = Counter(t for t, _ in rows)
    rank = {t: i for i, t in enumerate(rules.tiers)}
    cap = rank[rules.tier_thin_max]
    thin = [t for t, w in rows if w < rules.tier_thin_words]
    out = {f"share_{t}": counts[t] / n for t in rules.tiers}
    out["used"] = sum(1 for t in rules.tiers if counts[t]) / len(rules.tiers)
    out["max_share"] = max(counts.values(), default=0) / n
    out["paradigm"] = counts[rules.tiers[0]] / n
    out["thin"] = float(len(thin))
    out["thin_above"] = float(sum(rank[t] < cap for t in thin))
    # higher tier = higher number, so a tier that grows with length correlates positively
    out["spearman"] = spearman(
        [float(len(rules.tiers) - rank[t]) for t, _ in rows], [float(w) for _, w in rows]
    )
    return out


def met(f: dict[str, float]) -> float:
    """The share of the four spread rules these figures meet."""
    return (
        (f["used"] == 1) / 4
        + (f["max_share"] <= 0.5) / 4
        + (f["paradigm"] <= 0.1) / 4
        + (f["thin_above"] == 0) / 4
    )


def ok(f: dict[str, float]) -> bool:
    return met(f) == 1


def measure(data: Path, nlp, fast: bool) -> dict[str, float]:
    from triage.enrich.nlp import analyze, load_nlp

    nlp = nlp or load_nlp(MODELS)
    rules = parse_rules(safe_load_mapping(default_text("rules.yaml")))
    texts = inbox(data, fast)
    notes = [
        infer_metadata(Note(source=Path(f"{name}.md"), body=body, mtime=1.7e9)) for _, name, body in texts
    ]
    t0 = time.perf_counter()
    analyze(notes, nlp, key_insights=3)
    t_nlp = time.perf_counter() - t0
    taxonomy = Taxonomy(topics={})
    new: list[tuple[str, str, int, int]] = []  # (label, tier, words, half)
    old: list[tuple[str, str, int, int]] = []
    seen: Counter[str] = Counter()
    t_tier = 0.0
    for (label, _, _), note in zip(texts, notes, strict=True):
        classify(note, taxonomy, rules)
        matcher = Matcher(words_of(note.clean_text), note.lemmas)
        t1 = time.perf_counter()
        note.reasons = []
        tier.assign_tier(note, rules, matcher.count)  # the tier stage alone, as classify runs it
        t_tier += time.perf_counter() - t1
        half = seen[label] % 2
        seen[label] += 1
        new.append((label, note.signal_tier, note.words, half))
        old.append((label, old_tier(note, rules), note.words, half))

    def figures(rows: list[tuple[str, str, int, int]], keep=lambda r: True) -> dict[str, float]:
        return spread([(t, w) for r in rows if keep(r) for t, w in [(r[1], r[2])]], rules)

    labels = sorted({r[0] for r in new})
    header = ["rules", "label", "n", *rules.tiers, "max", "thin", "thin>med", "spearman", "ok"]
    rows: list[list[object]] = []
    for name, data_rows in (("old", old), ("triage", new)):
        for label in [*labels, "ALL"]:
            f = figures(data_rows, (lambda r, lab=label: lab == "ALL" or r[0] == lab))
            n = sum(1 for r in data_rows if label == "ALL" or r[0] == label)
            rows.append(
                [name, label, n, *(f[f"share_{t}"] for t in rules.tiers), f["max_share"], int(f["thin"]),
                 int(f["thin_above"]), f["spearman"], "yes" if ok(f) else "no"]
            )  # fmt: skip
    table(
        f"Signal tier over a mixed inbox ({len(new)} texts{', fast subset' if fast else ''})", header, rows, 2
    )
    half_rows: list[list[object]] = []
    halves: list[float] = []
    for name, data_rows in (("old", old), ("triage", new)):
        for h in (0, 1):
            f = figures(data_rows, (lambda r, hh=h: r[3] == hh))
            good = ok(f)
            if name == "triage":
                halves.append(met(f))
            half_rows.append(
                [name, "even" if h == 0 else "odd", *(f[f"share_{t}"] for t in rules.tiers), f["max_share"],
                 int(f["thin_above"]), f["spearman"], "yes" if good else "no"]
            )  # fmt: skip
    table("The same, each half (even / odd index within a source)", ["rules", "half", *rules.tiers, "max",
          "thin>med", "spearman", "ok"], half_rows, 2)  # fmt: skip
    print(
        f"\nspaCy {t_nlp:.1f} s; the tier stage {t_tier:.2f} s ({100 * t_tier / max(t_nlp, 1e-9):.1f}% of spaCy)"
    )
    f = figures(new)
    n_thin = max(f["thin"], 1.0)
    return {
        "tier.tiers_used": f["used"],
        "tier.max_share_ok": 1 - max(0.0, f["max_share"] - 0.5),
        "tier.paradigm_rare": 1 - max(0.0, f["paradigm"] - 0.1),
        "tier.thin_above_medium_free": 1 - f["thin_above"] / n_thin,
        "tier.not_length_alone": 1 - abs(f["spearman"]),
        "tier.halves_rules_met": sum(halves) / len(halves),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "dev-eval")
    ap.add_argument("--fast", action="store_true")
    args = ap.parse_args()
    figures = measure(args.data, None, args.fast)
    print()
    for k, v in figures.items():
        print(f"{k} = {v:.3f}")


if __name__ == "__main__":
    main()
