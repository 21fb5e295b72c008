"""Raindrop.io Highlights plugin for Obsidian: one bookmarked page per file.

Layout:

    ---
    raindrop_id: <number>
    raindrop_highlights:              (a map: highlight id -> signature, the plugin's bookkeeping)
      <id>: <hash>
    link: <url>
    tags: [...]
    ---
    # Metadata                        (the first H1: NOT the title)
    Source URL:: <url>
    Topics:: #a, #b

    ---
    # <title>
    <excerpt>

    ## Highlights
    > [!quote]+ Updated on Tue Mar 05 2024 21:14:07 GMT+0100 (...)
    >
    > <text, HTML-escaped: &quot; &#39; &amp; &gt;>
    &gt;<second line of the same highlight, outside the callout>
    > > <note>

Recognised by `raindrop_id` in the frontmatter, or (frontmatter removed) by `Source URL::` under
`# Metadata` and `Updated on` callouts. The nested `raindrop_highlights` map never quarantines the
file; it is not copied (Obsidian properties hold no maps), `raindrop_id` is kept.

- Title: the H1 after the metadata block (else the frontmatter's `title`); entities decoded.
- `url`: `link:` (else `Source URL::`); `tags`: the frontmatter's (else `Topics::`).
- `captured_date`: the frontmatter's `created` if any, else the newest "Updated on" (when the
  reader last highlighted). "Updated on" is never a publication date; the file states none.
- Highlights: callout header dropped (its type is the highlight colour), entities decoded, the
  `&gt;` continuation lines rejoined; `> > ` lines are the reader's note. The plugin's default
  template (`- <text>` with `Comment: <note>`) is read too.
- `content`: the highlights; the excerpt (the page's description) only when there are none.
"""

from __future__ import annotations

import html
import re
from typing import Any

from ..note import Highlight
from ..text import strip_inline
from .base import Document, Item, SourceReader
from .common import article_format, clean_title, person_names, section, wikilink_names
from .evidence import any_section, body, folder, host, key, labelled
from .normalize import lenient_date

_CALLOUT = re.compile(r"^>\s*\[!(\w+)\][+-]?\s*(.*)$")
_UPDATED = re.compile(r"^Updated on\s+(.+)$", re.I)
_FIELD = re.compile(r"^([A-Za-z][\w ]*?)::\s*(.*)$")
_CONTINUED = re.compile(r"^&gt;\s?")


CLUES = (
    host("raindrop.io", 3, "my/", "Raindrop app links"),
    host("raindrop.io", 1),
    key("raindrop_id", 4, "raindrop_id"),
    key("a raindrop_highlights map", 3, "raindrop_highlights"),
    body("a `Source URL::` field", 1, r"^\W{0,4}Source URL\W{0,4}::"),
    body("`Updated on` callouts", 2, r"^>\s*\[!\w+\][+-]?\s*Updated on\b"),
    folder("a Raindrop folder", 2, r"raindrop(?:\.io)?"),
)
"""The traces a Raindrop.io highlights note leaves in any template (see `evidence`)."""


def detect(doc: Document) -> bool:
    if "raindrop_id" in doc.frontmatter:
        return True
    return bool(
        re.search(r"^# Metadata\s*$", doc.body, re.M)
        and re.search(r"^Source URL::", doc.body, re.M)
        and re.search(r"^>\s*\[!\w+\][+-]?\s*Updated on\b", doc.body, re.M)
    )


def _plain(text: str) -> str:
    return strip_inline(html.unescape(text)).strip()


