"""Key insights from the reader's own highlights.

When a capture has highlights (Readwise, Kindle, Omnivore... or Web Clipper `==marks==`), they are
the reader's choice of what matters, so the key insights are chosen among them:

- more highlights than `k`: the `k` most salient, by the insight ranker's score of the sentences
  they hold (`insights.score`, the same table as for any text), most important first;
- `k` or fewer: every highlight, most salient first, and the ranker fills the remaining places
  from the text, never with a sentence a highlight already holds.

Pure functions over the `Sentence` records and scores `nlp.finish` already computed.
"""

from __future__ import annotations

import re

from ..note import Highlight
from ..text import strip_inline
from .insights import Sentence, select_insights

_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def insight_text(h: Highlight) -> str:
    """A highlight as an insight: one line, no markdown."""
    return re.sub(r"\s+", " ", strip_inline(h.text)).strip()


def highlight_score(text: str, sentences: list[Sentence], scores: list[float]) -> float:
    """The best score of a sentence the highlight holds (or that holds it); when the sentence
    splitter cut differently, the best score weighted by word overlap."""
    folded = text.casefold()
    inside = [
        scores[i]
        for i, s in enumerate(sentences)
        if s.text.casefold() in folded or folded in s.text.casefold()
    ]
    if inside:
        return max(inside)
    words = _words(text)
    best = 0.0
    for i, s in enumerate(sentences):
        shared = _words(s.text) & words
        if shared:
            best = max(best, scores[i] * len(shared) / max(len(_words(s.text)), 1))
    return best


def select_from_highlights(
    highlights: list[Highlight], sentences: list[Sentence], scores: list[float], k: int
) -> list[str]:
    texts = list(dict.fromkeys(t for t in (insight_text(h) for h in highlights) if t))
    ranked = sorted(enumerate(texts), key=lambda it: (-highlight_score(it[1], sentences, scores), it[0]))
    chosen = [t for _, t in ranked[:k]]
    if len(chosen) < k:
        held = " ".join(chosen).casefold()
        rest = [s for s in sentences if s.text.casefold() not in held]
        rest_scores = [scores[i] for i, s in enumerate(sentences) if s.text.casefold() not in held]
        chosen += select_insights(rest, rest_scores, k - len(chosen))
    return chosen
