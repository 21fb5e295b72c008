"""Extraction quality against public gold labels: triage's methods and baselines, in one run.

    python benchmarks/quality.py [--data ../shared/dev-eval] [--tasks insights,entities,topics,related] [--limit N]

`--tasks` takes sections (scitldr, kpcrowd, arg, essays, entities, topics) or `insights` (= scitldr,
kpcrowd, arg, essays); the full run takes several minutes.

Reads ../shared/dev-eval/ (never copied into the repo) and prints one table per task:

- Key insights, SciTLDR-A dev: precision at 1 and at 3 against `source_labels`; lead-k, random-k
  (seed 13) and TextRank (pytextrank on the same spaCy model).
- Key insights, kpcrowd-500n: share of the top-3 sentences that contain a gold key phrase, and share
  of a story's gold key phrases the top-3 sentences cover; same baselines, plus two oracles that
  pick knowing the gold phrases: from all sentences (the measure's ceiling) and from the sentences
  triage's filters allow (no fragments, questions, run-ons...).
- Key insights, arg-microtexts: does the first key insight (P@1), or one of the first three (P@3),
  state the text's central claim (its words cover at least 70% of the claim's words)? Against
  lead-k, TextRank and random-k (its expected value, computed exactly). No title is given.
- Key insights, essays (`benchmarks/data/essays.jsonl`: short argumentative pieces written by the
  project for this measure, in the styles readers capture: op-eds, blog essays, a thread, newsletter
  analyses, a review, a policy argument, podcast notes, a post; each annotated with its central
  claim and main claims): P@1 = the first insight holds the central claim; P@3 = share of the top 3
  that hold a claim (central or main), and whether the central claim is among them. triage with the
  title and without it; lead-k, TextRank, random-k (expected). Our own texts: they may flatter us
  (the claim rules were tuned on them). The same table on `essays-heldout.jsonl`: 16 pieces written
  by a writer who had not seen the rules, measured only (benchmarks/data/README.md).
- Entities (`benchmarks/entities_quality.py`), WNUT-17 dev: document-level precision, recall, F1 of
  (type, normalised name) sets, triage against raw spaCy entities mapped to the same types; `--extra`
  reads a second CoNLL set of posts the same way.
- Related notes (`--tasks related`, `benchmarks/related_quality.py`): kpcrowd-500n fed in a random
  order, share of `related` links (top 3) within the story's category and share of notes linking
  one, against plain TF-IDF cosine; weights and floors; the seeds with the examples.
- Topics, kpcrowd-500n: taxonomy = the 10 category names (no keywords), learning from N labelled
  (reviewed) stories per category (N = 5, 10, 20; the rest are the test set; seeds 0-2): accuracy of
  the first topic given, a story left without a topic counting as wrong, against TF-IDF + logistic
  regression trained on the same stories; the share left without a topic; precision when a topic is
  given. Then a taxonomy of 5 of the categories (each half in turn): stories of those 5 placed, and
  stories of the other 5 (which no topic fits) left without a topic.
- Topic discovery, kpcrowd-500n, taxonomy `topics: {}`: `triage topics suggest` over all stories:
  number of suggestions, purity (share of each suggestion's stories from its majority category,
  weighted by size), coverage (share of stories in some suggestion); against TF-IDF + k-means told
  the number of categories (every story in a cluster). `--tasks discovery` runs it alone.

triage's rows go through the same code the product runs (`triage.enrich.nlp.analyze`, `triage.enrich.classify`).
"""

from __future__ import annotations

import argparse
import json
import math
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
from tables import MODELS, full_spacy, table  # noqa: E402

from triage.config import Taxonomy, Topic, default_text, parse_rules  # noqa: E402
from triage.enrich.insights import SOFT, Sentence, reject_reason  # noqa: E402
from triage.enrich.nlp import analyze, load_nlp  # noqa: E402
from triage.note import Note  # noqa: E402
from triage.sources.infer import infer_metadata  # noqa: E402
from triage.vault.yamlio import safe_load_mapping  # noqa: E402

ESSAYS = ROOT / "benchmarks" / "data" / "essays.jsonl"
HELDOUT = ROOT / "benchmarks" / "data" / "essays-heldout.jsonl"
K = 3


_ANALYZED: dict[tuple, list[Note]] = {}


