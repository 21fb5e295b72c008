"""Zotero: a PDF's annotations note ("Add Note from Annotations"), exported to Markdown.

Layout:

    # Annotations
    (3/5/2024, 9:14:07 PM)                  (the export time, in the user's locale)

    “<text>” ([<Authors>, <year>, p. <n>](zotero://select/...)) ([pdf](zotero://open-pdf/...)) <comment>

    ([<Authors>, <year>, p. <n>](zotero://select/...)) <comment>      (a note annotation)

Recognised by its citation links: `([<Authors>, <year>...](zotero://...))`, or by `CLUES`
(`zotero://` links, `[!cite]` and colour-named highlight callouts, a `citekey`).

Also read: mdnotes / ZotFile (`# <title>`, a Metadata list with `Authors:`, `Date:`, `URL:`;
`"<text>" ([Author et al 2017:607](zotero://...))`; `<comment> ([note on p.611](zotero://...))`;
`## Extracted Annotations (<date>)`) and Zotero Integration (frontmatter `title`, `authors`, `DOI`,
`url`; `>[!quote|#ffd400] Yellow Highlight` callouts with `[Page n](zotero://...)`, a following
`>[!note] Comment` callout as the note, `Import Date` as the export time). When the template states
them, its title, authors, URL (or `https://doi.org/<DOI>`) and full publication date win.

- The default export holds no title: title = the file name, unless that is a generic export
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
from .common import highlights_item, person_names, plain, tool_extra, wikilink_names
from .evidence import body, folder, host, key, labelled

_CITE = r"\(\[(?P<cite>[^\]]*?,?\s+(?:\d{4}|n\.d\.)[^\]]*)\]\(zotero://[^)\s]*\)\)"
_PDF = r"(?:\s*\(\[pdf\]\(zotero://[^)\s]*\)\))?"
_HIGHLIGHT = re.compile(r"^[“\"](?P<text>.*)[”\"]\s*" + _CITE + _PDF + r"\s*(?P<comment>.*)$")
_NOTE = re.compile(r"^" + _CITE + _PDF + r"\s*(?P<comment>.*)$")
_CITATION = re.compile(
    r"^(?P<authors>.+?),?\s+(?P<year>\d{4}|n\.d\.)(?:(?:,\s*pp?\.\s*|:)(?P<page>[\w–-]+))?"
)
_NOTE_ON = re.compile(r"^(?P<comment>.+?)\s*\(\[note on p\.?\s*(?P<page>[\w–-]+)\]\(zotero://[^)\s]*\)\)\s*$")
_CALLOUT = re.compile(r"^>\s*\[!(?P<type>[\w-]+)(?:\|[^\]]*)?\][+-]?\s*(?P<title>.*)$")
_PAGE_LINK = re.compile(r"\[(?:Page|p\.)\s*(?P<page>[\w–-]+)\]\(zotero://[^)\s]*\)", re.I)
_FIELDS = ("title", "authors", "author", "url", "doi", "date", "year", "date added", "import date")
_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})")
_GENERIC = re.compile(r"^(?:(?:extracted )?annotations?|notes?|untitled|exported items|zotero)\b", re.I)
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
        if on := _NOTE_ON.match(line):  # mdnotes/zotfile: a comment, then its page link
            page = f"page {on.group('page')}"
            highlights.append(Highlight("", strip_inline(on.group("comment")), [], page))
            continue
        m = _HIGHLIGHT.match(line) or _NOTE.match(line)
        if not m:
            if line.startswith(">"):
                continue  # a callout line (Zotero Integration): read by _callouts
            if line.startswith(("“", '"', "([")):  # links in metadata lists are no annotations
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


def _callouts(lines: list[str]) -> list[Highlight]:
    """Zotero Integration's annotation callouts: `>[!quote|#ffd400] Yellow Highlight` with the text
    and a `[Page n](zotero://...)` link; a `[!note]` / Comment callout after one is its note.
    `[!cite]`, `[!info]` and other callouts are metadata, not highlights."""
    out: list[Highlight] = []
    kind, body = "", list[str]()

    def close() -> None:
        text = " ".join(_PAGE_LINK.sub("", ln).strip() for ln in body).strip()
        page = next((m.group("page") for ln in body if (m := _PAGE_LINK.search(ln))), "")
        if kind == "highlight" and text:
            out.append(Highlight(strip_inline(text), "", [], f"page {page}" if page else ""))
        elif kind == "note" and text and out:
            out[-1] = Highlight(out[-1].text, strip_inline(text), out[-1].tags, out[-1].location)

    for raw in [*lines, ""]:
        line = raw.strip()
        if m := _CALLOUT.match(line):
            close()
            title = m.group("title").lower()
            kinds = {"quote": "highlight", "highlight": "highlight", "note": "note", "comment": "note"}
            kind = "highlight" if "highlight" in title else kinds.get(m.group("type").lower(), "")
            kind = "note" if "comment" in title else kind
            body = []
        elif line.startswith(">") and kind:
            body.append(line[1:].strip())
        else:
            close()
            kind, body = "", []
    return out


def _stated(doc: Document) -> dict[str, str]:
    """What the template states about the work: the frontmatter, then labelled lines (mdnotes'
    `* Authors: [[...]]` list, Zotero Integration's `**Title**:: ...` callouts)."""
    fields = {str(k).lower(): v for k, v in doc.frontmatter.items() if v not in (None, "", [])}
    out = {k: (", ".join(map(str, v)) if isinstance(v, list) else str(v)) for k, v in fields.items()}
    for name, value in labelled(doc.body.split("\n")[:80], _FIELDS).items():
        out.setdefault(name, value)
    return out


def _meta(doc: Document, cites: list[dict[str, str]], stamp: dt.date | None) -> dict[str, Any]:
    meta: dict[str, Any] = {"format": "paper"}
    stated = _stated(doc)
    authors = next((c["authors"] for c in cites if c["authors"]), "")
    year = next((c["year"] for c in cites if c["year"]), "")
    stem = doc.path.stem.strip()
    heading = next((plain(m.group(1)) for m in re.finditer(r"^#\s+(.+?)\s*$", doc.body, re.M)), "")
    if title := plain(stated.get("title", "")):
        meta["title"] = title
    elif heading and not _GENERIC.match(heading):
        meta["title"] = heading
    elif stem and not _GENERIC.match(stem):
        meta["title"] = stem
    elif authors:
        meta["title"] = f"{authors} ({year})" if year else authors
    named = stated.get("authors") or stated.get("author") or ""
    named = ", ".join(wikilink_names(named)) or named
    parts = [p.strip() for p in named.split(",") if p.strip()]
    if len(parts) > 1 and all(len(p.split()) > 1 for p in parts):
        named = "; ".join(parts)  # `First Last, First Last`: a list of names, not `Last, First`
    if author := person_names(named) or person_names(authors):
        meta["author"] = author
    url = re.search(r"https?://\S+", stated.get("url", ""))
    if url:
        meta["url"] = url.group(0).rstrip(")>]")
    elif doi := stated.get("doi", "").strip():
        meta["url"] = f"https://doi.org/{doi}"
    if day := _DAY.search(stated.get("date", "")):
        meta["published_date"] = day.group(1)
    found = stamp or _export_day(doc.body) or stated.get("date added") or stated.get("import date")
    if found:
        day = _DAY.search(str(found))
        meta["captured_date"] = day.group(1) if day else found
    return meta


def _export_day(body: str) -> str | None:
    """When the annotations were exported: `## Extracted Annotations (2021-03-04)` (mdnotes) or
    `%% Import Date: 2024-03-05T... %%` (Zotero Integration)."""
    m = re.search(r"^#{1,6}\s+Extracted Annotations\s*\((\d{4}-\d{2}-\d{2})", body, re.M)
    m = m or re.search(r"Import Date:\s*(\d{4}-\d{2}-\d{2})", body)
    return m.group(1) if m else None


def read(doc: Document) -> list[Item]:
    lines = doc.body.split("\n")
    before_body = doc.text[: len(doc.text) - len(doc.body)].count("\n")
    stamp = next((d for ln in lines[:6] if (d := export_date(ln))), None)
    highlights, reasons, cites = _annotations(lines, before_body + 1)
    highlights += _callouts(lines)
    if not highlights:
        reasons.append("read: zotero: no annotation could be read")
    meta = _meta(doc, cites, stamp)
    if "title" not in meta:
        meta["title"] = doc.path.stem
    return [highlights_item(doc.body, meta, highlights, reasons, tool_extra(doc.frontmatter))]


READER = SourceReader("zotero", "Zotero annotations note", (".md", ".markdown"), detect, read, clues=CLUES)
