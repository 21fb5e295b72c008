"""Word tables for the entity rules: what is never a name, the canonical forms of names written
many ways, and the evidence that makes a name an organisation.

- `GENERIC`: terms NER likes to tag that make useless entity pages ("AI", "CEO", "podcast").
- `CHAT`: chat abbreviations and interjections: never a name, trimmed off the ends of one.
- `VARIANTS`: one canonical page per country or body written many ways: US = U.S. = USA =
  United States. An entity page named after any of the variants wins (`triage.enrich.entities`).
- `acronym`, `spells`, `has_org_word`: an acronym or a common noun is an organisation only with
  evidence: an organisation word in its name ("Fjord Analytics", "Acme Inc"), the full name it
  abbreviates in the same capture ("Taiwan Semiconductor Manufacturing Company (TSMC)"), the
  `VARIANTS` table, or an entity page.
"""

from __future__ import annotations

import re

SHORT_POST = 300
"""Characters of clean text under which a capture reads as one post."""

GENERIC = {
    *"ai agi asi ml llm llms nlp rl rlhf api apis ui ux ceo ceos cto cfo phd faq tl;dr tldr q&a".split(),
    *"ama eli5 imo imho btw lol ok meta-analysis internet web email covid moore sf bay ii".split(),
    *"description source update edit note notes thread podcast episode chapter opening".split(),
    *"introduction conclusion summary appendix figure table gpu gpus tpu tpus cpu crdt crdts".split(),
    *"saas b2b b2c kpi okr okrs json yaml html sql flop flops oom ooms sota moe ipo capex opex".split(),
    *"gdp roi".split(),
    "the internet",
}
"""Generic terms NER likes to tag that make useless entity pages."""

CHAT = {
    *"af wtf wth omg lol lmao lmaoo lmfao rofl smh tbh idk ikr fml ffs tfw mfw irl ngl nsfw".split(),
    *"plz pls thx thnx rip hmm hmmm haha hahaha yay ugh xd http https btw fyi asap lmk idc".split(),
    *"ya yall bro bruh brah fam congrats aww awww tho altho iam im ima imma gonna wanna gotta".split(),
    *"kinda sorta lovin luv cuz coz".split(),
}
"""Chat abbreviations and interjections (see `triage.enrich.mentions`)."""
LAUGHTER = re.compile(r"(?:ha|he|hi|ja|lo)+h?l?", re.I)
"""Laughter typed out at any length: "hahahaha", "lololol"."""


def is_chat(word: str) -> bool:
    """A chat word (`CHAT`) or laughter (`LAUGHTER`): never part of a name."""
    return word.lower() in CHAT or (len(word) > 4 and bool(LAUGHTER.fullmatch(word)))


_VARIANT_GROUPS: list[tuple[str, str, list[str]]] = [
    ("United States", "place", ["US", "U.S.", "USA", "U.S.A.", "United States of America", "the States"]),
    ("United Kingdom", "place", ["UK", "U.K.", "Britain", "Great Britain"]),
    ("European Union", "organization", ["EU", "E.U."]),
    ("United Nations", "organization", ["UN", "U.N."]),
    ("United Arab Emirates", "place", ["UAE", "U.A.E."]),
    ("South Korea", "place", ["Republic of Korea", "ROK"]),
    ("North Korea", "place", ["DPRK"]),
    ("China", "place", ["PRC", "People's Republic of China", "Mainland China"]),
    ("Russia", "place", ["Russian Federation"]),
    ("Czechia", "place", ["Czech Republic"]),
    ("Netherlands", "place", ["Holland", "The Netherlands"]),
    ("New York City", "place", ["NYC", "New York, NY"]),
    ("Washington, D.C.", "place", ["Washington DC", "Washington D.C.", "DC", "D.C."]),
    ("NATO", "organization", ["North Atlantic Treaty Organization", "N.A.T.O."]),
    ("World Health Organization", "organization", ["WHO"]),
    ("International Monetary Fund", "organization", ["IMF"]),
    ("Federal Reserve", "organization", ["the Fed", "Fed", "US Federal Reserve"]),
    ("NASA", "organization", ["National Aeronautics and Space Administration"]),
    ("FBI", "organization", ["Federal Bureau of Investigation"]),
    ("CIA", "organization", ["Central Intelligence Agency"]),
    ("IBM", "organization", ["International Business Machines"]),
    ("TSMC", "organization", ["Taiwan Semiconductor Manufacturing Company", "Taiwan Semiconductor"]),
    ("NVIDIA", "organization", ["Nvidia", "Nvidia Corporation", "NVIDIA Corporation"]),
]


def key(text: str) -> str:
    """Merge key: letters and digits only, case-folded ("Open AI" and "OpenAI" meet)."""
    return re.sub(r"[\W_]+", "", text.casefold())


VARIANTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    key(form): (name, type_, (name, *forms))
    for name, type_, forms in _VARIANT_GROUPS
    for form in (name, *forms)
}
"""Merge key of every variant -> (canonical name, type, every form of the group)."""

ORG_WORD = re.compile(
    r"\b(?:Inc|Corp|Corporation|Co|Company|Ltd|LLC|GmbH|AG|SA|PLC|Labs?|Institute|University|College|"
    r"School|Foundation|Fund|Capital|Ventures|Partners|Group|Holdings|Research|Technologies|Systems|"
    r"Society|Association|Agency|Department|Ministry|Council|Commission|Committee|Bank|Party|Union|"
    r"League|Club|Team|Studios?|Records|Press|Media|News|Times|Airlines?|Motors|Industries|Bureau|"
    r"Office|Authority|Board|Court|Parliament|Senate|Congress|Army|Navy|Police)\b"
)


def has_org_word(name: str) -> bool:
    """The name says it is an organisation: "Fjord Analytics Group", "Acme Inc", "Labour Party"."""
    return bool(ORG_WORD.search(name))


def acronym(name: str) -> bool:
    """Two to five capitals (digits allowed after the first): "UBI", "TSMC", "AI2"; not "NVIDIA"."""
    return bool(re.fullmatch(r"[A-Z][A-Z0-9&]{1,4}", name.replace(".", "")))


def spells(short: str, full: str) -> bool:
    """`short` is the initials of `full`'s words, small words optional: "TSMC" and "Taiwan
    Semiconductor Manufacturing Company", "AI2" and "Allen Institute for AI"."""
    letters = re.sub(r"[^A-Za-z]", "", short).upper()
    words = re.findall(r"[A-Za-z][\w'-]*", full)
    if len(letters) < 2 or len(words) < 2:
        return False
    every = "".join(w[0] for w in words).upper()
    capitals = "".join(w[0] for w in words if w[0].isupper()).upper()
    return letters in (every, capitals) or (
        capitals.startswith(letters) and len(capitals) - len(letters) <= 1
    )
