"""Snipd (podcast highlights): one episode per file, with the moments ("snips") the listener saved.

Layout:

    ---
    episode_title, show_title, show_author, guests, mentioned_books, episode_publish_date,
    last_snip_date, episode_duration_minutes, episode_url, show_url, image_url,
    episode_export_date, snips_count, from_snipd: true
    ---
    # <episode title>
    ![Cover image](...)
    ## Episode metadata
    - Episode AI description: ...   (machine-written: never content)
    ## Snips
    ### ⭐ [<snip title>](<snip link>) #tag
    🎧 12:31 - 14:02 (01:31)
    - <AI-written summary bullets: never content>
    #### 💬 Quote
    > <the speaker's words>
    > — <Speaker>
    #### 📚 Transcript              (or <details><summary>📚 Transcript</summary> ... </details>)
    <what was said>
    ---
    Created with [Snipd](https://www.snipd.com) | ...

Recognised by `from_snipd` / `episode_title` + `show_title` in the frontmatter, or by the
`## Snips` section with `🎧` time lines, or by `CLUES` (share.snipd.com links, "Created with
Snipd"). The older template is read too: `## Episode metadata` as `Key:: value` fields (`Show`,
`Owner / Host`, `Episode link`, `Episode publish date`, `Export date`) instead of frontmatter,
`### [04:12] <title>` snips, and transcripts whose speaker label is glued to the words
(`Speaker 1Richard was...`: Speaker 1 said "Richard was...").

- title: episode_title; author: show_author (the guests are people in the text: entities come
  from the quotes and transcripts); url: episode_url, the share.snipd.com page of the episode —
  the only address of the episode in the file (the podcast's own URL is not exported), and one
  that identifies the episode, so a later export of it finds its note; published_date:
  episode_publish_date; captured_date: episode_export_date; platform and format `podcast`.
- Highlights: each snip's quote (text, `location` = the snip's start time, tags = the snip's
  tags). `content`: the quotes and transcripts, i.e. only what was said; snip titles, summary
  bullets and the AI description are Snipd's and stay in the kept body only.
"""

from __future__ import annotations

import re
from typing import Any

from ..note import Highlight
from ..text import strip_inline
from .base import Document, Item, SourceReader
from .common import person_names
from .evidence import any_section, body, folder, host, key, labelled

_SNIP = re.compile(r"^#{3}\s+(?:⭐\s*)?(.*)$")
_TIME = re.compile(r"^🎧\s*(\d{1,2}(?::\d{2}){1,2})\s*-\s*(\d{1,2}(?::\d{2}){1,2})")
_SPEAKER = re.compile(r"^\s*(?:>\s*)?[—–-]{1,2}\s*(.+?)\s*$")
_HTML = re.compile(r"</?(?:details|summary|blockquote|p|br)\b[^>]*>", re.I)
_LABEL = re.compile(r"^(?:\*\*)?([A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}|Speaker \d+)(?:\*\*)?:(?:\*\*)?\s+")
_END = re.compile(r"^Created with \[Snipd\]")
KEPT = ("show_title", "guests", "mentioned_books", "episode_duration_minutes", "show_url", "snips_count")
"""Snipd's own frontmatter keys kept on the note as they are."""


CLUES = (
    host("share.snipd.com", 3, "snip/|episode/|show/", "Snipd share links"),
    key("from_snipd", 4, "from_snipd"),
    key("an episode_title key", 2, "episode_title"),
    body("`Created with Snipd`", 3, r"Created with \[?Snipd"),
    body("a Snips heading", 2, r"^#{1,6}\s+Snips\s*$"),
    body("`🎧` time lines", 2, r"^\W{0,4}🎧"),
    folder("a Snipd folder", 2, r"snipd"),
)
"""The traces a Snipd export leaves in any template (see `evidence`)."""


def detect(doc: Document) -> bool:
    fm = doc.frontmatter
    if fm.get("from_snipd") is True or ("episode_title" in fm and "show_title" in fm):
        return True
    return bool(re.search(r"^## Snips\s*$", doc.body, re.M) and re.search(r"^🎧 \d", doc.body, re.M))


def _parts(lines: list[str]) -> dict[str, list[str]]:
    """One snip's lines by part: head, bullets, quote, transcript."""
    parts: dict[str, list[str]] = {"head": [], "bullets": [], "quote": [], "transcript": []}
    where = "bullets"
    for line in lines:
        stripped = line.strip()
        if re.match(r"^####\s+.*Quote", stripped):
            where = "quote"
        elif re.match(r"^####\s+.*Transcript", stripped) or re.match(r"^<summary>.*Transcript", stripped):
            where = "transcript"
        elif re.match(r"^####\s", stripped):
            where = "other"
        elif stripped.startswith("<details"):
            continue
        elif re.match(r"^-{3,}$", stripped) or _END.match(stripped):
            where = "other"
        elif where in parts:
            parts[where].append(_HTML.sub("", line))
    return parts


def _quote(lines: list[str]) -> tuple[str, str]:
    """(the quoted words, the speaker)."""
    words, speaker = [], ""
    for line in lines:
        text = re.sub(r"^\s*>\s?", "", line).strip()
        if not text:
            continue
        if m := _SPEAKER.match(text):
            speaker = strip_inline(m.group(1))
        else:
            words.append(text)
    return strip_inline(" ".join(words)).strip('"“”'), speaker


