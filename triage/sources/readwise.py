"""Readwise's official Obsidian export (capture-formats.md, "Readwise").

No frontmatter; `# <shortened title>`, an optional cover image, a `## Metadata` list (Author,
Full Title, Category, Document Tags, Summary, URL), then `## Highlights` and, after every later
sync, `## New highlights added <Month D, YYYY> at <h:mm AM>`: the highlights of every section are
returned. Each highlight is `- <text> (<backlink>)`, continued on lines indented two spaces, with
optional indented `- Tags:` / `- Note:` annotations.

Title: the Full Title (not the shortened H1). Tweets' Full Titles are the first words of the
first tweet cut with `...`: then the first sentence of the highlight that starts with them is the
title (the whole first sentence), else the cut title with `…`. Category gives format and platform:
books -> book (platform kindle when highlights carry Kindle locations), tweets -> x and
post/thread, podcasts -> podcast, articles -> article (platform from the URL). The Summary is
Readwise's (or an AI's), not the author's: kept in the body, never in `content`. There is no
publication date. A file cut off part-way is read as far as it goes, with a reason.

Customised templates and older versions (README, "Capture tools"): the metadata is read from
wherever it is (a Metadata list at any heading level, bulleted or not, bold or Dataview labels,
a `title:` block with no `---` fences, the frontmatter of a `deliveredBy: readwise` template);
highlights from every Highlights section at any level, as bullets, as `###### ^<id>` blocks with
`Goto:` / `Note:` / `Tags:` lines, or as paragraphs when there is no Highlights heading. With no
Category, the format follows the URL (a page: article; never a transcript). Recognised by
`detect` (the default layout) or by `CLUES` (readwise.io links, `deliveredBy`, the cover image,
its labels, a Readwise folder).
"""

from __future__ import annotations

import re
from typing import Any

from ..text import shorten, strip_inline
from .base import Document, Highlight, Item, SourceReader
from .common import (
    BulletEntry,
    bullet_entries,
    cut_off,
    hashtags,
    highlights_item,
    original_url,
    page_format,
    person_name,
    plain,
    tool_extra,
    wikilink_names,
)
from .evidence import body, folder, host, key, labelled

CATEGORIES = ("books", "articles", "tweets", "podcasts", "supplementals")
_H1 = re.compile(r"^#\s+(.+?)\s*$")
_H2 = re.compile(r"^##\s+(.+?)\s*$")
_FULL_TITLE = re.compile(r"^\s{0,3}-\s+Full Title:", re.M)
_CATEGORY = re.compile(r"^\s{0,3}-\s+Category:\s*#(?:" + "|".join(CATEGORIES) + r")\b", re.M)
_HIGHLIGHT_SECTION = re.compile(r"^(?:\W*\s*)?(?:Highlights?|New highlights added\b.*)$", re.I)
_NBSP = "[\\s\u00a0]+"
_BACKLINK = re.compile(
    r"\s*\((?:\[(?P<label>[^\]]*)\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*\)"
    rf"|(?P<bare>(?:Page|Location|Loc\.){_NBSP}[\w.-]+))\)\s*$"
)
_IMAGE_LINE = re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")
_COVER = re.compile(r"^!\[rw-book-cover\]\([^)]*\)\s*$")
_TRUNCATED = re.compile(r"\s*(?:\.\.\.|…)$")


CLUES = (
    host("readwise.io", 3, "read/|to_kindle|open/|bookreview/|reader/", "Readwise highlight links"),
    host("readwise.io", 1),
    key("deliveredBy: readwise", 4, "deliveredBy", r"readwise"),
    body("a Readwise cover image", 3, r"!\[rw-book-cover\]"),
    body("a `Full Title` label", 2, r"^\W{0,6}Full[ _]Title\W{0,4}::?", re.M | re.I),
    body(
        "a Readwise category tag",
        2,
        r"Category\W{0,4}::?\s*(?:\[\[)?#?(?:books|articles|tweets|podcasts|supplementals)\b",
        re.I,
    ),
    body("`New highlights added` sections", 2, r"^#{1,6}\s+New highlights added\b", re.M | re.I),
    body("`View Highlight` links", 1, r"\[View (?:Highlight|Tweet)\]\("),
    body("a Metadata heading", 1, r"^#{1,6}\s+Metadata\s*$"),
    folder("a Readwise folder", 2, r"readwise"),
)
"""The traces a Readwise export leaves in any template (see `evidence`)."""


def detect(doc: Document) -> bool:
    """The default layout: a `## Metadata` list with `Full Title:` or `Category: #...`."""
    body = doc.body[:20_000]
    return bool(
        re.search(r"^##\s+Metadata\s*$", body, re.M) and (_FULL_TITLE.search(body) or _CATEGORY.search(body))
    )


def _location(label: str) -> str:
    """'Location 1234' -> 'location 1234', 'Page 12' -> 'page 12'; links like 'View Highlight'
    point at Readwise, not at a place in the source: ''."""
    label = re.sub(r"\s+", " ", label.replace("\u00a0", " ")).strip()
    m = re.match(r"^(Location|Loc\.|Page)\s+(\S+)$", label, re.I)
    if not m:
        return ""
    kind = "page" if m.group(1).lower() == "page" else "location"
    return f"{kind} {m.group(2)}"


