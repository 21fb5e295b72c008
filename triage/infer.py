"""Stage 2: normalise the capture's own metadata and infer what is missing.

Two tables drive it:
- `NORMALIZERS`: frontmatter key -> function that checks and normalises a value the user gave.
  A value that cannot be made valid raises `CaptureError` (the capture is quarantined with the reason).
- `INFERRERS`: field -> function that infers the value from the text when the user gave none.
Keys of other tools are mapped first (`KEY_ALIASES`: Web Clipper's `source` is our `url`, ...).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from .errors import CaptureError
from .note import FORMATS, ID_RE, STATUS_RANK, STATUSES, TELEOLOGIES, Note
from .text import URL_RE, first_sentences, shorten, strip_inline, word_count

# Other tools' names for our keys (Obsidian Web Clipper, Readwise, Zotero...). Ours win if both exist.
KEY_ALIASES = {
    "source": "url",
    "link": "url",
    "created": "captured_date",
    "clipped": "captured_date",
    "date_captured": "captured_date",
    "handle": "creator",
}

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
_TIMESTAMP = re.compile(r"^\s*[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s", re.M)
_SPEAKER = re.compile(r"^\s*(?:\*\*)?[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,2}(?:\*\*)?:\s+\S", re.M)
_THREAD_NUM = re.compile(r"^\s*\d{1,2}\s*/\s*\d{0,2}\s", re.M)
_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{2,30})\b")
_BYLINE = re.compile(
    r"^\s*(?:by|author:|written by|—|--)\s+([A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})\s*$", re.I | re.M
)
_AUTHOR_LINE = re.compile(r"^\s*(?:[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3}\s*)?\(?@[A-Za-z0-9_]{2,30}\)?\s*$")
_SOURCE_LINE = re.compile(r"^\s*(?:source|url|link|original|via)\s*[:·-]\s*(https?://\S+)", re.I | re.M)
_FILE_DATE = re.compile(r"(?<!\d)(20\d{2}|19\d{2})-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])(?!\d)")


def problem(key: str, message: str, hint: str) -> CaptureError:
    return CaptureError(f"frontmatter `{key}`: {message}", hint)


# --- normalizers for given values ------------------------------------------------------------


def _text(key: str) -> Callable[[Any], str | None]:
    def norm(value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, list):  # Web Clipper writes author as a list of links
            value = ", ".join(strip_inline(str(v)) for v in value if v is not None)
        if isinstance(value, (dict, set)):
            raise problem(key, f"expected text, found a {type(value).__name__}", f"write `{key}: some text`")
        out = strip_inline(str(value)).strip()
        return out or None

    return norm


def _url(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, list) and value:
        value = value[0]
    text = str(value).strip().strip("<>")
    if not re.match(r"^https?://\S+$", text):
        raise problem("url", f"{text[:80]!r} is not an http(s) address", "give the full address, https://...")
    return text


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in (
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%Y%m%d",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%d %B %Y",
        "%B %d, %Y",
    ):
        try:
            return dt.datetime.strptime(text[: len(text)], fmt).date()
        except ValueError:
            continue
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise ValueError(text) from None


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return parse_date(value)
    except ValueError:
        raise problem(
            "captured_date",
            f"{str(value)[:40]!r} is not a date",
            "write it as YYYY-MM-DD, e.g. captured_date: 2026-02-18",
        ) from None


def _datetime(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(str(value)).replace(tzinfo=None, microsecond=0)
    except ValueError:
        raise problem("triaged_at", f"{value!r} is not a date and time", "use YYYY-MM-DDTHH:MM:SS") from None


def _choice(key: str, allowed: tuple[str, ...]) -> Callable[[Any], str | None]:
    def norm(value: Any) -> str | None:
        if value is None or value == "":
            return None
        text = str(value).strip().lower()
        if text not in allowed:
            raise problem(
                key, f"{value!r} is not one of {', '.join(allowed)}", f"use one of them, or remove `{key}`"
            )
        return text

    return norm


def _slug_value(key: str) -> Callable[[Any], str | None]:
    def norm(value: Any) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, (str, int)):
            raise problem(
                key, f"expected a single word, found a {type(value).__name__}", f"write `{key}: word`"
            )
        text = re.sub(r"[^a-z0-9-]+", "-", str(value).strip().lower()).strip("-")
        if not text:
            raise problem(key, f"{value!r} has no letters or digits", f"write `{key}: word`")
        return text

    return norm


def _id(value: Any) -> str | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    m = ID_RE.match(text)
    if not m:
        raise problem(
            "id",
            f"{text[:40]!r} is not an id like SOURCE-20260218-001",
            "remove the `id` line to get a new id, or correct it",
        )
    try:
        dt.datetime.strptime(m.group(1), "%Y%m%d")
    except ValueError:
        raise problem("id", f"{text!r} holds no real date", "remove the `id` line to get a new id") from None
    return text


def _list(key: str) -> Callable[[Any], list[str] | None]:
    def norm(value: Any) -> list[str] | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = [v for v in re.split(r"\s*,\s*", value) if v]
        if not isinstance(value, list):
            raise problem(
                key, f"expected a list, found {value!r:.40}", f"write `{key}: [a, b]` or one item per line"
            )
        out = []
        for item in value:
            if isinstance(item, (dict, list)):
                raise problem(key, "list items must be text", f"write `{key}: [a, b]`")
            if item is not None and str(item).strip():
                out.append(strip_inline(str(item)).strip())
        return out

    return norm


def _status(value: Any) -> str | None:
    return _choice("status", STATUSES)(value)


def _synopsis(value: Any) -> str | None:
    text = _text("synopsis")(value)
    if not text:
        return None
    return first_sentences(text, 300) or shorten(text, 300).rstrip("…").rsplit(" ", 1)[0] + "."


def _creator(value: Any) -> str | None:
    text = _text("creator")(value)
    return text.lstrip("@") if text else None


NORMALIZERS: dict[str, Callable[[Any], Any]] = {
    "id": _id,
    "url": _url,
    "author": _text("author"),
    "creator": _creator,
    "captured_date": _date,
    "original_filename": _text("original_filename"),
    "status": _status,
    "platform": _slug_value("platform"),
    "format": _choice("format", FORMATS),
    "signal_tier": _slug_value("signal_tier"),
    "topics": _list("topics"),
    "teleology": _choice("teleology", TELEOLOGIES),
    "notebooklm_category": _slug_value("notebooklm_category"),
    "aliases": _list("aliases"),
    "synopsis": _synopsis,
    "key_insights": _list("key_insights"),
    "entities": _list("entities"),
    "tags": _list("tags"),
    "title": _text("title"),
    "triaged_at": _datetime,
}
# Keys the pipeline computes itself; a given value is dropped (sha256 must describe the real bytes).
RECOMPUTED = {"sha256", "triage_reasons"}


def normalize_given(given: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(known values normalised, other keys kept verbatim). Raises CaptureError listing every problem."""
    known: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    errors: list[CaptureError] = []
    for key, value in given.items():
        target = KEY_ALIASES.get(key, key)
        if target != key and target in given:
            extra[key] = value
            continue
        if target in RECOMPUTED:
            continue
        fn = NORMALIZERS.get(target)
        if fn is None:
            extra[key] = value
            continue
        try:
            out = fn(value)
        except CaptureError as exc:
            errors.append(exc)
            continue
        if out is not None:
            known[target] = out
        if target == "title":
            extra[key] = out  # kept for Web Clipper/Dataview users, cleaned: no markdown, no links
        elif target != key:
            extra[key] = value  # other tools' keys stay, so their own views keep working
    if errors:
        if len(errors) == 1:
            raise errors[0]
        raise CaptureError("; ".join(e.message for e in errors), errors[0].hint)
    return known, extra


