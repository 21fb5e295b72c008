"""Stage 4: teleology, what a capture is FOR, from evidence of its genre (`evidence.py`), not its topic.

The five purposes and the evidence that tells them apart:

    implement   numbered steps, instructions ("Run", "Create"), commands and code, "you"
    reference   term definitions, option and parameter lists, tables, signatures, the descriptive
                present ("returns", "defaults to"), reference sections (SYNOPSIS, Options)
    monitor     dates, datelines, version numbers, release and fix words, reporting verbs
                ("said", "announced"), attributed quotes, the past tense
    synthesize  the author's stance, concessions, conclusions and reasons (`rhetoric.cues`), long
                paragraphs, the first person
    explore     speaker turns, timestamps, questions (to "you"), the fillers of speech

A multinomial logistic regression over those features (standardised) gives each purpose a
probability. Its weights are trained by `benchmarks/train_teleology.py` (scikit-learn, on public
collections, cross-validated by leaving whole collections out) and shipped as
`defaults/teleology-model.json`; here they are applied with plain Python. `rules.yaml` can scale
each purpose's probability (`prior`) and give hints (a cue phrase, a format or platform multiplies
the purpose's odds by `teleology_hint`; none by default: a format decides nothing by itself).

The reader teaches it: with `teleology_learn: true`, the vault's notes marked `status: reviewed`
are examples (their teleology is right by definition, whether the reader kept triage's choice or
changed it), and `adapt` refits the weights on them, pulled toward the shipped weights (L2), so a
few corrections move the model where the reader disagrees and nowhere else (`state.teleology_model`
caches it in `.triage/teleology-model.json`).

Every decision says why in `triage_reasons`: "teleology: implement p=0.93 (7 numbered steps,
12 instructions, 3 code blocks; next reference 0.04)": the evidence that pushed most toward the
chosen purpose, with its counts.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .evidence import FEATURES, SHARES, Evidence, describe, evidence

if TYPE_CHECKING:
    from ..config import Rules
    from ..note import Note
    from .classify import Matcher

LABELS = ("implement", "synthesize", "reference", "monitor", "explore")
"""The model's order (note.TELEOLOGIES, the vault's order, may differ)."""
VERSION = 1
MIN_WORDS = 20
"""Below this many words there is no genre to read: `teleology_default` decides."""
RIDGE = 1.0
"""`adapt`: the pull toward the shipped weights, per feature (the L2 weight is RIDGE x the number of
features, what one typical note weighs in standardised units): a purpose the reader corrects on a
handful of similar notes moves; one stray note barely does."""
MAX_NOTES = 600
CLIP = 4.0
"""Standardised features are clipped to +-CLIP (training does the same)."""


@dataclass
class TeleologyModel:
    """Standardise (x - mean) / scale, then softmax(coef . z + intercept) over `labels`."""

    labels: list[str]
    features: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[list[float]]
    intercept: list[float]
    notes: int = 0
    """How many reviewed notes it learned from (0: the shipped weights)."""
    corrected: int = 0
    """Of those, how many the reader changed from triage's choice."""
    trained_on: dict[str, Any] = field(default_factory=dict)

    def standardise(self, x: list[float]) -> list[float]:
        """(x - mean) / scale, clipped to +-CLIP: one feature far outside what training saw (a page
        that is all commands) counts as very high, not as thirty times the usual."""
        out = []
        for v, m, s in zip(x, self.mean, self.scale, strict=True):
            z = (v - m) / s if s else 0.0
            out.append(min(max(z, -CLIP), CLIP))
        return out

    def logits(self, z: list[float]) -> list[float]:
        return [
            sum(w * v for w, v in zip(row, z, strict=True)) + b
            for row, b in zip(self.coef, self.intercept, strict=True)
        ]

    def probabilities(self, x: list[float], bias: dict[str, float] | None = None) -> dict[str, float]:
        """Label -> probability; `bias` adds log-odds per label (priors and hints from rules.yaml)."""
        logits = self.logits(self.standardise(x))
        if bias:
            logits = [v + bias.get(lab, 0.0) for v, lab in zip(logits, self.labels, strict=True)]
        top = max(logits)
        exp = [math.exp(v - top) for v in logits]
        total = sum(exp)
        return {lab: e / total for lab, e in zip(self.labels, exp, strict=True)}

    def why(self, label: str, ev: Evidence, x: list[float], limit: int = 3) -> list[str]:
        """The evidence that pushed most toward `label` against the other purposes, in words."""
        z = self.standardise(x)
        k = self.labels.index(label)
        n = len(self.labels)
        pushes = []
        for j, name in enumerate(self.features):
            rest = sum(self.coef[i][j] for i in range(n) if i != k) / (n - 1)
            push = (self.coef[k][j] - rest) * z[j]
            value = ev.counts.get(name, 0.0)
            if push > 0.15 and value > 0 and (name in SHARES or value >= 1.5):  # no "1 heading"
                pushes.append((push, name))
        pushes.sort(reverse=True)
        return [describe(name, ev.counts[name]) for _, name in pushes[:limit]]

    def to_json(self, fingerprint: str = "") -> str:
        return json.dumps({"version": VERSION, "fingerprint": fingerprint, **asdict(self)}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, fingerprint: str | None = None) -> TeleologyModel | None:
        """The model in `text`, or None when it is unreadable, of another version, stale (another
        fingerprint), or built on other features than `evidence.FEATURES`."""
        try:
            data = json.loads(text)
            if data.get("version") != VERSION or (
                fingerprint is not None and data.get("fingerprint") != fingerprint
            ):
                return None
            data.pop("version")
            data.pop("fingerprint", None)
            model = cls(**data)
        except (ValueError, TypeError, AttributeError):
            return None
        if model.features != list(FEATURES) or sorted(model.labels) != sorted(LABELS):
            return None
        return model


