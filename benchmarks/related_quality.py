"""Related notes: triage's `related:` links against plain TF-IDF cosine, in one run (`quality.py --tasks related`).

- kpcrowd-500n: the 500 stories are fed to `triage run` in a random order (seed 13), 50 captures a
  run, into one vault, exactly as a reader's inbox would be. A link is right when both stories are
  in the same category (from the file names). Measures: the share of links among each note's first 3
  that stay in the category, and the share of notes linking at least one. Baseline: scikit-learn's
  TfidfVectorizer cosine over the same texts, each note against the notes fed before it, top 3, no
  floor, and with a floor set so that it links as many notes as triage does.
- The same feed, with each feature's score for every (note, earlier note) pair: precision and
  coverage of other weights and floors, chosen on the stories with an even index and reported on the
  odd ones (how `related.WEIGHTS` and `related.FLOOR` were chosen).
- The seeds (`../shared/seeds/`) with triage's own examples (`examples/inbox/`), in two orders:
  whether seed 003 links seed 001 (or the reverse) flagged as the same story, and every link between
  a seed and an example (tinyvec and local-first software are unrelated to the seeds).
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import tempfile
import time
from pathlib import Path

from triage.config import load_workspace
from triage.enrich import related as rel
from triage.pipeline import run
from triage.vault.catalog import link_target, load_notes
from triage.vault.search import sync

FEED_SEED = 13
RUN_SIZE = 50
TOP = 3
UNRELATED_EXAMPLES = ("tinyvec", "local_first")
SEEDS = Path("/work/shared/seeds")  # replaced by --data's sibling below


def workspace(root: Path) -> Path:
    for sub in ("inbox", "vault", "archive"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "triage.yaml").write_text("settle_seconds: 0\nworkers: 1\n", encoding="utf-8")
    return root


def feed(root: Path, captures: list[tuple[str, str]], nlp, size: int) -> dict[str, str]:
    """Run triage over `captures` (name, text), `size` a run, in the order given. {note stem: name}."""
    ws = load_workspace(root)
    names: dict[str, str] = {}
    now = dt.datetime(2026, 3, 1, 9, 0)
    for start in range(0, len(captures), size):
        for i, (name, text) in enumerate(captures[start : start + size]):
            (ws.inbox / f"{start + i:04d}-{name}").write_text(text, encoding="utf-8")
        report = run(ws, nlp=nlp, now=now)
        for p in report.processed:
            names[Path(p["note"]).stem] = Path(p["source"]).name.split("-", 1)[1]
    return names


def links_of(root: Path) -> dict[str, list[str]]:
    return {r.stem: [link_target(x) for x in r.strings("related")] for r in load_notes(root / "vault")}


def score(order: list[str], links: dict[str, list[str]], cat: dict[str, str]) -> tuple[float, float, int]:
    """(top-3 precision, share of notes linking one, links) over the notes in `order`."""
    right = total = linked = 0
    for key in order:
        top = links.get(key, [])[:TOP]
        right += sum(cat[k] == cat[key] for k in top)
        total += len(top)
        linked += bool(top)
    return (right / total if total else 0.0), linked / len(order), total


def baseline(texts: list[str], floor: float | None) -> list[list[int]]:
    """For each text, the earlier texts by TF-IDF cosine, top 3, at or above `floor`."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    sims = (lambda m: (m @ m.T).toarray())(TfidfVectorizer(sublinear_tf=True).fit_transform(texts))
    out = []
    for i in range(len(texts)):
        ranked = sorted(range(i), key=lambda j: -sims[i, j])[:TOP]
        out.append([j for j in ranked if floor is None or sims[i, j] >= floor])
    return out


Pair = tuple[str, float, float, float, bool, float]


def pair_features(root: Path, order: list[str]) -> dict[str, list[Pair]]:
    """For each note, (earlier note, text, entities, topics, same story, latent) for every earlier note
    (the semantic space is the one the last run of the feed used)."""
    vault = root / "vault"
    records = load_notes(vault)
    db = sync(vault, records)
    relater = rel.Relater(vault, records, db)
    by_stem = {r.stem: r.path for r in records}
    profiles = {k: relater.record_profile(by_stem[k]) for k in order}
    relater._freqs(t for p in profiles.values() if p for t in p.counts)
    n = relater.n_index
    vecs = {k: rel.tfidf(p.counts, relater.df, n) for k, p in profiles.items() if p}
    out: dict[str, list[Pair]] = {}
    for i, k in enumerate(order):
        rows = []
        for j in order[:i]:
            a, b = profiles[k], profiles[j]
            lk = rel.compare(a, b, vecs[k], vecs[j], relater.edf, len(records), relater.near(a, b))  # type: ignore[arg-type]
            rows.append((j, lk.text, lk.entities, lk.topics, lk.same_story is not None, lk.latent))
        out[k] = rows
    db.close()
    return out


