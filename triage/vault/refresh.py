"""Index pages brought up to date: every page whose text changed is written; entity pages keep
the user's parts (their frontmatter and what is outside triage's markers); `Triage.base` is written
while it is still what triage wrote (`vault/bases.py`)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from jinja2 import Environment

from ..config import Rules, Taxonomy
from ..enrich.canon import key
from ..enrich.handles import handle_owners, same_as
from .bases import write_base
from .catalog import (
    ENTITIES_DIR,
    EntityPage,
    Record,
    load_entity_pages,
)
from .pages import (
    build_pages,
    entity_frontmatter,
    merge_managed,
)
from .writer import VaultWriter

if TYPE_CHECKING:
    from ..enrich.discover import Suggestion

log = logging.getLogger("triage")


def refresh_pages(
    writer: VaultWriter,
    env: Environment,
    records: list[Record],
    taxonomy: Taxonomy,
    rules: Rules,
    entity_info: dict[str, tuple[str, list[str]]] | None = None,
    only: set[str] | None = None,
    failed: list[dict[str, str]] | None = None,
    entity_pages: list[EntityPage] | None = None,
    suggestions: list[Suggestion] | None = None,
) -> int:
    """Write every index page whose text changed; entity pages keep the user's parts. Returns how
    many files were written."""
    entity_info = entity_info or {}
    if entity_pages is None:
        entity_pages = load_entity_pages(writer.vault)
    types = {p.name: p.type for p in entity_pages}
    for name, (type_, _) in entity_info.items():
        types.setdefault(name, type_)
    joined = _same_as(entity_pages, entity_info, records)
    for handle, owner in joined.items():  # a new owner's page records the handle
        types.setdefault(owner, "person")
        aliases = entity_info.setdefault(owner, ("person", []))[1]
        aliases.extend([handle] if handle not in aliases else [])
    written = 0
    also = {f"{ENTITIES_DIR}/{n}.md" for pair in joined.items() for n in pair}  # both pages change

    def wanted(rel: str) -> bool:  # pages the change touches, and any page not written yet
        return only is None or rel in only or not (writer.vault / rel).exists() or rel in also

    pages = build_pages(env, records, taxonomy, rules, types, wanted, failed or [], suggestions or [], joined)
    with writer.batch():  # each folder fsynced once, at the end
        written += _write_pages(writer, pages, entity_info, types)
        written += write_base(writer, rules)
    return written


def _write_pages(
    writer: VaultWriter, pages: dict[str, str], entity_info: dict[str, tuple[str, list[str]]], types: dict
) -> int:
    written = 0
    for rel, text in pages.items():
        if rel.startswith(f"{ENTITIES_DIR}/"):
            path = writer.vault / rel
            existing = path.read_text(encoding="utf-8") if path.exists() else None
            name = rel[len(ENTITIES_DIR) + 1 : -3]
            type_, aliases = entity_info.get(name, (types.get(name, "unknown"), []))
            merged = merge_managed(existing, text, entity_frontmatter(type_, aliases))
            if merged is None:
                continue
            text = merged
        written += writer.write(rel, text)
    return written


def _same_as(
    entity_pages: list[EntityPage], entity_info: dict[str, tuple[str, list[str]]], records: list[Record]
) -> dict[str, str]:
    """Bare handle page -> the page of the person the vault says the handle belongs to
    (`triage.enrich.handles`); an owner known by an author line only is named as the vault's page
    of that name, if there is one."""
    pages = [(p.name, p.type, p.aliases) for p in entity_pages]
    pages += [(n, t, a) for n, (t, a) in entity_info.items()]
    owners = handle_owners(pages, (str(r.get("author") or "") for r in records if r.problem is None))
    by_key = {key(n): n for n, _, _ in pages}
    return {h: by_key.get(key(o), o) for h, o in same_as(pages, owners).items()}
