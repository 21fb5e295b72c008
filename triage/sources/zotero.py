"""Zotero: a PDF's annotations note ("Add Note from Annotations"), exported to Markdown.

Layout:

    # Annotations
    (3/5/2024, 9:14:07 PM)                  (the export time, in the user's locale)

    “<text>” ([<Authors>, <year>, p. <n>](zotero://select/...)) ([pdf](zotero://open-pdf/...)) <comment>

    ([<Authors>, <year>, p. <n>](zotero://select/...)) <comment>      (a note annotation)

Recognised by its citation links: `([<Authors>, <year>...](zotero://...))`.

- The paper's title is not in the file: title = the file name, unless that is a generic export
  name (`Annotations`, `Annotations (3-5-2024...)`, `Note`, `Untitled`, `Exported Items`), then
  "<Authors> (<year>)" from the first citation. Never "Annotations".
- author: the citation's authors ("Raman and Okafor" -> "Raman, Okafor"; "Raman et al." stays).
- captured_date: the export time. US-style `M/D/YYYY` when it has AM/PM; a 24-hour time with
  slashes is read day first (`05/03/2024, 21:14:07`); `D.M.YYYY` day first; ISO as it is.
- published_date: left empty: the citation gives only a year, and the schema wants a full date
  (the year stays visible in the kept body and, for generic names, in the title).
- format `paper`; no url (zotero:// links are not web addresses).
- Highlights: the quoted text, comment = the reader's note, location = "page <n>". A note
  annotation (comment without highlighted text) is a highlight with no text and that note.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..note import Highlight
from ..text import strip_inline
from .base import Document, Item, SourceReader
from .common import highlights_item, person_names
from .evidence import body, folder, host, key

_CITE = r"\(\[(?P<cite>[^\]]*?,\s*(?:\d{4}|n\.d\.)[^\]]*)\]\(zotero://[^)\s]*\)\)"
_PDF = r"(?:\s*\(\[pdf\]\(zotero://[^)\s]*\)\))?"
_HIGHLIGHT = re.compile(r"^[“\"](?P<text>.*)[”\"]\s*" + _CITE + _PDF + r"\s*(?P<comment>.*)$")
_NOTE = re.compile(r"^" + _CITE + _PDF + r"\s*(?P<comment>.*)$")
_CITATION = re.compile(r"^(?P<authors>.+?),\s*(?P<year>\d{4}|n\.d\.)(?:,\s*pp?\.\s*(?P<page>[\w–-]+))?")
_GENERIC = re.compile(r"^(?:annotations?|notes?|untitled|exported items|zotero)\b", re.I)
_STAMP = re.compile(
    r"^\(?\s*(?P<a>\d{1,4})[/.-](?P<b>\d{1,2})[/.-](?P<c>\d{2,4}),?\s*(?P<time>[\d:]+)?\s*(?P<ampm>[AP]\.?M\.?)?",
    re.I,
)


CLUES = (
    host("zotero://", 3),
    body("a `[!cite]` callout", 2, r"^>\s*\[!cite\]", re.M | re.I),
    body(
        "colour-named highlight callouts",
        2,
        r"^>\s*\[![\w|#-]+\]\s*(?:Yellow|Red|Green|Blue|Purple|Magenta|Orange|Gray|Grey)\s+Highlight",
        re.M | re.I,
    ),
    key("a citekey", 2, "citekey"),
    body("an Extracted Annotations heading", 1, r"^#{1,6}\s+(?:Extracted )?Annotations\b", re.M | re.I),
    folder("a Zotero folder", 2, r"zotero|mdnotes"),
)
"""The traces a Zotero export (the annotations note, mdnotes, Zotero Integration) leaves."""


def detect(doc: Document) -> bool:
    return bool(re.search(_CITE, doc.body))


def export_date(line: str) -> dt.date | None:
    """The export time line in the user's locale (see the module's docstring for the rule)."""
    m = _STAMP.match(line.strip())
    if not m:
        return None
    a, b, c = int(m.group("a")), int(m.group("b")), int(m.group("c"))
    sep = line.strip().lstrip("(").lstrip()[len(m.group("a"))]
    if len(m.group("a")) == 4:
        year, month, day = a, b, c
    elif sep == "." or (sep == "/" and not m.group("ampm") and m.group("time")) or a > 12:
        day, month, year = a, b, c
    else:
        month, day, year = a, b, c
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _annotations(
    lines: list[str], first_line: int
) -> tuple[list[Highlight], list[str], list[dict[str, str]]]:
    highlights: list[Highlight] = []
    reasons: list[str] = []
    cites: list[dict[str, str]] = []
    for i, raw in enumerate(lines):
        line = raw.strip()
        m = _HIGHLIGHT.match(line) or _NOTE.match(line)
        if not m:
            if line.startswith(("“", '"')) or "zotero://" in line:
                reasons.append(f"read: zotero: line {first_line + i} is not a complete annotation; skipped")
            continue
        cite = _CITATION.match(m.group("cite").strip())
        fields = cite.groupdict(default="") if cite else {"authors": "", "year": "", "page": ""}
        cites.append(fields)
        text = strip_inline(m.groupdict().get("text") or "")
        comment = strip_inline(m.group("comment"))
        location = f"page {fields['page']}" if fields["page"] else ""
        if text or comment:
            highlights.append(Highlight(text, comment, [], location))
    return highlights, reasons, cites


def _meta(doc: Document, cites: list[dict[str, str]], stamp: dt.date | None) -> dict[str, Any]:
    meta: dict[str, Any] = {"format": "paper"}
    authors = next((c["authors"] for c in cites if c["authors"]), "")
    year = next((c["year"] for c in cites if c["year"]), "")
    stem = doc.path.stem.strip()
    if stem and not _GENERIC.match(stem):
        meta["title"] = stem
    elif authors:
        meta["title"] = f"{authors} ({year})" if year else authors
    if author := person_names(authors):
        meta["author"] = author
    if stamp:
        meta["captured_date"] = stamp
    return meta


def read(doc: Document) -> list[Item]:
    lines = doc.body.split("\n")
    before_body = doc.text[: len(doc.text) - len(doc.body)].count("\n")
    stamp = next((d for ln in lines[:6] if (d := export_date(ln))), None)
    highlights, reasons, cites = _annotations(lines, before_body + 1)
    if not highlights:
        reasons.append("read: zotero: no annotation could be read")
    meta = _meta(doc, cites, stamp)
    if "title" not in meta:
        meta["title"] = doc.path.stem
    return [highlights_item(doc.body, meta, highlights, reasons)]


READER = SourceReader("zotero", "Zotero annotations note", (".md", ".markdown"), detect, read, clues=CLUES)