def analyzed(key: str, docs, nlp) -> list[Note]:
    """The docs (category, headline, body lines, ...) as notes analysed by triage, once per process:
    the sections that read the same data set share one spaCy pass. Callers reset what they assign."""
    memo = (key, len(docs), id(nlp))
    if memo not in _ANALYZED:
        notes = [make_note(f"{key}{i}", head, body) for i, (_, head, body, *_) in enumerate(docs)]
        analyze(notes, nlp, key_insights=K)
        _ANALYZED[memo] = notes
    return _ANALYZED[memo]


def make_note(name: str, title: str, sentences: list[str]) -> Note:
    body = (f"# {title}\n\n" if title else "") + "\n".join(sentences)
    return infer_metadata(Note(source=Path(name), body=body, mtime=1.7e9))


def textrank_nlp():
    import pytextrank  # noqa: F401  (registers the "textrank" factory)

    nlp = full_spacy()
    nlp.add_pipe("textrank")
    return nlp


def textrank_order(tr, sentences: list[str]) -> list[int]:
    """Indices of `sentences`, best first, by TextRank over their concatenation."""
    text = " ".join(sentences)
    starts, pos = [], 0
    for s in sentences:
        starts.append(pos)
        pos += len(s) + 1
    doc = tr(text)
    out: list[int] = []
    for span in doc._.textrank.summary(
        limit_phrases=15, limit_sentences=len(sentences), preserve_order=False
    ):
        i = max(j for j, st in enumerate(starts) if st <= span.start_char)
        if i not in out:
            out.append(i)
    return out + [i for i in range(len(sentences)) if i not in out]


def locate(picked: list[str], sentences: list[str]) -> list[int]:
    """Map extracted sentence texts back to source sentence indices."""
    norm = [re.sub(r"\W+", "", s.lower()) for s in sentences]
    out = []
    for text in picked:
        t = re.sub(r"\W+", "", text.lower())
        for i, s in enumerate(norm):
            if t and (t in s or s in t) and i not in out:
                out.append(i)
                break
    return out


# --- key insights ----------------------------------------------------------------------------------


def bench_scitldr(data: Path, nlp, tr, limit: int | None, fast: bool = False) -> dict[str, float]:
    rows = [json.loads(line) for line in (data / "scitldr-a-dev.jsonl").open()][:limit]
    rows = rows[::2] if fast else rows
    notes = [make_note(r["paper_id"], r.get("title") or "", r["source"]) for r in rows]
    t0 = time.perf_counter()
    analyze(notes, nlp, key_insights=K)
    ours_time = time.perf_counter() - t0
    rng = random.Random(13)
    scores: dict[str, list[tuple[float, float]]] = defaultdict(list)
    t0 = time.perf_counter()
    tr_orders = [textrank_order(tr, r["source"]) if tr else [] for r in rows]
    tr_time = time.perf_counter() - t0
    for r, note, tr_order in zip(rows, notes, tr_orders, strict=True):
        gold = {i for i, v in enumerate(r["source_labels"]) if v}
        n = len(r["source"])
        ranked = {
            "triage": locate(note.key_insights, r["source"]),
            "lead-k": list(range(n)),
            "random-k": rng.sample(range(n), n),
            "TextRank": tr_order,
        }
        if not tr:
            del ranked["TextRank"]
        for name, order in ranked.items():
            p1 = float(bool(order[:1]) and order[0] in gold)
            p3 = len(set(order[:K]) & gold) / K
            scores[name].append((p1, p3))
    out = []
    for name, vals in scores.items():
        cost = {"triage": f"{ours_time:.1f}s", "TextRank": f"{tr_time:.1f}s"}.get(name, "-")
        out.append([name, statistics.mean(v[0] for v in vals), statistics.mean(v[1] for v in vals), cost])
    table(
        f"Key insights, SciTLDR-A dev ({len(rows)} abstracts): precision against source_labels",
        ["method", "P@1", "P@3", "time"],
        out,
    )
    ours = scores["triage"]
    return {
        "insights.scitldr.p_at_1": statistics.mean(v[0] for v in ours),
        "insights.scitldr.p_at_3": statistics.mean(v[1] for v in ours),
    }