def _callouts(lines: list[str]) -> tuple[list[Highlight], list[str]]:
    """Highlights from `> [!type]+ Updated on ...` callouts (and `- text` / `Comment:` lines of
    the plugin's default template); the "Updated on" texts, for the capture date."""
    out: list[tuple[list[str], list[str]]] = []
    updated: list[str] = []
    part: list[str] | None = None  # the text or note lines the next continuation belongs to
    for line in lines:
        stripped = line.strip()
        if m := _CALLOUT.match(stripped):
            out.append(([], []))
            part = out[-1][0]
            if u := _UPDATED.match(m.group(2)):
                updated.append(u.group(1))
        elif _CONTINUED.match(stripped) and part is not None:
            part.append(_CONTINUED.sub("", stripped))
        elif stripped.startswith(">") and out:
            inner = stripped[1:].lstrip()
            if inner.startswith(">"):
                part = out[-1][1]
                part.append(inner[1:].strip())
            elif inner:
                part = out[-1][0]
                part.append(inner)
        elif m := re.match(r"^[-*]\s+(.+)$", stripped):
            out.append(([m.group(1)], []))
            part = out[-1][0]
        elif m := re.match(r"^Comment:\s*(.*)$", stripped):
            if out:
                out[-1][1].append(m.group(1))
                part = out[-1][1]
        elif not stripped:
            part = None
    highlights = [Highlight(_plain(" ".join(t)), _plain(" ".join(n))) for t, n in out]
    return [h for h in highlights if h.text], updated


def _after_metadata(lines: list[str]) -> list[str]:
    """The body from the `---` that closes the `# Metadata` block on (the title, excerpt and
    highlights), or all of it when there is no such block."""
    found = section(lines, "Metadata", level=1)
    if not found:
        return lines
    block, start = found
    for i, line in enumerate(block):
        if re.match(r"^\s*-{3,}\s*$", line):
            return [*block[i + 1 :], *lines[start + len(block) :]]
    return lines[start + len(block) :]


def _meta(doc: Document, head: dict[str, str], title: str, updated: list[str]) -> dict[str, Any]:
    fm = doc.frontmatter
    meta: dict[str, Any] = {}
    title = title or _plain(str(fm.get("title") or ""))
    if title:
        meta["title"] = title
    url = str(fm.get("link") or "").strip() or head.get("source url", "")
    if url:
        meta["url"] = url
    if author := person_names(", ".join(wikilink_names(head.get("author", ""))) or head.get("author")):
        meta["author"] = author
    if fmt := article_format(url or None):
        meta["format"] = fmt
    tags = fm.get("tags")
    if isinstance(tags, list) and tags:
        meta["tags"] = [str(t).lstrip("#") for t in tags if t]
    elif head.get("topics"):
        meta["tags"] = [t.strip().lstrip("#") for t in head["topics"].split(",") if t.strip("# ")]
    dates = [d for d in (lenient_date(u) for u in updated) if d]
    if fm.get("created"):
        meta["captured_date"] = fm["created"]
    elif dates:
        meta["captured_date"] = max(dates)
    return meta


def read(doc: Document) -> list[Item]:
    lines = doc.body.split("\n")
    found = section(lines, "Metadata", level=1)
    head = {}
    for line in found[0] if found else []:
        if m := _FIELD.match(line.strip()):
            head[m.group(1).strip().lower()] = m.group(2).strip()
    for name, value in labelled(lines[:60], ("source url", "author", "topics")).items():
        head.setdefault(name, value)  # a template that moved the fields out of `# Metadata`
    rest = _after_metadata(lines)
    title_at = next((i for i, ln in enumerate(rest) if re.match(r"^#\s+\S", ln)), None)
    title = clean_title(_plain(rest[title_at][2:])) if title_at is not None else ""
    hl = any_section(rest, "Highlights")
    highlights, updated = _callouts(hl[0]) if hl else ([], [])
    excerpt_end = hl[1] - 1 if hl else len(rest)
    excerpt = "\n".join(rest[(title_at + 1 if title_at is not None else 0) : excerpt_end]).strip()
    reasons = []
    if not highlights:
        what = "the Highlights section is empty" if hl else "no Highlights section"
        reasons.append(f"read: raindrop: {what}")
    texts = [h.text for h in highlights] or ([html.unescape(excerpt)] if excerpt else [])
    extra = {"raindrop_id": doc.frontmatter["raindrop_id"]} if "raindrop_id" in doc.frontmatter else {}
    body = re.sub(r"^&gt;\s?", "> ", "\n".join(rest).strip(), flags=re.M)
    return [
        Item(
            body=html.unescape(body) + "\n",
            content="\n\n".join(texts) + "\n" if texts else f"# {title}\n",
            meta=_meta(doc, head, title, updated),
            extra=extra,
            highlights=highlights,
            reasons=reasons,
        )
    ]


READER = SourceReader(
    "raindrop", "Raindrop.io highlights note", (".md", ".markdown"), detect, read, clues=CLUES
)
