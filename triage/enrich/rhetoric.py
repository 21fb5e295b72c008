"""What a sentence does in an argument: states a claim, or supports and surrounds one.

Readers highlight the author's claims (the thesis, the points that open body paragraphs, the
conclusion), not the examples, concessions, background or remarks about the text itself. These
pure functions recognise those roles from cue phrases and from where a sentence sits; the weights
that turn them into a score are in `triage.enrich.insights` (`WEIGHTS`).

Cues are read with quoted speech removed: in a report, "we must act", said the minister, is the
minister's stance, not the author's; a sentence inside a longer quotation has no cues.

- `stance`: the author takes a position: "I believe", "in my view", "we should", "it is unfair",
  "the point is", "the short answer is", "my view is", "here is my conclusion", "what we learned
  is", "this paper shows / we propose" (a paper's claim of contribution), an evaluating adverb
  opening the sentence ("Unfortunately, ...", "Frankly, ..."). Not in a question someone asks
  ("asks whether we should..."), nor after someone else's words ("the mayor said the city should",
  "Moore's law states that the count should double"), nor "to be fair".
- `conclusion`: "therefore", "in conclusion", "that is why", "all in all".
- `example`: "for instance", "for example", "take the case of", "imagine", "suppose".
- `concession`: the view the author answers: "admittedly", "of course", "some people think",
  "it is often said", "critics argue", "on the one hand", "to be fair", "that said", "conventional
  wisdom", "the advice I hear from...".
- `meta`: the text talks about itself or how a talk went: "In this post I'll go over", "here are my
  answers", "the structure of the discussion", "nearly an hour was devoted to", "as an aside",
  "these are my notes", "I'll skip", newsletter housekeeping ("Programming note:", "Welcome
  back"). Not "In this paper we show" or "Here is my conclusion": they state what the piece claims.
- `premise`: a reason opening the sentence: "Because ...", "After all, ...".
- `background`: narration before the point: "recently", "years ago", "back in 2019", "there was
  this idea that", "in 2019"; the author's experience ("I have used it every day for five weeks",
  "I've hired 60 engineers over the last eight years"); and a past-tense sentence in a text mostly
  in the present (`roles`).
- `genre`: "report" (news) or "argument", from the text's own evidence (`GENRE_TABLE`): the past
  tense, words attributed to someone ("the council said"), dated events ("on Tuesday"), against
  the first person outside quotations and the author's own stance. In a report, who said what is
  the substance; `triage.enrich.insights` scores it with `REPORT_WEIGHTS`.
- `thesis_slots`: in prose with real paragraphs, the sentences where authors put claims: the first
  sentence of a body paragraph, the last of the introduction, the first of the conclusion.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

_QUOTED = re.compile(r"[“\"][^”\"]{3,400}[”\"]")

_VERDICT = r"(?:conclusion|point|view|take|argument|answer|thesis|claim|verdict|bottom line|lesson)"
"""What "here is my ..." announces: the author's own point (a stance, not a remark about the text)."""

