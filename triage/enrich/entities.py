"""Entity canonicalisation: from raw NER mentions to a short, clean, ranked list.

Pure functions over `Mention`s, so the rules are testable without spaCy:
- canonical names: possessives, a leading "the", markdown debris and trailing punctuation go;
  whitespace is collapsed; `@handles` keep their @.
- junk is dropped: numbers, dates, amounts, lone lowercase words, generic terms ("AI", "CEO").
- variants merge: same letters ignoring case and punctuation; a person's first or last name
  alone ("Dario") joins the full name seen in the same note ("Dario Amodei"); a handle that spells
  a person's name (@DarioAmodei) joins that person.
- salience: each mention counts 1, doubled in the title or a heading, weighted from 1.0 at the start
  of the text down to 0.5 at its end; ties break by first appearance.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from ..note import Entity
from .canon import GENERIC, SHORT_POST, VARIANTS, acronym, has_org_word, is_chat, key, spells

SPACY_TYPES = {
    "PERSON": "person",
    "ORG": "organization",
    "PRODUCT": "product",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "WORK_OF_ART": "work",
    "EVENT": "event",
}
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_DEBRIS = re.compile(r"[*_`#\[\]{}<>|\\^~=]+")
_EDGE = re.compile(r"^[\s\"'“”‘’(),.:;!?–—\ufeff\u200b-]+|[\s\"'“”‘’(),.:;!?–—\ufeff\u200b-]+$")


@dataclass
class Mention:
    """One NER hit: surface text, our type, character offset in the text, and whether it sits in the
    title or a heading."""

    text: str
    type: str
    start: int
    emphasis: bool = False
    """In the title or a heading (counts double, but a name seen only in headings is dropped)."""
    sent_start: bool = False
    """Opens its sentence (where capitalised common words get mistaken for names)."""
    proper: bool = False
    """The tagger calls one of its words a proper noun (lets a lowercase name through: "emma")."""
    common: bool = False
    """Every word is an ordinary English word (`Lexicon.is_ordinary`): "Idiot", "AWESOME"."""
    given: bool = False
    """It reads as a person's name: a given name, then no ordinary words (which given names count
    where: `triage.enrich.mentions`)."""
    guessed: bool = False
    """Found by the lexicon, not by NER: where NER typed the same name, NER's type wins."""
    titled: bool = False
    """A title comes before it ("Dr Chen"): evidence of a person."""
    person_like: bool = False
    """Its first word is a given name of any locale and no English word ("Claude", not "India")."""


def canonical(text: str) -> str:
    """The cleaned display form of a mention ('' if nothing usable is left)."""
    return _canonical(text)[0]


def _canonical(text: str) -> tuple[str, bool]:
    """`canonical`, and whether the mention was cut short: NER ran on into a quoted title
    ('the Acme "Big Ideas'), so its type belongs to the longer span, not to the name kept."""
    cut = False
    if re.fullmatch(r"\s*(?:[A-Z]\.){2,}\s*", text):  # "U.S." -> "US": no dots to lose in a file name
        return text.replace(".", "").strip(), False
    text = _DEBRIS.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    quote = re.search(r"(?<=\w)\s*[\"“”]", text)
    if quote and len(re.findall(r"[\"“”]", text)) % 2:  # 'Dwarkesh "Big Questions on AI': NER ran
        text, cut = text[: quote.start()], True  # into a quoted title; the name is what comes before it
    text = _EDGE.sub("", text)
    text = _POSSESSIVE.sub("", text)
    text = re.sub(r"^(?:the|The|THE)\s+", "", text)
    text = re.sub(r"\s+(?:et al|et al\.|and others|Inc|Inc\.|Ltd|LLC)$", "", text)
    if text.count("(") != text.count(")"):
        text = text.split("(")[0] if text.count("(") > text.count(")") else text.replace(")", "")
    text = _EDGE.sub("", text)
    return text, cut


ORG_SUFFIX = re.compile(
    r"(?:(?<=[a-z ])AI|Labs?|Inc|Corp(?:oration)?|Institute|University|Foundation|Fund|Capital|"
    r"Ventures|Partners|Group|Research|Technologies|Systems|Society|Association|"
    r"Agency|Department|Ministry|Council|Commission|Bank)$"
)
MODEL_NAME = re.compile(
    r"^(?:[A-Za-z]+[- ]?\d+(?:\.\d+)?[a-z]?|[a-z]\d)(?: (?:Pro|Mini|Turbo|Ultra|Max|Flash))?$"
)


