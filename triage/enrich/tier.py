"""Stage 4 (classify) and after linking: the signal tier, how much a capture gives its reader.

Substance (`substance`), four parts, each between 0 and 1, weighted by `tier_weights` (rules.yaml):

- argument     the author's own claims and the evidence for them: the share of sentences that state
               a position or a conclusion outside quoted speech (`rhetoric.cues`: "stance",
               "conclusion"), and the share that back one up (an example, a reason, a number, a
               source: "for instance", "because", "according to", "42%"). Claims alone (a chat full
               of "I think") or evidence alone (a changelog) count for little: the part is the
               geometric mean of the two, each against what an argued essay has
               (`CLAIM_FULL`, `SUPPORT_FULL`).
- specificity  numbers, named entities and quotations per 100 words (`Note.evidence`), plus dates,
               amounts and code spans, against `SPECIFIC_FULL` per 100 words.
- length       log-scaled from `tier_thin_words` (0) to `LONG_WORDS` (1): one factor, not the decider.
- cues         distinct `tier_cues` phrases (rules.yaml): what marks a finding or a turn in any
               field ("we found", "contrary to", "for the first time", "the trade-off"), against
               `CUES_FULL`.

Unedited talk says less per word: filler words ("you know", "I mean", "um") cost the score
`TALK_PENALTY` each per 100 words (at most `TALK_MAX`), and a claim hedged in its own sentence
("I think", "maybe") counts `HEDGED_CLAIM`.

The tier is the first of `tier_rules` whose conditions hold (`min_score`, `min_words`...), with the
cuts the reader's reviewed notes taught (`learned_cuts`); then two caps:

- thin: a capture under `tier_thin_words` words, or an announcement ("we're excited to announce",
  "is now available"), is never above `tier_thin_max` (medium);
- novelty (`after_linking`, once related notes are known in phase 2): probably the same story as a
  note already in the vault: one tier down and never above `tier_thin_max`; a capture whose closest
  note scores `tier_repeat_similarity` or more repeats what the vault holds: one tier down.

Learning: a reviewed note's `triage_reasons` keeps the substance triage computed ("substance
0.47"); its `signal_tier` is the reader's verdict. For each cut between two tiers, the score that
puts the fewest reviewed notes on the wrong side wins, pulled toward the rules.yaml cut while the
examples are few (the rules.yaml cut counts as `PRIOR_WEIGHT` notes: `learned_cuts`). Reasons say
which cut came from where.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..config import Rules
from ..note import Note
from .rhetoric import cues as sentence_cues

if TYPE_CHECKING:
    from ..vault.catalog import Record

CLAIM_FULL = 0.25
"""Share of claim sentences at which `argument`'s claim side is full (argued essays: 0.15 to 0.35)."""
SUPPORT_FULL = 0.30
"""Share of supporting sentences at which its evidence side is full."""
SPECIFIC_FULL = 16.0
"""Specific details per 100 words at which `specificity` is full (news: 6 to 20; essays: 1 to 4)."""
LONG_WORDS = 2500
CUES_FULL = 4
PRIOR_WEIGHT = 3.0
"""How many reviewed notes the rules.yaml cut counts as: it takes more than this many on its wrong
side to move it."""
MIN_SENTENCE_WORDS = 6
TALK_PENALTY = 0.15
"""Substance lost per filler word ("you know", "I mean", "yeah", "um") per 100 words: unedited talk
(a verbatim transcript has 0.6 to 3 per 100 words, edited prose under 0.3) says less per word."""
TALK_MAX = 0.3
HEDGED_CLAIM = 0.5
"""A claim hedged in the same sentence ("I think", "maybe", "probably") counts this much."""

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“(]?[A-Z0-9])")
_NUMBER = re.compile(r"(?<![\w.])(?:\d[\d,.]*\s?(?:%|percent|per cent)|[$€£¥]\s?\d|\d{2,}|\d+\.\d+)")
_SUPPORT = re.compile(
    r"\b(?:because|since|according to|for (?:example|instance)|e\.g\.|such as|data|study|studies|"
    r"survey|experiment|measured|evidence|research|found that|shows? that|showed|results?|"
    r"compared (?:to|with)|than)\b"
)
_DETAIL = re.compile(
    r"`[^`\n]{1,80}`|\b(?:1[6-9]|20)\d\d\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}\b|"
    r"[$€£¥]\s?\d|\b\d+(?:\.\d+)?\s?(?:%|km|kg|mb|gb|ms|hours?|days?|years?|million|billion|times)\b",
    re.I,
)
_ANNOUNCE = re.compile(
    r"\b(?:(?:we(?:'re| are)|i(?:'m| am)) (?:excited|happy|pleased|thrilled|proud|delighted) to "
    r"(?:announce|share|introduce|release|launch)|is now (?:available|out|live|generally available)|"
    r"(?:today|this week),? we(?:'re| are)? (?:announc|releas|launch|introduc)\w*|"
    r"^announcing\b|just (?:released|launched|shipped))",
    re.I | re.M,
)
_FILLER = re.compile(
    r"\b(?:you know|i mean|yeah|um+|uh+|okay|right\?|sort of|kind of|like,|gonna|wanna|i guess|oh|"
    r"hmm+|mm+)\b",
    re.I,
)
_HEDGE = re.compile(
    r"\b(?:i think|i guess|i feel like|maybe|probably|i don't know|i'm not sure|i suppose)\b", re.I
)
_SCORE_IN_REASON = re.compile(r"^signal_tier: [a-z-]+ \(substance (\d(?:\.\d+)?)")


