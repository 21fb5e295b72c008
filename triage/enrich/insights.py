"""Key insights and synopsis: which sentences a reader would highlight.

Pure functions over `Sentence` records (built from spaCy in `nlp.py`), so every rule is testable.

1. Filter (`reject_reason`): never headings, questions, image descriptions, source/link lines, URLs,
   fragments under 6 words, run-ons over 60 words. Sentences without a verb or closing punctuation
   are soft rejects: used only when clean candidates run out.
2. Score (`score`), a weighted sum (`WEIGHTS`), each part in [0, 1]:
     0.60 centrality   how much of the text's recurring vocabulary the sentence carries
     0.30 title        share of the title's and headings' words it contains
     0.15 emphasis     the author put (part of) it in bold
     0.10 evidence     it has a number, amount or percentage
     0.10 claim        it has a claim cue ("because", "means", "will", "must", "the key"...)
     0.20 position     earlier is better
   and the sentence's role in the argument (`triage.enrich.rhetoric`: cue phrases and position):
     0.30 stance       the author takes a position ("I believe", "should", "is unfair", "we show")
     0.15 conclusion   "therefore", "in conclusion", "that's why"
     0.10 slot         opens a body paragraph, closes the introduction, opens the conclusion
    -0.30 example      "for instance", "take the case of", "imagine"
    -0.30 concession   "admittedly", "of course", "some people think", "it is often said"
    -0.15 premise      opens with a reason ("Because...", "After all...")
    -0.40 meta         the text about itself ("In this post I'll go over", "an hour was devoted to")
    -0.20 background   narration ("recently", "years ago", "in 2019", the past tense in a text
                       mostly in the present)
   minus 0.25 for self-talk filler ("This has been my top question...") and 0.10 for opening with a
   pronoun that leans on the previous sentence ("This", "It", "They"; not "That's why"). The
   weights were set on the dev sets of `benchmarks/quality.py` (SciTLDR-A, kpcrowd-500n,
   arg-microtexts), keeping round values where the results were flat. A report (news: the genre
   `rhetoric.genre` reads from the text's own evidence) drops stance, claim, position, slot and
   background (`REPORT_WEIGHTS`, set on bbc-dev, `benchmarks/news_quality.py`).
0. Sentences are cut where a full stop ends one and a capital opens the next (`split_at_stops`),
   when spaCy's sentence splitter missed it ("...rose to £4.29m. The bank said...").
3. Select (`select_insights`): maximal marginal relevance, 0.7 x score - 0.3 x redundancy with the
   sentences already chosen: in a text of `LONG_TEXT` candidates or more, the share of the
   sentence's words they already hold (each insight must add something); in a shorter text, where
   every sentence repeats the same few topic words, the highest word overlap (Jaccard) with one of
   them. Near-duplicates (Jaccard > 0.5) never both. Insights are listed most important first. In a
   report only the near-duplicate rule applies (`MMR_LAMBDA`).
4. Synopsis (`select_synopsis`): the one or two best sentences by score plus a stronger lead bonus
   (the opening usually says what a piece is about), in reading order, within 300 characters;
   sentences that support or surround a claim (example, concession, premise, meta, background)
   only when nothing else is left.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from ..text import IMAGE_DESCRIPTION
from .rhetoric import SUPPORTING, genre, roles

WEIGHTS = {
    "centrality": 0.60,
    "title": 0.30,
    "emphasis": 0.15,
    "evidence": 0.10,
    "claim": 0.10,
    "position": 0.20,
    "stance": 0.30,
    "conclusion": 0.15,
    "slot": 0.10,
    "filler": -0.25,
    "deictic": -0.10,
    "example": -0.30,
    "concession": -0.30,
    "premise": -0.15,
    "meta": -0.40,
    "background": -0.20,
}
"""The scoring table (see the module docstring)."""
REPORT_WEIGHTS = {"stance": 0.0, "claim": 0.0, "position": 0.0, "slot": 0.0, "background": 0.0}
"""Changes to `WEIGHTS` for a report (`rhetoric.genre`): a reporter takes no position and argues
no case of their own (a "should", a "because" is a speaker's: who said what is the news), the
story is told in every paragraph, not at the thesis slots of an essay or only in the lead, and
what happened is the news, not background before a point."""
MMR_LAMBDA = {"argument": 0.7, "report": 1.0}
"""Weight of the score against redundancy (`select_insights`), by genre: an essay's claims should
each add something; a report's key sentences retell the same story (the same names and events),
so only near-duplicates are kept out."""
LENGTH_NORM = 0.25
"""Centrality is divided by (distinct words + 4) ** LENGTH_NORM: long sentences carry more of the
text's vocabulary, and this keeps them from winning on length alone."""
MIN_WORDS = 6
MAX_WORDS = 60
SYNOPSIS_CHARS = 300
LONG_TEXT = 12
"""From this many candidate sentences a text is long: its insights should each add something (see
`redundancy`). Short texts (an abstract, a post) repeat their few topic words in every sentence."""

_CLAIM = re.compile(
    r"\b(because|therefore|thus|hence|means|meaning|implies|so that|shows?|found|finds|suggests?|"
    r"will|won't|must|can't|cannot|never|always|the key|the most|the real|is that|the problem|"
    r"the reason|in fact|instead|rather than|more than|less than|driven by|leads? to|results? in)\b",
    re.I,
)
_FILLER = re.compile(
    r"^(this|that|it) (has been|was|is) (my|our|a) (top |favorite |big |main )?(question|thought|point|"
    r"thing)|^(i|we) (wrote|write|want|wanted|was|am|have been|'ve been) |^(thanks|thank you|follow me|"
    r"subscribe|sign up|click|read more|see also|share this)|\b(my top question|for kicks and giggles)\b",
    re.I,
)
_DEICTIC = re.compile(r"^(this|that|these|those|it|they|he|she|such|which)\b", re.I)
_SOURCE_LINE = re.compile(
    r"^\s*(source|via|link|credit|photo|image|figure|fig\.|table)\b\s*[:·|-]|\s·\s", re.I
)
_URLISH = re.compile(r"https?://|www\.|\b\w+\.(com|org|net|io|ai)/", re.I)


@dataclass
class Sentence:
    text: str
    """Clean sentence text (markdown removed): exactly what gets stored."""
    index: int
    """Position among all sentences of the note."""
    kind: str = "para"
    """Block kind it came from: para, item, quote, heading."""
    lemmas: list[str] = field(default_factory=list)
    """Lowercased lemmas of its content words (nouns, verbs, adjectives, proper nouns; no stop words)."""
    has_verb: bool = True
    has_number: bool = False
    bold: bool = False
    block: int = -1
    """Number of the block (paragraph, item...) it came from in the note; -1 if unknown."""
    past: bool = False
    """Most of its finite verbs are in the past tense (narration, or a report)."""


class Token(Protocol):
    """What `split_at_stops` reads of a token (a spaCy `Token`)."""

    @property
    def text(self) -> str: ...

    @property
    def whitespace_(self) -> str: ...


T = TypeVar("T", bound=Token)
ABBREVIATIONS = frozenset(
    "mr mrs ms dr st prof gen sen rep gov lt col capt sgt jr sr inc co corp ltd no nos vs v etc mt ft "
    "jan feb mar apr jun jul aug sep sept oct nov dec rev hon messrs bros ave rd fig approx".split()
)
"""Words that end in a full stop inside a sentence ("Mr. Smith", "Acme Inc. shares")."""
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]$|.*\.\.$")
"""A dotted abbreviation without its last full stop ("U.S", "p.m", "e.g"), or an ellipsis."""
_CLOSERS = {'"', "”", "’", "'", ")"}
_OPENERS = {'"', "“", "‘", "'", "("}


