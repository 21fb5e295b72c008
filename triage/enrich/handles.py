"""Whose handle is it: `@handles` joined to the person they belong to, across captures and runs.

A handle on its own gets a page of its own ("@kestrel_pod"). When the vault says whose handle it
is, the handle belongs to that person's page, whichever came first:
- an author line "Name (@handle)" of any note in the vault (or of this run);
- a person page (not itself named as a handle) listing the handle among its `aliases`;
- a one-word person page the handle starts with ("@kestrel_pod" and "Kestrel",
  `triage.enrich.entities.page_of_handle`).

A handle page the user has curated (a type other than person, or aliases other than spellings
of the handle) keeps its handle: what the user writes on an entity page wins. A bare handle page
triage made before it knew whose handle it was stays (older notes link it and are never
rewritten), but its managed region points to the person's page, which lists those notes too.

Pure functions over (name, type, aliases) triples and author strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..note import Entity, Note
from .canon import key
from .entities import page_of_handle

Page = tuple[str, str, list[str]]
"""An entity page: name, type, aliases."""

AUTHOR = re.compile(r"^\s*(.+?)\s*\(@([A-Za-z0-9_]{2,30})\)\s*$")


def author_handle(author: str) -> tuple[str, str] | None:
    """("Priya Raman", "priya_evals") from the author line "Priya Raman (@priya_evals)"."""
    found = AUTHOR.match(author or "")
    if not found or found.group(1).startswith("@"):
        return None
    return found.group(1), found.group(2)


def bare_handle_page(page: Page) -> bool:
    """A page triage made for a handle alone: named "@...", a person (or of no type), and no
    aliases but other spellings of the handle."""
    name, type_, aliases = page
    return (
        name.startswith("@") and type_ in ("person", "unknown") and all(key(a) == key(name) for a in aliases)
    )


def handle_owners(pages: Iterable[Page], authors: Iterable[str]) -> dict[str, str]:
    """Handle's merge key -> the name of the person it belongs to. A person page's aliases come
    first (the user may have renamed the person), then author lines, the first one seen winning."""
    out: dict[str, str] = {}
    for name, type_, aliases in pages:
        if type_ == "person" and not name.startswith("@"):
            for alias in aliases:
                if alias.startswith("@"):
                    out.setdefault(key(alias), name)
    for author in authors:
        found = author_handle(author)
        if found and key(found[0]) != key(found[1]):
            out.setdefault(key(found[1]), found[0])
    named = {key(n): (n, t) for n, t, _ in pages}
    for page in pages:  # "@kestrel_pod" and the one-word person page "Kestrel" (`page_of_handle`)
        first = page_of_handle(page[0][1:], named) if bare_handle_page(page) else None
        if first:
            out.setdefault(key(page[0]), named[first][0])
    return out


def join_handles(
    known: dict[str, tuple[str, str]], owners: dict[str, str], pages: Iterable[Page]
) -> dict[str, tuple[str, str]]:
    """`known` (merge key -> (page name, type), from the entity pages) with every owned handle
    leading to its owner's page, unless a page the user curated already claims the handle."""
    bare = {key(p[0]) for p in pages if bare_handle_page(p)}
    out = dict(known)
    for hk, name in owners.items():
        claimed = known.get(hk)
        if claimed is None or key(claimed[0]) in bare:
            out[hk] = known.get(key(name), (name, "person"))
    return out


def same_as(pages: Iterable[Page], owners: dict[str, str]) -> dict[str, str]:
    """Bare handle page name -> the page of the person the handle belongs to."""
    return {
        p[0]: owners[key(p[0])]
        for p in pages
        if bare_handle_page(p) and key(p[0]) in owners and key(owners[key(p[0])]) != key(p[0])
    }


def join_batch(notes: Iterable[Note], known: dict[str, tuple[str, str]]) -> None:
    """Within one run, before anything is written: a handle that starts with a one-word person
    another capture of the run names ("@kestrel_pod" and "Kestrel") joins that person, as it would
    join the vault's page of that person in a later run; so the run's order does not decide whether a
    handle page is made. A handle the vault already places (`known`) is left to the vault."""
    notes = list(notes)
    people = {
        key(e.name): (e.name, "person")
        for n in notes
        for e in n.entities
        if e.type == "person" and not e.name.startswith("@") and " " not in e.name.strip()
    }
    for note in notes:
        kept: dict[str, Entity] = {}  # name -> its one entity in the note, in first-seen order
        for e in note.entities:
            first = None
            if e.name.startswith("@") and e.type == "person" and key(e.name) not in known:
                first = page_of_handle(e.name[1:], people)
            name = e.name if first is None else people[first][0]
            forms = e.aliases if first is None else [e.name, *e.aliases]
            same = kept.setdefault(name, e if first is None else Entity(name, "person", [], e.salience))
            if same is not e:  # a handle joined its person (before or after the person's own entry)
                same.salience = max(same.salience, e.salience)
                same.aliases.extend(a for a in forms if a not in same.aliases and a != name)
        note.entities = list(kept.values())
