"""Train the teleology model shipped as `triage/defaults/teleology-model.json` (reproducible).

    python benchmarks/train_teleology.py [--data ../shared/dev-eval] [--out triage/defaults/teleology-model.json]

Training data, read from `--data` (never copied into the repo):
- `teleology-dev/`: 360 texts, 72 per purpose, from 25 collections (labels from the collection);
- `kpcrowd-500n/`: news stories of 150 words or more, as `monitor` (news reports);
- `bbc-dev.jsonl`: 300 BBC news articles, as `monitor` (a second news source);
- `arg-microtexts-en.jsonl`: short argumentative texts, as `synthesize`.

Features: `triage.enrich.evidence` (genre and structure, no topic words). Model: scikit-learn's
multinomial LogisticRegression (C below) on standardised features, each collection weighted
equally within its label and each label equally (kpcrowd's 400 stories count as one collection,
not as 400 votes). The weights are written as JSON and applied at run time by
`triage.enrich.teleology` with plain Python. Deterministic: same data, same file.

The same functions serve `teleology_quality.py` (cross-validation leaving whole collections out).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from triage.enrich.evidence import FEATURES, evidence  # noqa: E402
from triage.enrich.teleology import CLIP, LABELS, TeleologyModel  # noqa: E402

C = 0.3
"""Inverse regularisation strength, fixed before looking at held-out figures (0.1-1 give the same
accuracy within 2 points under leave-one-collection-out; see teleology_quality.py --sweep)."""
KP_MIN_WORDS = 150


@dataclass
class Doc:
    name: str
    text: str
    label: str
    group: str
    """The collection the text comes from (held out as a whole)."""
    dev: bool = True
    """From teleology-dev (False: kpcrowd or arg-microtexts)."""


def load_dev(data: Path) -> list[Doc]:
    base = data / "teleology-dev"
    lines = (base / "labels.tsv").read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    out = []
    for line in lines[1:]:
        row = dict(zip(head, line.split("\t"), strict=True))
        text = (base / "texts" / row["file"]).read_text(encoding="utf-8")
        out.append(Doc(row["file"], text, row["label"], f"{row['source']} ({row['source_kind']})"))
    return out


def load_extra(data: Path) -> list[Doc]:
    out = []
    kp = data / "kpcrowd-500n" / "docsutf8"
    for path in sorted(kp.glob("*.txt")) if kp.is_dir() else []:
        lines = path.read_text(encoding="utf-8", errors="replace").replace("&amp;", "&").split("\n", 1)
        body = lines[1].strip() if len(lines) > 1 else ""
        if len(body.split()) >= KP_MIN_WORDS:
            out.append(
                Doc(path.name, f"# {lines[0].strip()}\n\n{body}\n", "monitor", "kpcrowd-500n (news)", False)
            )
    bbc = data / "bbc-dev.jsonl"
    if bbc.is_file():
        for line in bbc.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            head, _, body = row["article"].strip().partition("\n")
            out.append(
                Doc(
                    str(row["id"]),
                    f"# {head.strip()}\n\n{body.strip()}\n",
                    "monitor",
                    "bbc-dev (news)",
                    False,
                )
            )
    micro = data / "arg-microtexts-en.jsonl"
    if micro.is_file():
        for line in micro.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            out.append(Doc(row["id"], row["text"], "synthesize", "arg-microtexts (argument)", False))
    return out


def features_of(docs: list[Doc]) -> list[list[float]]:
    return [evidence(d.text).vector() for d in docs]


def weights(docs: list[Doc]) -> list[float]:
    """Each collection counts the same within its label, each label the same overall."""
    size = Counter(d.group for d in docs)
    groups_per_label = Counter(lab for lab, _ in {(d.label, d.group) for d in docs})
    return [1.0 / (size[d.group] * groups_per_label[d.label]) * len(docs) / len(LABELS) for d in docs]


def fit(
    x: list[list[float]], docs: list[Doc], c: float = C, trained_on: dict | None = None
) -> TeleologyModel:
    """The model trained on `x` (rows of `evidence.FEATURES`) and the docs' labels."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    arr = np.array(x)
    mean = arr.mean(axis=0)
    scale = arr.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.clip((arr - mean) / scale, -CLIP, CLIP)
    y = [LABELS.index(d.label) for d in docs]
    lr = LogisticRegression(C=c, max_iter=5000)
    lr.fit(z, y, sample_weight=weights(docs))
    order = [list(lr.classes_).index(i) for i in range(len(LABELS))]
    return TeleologyModel(
        labels=list(LABELS),
        features=list(FEATURES),
        mean=[round(float(v), 6) for v in mean],
        scale=[round(float(v), 6) for v in scale],
        coef=[[round(float(v), 5) for v in lr.coef_[i]] for i in order],
        intercept=[round(float(lr.intercept_[i]), 5) for i in order],
        trained_on=trained_on or {},
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "dev-eval")
    ap.add_argument("--out", type=Path, default=ROOT / "triage" / "defaults" / "teleology-model.json")
    args = ap.parse_args()
    docs = load_dev(args.data) + load_extra(args.data)
    groups = Counter(d.group for d in docs)
    trained_on = {
        "script": "benchmarks/train_teleology.py",
        "C": C,
        "texts": len(docs),
        "collections": len(groups),
        "per_label": dict(sorted(Counter(d.label for d in docs).items())),
        "data": "teleology-dev (360), kpcrowd-500n stories >= 150 words and bbc-dev (monitor), arg-microtexts (synthesize)",
    }
    model = fit(features_of(docs), docs, C, trained_on)
    text = model.to_json()
    args.out.write_text(json.dumps(json.loads(text), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(text)} bytes): {len(docs)} texts, {len(groups)} collections")


if __name__ == "__main__":
    main()