def _highlight(entry: BulletEntry) -> tuple[Highlight, bool]:
    """(the highlight, whether it ended with its backlink)."""
    words = [ln for ln in entry.lines if not _IMAGE_LINE.match(ln)]
    text = "\n".join(words)
    m = _BACKLINK.search(text)
    location = ""
    if m:
        location = _location(m.group("label") or m.group("bare") or "")
        text = text[: m.start()]
    tags = list(dict.fromkeys(t.strip().lstrip("#") for t in entry.tags if t.strip()))
    note = plain(" ".join(entry.note))
    return Highlight(plain(text), note, tags, location), bool(m)


def _title(fields: dict[str, str], h1: str, category: str, highlights: list[Highlight]) -> str:
    full = plain(fields.get("full title", "")) or h1
    if category != "tweets" or not _TRUNCATED.search(full):
        return full
    start = re.sub(r"\s+", " ", _TRUNCATED.sub("", full)).strip()
    for h in highlights:
        if start and h.text.startswith(start):
            sentence = re.split(r"(?<=[.!?])\s+", h.text, maxsplit=1)[0]
            return shorten(sentence, 150).rstrip(".")
    return f"{start}…" if start else h1


def _author(value: str, category: str) -> tuple[str | None, str | None]:
    """(author, creator) from `[[Name]]` / `[[@handle on Twitter]]`."""
    names = wikilink_names(value) or ([value] if value.strip() else [])
    authors: list[str] = []
    creator = None
    for name in names:
        name = re.sub(r"\s+on\s+Twitter\s*$", "", name.strip(), flags=re.I)
        m = re.fullmatch(r"@?([A-Za-z0-9_]{1,30})", name)
        if m and (name.startswith("@") or category == "tweets"):
            creator = creator or m.group(1)
            authors.append(f"@{m.group(1)}")
        elif name:
            authors.append(person_name(plain(name)))
    return (", ".join(authors) or None), creator


def _kind(category: str, highlights: list[Highlight], title: str, kindle: bool) -> dict[str, str]:
    if category == "books":
        return {"format": "book", **({"platform": "kindle"} if kindle else {})}
    if category == "tweets":
        single = title.lower().startswith("tweets from") or len(highlights) <= 1
        return {"platform": "x", "format": "post" if single else "thread"}
    if category == "podcasts":
        return {"platform": "podcast", "format": "podcast"}
    if category == "articles":
        return {"format": "article"}
    return {}


_HEADING = re.compile(r"^(#{1,5})\s+(.+?)\s*#*\s*$")
_BLOCK = re.compile(r"^#{6}\s*(.*)$")
_FIELDS: tuple[str, ...] = ("author", "authors", "full title", "title", "category", "document tags", "tags")
_FIELDS += ("url", "source", "source url", "link", "highlights url", "summary")
_URL_KEYS = ("url", "source url", "source", "link")
_LABEL_LINE = re.compile(
    r"^\s*(?:>\s*)?(?:[-*+]\s+)?(?:\*\*)?(Note|Notes|Tags?|Goto|Go to|Link|Location|Highlighted(?: at| on)?|"
    r"Date|Colou?r|Id)(?:\*\*)?\s*::?\s*(.*)$",
    re.I,
)
_MD_LINK = re.compile(r"\[[^\]]*\]\([^)\s]*\)")


def _sections(doc: Document) -> tuple[str, list[tuple[str, int, list[tuple[int, str]]]]]:
    """(the first H1's text, [(heading, line number, its (line number, line) pairs)]); the lines
    before the first heading are a section named ''. `######` lines are highlight blocks (one
    template writes each highlight under `###### ^<id>`), not sections."""
    offset = doc.text.count("\n") - doc.body.count("\n")
    h1 = ""
    sections: list[tuple[str, int, list[tuple[int, str]]]] = [("", offset + 1, [])]
    for i, line in enumerate(doc.body.split("\n")):
        number = i + 1 + offset
        m = _HEADING.match(line)
        if m and not _BLOCK.match(line):
            name = plain(m.group(2))
            if len(m.group(1)) == 1 and not h1 and not _meta_heading(name):
                h1 = name
            sections.append((name, number, []))
        else:
            sections[-1][2].append((number, line))
    return h1, sections


def _meta_heading(name: str) -> bool:
    return bool(
        re.match(r"^(?:metadata|highlights?|new highlights added\b|info|information|details)", name, re.I)
    )