CUES: dict[str, re.Pattern[str]] = {
    "stance": re.compile(
        r"\b(?:i|we) (?:(?:do|really|strongly|firmly) )?(?:believe|think|argue|contend|maintain|hold|"
        r"claim|suspect|propose|conclude|doubt|expect|predict)\b(?! (?:of|about)\b)|"
        r"\bi(?:'m| am) (?:convinced|sure|certain)\b|"
        r"\bin (?:my|our) (?:view|opinion|experience|judgment|judgement)\b|\b(?:i|we) (?:agree|disagree)\b|"
        r"\b(?:should|shouldn't|ought to|must not|mustn't)\b|"
        r"\b(?:is|are|'s|'re|would be|will be|(?<!\bto )be) (?:(?:not|very|quite|most|more|less|far|much|"
        r"simply|clearly|certainly|definitely|highly|surely|therefore|thus|only) )*(?:important|essential|"
        r"necessary|unnecessary|crucial|vital|clear|obvious|wrong|right|the right|the wrong|unfair|fair|"
        r"unjust|just|"
        r"wise|unwise|desirable|undesirable|irresponsible|appropriate|inappropriate|justified|unjustified|"
        r"unjustifiable|acceptable|unacceptable|better|worse|the best|a mistake|a good idea|a bad idea|"
        r"out of the question|pointless|absurd|ridiculous|high time|undeniable|evident|indispensable)\b|"
        r"\b(?:we|you|they|one|everyone|everybody|society|people) (?:\w+ )?(?:must|need|have to)\b|"
        r"\bmust (?:\w+ )?(?:be|to be|not be)\b|\bhad better\b|"
        r"\bthe (?:real |main |key |whole |bottom |short |simple |honest |deeper |bigger |underlying |"
        r"central |)?(?:point|truth|lesson|problem|answer|upshot|question|bottom line|takeaway|reality) "
        r"(?:here )?is\b|"
        r"\b(?:my|our) (?:\w+ )?(?:view|read|take|sense|bet|conclusion|answer|argument|position|verdict|"
        r"guess|point|thesis|claim) (?:here )?is\b|"
        r"\bwhat (?:i|we) (?:have )?(?:learned|learnt|found|realized|realised|concluded) is\b|"
        r"\b(?:this|our|the) (?:paper|work|study|essay|article|thesis|analysis|post|piece) "
        r"(?:shows|argues|proposes|demonstrates|finds|establishes|suggests|claims)\b|"
        r"\b(?:i|we) (?:show|demonstrate|find|found|establish|introduce|present)\b",
    ),
    "conclusion": re.compile(
        r"^(?:so|thus|hence|therefore|consequently|overall|ultimately|in short|in sum|in summary|"
        r"to sum up|to conclude|in conclusion|all in all|all things considered|in the end|"
        r"for (?:all )?these reasons|that(?:'s| is) why|this is why|which is why)\b|"
        r"\b(?:therefore|in conclusion|to conclude|to sum up|that(?:'s| is) why|"
        r"for (?:all )?these reasons)\b",
    ),
    "example": re.compile(
        r"\b(?:for (?:example|instance)|e\.g\.|to illustrate|as an (?:example|illustration)|"
        r"case in point|a (?:good|classic|typical|simple) example|one example|another example|"
        r"an example of)\b|"
        r"^(?:take|consider|imagine|suppose|picture|say) (?:the|a|an|my|our|your|this|that|for|"
        r"what|how|someone|somebody|you|[a-z])|^(?:like when|just look at|look at)\b",
    ),
    "concession": re.compile(
        r"^(?:admittedly|granted|of course|it is true|it's true|on the one hand|even though|although|"
        r"though|while it is|while it's|to be fair|in fairness|to be sure|that said)\b|"
        r"\b(?:conventional wisdom|(?:common|popular) (?:wisdom|myth|misconception)|"
        r"(?:we|you) (?:are|'re) (?:often|always|constantly|usually) told|"
        r"(?:i|we|you) (?:often |always |constantly |still |keep |usually )?hear (?:it said|people say|"
        r"from)\b)|^(?:sure|true|yes|certainly|fair enough|okay|ok),|"
        r"\b(?:some|many|most|others?) (?:people|critics|observers|commentators|experts|folks|"
        r"skeptics|sceptics)? ?(?:may |might |would |will |could )?(?:think|believe|say|argue|claim|feel|"
        r"assume|object|suggest|worry|fear|complain|insist|find)\b|"
        r"\b(?:may|might) (?:well )?(?:think|believe|argue|say|claim|object)\b|"
        r"\b(?:critics|opponents|proponents|skeptics|sceptics|detractors|supporters) "
        r"(?:say|argue|claim|believe|point out|contend|object)\b|"
        r"\bit (?:is|'s|has been) (?:often|commonly|widely|sometimes|frequently|usually|generally)? ?"
        r"(?:said|argued|believed|claimed|assumed|thought|suggested) that\b|"
        r"\bone (?:might|could|may) (?:argue|say|object|think|claim)\b|"
        r"\b(?:the|a) (?:common|popular|usual|standard) (?:view|argument|objection|belief|claim)\b",
    ),
    "meta": re.compile(
        r"^in (?:this|today's|the following|the next|my) (?:post|essay|article|piece|thread|newsletter|"
        r"episode|video|issue|section|chapter|write-?up|blog)\b(?!,? (?:i|we) (?:argue|show|propose|"
        r"demonstrate|find|claim|contend))|"
        rf"^(?:here (?:are|is|'s)(?! (?:my|our|the) (?:\w+ )?{_VERDICT}\b)|below (?:are|is|i|we)|"
        r"let(?:'s| me| us)(?! be\b))\b|"
        r"^\W*(?:programming note|housekeeping|quick note|welcome back|welcome to)\b|"
        r"\b(?:these|here) are my (?:\w+ )?(?:notes|thoughts|takeaways|highlights|impressions)\b|"
        r"\b(?:i|we)(?:'ll| will) (?:skip|come back to|return to)\b|"
        r"^\W*(?:as an aside|by the way|incidentally|side note|on a side note|btw)\b|"
        r"\b(?:i|we)(?:'ll| will| want to| am going to| are going to|'m going to) (?:go over|cover|"
        r"walk (?:you )?through|look at|talk about|discuss|explain|share|summari[sz]e|start|begin|"
        r"dive into|break down|answer)\b|"
        r"\b(?:i|we) (?:wrote|write|have written) (?:up|this|these|down|about)\b|"
        r"\b(?:the|this|its|their) (?:\w+ )?(?:structure|timeline|format|outline|agenda|allocation)"
        r"(?: of (?:the|this) (?:discussion|conversation|episode|interview|podcast|talk|show|debate|post|"
        r"essay|article|piece|thread|book))?(?: itself)? (?:tells|reflects|mirrors|is telling|says|shows|"
        r"reveals|is revealing)\b|"
        r"\b(?:hours?|minutes?|half|part) (?:of (?:the|this) \w+ )?(?:was |were |is |are )?"
        r"(?:devoted|dedicated|given over) to\b|\b(?:devoted|dedicated) to (?:discussing|talking)\b|"
        r"\b(?:the|this) (?:conversation|discussion|episode|interview|podcast|talk|debate|show) "
        r"(?:moved|turned|shifted|began|started|opened|ended|closed|covered|spanned|lasted|went)\b|"
        r"\bas (?:i|we) (?:said|mentioned|noted|discussed|wrote) (?:above|earlier|before|previously)\b|"
        r"\b(?:see|read) (?:below|above|more|the full)\b|\bthanks? (?:you )?for (?:reading|listening)\b",
    ),
    "premise": re.compile(r"^(?:because|since|after all|for one thing|the reason is)\b"),
    "background": re.compile(
        r"\b(?:recently|years? ago|months? ago|weeks? ago|decades? ago|last (?:year|month|week|summer|"
        r"winter|spring|fall|autumn)|back in|at the time|in the past|historically|used to|"
        r"once upon|yesterday|earlier this (?:year|month|week)|originally|at first|in the early days|"
        r"at the (?:start|beginning|outset|dawn) of|first (?:formalized|introduced|proposed|published|"
        r"described|coined|developed|appeared))\b|^there (?:was|were|has been) (?:a|an|this|"
        r"some|once)\b|^(?:when|after|before) (?:i|we) (?:was|were|first|started|began)\b",
    ),
}
"""One pattern per cue, matched against the lowercased sentence; see the module docstring."""
OPENERS: dict[str, re.Pattern[str]] = {
    "stance": re.compile(
        rf"(?:here(?: is|'s) (?:my|our) (?:\w+ )?{_VERDICT}|unfortunately|fortunately|sadly|frankly|"
        r"honestly|bluntly|"
        r"clearly|obviously|crucially|ironically|tellingly|worse|better still|put simply|simply put)\b"
    ),
}
"""Cues that open the sentence, matched at its start: kept out of `CUES`, where an anchored
alternative would make the whole pattern several times slower to search."""