@dataclass
class Substance:
    """What the tier is decided from, for one note (all parts between 0 and 1)."""

    score: float
    argument: float
    specificity: float
    length: float
    cues: float
    sentences: int
    claim_share: float
    support_share: float
    specific_per_100: float
    cue_hits: list[str] = field(default_factory=list)
    fillers_per_100: float = 0.0
    talk: float = 0.0
    """The share of the score lost to filler words (`TALK_PENALTY`)."""

    def explain(self, words: int) -> str:
        parts = [
            f"own claims in {self.claim_share:.0%} of sentences, evidence in {self.support_share:.0%}",
            f"{self.specific_per_100:.1f} numbers, names and details per 100 words",
            f"{words:,} words",
        ]
        if self.cue_hits:
            shown = ", ".join(f"'{c}'" for c in self.cue_hits[:4])
            parts.append(
                f"{len(self.cue_hits)} signal phrase{'s' if len(self.cue_hits) > 1 else ''}: {shown}"
            )
        if self.talk:
            parts.append(f"unedited talk, {self.fillers_per_100:.1f} filler words per 100: -{self.talk:.0%}")
        return "; ".join(parts)


def sentences_of(text: str) -> list[str]:
    """The text's sentences of at least `MIN_SENTENCE_WORDS` words (blocks split at sentence ends)."""
    out = []
    for block in text.split("\n"):
        for s in _SENTENCE_END.split(block.strip()):
            if s.count(" ") + 1 >= MIN_SENTENCE_WORDS:
                out.append(s)
    return out


def substance(note: Note, rules: Rules, count: Callable[[str], int] | None = None) -> Substance:
    """The note's substance (see the module docstring). `count`: a phrase counter (`Matcher.count`);
    without one, cue phrases are looked up in the lowercased text."""
    text = note.clean_text or note.words_text()
    words = max(note.words, 1)
    sents = sentences_of(text)
    claims = 0.0
    support = 0
    for s in sents:
        found = sentence_cues(s)
        own = bool(found & {"stance", "conclusion"}) and "meta" not in found
        claims += (HEDGED_CLAIM if _HEDGE.search(s) else 1.0) if own else 0.0
        lowered = s.lower()
        support += bool(found & {"example", "premise"} or _NUMBER.search(s) or _SUPPORT.search(lowered))
    n = max(len(sents), 1)
    claim_share, support_share = claims / n, support / n
    argument = math.sqrt(min(1.0, claim_share / CLAIM_FULL) * min(1.0, support_share / SUPPORT_FULL))
    per_100 = note.evidence + 100 * len(_DETAIL.findall(text)) / words
    specificity = min(1.0, per_100 / SPECIFIC_FULL)
    thin = max(rules.tier_thin_words, 1)
    span = math.log(max(LONG_WORDS, thin + 1) / thin)
    length = min(1.0, math.log(words / thin) / span) if words > thin else 0.0
    lowered_text = text.lower()
    hits = [
        c
        for c in rules.tier_cues
        if (count(c) if count else re.search(rf"\b{re.escape(c.lower())}\b", lowered_text))
    ]
    cue_part = min(1.0, len(hits) / CUES_FULL)
    w = rules.tier_weights
    parts = {"argument": argument, "specificity": specificity, "length": length, "cues": cue_part}
    total = sum(w.values()) or 1.0
    fillers = 100 * len(_FILLER.findall(text)) / words
    talk = min(TALK_MAX, TALK_PENALTY * fillers)
    score = (1 - talk) * sum(w.get(k, 0.0) * v for k, v in parts.items()) / total
    return Substance(
        round(score, 2),  # as the reason shows it (and `reviewed_scores` reads it back)
        argument,
        specificity,
        length,
        cue_part,
        len(sents),
        claim_share,
        support_share,
        per_100,
        hits,
        fillers,
        talk,
    )