def _blocks(lines: list[tuple[int, str]]) -> list[BulletEntry]:
    """Highlights written as paragraphs or blockquotes (`######` blocks or blank-line separated)
    with `Note:` / `Tags:` / `Goto:` label lines: as bullet entries, the `Goto:` link moved to the
    end of the text so that it reads as the backlink."""
    out: list[BulletEntry] = []
    blocks = any(_BLOCK.match(ln) for _, ln in lines)
    current: BulletEntry | None = None
    for number, line in lines:
        if _BLOCK.match(line):
            current = None
            continue
        text = re.sub(r"^\s*(?:>\s?)+", "", line).strip()
        if not text:
            current = current if blocks else None
            continue
        label = _LABEL_LINE.match(text)
        if label and current is not None:
            kind, value = label.group(1).lower(), label.group(2)
            if kind.startswith("note"):
                current.note.append(value)
            elif kind.startswith("tag"):
                current.tags += wikilink_names(value) or hashtags(value)
            elif (link := _MD_LINK.search(value)) and kind in ("goto", "go to", "link", "location"):
                current.lines[-1] = f"{current.lines[-1]} ({link.group(0)})"
            continue
        if current is None:
            current = BulletEntry(number, text)
            out.append(current)
        else:
            current.lines.append(text)
    return out


def _entries(lines: list[tuple[int, str]]) -> list[BulletEntry]:
    bullets = bullet_entries(lines)
    if bullets and not any(_BLOCK.match(ln) for _, ln in lines):
        return bullets
    return _blocks(lines)


def _fields(doc: Document, sections: list[tuple[str, int, list[tuple[int, str]]]]) -> dict[str, str]:
    """The metadata wherever the template put it: a Metadata list (bulleted or not, bold or
    Dataview labels) in any section that is not a highlight list, then the frontmatter."""
    lines = [ln for name, _, part in sections if not _HIGHLIGHT_SECTION.match(name) for _, ln in part]
    fields = labelled(lines, _FIELDS)
    for name, value in doc.frontmatter.items():
        label = str(name).replace("_", " ").replace("-", " ").lower()
        if label in _FIELDS and label not in fields and value not in (None, "", []):
            fields[label] = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return fields


def _category(fields: dict[str, str], url: str | None) -> str:
    raw = fields.get("category", "")
    found = (hashtags(raw) or re.findall(r"[A-Za-z]+", strip_inline(raw)) or [""])[0].lower()
    if found in CATEGORIES:
        return found
    return "tweets" if url and re.match(r"^https?://(?:www\.)?x\.com/", url) else ""


def read(doc: Document) -> list[Item]:
    h1, sections = _sections(doc)
    fields = _fields(doc, sections)
    url = next((u for k in _URL_KEYS if (u := _link(fields.get(k, "")))), None)
    category = _category(fields, url)
    reasons: list[str] = []
    parts = [s for s in sections if _HIGHLIGHT_SECTION.match(s[0])]
    if not parts:  # a template without a highlights heading: the highlights are the rest
        parts = [(n, at, [(i, ln) for i, ln in p if not labelled([ln], _FIELDS)]) for n, at, p in sections]
        parts = [p for p in parts if not re.match(r"^metadata$", p[0], re.I)]
    entries = [e for s in parts for e in _entries(s[2])]
    found = [_highlight(e) for e in entries]
    if found and not found[-1][1] and (any(ok for _, ok in found[:-1]) or not doc.text.endswith("\n")):
        found.pop()
        reasons.append(cut_off("readwise", entries[-1].line))
    highlights = [h for h, _ in found if h.text]
    kindle = any(h.location.startswith("location") for h in highlights)
    if not any(_HIGHLIGHT_SECTION.match(s[0]) for s in sections) and not highlights:
        reasons.append(
            f"read: readwise: no highlights section (file cut off after line {len(doc.text.splitlines())})"
        )
    for name, number, part in sections:
        if _HIGHLIGHT_SECTION.match(name) and not any(ln.strip() for _, ln in part):
            reasons.append(f"read: readwise: the `## {name}` section (line {number}) is empty")
    fields.setdefault("full title", fields.get("title", ""))
    title = _title(fields, h1 or plain(doc.path.stem), category, highlights)
    author, creator = _author(fields.get("author") or fields.get("authors", ""), category)
    tags = fields.get("document tags") or fields.get("tags", "")
    meta: dict[str, Any] = {
        "title": title,
        "author": author,
        "creator": creator,
        "url": url,
        "tags": wikilink_names(tags) or hashtags(tags) or _plain_tags(doc.frontmatter.get("tags")),
        **(_kind(category, highlights, title, kindle) if category else page_format(url)),
    }
    meta = {k: v for k, v in meta.items() if v}
    body = "\n".join(ln for ln in doc.body.split("\n") if not _COVER.match(ln))
    return [highlights_item(body, meta, highlights, reasons, tool_extra(doc.frontmatter))]


def _link(value: str) -> str | None:
    """The web address in a URL field (`<url>`, `[text](<url>)`, `[[...]]`-free), or None."""
    m = re.search(r"https?://[^\s)\]>\"']+", value or "")
    return original_url(m.group(0)) if m else None


def _plain_tags(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [str(v).strip().lstrip("#") for v in values if str(v).strip()]


READER = SourceReader("readwise", "Readwise export", (".md", ".markdown", ".txt"), detect, read, clues=CLUES)