def kp_docs(data: Path, limit: int | None) -> list[tuple[str, str, list[str], list[str]]]:
    """(category, headline, body lines, gold key phrases) for each kpcrowd story."""
    out = []
    for path in sorted((data / "kpcrowd-500n" / "docsutf8").glob("*.txt"))[:limit]:
        lines = [
            ln.strip() for ln in path.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()
        ]
        keys = (data / "kpcrowd-500n" / "keys" / (path.stem + ".key")).read_text(
            encoding="utf-8", errors="replace"
        )
        phrases = [k.strip().lower() for k in keys.splitlines() if k.strip()]
        out.append((path.stem.split("-")[0], lines[0] if lines else "", lines[1:], phrases))
    return out


def split_sentences(nlp, lines: list[str]) -> list[str]:
    out = []
    for doc in nlp.pipe(lines):
        out.extend(s.text.strip() for s in doc.sents if s.text.strip())
    return out


def allowed_sentences(nlp, lines: list[str]) -> list[str]:
    """The sentences triage's filters let through (`reject_reason`: strict or soft)."""
    out = []
    for doc in nlp.pipe(lines):
        for sent in doc.sents:
            s = Sentence(sent.text.strip(), 0, has_verb=any(t.pos_ in ("VERB", "AUX") for t in sent))
            if s.text and reject_reason(s) in (None, *SOFT):
                out.append(s.text)
    return out


def oracle(sentences: list[str], pats: list[re.Pattern[str]]) -> list[str]:
    """The best K sentences for this measure, chosen knowing the gold phrases: greedily the one
    covering most phrases not yet covered (sentences with a phrase first)."""
    found = [{j for j, p in enumerate(pats) if p.search(s.lower())} for s in sentences]
    chosen: list[int] = []
    covered: set[int] = set()
    for _ in range(min(K, len(sentences))):
        rest = [i for i in range(len(sentences)) if i not in chosen]
        best = max(rest, key=lambda i: (bool(found[i]), len(found[i] - covered)))
        chosen.append(best)
        covered |= found[best]
    return [sentences[i] for i in chosen]


def bench_kpcrowd_insights(data: Path, nlp, tr, limit: int | None, fast: bool = False) -> dict[str, float]:
    every = kp_docs(data, limit)
    kept = [i for i, d in enumerate(every) if d[2]]  # headline-only stories have no sentences to pick
    docs = [every[i] for i in kept]
    notes = [analyzed("kp", every, nlp)[i] for i in kept]
    rng = random.Random(13)
    res: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for (_, _head, body, phrases), note in zip(docs, notes, strict=True):
        pats = [re.compile(r"\b" + re.escape(p) + r"\b") for p in phrases]
        picks = {"triage": note.key_insights[:K]}
        if not fast:  # the ledger reads triage's figures only: no baseline, no second spaCy pass
            sentences = split_sentences(nlp, body)
            if not sentences:
                continue
            n = len(sentences)
            picks["lead-k"] = sentences[:K]
            picks["random-k"] = [sentences[i] for i in rng.sample(range(n), min(K, n))]
        if tr and not fast:
            picks["TextRank"] = [sentences[i] for i in textrank_order(tr, sentences)[:K]]
            picks["oracle, any sentence (ceiling)"] = oracle(sentences, pats)
            picks["oracle, sentences triage may pick"] = oracle(allowed_sentences(nlp, body), pats)
        for name, chosen in picks.items():
            low = [c.lower() for c in chosen]
            hit = sum(1 for c in low if any(p.search(c) for p in pats)) / K
            covered = sum(1 for p in pats if any(p.search(c) for c in low)) / max(len(pats), 1)
            res[name].append((hit, covered))
    rows = [
        [m, statistics.mean(v[0] for v in vals), statistics.mean(v[1] for v in vals)]
        for m, vals in res.items()
    ]
    table(
        f"Key insights, kpcrowd-500n ({len(docs)} stories with a body): top-3 sentences vs gold key phrases",
        ["method", "top-3 with a key phrase", "key phrases covered"],
        rows,
    )
    ours = res["triage"]
    return {
        "insights.kpcrowd.top3_with_key_phrase": statistics.mean(v[0] for v in ours),
        "insights.kpcrowd.key_phrases_covered": statistics.mean(v[1] for v in ours),
    }


def claim_hit(claim: str, sentence: str) -> bool:
    """The sentence holds the claim: at least 70% of the claim's words are in it."""
    want = set(re.findall(r"\w+", claim.lower()))
    have = set(re.findall(r"\w+", sentence.lower()))
    return bool(want) and len(want & have) / len(want) >= 0.7


