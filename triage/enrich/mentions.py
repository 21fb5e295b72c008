"""Stage 3, entities: from spaCy's NER to `Mention`s, with the lexicon correcting the model.

spaCy's small English model reads news well and social posts badly. With `triage.enrich.lexicon`'s word
lists, these rules repair what it gets wrong, and `triage.enrich.entities` then canonicalises and ranks:

- a list NER took for one entity is split: "Jay & Trish", "Dwayne, Ty" (when every part starts
  with a given name), "Canelo vs Julio César" (always);
- chat words are trimmed off a name's ends: "Crissy lol" -> "Crissy";
- a stage name or title makes a person: "DJ Khaled", "Lil Yachty" (kept in the name), "Dr Chen"
  (left out of it); so does a show named after its host ("the Kestrel Podcast": "Kestrel");
- a one-word organisation NER cut off the front of a longer name is dropped ("House Amodei");
- no name is half of a contraction written with spaces ("Don ' t"), and a hashtag of several
  words is a topic, not a name ("#ClimateChange"), unless it spells one (`spells_name`);
- a given name takes the family name NER left out: "Kylie minogue";
- a given name NER typed as an organisation or a place reads as a person (`Mention.given`; the
  type itself is decided in `entities`). In longer text only for names common in
  English-speaking countries: there NER has context and "Meta" or "Claude" are things. In a short
  post (under `SHORT_POST` characters: a single X post, a comment) any locale's given name counts;
- people NER missed entirely: a given name outside any entity, capitalised, tagged a proper noun,
  or (if common in English-speaking countries) in lowercase: "Kenny, you need...", "emma and".

Each function takes the spaCy `Doc` of one chunk and the chunk's layout (`Layout`).
"""

from __future__ import annotations

import bisect
import itertools
import re
from typing import TYPE_CHECKING, Any, Protocol

from ..text import IMAGE_DESCRIPTION, title_case
from .canon import CHAT, SHORT_POST, is_chat
from .entities import SPACY_TYPES, Mention
from .lexicon import Lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["SHORT_POST", "doc_mentions", "spells_name"]
JOINERS = {",", "&", "and", "/", "+"}
VERSUS = {"vs", "vs.", "v.", "versus"}
STAGE = {"dj", "lil", "mc", "lord", "papa", "mama", "uncle", "auntie"}
"""Words before a name that are part of how the person is called: kept in the name."""
TITLES = {"mr", "mrs", "ms", "dr", "sir", "dame", "president", "senator", "governor", "coach", "professor"}
"""Titles before a name: they make it a person's, and are left out of it."""
SHOWS = {"podcast", "show", "newsletter", "hour", "vlog", "substack"}
"""Words that end the name of a show named after its host ("the Kestrel Podcast")."""


class Layout(Protocol):
    """Where a chunk of text sits in its note (`triage.enrich.nlp` cuts notes into chunks)."""

    text: str
    offset: int
    starts: list[int]
    kinds: list[str]

    def block_text(self, block: int) -> str: ...


def doc_mentions(doc: Doc, ch: Layout, lex: Lexicon, short: bool = False) -> list[Mention]:
    """Every mention in one chunk: NER's entities, repaired, then the people NER missed; none
    from image descriptions ("(Description: A chart titled ...)"): they describe a picture, they
    are not the author's text."""
    asides = [m.span() for m in IMAGE_DESCRIPTION.finditer(ch.text)]
    return [
        m
        for m in (
            *_entity_mentions(doc, ch, lex, short),
            *_name_mentions(doc, ch, lex),
        )
        if not any(a <= m.start - ch.offset < b for a, b in asides)
    ]


def _entity_mentions(doc: Doc, ch: Layout, lex: Lexicon, short: bool) -> list[Mention]:
    out = []
    for ent in doc.ents:
        type_ = SPACY_TYPES.get(ent.label_)
        if type_ is None:
            continue
        if type_ == "organization" and _cut_off(ent):
            continue
        if (len(ent) == 1 and _contraction(ent)) or _tag_words(ent, lex):
            continue
        host = _host(ent, lex)
        if host is not None:
            out.append(_mention(ch, host, host.end_char, "person", proper=True, guessed=True, titled=True))
        parts = [p for p in (_trim_chat(p) for p in _split(ent, lex)) if len(p)]
        if type_ in ("person", "place"):
            parts = [_trim_words(p, lex) for p in parts]
        people = len(parts) > 1 and all(lex.is_given(p[0].text) for p in parts)
        for part in parts:
            titled = _titled(part)
            span = part if titled is None else titled
            given = _reads_as_person(span, type_, lex, short)
            stop = _surname_end(doc, span.end, lex) if given and len(span) == 1 else span.end
            whole = len(parts) == 1 and span is ent
            out.append(
                _mention(
                    ch,
                    span,
                    doc[stop - 1].idx + len(doc[stop - 1]),
                    "person" if people or titled is not None else type_,
                    text=ent.ent_id_ if whole else "",  # an entity page's name (entity ruler)
                    proper=any(t.pos_ == "PROPN" or _unknown(t, lex) for t in span),
                    common=_ordinary(span, lex),
                    given=given,
                    titled=titled is not None,
                    person_like=lex.is_given(span[0].text) and not lex.in_dictionary(span[0].text),
                )
            )
    return out


