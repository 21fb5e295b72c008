"""Stage 5: ids, file names, canonical entity page names, aliases, tags, triaged_at; then the
schema check. And, right after stage 2, `bound_lengths`: the values copied into index pages
(title, aliases, author, creator) at a documented maximum."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..config import Rules, Taxonomy
from ..enrich.entities import key as entity_key
from ..errors import CaptureError
from ..note import ID_RE, Note, NoteProperties, check_vocabulary
from .catalog import (
    NOTES_DIR,
    EntityPage,
    Record,
)
from .names import note_filename, safe_page_name, unique
from .pages import (
    reserved_names,
)

if TYPE_CHECKING:
    pass

log = logging.getLogger("triage")


MAX_TITLE = 300
"""Characters of a title (and of each alias) on the note and on every index page that lists it."""
MAX_AUTHOR = 200
"""Characters of an author line."""
MAX_CREATOR = 60
"""Characters of a creator handle."""


def cap(text: str, limit: int) -> str:
    """`text` on one line, at most `limit` characters: cut at a word boundary (or mid-word when the
    last boundary is far back) with an ellipsis."""
    text = re.sub(r"\s+", " ", text[: 4 * limit + 1000]).strip() if len(text) > limit else text
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(",;:-–— ") + "…"


def bound_lengths(note: Note) -> None:
    """Stage 2, last step (called by the pipeline after `infer_metadata`): title, author and
    creator at MAX_TITLE, MAX_AUTHOR and MAX_CREATOR characters, so no index page grows with one
    capture (a PDF whose Info title is 100 KB, a Kindle title of 5,000 characters). A value cut
    here is kept whole at the top of the Capture section (unless the capture's text holds it
    already), with a reason."""
    full: list[tuple[str, str]] = []
    for field, limit in (("title", MAX_TITLE), ("author", MAX_AUTHOR), ("creator", MAX_CREATOR)):
        value = getattr(note, field)
        if isinstance(value, str) and len(value) > limit:
            setattr(note, field, cap(value, limit))
            full.append((field, value))
            whole = "" if field == "creator" else "; kept whole in the Capture section"
            note.read_reasons.append(
                f"read: the {field} is {len(value):,} characters: cut to {limit} on the note and "
                f"index pages{whole}"
            )
    missing = [(f, v) for f, v in full if f != "creator" and v not in note.body]
    if missing:
        lines = "".join(f"**Full {f}:** {' '.join(v.split())}\n\n" for f, v in missing)
        note.body = lines + note.body


def normalize_tag(tag: str) -> str | None:
    tag = re.sub(r"[^a-z0-9_/-]+", "-", tag.strip().lstrip("#").lower()).strip("-/")
    return tag if tag and re.search(r"[a-z_]", tag) else None


class Planner:
    """Stage 5: ids, file names, canonical entity page names, aliases, tags, triaged_at; then the
    schema check. Keeps the vault-wide sets (ids, names) up to date as notes are planned."""

    def __init__(
        self, records: list[Record], taxonomy: Taxonomy, rules: Rules, entity_pages: list[EntityPage]
    ) -> None:
        self.taxonomy = taxonomy
        self.rules = rules
        self.ids = {str(r.get("id")): r.path for r in records if r.get("id")}
        self.names = {Path(r.path).name.casefold() for r in records}
        platforms = {str(r.get("platform")) for r in records}
        self.reserved = reserved_names(taxonomy, rules, platforms | {"unknown", "web", "x"})
        # Entity page names by merge key, so "U.S" in one note and "US" in another meet on one page.
        self.entity_names: dict[str, str] = {}
        # Every entity a note links has a page (refresh_pages makes it), so the pages are the list.
        for page in entity_pages:
            self.entity_names.setdefault(entity_key(page.name), page.name)

    def next_id(self, date: dt.date) -> str:
        day = date.strftime("%Y%m%d")
        used = [int(m.group(2)) for i in self.ids if (m := ID_RE.match(i)) and m.group(1) == day]
        return f"SOURCE-{day}-{max(used, default=0) + 1:03d}"

    def entity_name(self, raw: str) -> str:
        name = safe_page_name(raw)
        if name.casefold() in self.reserved:
            name = f"{name} (entity)"
        return self.entity_names.setdefault(entity_key(name) or name.casefold(), name)

    def plan(self, note: Note, now: dt.datetime) -> None:
        assert note.captured_date is not None
        if note.id and note.id in self.ids:
            raise CaptureError(
                f"id {note.id} is already used by {self.ids[note.id]}",
                "remove the `id` line to get a new id (or delete the other note first)",
            )
        note.id = note.id or self.next_id(note.captured_date)
        self.ids[note.id] = "(this run)"
        name = note_filename(
            note.captured_date.strftime("%Y%m%d"), note.platform, note.format, note.title, note.creator
        )
        name = unique(name, self.names)
        note.note_path = Path(NOTES_DIR) / f"{note.captured_date:%Y}" / name
        merged: dict[str, Any] = {}
        for e in note.entities:
            raw, e.name = e.name, self.entity_name(e.name)
            if raw != e.name and raw not in e.aliases:  # "U.S" met the page "US": a variant seen
                e.aliases.append(raw)
            merged.setdefault(e.name, e)
        note.entities = list(merged.values())
        aliases = note.given.get("aliases") or [re.sub(r"\s+", " ", note.title).strip()]
        note.aliases = [cap(a, MAX_TITLE) if isinstance(a, str) else a for a in aliases]
        tags = [
            *note.given.get("tags", []),
            *note.topics,
            f"teleology/{note.teleology}",
            f"tier/{note.signal_tier}",
            f"platform/{note.platform}",
        ]
        note.tags = list(dict.fromkeys(t for t in (normalize_tag(x) for x in tags) if t))
        note.triaged_at = note.given.get("triaged_at") or now
        try:
            props = NoteProperties.model_validate(note.properties())
        except ValidationError as exc:
            first = exc.errors()[0]
            raise CaptureError(
                f"the note would not be valid: {'.'.join(map(str, first['loc']))}: {first['msg']}",
                "fix that property in the capture's frontmatter",
            ) from None
        problems = check_vocabulary(props, self.taxonomy.ids(), self.rules.tiers)
        if problems:
            raise CaptureError(problems[0], "fix the capture's frontmatter or the vocabulary files")