def _ends_sentence(word: str) -> bool:
    """A token that closes a sentence: "." "!" "?", or a word the tokenizer kept its full stop on
    ("£4.29m.") that is no abbreviation ("Mr."), initial ("J.") or dotted form ("U.S.", "p.m.")."""
    if word in {".", "!", "?", "...", "…"}:
        return True
    body = word[:-1]
    if not word.endswith(".") or not body or _DOTTED.match(body):
        return False
    return body.casefold() not in ABBREVIATIONS and not (len(body) == 1 and body.isupper())


def split_at_stops(toks: Sequence[T]) -> list[list[T]]:
    """Tokens of one sentence from the sentence splitter, cut where a full stop ends a sentence and a
    capital opens the next (the model sometimes misses "...rose to £4.29m. The bank said..."), after
    a closing quotation mark if one follows the stop: an insight holds one sentence."""
    words = [t.text for t in toks]
    spaced = [bool(t.whitespace_) for t in toks]

    def closing(i: int) -> bool:  # a quotation mark closing what came before, not opening what follows
        return words[i] in _CLOSERS and not (words[i] in {'"', "'"} and spaced[i - 1])

    out: list[list[T]] = [[]]
    for i, tok in enumerate(toks):
        out[-1].append(tok)
        stop = _ends_sentence(words[i]) or (i > 0 and closing(i) and _ends_sentence(words[i - 1]))
        nxt = words[i + 1 : i + 3]
        if not stop or not nxt or closing(i + 1):
            continue
        if nxt[0][:1].isupper() or (nxt[0] in _OPENERS and len(nxt) > 1 and nxt[1][:1].isupper()):
            out.append([])
    return [piece for piece in out if piece]


