"""Stage 2b: infer the metadata a capture does not give.

`infer_metadata` takes the normalised given values (`normalize.normalize_given`) and fills each
missing field from the text, the file name or the file's time, with one function per field
(`INFERRERS`). Given values always win.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from ..note import STATUS_RANK, Note
from ..text import URL_RE, shorten, slugify, strip_inline, word_count
from .keys import Accepted, is_triage_schema, normalize_lenient, settle_tool_keys
from .labels import label_meta, labelled_fields
from .normalize import normalize_given, normalize_tool
from .tidy import is_placeholder, strip_tracking, tidy_title, unmirror

PLATFORM_DOMAINS = {
    "x.com": "x",
    "twitter.com": "x",
    "mobile.twitter.com": "x",
    "nitter.net": "x",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "m.youtube.com": "youtube",
    "substack.com": "substack",
    "arxiv.org": "arxiv",
    "github.com": "github",
    "gist.github.com": "github",
    "reddit.com": "reddit",
    "old.reddit.com": "reddit",
    "news.ycombinator.com": "hackernews",
    "linkedin.com": "linkedin",
    "medium.com": "medium",
    "podcasts.apple.com": "podcast",
    "open.spotify.com": "podcast",
    "overcast.fm": "podcast",
    "pca.st": "podcast",
    "pocketcasts.com": "podcast",
    "beehiiv.com": "newsletter",
    "buttondown.email": "newsletter",
    "buttondown.com": "newsletter",
    "ghost.io": "newsletter",
    "mailchi.mp": "newsletter",
    "lesswrong.com": "lesswrong",
}
PLATFORM_FORMAT = {
    "youtube": "video",
    "podcast": "podcast",
    "arxiv": "paper",
    "substack": "newsletter",
    "newsletter": "newsletter",
    "reddit": "post",
    "hackernews": "post",
    "linkedin": "post",
    "github": "note",
}
_THREAD_NUM = re.compile(r"^\s*\d{1,2}\s*/\s*\d{0,2}\s", re.M)
_PAPER = {
    "abstract": re.compile(r"^\s*(?:#{1,6}\s*)?(?:\*\*)?abstract\b", re.I | re.M),
    "references": re.compile(
        r"^\s*(?:#{1,6}\s*)?(?:\*\*)?(?:references|bibliography|works cited)(?:\*\*)?\s*$", re.I | re.M
    ),
    "identifier": re.compile(r"\b(?:doi:\s*10\.\d{4,}|10\.\d{4,9}/\S+|arxiv:\s*\d{4}\.\d{4,5})", re.I),
    "citations": re.compile(
        r"\[\d{1,3}(?:[,–-]\s*\d{1,3})*\]|\([A-Z][\w-]+(?: et al\.| and [A-Z][\w-]+)?,? (?:19|20)\d\d[a-z]?\)"
    ),
}
"""What marks a paper: an abstract, a references section, a DOI or arXiv id, citations ([12],
(Raman et al., 2023))."""
_BOOK = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:chapter|part) (?:\d+|[ivxlc]+|one|two|three|four|five)\b|"
    r"\bISBN(?:-1[03])?:?\s*[\d-]{10,17}|^\s*(?:#{1,6}\s*)?(?:table of )?contents\s*$",
    re.I | re.M,
)
_SOCIAL = re.compile(r"(?<![\w@])[@#][A-Za-z][\w]{1,30}\b")
_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{2,30})\b")
_BYLINE = re.compile(
    r"^\s*(?:by|author:|written by|—|--)\s+([A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})\s*$", re.I | re.M
)
_AUTHOR_LINE = re.compile(r"^\s*(?:[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3}\s*)?\(?@[A-Za-z0-9_]{2,30}\)?\s*$")
_SOURCE_LINE = re.compile(r"^\s*(?:source|url|link|original|via)\s*[:·-]\s*(https?://\S+)", re.I | re.M)
_FILE_DATE = re.compile(r"(?<!\d)(20\d{2}|19\d{2})-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])(?!\d)")


# --- inferrers for missing values -------------------------------------------------------------


_DEFAULT_NAME = re.compile(
    r"^(?:untitled|new (?:text |microsoft word )?document|new note|note|document)(?:[\s_-]*\(?\d+\)?)?$", re.I
)


def title_from_name(stem: str) -> str | None:
    """A file name that reads like a title (three or more words separated by spaces, after any
    leading date; not an app's default like "New Text Document"), as tools without a title line
    (MarkDownload, Matter) and people name files. None otherwise."""
    name = re.sub(r"^\s*(?:19|20)\d{2}-?\d{2}-?\d{2}[\s_-]*", "", stem).strip()
    words = name.split()
    if len(words) >= 3 and sum(w[:1].isalpha() for w in words) >= 2 and not _DEFAULT_NAME.match(name):
        return shorten(name, 150)
    return None


def infer_title(note: Note) -> str:
    """The first heading when the text opens with one; else a file name that reads like a title;
    else the first heading further down; else the first line of the text; else the file name."""
    first = next((ln for ln in note.words_text().split("\n") if ln.strip()), "")
    if not re.match(r"^\s{0,3}#{1,6}\s+\S", first) and (named := title_from_name(note.source.stem)):
        return named
    for line in note.words_text().split("\n"):
        m = re.match(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", line)
        if m and strip_inline(m.group(1)):
            return shorten(strip_inline(m.group(1)), 150)
    for line in note.words_text().split("\n"):
        clean = strip_inline(re.sub(r"^\s*(?:[>*+-]|\d+[.)]|\d{1,3}/\d{0,3})\s+", "", line))
        if _AUTHOR_LINE.match(clean) or _BYLINE.match(clean):
            continue  # "Priya Raman (@priya_evals)" names the author, not the piece
        if clean and not URL_RE.fullmatch(clean):
            first = re.split(r"(?<=[.!?])\s+(?=[\"“(A-Z0-9])", clean)[0]
            if len(first.split()) >= 3 and first != clean:  # several sentences: the first is the title
                clean = first
            elif len(clean) > 100:  # a paragraph, not a title line: its first clause
                clean = re.split(r"\s*[—–:;]\s*|,\s", clean)[0]
            return shorten(clean, 100).rstrip(".")
    return note.source.stem


def infer_url(note: Note) -> str | None:
    m = _SOURCE_LINE.search(note.words_text())
    if m:
        return m.group(1).rstrip(".,;)")
    # Otherwise only a link near the top counts: links further down are citations, not the source.
    lines = [ln for ln in note.words_text().split("\n") if ln.strip()][:5]
    head = "\n".join(lines)
    for found in URL_RE.finditer(head):
        start = found.start()
        if head[max(0, start - 2) : start] == "](" and head.rfind("![", 0, start) > head.rfind(
            "\n", 0, start
        ):
            continue  # an image, not the source
        return found.group(0)
    return None


def platform_for(url: str | None) -> str:
    if not url:
        return "unknown"
    try:
        host = (urlparse(url).hostname or "").lower().removeprefix("www.")
    except ValueError:  # a malformed address ("https://[x"): no platform to tell
        return "web"
    if host in PLATFORM_DOMAINS:
        return PLATFORM_DOMAINS[host]
    if "podcast" in host:
        return "podcast"
    parts = host.split(".")
    for i in range(1, len(parts) - 1):
        parent = ".".join(parts[i:])
        if parent in PLATFORM_DOMAINS:
            return PLATFORM_DOMAINS[parent]
    return "web"


def handle_from_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parsed = urlparse(url)
        host = (parsed.hostname or "").lower().removeprefix("www.")
    except ValueError:
        return None
    path = [p for p in parsed.path.split("/") if p]
    platform = platform_for(url)
    if platform == "x" and path and path[0] not in ("i", "search", "home", "hashtag"):
        return path[0]
    if platform in ("youtube", "medium") and path and path[0].startswith("@"):
        return path[0][1:]
    if platform == "github" and path:
        return path[0]
    if platform == "reddit" and len(path) >= 2 and path[0] in ("u", "user"):
        return path[1]
    if platform == "substack" and host.endswith(".substack.com"):
        return host.split(".")[0]
    return None


def infer_author(note: Note) -> str | None:
    head = "\n".join(note.words_text().split("\n")[:12])
    m = re.search(r"^\s*([A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3})\s*\(@([A-Za-z0-9_]{2,30})\)", head, re.M)
    if m:
        return f"{m.group(1)} (@{m.group(2)})"
    m = _BYLINE.search(head)
    if m:
        return m.group(1).strip()
    handle = handle_from_url(note.url)
    if handle and note.platform == "x":
        return f"@{handle}"
    return None


def infer_creator(note: Note) -> str | None:
    handle = handle_from_url(note.url)
    if handle:
        return handle
    if note.author:
        m = re.search(r"@([A-Za-z0-9_]{2,30})", note.author)
        if m:
            return m.group(1)
        first = re.split(r",\s*|\s+(?:and|&)\s+", note.author.strip())[0]  # the first of several authors
        return slugify(first, "_", 40) or None
    return None


def infer_date(note: Note) -> dt.date:
    m = _FILE_DATE.search(note.source.name)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    return dt.datetime.fromtimestamp(note.mtime).date() if note.mtime else dt.date.today()


def infer_format(note: Note) -> str:
    """The capture's format from evidence: `transcript` only with speaker turns or timestamps
    (`evidence.is_transcript`: `Name:`, `**Name:**`, `**Name**:`, `[00:01:02] Name:`, `Speaker 1`);
    the platform's format (YouTube: video, arXiv: paper...); on X a thread or a post; `thread`
    for numbered posts (1/, 2/); `paper` with two marks of one (an abstract, references, a DOI,
    citations); `book` with chapters, a contents list or an ISBN; a short text with handles or
    hashtags is a `post`; other short texts are notes; `article` only when nothing says otherwise."""
    from ..enrich.evidence import is_transcript

    body = note.words_text()
    if is_transcript(body):
        return "transcript"
    if note.platform in PLATFORM_FORMAT:
        return PLATFORM_FORMAT[note.platform]
    words = word_count(body)
    threaded = len(_THREAD_NUM.findall(body)) >= 2
    if note.platform == "x":
        if threaded or body.count("\n---\n") >= 2:
            return "thread"
        return (
            "article"
            if words > 400 and re.search(r"^#{1,3} ", body, re.M)
            else ("thread" if words > 120 else "post")
        )
    if threaded:
        return "thread"
    marks = [name for name, pattern in _PAPER.items() if pattern.search(body)]
    if len(marks) >= 2 and (words >= 150 or "abstract" in marks):
        return "paper"
    if len(_BOOK.findall(body)) >= 2 or "isbn" in body.lower():
        return "book"
    if words < 150:
        return "post" if len(_SOCIAL.findall(body)) >= 2 and words < 80 else "note"
    return "article"


# Field -> how to infer it when the capture does not give it. In dependency order: the platform
# needs the url, the creator needs both, the format needs the platform.
INFERRERS: dict[str, Callable[[Note], Any]] = {
    "title": infer_title,
    "url": infer_url,
    "platform": lambda note: platform_for(note.url),
    "author": infer_author,
    "creator": infer_creator,
    "captured_date": infer_date,
    "format": infer_format,
    "original_filename": lambda note: note.source.name,
}


LABELLED_SUFFIXES = (".md", ".markdown", ".txt")
"""File types whose labels (`labels.labelled_fields`) are read: text a person or template wrote
(an HTML page's scripts and styles are not labels)."""


SITE_AS_AUTHOR = {"hypothesis"}  # tools whose `Author:` label names the site, not a person


def _labelled(note: Note) -> dict[str, Any]:
    """What the capture's labels state (title, url, author, dates), normalised leniently; a
    label that does not read as its field is no label (no reason: it is only text). A capture
    tool's reader knows where its tool writes the author: its own author wins, and Hypothes.is's
    `- Author:` is a site (SITE_AS_AUTHOR)."""
    if note.source.suffix.lower() not in LABELLED_SUFFIXES or not note.text:
        return {}
    found = label_meta(labelled_fields(note.text))
    if note.source_tool in SITE_AS_AUTHOR or (note.source_tool and note.author):
        found.pop("author", None)
    return normalize_tool(found)[0]


def _title(note: Note, labelled: dict[str, Any], inferred: bool) -> tuple[str, str | None]:
    """The note's title tidied (`tidy.tidy_title`) and a byline's author; a placeholder or the
    first highlight is replaced by a label's title, the first real heading or the file name.
    A title is a highlight when it is the whole first highlight, or was inferred from a text
    that opens with a list item or a quote (a highlight list without a title line); a reader
    that titles a post by its first sentence means it."""
    title, byline = tidy_title(note.title)
    first = note.highlights[0].text if note.highlights else ""
    opening = next((ln for ln in note.words_text().split("\n", 50) if ln.strip()), "")[:200]
    listed = re.match(r"^\s*(?:[-*+>]|==|\d+[.)])\s*", opening) is not None
    is_first = (bool(first) and first.rstrip(".…") == title.rstrip(".…")) or (inferred and listed)
    if is_placeholder(title) or is_first:
        named = re.sub(r"[_-]+", " ", note.source.stem).strip()
        candidates = (
            labelled.get("title"),
            _heading(note),
            title_from_name(note.source.stem),
            None if listed else infer_title(note),
            None if _DEFAULT_NAME.match(named) else named,
        )
        for candidate in candidates:
            if candidate and not is_placeholder(candidate) and not (first and first.startswith(candidate)):
                better, by = tidy_title(candidate)
                return better, byline or by
    return title, byline


def _heading(note: Note) -> str | None:
    for line in note.words_text().split("\n", 400)[:400]:
        m = re.match(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", line)
        if m and not is_placeholder(text := strip_inline(m.group(1))):
            return shorten(text, 150)
    return None


def _url(note: Note) -> None:
    """The URL without tracking parameters; a mirror's page gets its original's address (the
    mirror's kept as `mirror_url`, with a reason)."""
    note.url = strip_tracking(note.url)
    original = unmirror(note.url, note.text)
    if original and note.url:
        note.extra.setdefault("mirror_url", note.url)
        note.read_reasons.append(
            "read: clipped through a mirror; url is the original (the mirror's: mirror_url)"
        )
        note.url = strip_tracking(original)


def infer_metadata(note: Note, accepted: Accepted | None = None) -> Note:
    """Fill the metadata fields of `note`: the capture's own frontmatter (normalised strictly
    when it is in triage's schema, leniently otherwise: `keys`), else what its capture tool
    states (leniently), else what its labels state (`labels`), else inferred. Titles, authors
    and URLs are then tidied (`tidy`). `accepted` is the vault's vocabulary and used ids."""
    reasons: list[str] = []
    strict = is_triage_schema(note.given)
    if strict:
        known, extra = normalize_given(note.given)
    else:
        known, extra, reasons = normalize_lenient(note.given, accepted)
    stated, problems = normalize_tool(note.tool_meta)
    tool_extra, filled, kept = settle_tool_keys(note.extra, stated)
    reader_aliases = filled.pop("aliases", [])
    labelled = _labelled(note)
    stated = {**labelled, **filled, **stated}
    note.read_reasons = [*note.read_reasons, *problems, *kept, *reasons]
    note.extra = {**tool_extra, **extra}
    values = {**stated, **known}
    note.id = known.get("id")
    byline = None
    for name, infer in INFERRERS.items():
        if name == "author" and not values.get("author") and byline:
            values["author"] = byline
        setattr(note, name, values[name] if values.get(name) else infer(note))
        if name == "title" and not (strict and "title" in known):
            note.title, byline = _title(note, labelled, not values.get("title"))
        elif name == "url":
            _url(note)
    if note.author:
        note.author = note.author.strip() or None
    note.published_date = values.get("published_date")
    note.status = max(known.get("status", "triaged"), "triaged", key=STATUS_RANK.__getitem__)
    if "tags" not in known and stated.get("tags"):
        known["tags"] = stated["tags"]  # the tool's tags join the note's own (planner)
    if reader_aliases and "aliases" not in known:
        known["aliases"] = list(dict.fromkeys([note.title, *reader_aliases]))
    note.given = known
    return note