def _cost(cut: float, default: float, above: list[float], below: list[float]) -> tuple[float, float]:
    """(reviewed notes on the wrong side of `cut`, plus `PRIOR_WEIGHT` if it is not the rules.yaml
    cut; the distance to that cut): smaller is better."""
    wrong = sum(s < cut for s in above) + sum(s >= cut for s in below)
    return wrong + (PRIOR_WEIGHT if cut != default else 0.0), abs(cut - default)


def learned_cuts(reviewed: Iterable[tuple[float, str]], rules: Rules) -> dict[str, tuple[float, int]]:
    """Tier -> (its lowest substance score, reviewed notes that taught it) for every tier of a
    `tier_rules` rule with a `min_score`, from (substance triage computed, the reader's tier) of
    reviewed notes. A cut moves to the score that puts the fewest of them on the wrong side of it;
    the rules.yaml cut counts as `PRIOR_WEIGHT` notes (moving it costs that much), and of equally
    good cuts the nearest to it wins. A higher tier's cut is never below a lower tier's."""
    rank = {t: i for i, t in enumerate(rules.tiers)}
    pairs = [(s, rank[t]) for s, t in reviewed if t in rank]
    out: dict[str, tuple[float, int]] = {}
    for rule in rules.tier_rules:
        if rule.min_score <= 0 or rule.tier in out:
            continue
        r = rank[rule.tier]
        above = [s for s, t in pairs if t <= r]  # the reader put these at this tier or higher
        below = [s for s, t in pairs if t > r]
        candidates = sorted({rule.min_score, *above, *(round(s + 0.001, 3) for s in below)})

        best = min(candidates, key=functools.partial(_cost, default=rule.min_score, above=above, below=below))
        out[rule.tier] = (round(best, 3), len(above) + len(below))
    floor = 0.0
    for t in reversed(rules.tiers):  # lowest tier first
        if t in out:
            cut, taught = out[t]
            out[t] = (max(cut, floor), taught)
            floor = out[t][0]
    return out


def reviewed_scores(records: Iterable[Record]) -> list[tuple[float, str]]:
    """(substance triage computed, the reader's tier) of every reviewed note of the catalog whose
    reasons keep the score."""
    out = []
    for r in records:
        if r.problem or r.get("status") != "reviewed":
            continue
        for line in r.strings("triage_reasons"):
            m = _SCORE_IN_REASON.match(line)
            if m:
                out.append((float(m.group(1)), str(r.get("signal_tier") or "")))
                break
    return out


def _lower(tier: str, rules: Rules, steps: int = 1) -> str:
    i = rules.tiers.index(tier) if tier in rules.tiers else len(rules.tiers) - 1
    return rules.tiers[min(i + steps, len(rules.tiers) - 1)]


def _cap(tier: str, cap: str, rules: Rules) -> str:
    """`tier`, or `cap` if `tier` is higher."""
    if tier in rules.tiers and cap in rules.tiers and rules.tiers.index(tier) < rules.tiers.index(cap):
        return cap
    return tier


def is_announcement(note: Note) -> bool:
    head = "\n".join([note.title, (note.clean_text or note.words_text())[:1500]])
    return bool(_ANNOUNCE.search(head))


