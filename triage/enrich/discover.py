"""Topic discovery: group notes (by default those without a topic) into candidate topics.

Method (chosen by measurement on kpcrowd-500n, see docs/quality.md):

1. Features: the words `learn.feature_words` keeps (stop words dropped, plurals folded) plus
   adjacent word pairs, kept when at least 2 notes and at most 30% of them use the word (the
   MAX_VOCAB most widely used of those); weighted log(1 + count) x idf, each note scaled to length 1.
2. Latent semantic analysis: the notes projected on their `dims(n)` strongest directions (a fifth
   of the notes, at most 50: 20 for 100 notes; randomized SVD, numpy).
3. Consensus k-means: k-means (9 values of k from n / (6 x MIN) to n / (2 x MIN), where MIN is
   the smallest group kept, below: k = 8, 10, ..., 24 for 500 notes or more; 6 seeds each;
   k-means++ with fixed seeds); for each pair of notes, the share of runs that put them together.
4. Groups: repeatedly, the note with the most partners it shares at least 60% of runs with, and those
   partners, form a group (notes already grouped are skipped). Groups under MIN_SIZE notes (5, or
   2% of the notes) are dropped: a suggestion is a clear, repeated theme, not a guess. At most
   MAX_SUGGESTIONS, largest first. Then each note left out joins the group whose notes it was put
   with in at least `ATTACH` (half) of the runs on average, if any (`_attach`); the others stay
   unsuggested.
5. Each group is named by its most characteristic words and word pairs (frequent in the group, rare
   outside it; used by at most 60% of all the notes): the label is the first three, the keywords
   the first eight. Its id is the slug of
   its two first key phrases, so the same notes give the same id.

Everything is deterministic: the same notes (paths and texts) give the same suggestions. numpy is
imported inside `suggest` only (never on a run with nothing to do).
"""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from ..text import slugify
from .learn import feature_words

DIMS = 50  # at most; `dims(n)`: a fifth of the notes below 250
DIMS_SHARE = 0.2
SEEDS = 6
TOGETHER = 0.6
ATTACH = 0.5
MIN_SIZE_SHARE = 0.02
MIN_SIZE = 5
MAX_SUGGESTIONS = 12
MAX_NOTES = 2000
MAX_VOCAB = 4000
VERSION = 2


@dataclass
class Suggestion:
    id: str
    label: str
    keywords: list[str]
    notes: list[str] = field(default_factory=list)


def features(text: str) -> Counter[str]:
    """Words and adjacent word pairs of a text (pairs of the kept words, in order)."""
    words = feature_words(text)
    out: Counter[str] = Counter(words)
    out.update(f"{a} {b}" for a, b in itertools.pairwise(words) if a != b)
    return out


def dims(notes: int) -> int:
    """LSA directions for `notes` notes: a fifth of them, at most `DIMS` (100 notes: 20). A small
    vault projected on 50 directions keeps nearly all its noise, and k-means splits its themes."""
    return max(2, min(DIMS, round(DIMS_SHARE * notes)))


