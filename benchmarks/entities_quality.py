"""Entities of social posts: triage against raw spaCy on WNUT-17, in one run (the ledger's `entities` family).

    python benchmarks/entities_quality.py [--data ../shared/dev-eval] [--fast] [--extra PATH] [--errors N]

- WNUT-17 dev (`wnut17-dev.conll` in `--data`): 1,009 posts, one token a line, tab, BIO tag.
- `--extra PATH`: a second set in the same format, measured the same way (WNUT-17's test split is
  public; it is read from where you put it, never copied into the repository).

Each post is one note (its tokens joined by spaces, no title), run through `triage.enrich.nlp.analyze`
as the product runs it. Measure: document-level precision, recall and F1 of (type, normalised name)
sets; an entity counts by its name and every alias. WNUT's `group` and `corporation` are one type
(`organization`) for both systems: spaCy's ORG does not separate them. Raw spaCy is the same model's
entities mapped to the same types. The F1 is shown on parts of each set (first half, second half,
odd posts) to see whether a gain holds across the set. `--errors N` prints triage's missed and spurious
names on the first N posts with a miss or a false hit (for development on the dev set only).

`measure(data, nlp, fast)` returns triage's figures as `{"entities.<set>_<figure>": value}`; with
`fast=True` it reads the first 500 dev posts (deterministic, well under the ledger's 90 s).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from tables import MODELS, full_spacy, table  # noqa: E402

from triage.enrich.nlp import analyze, load_nlp  # noqa: E402
from triage.note import Note  # noqa: E402

DEV = "wnut17-dev.conll"
FAST_POSTS = 500

WNUT_TYPES = {
    "person": "person",
    "location": "location",
    "group": "organization",
    "corporation": "organization",
    "product": "product",
    "creative-work": "work",
}
SPACY_TYPES = {
    "PERSON": "person",
    "ORG": "organization",
    "NORP": "organization",
    "GPE": "location",
    "LOC": "location",
    "FAC": "location",
    "PRODUCT": "product",
    "WORK_OF_ART": "work",
}
OUR_TYPES = {
    "person": "person",
    "organization": "organization",
    "place": "location",
    "product": "product",
    "work": "work",
}
Gold = set[tuple[str, str]]


def norm_name(text: str) -> str:
    text = text.lower().strip()
    text = re.sub(r"^(the|a|an)\s+", "", text)
    text = re.sub(r"('s|’s)$", "", text)
    return re.sub(r"[^\w@#]+", " ", text).strip()


def conll_docs(path: Path, limit: int | None = None) -> list[tuple[str, Gold]]:
    """(post text, gold (type, name) set) for each post of a CoNLL file (token, tab, BIO tag; blank
    lines, which may hold tabs, between posts)."""
    docs, tokens, tags = [], [], []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if tokens:
                docs.append((tokens, tags))
            tokens, tags = [], []
            continue
        tok, _, tag = line.partition("\t")
        tokens.append(tok)
        tags.append(tag.strip() or "O")
    out = []
    for toks, tgs in docs[:limit]:
        gold: Gold = set()
        cur: list[str] = []
        typ: str | None = None
        for tok, tag in [*zip(toks, tgs, strict=True), ("", "O")]:
            if tag.startswith("I-") and cur and tag[2:] == typ:
                cur.append(tok)
                continue
            if cur and typ in WNUT_TYPES:
                gold.add((WNUT_TYPES[typ], norm_name(" ".join(cur))))
            cur, typ = ([tok], tag[2:]) if tag[:2] in ("B-", "I-") else ([], None)
        out.append((" ".join(toks), gold))
    return out


def prf(pred: list[Gold], gold: list[Gold]) -> tuple[float, float, float]:
    tp = sum(len(p & g) for p, g in zip(pred, gold, strict=True))
    np_, ng = sum(map(len, pred)), sum(map(len, gold))
    p = tp / np_ if np_ else 0.0
    r = tp / ng if ng else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def raw_predictions(raw, texts: list[str]) -> list[Gold]:
    """The model's own entities, mapped to WNUT's types."""
    return [
        {(SPACY_TYPES[e.label_], norm_name(e.text)) for e in doc.ents if e.label_ in SPACY_TYPES}
        for doc in raw.pipe(texts)
    ]


def triage_predictions(nlp, texts: list[str]) -> list[Gold]:
    """triage's entities (name and aliases) of each post, each post one note."""
    notes = [Note(source=Path(f"w{i}"), body=t, title="") for i, t in enumerate(texts)]
    analyze(notes, nlp, max_entities=50)
    out = []
    for note in notes:
        names: Gold = set()
        for e in note.entities:
            if e.type in OUR_TYPES:
                names.update((OUR_TYPES[e.type], norm_name(form)) for form in {e.name, *e.aliases})
        out.append(names)
    return out