def _carries(name: str, own: str) -> bool:
    opener = OPENERS.get(name)
    return bool(CUES[name].search(own) or (opener and opener.match(own)))


_DATED = re.compile(
    r"\b(?:in|around|since|between|back in|circa) (?:the )?(?:early |late |mid-?)?(?:19|20)\d\d"
)
_FUTURE = re.compile(
    r"\b(?:will|won't|would|could|may|might|should|until|by (?:the )?(?:end of )?(?:19|20)\d\d)\b"
)
"""A year in a sentence about the past ("in 2019", not "until 2030" or "by 2030 we will") is background."""
_PLANS = re.compile(
    r"\bi (?:think|guess|suppose|believe|expect) i(?:'ll|'d|'m going to| will| would| am going to)\b"
)
"""The author's plans for themself ("I think I'll stick to...") take no position on the subject:
no stance cue ("I think we will lose" keeps its)."""
_ASKED = re.compile(r"\b(?:whether|(?:asks?|asked|asking|wonders?|wondered|wondering) (?:\w+ )?if)\b.*")
"""A question someone asks ("asks whether we should split it") is no stance of the author's."""
_REPORTED = re.compile(
    r"(?<!\bi )(?<!\bwe )\b(?:states|stated|says|said|claims|claimed|argues|argued|predicts|predicted|"
    r"tells|told|thinks|believes|believed|writes|wrote|insists|insisted|warns|"
    r"warned)\b"
)
"""What someone else says or thinks, without quotation marks ("Moore's law states that the count
should double", "the minister said the country must act"): a stance after it is theirs."""
_EXPERIENCE = re.compile(
    r"^(?:i|we|my \w+ and i)\b.*\b(?:for|over|in) (?:the (?:last|past) )?(?:(?:\d+|a|two|three|four|"
    r"five|six|seven|eight|nine|ten|eleven|twelve|several|many|a few|few) )?(?:years?|months?|weeks?|"
    r"decades?)\b"
)
"""The author's experience ("I have used it every day for five weeks", "I've hired 60 engineers
over the last eight years"): credentials before the point, background."""