def refine_type(name: str, type_: str) -> str:
    """Rules that fix common NER type errors: "OpenAI" is no place, "GPT-4" is a product."""
    if MODEL_NAME.match(name):
        return "product"
    if ORG_SUFFIX.search(name) and type_ in ("person", "place", "work"):
        return "organization"
    return type_


PERSON_SHAPE = re.compile(r"^[A-Za-zÀ-ÿ][a-zà-ÿ'’-]+(?: [A-Za-zÀ-ÿ][a-zà-ÿ'’-]+){0,2}$")
"""One to three words, none of them in capitals: "Wendy", "Mauro renallo", not "WENDY'S" or "Jay & Co"."""


def shouted(name: str, proper: bool) -> bool:
    """An ordinary word in capitals ("AWESOME", "BAD"), not an acronym ("NASA"): five letters or
    more, or not tagged as a proper noun."""
    return name.isalpha() and name.isupper() and (len(name) >= 5 or not proper)


def is_junk(name: str, type_: str, proper: bool = False) -> bool:
    if len(name) < 2 or len(name) > 60 or not re.search(r"[A-Za-z]", name):
        return True
    if name.casefold() in GENERIC or is_chat(name):
        return True
    if re.search(r"([a-z])\1\1", name.casefold()):  # "Awwwww", "Lmaooo": no name triples a letter
        return True
    if re.match(r"^[\d$€£%+~.,]", name):  # numbers, amounts, "72+ hour", "2030s"
        return True
    if re.search(r"\d+\s*(?:%|percent|hours?|days?|weeks?|years?|months?|minutes?|x)\b", name, re.I):
        return True
    words = name.split()
    if len(words) > 6:
        return True
    if not name.startswith("@") and all(w[:1].islower() for w in words) and not proper:
        return True  # lone common words: a proper name has a capital somewhere, or is tagged as one
    return bool(re.search(r"https?:|www\.|\.com\b|\n|→|←|->|=>|\s[&+/]\s", name))


def _best_display(forms: Counter[str]) -> str:
    # Most frequent; among equals prefer one with capitals (proper case), then the longest.
    return max(forms.items(), key=lambda kv: (kv[1], any(c.isupper() for c in kv[0]), len(kv[0])))[0]


@dataclass
class _Group:
    forms: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    """NER's types of the mentions."""
    guesses: Counter[str] = field(default_factory=Counter)
    """Types of mentions found by the lexicon (`Mention.guessed`)."""
    aliases: set[str] = field(default_factory=set)
    score: float = 0.0
    first: int = 0
    body: int = 0
    """Mentions outside headings."""
    lone_starts: int = 0
    """Mentions that open their sentence."""
    common: bool = True
    """Every mention is made of ordinary English words."""
    given: bool = False
    """A mention reads as a person's name (`Mention.given`)."""
    mid: int = 0
    """Mentions written as a name inside a sentence (capitalised, not in capitals)."""
    evidence: bool = False
    """An entity page, the `VARIANTS` table, a title or a handle says what it is."""
    person_like: bool = False

    @property
    def display(self) -> str:
        return _best_display(self.forms)

    @property
    def type(self) -> str:
        """The type most mentions have. NER types a lone given name as an organisation or a place
        ("Wendy", "Brett"): named once, it is a person; named often and typed so each time, NER
        is probably right ("Meta")."""
        type_ = (self.types or self.guesses).most_common(1)[0][0]
        once = sum(self.types.values()) == 1
        if type_ != "person" and once and self.given and PERSON_SHAPE.match(self.display):
            return "person"
        return type_