PARTS = {"first half": 0, "second half": 1, "odd posts": 2}


def _part(items: list, which: int) -> list:
    half = len(items) // 2
    return [items[:half], items[half:], items[1::2]][which]


def bench_set(label: str, docs: list[tuple[str, Gold]], nlp, raw, errors: int = 0) -> dict[str, float]:
    """Print the tables for one set; triage's figures keyed by figure name."""
    texts = [t for t, _ in docs]
    gold = [g for _, g in docs]
    raw_pred = raw_predictions(raw, texts)
    ours = triage_predictions(nlp, texts)
    p, r, f = prf(ours, gold)
    table(
        f"Entities, {label} ({len(docs)} posts): document-level (type, name) sets",
        ["method", "precision", "recall", "F1"],
        [["raw spaCy (mapped)", *prf(raw_pred, gold)], ["triage", p, r, f]],
    )
    figures = {"precision": p, "recall": r, "f1": f}
    steady = []
    for name, which in PARTS.items():
        rf = prf(_part(raw_pred, which), _part(gold, which))[2]
        op, orr, of = prf(_part(ours, which), _part(gold, which))
        steady.append([name, rf, op, orr, of, f"{of - rf:+.3f}"])
        figures[f"{name.split()[0]}_f1"] = of
    table(
        f"Entities, {label}, on parts of the set (is the gain steady?)",
        ["posts", "raw spaCy F1", "triage P", "triage R", "triage F1", "gain"],
        steady,
    )
    if errors:
        print_errors(docs, ours, errors)
    return figures


def print_errors(docs: list[tuple[str, Gold]], ours: list[Gold], limit: int) -> None:
    shown = 0
    for (text, gold), pred in zip(docs, ours, strict=True):
        if pred == gold:
            continue
        print(f"\n> {text[:300]}")
        print(f"  missed: {sorted(gold - pred)}  spurious: {sorted(pred - gold)}")
        shown += 1
        if shown >= limit:
            return


def measure(data: Path, nlp, fast: bool, extra: Path | None = None, errors: int = 0) -> dict[str, float]:
    """The ledger's entry point: WNUT-17 dev (the first `FAST_POSTS` posts when `fast`), and `extra`
    (another CoNLL set) when given. Returns triage's figures, higher is better."""
    nlp = nlp or load_nlp(MODELS)
    raw = full_spacy()
    dev = conll_docs(Path(data) / DEV, FAST_POSTS if fast else None)
    label = "WNUT-17 dev" + (f", first {FAST_POSTS}" if fast else "")
    out = {f"entities.wnut_dev_{k}": v for k, v in bench_set(label, dev, nlp, raw, errors).items()}
    if extra is not None:
        docs = conll_docs(Path(extra), FAST_POSTS if fast else None)
        found = bench_set(f"second set `{Path(extra).name}`", docs, nlp, raw)
        out |= {f"entities.extra_{k}": v for k, v in found.items()}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "dev-eval")
    ap.add_argument("--fast", action="store_true", help=f"only the first {FAST_POSTS} posts of each set")
    ap.add_argument("--extra", type=Path, default=None, help="a second CoNLL set, measured the same way")
    ap.add_argument("--errors", type=int, default=0, help="print triage's errors on the first N dev posts")
    args = ap.parse_args()
    if not (args.data / DEV).is_file():
        raise SystemExit(f"no {DEV} in {args.data}")
    if args.extra is not None and not args.extra.is_file():
        raise SystemExit(f"no file at {args.extra}")
    print(
        f"# triage entities quality\n\ncommand: {' '.join(['python benchmarks/entities_quality.py', *sys.argv[1:]])}"
    )
    figures = measure(args.data, None, args.fast, args.extra, args.errors)
    print("\n" + "\n".join(f"- {k}: {v:.3f}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