_GLUED = re.compile(r"^(?P<label>Speaker \d{1,2})(?=[A-Z\"“'‘(])")
"""An older template glues the speaker label to the words: `Speaker 1Richard was...`."""


def _transcript(lines: list[str]) -> tuple[list[str], list[str]]:
    """(paragraphs of what was said, without `Name:` speaker labels; the speakers, in order)."""
    paragraphs, speakers = [], []
    for line in lines:
        text = re.sub(r"^\s*(?:>\s?)+", "", line).strip()
        if m := _GLUED.match(text):
            speakers.append(m.group("label"))
            text = text[m.end() :]
        elif m := _LABEL.match(text):
            speakers.append(strip_inline(m.group(1)))
            text = text[m.end() :]
        if text:
            paragraphs.append(text)
    return paragraphs, list(dict.fromkeys(speakers))


def _snips(lines: list[str]) -> tuple[list[Highlight], list[str], int]:
    """(highlights, content paragraphs, number of snips)."""
    starts = [i for i, line in enumerate(lines) if _SNIP.match(line)]
    highlights: list[Highlight] = []
    content: list[str] = []
    for n, start in enumerate(starts):
        block = lines[start + 1 : starts[n + 1] if n + 1 < len(starts) else len(lines)]
        head = _SNIP.match(lines[start])
        tags = re.findall(r"(?<!\S)#([\w/-]+)", head.group(1) if head else "")
        time = next((m.group(1) for ln in block if (m := _TIME.match(ln.strip()))), "")
        if not time and (at := re.match(r"^\[(\d{1,2}(?::\d{2}){1,2})\]", head.group(1) if head else "")):
            time = at.group(1)  # an older template: `### [04:12] <snip title>`
        parts = _parts(block)
        quote, speaker = _quote(parts["quote"])
        said, speakers = _transcript(parts["transcript"])
        if quote:
            highlights.append(Highlight(quote, "", tags, time))
            if " ".join(quote.split()) not in " ".join(" ".join(said).split()):
                said.insert(0, quote)
        speakers = list(dict.fromkeys([speaker, *speakers] if speaker else speakers))
        if said:
            # who spoke, as an attribution line (the labels are cut from the words themselves)
            content.extend([*said, *(["— " + ", ".join(speakers)] if speakers else [])])
    return highlights, content, len(starts)


_FIELDS = {
    "episode_title": ("episode title", "title"),
    "show_author": ("owner / host", "show author", "host", "author"),
    "episode_url": ("episode link", "episode url", "link"),
    "episode_publish_date": ("episode publish date", "publish date", "published"),
    "episode_export_date": ("export date", "exported"),
}
"""Frontmatter key -> the labels an older template writes in `## Episode metadata` instead."""


def _stated(doc: Document) -> dict[str, Any]:
    """The frontmatter's values, else the Episode metadata list's (bullets or `Key:: value`)."""
    found = any_section(doc.body.split("\n"), "Episode metadata")
    labels = labelled(found[0] if found else doc.body.split("\n")[:40])
    out: dict[str, Any] = {}
    for field, names in _FIELDS.items():
        value = doc.frontmatter.get(field) or next((labels[n] for n in names if labels.get(n)), None)
        if value:
            out[field] = value
    return out


def _meta(doc: Document) -> dict[str, Any]:
    stated = _stated(doc)
    meta: dict[str, Any] = {"platform": "podcast", "format": "podcast"}
    heading = re.search(r"^#\s+(.+?)\s*$", doc.body, re.M)
    title = strip_inline(str(stated.get("episode_title") or (heading.group(1) if heading else "")))
    if title:
        meta["title"] = title
    if author := person_names(strip_inline(str(stated.get("show_author") or ""))):
        meta["author"] = author
    if url := re.search(r"https?://[^\s)\]>]+", str(stated.get("episode_url") or "")):
        meta["url"] = url.group(0)
    if stated.get("episode_publish_date"):
        meta["published_date"] = stated["episode_publish_date"]
    if stated.get("episode_export_date"):
        meta["captured_date"] = stated["episode_export_date"]
    return meta


def _flat(value: Any) -> bool:
    """A value an Obsidian property can hold: text, a number, or a list of those (no maps)."""
    if isinstance(value, list):
        return bool(value) and all(isinstance(v, (str, int, float)) for v in value)
    return isinstance(value, (str, int, float)) and value != ""


def read(doc: Document) -> list[Item]:
    lines = doc.body.split("\n")
    found = any_section(lines, "Snips")
    highlights, content, count = _snips(found[0]) if found else ([], [], 0)
    reasons = []
    if not found or not count:
        reasons.append(f"read: snipd: {'the Snips section is empty' if found else 'no Snips section'}")
    expected = doc.frontmatter.get("snips_count")
    if isinstance(expected, int) and count < expected:
        reasons.append(f"read: snipd: {count} of {expected} snips found (the file may be cut off)")
    elif found and count and not any(_END.match(ln) for ln in lines):
        reasons.append("read: snipd: the file ends before 'Created with Snipd' (cut off?)")
    meta = _meta(doc)
    extra = {k: v for k in KEPT if _flat(v := doc.frontmatter.get(k))}
    return [
        Item(
            body=doc.body,
            content="\n\n".join(content) + "\n" if content else f"# {meta.get('title', '')}\n",
            meta=meta,
            extra=extra,
            highlights=highlights,
            reasons=reasons,
        )
    ]


READER = SourceReader("snipd", "Snipd export", (".md", ".markdown"), detect, read, clues=CLUES)
