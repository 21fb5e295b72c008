"""A small semantic space learned from the vault itself (latent semantic analysis), for related notes.

Two news stories about one match share few words ("striker", "penalty" / "coach", "league") but
those words keep the same company across the vault. A truncated SVD of the vault's TF-IDF matrix
finds `dims(notes)` directions of such company; a note's place in that space is its TF-IDF vector
(the same weighting as `related.tfidf`: 1 + log tf, smooth idf) times the term basis ("folding in"),
and two notes' latent similarity is the cosine of their places, rescaled so that the median pair of
the sample scores 0 (`Space.similarity`: the floor then means the same whatever the number of
directions). `related.py` mixes it with the
lexical cosine (see docs/quality.md for the measurement).

Cost: the fit reads at most `SAMPLE` notes (a fixed random sample of a bigger vault), keeps the
`MAX_TERMS` most common terms found in at least two of them, and takes the SVD through the sample's
Gram matrix; it is cached in `vault/.triage/related-space.npz` and fitted again only when the vault
has grown (or shrunk) by `GROWTH` since, so a capture usually pays only for loading the cache and one
small product per note it compares. Vaults under `MIN_NOTES` notes have no space (too few notes to
learn from): similarity is then lexical only. numpy is imported lazily (it comes with spaCy).
"""

from __future__ import annotations

import io
import logging
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..vault.writer import atomic_write_bytes

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger("triage")

FILE = "related-space.npz"
VERSION = 1
MIN_NOTES = 200  # spaces fitted on fewer notes measured worse than the text cosine alone
SAMPLE = 1000
GROWTH = 1.25
MAX_TERMS = 10_000
MAX_SHARE = 0.5  # terms in more than half the notes carry no topic


def dims(notes: int) -> int:
    """How many directions: grows with the vault (about 1.4 sqrt(notes)), from 8 to 100."""
    return max(8, min(100, round(1.4 * math.sqrt(notes))))


@dataclass
class Space:
    terms: dict[str, int]
    idf: np.ndarray
    basis: np.ndarray
    """terms x dims: a note's TF-IDF row times this is its place in the space."""
    notes: int
    """Notes in the vault when fitted."""
    background: float
    """The median cosine of two notes of the sample: what any two notes share in this space."""

    def vector(self, counts: dict[str, int]) -> np.ndarray | None:
        """The note's unit vector in the space (None when it has no term the space knows)."""
        import numpy as np

        known = [(self.terms[t], c) for t, c in counts.items() if t in self.terms]
        if not known:
            return None
        idx = np.fromiter((i for i, _ in known), dtype=np.int64, count=len(known))
        tf = 1.0 + np.log(np.fromiter((c for _, c in known), dtype=np.float64, count=len(known)))
        z = (tf * self.idf[idx]) @ self.basis[idx]
        norm = float(np.linalg.norm(z))
        return z / norm if norm > 0 else None

    def similarity(self, za: np.ndarray, zb: np.ndarray) -> float:
        """The cosine of two notes' places, rescaled so that a typical pair scores 0 and the same
        place 1 (the raw cosine's scale depends on the number of directions)."""
        return max(0.0, (float(za @ zb) - self.background) / (1.0 - self.background))

    def stale(self, notes: int) -> bool:
        return notes >= GROWTH * self.notes or notes * GROWTH <= self.notes


def fit(rows: list[dict[str, int]], notes: int) -> Space | None:
    """The space of these notes' term counts (None when they are too few or share no term)."""
    import numpy as np

    if len(rows) < MIN_NOTES:
        return None
    df: dict[str, int] = {}
    for row in rows:
        for t in row:
            df[t] = df.get(t, 0) + 1
    n = len(rows)
    kept = sorted((t for t, d in df.items() if 2 <= d <= MAX_SHARE * n), key=lambda t: (-df[t], t))[
        :MAX_TERMS
    ]
    k = min(dims(notes), n - 1, len(kept) - 1)
    if k < 2:
        return None
    terms = {t: i for i, t in enumerate(kept)}
    idf = np.log((n + 1) / (np.array([df[t] for t in kept], dtype=np.float64) + 1)) + 1.0
    x = np.zeros((n, len(kept)), dtype=np.float32)
    for r, row in enumerate(rows):
        for t, c in row.items():
            i = terms.get(t)
            if i is not None:
                x[r, i] = (1.0 + math.log(c)) * idf[i]
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    values, vectors = np.linalg.eigh(x @ x.T)  # the Gram matrix: n x n, n <= SAMPLE
    top = np.argsort(values)[::-1][:k]
    values, vectors = np.maximum(values[top], 1e-12), vectors[:, top]
    basis = (x.T @ vectors) / np.sqrt(values)  # terms x k, orthonormal columns (right singular vectors)
    places = vectors * np.sqrt(values)  # the sample's own places (u s)
    places /= np.maximum(np.linalg.norm(places, axis=1, keepdims=True), 1e-12)
    sims = places @ places.T
    background = float(np.median(sims[~np.eye(n, dtype=bool)]))
    return Space(terms, idf, basis.astype(np.float64), notes, min(background, 0.9))


def load(state_dir: Path) -> Space | None:
    import numpy as np

    path = state_dir / FILE
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            if int(data["version"]) != VERSION:
                return None
            terms = {str(t): i for i, t in enumerate(data["terms"])}
            return Space(terms, data["idf"], data["basis"], int(data["notes"]), float(data["background"]))
    except (OSError, ValueError, KeyError) as exc:  # a broken cache: fitted again
        log.info("related notes: ignoring %s (%s)", path, exc)
        return None


def save(state_dir: Path, space: Space) -> None:
    import numpy as np

    buf = io.BytesIO()
    terms = np.array(sorted(space.terms, key=space.terms.__getitem__), dtype=str)
    np.savez(
        buf,
        version=VERSION,
        terms=terms,
        idf=space.idf,
        basis=space.basis,
        notes=space.notes,
        background=space.background,
    )
    atomic_write_bytes(state_dir / FILE, buf.getvalue())


def current(
    state_dir: Path, paths: list[str], counts: Callable[[str], dict[str, int] | None]
) -> Space | None:
    """The vault's space: the cached one while it fits the vault's size, else fitted again over (a
    fixed sample of) the notes `paths`, `counts` giving a note's term counts, and cached."""
    space = load(state_dir)
    if space is not None and not space.stale(len(paths)):
        return space
    if len(paths) < MIN_NOTES:
        return None
    sample = sorted(paths)
    if len(sample) > SAMPLE:
        sample = sorted(random.Random(0).sample(sample, SAMPLE))
    rows: list[Any] = [c for c in map(counts, sample) if c]
    try:
        space = fit(rows, len(paths))
        if space is not None:
            save(state_dir, space)
    except (OSError, ArithmeticError, ValueError) as exc:  # numpy's LinAlgError is a ValueError
        log.warning("related notes: no semantic space this run (%s)", exc)
        return None
    return space
