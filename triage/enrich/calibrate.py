"""One probability per topic: the learned model and the keywords joined, calibrated on the reviewed notes.

For a note and a topic, four numbers describe the evidence:

    log(0.01 + s)   s = cosine similarity of the note with the topic's centroid (`learn.TopicModel`)
    10 (s - s')     the margin over the best other topic (x 10: similarities are small numbers)
    top             1 when the topic is the model's first choice, else 0
    k               the topic's keyword score (`keywords.topic_scores`; a single one-word keyword
                    counts nothing)

and P(topic is right) = 1 / (1 + exp(-(w . x + b))). The weights are fitted (logistic regression,
Newton's method) on the reviewed notes themselves, leave-one-out: each reviewed note is scored by a
model built without it, and its own topics are the right answers. So P means the same thing (the
share of notes with these scores that had the topic, among your reviewed notes) whatever mix of
model and keywords produced it, and `topic_probability` in rules.yaml is one threshold for all.

Off-taxonomy notes: each reviewed note is also scored once more with its own topics left out of the
taxonomy (what a note about something you have no topic for looks like), weighted so that such
notes are OFF_TAXONOMY (10%) of the data.

The default `topic_probability` is 0.25, measured (benchmarks/quality.py): with 10 news topics and
5 reviewed notes each, most notes' best topic is right with P 0.3 to 0.5 (the calibration is
honest: 40% of those are right), so a threshold of 0.5 leaves most notes without a topic, while
0.25 places nearly every note whose best topic is a fair bet and still abstains on text far from
every topic. That teaches the fit that a low similarity everywhere
means "none of these".

With few reviewed notes the fit is pulled toward the prior that keywords alone use (L2 toward
w = (0, 0, 0, KW_SLOPE), b such that P = topic_probability exactly at keyword score
`topic_threshold`). With no reviewed note at all there is nothing to calibrate on, and that prior
decides: a topic is given when its keyword score reaches `topic_threshold`, as before.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

KW_SLOPE = 2.0
"""Keywords alone: each point of keyword score above `topic_threshold` multiplies the odds by e^2."""
OFF_TAXONOMY = 0.1
"""The share of the calibration data that simulates notes no topic fits."""
RIDGE = 1.0
MAX_NOTES = 600
"""Calibrate on at most this many reviewed notes (an even sample by path); enough for 4 weights."""
NAMES = ("log similarity", "margin", "first choice", "keywords")


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def features(sims: Mapping[str, float], keywords: Mapping[str, float]) -> dict[str, list[float]]:
    """Topic -> the feature vector described above, for every topic of `sims`."""
    ranked = sorted(sims.items(), key=lambda kv: (-kv[1], kv[0]))
    out: dict[str, list[float]] = {}
    for i, (tid, s) in enumerate(ranked):
        other = ranked[1][1] if i == 0 and len(ranked) > 1 else (ranked[0][1] if i else 0.0)
        out[tid] = [
            math.log(0.01 + max(s, 0.0)),
            10 * (s - other),
            1.0 if i == 0 else 0.0,
            keywords.get(tid, 0.0),
        ]
    return out


@dataclass
class Calibration:
    weights: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0, KW_SLOPE])
    bias: float = -2 * KW_SLOPE
    notes: int = 0
    """How many reviewed notes it was fitted on (0: the keyword prior)."""

    @classmethod
    def prior(cls, threshold: float, probability: float) -> Calibration:
        """Keywords alone: P reaches `probability` (topic_probability) at keyword score `threshold`."""
        return cls(
            bias=math.log(probability / (1 - probability)) - KW_SLOPE * threshold
            if probability < 1
            else -50.0
        )

    def probability(self, x: Sequence[float]) -> float:
        return sigmoid(sum(w * v for w, v in zip(self.weights, x, strict=True)) + self.bias)


def fit(
    samples: Sequence[tuple[Sequence[float], float, float]], prior: Calibration, ridge: float = RIDGE
) -> Calibration:
    """Weighted logistic regression: samples are (features, label 0/1, weight); L2 toward `prior`.
    Newton's method with step halving, so it cannot overshoot."""
    w0 = [*prior.weights, prior.bias]
    rows = [([*x, 1.0], y, wt) for x, y, wt in samples]
    d = len(w0)

    def loss(beta: list[float]) -> float:
        total = ridge / 2 * sum((b - p) ** 2 for b, p in zip(beta, w0, strict=True))
        for row, y, wt in rows:
            z = sum(b * v for b, v in zip(beta, row, strict=True))
            # log(1 + e^z) - y z, computed without overflow
            total += wt * ((max(z, 0.0) + math.log1p(math.exp(-abs(z)))) - y * z)
        return total

    beta = list(w0)
    current = loss(beta)
    for _ in range(100):
        grad = [ridge * (b - p) for b, p in zip(beta, w0, strict=True)]
        hess = [[ridge if i == j else 0.0 for j in range(d)] for i in range(d)]
        for row, y, wt in rows:
            p = sigmoid(sum(b * v for b, v in zip(beta, row, strict=True)))
            g = wt * (p - y)
            h = wt * p * (1 - p)
            for i in range(d):
                grad[i] += g * row[i]
                for j in range(i + 1):
                    hess[i][j] += h * row[i] * row[j]
        for i in range(d):
            for j in range(i):
                hess[j][i] = hess[i][j]
        step = _solve(hess, grad)
        scale = 1.0
        while scale > 1e-6:
            trial = [b - scale * s for b, s in zip(beta, step, strict=True)]
            value = loss(trial)
            if value <= current:
                break
            scale /= 2
        else:
            break
        beta, improved, current = trial, current - value, value
        if improved < 1e-9 * max(1.0, abs(current)):
            break
    return Calibration(weights=[round(b, 6) for b in beta[:-1]], bias=round(beta[-1], 6))


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """x with a x = b (Gaussian elimination with partial pivoting; a is small and positive definite)."""
    n = len(b)
    m = [[*row, rhs] for row, rhs in zip(a, b, strict=True)]
    for col in range(n):
        piv = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[piv] = m[piv], m[col]
        if abs(m[col][col]) < 1e-12:
            continue
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            for c in range(col, n + 1):
                m[r][c] -= f * m[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        if abs(m[r][r]) < 1e-12:
            continue
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x


def calibrate(
    loo: Sequence[tuple[dict[str, float], list[str], str]],
    keyword_scores: Callable[[str], dict[str, float]],
    threshold: float,
    probability: float,
) -> Calibration:
    """Fit on leave-one-out scores: (similarities from a model without the note, its topics, its text)."""
    prior = Calibration.prior(threshold, probability)
    if not loo:
        return prior
    step = max(1, math.ceil(len(loo) / MAX_NOTES))
    chosen = loo[::step]
    inside: list[tuple[list[float], float]] = []
    outside: list[list[float]] = []
    for sims, topics, text in chosen:
        kw = keyword_scores(text)
        for tid, x in features(sims, kw).items():
            inside.append((x, 1.0 if tid in topics else 0.0))
        rest = {t: s for t, s in sims.items() if t not in topics}
        outside += list(features(rest, kw).values())
    samples = [(x, y, 1.0) for x, y in inside]
    off = OFF_TAXONOMY / (1 - OFF_TAXONOMY)  # so that the simulated notes are OFF_TAXONOMY of all
    samples += [(x, 0.0, off) for x in outside]
    out = fit(samples, prior)
    out.notes = len(chosen)
    return out
