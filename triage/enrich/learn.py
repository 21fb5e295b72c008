"""A topic classifier learned from the user's own reviewed notes.

Notes with `status: reviewed` are the user's labelled examples: their `topics` are right by
definition. From them triage builds a nearest-centroid (Rocchio) model:

- features: lowercased words, plurals folded ("chips" -> "chip"), stop words dropped; weighted
  log(1 + count) x idf (idf over the training notes), each note's vector scaled to length 1;
- each topic's centroid is the sum of its notes' vectors plus one vector made of its label and
  keywords from taxonomy.yaml (so a topic with few or no reviewed notes still has a voice), scaled
  to length 1;
- a new note scores cosine similarity with every centroid; `predict` turns these into
  probabilities with a softmax (temperature 20), shown in `triage_reasons` as "model p";
- `train_calibrated` also fits, leave-one-out on the same notes, how similarities and keyword
  scores become the probability that a topic is right (`calibrate.py`); that probability decides.

Measured against TF-IDF + logistic regression on kpcrowd-500n (`benchmarks/quality.py`), its first
choice matches or beats it at 5, 10 and 20 examples per topic, and needs nothing but the standard
library.
Training is deterministic and takes milliseconds for hundreds of notes; `pipeline` retrains only
when a reviewed note changed (cached in `.triage/topic-model.json` with a fingerprint).

How it joins the keyword scores is documented in `classify.py`.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from ..config import Taxonomy
from .calibrate import Calibration, calibrate

TEMPERATURE = 20.0
VERSION = 3
STOP = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each even few for from further get got had has
    have having he her here hers herself him himself his how i if in into is it its itself just like make many
    me might more most much must my myself new no nor not now of off on once one only or other our ours
    ourselves out over own people said same say says she should so some still such than that the their theirs
    them themselves then there these they this those through to too two under until up us very was way we
    well were what when where which while who whom why will with would year years you your yours yourself
    yourselves s t don re ve ll d m""".split()
)


def feature_words(text: str) -> list[str]:
    """The feature words of a text, in order: lowercased, stop words and short words dropped,
    plurals folded."""
    out = []
    for w in re.findall(r"[a-z][a-z0-9'-]*[a-z0-9]|[a-z]", text.lower()):
        w = w.replace("'", "")
        if len(w) < 3 or w in STOP:
            continue
        if len(w) > 4 and w.endswith("ies"):
            w = w[:-3] + "y"
        elif len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.append(w)
    return out


def counts(text: str) -> Counter[str]:
    """Feature words of a text with their counts."""
    return Counter(feature_words(text))


def _unit(vec: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(x * x for x in vec.values())) or 1.0
    return {w: x / norm for w, x in vec.items()}


