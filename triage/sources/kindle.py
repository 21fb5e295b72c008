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
- Cost: linear in the file (n log n for the notes): passages meet through a location index
  (`_Kept`), notes their highlight through a sweep (`_note_targets`), each day's date is parsed once.
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
    blank = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    lines, first = lines[blank:], first + blank
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


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def _overlap(old: _Entry, new: _Entry) -> bool:
    """Their locations overlap (both located), else they are on the same page."""
    if old.start is not None and new.start is not None:
        return not ((old.end or old.start) < new.start or (new.end or new.start) < old.start)
    return old.page == new.page


BUCKET = 16
"""Locations per bucket of the passage index."""
SPAN_BUCKETS = 8
"""A highlight is filed under at most this many buckets (its first and last when it spans more)."""
RECENT = 64
"""A highlight is compared with at most this many earlier ones per bucket (the latest)."""


class _Kept:
    """The highlights kept so far, indexed by location bucket and by page, so a new entry meets
    only the few it may extend: O(RECENT * SPAN_BUCKETS) per entry, linear in the file, instead of
    comparing each entry with every kept highlight (100,000 entries took 65 s, quadratic). Exact
    for highlights spanning up to BUCKET * SPAN_BUCKETS locations with fewer than RECENT others
    in the same buckets: every real device's file."""

    def __init__(self) -> None:
        self.slots: list[_Entry] = []
        self.slot: dict[int, int] = {}  # id(entry) -> its slot, for the live ones
        self.folded: dict[int, str] = {}
        self.index: dict[tuple[str, Any], list[_Entry]] = {}

    @staticmethod
    def _keys(e: _Entry, lookup: bool = False) -> list[tuple[str, Any]]:
        """Where an entry is filed (or, `lookup`, where the ones it may extend are): located
        entries by location bucket (and page, for unlocated ones to find), others by page."""
        if e.start is None:
            return [("page", e.page), ("located page", e.page)] if lookup else [("page", e.page)]
        first, last = e.start // BUCKET, (e.end or e.start) // BUCKET
        buckets = range(first, last + 1) if last - first < SPAN_BUCKETS else (first, last)
        return [("loc", b) for b in buckets] + [("page", e.page) if lookup else ("located page", e.page)]

    def twin(self, new: _Entry) -> _Entry | None:
        """The first kept highlight `new` extends or repeats, if any: their locations overlap
        (`_overlap`) and one text holds the other."""
        seen: set[int] = set()
        folded = _folded(new.text)
        best: tuple[int, _Entry] | None = None
        for key in self._keys(new, lookup=True):
            for old in self.index.get(key, [])[-RECENT:]:
                slot = self.slot.get(id(old))
                if slot is None or id(old) in seen or (best and best[0] < slot):
                    continue
                seen.add(id(old))
                a = self.folded[id(old)]
                if _overlap(old, new) and (a in folded or folded in a):
                    best = (slot, old)
        return best[1] if best else None

    def add(self, entry: _Entry, replacing: _Entry | None = None) -> None:
        if replacing is None:
            self.slots.append(entry)
            self.slot[id(entry)] = len(self.slots) - 1
        else:
            slot = self.slot.pop(id(replacing))
            self.slots[slot] = entry
            self.slot[id(entry)] = slot
        self.folded[id(entry)] = _folded(entry.text)
        for key in self._keys(entry):
            bucket = self.index.setdefault(key, [])
            bucket.append(entry)
            if len(bucket) > 4 * RECENT:  # drop what no lookup reads any more
                del bucket[:-RECENT]


def _note_targets(notes: list[_Entry], kept: list[_Entry]) -> list[_Entry | None]:
    """For each note, the highlight it belongs to: the last kept one that ends at its location, else
    the last whose range holds it, else (no location) the last on its page. O((n + m) log n): a
    sweep over the locations with a heap, instead of every note against every highlight."""
    import heapq

    ends: dict[int, int] = {}
    pages: dict[str, int] = {}
    for i, h in enumerate(kept):
        if h.end is not None:
            ends[h.end] = i
        if h.page:
            pages[h.page] = i
    holding: dict[int, int] = {}  # note -> kept index of the last highlight whose range holds it
    located = sorted((n.start, j) for j, n in enumerate(notes) if n.start is not None)
    ranges = sorted((h.start, h.end or h.start, i) for i, h in enumerate(kept) if h.start is not None)
    heap: list[tuple[int, int]] = []  # (-kept index, range end)
    r = 0
    for at_loc, j in located:
        while r < len(ranges) and ranges[r][0] <= at_loc:
            heapq.heappush(heap, (-ranges[r][2], ranges[r][1]))
            r += 1
        while heap and heap[0][1] < at_loc:  # ends before this note: before every later one too
            heapq.heappop(heap)
        if heap:
            holding[j] = -heap[0][0]
    out: list[_Entry | None] = []
    for j, note in enumerate(notes):
        if note.start is not None:
            at = ends.get(note.start, holding.get(j))
        else:
            at = pages.get(note.page) if note.page else None
        out.append(kept[at] if at is not None else None)
    return out


def _highlights(book: _Book) -> list[Highlight]:
    index = _Kept()
    for entry in book.entries:
        if entry.kind in ("highlight", "clip"):
            twin = index.twin(entry)
            if twin is None:
                index.add(entry)
            elif len(entry.text) > len(twin.text):  # extended on the device: keep the longer
                index.add(entry, replacing=twin)
    kept = index.slots
    notes: dict[int, dict[str, None]] = {}
    orphans: list[_Entry] = []
    book_notes = [e for e in book.entries if e.kind == "note"]
    for entry, target in zip(book_notes, _note_targets(book_notes, kept), strict=True):
        if target is None:
            orphans.append(entry)
        else:
            notes.setdefault(id(target), {})[entry.text] = None
    order = sorted([*kept, *orphans], key=lambda e: e.line)
    return [
        Highlight(e.text, "\n".join(notes.get(id(e), {})), [], e.where())
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
