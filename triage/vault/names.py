"""File and page names that are safe everywhere and unique across the vault.

- Note files: `YYYYMMDD-<platform>_<format>-<slug>[-@creator].md` (the triaged seed's pattern),
  ASCII only, at most 120 characters, unique case-insensitively (a `-2`, `-3`... before `.md`).
- Page names (entities, topics...): any Unicode letters, but none of the characters that break
  files or links on Windows, macOS, Linux, Android or iOS (`\\ / : * ? " < > | # ^ [ ] %`), no
  trailing dot or space, no Windows device names (CON, NUL, COM1...).
"""

from __future__ import annotations

import re
import unicodedata

from ..text import slugify

MAX_NAME = 120
_ILLEGAL = re.compile(r'[\\/:*?"<>|#^\[\]%\x00-\x1f\x7f]')
_DEVICE = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.I)


def safe_page_name(name: str, max_len: int = 100) -> str:
    """A page name (without .md) safe as a file name and inside [[...]]."""
    name = unicodedata.normalize("NFC", name)
    name = _ILLEGAL.sub(" ", name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".")
    if len(name) > max_len:
        name = name[:max_len].rsplit(" ", 1)[0]
    name = name.rstrip(". ")
    if not name:
        return "Unnamed"
    if _DEVICE.match(name):
        name = f"{name} (page)"
    return name


def note_filename(date: str, platform: str, format_: str, title: str, creator: str | None) -> str:
    """The seed's pattern; `date` is YYYYMMDD. Always ASCII and at most MAX_NAME characters."""
    head = f"{date}-{slugify(platform, '-', 20) or 'unknown'}_{slugify(format_, '-', 20) or 'note'}-"
    tail = ""
    if creator:
        handle = re.sub(r"[^A-Za-z0-9_]", "", creator)[:30]
        tail = f"-@{handle}" if handle else ""
    budget = MAX_NAME - len(head) - len(tail) - len(".md") - 3  # room for a -NN suffix
    slug = slugify(title, "_", max(budget, 10)) or "untitled"
    name = f"{head}{slug}{tail}"
    if _DEVICE.match(name):
        name = "note-" + name
    return name + ".md"


def unique(name: str, taken: set[str]) -> str:
    """`name` or `name` with -2, -3... before the extension, not in `taken` (case-insensitive).
    Adds the result to `taken`."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate = name
    n = 2
    while candidate.casefold() in taken:
        candidate = f"{stem}-{n}.{ext}" if ext else f"{stem}-{n}"
        n += 1
    taken.add(candidate.casefold())
    return candidate