def scores(features, order, weights) -> dict[str, list[tuple[float, str]]]:
    """Each note's earlier notes by the weighted score, best first; weights (text, entities, topics, latent)."""
    wt, we, wp, wl = weights
    return {
        k: sorted(
            ((wt * t + we * e + wp * p + wl * lt, j) for j, t, e, p, _, lt in features[k]), reverse=True
        )
        for k in order
    }


def sweep(features, order, cat, weights, floor, relative=0.0, ranked=None) -> tuple[float, float]:
    ranked = ranked or scores(features, order, weights)
    links = {}
    for k in order:
        top = ranked[k][0][0] if ranked[k] else 0.0
        links[k] = [j for s, j in ranked[k][:TOP] if s >= floor and s >= relative * top]
    p, c, _ = score(order, links, cat)
    return p, c


def floor_at(ranked, order, coverage: float) -> float:
    """The floor at which `coverage` of the notes in `order` link one."""
    best = sorted((ranked[k][0][0] for k in order if ranked[k]), reverse=True)
    return best[max(0, min(len(best), round(coverage * len(order))) - 1)] if best else 0.0


def operating_points(features, order, cat, texts) -> list[list[object]]:
    """Precision at several coverages (each method's floor set to reach it; every earlier note a
    candidate): triage's weights and relative floor, text alone, and the TF-IDF cosine baseline."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    m = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    sims = (m @ m.T).toarray()
    base = {k: sorted(((sims[i, j], order[j]) for j in range(i)), reverse=True) for i, k in enumerate(order)}
    w = rel.WEIGHTS
    methods = {
        f"triage (weights {tuple(w.values())}, relative {rel.RELATIVE})": (
            scores(features, order, (w["text"], w["entities"], w["topics"], w["latent"])),
            rel.RELATIVE,
        ),
        "triage's text cosine alone, relative 0.85": (scores(features, order, (1.0, 0, 0, 0)), 0.85),
        "previous triage (text 0.8, entities 0.2), relative 0.85": (
            scores(features, order, (0.8, 0.2, 0, 0)),
            0.85,
        ),
        "latent alone, relative 0.9": (scores(features, order, (0, 0, 0, 1.0)), 0.9),
        "TF-IDF cosine (baseline)": (base, 0.0),
    }
    rows = []
    for label, (ranked, relative) in methods.items():
        cells: list[object] = [label]
        for cov in (0.9, 0.8, 0.7, 0.6, 0.5):
            p, c = sweep(features, order, cat, None, floor_at(ranked, order, cov), relative, ranked)
            cells.append(f"{p:.3f} ({c:.2f})")
        rows.append(cells)
    return rows


def bench_related(data: Path, nlp, limit: int | None, table, kp_docs) -> dict[str, float]:
    """Prints the tables; returns triage's kpcrowd figures (precision, linking) and whether the seeds
    003 and 001 are linked in every order (seeds: 1.0, 0.0; NaN without seeds)."""
    global SEEDS
    SEEDS = data.parent / "seeds"
    docs = kp_docs(data, limit)
    items = [
        (f"{c}-{i}.md", f"# {head}\n\n" + "\n\n".join(body) + "\n", c)
        for i, (c, head, body, _) in enumerate(docs)
    ]
    random.Random(FEED_SEED).shuffle(items)
    tmp = Path(tempfile.mkdtemp(prefix="triage-related-"))
    try:
        root = workspace(tmp / "kp")
        t0 = time.perf_counter()
        names = feed(root, [(n, t) for n, t, _ in items], nlp, RUN_SIZE)
        feed_s = time.perf_counter() - t0
        stem_of = {v: k for k, v in names.items()}
        order = [stem_of[n] for n, _, _ in items if n in stem_of]
        cat = {stem_of[n]: c for n, _, c in items if n in stem_of}
        links = links_of(root)
        p, c, total = score(order, links, cat)
        texts = [t for n, t, _ in items if n in stem_of]
        rows = [[f"triage (floor {rel.FLOOR}, relative {rel.RELATIVE}, weights {rel.WEIGHTS})", p, c, total]]
        for label, floor in (("TF-IDF cosine, no floor", None), ("TF-IDF cosine, floor 0.10", 0.10)):
            picks = baseline(texts, floor)
            blinks = {order[i]: [order[j] for j in picks[i]] for i in range(len(order))}
            bp, bc, bt = score(order, blinks, cat)
            rows.append([label, bp, bc, bt])
        # the baseline at triage's coverage: the floor that links as many notes
        from sklearn.feature_extraction.text import TfidfVectorizer

        m = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
        sims = (m @ m.T).toarray()
        best1 = sorted(max((sims[i, j] for j in range(i)), default=0.0) for i in range(len(texts)))
        floor = best1[int((1 - c) * len(best1))] if c < 1 else 0.0
        picks = baseline(texts, floor)
        blinks = {order[i]: [order[j] for j in picks[i]] for i in range(len(order))}
        bp, bc, bt = score(order, blinks, cat)
        rows.append([f"TF-IDF cosine, floor {floor:.3f} (triage's coverage)", bp, bc, bt])
        same = sum(len(r.strings("same_story")) for r in load_notes(root / "vault"))
        table(
            f"Related notes, kpcrowd-500n ({len(order)} stories fed in a random order, seed {FEED_SEED}, "
            f"{RUN_SIZE} a run; {feed_s:.0f} s with NLP): links within the story's category",
            ["method", f"top-{TOP} precision", "notes linking one", "links"],
            rows,
        )
        print(f"\nsame-story flags on kpcrowd-500n: {same}")
        for r in load_notes(root / "vault"):
            for s in r.strings("same_story"):
                print(f"  {names.get(r.stem)} -> {names.get(link_target(s))}")

        features = pair_features(root, order)
        even = [k for k in order if int(names[k].rsplit("-", 1)[1][:-3]) % 2 == 0]
        odd = [k for k in order if k not in set(even)]
        table(
            "Related notes, kpcrowd-500n: top-3 precision (share of notes linking one) at several floors, "
            "every earlier note a candidate, each method's floor set to reach the coverage",
            ["method", "90%", "80%", "70%", "60%", "50%"],
            operating_points(features, order, cat, texts),
        )
        grid = []
        mixes = [(0.5, 0.0, 0.0, 0.5), (0.7, 0.0, 0.0, 0.3), (0.3, 0.0, 0.0, 0.7), (0.4, 0.1, 0.0, 0.5)]
        mixes.append((0.4, 0.0, 0.1, 0.5))
        choices = [((1.0, 0.0, 0.0, 0.0), f) for f in (0.1, 0.15, 0.2)]
        choices += [(w, f) for w in mixes for f in (0.3, 0.35, 0.37, 0.4, 0.45)]
        for w, floor in choices:
            for relative in (0.0, 0.9):
                grid.append((w, floor, relative, *sweep(features, even, cat, w, floor, relative)))
        rows = []
        for w, floor, relative, pe, ce in grid:
            po, co = sweep(features, odd, cat, w, floor, relative)
            label = f"text {w[0]}, entities {w[1]}, topics {w[2]}, latent {w[3]}"
            rows.append([label, floor, relative, pe, ce, po, co])
        table(
            "Related notes, kpcrowd-500n: weights and floors (every earlier note a candidate); even stories "
            "to choose, odd stories to check",
            [
                "weights",
                "floor",
                "relative",
                "precision (even)",
                "linking (even)",
                "precision (odd)",
                "linking (odd)",
            ],
            rows,
        )
        seeds = bench_seeds(tmp, nlp, table)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"precision": p, "linking": c, "seeds": seeds}


def bench_seeds(tmp: Path, nlp, table) -> float:
    """1.0 when seed 003 and seed 001 are linked in every order, 0.0 if not, NaN without seeds."""
    root_dir = Path(__file__).resolve().parent.parent
    seeds = sorted((SEEDS).glob("*.txt"))
    examples = sorted((root_dir / "examples" / "inbox").iterdir())
    if not seeds:
        print("\n(no seeds in ../shared/seeds: seed checks skipped)")
        return float("nan")
    orders = {
        "examples, then seeds 000-004": [*examples, *seeds],
        "seeds 004-000, then examples": [*reversed(seeds), *examples],
    }
    rows = []
    for label, files in orders.items():
        root = workspace(tmp / f"seeds-{len(rows)}")
        names = feed(root, [(f.name, f.read_text(encoding="utf-8")) for f in files], nlp, len(files))
        kind = {k: ("seed" if v in {s.name for s in seeds} else "example") for k, v in names.items()}
        notes = {r.stem: r for r in load_notes(root / "vault")}
        s1 = next(k for k, v in names.items() if v.startswith("001_"))
        s3 = next(k for k, v in names.items() if v.startswith("003_"))
        pair = [link_target(x) for x in notes[s3].strings("related") + notes[s1].strings("related")]
        same = [link_target(x) for x in notes[s3].strings("same_story") + notes[s1].strings("same_story")]
        cross = []
        for k, r in notes.items():
            for x in r.strings("related"):
                t = link_target(x)
                if kind[k] != kind[t]:
                    cross.append(f"{names[k][:24]} -> {names[t][:24]}")
        bad = [c for c in cross if any(u in c.replace("-", "_") for u in UNRELATED_EXAMPLES)]
        rows.append(
            [label, s1 in pair or s3 in pair, s1 in same or s3 in same, "; ".join(cross) or "none", len(bad)]
        )
    table(
        "Related notes, seeds with triage's examples: 003 and 001 (two write-ups of one podcast)",
        ["order", "003-001 linked", "same story", "seed-example links", "to tinyvec/local-first"],
        rows,
    )
    return float(all(r[1] for r in rows))
