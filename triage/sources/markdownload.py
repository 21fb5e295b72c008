"""MarkDownload browser extension (capture-formats.md, "MarkDownload").

With its template switched on:

```
---
created: 2024-03-06T10:22:31 (UTC +01:00)     the clip time, not ISO: read leniently (captured_date)
tags: [a,b,c]
source: <url>                                  -> url
author: By <Name>                              -> "Name" (or empty)
---

# <page title> | <site name>                   -> title without " | <site name>"

> ## Excerpt                                   the page's summary: not content
> <excerpt>

---
<body>
```

Default (no template): no frontmatter, no title line, no URL: only the article converted to
markdown. The title is the file name. Recognised conservatively, by at least two of turndown's
fingerprints: `-   item` lists (three spaces), backslash-escaped `\\_` / `\\*`, `___` rules (a file
with fewer is read by the generic reader). Backslash escapes are undone in `content`.
"""

from __future__ import annotations

import re
from typing import Any

from ..note import PROPERTY_ORDER
from .base import Document, Item, SourceReader
from .common import original_url, page_format, plain, tool_extra
from .evidence import Clue, body, folder
from .infer import platform_for

_OWN_KEYS = set(PROPERTY_ORDER) - {"author", "tags"}
_CREATED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?\s*\(UTC\s*[+-]\d{1,2}:?\d{2}\)\s*$")
_EXCERPT = re.compile(r"^>\s*#{1,6}\s*Excerpt\s*$", re.M)
_LIST3 = re.compile(r"^[ \t]*(?:-[ \t]{3}|\d{1,3}\.[ \t]{2})\S", re.M)
_ESCAPE = re.compile(r"\\[_*]")
_RULE = re.compile(r"^_{3,}[ \t]*$", re.M)
_UNESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~=|])")
_FENCE = re.compile(r"^\s*(```|~~~)")
_H1 = re.compile(r"^#\s+(.+?)\s*$")
_BYLINE = re.compile(r"^(?:written\s+)?by\s*:?\s+", re.I)
SITE_PLATFORMS = {
    "medium": "medium",
    "substack": "substack",
    "youtube": "youtube",
    "github": "github",
    "reddit": "reddit",
    "linkedin": "linkedin",
    "hacker news": "hackernews",
    "arxiv": "arxiv",
    "arxiv.org": "arxiv",
}
"""A site name after ` | ` that names a platform, for pages on custom domains (a Substack on its
own domain): used only when the URL alone says `web`."""


def _fingerprints(text: str) -> int:
    """How many of turndown's marks the text shows (three-space lists, escapes, ___ rules)."""
    sample = text[:50_000]
    return sum(bool(p.search(sample)) for p in (_LIST3, _ESCAPE, _RULE))


def _templated(doc: Document) -> bool:
    fm = doc.frontmatter
    if "source" not in fm or "created" not in fm or _OWN_KEYS & set(fm):
        return False
    return bool(_CREATED.match(str(fm["created"])) or _EXCERPT.search(doc.body[:5_000]))


CLUES = (
    Clue(
        "a `created` with `(UTC ...)`",
        3,
        test=lambda d: bool(_CREATED.match(str(d.frontmatter.get("created") or ""))),
    ),
    body("a `> ## Excerpt` block", 2, r"^>\s*#{1,6}\s*Excerpt\s*$"),
    folder("a MarkDownload folder", 2, r"markdownload"),
)
"""The traces MarkDownload leaves (see `evidence`)."""


def detect(doc: Document) -> bool:
    if doc.frontmatter:
        return _templated(doc)
    head = [ln for ln in doc.body.split("\n")[:5] if ln.strip()]
    if head and _H1.match(head[0]):
        return False  # a title line: MarkDownload's default writes none
    return _fingerprints(doc.body) >= 2


def unescape(markdown: str) -> str:
    """Undo turndown's backslash escapes (`\\_` -> `_`), outside code blocks and spans."""
    out, code = [], False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            code = not code
        elif not code:
            parts = re.split(r"(`[^`\n]*`)", line)
            line = "".join(p if p.startswith("`") else _UNESCAPE.sub(r"\1", p) for p in parts)
        out.append(line)
    return "\n".join(out)


def _after_excerpt(body: str) -> tuple[str, str]:
    """(the H1 text, the article after the H1 / excerpt / rule header)."""
    lines = body.split("\n")
    i, h1 = 0, ""
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i < len(lines) and (m := _H1.match(lines[i])):
        h1, i = m.group(1), i + 1
    while i < len(lines) and (not lines[i].strip() or lines[i].lstrip().startswith(">")):
        i += 1  # the excerpt blockquote
    if i < len(lines) and re.match(r"^\s*(?:-{3,}|_{3,}|\*{3,})\s*$", lines[i]):
        i += 1
    return h1, "\n".join(lines[i:])


def _title_site(h1: str) -> tuple[str, str]:
    title, _, site = plain(h1).rpartition(" | ")
    return (title.strip(), site.strip()) if title.strip() else (plain(h1), "")


def _author(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = _BYLINE.sub("", str(value).strip()).strip()
    return text or None


def read(doc: Document) -> list[Item]:
    if not doc.frontmatter:
        content = unescape(doc.body)
        meta: dict[str, Any] = {"title": doc.path.stem}
        return [Item(body=doc.body, content=content, meta=meta)]
    fm = doc.frontmatter
    h1, article = _after_excerpt(doc.body)
    title, site = _title_site(h1)
    url = original_url(str(fm.get("source") or ""))
    meta = {
        "title": title or doc.path.stem,
        "url": url,
        "author": _author(fm.get("author")),
        "captured_date": fm.get("created"),
        "tags": fm.get("tags") if isinstance(fm.get("tags"), list) else None,
        **page_format(url),
    }
    hint = SITE_PLATFORMS.get(site.lower())
    if hint and platform_for(url) == "web":
        meta["platform"] = hint
        meta.pop("format", None)
    content = unescape(article).strip("\n") + "\n"
    return [
        Item(
            body=doc.body,
            content=content if content.strip() else f"# {meta['title']}\n",
            meta={k: v for k, v in meta.items() if v not in (None, "", [])},
            extra=tool_extra(fm),
        )
    ]


READER = SourceReader("markdownload", "MarkDownload clip", (".md", ".markdown"), detect, read, clues=CLUES)