@lru_cache(maxsize=1)
def shipped() -> TeleologyModel:
    """The weights packaged with triage (`defaults/teleology-model.json`)."""
    text = resources.files("triage").joinpath("defaults", "teleology-model.json").read_text(encoding="utf-8")
    model = TeleologyModel.from_json(text)
    if model is None:  # a packaging mistake, not a reader's: say so loudly
        raise RuntimeError(
            "triage/defaults/teleology-model.json does not match evidence.FEATURES; retrain it"
        )
    return model


def adapt(
    base: TeleologyModel, examples: list[tuple[list[float], str, bool]], ridge: float = RIDGE
) -> TeleologyModel:
    """`base` refitted on the reader's examples (feature vector, label, whether the reader changed
    triage's choice): multinomial logistic regression, L2 toward `base`'s weights, Newton-free
    gradient descent (convex: it converges from `base`). Standardisation stays `base`'s."""
    import numpy as np

    rows = [(x, lab, changed) for x, lab, changed in examples if lab in base.labels][:MAX_NOTES]
    if not rows:
        return base
    z = np.array([base.standardise(x) for x, _, _ in rows])
    y = np.zeros((len(rows), len(base.labels)))
    for i, (_, lab, _) in enumerate(rows):
        y[i, base.labels.index(lab)] = 1.0
    w0 = np.array(base.coef)
    b0 = np.array(base.intercept)
    w, b = w0.copy(), b0.copy()
    ridge *= len(base.features)
    step = 1.0 / (0.25 * float((z * z).sum(axis=1).max(initial=1.0)) * len(rows) + ridge)
    for _ in range(1500):
        logits = z @ w.T + b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        g = p - y
        gw = g.T @ z + ridge * (w - w0)
        gb = g.sum(axis=0) + ridge * (b - b0)
        w -= step * gw
        b -= step * gb
    return TeleologyModel(
        labels=list(base.labels),
        features=list(base.features),
        mean=list(base.mean),
        scale=list(base.scale),
        coef=w.tolist(),
        intercept=b.tolist(),
        notes=len(rows),
        corrected=sum(1 for *_, changed in rows if changed),
        trained_on=base.trained_on,
    )


def log_bias(
    note: Note, matcher: Matcher | None, rules: Rules
) -> tuple[dict[str, float], dict[str, list[str]]]:
    """Log-odds per label from rules.yaml (`prior`, and `teleology_hint` per cue, format or platform
    hit), and the hits, for the reasons."""
    bias: dict[str, float] = {}
    hits: dict[str, list[str]] = {}
    for name, rule in rules.teleology.items():
        found = [c for c in rule.cues if matcher is not None and matcher.count(c)]
        if note.format in rule.formats:
            found.append(f"format {note.format}")
        if note.platform in rule.platforms:
            found.append(f"platform {note.platform}")
        bias[name] = math.log(rule.prior) + len(found) * math.log(rules.teleology_hint)
        if found:
            hits[name] = found
    return bias, hits


def decide(
    note: Note, rules: Rules, model: TeleologyModel | None = None, matcher: Matcher | None = None
) -> tuple[str, str]:
    """(teleology, the reason in words) for a note, from its text (`Note.words_text`)."""
    model = model or shipped()
    ev = evidence(note.words_text())
    if ev.words < MIN_WORDS:
        return rules.teleology_default, (
            f"teleology: {rules.teleology_default} (default: {ev.words} words, "
            "too little text to tell its genre)"
        )
    x = ev.vector()
    bias, hits = log_bias(note, matcher, rules)
    probs = model.probabilities(x, bias)
    ranked = sorted(probs.items(), key=lambda kv: (-kv[1], LABELS.index(kv[0])))
    best, p = ranked[0]
    parts = model.why(best, ev, x) or ["no strong evidence; the closest purpose"]
    if hits.get(best):
        parts.append(f"rules.yaml hints {', '.join(hits[best][:4])}")
    rule = rules.teleology.get(best)
    if rule is not None and rule.prior != 1.0:
        parts.append(f"prior {rule.prior:g}")
    if model.notes:
        parts.append(f"learned from {model.notes} reviewed notes, {model.corrected} corrected")
    nxt, q = ranked[1]
    return best, f"teleology: {best} p={p:.2f} ({', '.join(parts)}; next {nxt} {q:.2f})"