def unquoted(text: str) -> str:
    """The sentence without quoted speech (someone else's words); empty if a quotation runs through
    it (an unpaired quotation mark: the sentence is cut out of a longer quote) or opens it and
    leaves only a few words ("“We must act,” she said.")."""
    rest = _QUOTED.sub(" ", text)
    if re.search(r"[“”\"]", rest):
        return ""
    if re.match(r"^\W*[“\"]", text) and len(re.findall(r"\w+", rest)) < 6:
        return ""
    return rest.strip()


@lru_cache(maxsize=8192)
def cues(text: str) -> frozenset[str]:
    """The cues (keys of `CUES`) this sentence carries, read outside quoted speech."""
    own = re.sub(r"^[\W\d]+", "", unquoted(text).lower())  # "1. For instance", "— Admittedly"
    own = _PLANS.sub(" ", own)
    found = {name for name in CUES if _carries(name, own)}
    if "stance" in found:
        reported = _REPORTED.search(own)
        mine = _ASKED.sub(" ", own[: reported.end()] if reported else own)
        if not _carries("stance", mine):
            found.discard("stance")
    if _EXPERIENCE.search(own):
        found.add("background")
    if _DATED.search(own) and not _FUTURE.search(own):
        found.add("background")
    return frozenset(found)


class Placed(Protocol):
    """What the rules need from a sentence (`triage.enrich.insights.Sentence`)."""

    text: str
    kind: str
    block: int
    past: bool


def thesis_slots(sentences: Sequence[Placed]) -> list[bool]:
    """The sentences in the places authors put claims, in prose with real paragraphs (at least three
    paragraph blocks, two sentences each on average): the first sentence of a body paragraph, the
    last sentence of the introduction and the first of the conclusion. All False otherwise (one
    paragraph, a list of one-line items, or sentences whose blocks are unknown)."""
    blocks: dict[int, list[int]] = {}
    for i, s in enumerate(sentences):
        if s.kind == "para" and s.block >= 0:
            blocks.setdefault(s.block, []).append(i)
    order = sorted(blocks)
    out = [False] * len(sentences)
    if len(order) < 3 or sum(len(v) for v in blocks.values()) < 2 * len(order):
        return out
    for n, b in enumerate(order):
        members = blocks[b]
        if n == 0:
            if len(members) > 1:
                out[members[-1]] = True  # the thesis closes the introduction
        else:
            out[members[0]] = True  # body paragraphs and the conclusion open with their claim
    return out