# --- inferrers for missing values -------------------------------------------------------------


def infer_title(note: Note) -> str:
    for line in note.body.split("\n"):
        m = re.match(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", line)
        if m and strip_inline(m.group(1)):
            return shorten(strip_inline(m.group(1)), 150)
    for line in note.body.split("\n"):
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
    m = _SOURCE_LINE.search(note.body)
    if m:
        return m.group(1).rstrip(".,;)")
    # Otherwise only a link near the top counts: links further down are citations, not the source.
    lines = [ln for ln in note.body.split("\n") if ln.strip()][:5]
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
    host = (urlparse(url).hostname or "").lower().removeprefix("www.")
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
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower().removeprefix("www.")
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
    head = "\n".join(note.body.split("\n")[:12])
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
        slug = re.sub(r"[^a-z0-9]+", "_", note.author.lower()).strip("_")
        return slug[:40] or None
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
    body = note.body
    if len(_TIMESTAMP.findall(body)) >= 3 or len(_SPEAKER.findall(body)) >= 4:
        return "transcript"
    if note.platform in PLATFORM_FORMAT:
        return PLATFORM_FORMAT[note.platform]
    words = word_count(body)
    if note.platform == "x":
        if len(_THREAD_NUM.findall(body)) >= 2 or body.count("\n---\n") >= 2:
            return "thread"
        return (
            "article"
            if words > 400 and re.search(r"^#{1,3} ", body, re.M)
            else ("thread" if words > 120 else "post")
        )
    return "article" if words >= 150 else "note"


def infer_metadata(note: Note) -> Note:
    """Fill the metadata fields of `note` from its frontmatter, then from inference."""
    known, extra = normalize_given(note.given)
    note.extra = extra
    note.title = known.get("title") or infer_title(note)
    note.id = known.get("id")
    note.url = known.get("url") or infer_url(note)
    note.platform = known.get("platform") or platform_for(note.url)
    note.author = known.get("author") or infer_author(note)
    note.creator = known.get("creator") or infer_creator(note)
    note.captured_date = known.get("captured_date") or infer_date(note)
    note.format = known.get("format") or infer_format(note)
    note.original_filename = known.get("original_filename") or note.source.name
    given_status = known.get("status", "triaged")
    note.status = max(given_status, "triaged", key=STATUS_RANK.__getitem__)
    note.given = {**known}
    return note
