"""A Kindle's own `My Clippings.txt`: every book the reader highlighted, one capture per book.

Layout (UTF-8 with a BOM, CRLF; the registry has already removed the BOM and the CRs):

    <Book title> (<Author>)
    - Your Highlight on page 27 | Location 410-412 | Added on Tuesday, March 5, 2024 9:14:07 PM

    <text>
    ==========

Recognised by its structure: `==========` separators and a kind line (`- Your Highlight|Note|Bookmark
...`; older devices: `- Highlight Loc. 410-12 | ...`) right after a title line. The kind line is
in the device's language (`- Deine Markierung auf Seite 27 | bei Position 410-412 | Hinzugefügt
am ...`, `- 27ページ|位置No. 410-412のハイライト |作成日: ...`): the words of English, German, Spanish,
French, Italian, Portuguese (Brazil), Dutch, Russian, Japanese and Chinese devices are tables in
`kindle_locales.py`, and each entry is read in its own language (a reader may switch languages).

- Title and author: the author is the LAST parenthesised group of the first line (titles hold
  parentheses: `(2nd Edition)`); `Last, First` and `A; B` become `First Last, ...`
  (`common.person_names`), so the same book from the Kindle plugin or Readwise matches.
- Highlights in the file's order. A highlight extended on the device leaves the shorter entry
  too: of two highlights with overlapping locations where one text holds the other, the longer
  is kept. A Note belongs to the highlight that ends at its location (else the one whose range
  holds it); a note no highlight fits is kept as a highlight with no text and that note.
  Bookmarks carry no text and are dropped. The clipping-limit placeholder is dropped.
- `captured_date` is the newest "Added on" date of the book's entries, each read in its language
  (when the reader last highlighted it); "Added on" is never the publication date, and the file
  has none.
- A malformed entry is skipped with a reason naming its line; the rest is read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import CaptureError
from ..note import Highlight
from .base import Document, Item, SourceReader
from .common import clean_title, person_names
from .kindle_locales import added_date, is_limit_placeholder, kind_of, where

SEPARATOR = "=========="
_AUTHOR = re.compile(r"^(.*\S)\s*\(((?:[^()]|\([^()]*\))*)\)\s*$")


def _lines(doc: Document) -> list[str]:
    return [line.lstrip("\ufeff").rstrip() for line in doc.text.split("\n")]


def detect(doc: Document) -> bool:
    lines = _lines(doc)
    if not any(line == SEPARATOR for line in lines):
        return False
    # a kind line right after a title line that starts the file or follows a separator
    return any(
        kind_of(lines[i]) and lines[i - 1].strip() and (i == 1 or lines[i - 2] == SEPARATOR)
        for i in range(1, min(len(lines), 2000))
    )


@dataclass
class _Entry:
    line: int  # 1-based line of the title
    kind: str
    text: str
    page: str = ""
    start: int | None = None
    end: int | None = None
    added: dt.date | None = None

    def where(self) -> str:
        parts = []
        if self.page:
            parts.append(f"page {self.page}")
        if self.start is not None:
            loc = str(self.start) if self.end in (None, self.start) else f"{self.start}-{self.end}"
            parts.append(f"location {loc}")
        return ", ".join(parts)


@dataclass
class _Book:
    title: str
    author: str | None
    entries: list[_Entry] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def _split_title(line: str) -> tuple[str, str | None]:
    m = _AUTHOR.match(line)
    if not m:
        return clean_title(line), None
    return clean_title(m.group(1)), person_names(m.group(2))


def _parse(lines: list[str], first: int) -> _Entry | str:
    """One entry (lines without the separator) starting at 1-based line `first`, or why not."""
    while lines and not lines[0].strip():
        lines, first = lines[1:], first + 1
    if not lines:
        return ""
    if len(lines) < 2:
        return f"entry at line {first} has a title line but no Highlight/Note/Bookmark line"
    found = kind_of(lines[1])
    if not found:
        return f"entry at line {first}: line {first + 1} is not a '- Your Highlight/Note/Bookmark' line"
    kind, lang = found
    page, start, end = where(lines[1], lang)
    text = " ".join(t.strip() for t in lines[2:] if t.strip())
    return _Entry(first, kind, text, page, start, end, added_date(lines[1], lang))


def _same_passage(old: _Entry, new: _Entry) -> bool:
    """`new` extends (or repeats) `old`: their locations overlap and one text holds the other."""
    if old.start is not None and new.start is not None:
        if (old.end or old.start) < new.start or (new.end or new.start) < old.start:
            return False
    elif old.page != new.page:
        return False
    a, b = " ".join(old.text.casefold().split()), " ".join(new.text.casefold().split())
    return a in b or b in a


def _note_target(note: _Entry, kept: list[_Entry]) -> _Entry | None:
    highlights = [h for h in kept if h.kind != "note"]
    if note.start is not None:
        for test in (
            lambda h: h.end == note.start,
            lambda h: h.start is not None and h.start <= note.start <= (h.end or h.start),
        ):
            found = [h for h in highlights if test(h)]
            if found:
                return found[-1]
        return None
    found = [h for h in highlights if note.page and h.page == note.page]
    return found[-1] if found else None


def _highlights(book: _Book) -> list[Highlight]:
    kept: list[_Entry] = []
    for entry in book.entries:
        if entry.kind in ("highlight", "clip"):
            twin = next((k for k in kept if k.kind != "note" and _same_passage(k, entry)), None)
            if twin is None:
                kept.append(entry)
            elif len(entry.text) > len(twin.text):  # extended on the device: keep the longer
                kept[kept.index(twin)] = entry
    notes: dict[int, list[str]] = {}
    orphans: list[_Entry] = []
    for entry in book.entries:
        if entry.kind != "note":
            continue
        target = _note_target(entry, kept)
        if target is None:
            orphans.append(entry)
        elif entry.text not in notes.setdefault(id(target), []):
            notes[id(target)].append(entry.text)
    order = sorted([*kept, *orphans], key=lambda e: e.line)
    return [
        Highlight(e.text, "\n".join(notes.get(id(e), [])), [], e.where())
        if e.kind != "note"
        else Highlight("", e.text, [], e.where())
        for e in order
    ]


def _body(highlights: list[Highlight]) -> str:
    out = []
    for h in highlights:
        where = f" ({h.location})" if h.location else ""
        out.append(f"- {h.text}{where}" if h.text else f"- Note{where}: {h.note}")
        if h.text and h.note:
            out.append(f"    - Note: {h.note}")
    return "\n".join(out) + "\n"


def _add(book: _Book, entry: _Entry, cut: bool) -> None:
    if cut:
        book.reasons.append(
            f"read: kindle: the file ends inside the entry at line {entry.line} "
            f"(no closing {SEPARATOR}): read as far as it goes"
        )
    if entry.kind in ("highlight", "clip") and is_limit_placeholder(entry.text):
        book.reasons.append(f"read: kindle: line {entry.line}: clipping-limit placeholder dropped")
    elif entry.kind != "bookmark" and not entry.text:
        book.reasons.append(f"read: kindle: {entry.kind} at line {entry.line} has no text; skipped")
    else:
        book.entries.append(entry)


def _books(lines: list[str]) -> tuple[list[_Book], list[str]]:
    """The books in the file, in order of first appearance, and reasons about entries no book
    can be named for."""
    books: dict[tuple[str, str | None], _Book] = {}
    loose: list[str] = []
    chunk: list[str] = []
    first = 1
    for i, line in enumerate([*lines, None], start=1):
        if line is not None and line != SEPARATOR:
            chunk.append(line)
            continue
        entry = _parse(chunk, first)
        head = next((c for c in chunk if c.strip()), "")
        title, author = _split_title(head) if head else ("", None)
        cut = line is None and bool(head)
        if cut and isinstance(entry, str):
            entry = f"{entry} (the file ends there, without {SEPARATOR}: cut off?)"
        if isinstance(entry, _Entry) and not title:
            entry = f"entry at line {first} has no book title"
        if isinstance(entry, _Entry):
            _add(books.setdefault((title, author), _Book(title, author)), entry, cut)
        elif entry:
            target = books.get((title, author))
            (target.reasons if target else loose).append(f"read: kindle: {entry}; skipped")
        chunk, first = [], i + 1
    return list(books.values()), loose


def _item(book: _Book, highlights: list[Highlight]) -> Item:
    meta: dict[str, Any] = {"title": book.title, "format": "book", "platform": "kindle"}
    if book.author:
        meta["author"] = book.author
    dates = [e.added for e in book.entries if e.added]
    if dates:
        meta["captured_date"] = max(dates)
    texts = [h.text for h in highlights if h.text] or [h.note for h in highlights]
    return Item(
        body=_body(highlights),
        content="\n\n".join(texts) + "\n",
        meta=meta,
        highlights=highlights,
        reasons=list(book.reasons),
    )


def read(doc: Document) -> list[Item]:
    books, loose = _books(_lines(doc))
    items = []
    for book in books:
        highlights = _highlights(book)
        if highlights:
            items.append(_item(book, highlights))
        else:  # bookmarks only: nothing to keep
            loose.extend(f"{r} ({book.title})" for r in book.reasons)
    if not items:
        why = "; ".join(loose[:3]) if loose else "only bookmarks, which hold no text"
        raise CaptureError(
            f"no highlight or note could be read ({why})",
            "check the file is a complete My Clippings.txt from the device",
        )
    items[0].reasons[:0] = loose
    return items


READER = SourceReader("kindle", "Kindle My Clippings.txt", (".txt",), detect, read)
