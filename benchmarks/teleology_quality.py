"""Teleology: triage's model against the majority label, today's cue rules and TF-IDF + LR, held out by source.

    python benchmarks/teleology_quality.py [--data ../shared/dev-eval] [--fast] [--sweep]

Data (read from `--data`, never copied): teleology-dev (360 texts, 25 collections), plus kpcrowd-500n
news stories and bbc-dev articles (monitor) and arg-microtexts (synthesize) as three more collections
(`train_teleology.load_extra`). Cross-validation leaves one whole collection out at a time (28
folds): every text is predicted by models that never saw its collection, so what is measured is how
each method does on a source it has not seen, not how well it recognises a site's style.

Methods, under the same folds:
- triage: `evidence.py` features, the model trained by `train_teleology.fit` on the other
  collections, applied by triage's own `TeleologyModel.probabilities`;
- majority: the most common label of the training folds;
- today's rules: the cue scoring of rules.yaml before this model (one point per cue, two per listed
  format/platform, with the format inferred the old way: every 150+ word capture an `article`);
- TF-IDF + LR: scikit-learn TfidfVectorizer (words, sublinear tf) + LogisticRegression, same
  sample weights.
Also: the shipped model (`defaults/teleology-model.json`, trained on everything) through
`classify.assign_teleology` on whole Notes; its accuracy on its own training set says only that it
fits, not that it generalises. Halves: accuracy on odd- and even-numbered teleology-dev files.

`measure()` returns triage's held-out figures (ledger contract: higher is better).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
from tables import table  # noqa: E402
from train_teleology import C, Doc, features_of, fit, load_dev, load_extra, weights  # noqa: E402

from triage.enrich.teleology import LABELS  # noqa: E402

OLD_CUES = {
    "implement": (
        "how to, step by step, tutorial, install, setup, set up, configure, recipe, checklist, code, snippet, "
        "command, api, library, framework, workflow, playbook, template",
        [],
        ["github"],
    ),
    "synthesize": (
        "thesis, argue, argument, framework, lens, i think, we think, the key, implication, implications, why, "
        "means that, suggests, in other words, big picture, my take, essay",
        ["article", "newsletter"],
        [],
    ),
    "reference": (
        "definition, defined as, glossary, documentation, docs, spec, specification, reference, table, list of, "
        "dataset, benchmark, paper, appendix, citation",
        ["paper"],
        ["arxiv"],
    ),
    "monitor": (
        "announced, announces, launch, launched, release, released, today, this week, breaking, update, rumor, "
        "rumors, report, reported, earnings, deal, acquisition",
        ["post"],
        [],
    ),
    "explore": (
        "question, questions, what if, might, maybe, curious, wonder, speculate, open problem, unknown, unclear",
        ["podcast", "video", "transcript"],
        [],
    ),
}
"""rules.yaml's teleology section before the model (commit 154fa0e), scored as classify.py scored it."""


def note_of(doc: Doc):
    from triage.note import Note
    from triage.sources.infer import infer_metadata

    return infer_metadata(Note(source=Path(doc.name), body=doc.text, mtime=1.7e9))


def old_format(note) -> str:
    """infer_format before this change: timestamps or `Name:` turns, the platform, else length."""
    from triage.sources.infer import PLATFORM_FORMAT
    from triage.text import word_count

    body = note.words_text()
    stamps = re.compile(r"^\s*[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s", re.M)
    speaker = re.compile(r"^\s*(?:\*\*)?[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,2}(?:\*\*)?:\s+\S", re.M)
    if len(stamps.findall(body)) >= 3 or len(speaker.findall(body)) >= 4:
        return "transcript"
    if note.platform in PLATFORM_FORMAT:
        return PLATFORM_FORMAT[note.platform]
    return "article" if word_count(body) >= 150 else "note"


