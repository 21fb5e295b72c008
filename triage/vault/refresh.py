"""Index pages brought up to date: every page whose text changed is written; entity pages keep
the user's parts (their frontmatter and what is outside triage's markers)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from jinja2 import Environment

from ..config import Rules, Taxonomy
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
    written = 0

    def wanted(rel: str) -> bool:  # pages the change touches, and any page not written yet
        return only is None or rel in only or not (writer.vault / rel).exists()

    pages = build_pages(env, records, taxonomy, rules, types, wanted, failed or [], suggestions or [])
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
