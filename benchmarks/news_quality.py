"""Key insights of news reports, bbc-dev: does triage pick the sentences of the extractive summary?

    python benchmarks/news_quality.py [--data ../shared/dev-eval] [--fast]

Reads `bbc-dev.jsonl` (300 BBC reports, 60 per section; never copied into the repo): the first
line of `article` is the headline, the rest the report in paragraphs; `summary` holds the
sentences chosen as its extractive summary. A sentence counts as picked when it stands, whitespace
aside, inside `summary`. Figures:

- P@1: the first key insight is a summary sentence; P@3: share of the first three that are (a
  report with fewer than three insights still counts three slots).
- the same per section, and on both halves of the set (first/second 150, even/odd reports): a gain
  must hold on each.
- run-together: share of triage's insights that hold two sentences (a full stop, then a capital:
  "...rose 4%. The bank said..."), lower is better (returned as `news.single_sentence`, 1 - share).

Baselines in the same run, over spaCy's sentences of the same text: lead-3, TextRank (pytextrank,
`quality.textrank_order`), random-3 (seed 13). triage's rows go through the product code
(`quality.make_note` + `triage.enrich.nlp.analyze`), with the headline as the note's title.

`measure(data, nlp, fast)` is the quality ledger's entry point (benchmarks/baseline.json); fast=True
reads every other report (150, deterministic).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from quality import MODELS, make_note, table, textrank_nlp, textrank_order  # noqa: E402

from triage.enrich.nlp import analyze, load_nlp  # noqa: E402

K = 3
_ABBREV = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|St|No|vs|Co|Inc|Ltd|Jr|Sr|Prof|Gen|Rev|Mt|etc)|\b[A-Z])$")
_BOUNDARY = re.compile(r"[.!?][\"”’)]?\s+[\"“‘(]?[A-Z]")


def run_together(text: str) -> bool:
    """The text holds two sentences: a full stop (not after an abbreviation or an initial), a space,
    then a capital."""
    return any(not _ABBREV.search(text[: m.start()]) for m in _BOUNDARY.finditer(text))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def reports(data: Path, fast: bool) -> list[dict]:
    rows = [json.loads(line) for line in (data / "bbc-dev.jsonl").open(encoding="utf-8")]
    for i, r in enumerate(rows):
        r["n"] = i
    return rows[::2] if fast else rows


def parts_of(article: str) -> tuple[str, list[str]]:
    """(headline, paragraphs) of a report."""
    lines = [ln.strip() for ln in article.split("\n")]
    head, paras = lines[0], [ln for ln in lines[1:] if ln]
    return head, paras


def measure(data: Path, nlp, fast: bool) -> dict[str, float]:
    """Print the tables; return triage's figures (`news.*`, higher is better)."""
    nlp = nlp or load_nlp(MODELS)
    rows = reports(data, fast)
    split = [parts_of(r["article"]) for r in rows]
    notes = [
        make_note(r["id"], head, ["\n\n".join(paras)]) for r, (head, paras) in zip(rows, split, strict=True)
    ]
    t0 = time.perf_counter()
    analyze(notes, nlp, key_insights=K)
    took = time.perf_counter() - t0
    tr = textrank_nlp()
    rng = random.Random(13)
    hits: dict[str, list[tuple[float, float]]] = defaultdict(list)
    glued = total = 0
    for r, (_, paras), note in zip(rows, split, notes, strict=True):
        gold = squash(r["summary"])
        sentences = [s.text.strip() for doc in nlp.pipe(paras) for s in doc.sents if s.text.strip()]
        n = len(sentences)
        picks = {
            "triage": note.key_insights[:K],
            "lead-3": sentences[:K],
            "TextRank": [sentences[i] for i in textrank_order(tr, sentences)[:K]] if n else [],
            "random-3": [sentences[i] for i in rng.sample(range(n), min(K, n))],
        }
        for name, chosen in picks.items():
            inside = [bool(squash(c)) and squash(c) in gold for c in chosen]
            hits[name].append((float(bool(inside) and inside[0]), sum(inside) / K))
        glued += sum(run_together(t) for t in note.key_insights)
        total += len(note.key_insights)
    methods = list(hits)
    groups: dict[str, list[int]] = {"all": list(range(len(rows)))}
    half = len(rows) // 2
    groups["first half"] = list(range(half))
    groups["second half"] = list(range(half, len(rows)))
    groups["even reports"] = [i for i, r in enumerate(rows) if r["n"] % 2 == 0]
    groups["odd reports"] = [i for i, r in enumerate(rows) if r["n"] % 2 == 1]
    for cat in sorted({r["category"] for r in rows}):
        groups[cat] = [i for i, r in enumerate(rows) if r["category"] == cat]
    groups = {k: v for k, v in groups.items() if v}

    def mean(name: str, idx: list[int], j: int) -> float:
        return statistics.mean(hits[name][i][j] for i in idx)

    out = [[g, len(idx), *(mean(m, idx, j) for m in methods for j in (0, 1))] for g, idx in groups.items()]
    table(
        f"Key insights, bbc-dev ({len(rows)} news reports{', fast subset' if fast else ''}): "
        f"summary sentences first (P@1) and in the top 3 (P@3); triage {took:.1f}s",
        ["reports", "n", *(f"{m} {p}" for m in methods for p in ("P@1", "P@3"))],
        out,
    )
    share = glued / max(total, 1)
    print(f"\ntriage insights holding two sentences run together: {glued} of {total} ({share:.3f})")
    parts = [g for g in groups if g != "all"]
    return {
        "news.p_at_1": mean("triage", groups["all"], 0),
        "news.p_at_3": mean("triage", groups["all"], 1),
        "news.p_at_3_worst_part": min(mean("triage", groups[g], 1) for g in parts),
        "news.p_at_3_over_textrank": mean("triage", groups["all"], 1) - mean("TextRank", groups["all"], 1),
        "news.single_sentence": 1 - share,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "dev-eval")
    ap.add_argument("--fast", action="store_true", help="every other report (the ledger's fast run)")
    args = ap.parse_args()
    if not (args.data / "bbc-dev.jsonl").is_file():
        raise SystemExit(f"no bbc-dev.jsonl at {args.data}")
    figures = measure(args.data, None, args.fast)
    print()
    for name, value in figures.items():
        print(f"- {name}: {value:.3f}")


if __name__ == "__main__":
    main()