def rank_entities(
    mentions: list[Mention],
    text_length: int,
    handles: list[tuple[str, int]] | None = None,
    known: dict[str, tuple[str, str]] | None = None,
    limit: int = 12,
) -> list[Entity]:
    """Merge mentions into canonical entities, ranked by salience.

    `handles`: (handle without @, offset) pairs found in the raw text. `known`: merge key ->
    (page name, type) for the vault's entity pages and their aliases (the user's corrections win).
    """
    known = known or {}
    groups: dict[str, _Group] = {}

    def weight(start: int, emphasis: bool) -> float:
        return (1.0 - 0.5 * (start / max(text_length, 1))) * (2.0 if emphasis else 1.0)

    def add(
        name: str, type_: str, start: int, m: Mention | None = None, partial: bool = False
    ) -> _Group | None:
        """Count one mention; a `partial` one (cut short, see `_canonical`) adds no type of its own."""
        m = m or Mention(name, type_, start)
        seen, k = name, key(name)
        page = known.get(k) or _variant_page(k, known)
        if page:
            name, type_ = page
            k = key(name)
            m = replace(m, emphasis=False, given=False, guessed=False)  # the user (or the table)
        if not k:  # named and typed it: a heading mention is enough, no lexicon rule overrides
            return None
        g = groups.setdefault(k, _Group(first=start))
        g.forms[name] += 1
        if key(seen) != k or page:
            g.aliases.add(seen)
        if page or not partial:
            (g.guesses if m.guessed else g.types)[refine_type(name, type_)] += 1
        g.common &= m.common
        g.given |= m.given
        g.score += weight(start, m.emphasis)
        g.body += not m.emphasis
        g.lone_starts += m.sent_start
        g.mid += not m.sent_start and name[:1].isupper() and not name.isupper()
        g.evidence |= bool(page) or m.titled
        g.person_like |= m.person_like
        return g

    # A lowercase form ("anthropic") is junk on its own, but counts when a proper form is also seen.
    cleaned = [_canonical(m.text) for m in mentions]
    names = [n for n, _ in cleaned]
    named = [m for m, n in zip(mentions, names, strict=True) if m.type == "organization" and not acronym(n)]
    orgs = ({m.start for m in named}, {m.start + len(m.text) for m in named})
    proper = {key(n) for n in names if n and not is_junk(n, "")}
    for m, (name, cut) in zip(mentions, cleaned, strict=True):
        if not name or "@" in name:  # "RT @x": handles are counted on their own (`handles`)
            continue
        k = key(name)
        if k not in known and is_junk(name, m.type, m.proper) and not (k in proper and name.islower()):
            continue
        if k not in known and m.common and not m.given and shouted(name, m.proper):
            continue
        g = add(name, m.type, m.start, m, partial=cut)
        if g and m.type == "organization" and acronym(name):
            g.evidence |= _listed(m, orgs)
    for k in [k for k, g in groups.items() if not g.types and not g.guesses]:
        del groups[k]  # seen only cut short out of a longer name: nothing says what it is

    # Title-case headings fool NER: a name must also appear in the text itself. A single
    # capitalised word seen once, at a sentence start, is most likely a common word.
    for k in list(groups):
        g = groups[k]
        lone_word = len(g.display.split()) == 1 and sum(g.forms.values()) == 1 and g.lone_starts
        if not g.evidence and (g.body == 0 or (lone_word and g.type != "person")):
            del groups[k]

    # Short names join the one full name they abbreviate: "Dario" or "Amodei" the person "Dario
    # Amodei" (in this capture, else on an entity page), "TSMC" the full name it spells.
    persons = {k: g.display.split() for k, g in groups.items() if g.type == "person"}
    pages = {key(n): n.split() for n, t in known.values() if t == "person"}
    for k in list(groups):
        g = groups[k]
        words = g.display.split()
        if len(words) != 1 or g.evidence:
            continue
        targets = [pk for pk, full in persons.items() if len(full) > 1 and words[0] in (full[0], full[-1])]
        if acronym(g.display):
            targets = [ok for ok, o in groups.items() if ok != k and spells(g.display, o.display)]
        elif not targets and g.type == "person":
            targets = [pk for pk, full in pages.items() if len(full) > 1 and words[0] in (full[0], full[-1])]
            if len(targets) == 1:
                target = add(known[targets[0]][0], "person", g.first)
                targets = [key(target.display)] if target else []
        if len(targets) == 1 and targets[0] != k:
            target = groups[targets[0]]
            target.score += g.score
            target.aliases.update(g.forms)
            target.first = min(target.first, g.first)
            del groups[k]

    # A person has a name: one ordinary word ("Dude", "Dad", "Idiot") is not one.
    for k in list(groups):
        g = groups[k]
        if k not in known and g.type == "person" and g.common and len(g.display.split()) == 1:
            del groups[k]

    # @handles join the person whose name they spell, else stand as a person of their own.
    for handle, start in handles or []:
        hk = key(handle)
        hk = hk if hk in known else page_of_handle(handle, known) or hk
        if hk in known:
            page = add(known[hk][0], known[hk][1], start)
            if page:
                page.aliases.add("@" + handle)
            continue
        match = next(
            (k for k in groups if k == hk or (k in persons and len(k) > 3 and hk.startswith(k))), None
        )
        if match:
            g = groups[match]
            g.score += weight(start, False)
            g.aliases.add("@" + handle)
            g.evidence = True
            spelled = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", handle).replace("_", " ").strip()
            camel = all(w[:1].isupper() for w in spelled.split())  # not "dwarkesh sp"
            if camel and len(spelled.split()) > len(g.display.split()) and key(spelled) == hk:
                g.forms[spelled] += max(g.forms.values()) + 1  # @DarioAmodei names "Dario" in full
        else:
            add("@" + handle, handle_type(handle), start)

    for k in [k for k, g in groups.items() if not g.evidence and _unproven(g, text_length)]:
        del groups[k]
    ranked = sorted(groups.values(), key=lambda g: (-g.score, g.first))[:limit]
    out = []
    for g in ranked:
        name = g.display
        aliases = sorted((set(g.forms) | g.aliases) - {name})
        out.append(Entity(name=name, type=g.type, aliases=aliases, salience=round(g.score, 3)))
    return out