def old_rules(docs: list[Doc]) -> list[str]:
    from triage.enrich.classify import Matcher, _naive_lemma, words_of

    out = []
    for doc in docs:
        note = note_of(doc)
        fmt = old_format(note)
        words = words_of(note.words_text())
        matcher = Matcher(words, [_naive_lemma(w) for w in words])
        best, best_score = "explore", 0
        for name, (cues, formats, platforms) in OLD_CUES.items():
            points = sum(1 for c in cues.split(", ") if matcher.count(c))
            points += 2 * (fmt in formats) + 2 * (note.platform in platforms)
            if points > best_score:
                best, best_score = name, points
        out.append(best)
    return out


def folds(docs: list[Doc]) -> list[tuple[list[int], list[int]]]:
    groups = sorted({d.group for d in docs})
    return [
        ([i for i, d in enumerate(docs) if d.group != g], [i for i, d in enumerate(docs) if d.group == g])
        for g in groups
    ]


def cv_triage(docs: list[Doc], x: list[list[float]], c: float = C) -> list[str]:
    pred = [""] * len(docs)
    for train, test in folds(docs):
        model = fit([x[i] for i in train], [docs[i] for i in train], c)
        for i in test:
            probs = model.probabilities(x[i])
            pred[i] = max(probs, key=lambda k: probs[k])
    return pred


def cv_majority(docs: list[Doc]) -> list[str]:
    pred = [""] * len(docs)
    for train, test in folds(docs):
        top = Counter(docs[i].label for i in train).most_common(1)[0][0]
        for i in test:
            pred[i] = top
    return pred


def cv_tfidf(docs: list[Doc]) -> list[str]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    pred = [""] * len(docs)
    for train, test in folds(docs):
        vec = TfidfVectorizer(sublinear_tf=True, min_df=2, max_features=50000)
        xt = vec.fit_transform([docs[i].text for i in train])
        lr = LogisticRegression(C=10.0, max_iter=3000)
        lr.fit(xt, [docs[i].label for i in train], sample_weight=weights([docs[i] for i in train]))
        for i, p in zip(test, lr.predict(vec.transform([docs[i].text for i in test])), strict=True):
            pred[i] = str(p)
    return pred


def shipped_predictions(docs: list[Doc]) -> list[str]:
    from triage.config import default_text, parse_rules
    from triage.enrich.classify import assign_teleology
    from triage.vault.yamlio import safe_load_mapping

    rules = parse_rules(safe_load_mapping(default_text("rules.yaml")))
    out = []
    for doc in docs:
        note = note_of(doc)
        note.reasons = []
        assign_teleology(note, None, rules)
        out.append(note.teleology)
    return out


def scores(docs: list[Doc], pred: list[str], idx: list[int]) -> list[float]:
    """[accuracy, recall per label...] over the docs at `idx` (NaN-free: a label absent scores 0)."""
    acc = sum(pred[i] == docs[i].label for i in idx) / max(len(idx), 1)
    rec = []
    for lab in LABELS:
        have = [i for i in idx if docs[i].label == lab]
        rec.append(sum(pred[i] == lab for i in have) / len(have) if have else float("nan"))
    return [acc, *rec]


