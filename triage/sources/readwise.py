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
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import CaptureError
from ..text import shorten
from .base import Document, Highlight, Item, SourceReader
from .common import (
    BulletEntry,
    bullet_entries,
    cut_off,
    hashtags,
    highlights_item,
    metadata_list,
    original_url,
    person_name,
    plain,
    tool_extra,
    wikilink_names,
)

CATEGORIES = ("books", "articles", "tweets", "podcasts", "supplementals")
_H1 = re.compile(r"^#\s+(.+?)\s*$")
_H2 = re.compile(r"^##\s+(.+?)\s*$")
_FULL_TITLE = re.compile(r"^\s{0,3}-\s+Full Title:", re.M)
_CATEGORY = re.compile(r"^\s{0,3}-\s+Category:\s*#(?:" + "|".join(CATEGORIES) + r")\b", re.M)
_HIGHLIGHT_SECTION = re.compile(r"^(?:Highlights|New highlights added\b.*)$", re.I)
_NBSP = "[\\s\u00a0]+"
_BACKLINK = re.compile(
    r"\s*\((?:\[(?P<label>[^\]]*)\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*\)"
    rf"|(?P<bare>(?:Page|Location|Loc\.){_NBSP}[\w.-]+))\)\s*$"
)
_IMAGE_LINE = re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")
_COVER = re.compile(r"^!\[rw-book-cover\]\([^)]*\)\s*$")
_TRUNCATED = re.compile(r"\s*(?:\.\.\.|…)$")


def detect(doc: Document) -> bool:
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


def read(doc: Document) -> list[Item]:
    lines = doc.body.split("\n")
    offset = doc.text.count("\n") - doc.body.count("\n")  # the body's first line in the file
    h1 = ""
    sections: list[tuple[str, int, list[tuple[int, str]]]] = []
    for i, line in enumerate(lines):
        number = i + 1 + offset
        if not sections and not h1 and (m := _H1.match(line)):
            h1 = plain(m.group(1))
        elif m := _H2.match(line):
            sections.append((m.group(1), number, []))
        elif sections:
            sections[-1][2].append((number, line))
    metadata = next((s for s in sections if s[0].lower() == "metadata"), None)
    if metadata is None:
        raise CaptureError("no `## Metadata` list found", "check that the file is a whole Readwise export")
    fields = metadata_list([ln for _, ln in metadata[2]])
    category = (hashtags(fields.get("category", "")) or [""])[0].lower()
    reasons: list[str] = []
    parts = [s for s in sections if _HIGHLIGHT_SECTION.match(s[0])]
    entries = [e for s in parts for e in bullet_entries(s[2])]
    found = [_highlight(e) for e in entries]
    if found and not found[-1][1] and (any(ok for _, ok in found[:-1]) or not doc.text.endswith("\n")):
        found.pop()
        reasons.append(cut_off("readwise", entries[-1].line))
    highlights = [h for h, _ in found if h.text]
    kindle = any(h.location.startswith("location") for h in highlights)
    if not parts:
        reasons.append(
            f"read: readwise: no highlights section (file cut off after line {len(doc.text.splitlines())})"
        )
    for name, number, section in parts:
        if not any(ln.strip() for _, ln in section):
            reasons.append(f"read: readwise: the `## {name}` section (line {number}) is empty")
    title = _title(fields, h1, category, highlights)
    author, creator = _author(fields.get("author", ""), category)
    meta: dict[str, Any] = {
        "title": title,
        "author": author,
        "creator": creator,
        "url": original_url(fields.get("url")),
        "tags": wikilink_names(fields.get("document tags", "")) or hashtags(fields.get("document tags", "")),
        **_kind(category, highlights, title, kindle),
    }
    meta = {k: v for k, v in meta.items() if v}
    body = "\n".join(ln for ln in doc.body.split("\n") if not _COVER.match(ln))
    return [highlights_item(body, meta, highlights, reasons, tool_extra(doc.frontmatter))]


READER = SourceReader("readwise", "Readwise export", (".md", ".markdown", ".txt"), detect, read)