def reject_reason(s: Sentence) -> str | None:
    """Why a sentence can never be an insight, or None if it can."""
    text = s.text.strip()
    words = len(text.split())
    if s.kind == "heading":
        return "heading"
    if text.endswith("?"):
        return "question"
    if IMAGE_DESCRIPTION.search(text) or re.match(r"^\s*(image|photo|figure)\s*\d*\s*:", text, re.I):
        return "image description"
    if _URLISH.search(text):
        return "url"
    if _SOURCE_LINE.search(text) and words < 15:
        return "source line"
    if words < MIN_WORDS:
        return "fragment"
    if words > MAX_WORDS:
        return "run-on"
    if not s.has_verb:
        return "no verb"
    if not re.search(r"[.!\"”’)]$", text):
        return "unfinished"
    if not re.search(r"[A-Za-z]", text[:1] + text[1:]) or text[:1] in ",;:)]}":
        return "fragment"
    return None


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def score(sentences: list[Sentence], title_lemmas: set[str]) -> list[float]:
    """One score per sentence (candidates only matter; rejected ones get scored too, harmlessly)."""
    weights_of = WEIGHTS | REPORT_WEIGHTS if genre(sentences) == "report" else WEIGHTS
    tf = Counter(lem for s in sentences for lem in set(s.lemmas))
    n = max(len(sentences), 1)
    raw_central = []
    for s in sentences:
        distinct = set(s.lemmas)
        if not distinct:
            raw_central.append(0.0)
            continue
        weights = sum(math.log(tf[lem]) for lem in distinct if tf[lem] > 1)
        raw_central.append(weights / (len(distinct) + 4) ** LENGTH_NORM)
    top = max(raw_central, default=0.0) or 1.0
    scores = []
    for s, central, found in zip(sentences, raw_central, roles(sentences), strict=True):
        distinct = set(s.lemmas)
        title = len(distinct & title_lemmas) / min(len(title_lemmas), 6) if title_lemmas else 0.0
        features = {
            "centrality": central / top,
            "title": min(title, 1.0),
            "emphasis": float(s.bold),
            "evidence": float(s.has_number),
            "claim": float(bool(_CLAIM.search(s.text))),
            "position": 1 - s.index / n,
            "filler": float(bool(_FILLER.search(s.text))),
            "deictic": float(bool(_DEICTIC.match(s.text)) and "conclusion" not in found),
            **{role: 1.0 for role in found if role in WEIGHTS},
        }
        scores.append(sum(weights_of[name] * value for name, value in features.items()))
    return scores