def measure(data: Path, nlp=None, fast: bool = False) -> dict[str, float]:
    """Print the tables; return triage's held-out figures. `nlp` is not needed (features need no spaCy)."""
    del nlp
    t0 = time.perf_counter()
    docs = load_dev(data) + load_extra(data)
    t1 = time.perf_counter()
    x = features_of(docs)
    feat_ms = (time.perf_counter() - t1) * 1000 / len(docs)
    dev = [i for i, d in enumerate(docs) if d.dev]
    extra = [i for i, d in enumerate(docs) if not d.dev]
    methods = {
        "triage (evidence + LR)": cv_triage(docs, x),
        "majority label": cv_majority(docs),
        "today's rules (cues + format bonus)": old_rules(docs),
    }
    if not fast:
        methods["TF-IDF + LR"] = cv_tfidf(docs)
    header = ["method", "accuracy", *(f"recall {lab}" for lab in LABELS)]
    table(
        f"Teleology, teleology-dev ({len(dev)} texts, 25 collections), each collection held out",
        header,
        [[name, *scores(docs, p, dev)] for name, p in methods.items()],
    )
    kp = [i for i in extra if docs[i].group.startswith("kpcrowd")]
    bbc = [i for i in extra if docs[i].group.startswith("bbc")]
    mt = [i for i in extra if docs[i].label == "synthesize"]
    table(
        "Held-out extra collections: share right (news = monitor; arg-microtexts = synthesize)",
        [
            "method",
            f"kpcrowd ({len(kp)})",
            f"bbc ({len(bbc)})",
            f"microtexts ({len(mt)})",
            "all collections, accuracy",
        ],
        [
            [
                name,
                *(scores(docs, p, s)[0] for s in (kp, bbc, mt)),
                scores(docs, p, list(range(len(docs))))[0],
            ]
            for name, p in methods.items()
        ],
    )
    odd = [i for i in dev if int(docs[i].name[1:4]) % 2]
    even = [i for i in dev if not int(docs[i].name[1:4]) % 2]
    table(
        "Halves of teleology-dev (odd / even file numbers), held-out accuracy",
        ["method", f"odd ({len(odd)})", f"even ({len(even)})"],
        [[name, scores(docs, p, odd)[0], scores(docs, p, even)[0]] for name, p in methods.items()],
    )
    triage_pred = methods["triage (evidence + LR)"]
    confusion = Counter((docs[i].label, triage_pred[i]) for i in dev)
    table(
        "triage held out, teleology-dev: rows the collection's label, columns triage's",
        ["label", *LABELS],
        [[lab, *(confusion[(lab, q)] for q in LABELS)] for lab in LABELS],
    )
    by_group: dict[str, list[int]] = {}
    for i, d in enumerate(docs):
        by_group.setdefault(d.group, []).append(i)
    table(
        "triage held out, per collection",
        ["collection", "label", "texts", "right", "most often given"],
        [
            [
                g,
                docs[idx[0]].label,
                len(idx),
                scores(docs, triage_pred, idx)[0],
                Counter(triage_pred[i] for i in idx).most_common(1)[0][0],
            ]
            for g, idx in sorted(by_group.items())
        ],
    )
    shipped = shipped_predictions(docs)
    print(
        f"\nShipped model through classify.assign_teleology on whole Notes (trained on all of it): "
        f"accuracy {scores(docs, shipped, dev)[0]:.3f} on teleology-dev, "
        f"{scores(docs, shipped, list(range(len(docs))))[0]:.3f} on all {len(docs)} texts"
    )
    print(
        f"Features: {feat_ms:.1f} ms per text ({len(docs)} texts); whole benchmark {time.perf_counter() - t0:.0f} s"
    )
    held = scores(docs, triage_pred, dev)
    out = {"teleology.heldout_accuracy": held[0]}
    out.update({f"teleology.heldout_recall_{lab}": r for lab, r in zip(LABELS, held[1:], strict=True)})
    out["teleology.heldout_accuracy_all_collections"] = scores(docs, triage_pred, list(range(len(docs))))[0]
    out["teleology.shipped_accuracy"] = scores(docs, shipped, dev)[0]
    return out


def sweep(data: Path) -> None:
    docs = load_dev(data) + load_extra(data)
    x = features_of(docs)
    dev = [i for i, d in enumerate(docs) if d.dev]
    rows = []
    for c in (0.03, 0.1, 0.3, 1.0, 3.0):
        pred = cv_triage(docs, x, c)
        rows.append([f"C={c}", *scores(docs, pred, dev)])
    table("Regularisation sweep (held out by collection)", ["C", "accuracy", *LABELS], rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "dev-eval")
    ap.add_argument("--fast", action="store_true")
    ap.add_argument("--sweep", action="store_true")
    args = ap.parse_args()
    if args.sweep:
        sweep(args.data)
        return
    for k, v in measure(args.data, None, args.fast).items():
        print(f"{k} = {v:.3f}")


if __name__ == "__main__":
    main()
