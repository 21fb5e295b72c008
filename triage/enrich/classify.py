"""Stage 4: topics, teleology, signal tier and NotebookLM category, each with the reason it fired.

Topics (from the vault's `taxonomy.yaml`):
    Keywords: every keyword (plus the topic's label and id) is looked up as a whole-word phrase in
    the note's lowercased words and in its lemmas ("chips" meets "chip"). A keyword found c times
    adds log2(1 + c): several different keywords count for more than one repeated. The sum is
    divided by 1 + log2(1 + words / 2000), so long texts need proportionally more evidence. A topic
    whose only hit is one single-word keyword scores nothing ("token" alone is no evidence for
    `gpt`): it takes two different keywords or one phrase of several words.

    Model: with reviewed notes, `learn.TopicModel` gives each topic a similarity with the note.

    Decision: `calibrate.py` turns the similarity and the keyword score of each topic into one
    probability that the topic is right, calibrated on the reviewed notes (leave-one-out); with no
    reviewed note, keywords alone decide: P reaches `topic_probability` at `topic_threshold`.
    Topics with P at least `topic_probability` (rules.yaml, default 0.25) are kept, most probable
    first, at most `max_topics`; a note that fits nothing gets none (and the review queue shows it). An inbox
    subfolder named like a topic (id or label) gives that topic. `topic_scores` keeps every topic's
    P; `triage_reasons` says, for each kept topic, P and where it came from, e.g.
    "topics: compute p=0.83 (model 0.71; keywords gpu×3, chip×2)".

Teleology: `teleology.py` (a model over evidence of genre, `evidence.py`). Tier: see `rules.yaml`,
whose comments state the rules; `reasons` records which fired.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable

from ..config import Rules, Taxonomy
from ..errors import CaptureError
from ..note import Note
from ..text import slugify
from . import tier
from .calibrate import Calibration, features
from .learn import TopicModel
from .teleology import TeleologyModel, decide

MAX_NGRAM = 4


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", text.lower())


def _naive_lemma(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


class _Stream:
    """A token stream with an index from each token to its positions: a phrase is counted by
    checking the places its first word occurs. Memory is linear in the tokens, whatever the phrases."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.positions: dict[str, list[int]] = defaultdict(list)
        for i, tok in enumerate(tokens):
            self.positions[tok].append(i)

    def count(self, phrase: tuple[str, ...]) -> int:
        n = len(phrase)
        if n == 1:
            return len(self.positions.get(phrase[0], ()))
        toks = self.tokens
        return sum(1 for i in self.positions.get(phrase[0], ()) if tuple(toks[i : i + n]) == phrase)


class Matcher:
    """Counts whole-word phrase occurrences in a note's words and lemmas (built once per note)."""

    def __init__(self, words: list[str], lemmas: Iterable[str]) -> None:
        self.words = _Stream(words)
        self.lemmas = _Stream([w for lem in lemmas for w in words_of(lem)])

    def count(self, phrase: str) -> int:
        toks = tuple(words_of(phrase))
        if not toks or len(toks) > MAX_NGRAM:
            return 0
        lemma = tuple(_naive_lemma(t) for t in toks)
        return max(self.words.count(toks), self.lemmas.count(toks), self.lemmas.count(lemma))


def topic_scores(matcher: Matcher, words: int, taxonomy: Taxonomy) -> dict[str, tuple[float, list[str]]]:
    """Topic -> (keyword score, hits like "gpu×3"), for topics with any hit. A topic whose only hit is
    one single-word phrase ("token") scores 0: one ambiguous word is no evidence."""
    damp = 1 + math.log2(1 + words / 2000)
    out: dict[str, tuple[float, list[str]]] = {}
    for tid, topic in taxonomy.topics.items():
        hits = []
        total = 0.0
        phrases = {p.lower(): p for p in [topic.label, tid.replace("-", " "), *topic.keywords]}
        multiword = False
        for phrase in phrases:
            c = matcher.count(phrase)
            if c:
                total += math.log2(1 + c)
                hits.append(f"{phrase.lower()}×{c}")
                multiword = multiword or len(words_of(phrase)) > 1
        if len(hits) == 1 and not multiword:
            out[tid] = (0.0, [f"{hits[0]} alone"])
        elif total:
            out[tid] = (total / damp, hits)
    return out


def keyword_scorer(taxonomy: Taxonomy) -> Callable[[str], dict[str, float]]:
    """Keyword scores of a plain text (a reviewed note's, for calibration: no spaCy lemmas, plurals
    folded the simple way)."""

    def score(text: str) -> dict[str, float]:
        words = words_of(text)
        found = topic_scores(Matcher(words, [_naive_lemma(w) for w in words]), len(words), taxonomy)
        return {tid: s for tid, (s, _) in found.items()}

    return score


