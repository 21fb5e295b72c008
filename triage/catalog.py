"""What the vault holds now: its notes (by their frontmatter) and its entity pages.

The notes are the source of truth. The catalog is read at the start of a run (for duplicate
detection, ids and names) and by `reindex`/`validate`; the index pages are built from it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CaptureError
from .reader import split_frontmatter

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

    @property
    def stem(self) -> str:
        return Path(self.path).stem

    def get(self, key: str, default: Any = None) -> Any:
        return self.props.get(key, default)

    def strings(self, key: str) -> list[str]:
        value = self.props.get(key)
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value] if isinstance(value, list) else []

    @property
    def title(self) -> str:
        aliases = self.strings("aliases")
        return aliases[0] if aliases else str(self.props.get("title") or self.stem)

    @property
    def date(self) -> dt.date | None:
        value = self.props.get("captured_date")
        if isinstance(value, dt.datetime):
            return value.date()
        return value if isinstance(value, dt.date) else None

    @property
    def entities(self) -> list[str]:
        return [link_target(e) for e in self.strings("entities")]


@dataclass
class EntityPage:
    name: str
    type: str
    aliases: list[str]


def _md_files(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        for path in sorted(folder.rglob("*.md")):
            if (
                not any(part.startswith(".") for part in path.relative_to(folder).parts)
                and not path.is_symlink()
            ):
                yield path


def read_frontmatter(path: Path) -> tuple[dict[str, Any], str | None]:
    try:
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError) as exc:
        return {}, f"cannot read: {exc}"
    try:
        props, _ = split_frontmatter(text)
    except CaptureError as exc:
        where = f" ({exc.location()})" if exc.line else ""
        return {}, f"{exc.message}{where}"
    return dict(props), None


def load_notes(vault: Path) -> list[Record]:
    out = []
    for path in _md_files(vault / NOTES_DIR):
        props, problem = read_frontmatter(path)
        out.append(Record(path.relative_to(vault).as_posix(), props, problem, path.stat().st_mtime))
    return out


def load_entity_pages(vault: Path) -> list[EntityPage]:
    out = []
    for path in _md_files(vault / ENTITIES_DIR):
        props, problem = read_frontmatter(path)
        if problem:
            continue
        aliases = props.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [aliases]
        out.append(
            EntityPage(
                path.stem,
                str(props.get("type") or "unknown"),
                [str(a) for a in aliases if isinstance(a, (str, int))],
            )
        )
    return out
