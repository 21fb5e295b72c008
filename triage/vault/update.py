"""The same source again: a capture of a source already in the vault adds its new highlights to
that source's note instead of making a second note (a Readwise re-sync, a grown My Clippings.txt,
the same article from another tool).

Which captures: those with highlights, or from a highlight tool (Readwise, Kindle, Omnivore...);
a plain clip of an already captured URL is a new note (the related-notes stage flags it as the
same story). Which note: the one with the same source key (`sources.identity`: normalised URL,
or a book's title and author). What is written: only the highlights the note does not already
hold, appended inside the note's highlights region, between markers triage owns; the reader's
text and frontmatter are never touched. If the reader removed the markers, nothing is written.
A capture that brings nothing new is a duplicate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jinja2 import Environment

from ..note import Highlight, Note
from ..sources.identity import source_keys
from .catalog import Record
from .render import HL_BEGIN, HL_END

HIGHLIGHT_TOOLS = {"readwise", "kindle", "omnivore", "hypothesis", "raindrop", "matter", "snipd", "zotero"}


def wants_update(note: Note) -> bool:
    """Does this capture update the note of its source, when there is one?"""
    return bool(note.highlights) or note.source_tool in HIGHLIGHT_TOOLS


def keys_of(note: Note) -> list[str]:
    return source_keys(note.url, note.title, note.author, note.format)


def record_index(records: list[Record]) -> dict[str, str]:
    """Source key -> the note (path in the vault) that holds that source; the oldest wins."""
    index: dict[str, str] = {}
    for r in sorted(records, key=lambda r: (str(r.get("captured_date") or ""), r.path)):
        url = r.get("url")
        for key in source_keys(
            url if isinstance(url, str) else None,
            r.title,
            _text(r.get("author")),
            _text(r.get("format")) or "",
        ):
            index.setdefault(key, r.path)
    return index


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


@dataclass
class Plan:
    """What to do with the captures of one run."""

    new: list[Note] = field(default_factory=list)
    """Captures that become notes of their own."""
    updates: list[tuple[Note, str]] = field(default_factory=list)
    """(capture, path of the vault note of the same source)."""
    merged: list[tuple[Note, Note]] = field(default_factory=list)
    """(capture, the new note of this run whose source it shares: its highlights joined that one)."""


def plan_updates(notes: list[Note], records: list[Record]) -> Plan:
    plan = Plan()
    if not any(wants_update(n) for n in notes):
        plan.new = list(notes)
        return plan
    index = record_index(records)
    batch: dict[str, Note] = {}
    for note in notes:
        keys = keys_of(note)
        if wants_update(note):
            target = next((index[k] for k in keys if k in index), None)
            if target is not None:
                plan.updates.append((note, target))
                continue
            first = next((batch[k] for k in keys if k in batch), None)
            if first is not None:
                first.highlights = join_highlights(first.highlights, note.highlights)
                plan.merged.append((note, first))
                continue
        plan.new.append(note)
        for k in keys:
            batch.setdefault(k, note)
    return plan


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.casefold())).strip()


def _key(h: Highlight) -> str:
    """What makes a highlight the same one: its text (a note without text: the note)."""
    return _norm(h.text or h.note)


def join_highlights(have: list[Highlight], more: list[Highlight]) -> list[Highlight]:
    seen = {_key(h) for h in have}
    out = list(have)
    for h in more:
        if _key(h) and _key(h) not in seen:
            seen.add(_key(h))
            out.append(h)
    return out


def add_highlights(existing: str, highlights: list[Highlight], env: Environment) -> tuple[str | None, int]:
    """(the note's new text, how many highlights were added). The text is None when nothing is
    to be written: no new highlight (count 0), or no markers (count -1: the reader removed them)."""
    start = existing.find(HL_BEGIN)
    end = existing.find(HL_END, start + 1) if start >= 0 else -1
    if start < 0 or end < 0:
        return None, -1
    region = existing[start + len(HL_BEGIN) : end]
    held = _norm(region)
    fresh = [h for h in join_highlights([], highlights) if _key(h) not in held]
    if not fresh:
        return None, 0
    items = env.get_template("highlights.md.j2").render(highlights=fresh)
    body = region.rstrip("\n")
    if "## Highlights" not in region:
        body += "\n## Highlights\n"
    new_region = f"{body}\n{items}"
    return existing[: start + len(HL_BEGIN)] + new_region + existing[end:], len(fresh)
