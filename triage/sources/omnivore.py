"""Omnivore's Obsidian plugin, default template (capture-formats.md, "Omnivore").

```
---
id: <uuid>                       Omnivore's id, kept as `omnivore_id` (never taken for ours)
---
# <title>
#Omnivore                        a tag line, not a heading (other #labels on it are tags)

[Read on Omnivore](<omnivore url>)
[Read Original](<original url>)  -> url

## Highlights

> <text> [⤴️](<omnivore link>)  #label  ^<8 hex>
<a note, as a plain paragraph>
```

Multi-line quotes carry the link on their last line. Recognised by the `[Read on Omnivore]` link
(or the `#Omnivore` line with `[⤴️]` links). No author or publication date in the default layout
(a customised frontmatter's `author`, `date_saved`, `date_published` are read when present).
captured_date: the save date of an `Omnivore/<YYYY-MM-DD>/` folder when the file sits in one,
else `date_saved`, else the file's time (inferred). Customised templates are recognised by
`CLUES` (omnivore.app links, `[⤴️]` links, `omnivore_url`, an `id` uuid with `date_saved`, an
Omnivore folder); a file that exports the article's content and has no highlights gives that
article as `content`, so the NLP reads the article, not the title.
"""

from __future__ import annotations

import re
from typing import Any

from ..note import Highlight
from .base import Document, Item, SourceReader
from .common import cut_off, hashtags, highlights_item, original_url, page_format, plain, tool_extra
from .evidence import Clue, body, folder, host, key

_READ_ON = re.compile(r"^\s*\[Read on Omnivore\]\([^)]*\)\s*$", re.M)
_TAG_LINE = re.compile(r"^#Omnivore\b.*$", re.M)
_ORIGINAL = re.compile(r"^\s*\[Read Original\]\(<?([^)>\s]+)>?\)\s*$", re.M)
_LINK = re.compile(r"\s*\[⤴️?\]\([^)\s]*\)(?P<labels>(?:\s+#[^\s#^]+)*)\s*(?:\^(?P<id>[A-Za-z0-9-]+))?\s*$")
_H1 = re.compile(r"^#\s+(.+?)\s*$")
_H2 = re.compile(r"^#{2,4}\s+(.+?)\s*$")
_DATE_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL_KEYS = ("url", "original_url", "link", "source", "site_url")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


CLUES = (
    host("omnivore.app", 3, "me/", "Omnivore reader links"),
    host("omnivore.app", 1),
    body("a `Read on Omnivore` link", 3, r"\[Read on Omnivore\]\("),
    body("an `#Omnivore` tag line", 2, r"^#Omnivore\b"),
    body("`[⤴️]` highlight links", 2, r"\[⤴️?\]\("),
    key("an `omnivore_url` key", 3, "omnivore_url"),
    key("an omnivore tag", 2, "tags", r"\bomnivore\b"),
    Clue(
        "an Omnivore id with its save date",
        2,
        test=lambda d: (
            bool(_UUID.match(str(d.frontmatter.get("id") or "")))
            and ("date_saved" in d.frontmatter or "saved" in d.frontmatter)
        ),
    ),
    folder("an Omnivore folder", 2, r"omnivore"),
)
"""The traces an Omnivore export leaves in any template (see `evidence`)."""


def detect(doc: Document) -> bool:
    head = "\n".join(doc.body.split("\n")[:15])
    return bool(_READ_ON.search(head) or (_TAG_LINE.search(head) and "[⤴️](" in doc.body))


class _Quote:
    def __init__(self, line: int) -> None:
        self.line = line
        self.lines: list[str] = []
        self.note: list[str] = []


def _quotes(lines: list[tuple[int, str]]) -> list[_Quote]:
    out: list[_Quote] = []
    open_quote = False
    for number, line in lines:
        if line.lstrip().startswith(">"):
            if not open_quote:
                out.append(_Quote(number))
                open_quote = True
            out[-1].lines.append(re.sub(r"^\s*>\s?", "", line))
        elif not line.strip():
            open_quote = False
        elif out:
            open_quote = False
            out[-1].note.append(line.strip())
    return out


def _highlight(quote: _Quote) -> tuple[Highlight, bool]:
    """(the highlight, whether its `[⤴️](...)` link was there)."""
    text = "\n".join(quote.lines).rstrip()
    m = _LINK.search(text)
    tags: list[str] = []
    if m:
        tags = hashtags(m.group("labels") or "")
        text = text[: m.start()]
    return Highlight(plain(text), plain(" ".join(quote.note)), tags), bool(m)


def _saved_on(doc: Document) -> str | None:
    folder = doc.path.parent.name
    return folder if _DATE_DIR.match(folder) else None


def read(doc: Document) -> list[Item]:
    fm = doc.frontmatter
    lines = doc.body.split("\n")
    offset = doc.text.count("\n") - doc.body.count("\n")
    title, tags, reasons = "", [], []
    section = ""
    listed: list[tuple[int, str]] = []
    has_section = False
    for i, line in enumerate(lines):
        if not title and not section and (m := _H1.match(line)):
            title = plain(m.group(1))
        elif m := _H2.match(line):
            section = m.group(1).strip().lower()
            has_section = has_section or section == "highlights"
        elif section == "highlights":
            listed.append((i + 1 + offset, line))
        elif not section and _TAG_LINE.match(line):
            tags += [t for t in hashtags(line) if t.lower() != "omnivore"]
    quotes = _quotes(listed)
    found = [_highlight(q) for q in quotes]
    if found and not found[-1][1] and any(ok for _, ok in found[:-1]):
        found.pop()
        reasons.append(cut_off("omnivore", quotes[-1].line))
    if has_section and not quotes:
        reasons.append("read: omnivore: the `## Highlights` section is empty")
    highlights = [h for h, _ in found if h.text]
    original = _ORIGINAL.search(doc.body)
    title = plain(str(fm.get("title") or "")) or title or plain(doc.path.stem)
    url = original_url(original.group(1) if original else next((fm[k] for k in _URL_KEYS if fm.get(k)), None))
    fm_tags = fm.get("tags")
    meta: dict[str, Any] = {
        "title": title,
        "url": url,
        "author": fm.get("author"),
        "captured_date": _saved_on(doc) or fm.get("date_saved") or fm.get("saved"),
        "published_date": fm.get("date_published"),
        **page_format(url),
        "tags": [*tags, *(fm_tags if isinstance(fm_tags, list) else [])],
    }
    item = highlights_item(
        doc.body,
        {k: v for k, v in meta.items() if v not in (None, "", [])},
        highlights,
        reasons,
        tool_extra(fm, {"id": "omnivore_id"}),
    )
    if not highlights and (article := _article(lines)):
        item.content = article  # a full-content file: the article is the text the NLP reads
    return [item]


_CHROME = re.compile(
    r"^\s*(?:#Omnivore\b.*|\[Read (?:on Omnivore|Original)\]\([^)]*\)"
    r"|#{1,4}\s+(?:Highlights|Content|Notes?)\s*)$",
    re.I,
)


def _article(lines: list[str]) -> str:
    """The saved article's text in a file with no highlights (a template that exports the
    content): the body without the title, the `#Omnivore` line, the Omnivore links and the
    section headings; '' when no text is left."""
    kept = [ln for ln in lines if not _CHROME.match(ln) and not _H1.match(ln)]
    text = "\n".join(kept).strip()
    return text + "\n" if len(text.split()) >= 20 else ""


READER = SourceReader("omnivore", "Omnivore export", (".md", ".markdown"), detect, read, clues=CLUES)