REPORT_PAST = 0.25
"""Share of past-tense sentences above which a text reads as a report (news tells what happened:
a quarter to three quarters of its sentences are in the past; essays and abstracts under a fifth)."""
_ATTRIBUTED = re.compile(
    r"(?<!having )\b(?:said|says|told|tells|added|adds|according to|announced|confirmed|reported|"
    r"explained|insisted|warned|admitted)\b"
)
"""Someone else's words attributed to them ("the bank said", "according to the council")."""
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_DATED_EVENT = re.compile(
    rf"\b(?:on|last|next|this|since|until|from|by) {_WEEKDAY}\b(?!s)|"
    rf"\b{_MONTH} \d{{1,2}}\b|\b\d{{1,2}} {_MONTH}\b|\b(?:last|this|next) (?:week|month)\b"
)
"""An event with its day ("on Tuesday", "12 March", "last week")."""
_FIRST_PERSON = re.compile(r"\b(?:i|me|my|mine|we|us|our|ours)\b")
GENRE_TABLE = {"past": 0.5, "attributed": 1.0, "dated": 1.0, "first person": -1.0, "stance": -1.0}
"""Evidence that a text is a report, per share of its sentences: what happened (the past tense),
who said it (attributed words), when (a dated event), told in the third person (the first person
outside quotations counts against: essays and abstracts argue in it), with no stance of the
author's (`cues`: "should", "it is unfair"; a reported one is the speaker's)."""
REPORT_EVIDENCE = 0.15
"""A text with at least this much evidence (`GENRE_TABLE`) is a report."""


def genre_evidence(sentences: Sequence[Placed]) -> dict[str, float]:
    """The share of sentences carrying each kind of evidence in `GENRE_TABLE`."""
    n = max(len(sentences), 1)
    low = [s.text.lower() for s in sentences]
    return {
        "past": sum(s.past for s in sentences) / n,
        "attributed": sum(bool(_ATTRIBUTED.search(t)) for t in low) / n,
        "dated": sum(bool(_DATED_EVENT.search(t)) for t in low) / n,
        "first person": sum(bool(_FIRST_PERSON.search(unquoted(t))) for t in low) / n,
        "stance": sum("stance" in cues(s.text) for s in sentences) / n,
    }


def genre(sentences: Sequence[Placed]) -> str:
    """ "report" (news: a third-person account of what happened and who said it) or "argument"
    (an essay, a post, an abstract: the author's own claims), from the text's own evidence."""
    found = genre_evidence(sentences)
    weight = sum(GENRE_TABLE[name] * share for name, share in found.items())
    return "report" if weight >= REPORT_EVIDENCE else "argument"


def roles(sentences: Sequence[Placed]) -> list[set[str]]:
    """Each sentence's roles: its `cues`, plus "slot" (`thesis_slots`); "background" only in a text
    mostly in the present, where a past-tense sentence is background too. In a text mostly in the
    past (a news report) the past is the point, and so are "recently" and "last year"."""
    report = sum(s.past for s in sentences) > REPORT_PAST * len(sentences)
    out = []
    for s, slot in zip(sentences, thesis_slots(sentences), strict=True):
        candidate = s.kind != "heading" and s.text.count(" ") >= 5  # no fragment: worth reading
        found = set(cues(s.text)) if candidate else set()
        if report:
            found.discard("background")
        elif s.past:
            found.add("background")
        if slot:
            found.add("slot")
        out.append(found)
    return out


SUPPORTING = frozenset({"example", "concession", "premise", "meta", "background"})
"""Roles of sentences that support or surround a claim rather than make one."""
