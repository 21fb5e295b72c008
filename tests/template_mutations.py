"""Mutations of a capture the way customised templates and older plugin versions differ from a
tool's default layout: sections reordered or dropped, heading levels changed, bullets restyled,
the reader's own keys added, the H1 removed. Pure functions of (text, a `random.Random`), used by
the property tests (tests/test_source_<tool>.py, through `capture_helpers.template_variant`) and by
benchmarks/readers_quality.py (seeded, so the same battery every run).

`keep` lists strings that must survive (the expected title, URL, author): a section holding one
is never dropped, since a template without it states less, not differently.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

_FENCE = re.compile(r"^---\n.*?\n---\n", re.S)
_HEADING = re.compile(r"^(#{2,3})(\s+\S.*)$")
READER_KEYS = (
    ("status", "digested"),
    ("status", "undefined"),
    ("rating", "4"),
    ("id", "0b6f3c1e-9a2d-4e7f-8c5b-1d2e3f4a5b6c"),
    ("read", "true"),
    ("aliases", "[my reading]"),
)
"""Keys readers add to their captures' frontmatter (some collide with triage's own)."""


def _split(text: str) -> tuple[str, str]:
    m = _FENCE.match(text)
    return (m.group(0), text[m.end() :]) if m else ("", text)


def _sections(body: str) -> tuple[list[str], list[list[str]]]:
    """(the lines before the first `##`/`###` heading, the sections each led by one)."""
    head: list[str] = []
    sections: list[list[str]] = []
    for line in body.split("\n"):
        if _HEADING.match(line) and not line.startswith("######"):
            sections.append([line])
        elif sections:
            sections[-1].append(line)
        else:
            head.append(line)
    return head, sections


def _join(fm: str, head: list[str], sections: list[list[str]]) -> str:
    return fm + "\n".join([*head, *(ln for s in sections for ln in s)])


def reorder_sections(text: str, rng: random.Random, keep: tuple[str, ...] = ()) -> str:
    fm, body = _split(text)
    head, sections = _sections(body)
    if len(sections) < 2:
        return text
    sections = [s if s[-1] == "" else [*s, ""] for s in sections]
    rng.shuffle(sections)
    return _join(fm, head, sections)


def drop_section(text: str, rng: random.Random, keep: tuple[str, ...] = ()) -> str:
    fm, body = _split(text)
    head, sections = _sections(body)
    droppable = [
        i
        for i, s in enumerate(sections)
        if not any(k and k in "\n".join(s) for k in keep) and not re.search(r"(?i)highlight|snips", s[0])
    ]
    if not droppable:
        return text
    del sections[rng.choice(droppable)]
    return _join(fm, head, sections)


def heading_levels(text: str, rng: random.Random, keep: tuple[str, ...] = ()) -> str:
    """Every `##` heading one level deeper (or every `###` one higher): templates disagree."""
    fm, body = _split(text)
    deeper = rng.random() < 0.5
    if deeper:
        body = re.sub(r"^## (?=\S)", "### ", body, flags=re.M)
    else:
        body = re.sub(r"^### (?=\S)", "## ", body, flags=re.M)
    return fm + body


def restyle_bullets(text: str, rng: random.Random, keep: tuple[str, ...] = ()) -> str:
    """`-` bullets as `*` (or `*` as `-`), at every depth."""
    fm, body = _split(text)
    old, new = ("-", "*") if rng.random() < 0.5 else ("*", "-")
    body = re.sub(rf"^(\s*)\{old} (?=\S)", rf"\1{new} ", body, flags=re.M)
    return fm + body


def reader_keys(text: str, rng: random.Random, keep: tuple[str, ...] = ()) -> str:
    """The reader's own properties added to the frontmatter (made when there is none)."""
    key, value = rng.choice(READER_KEYS)
    fm, body = _split(text)
    if fm and re.search(rf"^{key}:", fm, re.M):
        return text
    line = f"{key}: {value}\n"
    return fm[:-4] + line + "---\n" + body if fm else f"---\n{line}---\n{body}"


def remove_h1(text: str, rng: random.Random, keep: tuple[str, ...] = ()) -> str:
    """The title heading removed (not a `# Metadata` / `# Annotations` heading a tool writes as H1)."""
    fm, body = _split(text)
    return fm + re.sub(r"^# (?!Metadata\s*$|Annotations\s*$)[^\n]*\n", "", body, count=1, flags=re.M)


MUTATIONS: dict[str, Callable[..., str]] = {
    "reorder": reorder_sections,
    "drop": drop_section,
    "levels": heading_levels,
    "bullets": restyle_bullets,
    "keys": reader_keys,
    "no-h1": remove_h1,
}


def mutate(text: str, ops: list[str], rng: random.Random, keep: tuple[str, ...] = ()) -> str:
    for op in ops:
        text = MUTATIONS[op](text, rng, keep)
    return text
