"""What the vault holds now: its notes (by their frontmatter) and its entity pages.

The notes are the source of truth. The catalog is read at the start of a run (for duplicate
detection, ids and names) and by `reindex`/`validate`; the index pages are built from it.

Parsing 10,000 frontmatters with a pure-Python YAML parser takes seconds, so parsed properties are
cached in SQLite (`.triage/catalog.sqlite`, standard library) keyed by path, size and mtime: a note
is parsed again only when its file changed. Deleting the cache, or a cache from another version,
only costs one full read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import CaptureError
from ..sources.reader import split_frontmatter

NOTES_DIR = "notes"
ENTITIES_DIR = "entities"
_LINK = re.compile(r"^\[\[([^\]|#^]+)(?:[|#^][^\]]*)?\]\]$")


def link_target(value: object) -> str:
    """'[[Name]]' or '[[Name|shown]]' -> 'Name'; plain text stays as it is."""
    text = str(value).strip()
    m = _LINK.match(text)
    return m.group(1).strip() if m else text


@dataclass
class Record:
    """One note in the vault."""

    path: str
    """Path relative to the vault, with forward slashes."""
    props: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None
    """Why its frontmatter could not be read (None when it could)."""
    mtime: float = 0.0
    size: int = -1
    """File size and st_mtime_ns as the catalog saw them (-1: not known), so the search index need
    not stat every note again."""
    mtime_ns: int = -1

    @cached_property
    def stem(self) -> str:
        name = self.path.rsplit("/", 1)[-1]
        return name[:-3] if name.endswith(".md") else name

    def get(self, key: str, default: Any = None) -> Any:
        return self.props.get(key, default)

    def strings(self, key: str) -> list[str]:
        value = self.props.get(key)
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value] if isinstance(value, list) else []

    @cached_property
    def title(self) -> str:
        aliases = self.strings("aliases")
        return aliases[0] if aliases else str(self.props.get("title") or self.stem)

    @property
    def date(self) -> dt.date | None:
        value = self.props.get("captured_date")
        if isinstance(value, dt.datetime):
            return value.date()
        return value if isinstance(value, dt.date) else None

    @cached_property
    def entities(self) -> list[str]:
        return [link_target(e) for e in self.strings("entities")]


@dataclass
class EntityPage:
    name: str
    type: str
    aliases: list[str]


def read_frontmatter(path: Path) -> tuple[dict[str, Any], str | None]:
    """(properties, None), or ({}, why the file or its frontmatter cannot be read)."""
    try:
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError) as exc:
        return {}, f"cannot read: {exc}"
    return parse_frontmatter(text)


def parse_frontmatter(text: str) -> tuple[dict[str, Any], str | None]:
    """The same, for a note's text already read."""
    try:
        props, _ = split_frontmatter(text)
    except CaptureError as exc:
        where = f" ({exc.location()})" if exc.line else ""
        return {}, f"{exc.message}{where}"
    return dict(props), None


def capture_text(text: str, with_source: bool = True, with_my_notes: bool = False) -> str:
    """What a note captured: its `## Capture` section (without the sections triage generates around
    it, whose words every note shares, and without `## My notes` unless asked), else its text after
    the frontmatter (a note triage did not write). `with_source=False` drops the `Source:` line."""
    if text.startswith("---"):
        end = text.find("\n---\n", 3)
        if end >= 0:
            text = text[end + 5 :]
    start = text.find("\n## Capture\n")
    if start >= 0:
        text = text[start + 12 :]
        end = -1 if with_my_notes else text.rfind("\n## My notes\n")
        text = text[:end] if end >= 0 else text
    if not with_source:
        text = re.sub(r"^\s*Source: <[^>]*>\n", "", text)
    return text