def handle_type(handle: str) -> str:
    """A handle is a person's unless its last part is an organisation's word: "@samaya_AI",
    "@AcmeLabs", "@acme_hq" are organisations."""
    last = _handle_parts(handle.strip("_"))[-1]
    return "organization" if re.fullmatch(_HANDLE_ORG, last) else "person"


def _handle_parts(handle: str) -> list[str]:
    """A handle's words, cut at "_" or a lower-to-upper case change: "dwarkesh_sp", "AcmeLabs"."""
    return re.split(r"_|(?<=[a-z])(?=[A-Z])", handle)


_HANDLE_ORG = re.compile(r"AI|ai|HQ|hq|Labs?|labs?|Inc|inc|Corp|corp|Official|official|News|news|Team|team")


def _listed(m: Mention, orgs: tuple[set[int], set[int]]) -> bool:
    """An organisation's name stands next to `m` in a list ("CATL and Tesla", "Tesla, CATL"):
    `orgs` holds where the other organisations' names start and end."""
    starts, ends = orgs
    end = m.start + len(m.text)
    return any(end + gap in starts or m.start - gap in ends for gap in range(1, 6))


def page_of_handle(handle: str, known: dict[str, tuple[str, str]]) -> str | None:
    """The key of the vault's one-word person page the handle starts with: "@dwarkesh_sp" is
    "Dwarkesh" (the handle's first part, cut at "_" or a capital, is the page's name)."""
    first = key(_handle_parts(handle)[0])
    page = known.get(first)
    if len(first) > 3 and first != key(handle) and page and page[1] == "person" and key(page[0]) == first:
        return first
    return None


def _variant_page(k: str, known: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """The page of a name written many ways (`VARIANTS`): the vault's page for any variant
    ("US" made by an earlier run), else the canonical name ("United States")."""
    if k not in VARIANTS:
        return None
    name, type_, forms = VARIANTS[k]
    return next((known[key(f)] for f in forms if key(f) in known), (name, type_))


def _unproven(g: _Group, text_length: int) -> bool:
    """A name that needs evidence it has not got (evidence: an entity page, the `VARIANTS` table,
    a title, a handle, for an acronym an organisation it is listed with; see the module docstring):
    - an acronym or a common noun as an organisation ("UBI", "Honey"), unless the name has an
      organisation word ("Acme Labs") or, for a common noun, is written as a name mid-sentence
      at least twice ("Amazon");
    - in a capture longer than a post, a lone given name as a person ("Dylan"), one word named
      once as a person ("Krutrim has been going the full-stack route": NER's guess, nothing else
      says so), and a given name that is no English word as a place ("Claude"; the dictionary
      knows "India" and "Florence")."""
    one_word = len(g.display.split()) == 1
    if g.type == "organization" and not has_org_word(g.display):
        return acronym(g.display) or (g.common and g.mid < 2) or text_length < SHORT_POST
    if text_length < SHORT_POST or not one_word:
        return False
    if g.type == "person":
        once = sum(g.forms.values()) == 1 and not g.display.startswith("@")
        return g.given or once
    return g.type == "place" and g.person_like


def merge_given(given: list[str], extracted: list[Entity], limit: int) -> list[Entity]:
    """The capture's own `entities` first (their order kept), then extracted ones not among them."""
    by_key = {key(e.name): e for e in extracted}
    out: list[Entity] = []
    seen: set[str] = set()
    for raw in given:
        name = canonical(raw.strip("[]").split("|")[0])
        k = key(name)
        if not k or k in seen:
            continue
        seen.add(k)
        found = by_key.get(k)
        out.append(
            Entity(name=name, type=found.type if found else "unknown", aliases=found.aliases if found else [])
        )
    out.extend(e for e in extracted if key(e.name) not in seen)
    return out[: max(limit, len(given))]