def _name_mentions(doc: Doc, ch: Layout, lex: Lexicon) -> list[Mention]:
    """Given names outside any entity. Names that are also English words ("Grace", "Will",
    "Jimmy") are left to NER: on the dev set they cost more than they add."""
    out = []
    for tok in doc:
        if tok.ent_type_ or not tok.is_alpha or not lex.is_given(tok.text):
            continue
        if lex.in_dictionary(tok.text, tok.lemma_):
            continue
        if _contraction(doc[tok.i : tok.i + 1]):
            continue
        title = tok.text[0].isupper() and not tok.is_upper
        lower = tok.is_lower and not tok.is_stop and lex.is_english_given(tok.text)
        if not (title or lower or tok.pos_ == "PROPN"):
            continue
        end = _surname_end(doc, tok.i + 1, lex)
        span = doc[tok.i : end]
        out.append(_mention(ch, span, span.end_char, "person", proper=True, given=True, guessed=True))
    return out


def _contraction(span: Span) -> bool:
    """The span is the first half of a contraction split by spaces ("Don ' t", "Won ' t")."""
    doc, end = span.doc, span.end
    rest = [t.text for t in doc[end : end + 2]]
    return rest[:1] in (["'t"], ["’t"]) or rest in (["'", "t"], ["’", "t"])


def _tag_words(span: Span, lex: Lexicon) -> bool:
    """The span is a hashtag of several words ("#ClimateChange", "#EqualPay"): a topic, not a
    name, unless it spells a person's name ("#SachaBaronCohen")."""
    text = span.doc.text
    word = span[0].text.lstrip("#")
    tagged = span[0].text.startswith("#") or (span.start_char and text[span.start_char - 1] == "#")
    parts = re.split(r"(?<=[a-z])(?=[A-Z])", word)
    return bool(tagged) and len(span) == 1 and len(parts) > 1 and not spells_name(word, lex)


def _cut_off(ent: Span) -> bool:
    """A one-word organisation NER cut off the front of a longer name: a capitalised proper noun
    follows it, untagged or a person ("House Amodei", "Acme Widget"): the mention is of that
    name, not of an organisation."""
    if len(ent) != 1 or ent.end >= len(ent.doc) or ent.doc[ent.end - 1].whitespace_ != " ":
        return False
    nxt = ent.doc[ent.end]
    return nxt.pos_ == "PROPN" and nxt.is_title and nxt.ent_type_ in ("", "PERSON")


def _host(ent: Span, lex: Lexicon) -> Span | None:
    """The person a show is named after: "the Kestrel Podcast" -> "Kestrel" (one or two capitalised
    words no dictionary knows before a show word); None if the entity is no such show."""
    if len(ent) < 2 or ent[-1].lower_ not in SHOWS:
        return None
    start = ent.start + (ent[0].lower_ == "the")
    name = ent.doc[start : ent.end - 1]
    if not 1 <= len(name) <= 2:
        return None
    if not all(t.is_alpha and t.is_title and not lex.in_dictionary(t.text, t.lemma_) for t in name):
        return None
    return name


def _mention(ch: Layout, span: Span, end_char: int, type_: str, text: str = "", **flags: bool) -> Mention:
    """A mention of `span` (up to `end_char`, never past its block), placed in the note."""
    block = bisect.bisect_right(ch.starts, span.start_char) - 1
    block_end = ch.starts[block + 1] if block + 1 < len(ch.starts) else len(ch.text)
    return Mention(
        text or ch.text[span.start_char : min(end_char, block_end)].strip(),
        type_,
        ch.offset + span.start_char,
        emphasis=ch.kinds[block] == "heading" and title_case(ch.block_text(block)),
        sent_start=span[0].is_sent_start or span.start_char == ch.starts[block],
        **flags,
    )


def _reads_as_person(span: Span, type_: str, lex: Lexicon, short: bool) -> bool:
    """A given name first, then no ordinary words ("Wendy", "Mauro Ranallo", not "Claude Code");
    see the module docstring for which given names count where."""
    first = span[0].text
    if any(lex.is_ordinary(t.text, t.lemma_) for t in span[1:] if t.is_alpha):
        return False
    if type_ == "place" and lex.in_dictionary(first):  # "India", "Jordan"
        return False
    return lex.is_english_given(first) or (short and lex.is_given(first))