CACHE_VERSION = 2


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        return {"$map": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return {"$str": str(value)}


def _hook(d: dict[str, Any]) -> Any:
    """json object_hook: turns the tagged values `_encode` wrote back into Python values."""
    if "$datetime" in d:
        return dt.datetime.fromisoformat(d["$datetime"])
    if "$date" in d:
        return dt.date.fromisoformat(d["$date"])
    if "$map" in d:
        return {k if isinstance(k, (str, int, float, bool)) or k is None else str(k): v for k, v in d["$map"]}
    if "$str" in d:
        return d["$str"]
    return d


def _decode(text: str) -> Any:
    return json.loads(text, object_hook=_hook)


def _scan(folder: str, prefix: str) -> Iterator[tuple[str, os.stat_result]]:
    """(path relative to the vault, stat) of every .md file below `folder`, skipping dot-folders
    and links. Plain strings, no Path objects: this runs for every note on every run."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.is_symlink():
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _scan(entry.path, f"{prefix}{entry.name}/")
        elif entry.name.endswith(".md") and entry.is_file(follow_symlinks=False):
            yield f"{prefix}{entry.name}", entry.stat(follow_symlinks=False)


TABLES = ("notes", "entities")


def _open_cache(vault: Path) -> sqlite3.Connection | None:
    state = vault / ".triage"
    try:
        state.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(state / "catalog.sqlite", timeout=5)
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if row is None or row[0] != str(CACHE_VERSION):
            for table in TABLES:
                db.execute(f"DROP TABLE IF EXISTS {table}")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (str(CACHE_VERSION),))
        for table in TABLES:
            db.execute(
                f"CREATE TABLE IF NOT EXISTS {table} (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, "
                "props TEXT, problem TEXT)"
            )
        return db
    except (OSError, sqlite3.Error):
        return None  # a read-only vault or a broken cache: read every file instead


def load_notes(vault: Path, use_cache: bool = True) -> list[Record]:
    """Every note under `notes/`, sorted by path; from the cache where the file is unchanged."""
    return load_catalog(vault, use_cache)[0]


def load_catalog(vault: Path, use_cache: bool = True) -> tuple[list[Record], list[dict[str, Any]]]:
    """(every note, sorted by path; the properties before and after of every note that is new,
    changed or gone since the cache last saw the vault). The second list tells which index pages
    the user's edits touch."""
    return _load_folder(vault, NOTES_DIR, "notes", use_cache)


def _load_folder(
    vault: Path, folder: str, table: str, use_cache: bool
) -> tuple[list[Record], list[dict[str, Any]]]:
    files = sorted(_scan(str(vault / folder), f"{folder}/"))
    db = _open_cache(vault) if use_cache else None
    cached: dict[str, tuple[int, int, str, str | None]] = {}
    if db is not None:
        with contextlib.suppress(sqlite3.Error):
            cached = {
                row[0]: row[1:]
                for row in db.execute(f"SELECT path, size, mtime_ns, props, problem FROM {table}")
            }
    out, fresh = [], []
    changed: list[dict[str, Any]] = []
    for rel, st in files:
        hit = cached.get(rel)
        if hit is not None and hit[0] == st.st_size and hit[1] == st.st_mtime_ns:
            props, problem = _decode(hit[2]), hit[3]
        else:
            props, problem = read_frontmatter(vault / rel)
            fresh.append((rel, st.st_size, st.st_mtime_ns, json.dumps(_encode(props)), problem))
            changed.append(props)
            if hit is not None:
                changed.append(_decode(hit[2]))
        out.append(Record(rel, props, problem, st.st_mtime, st.st_size, st.st_mtime_ns))
    gone = set(cached) - {rel for rel, _ in files}  # deleted files
    changed += [_decode(cached[rel][2]) for rel in gone]
    if db is not None:
        try:
            with db:
                db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?, ?, ?)", fresh)
                db.executemany(f"DELETE FROM {table} WHERE path = ?", [(p,) for p in gone])
        except sqlite3.Error:
            pass
        finally:
            db.close()
    return out, changed


def load_entity_pages(vault: Path) -> list[EntityPage]:
    """Every entity page's name (its file name), type and aliases, cached like the notes."""
    out = []
    for r in _load_folder(vault, ENTITIES_DIR, "entities", True)[0]:
        if r.problem:
            continue
        aliases = r.props.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [aliases]
        out.append(
            EntityPage(
                r.stem,
                str(r.props.get("type") or "unknown"),
                [str(a) for a in aliases if isinstance(a, (str, int))],
            )
        )
    return out