def assign_tier(
    note: Note,
    rules: Rules,
    count: Callable[[str], int] | None = None,
    cuts: dict[str, tuple[float, int]] | None = None,
) -> None:
    """Fill `note.signal_tier` and its reason (classify stage). `cuts`: `learned_cuts`."""
    from ..errors import CaptureError

    if "signal_tier" in note.given:
        if note.given["signal_tier"] not in rules.tiers:
            raise CaptureError(
                f"frontmatter `signal_tier`: {note.given['signal_tier']!r} is not one of "
                f"{', '.join(rules.tiers)}",
                "use one of them (see rules.yaml), or remove it",
            )
        note.signal_tier = note.given["signal_tier"]
        note.reasons.append("signal_tier: given in the capture")
        return
    sub = substance(note, rules, count)
    cuts = cuts or {}
    tier, why = rules.tier_default, "below every cut"
    taught_notes: list[str] = []  # higher tiers the reader's cuts kept this note out of
    for rule in rules.tier_rules:
        cut, taught = cuts.get(rule.tier, (rule.min_score, 0))
        if rule.min_score <= 0:
            cut = 0.0
        if rule.formats and note.format not in rule.formats:
            continue
        if taught and cut > sub.score >= rule.min_score > 0:
            taught_notes.append(
                f"below the {rule.tier} cut {cut:.2f} your {taught} reviewed notes taught "
                f"(rules.yaml: {rule.min_score:.2f})"
            )
        if (
            sub.score >= cut
            and note.words >= rule.min_words
            and note.evidence >= rule.min_evidence
            and len(sub.cue_hits) >= rule.min_cues
            and sub.argument >= rule.min_argument
            and (rule.max_fillers is None or sub.fillers_per_100 <= rule.max_fillers)
        ):
            tier = rule.tier
            conds = [f"≥ {cut:.2f}" if cut else "any score"]
            if taught and cut != rule.min_score:
                conds.append(
                    f"the cut your {taught} reviewed notes taught; rules.yaml says {rule.min_score:.2f}"
                )
            if rule.min_words:
                conds.append(f"{rule.min_words}+ words")
            if rule.min_argument:
                conds.append(f"argued (claims backed by evidence ≥ {rule.min_argument:.2f})")
            if rule.max_fillers is not None:
                conds.append("edited prose")
            why = ", ".join(conds)
            break
    if taught_notes:
        why += "; " + "; ".join(taught_notes)
    reason = f"substance {sub.score:.2f} {why}: {sub.explain(note.words)}"
    capped = tier
    if note.words < rules.tier_thin_words:
        capped = _cap(tier, rules.tier_thin_max, rules)
        if capped != tier:
            reason += f"; thin capture (under {rules.tier_thin_words} words): at most {rules.tier_thin_max}"
    elif is_announcement(note):
        capped = _cap(tier, rules.tier_thin_max, rules)
        if capped != tier:
            reason += f"; an announcement: at most {rules.tier_thin_max}"
    note.signal_tier = capped
    note.reasons.append(f"signal_tier: {capped} ({reason})")


def after_linking(note: Note, rules: Rules) -> None:
    """Phase 2, once `note.related` is known: a capture the vault already holds ranks lower (see the
    module docstring). The tier's reason says so; a tier given in the capture is left alone."""
    if "signal_tier" in note.given or not note.related:
        return
    same = next((r for r in note.related if r.same_story), None)
    top = max(note.related, key=lambda r: r.score)
    before = note.signal_tier
    if same is not None:
        after = _cap(_lower(before, rules), rules.tier_thin_max, rules)
        why = f"probably the same story as [[{same.name}]]"
    elif top.score >= rules.tier_repeat_similarity:
        after = _lower(before, rules)
        why = f"repeats [[{top.name}]] (similarity {top.score:.2f} ≥ {rules.tier_repeat_similarity})"
    else:
        return
    if after == before:
        return
    note.signal_tier = after
    head = f"signal_tier: {before} ("
    for i, line in enumerate(note.reasons):
        if line.startswith(head) and line.endswith(")"):
            note.reasons[i] = f"signal_tier: {after} ({line[len(head) : -1]}; {why}: {before} -> {after})"
            break
