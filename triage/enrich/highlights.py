"""Key insights from the reader's own highlights.

When a capture has highlights (Readwise, Kindle, Omnivore... or Web Clipper `==marks==`), they are
the reader's choice of what matters, so the key insights are chosen among them:

- more highlights than `k`: the `k` most salient, by the insight ranker's score of the sentences
  they hold (`insights.score`, the same table as for any text), most important first;
- `k` or fewer: every highlight, most salient first, and the ranker fills the remaining places
  from the text, never with a sentence a highlight already holds.

Pure functions over the `Sentence` records and scores `nlp.finish` already computed.

Cost: linear in the highlights and sentences. A highlight is compared only with the sentences an
inverted index (word -> sentences) names for its rarest words (about `CANDIDATES` of them), and
an exact match is a dictionary look-up: O(H * (W log W + CANDIDATES)) for H highlights of W
words, plus O(total words) to build the index, instead of every highlight against every sentence (50,000
highlights took 515 s). The result is the same as the exhaustive comparison whenever the best
sentence holds one of the highlight's rarest words and that word is held by no more than
`CANDIDATES` sentences, which a sentence the highlight holds (or that holds it) nearly always is.
"""

from __future__ import annotations

import re

from ..note import Highlight
from ..text import strip_inline
from .insights import Sentence, select_insights

_WORD = re.compile(r"\w+")
CANDIDATES = 48
"""At most this many sentences are compared with one highlight; a word held by more sentences than
this (`the`, `and`) does not name candidates (it says nothing about which sentence it is)."""


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def insight_text(h: Highlight) -> str:
    """A highlight as an insight: one line, no markdown."""
    return re.sub(r"\s+", " ", strip_inline(h.text)).strip()


class SentenceIndex:
    """The note's sentences, indexed once for many highlights: folded text -> best score, word ->
    sentences holding it."""

    def __init__(self, sentences: list[Sentence], scores: list[float]) -> None:
        self.folded = [s.text.casefold() for s in sentences]
        self.words = [_words(s.text) for s in sentences]
        self.scores = scores
        self.exact: dict[str, float] = {}
        self.postings: dict[str, list[int]] = {}
        for i, (f, ws) in enumerate(zip(self.folded, self.words, strict=True)):
            self.exact[f] = max(self.exact.get(f, scores[i]), scores[i])
            for w in ws:
                self.postings.setdefault(w, []).append(i)

    def candidates(self, words: set[str]) -> set[int]:
        """The sentences holding the highlight's rarest words: whole lists of words no more than
        CANDIDATES sentences hold, rarest first, until CANDIDATES are found; when every word is
        common, the first CANDIDATES sentences of its rarest word. O(W log W + CANDIDATES)."""
        lists = sorted((self.postings[w] for w in words if w in self.postings), key=len)
        if not lists:
            return set()
        found: set[int] = set()
        for postings in lists:
            if len(postings) > CANDIDATES or len(found) >= CANDIDATES:
                break
            found.update(postings)
        return found or set(lists[0][:CANDIDATES])

    def score(self, text: str) -> float:
        """The best score of a sentence the highlight holds (or that holds it); when the sentence
        splitter cut differently, the best score weighted by word overlap."""
        folded = text.casefold()
        words = _words(text)
        found = self.candidates(words)
        inside = [self.scores[i] for i in found if self.folded[i] in folded or folded in self.folded[i]]
        if folded in self.exact:
            inside.append(self.exact[folded])
        if inside:
            return max(inside)
        best = 0.0
        for i in found:
            shared = self.words[i] & words
            if shared:
                best = max(best, self.scores[i] * len(shared) / max(len(self.words[i]), 1))
        return best


def highlight_score(text: str, sentences: list[Sentence], scores: list[float]) -> float:
    """`SentenceIndex.score` for one highlight (build the index once for many)."""
    return SentenceIndex(sentences, scores).score(text)


def select_from_highlights(
    highlights: list[Highlight], sentences: list[Sentence], scores: list[float], k: int
) -> list[str]:
    """Linear in highlights and sentences (see the module's docstring)."""
    texts = list(dict.fromkeys(t for t in (insight_text(h) for h in highlights) if t))
    index = SentenceIndex(sentences, scores)
    ranked = sorted(enumerate(texts), key=lambda it: (-index.score(it[1]), it[0]))
    chosen = [t for _, t in ranked[:k]]
    if len(chosen) < k:
        held = " ".join(chosen).casefold()
        rest = [s for s in sentences if s.text.casefold() not in held]
        rest_scores = [scores[i] for i, s in enumerate(sentences) if s.text.casefold() not in held]
        chosen += select_insights(rest, rest_scores, k - len(chosen))
    return chosen