SOFT = {"no verb", "unfinished"}
"""Reasons that only demote: such a sentence fills a slot no clean candidate can."""


def select_insights(
    sentences: list[Sentence], scores: list[float], k: int, lam: float | None = None
) -> list[str]:
    """Up to k diverse, high-scoring candidate sentences, most important first (MMR; `lam` by
    default from the text's genre, `MMR_LAMBDA`). Sentences with a soft reason (no verb, no closing
    punctuation) are considered only after the others."""
    if lam is None:
        lam = MMR_LAMBDA[genre(sentences)]
    reasons = [reject_reason(s) for s in sentences]
    strict = [(i, s) for i, s in enumerate(sentences) if reasons[i] is None]
    soft = [(i, s) for i, s in enumerate(sentences) if reasons[i] in SOFT]
    chosen: list[tuple[int, Sentence]] = []
    long = len(strict) >= LONG_TEXT
    _mmr(strict, chosen, scores, k, lam, long)
    _mmr(soft, chosen, scores, k, lam, long)
    return [s.text for _, s in chosen]


def redundancy(own: set[str], chosen: list[set[str]], held: set[str] | None) -> float:
    """How much of what a sentence (its words `own`) says the insights already chosen (their words
    `chosen`) say: in a long text (`held`: every word they hold), the share of its words they hold
    (an insight must add something); in a short one (`held` None), the word overlap (Jaccard)
    with the closest of them."""
    if held is not None:
        return len(own & held) / len(own) if own else 0.0
    return max((_jaccard(own, c) for c in chosen), default=0.0)


def _mmr(
    pool: list[tuple[int, Sentence]],
    chosen: list[tuple[int, Sentence]],
    scores: list[float],
    k: int,
    lam: float,
    long: bool = False,
) -> None:
    pool = list(pool)
    words = {i: set(s.lemmas) for i, s in pool}
    seen_text = {c.text.casefold() for _, c in chosen}
    while pool and len(chosen) < k:
        taken = [set(c.lemmas) for _, c in chosen]
        held = set().union(*taken) if long else None

        def mmr(
            item: tuple[int, Sentence], taken: list[set[str]] = taken, held: set[str] | None = held
        ) -> float:
            i, _ = item
            return lam * scores[i] - (1 - lam) * redundancy(words[i], taken, held)

        best = max(pool, key=mmr)
        pool.remove(best)
        i, s = best
        overlap = max((_jaccard(words[i], c) for c in taken), default=0.0)
        if overlap > 0.5 or s.text.casefold() in seen_text:
            continue
        chosen.append(best)
        seen_text.add(s.text.casefold())


def select_synopsis(sentences: list[Sentence], scores: list[float], limit: int = SYNOPSIS_CHARS) -> str:
    """One or two whole sentences that say what the piece argues or reports, in reading order:
    never an example, a concession, background or a remark about the text when anything else is
    left."""
    n = max(len(sentences), 1)
    found = roles(sentences)
    allowed = [i for i, s in enumerate(sentences) if reject_reason(s) is None and len(s.text) <= limit]
    claims = [i for i in allowed if not found[i] & SUPPORTING]
    ranked = sorted(
        claims or allowed,
        key=lambda i: scores[i] + 0.25 * (1 - sentences[i].index / n) ** 2,
        reverse=True,
    )
    if not ranked:
        return ""
    picked = [ranked[0]]
    for i in ranked[1:3]:
        together = sorted([*picked, i])
        text = " ".join(sentences[j].text for j in together)
        if len(text) <= limit and _jaccard(set(sentences[i].lemmas), set(sentences[picked[0]].lemmas)) < 0.5:
            picked = together
            break
    return " ".join(sentences[j].text for j in sorted(picked))