def bench_microtexts(data: Path, nlp, tr, limit: int | None, fast: bool = False) -> dict[str, float]:
    rows = [json.loads(line) for line in (data / "arg-microtexts-en.jsonl").open()][:limit]
    notes = [make_note(r["id"], "", [r["text"]]) for r in rows]
    t0 = time.perf_counter()
    analyze(notes, nlp, key_insights=K)
    ours_time = time.perf_counter() - t0
    res: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for r, note in zip(rows, notes, strict=True):
        sentences = split_sentences(nlp, [r["text"]])
        hits = [claim_hit(r["central_claim"], s) for s in sentences]
        n, m = len(sentences), sum(hits)
        order = textrank_order(tr, sentences) if tr else []
        res["triage"].append(
            (
                float(bool(note.key_insights) and claim_hit(r["central_claim"], note.key_insights[0])),
                float(any(claim_hit(r["central_claim"], s) for s in note.key_insights[:K])),
            )
        )
        res["lead-k"].append((float(hits[0]), float(any(hits[:K]))))
        if order:
            res["TextRank"].append((float(hits[order[0]]), float(any(hits[i] for i in order[:K]))))
        k = min(K, n)
        res["random-k (expected)"].append((m / n, 1 - math.comb(n - m, k) / math.comb(n, k)))
    out = []
    for name, vals in res.items():
        cost = f"{ours_time:.1f}s" if name == "triage" else "-"
        out.append([name, statistics.mean(v[0] for v in vals), statistics.mean(v[1] for v in vals), cost])
    table(
        f"Key insights, arg-microtexts ({len(rows)} texts): the central claim first (P@1), in the top 3 (P@3)",
        ["method", "P@1", "P@3", "time"],
        out,
    )
    ours = res["triage"]
    return {
        "insights.arg.p_at_1": statistics.mean(v[0] for v in ours),
        "insights.arg.p_at_3": statistics.mean(v[1] for v in ours),
    }


def essay_hits(insight: str, sentences: list[str]) -> set[int]:
    """The annotated sentences an insight holds (at least 70% of their words)."""
    return {i for i, s in enumerate(sentences) if claim_hit(s, insight)}


def bench_essays(nlp, tr, limit: int | None, path: Path = ESSAYS, label: str = "") -> dict[str, float]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")][:limit]
    flat = [[s for para in r["paragraphs"] for s in para] for r in rows]
    bodies = ["\n\n".join(" ".join(para) for para in r["paragraphs"]) for r in rows]
    with_title = [make_note(r["id"], r["title"], [b]) for r, b in zip(rows, bodies, strict=True)]
    no_title = [make_note(r["id"], "", [b]) for r, b in zip(rows, bodies, strict=True)]
    analyze(with_title + no_title, nlp, key_insights=K)
    res: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    synopsis: list[tuple[float, float]] = []
    for r, sents, titled, plain in zip(rows, flat, with_title, no_title, strict=True):
        central, claims, n = r["central"], {r["central"], *r["main"]}, len(sents)

        def measure(picked: list[set[int]], central: int = central, claims: set[int] = claims):
            top = picked[:K]
            return (
                float(bool(top) and central in top[0]),
                sum(bool(h & claims) for h in top) / K,
                float(any(central in h for h in top)),
            )

        for name, note in (("triage", titled), ("triage, no title", plain)):
            res[name].append(measure([essay_hits(t, sents) for t in note.key_insights]))
        held = essay_hits(titled.synopsis, sents)
        synopsis.append((float(bool(held & claims)), len(held & claims) / max(len(held), 1)))
        res["lead-k"].append(measure([{i} for i in range(n)]))
        if tr:
            res["TextRank"].append(measure([{i} for i in textrank_order(tr, sents)]))
        m = len(claims)
        res["random-k (expected)"].append((1 / n, m / n, min(K, n) / n))
    out = [[name, *(statistics.mean(v[j] for v in vals) for j in range(3))] for name, vals in res.items()]
    table(
        f"Key insights, {label or 'essays written by the project'} ({len(rows)} texts, "
        f"{sum(map(len, flat))} sentences): the central claim first (P@1), claims in the top 3",
        ["method", "P@1", "P@3 (share that are claims)", "central claim in top 3"],
        out,
    )
    print(
        f"\ntriage's synopsis holds a claim (central or main): {statistics.mean(v[0] for v in synopsis):.3f}; "
        f"share of its sentences that are claims: {statistics.mean(v[1] for v in synopsis):.3f}"
    )
    ours = res["triage"]
    return {
        "p_at_1": statistics.mean(v[0] for v in ours),
        "claims_in_top3": statistics.mean(v[1] for v in ours),
        "central_in_top3": statistics.mean(v[2] for v in ours),
        "synopsis_holds_claim": statistics.mean(v[0] for v in synopsis),
    }