def topic_probabilities(
    note: Note, matcher: Matcher, taxonomy: Taxonomy, rules: Rules, model: TopicModel | None
) -> dict[str, tuple[float, str]]:
    """Topic -> (P(topic is right), why), for every topic with any evidence."""
    keywords = topic_scores(matcher, note.words, taxonomy)
    kw = {tid: s for tid, (s, _) in keywords.items()}
    learned = model is not None and model.trained
    if learned:
        assert model is not None
        sims = model.similarities(note.clean_text or note.words_text())
        shown = model.predict(note.clean_text or note.words_text())
        calibration = model.calibration
    else:
        sims, shown = dict.fromkeys(kw, 0.0), {}
        calibration = Calibration.prior(rules.topic_threshold, rules.topic_probability)
    out: dict[str, tuple[float, str]] = {}
    for tid, x in features(sims, kw).items():
        parts = [f"model {shown[tid]:.2f}"] if shown.get(tid, 0) >= 0.01 else []
        if tid in keywords:
            parts.append(f"keywords {', '.join(keywords[tid][1][:4])}")
        if parts:
            out[tid] = (calibration.probability(x), "; ".join(parts))
    if note.inbox_folder:
        hint = slugify(note.inbox_folder, "-")
        for tid, topic in taxonomy.topics.items():
            if hint in (tid, slugify(topic.label, "-")):
                out[tid] = (1.0, f"inbox folder {note.inbox_folder}/")
    return out


def assign_topics(
    note: Note,
    matcher: Matcher,
    taxonomy: Taxonomy,
    rules: Rules,
    limit: int,
    model: TopicModel | None = None,
) -> None:
    if "topics" in note.given:
        unknown = [t for t in note.given["topics"] if t not in taxonomy.topics]
        if unknown:
            raise CaptureError(
                f"frontmatter `topics`: {', '.join(unknown)} not in taxonomy.yaml",
                "add them to the vault's _triage/taxonomy.yaml, or remove them from the capture",
            )
        note.topics = list(dict.fromkeys(note.given["topics"]))[:5]
        note.reasons.append("topics: given in the capture")
        return
    if not taxonomy.topics:
        note.topics = []
        note.reasons.append("topics: none (the taxonomy has no topics yet; see `triage topics suggest`)")
        return
    probs = topic_probabilities(note, matcher, taxonomy, rules, model)
    ranked = sorted(probs.items(), key=lambda kv: (-kv[1][0], kv[0]))
    note.topic_scores = [(tid, round(p, 3)) for tid, (p, _) in ranked]
    kept = [(tid, p, why) for tid, (p, why) in ranked if p >= rules.topic_probability][:limit]
    note.topics = [tid for tid, _, _ in kept]
    if kept:
        note.reasons.append("topics: " + "; ".join(f"{tid} p={p:.2f} ({why})" for tid, p, why in kept))
    elif ranked:
        tid, (p, why) = ranked[0]
        note.reasons.append(f"topics: none (best {tid} p={p:.2f} < {rules.topic_probability}: {why})")
    else:
        note.reasons.append("topics: none (no taxonomy keyword found, nothing like the reviewed notes)")


def assign_teleology(
    note: Note, matcher: Matcher | None, rules: Rules, model: TeleologyModel | None = None
) -> None:
    """Teleology from the evidence of the text's genre (`teleology.py`), unless the capture gives it."""
    if "teleology" in note.given:
        note.teleology = note.given["teleology"]
        note.reasons.append("teleology: given in the capture")
        return
    note.teleology, why = decide(note, rules, model, matcher)
    note.reasons.append(why)


def assign_tier(
    note: Note, matcher: Matcher, rules: Rules, cuts: dict[str, tuple[float, int]] | None = None
) -> None:
    """The signal tier: `triage.enrich.tier` (substance, thin captures, the reader's cuts)."""
    tier.assign_tier(note, rules, matcher.count, cuts)


def classify(
    note: Note,
    taxonomy: Taxonomy,
    rules: Rules,
    max_topics: int = 5,
    model: TopicModel | None = None,
    tier_cuts: dict[str, tuple[float, int]] | None = None,
    teleology: TeleologyModel | None = None,
) -> Note:
    """Fill topics, teleology, signal_tier, notebooklm_category and reasons."""
    note.reasons = []
    note.topic_scores = []
    matcher = Matcher(words_of(note.clean_text or note.words_text()), note.lemmas)
    assign_topics(note, matcher, taxonomy, rules, max_topics, model)
    assign_teleology(note, matcher, rules, teleology)
    assign_tier(note, matcher, rules, tier_cuts)
    given = note.given.get("notebooklm_category")
    top = taxonomy.topics[note.topics[0]].notebooklm if note.topics else None
    note.notebooklm_category = given or top or "general"
    return note
