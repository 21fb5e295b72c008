"""Hypothes.is Obsidian plugin (capture-formats.md, "Hypothes.is").

```
---
doc_type: hypothesis-highlights
url: '<url>'                                   -> url
---
# <title>

## Metadata
- Author: [<domain>]()                         a domain is not an author: no author
- Title: <title>                               -> title
- Reference: <url>
- Category: #article                           -> format article (unless the platform says otherwise)

## Page Notes                                  the reader's own page-level notes: kept in the body,
<note>                                         never content; their #tags are the note's tags
Tags: #a #b

## Highlights
- <text> — [Updated on <date time>](<hyp.is link>)
    - Tags: #a #b
    - Annotation: <the reader's note>
```

"Updated on" is when the reader annotated, never a publication date: the earliest one is the
captured_date. Recognised by `doc_type: hypothesis-highlights` (or, without frontmatter, by the
`## Page Notes` heading and `— [Updated on` highlights).
"""

from __future__ import annotations

import re
from typing import Any

from ..note import Highlight
from .base import Document, Item, SourceReader
from .common import (
    BulletEntry,
    bullet_entries,
    cut_off,
    hashtags,
    highlights_item,
    metadata_list,
    original_url,
    page_format,
    plain,
    tool_extra,
)
from .evidence import body, folder, host, key, labelled
from .normalize import lenient_date

_UPDATED = re.compile(r"\s*[—–-]+\s*\[Updated on ([^\]]*)\]\([^)\s]*\)\s*$")
_H1 = re.compile(r"^#\s+(.+?)\s*$")
_H2 = re.compile(r"^#{2,4}\s+(.+?)\s*$")
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+/?$", re.I)


CLUES = (
    host("hyp.is", 3, r"[\w-]{8,}/", "hyp.is annotation links"),
    host("hypothes.is", 1),
    key("a hypothesis doc_type", 4, "doc_type", r"hypothesis"),
    body("a Page Notes heading", 1, r"^#{1,6}\s+Page Notes\s*$"),
    body("`Updated on` links", 1, r"[—–-]\s*\[Updated on [^\]]*\]\("),
    folder("a Hypothesis folder", 2, r"hypothes\.?is"),
)
"""The traces a Hypothes.is export leaves in any template (see `evidence`)."""


def detect(doc: Document) -> bool:
    if doc.frontmatter:
        return str(doc.frontmatter.get("doc_type", "")).strip() == "hypothesis-highlights"
    body = doc.body[:20_000]
    return bool(re.search(r"^## Page Notes\s*$", body, re.M) and "— [Updated on " in body)


def _highlight(entry: BulletEntry) -> tuple[Highlight, str | None]:
    """(the highlight, its 'Updated on' text; None when the marker is missing)."""
    text = "\n".join(entry.lines)
    m = _UPDATED.search(text)
    if m:
        text = text[: m.start()]
    return Highlight(plain(text), plain(" ".join(entry.note)), list(dict.fromkeys(entry.tags))), (
        m.group(1) if m else None
    )


def _page_notes(lines: list[str]) -> list[str]:
    """The #tags of the page notes (their text stays in the body)."""
    tags: list[str] = []
    for line in lines:
        m = re.match(r"^\s*(?:[-*]\s+)?Tags:\s*(.*)$", line, re.I)
        if m:
            tags += hashtags(m.group(1))
    return tags


_FIELDS = ("author", "title", "reference", "url", "category")


def _web(value: str | None) -> str | None:
    m = re.search(r"https?://[^\s)\]>'\"]+", value or "")
    return m.group(0) if m else None


def _author(value: str) -> str | None:
    name = plain(value)
    return None if not name or _DOMAIN.match(name) else name


def read(doc: Document) -> list[Item]:
    fm = doc.frontmatter
    offset = doc.text.count("\n") - doc.body.count("\n")
    h1 = ""
    sections: dict[str, list[tuple[int, str]]] = {}
    heading_line: dict[str, int] = {}
    current = ""
    for i, line in enumerate(doc.body.split("\n")):
        if not h1 and not current and (m := _H1.match(line)):
            h1 = plain(m.group(1))
        elif m := _H2.match(line):
            current = m.group(1).strip().lower()
            sections.setdefault(current, [])
            heading_line.setdefault(current, i + 1 + offset)
        elif current:
            sections[current].append((i + 1 + offset, line))
    head = [
        ln for name, part in sections.items() if name not in ("highlights", "page notes") for _, ln in part
    ]
    fields = {**labelled(head, _FIELDS), **metadata_list([ln for _, ln in sections.get("metadata", [])])}
    entries = bullet_entries(sections.get("highlights", []))
    found = [_highlight(e) for e in entries]
    reasons: list[str] = []
    if found and found[-1][1] is None and any(when is not None for _, when in found[:-1]):
        found.pop()
        reasons.append(cut_off("hypothesis", entries[-1].line))
    if "highlights" in sections and not entries:
        reasons.append(
            f"read: hypothesis: the `## Highlights` section (line {heading_line['highlights']}) is empty"
        )
    highlights = [h for h, _ in found if h.text]
    dates = [d for d in (lenient_date(when) for _, when in found if when) if d]
    title = plain(fields.get("title", "")) or plain(str(fm.get("title") or "")) or h1 or plain(doc.path.stem)
    url = original_url(str(fm.get("url") or "") or _web(fields.get("reference")) or _web(fields.get("url")))
    category = (hashtags(fields.get("category", "")) or [""])[0].lower()
    meta: dict[str, Any] = {
        "title": title,
        "url": url,
        "author": _author(fields.get("author", "")),
        "captured_date": min(dates) if dates else None,
        "tags": _page_notes([ln for _, ln in sections.get("page notes", [])]),
        **(page_format(url) if category == "article" else {}),
    }
    return [
        highlights_item(
            doc.body,
            {k: v for k, v in meta.items() if v not in (None, "", [])},
            highlights,
            reasons,
            tool_extra(fm),
        )
    ]


READER = SourceReader("hypothesis", "Hypothes.is export", (".md", ".markdown"), detect, read, clues=CLUES)