def bench_all_essays(data: Path, nlp, tr, limit: int | None, fast: bool = False) -> dict[str, float]:
    """Both essay sets: ours (tuned on) and the held-out pieces written blind."""
    out = {f"insights.essays.{k}": v for k, v in bench_essays(nlp, tr, limit).items()}
    held = bench_essays(nlp, tr, limit, HELDOUT, "held-out essays written blind (never tuned on)")
    return out | {f"insights.essays_heldout.{k}": v for k, v in held.items()}


# --- topics ----------------------------------------------------------------------------------------

LABELS = {
    "art_and_culture": "Art and culture",
    "business": "Business",
    "crime": "Crime",
    "fashion": "Fashion",
    "health": "Health",
    "politics_us": "US politics",
    "politics_world": "World politics",
    "science": "Science",
    "sports": "Sports",
    "tech": "Technology",
}


BBC_LABELS = {c: c.capitalize() for c in ("business", "entertainment", "politics", "sport", "tech")}


def bbc_docs(data: Path, limit: int | None) -> list[tuple[str, str, list[str], list[str]]]:
    """(category, headline, body lines, []) for each bbc-dev report: the kpcrowd shape."""
    out = []
    for line in (data / "bbc-dev.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        lines = [ln.strip() for ln in r["article"].splitlines() if ln.strip()]
        out.append((r["category"], lines[0] if lines else "", lines[1:], []))
    return out[:limit]


def _topic_setup(docs, nlp, prefix: str):
    """Stories as analysed notes, their texts and categories (topic ids), grouped by category."""
    texts = ["\n".join([head, *body]) for _, head, body, _ in docs]
    cats = [c.replace("_", "-") for c, *_ in docs]
    notes = analyzed(prefix, docs, nlp)
    by_cat: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(cats):
        by_cat[c].append(i)
    return texts, cats, notes, by_cat


def _assign(notes, i, taxonomy, rules, model) -> list[str]:
    from triage.enrich.classify import classify

    note = notes[i]
    note.given, note.topics, note.reasons = {}, [], []
    classify(note, taxonomy, rules, max_topics=5, model=model)
    return note.topics


def _label_taxonomy(categories, labels: dict[str, str]) -> Taxonomy:
    return Taxonomy(topics={c: Topic(id=c, label=labels[c.replace("-", "_")]) for c in sorted(categories)})


def bench_topics(data: Path, nlp, limit: int | None, fast: bool = False) -> dict[str, float]:
    """Topic assignment on kpcrowd-500n (10 categories) and bbc-dev (5), learning from N reviewed
    stories per category; figures: accuracy at N = 10 (none = wrong) on each set, and the share of
    off-taxonomy stories left without a topic."""
    figures: dict[str, float] = {}
    sets = (("kpcrowd", "kpcrowd-500n", kp_docs, LABELS), ("bbc", "bbc-dev", bbc_docs, BBC_LABELS))
    for key, name, loader, labels in sets:
        docs = loader(data, limit)
        mean = _topics_on(
            docs, name, nlp, labels, sizes=(10,) if fast else (5, 10, 20), seeds=2 if fast else 3
        )
        figures[f"topics.{key}.accuracy_n10"] = mean[10]["triage"]
        figures[f"topics.{key}.off_taxonomy_left_out_n10"] = mean[10]["off: none"]
    return figures


def _topics_on(docs, name: str, nlp, labels, sizes, seeds: int) -> dict[int, dict[str, float]]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from triage.enrich.classify import keyword_scorer
    from triage.enrich.learn import TopicModel

    texts, cats, notes, by_cat = _topic_setup(docs, nlp, {"kpcrowd-500n": "kp"}.get(name, name[:3]))
    rules = parse_rules(safe_load_mapping(default_text("rules.yaml")))
    rows, split_rows, means = [], [], {}
    for n in sizes:
        accs: dict[str, list[float]] = defaultdict(list)
        for seed in range(seeds):
            rng = random.Random(seed)
            train = sorted(i for c in sorted(by_cat) for i in rng.sample(by_cat[c], n))
            test = [i for i in range(len(texts)) if i not in set(train)]
            vec = TfidfVectorizer(sublinear_tf=True)
            lr = LogisticRegression(max_iter=2000)
            lr.fit(vec.fit_transform([texts[i] for i in train]), [cats[i] for i in train])
            pred = lr.predict(vec.transform([texts[i] for i in test]))
            accs["TF-IDF + LR"].append(statistics.mean(p == cats[i] for p, i in zip(pred, test, strict=True)))
            taxonomy = _label_taxonomy(by_cat, labels)
            t0 = time.perf_counter()
            model = TopicModel.train_calibrated(
                [(texts[i], [cats[i]]) for i in train],
                taxonomy,
                keyword_scorer(taxonomy),
                rules.topic_threshold,
                rules.topic_probability,
            )
            accs["_time"].append(time.perf_counter() - t0)
            given = [(_assign(notes, i, taxonomy, rules, model), cats[i]) for i in test]
            right = [bool(t) and t[0] == c for t, c in given]
            accs["triage"].append(statistics.mean(right))
            accs["none"].append(statistics.mean(not t for t, _ in given))
            accs["precision"].append(sum(right) / max(1, sum(bool(t) for t, _ in given)))
            accs["model"].append(
                statistics.mean(
                    max((s := model.similarities(notes[i].clean_text)), key=s.__getitem__) == cats[i]
                    for i in test
                )
            )
            for half in (0, 1):  # off-taxonomy: a taxonomy of half the categories; the other half fits none
                kept = sorted(by_cat)[half::2]
                small = _label_taxonomy(kept, labels)
                tr = [i for i in train if cats[i] in kept]
                m = TopicModel.train_calibrated(
                    [(texts[i], [cats[i]]) for i in tr],
                    small,
                    keyword_scorer(small),
                    rules.topic_threshold,
                    rules.topic_probability,
                )
                inside = [(_assign(notes, i, small, rules, m), cats[i]) for i in test if cats[i] in kept]
                outside = [_assign(notes, i, small, rules, m) for i in test if cats[i] not in kept]
                accs["in: placed"].append(statistics.mean(bool(t) for t, _ in inside))
                accs["in: right"].append(statistics.mean(bool(t) and t[0] == c for t, c in inside))
                accs["off: none"].append(statistics.mean(not t for t in outside))
        mean = means[n] = {k: statistics.mean(v) for k, v in accs.items()}
        rows.append(
            [
                n,
                mean["TF-IDF + LR"],
                mean["triage"],
                mean["none"],
                mean["precision"],
                mean["model"],
                f"{mean['_time'] * 1000:.0f} ms",
            ]
        )
        split_rows.append([n, mean["in: placed"], mean["in: right"], mean["off: none"]])
    k = len(by_cat)
    table(
        f"Topics, {name} ({len(texts)} stories, {k} categories): assignment, mean of seeds 0-{seeds - 1}",
        [
            "N per category",
            "TF-IDF + LR",
            "triage (none = wrong)",
            "left without topic",
            "precision when given",
            "model first choice",
            "training + calibration",
        ],
        rows,
    )
    table(
        f"Topics, {name}, taxonomy = half of the {k} categories (both halves, seeds 0-{seeds - 1}): "
        "stories of the half in the taxonomy, and of the half outside it",
        ["N per category", "inside: placed", "inside: right (none = wrong)", "outside: left without topic"],
        split_rows,
    )
    return means


def _purity(groups: list[list[str]]) -> float:
    from collections import Counter

    members = sum(len(g) for g in groups)
    return sum(Counter(g).most_common(1)[0][1] for g in groups if g) / max(1, members)


def bench_discovery(data: Path, nlp, limit: int | None, fast: bool = False) -> dict[str, float]:
    """Topic discovery with `topics: {}`: every story is a note without a topic."""
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    from triage.enrich.discover import suggest

    docs = kp_docs(data, limit)
    cat_of = {f"notes/{i:04d}.md": c for i, (c, *_) in enumerate(docs)}
    texts = [(f"notes/{i:04d}.md", "\n".join([head, *body])) for i, (_, head, body, _) in enumerate(docs)]
    t0 = time.perf_counter()
    found = suggest(texts)
    took = time.perf_counter() - t0
    again = suggest(list(reversed(texts)))
    same = [(s.id, s.notes) for s in again] == [(s.id, s.notes) for s in found]
    groups = [[cat_of[p] for p in s.notes] for s in found]
    rows = [
        [
            "triage (suggest)",
            len(found),
            _purity(groups),
            sum(map(len, groups)) / len(texts),
            f"{took:.1f}s",
            "yes" if same else "NO",
        ]
    ]
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform([t for _, t in texts])
    k = len(set(cat_of.values()))
    labels = KMeans(k, n_init=10, random_state=0).fit_predict(x)
    base = [[cat_of[texts[i][0]] for i in np.where(labels == j)[0]] for j in range(k)]
    rows.append([f"TF-IDF + k-means, k = {k} (told the number)", k, _purity(base), 1.0, "-", "-"])
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    z = normalize(TruncatedSVD(50, random_state=0).fit_transform(x))
    labels = KMeans(k, n_init=10, random_state=0).fit_predict(z)
    lsa = [[cat_of[texts[i][0]] for i in np.where(labels == j)[0]] for j in range(k)]
    rows.append([f"TF-IDF + LSA 50 + k-means, k = {k} (told the number)", k, _purity(lsa), 1.0, "-", "-"])
    table(
        f"Topic discovery, kpcrowd-500n ({len(texts)} stories, {k} categories), taxonomy `topics: {{}}`",
        ["method", "suggestions", "purity", "coverage", "time", "same again"],
        rows,
    )
    for s, g in zip(found, groups, strict=True):
        top = max(set(g), key=g.count)
        print(f"- `{s.id}` {s.label}: {len(g)} notes, {g.count(top)} {top}")
    return {
        "discovery.kpcrowd.purity": _purity(groups),
        "discovery.kpcrowd.coverage": sum(map(len, groups)) / len(texts),
        "discovery.kpcrowd.same_again": float(same),
    }


def _optional(module: str, fallback=None):
    """A family measured by a module of its own (`benchmarks/<module>.py`, function `measure`)."""

    def run(data: Path, nlp, tr, limit: int | None, fast: bool) -> dict[str, float]:
        import importlib

        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as e:
            if e.name != module:
                raise
            if fallback is None:  # the ledger then names each of its figures as not measured
                print(f"\n(no benchmarks/{module}.py: not measured)")
                return {}
            return fallback(data, nlp, tr, limit, fast)
        return mod.measure(data, nlp, fast)

    return run


def _related_kpcrowd(data: Path, nlp, tr, limit: int | None, fast: bool) -> dict[str, float]:
    from related_quality import bench_related  # benchmarks/related_quality.py

    bench_related(data, nlp, limit, table, kp_docs)
    return {}


# Every family of figures, in the order they run: (name, does it need spaCy, how to measure it).
# A module of its own keeps the larger families; `--fast` is what `make quality-check` runs.
FAMILIES = [
    ("scitldr", True, lambda d, n, t, lim, f: bench_scitldr(d, n, t, lim, f)),
    ("kpcrowd", True, lambda d, n, t, lim, f: bench_kpcrowd_insights(d, n, t, lim, f)),
    ("arg", True, lambda d, n, t, lim, f: bench_microtexts(d, n, t, lim, f)),
    ("essays", True, lambda d, n, t, lim, f: bench_all_essays(d, n, t, lim, f)),
    ("news", True, _optional("news_quality")),
    ("entities", True, _optional("entities_quality")),
    ("topics", True, lambda d, n, t, lim, f: bench_topics(d, n, lim, f)),
    ("discovery", False, lambda d, n, t, lim, f: bench_discovery(d, n, lim, f)),
    ("related", True, _optional("connections_quality", _related_kpcrowd)),
    ("teleology", True, _optional("teleology_quality")),
    ("tier", True, _optional("tier_quality")),
    ("readers", False, _optional("readers_quality")),
]
INSIGHTS = {"scitldr", "kpcrowd", "arg", "essays", "news"}
SHARE_A_PASS = {"kpcrowd", "topics"}  # one spaCy pass over kpcrowd-500n (`analyzed`): one process
ALIASES = {"insights": INSIGHTS, "all": {name for name, *_ in FAMILIES}}


def in_parallel(args: argparse.Namespace, names: list[str]) -> None:
    """The families split over `args.jobs` processes of this script (the longest first, each to the
    process with the least work so far, by the seconds the committed baseline recorded), their
    tables printed one process after the other and their figures written as one run."""
    import subprocess
    import tempfile

    from ledger import BASELINE

    known = json.loads(BASELINE.read_text(encoding="utf-8")).get("seconds", {}) if BASELINE.exists() else {}
    units = [[n for n in names if n in SHARE_A_PASS]] + [[n] for n in names if n not in SHARE_A_PASS]
    cost = {tuple(u): sum(known.get(n, 60.0) for n in u) for u in units if u}
    groups: list[list[str]] = [[] for _ in range(args.jobs)]
    load = [0.0] * args.jobs
    for unit in sorted(cost, key=lambda u: -cost[u]):
        i = load.index(min(load))
        groups[i].extend(unit)
        load[i] += cost[unit]
    tmp = Path(tempfile.mkdtemp(prefix="triage-quality-"))
    procs = []
    for i, group in enumerate(g for g in groups if g):
        cmd = [sys.executable, __file__, "--data", str(args.data), "--tasks", ",".join(group)]
        cmd += ["--json", str(tmp / f"{i}.json"), *(["--fast"] if args.fast else [])]
        cmd += ["--limit", str(args.limit)] if args.limit else []
        procs.append(subprocess.Popen(cmd, stdout=(tmp / f"{i}.md").open("w"), stderr=subprocess.STDOUT))
    codes = [p.wait() for p in procs]
    for i in range(len(procs)):
        print((tmp / f"{i}.md").read_text(encoding="utf-8"))
    if any(codes):
        raise SystemExit(f"a measuring process failed (exit codes {codes}): see its output above")
    runs = [json.loads((tmp / f"{i}.json").read_text(encoding="utf-8")) for i in range(len(procs))]
    if args.json:
        merged = {
            "meta": {**runs[0]["meta"], "jobs": args.jobs},
            "seconds": {k: v for r in runs for k, v in r["seconds"].items()},
            "figures": {k: v for r in runs for k, v in sorted(r["figures"].items())},
        }
        args.json.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {len(merged['figures'])} figures to {args.json} ({args.jobs} processes)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "dev-eval")
    ap.add_argument(
        "--tasks",
        "--only",
        default="all",
        help="comma-separated families (" + ", ".join(n for n, *_ in FAMILIES) + "), or insights, all",
    )
    ap.add_argument("--limit", type=int, default=None, help="use only the first N items of each data set")
    ap.add_argument("--fast", action="store_true", help="the ledger's subset: no TextRank, fewer seeds")
    ap.add_argument("--json", type=Path, default=None, help="write the figures there (benchmarks/ledger.py)")
    ap.add_argument("--jobs", type=int, default=1, help="run the families in this many processes")
    args = ap.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"no evaluation data at {args.data}")
    tasks: set[str] = set()
    for t in args.tasks.split(","):
        tasks |= ALIASES.get(t, {t})
    unknown = tasks - {name for name, *_ in FAMILIES}
    if unknown:
        raise SystemExit(f"unknown task(s): {', '.join(sorted(unknown))}")
    chosen = [f for f in FAMILIES if f[0] in tasks]
    if args.jobs > 1 and len(chosen) > 1:
        return in_parallel(args, [name for name, *_ in chosen])
    nlp = load_nlp(MODELS) if any(needs for _, needs, _ in chosen) else None
    command = " ".join(["python benchmarks/quality.py", *sys.argv[1:]])
    print(f"# triage extraction quality\n\ncommand: {command}")
    tr = textrank_nlp() if tasks & INSIGHTS and not args.fast else None
    figures: dict[str, float] = {}
    seconds: dict[str, float] = {}
    for name, _needs, measure in chosen:
        t0 = time.perf_counter()
        figures |= {
            k: round(float(v), 6) for k, v in measure(args.data, nlp, tr, args.limit, args.fast).items()
        }
        seconds[name] = round(time.perf_counter() - t0, 1)
        print(f"\n({name}: {seconds[name]:.1f} s)", flush=True)
    if args.json:
        meta = {
            "command": command,
            "fast": args.fast,
            "limit": args.limit,
            "model": nlp.meta["name"] if nlp else None,
        }
        args.json.write_text(
            json.dumps({"meta": meta, "seconds": seconds, "figures": figures}, indent=2) + "\n",
            encoding="utf-8",
        )
        print(f"\nwrote {len(figures)} figures to {args.json}")


if __name__ == "__main__":
    main()
