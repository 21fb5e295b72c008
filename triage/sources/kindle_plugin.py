"""The Kindle Highlights plugin for Obsidian (hadynz/obsidian-kindle-plugin): one book per file.

Layout:

    ---
    kindle-sync:                      (one nested key: bookId, title, author, asin,
      title: <full title>              lastAnnotatedDate, bookImageUrl, highlightsCount)
      ...
    ---
    # <shortened title>
    ## Metadata
    * Author: [<name>](<amazon search>)
    * ASIN: <asin>
    * Reference: https://www.amazon.com/dp/<asin>
    * [Kindle link](kindle://book?action=open&asin=<asin>)

    ## Highlights
    <text> — location: [<n>](kindle://...) ^ref-<digits>

    <optional note>

    ---

Recognised by the `kindle-sync` frontmatter map, or (frontmatter removed) by highlight lines
ending in `— location: [n](kindle://...)`. The nested map is the plugin's: it never makes the
file quarantined; `asin` (and the `Publisher:` line) are kept on the note.

- Title: the frontmatter's full title (the H1 is shortened); author through
  `common.person_names`, as for `My Clippings.txt`, so the same book matches.
- `url`: the `Reference:` Amazon page (https://www.amazon.com/dp/<asin>): the book's own page,
  the only web address of the book in the file. Never the `kindle://` link.
- `captured_date`: `lastAnnotatedDate` (when the reader last highlighted; never a publication date).
- Highlights without the location link, block id (`^ref-...`) or `—` separator; the paragraph
  after a highlight is the reader's note on it.
"""

from __future__ import annotations

import re
from typing import Any

from ..note import Highlight
from ..text import strip_inline
from .base import Document, Item, SourceReader
from .common import clean_title, highlights_item, metadata_list, person_names
from .evidence import any_section, body, host, key

_MARK = re.compile(
    r"^(?P<text>.*?)\s*—\s*(?P<kind>location|page):\s*(?:\[(?P<n>[^\]]*)\]\([^)]*\)|(?P<m>\S+))"
    r"\s*(?:\^ref-\d+)?\s*$",
    re.I,
)
_REF = re.compile(r"\s*\^ref-\d+\s*$")
_RULE = re.compile(r"^\s*-{3,}\s*$")


CLUES = (
    key("a kindle-sync map", 4, "kindle-sync"),
    host("kindle://", 3),
    body("`— location:` marks", 2, r"—\s*location:\s*\S"),
    body("`^ref-` block ids", 1, r"\^ref-\d+\s*$"),
)
"""The traces the Kindle Highlights plugin leaves in any template (see `evidence`)."""


def detect(doc: Document) -> bool:
    if isinstance(doc.frontmatter.get("kindle-sync"), dict):
        return True
    return bool(re.search(r"—\s*location:\s*\[[^\]]*\]\(kindle://", doc.body))


def _blocks(lines: list[str]) -> list[tuple[int, list[list[str]]]]:
    """The `---`-separated blocks: (index of the block's first line, its paragraphs)."""
    out: list[tuple[int, list[list[str]]]] = []
    paras: list[list[str]] = [[]]
    first = 0
    for i, line in enumerate([*lines, "---"]):
        if _RULE.match(line):
            found = [p for p in paras if p]
            if found:
                out.append((first, found))
            paras, first = [[]], i + 1
        elif not line.strip():
            paras.append([])
        else:
            if not any(paras):
                first = i
            paras[-1].append(line.strip())
    return out


def _highlight(paras: list[list[str]]) -> tuple[Highlight, bool]:
    """(the highlight of one block, whether its `— location:` mark was found). The text runs up
    to the mark; the paragraphs after it are the reader's note."""
    for at, para in enumerate(paras):
        m = _MARK.match(para[-1])
        if m:
            text = " ".join([*(" ".join(p) for p in paras[:at]), *para[:-1], m.group("text")])
            location = f"{m.group('kind').lower()} {m.group('n') or m.group('m')}"
            note = "\n".join(" ".join(p) for p in paras[at + 1 :])
            return Highlight(strip_inline(text), strip_inline(note), [], location), True
    text = _REF.sub("", " ".join(paras[0]))
    note = "\n".join(" ".join(p) for p in paras[1:])
    return Highlight(strip_inline(text), strip_inline(note), [], ""), False


def _highlights(lines: list[str], first_line: int) -> tuple[list[Highlight], list[str]]:
    out: list[Highlight] = []
    reasons: list[str] = []
    for start, paras in _blocks(lines):
        highlight, marked = _highlight(paras)
        if not marked:
            where = first_line + start
            reasons.append(f"read: kindle: highlight at line {where} has no '— location:' link; read as text")
        if highlight.text:
            out.append(highlight)
    return out, reasons


def _meta(doc: Document, sync: dict[str, Any], bullets: dict[str, str]) -> dict[str, Any]:
    meta: dict[str, Any] = {"format": "book", "platform": "kindle"}
    heading = re.search(r"^#\s+(.+?)\s*$", doc.body, re.M)
    title = clean_title(str(sync.get("title") or "")) or (strip_inline(heading.group(1)) if heading else "")
    if title:
        meta["title"] = title
    author = person_names(str(sync.get("author") or "") or bullets.get("author"))
    if author:
        meta["author"] = author
    reference = strip_inline(bullets.get("reference", ""))
    asin = str(sync.get("asin") or bullets.get("asin") or "").strip()
    if not reference.startswith("http") and asin:
        reference = f"https://www.amazon.com/dp/{asin}"
    if reference.startswith("http"):
        meta["url"] = reference
    if sync.get("lastAnnotatedDate"):
        meta["captured_date"] = str(sync["lastAnnotatedDate"])
    return meta


def read(doc: Document) -> list[Item]:
    raw = doc.frontmatter.get("kindle-sync")
    sync = raw if isinstance(raw, dict) else {}
    lines = doc.body.split("\n")
    before_body = doc.text[: len(doc.text) - len(doc.body)].count("\n")  # frontmatter lines
    found = any_section(lines, "Metadata")
    bullets = metadata_list(found[0]) if found else {}
    meta = _meta(doc, sync, bullets)
    highlights: list[Highlight] = []
    reasons: list[str] = []
    found = any_section(lines, "Highlights")
    if found:
        highlights, reasons = _highlights(found[0], before_body + found[1] + 1)
    if not highlights:
        what = "the Highlights section is empty" if found else "no Highlights section"
        reasons.append(f"read: kindle: {what}")
    asin = str(sync.get("asin") or "").strip()
    extra = {"asin": asin} if asin else {}
    if bullets.get("publisher"):
        extra["publisher"] = strip_inline(bullets["publisher"])
    return [highlights_item(doc.body, meta, highlights, reasons, extra)]


READER = SourceReader(
    "kindle", "Kindle Highlights plugin note", (".md", ".markdown"), detect, read, clues=CLUES
)