def suggest(notes: Sequence[tuple[str, str]], taken: Sequence[str] = ()) -> list[Suggestion]:
    """Candidate topics for `notes` ((path, text), any order). `taken`: ids already used (the
    taxonomy's), which a suggestion never reuses."""
    notes = sorted(notes)[-MAX_NOTES:]
    if len(notes) < 2 * MIN_SIZE:
        return []
    import numpy as np

    feats = [features(text) for _, text in notes]
    n = len(feats)
    df: Counter[str] = Counter()
    for f in feats:
        df.update(f.keys())
    kept = sorted((w for w, d in df.items() if 2 <= d <= max(2, 0.3 * n)), key=lambda w: (-df[w], w))
    vocab = sorted(kept[:MAX_VOCAB])
    if len(vocab) < 2:
        return []
    index = {w: j for j, w in enumerate(vocab)}
    idf = np.array([math.log((n + 1) / (df[w] + 1)) + 1 for w in vocab])
    x = np.zeros((n, len(vocab)), dtype=np.float64)
    for i, f in enumerate(feats):
        for w, c in f.items():
            j = index.get(w)
            if j is not None:
                x[i, j] = math.log1p(c) * idf[j]
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    z = _lsa(x, dims(n))
    z /= np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-12)
    min_size = max(MIN_SIZE, math.ceil(MIN_SIZE_SHARE * n))
    lo = max(3, round(n / (6 * min_size)))
    hi = max(lo + 1, round(n / (2 * min_size)))
    together = np.zeros((n, n))
    runs = 0
    for k in range(lo, hi, max(1, (hi - lo) // 8)):
        for seed in range(SEEDS):
            labels = _kmeans(z, k, seed)
            together += labels[:, None] == labels[None, :]
            runs += 1
    together /= max(runs, 1)
    groups = _attach(together, _groups(together, min_size)[:MAX_SUGGESTIONS])
    # Names may use words up to 60% of the notes use (a theme bigger than 30% keeps its own words).
    nameable = {w for w, d in df.items() if 2 <= d <= 0.6 * n}
    used = set(taken)
    out = []
    for members in groups:
        phrases = _key_phrases(feats, members, df, n, nameable)
        if not phrases:
            continue
        sid = _unique(slugify(" ".join(phrases[:2]), "-")[:40].strip("-") or "topic", used)
        used.add(sid)
        out.append(
            Suggestion(
                id=sid,
                label=", ".join(phrases[:3]),
                keywords=phrases[:8],
                notes=sorted(notes[i][0] for i in members),
            )
        )
    return out


def _lsa(x: Any, dims: int) -> Any:
    """The rows of `x` on its `dims` strongest directions: randomized SVD (Halko et al. 2011; fixed
    seed, 7 power iterations), as good as the exact SVD here at a fraction of its time."""
    import numpy as np

    rng = np.random.default_rng(0)
    k = min(dims + 10, *x.shape)
    q = x @ rng.standard_normal((x.shape[1], k))
    for _ in range(7):
        q, _ = np.linalg.qr(q)
        q = x @ (x.T @ q)
    q, _ = np.linalg.qr(q)
    u, s, _ = np.linalg.svd(q.T @ x, full_matrices=False)
    dims = min(dims, len(s))
    return (q @ u)[:, :dims] * s[:dims]


def _kmeans(z: Any, k: int, seed: int) -> Any:
    """Spherical k-means (cosine), k-means++ start from a fixed seed; returns the labels."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n = z.shape[0]
    centers = [z[int(rng.integers(n))]]
    for _ in range(1, k):
        d = 1 - np.max(z @ np.array(centers).T, axis=1)
        d = np.maximum(d, 0) ** 2
        total = d.sum()
        pick = int(rng.choice(n, p=d / total)) if total > 0 else int(rng.integers(n))
        centers.append(z[pick])
    c = np.array(centers)
    labels = np.zeros(n, dtype=int)
    for it in range(50):
        new = np.argmax(z @ c.T, axis=1)
        if it and np.array_equal(new, labels):
            break
        labels = new
        for j in range(k):
            members = z[labels == j]
            if len(members):
                m = members.sum(axis=0)
                c[j] = m / max(float(np.linalg.norm(m)), 1e-12)
    return labels


def _groups(together: Any, min_size: int) -> list[list[int]]:
    """Leader grouping on the co-association matrix: the note with the most strong partners first."""
    import numpy as np

    strong = together >= TOGETHER
    free = np.ones(together.shape[0], dtype=bool)
    out = []
    while True:
        degree = (strong & free[None, :]).sum(axis=1) * free
        leader = int(np.argmax(degree))
        if degree[leader] < min_size:
            break
        members = np.where(strong[leader] & free)[0]
        free[members] = False
        out.append(sorted(int(i) for i in members))
    return sorted(out, key=lambda g: (-len(g), g[0]))


def _attach(together: Any, groups: list[list[int]]) -> list[list[int]]:
    """Each note left out joins the group it was put with in the most runs on average, when that is
    at least `ATTACH` of the runs (a note between two themes, or on none, stays out)."""
    import numpy as np

    if not groups or ATTACH >= 1:
        return groups
    grouped = {i for g in groups for i in g}
    out = [list(g) for g in groups]
    for i in range(together.shape[0]):
        if i in grouped:
            continue
        share = [float(np.mean(together[i, g])) for g in groups]
        best = int(np.argmax(share))
        if share[best] >= ATTACH:
            out[best].append(i)
    return [sorted(g) for g in out]


def _key_phrases(
    feats: list[Counter[str]], members: list[int], df: Counter[str], n: int, vocab: set[str]
) -> list[str]:
    """Words and pairs most characteristic of the group: share of its notes using it, times how
    much rarer it is outside the group; a pair first when it is as common as its words."""
    inside: Counter[str] = Counter()
    for i in members:
        inside.update(feats[i].keys())
    m = len(members)
    scored = []
    for w, c in inside.items():
        if c < max(2, 0.2 * m) or w not in vocab:
            continue
        share = c / m
        outside = (df[w] - c + 1) / (n - m + 1)
        scored.append((share * math.log(share / outside), w))
    scored.sort(key=lambda t: (-t[0], t[1]))
    out: list[str] = []
    for _, w in scored:
        parts = w.split()
        if any(p in out for p in parts) or any(w in o.split() for o in out if " " in o):
            continue
        out.append(w)
        if len(out) == 8:
            break
    return out


def _unique(sid: str, used: set[str]) -> str:
    if sid not in used:
        return sid
    n = 2
    while f"{sid}-{n}" in used:
        n += 1
    return f"{sid}-{n}"


def to_json(suggestions: list[Suggestion], fp: str) -> str:
    return json.dumps(
        {"version": VERSION, "fingerprint": fp, "suggestions": [asdict(s) for s in suggestions]},
        ensure_ascii=False,
        indent=1,
    )


def from_json(text: str, fp: str | None = None) -> list[Suggestion] | None:
    """Cached suggestions, or None when stale (`fp` given and different) or unreadable."""
    try:
        data = json.loads(text)
        if data.get("version") != VERSION or (fp is not None and data.get("fingerprint") != fp):
            return None
        return [Suggestion(**s) for s in data["suggestions"]]
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