@dataclass
class TopicModel:
    centroids: dict[str, dict[str, float]] = field(default_factory=dict)
    """topic -> unit-length centroid vector."""
    idf: dict[str, float] = field(default_factory=dict)
    default_idf: float = 1.0
    """idf of a word no training note has."""
    examples: dict[str, int] = field(default_factory=dict)
    """topic -> how many reviewed notes taught it."""
    calibration: Calibration = field(default_factory=Calibration)
    """How similarities and keyword scores become probabilities (`calibrate.py`)."""

    def vector(self, text: str) -> dict[str, float]:
        return _unit({w: math.log1p(c) * self.idf.get(w, self.default_idf) for w, c in counts(text).items()})

    @classmethod
    def train(cls, examples: Iterable[tuple[str, list[str]]], taxonomy: Taxonomy) -> TopicModel:
        """`examples`: (text, topic ids) of reviewed notes. Topics not in the taxonomy are ignored."""
        return cls._fit(examples, taxonomy)[0]

    @classmethod
    def train_calibrated(
        cls,
        examples: Iterable[tuple[str, list[str]]],
        taxonomy: Taxonomy,
        keyword_scores: Callable[[str], dict[str, float]],
        threshold: float,
        probability: float,
    ) -> TopicModel:
        """The model plus its calibration (`calibrate.py`), fitted leave-one-out on the same notes."""
        model, loo = cls._fit(examples, taxonomy)
        model.calibration = calibrate(loo, keyword_scores, threshold, probability)
        return model

    @classmethod
    def _fit(
        cls, examples: Iterable[tuple[str, list[str]]], taxonomy: Taxonomy
    ) -> tuple[TopicModel, list[tuple[dict[str, float], list[str], str]]]:
        """The model, and for each example its similarities with every centroid built without it."""
        docs = [
            (text, counts(text), [t for t in dict.fromkeys(topics) if t in taxonomy.topics])
            for text, topics in examples
        ]
        docs = [d for d in docs if d[2]]
        df: Counter[str] = Counter()
        for _, c, _ in docs:
            df.update(c.keys())
        n = len(docs)
        model = cls(
            idf={w: math.log((n + 1) / (d + 1)) + 1 for w, d in df.items()}, default_idf=math.log(n + 1) + 1
        )
        sums: dict[str, Counter[str]] = {}
        for tid, topic in taxonomy.topics.items():
            label = " ".join([topic.label, tid.replace("-", " "), *topic.keywords])
            sums[tid] = Counter(model.vector(label))
        seen: Counter[str] = Counter()
        vectors = []
        for _, c, topics in docs:
            vec = _unit({w: math.log1p(x) * model.idf[w] for w, x in c.items()})
            vectors.append(vec)
            for tid in topics:
                sums[tid].update(vec)
                seen[tid] += 1
        model.centroids = {tid: _unit(dict(v)) for tid, v in sorted(sums.items())}
        model.examples = dict(sorted(seen.items()))
        norms = {tid: math.sqrt(sum(x * x for x in v.values())) for tid, v in sums.items()}
        loo = []
        for (text, _, topics), vec in zip(docs, vectors, strict=True):
            own = sum(x * x for x in vec.values())
            sims = {}
            for tid, total in sums.items():
                dot = sum(x * total.get(w, 0.0) for w, x in vec.items())
                if tid in topics:  # the centroid without this note: (sum - v) / |sum - v|
                    rest = math.sqrt(max(norms[tid] ** 2 - 2 * dot + own, 0.0))
                    sims[tid] = (dot - own) / rest if rest > 1e-9 else 0.0
                else:
                    sims[tid] = dot / norms[tid] if norms[tid] else 0.0
            loo.append((sims, topics, text))
        return model, loo

    @property
    def trained(self) -> bool:
        return bool(self.examples)

    def similarities(self, text: str) -> dict[str, float]:
        vec = self.vector(text)
        return {tid: sum(x * cen.get(w, 0.0) for w, x in vec.items()) for tid, cen in self.centroids.items()}

    def predict(self, text: str) -> dict[str, float]:
        """Topic -> probability for a new text ({} when it shares no word with any topic)."""
        sims = self.similarities(text)
        if not sims or max(sims.values()) <= 0:
            return {}
        top = max(sims.values())
        exp = {t: math.exp(TEMPERATURE * (x - top)) for t, x in sims.items()}
        total = sum(exp.values())
        return {t: e / total for t, e in exp.items()}

    def to_json(self, fingerprint: str) -> str:
        return json.dumps(
            {
                "version": VERSION,
                "fingerprint": fingerprint,
                "centroids": self.centroids,
                "idf": self.idf,
                "default_idf": self.default_idf,
                "examples": self.examples,
                "calibration": asdict(self.calibration),
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str, fingerprint: str) -> TopicModel | None:
        """The cached model, or None if it is stale or unreadable."""
        try:
            data: dict[str, Any] = json.loads(text)
        except ValueError:
            return None
        if (
            not isinstance(data, dict)
            or data.get("version") != VERSION
            or data.get("fingerprint") != fingerprint
        ):
            return None
        return cls(
            centroids=data["centroids"],
            idf=data["idf"],
            default_idf=data["default_idf"],
            examples=data["examples"],
            calibration=Calibration(**data["calibration"]),
        )
