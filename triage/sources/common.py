"""Small helpers several source readers share.

- `person_names`: an author field as capture tools write it (`Kleppmann, Martin`, `A; B`,
  `A and B`, `[[A]]`) to the form every reader gives: first names first, joined with ", ".
  The same book read from a Kindle's `My Clippings.txt`, the Kindle Highlights plugin or
  Readwise gets the same author this way.
- `book_key`: a loose (title, author) key for telling that two captures are the same book.
- `clean_title`: a title with its whitespace tidied (no other change).
- `metadata_list`: the `- Key: value` / `* Key: value` bullets of a `## Metadata` section.
- `section`: the lines under one markdown heading, with the line number where they start.
- `article_format`: 'article' for a saved web page, unless its address says it is something else.
"""

from __future__ import annotations

import re
import unicodedata

from ..text import strip_inline
from .infer import PLATFORM_FORMAT, platform_for

_SPLIT_NAMES = re.compile(r"\s*;\s*|\s+(?:and|&)\s+", re.I)
_NO_AUTHOR = {"", "unknown", "anonymous", "n/a", "none"}


def person_names(raw: str | None) -> str | None:
    """`Kleppmann, Martin` -> `Martin Kleppmann`; `Doe, Jane; Roe, Rick` and `Jane Doe and
    Rick Roe` -> `Jane Doe, Rick Roe`; wikilinks and markdown links keep their text. A part with
    exactly one comma is `Last, First` (the Kindle convention); one with several is left as it is.
    None when there is no name (empty, `Unknown`)."""
    if raw is None:
        return None
    text = strip_inline(str(raw)).strip().strip(",;")
    names = []
    for part in _SPLIT_NAMES.split(text):
        part = re.sub(r"\s+", " ", part).strip(" ,")
        if part.casefold() in _NO_AUTHOR:
            continue
        if part.count(",") == 1:
            last, first = (p.strip() for p in part.split(","))
            if first and last and not re.fullmatch(r"(?i)jr\.?|sr\.?|phd|md|i{1,3}|iv", first):
                part = f"{first} {last}"
        if part not in names:
            names.append(part)
    return ", ".join(names) or None


def clean_title(raw: str) -> str:
    return re.sub(r"\s+", " ", raw).strip()


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return " ".join(re.findall(r"[^\W_]+", "".join(c for c in text if not unicodedata.combining(c))))


def book_key(title: str, author: str | None) -> str:
    """A loose key for "the same book": case, accents, punctuation, a subtitle after ':' and
    parenthesised groups (`(2nd Edition)`, `(Penguin Classics)`) ignored; authors by surname,
    in any order."""
    short = re.sub(r"\([^()]*\)|\[[^\[\]]*\]", " ", title).split(":")[0]
    surnames = sorted(_fold(n).split()[-1] for n in (author or "").split(",") if _fold(n))
    return f"{_fold(short)}|{' '.join(surnames)}"


_BULLET = re.compile(r"^\s*[-*+]\s+([A-Za-z][\w /]*?)\s*:\s*(.*)$")


def metadata_list(lines: list[str]) -> dict[str, str]:
    """`- Author: [Name](url)` lines to {"author": "[Name](url)"}: keys lowercased, values as
    written (the caller strips what it needs). Other lines are ignored; the first of a key wins."""
    out: dict[str, str] = {}
    for line in lines:
        m = _BULLET.match(line)
        if m:
            out.setdefault(m.group(1).strip().lower(), m.group(2).strip())
    return out


def section(lines: list[str], heading: str, level: int = 2) -> tuple[list[str], int] | None:
    """The lines under the first `## heading` (matched case-insensitively), up to the next
    heading of the same or a higher level, and the 0-based index of the first of them; None
    when there is no such heading."""
    marks = "#" * level
    start = None
    for i, line in enumerate(lines):
        m = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        if start is not None and len(m.group(1)) <= level:
            return lines[start:i], start
        if start is None and m.group(1) == marks and m.group(2).casefold() == heading.casefold():
            start = i + 1
    return (lines[start:], start) if start is not None else None


def article_format(url: str | None) -> str | None:
    """'article' for a page saved by a read-later tool, unless its address says better (a video,
    a podcast, a paper, a post on X...): then None, and inference decides from the platform."""
    platform = platform_for(url)
    return None if platform in PLATFORM_FORMAT or platform == "x" else "article"