def _split(ent: Span, lex: Lexicon) -> list[Span]:
    """The parts of an entity on either side of "vs"; or between commas, "&" and "and" if every
    part starts with a given name; else the entity whole."""
    for joiners, people in ((VERSUS, False), (JOINERS, True)):
        parts, start = [], ent.start
        for tok in ent:
            if tok.lower_ in joiners:
                parts.append(ent.doc[start : tok.i])
                start = tok.i + 1
        parts.append(ent.doc[start : ent.end])
        if len(parts) > 1 and all(len(p) and (not people or lex.is_given(p[0].text)) for p in parts):
            return parts
    return [ent]


def _trim_chat(span: Span) -> Span:
    """The span without chat words at its ends: "Crissy lol" -> "Crissy"."""
    start, end = span.start, span.end
    while start < end and is_chat(span.doc[start].text):
        start += 1
    while end > start and is_chat(span.doc[end - 1].text):
        end -= 1
    return span if (start, end) == (span.start, span.end) else span.doc[start:end]


def _trim_words(span: Span, lex: Lexicon) -> Span:
    """A person's or a place's name without ordinary lowercase words at its ends: "poem Dubbz" ->
    "Dubbz" (not for titles of works: "Pride and prejudice")."""
    start, end = span.start, span.end

    def plain(tok: Token) -> bool:
        return tok.is_lower and lex.is_ordinary(tok.text, tok.lemma_)

    while end - start > 1 and plain(span.doc[start]):
        start += 1
    while end - start > 1 and plain(span.doc[end - 1]):
        end -= 1
    return span if (start, end) == (span.start, span.end) else span.doc[start:end]


def _titled(span: Span) -> Span | None:
    """The span as a person's name if a stage name or a title opens it or comes before it."""
    first = span[0].lower_.rstrip(".")
    before = span.doc[span.start - 1].lower_.rstrip(".") if span.start else ""
    if first in STAGE or first in TITLES:
        return span if len(span) > 1 else None
    if before in STAGE:
        return span.doc[span.start - 1 : span.end]
    return span if before in TITLES else None


def _surname_end(doc: Doc, end: int, lex: Lexicon) -> int:
    """Where a name that starts with a given name ends: it takes up to two following words tagged
    as proper nouns (or in lowercase and in no dictionary: "amy schumer"), in lowercase or in title
    case but then no ordinary word ("Kylie Minogue", "Donald trump", not "Kylie feel" or "Kylie
    Jenner's FRIEND")."""
    stop = end
    while stop < len(doc) and stop - end < 2:
        tok = doc[stop]
        if tok.ent_type_ or not tok.is_alpha or tok.is_stop or tok.is_sent_start:
            break
        if tok.pos_ != "PROPN" and not (tok.is_lower and _unknown(tok, lex)):
            break
        if is_chat(tok.text):
            break
        if not (tok.is_lower or (tok.is_title and not lex.is_ordinary(tok.text, tok.lemma_))):
            break
        stop += 1
    return stop


def _unknown(token: Token, lex: Lexicon) -> bool:
    """A word no dictionary knows ("lebron", "hangwani"): in lowercase text, likely a name."""
    return (
        token.is_alpha
        and len(token) > 2
        and token.lower_ not in CHAT
        and not lex.in_dictionary(token.text, token.lemma_)
    )


def _ordinary(span: Any, lex: Lexicon) -> bool:
    """Every word of the span is an ordinary English word (and it has words: not "GPT-1")."""
    words = [t for t in span if t.is_alpha]
    return bool(words) and all(lex.is_ordinary(t.text, t.lemma_) for t in words)


def spells_name(word: str, lex: Lexicon) -> bool:
    """A handle or a hashtag that reads as a person's name: a given name, then a family name or a
    word no dictionary knows ("CarolineOkafor", "nina_okafor", "MarisolGTorres", "sallyokafor");
    a title or a stage name, then a name ("DrChen", "lil_Yachty")."""
    parts = [p for p in re.split(r"[_\d]+|(?<=[a-z])(?=[A-Z])", word) if p]
    parts = [p for p in parts if len(p) > 1 or not p.isupper()]  # an initial: "MarisolGTorres"
    for first, rest in itertools.pairwise(parts):
        if first.lower() in TITLES | STAGE and rest[:1].isupper():
            return True
        named = len(rest) > 2 and lex.is_given(first) and not lex.is_ordinary(first)
        if named and (rest.casefold() in lex.surnames or not lex.in_dictionary(rest)):
            return True
    if len(parts) == 1 and parts[0].islower():  # "sallyokafor": a given name, then a family name
        one = parts[0]
        return any(lex.is_given(one[:i]) and one[i:] in lex.surnames for i in range(2, len(one) - 2))
    return False
