"""Obsidian Web Clipper, default template (capture-formats.md, "Obsidian Web Clipper").

Recognised by its frontmatter: `source` and `created`, plus the `clippings` tag or the template's
`published` / `description` keys, and none of triage's own schema keys (a hand-written capture
with `url:` / `captured_date:` stays with the generic reader, strictly validated). The body
starts right after the closing `---`.

- `title`, `source` (-> url), `author` (a list of `"[[Name]]"` links), `published` (-> published_date
  when given), `created` (-> captured_date), `tags`. `description` is the page's (or an AI's)
  summary: kept as a property, never content. The template's keys stay on the note as they are.
  A clipped page is format article unless its platform says otherwise (YouTube: video...).
- `==passages==` are the reader's highlights; the `==` marks are removed from `content`.
- X posts and threads (`Post by @handle on X`): the placeholder is not a title (the first tweet
  gives it); platform x, format post or thread (tweets are separated by `---`); author `@handle`.
  Replies by other people under `## Comments` are not the author's text: kept in the body only.
  The newer clipper puts replies after a `---` with no heading: a part that opens with another
  account's `@handle` (`**Name** @handle · [date](...)`) ends the author's text the same way.
- Thread Reader App (`Thread by @handle on Thread Reader App`): url `https://x.com/<handle>/status/<id>`,
  platform x, format thread; the page's clutter (`## Enter URL or ID to Unroll`, view counts, `1/`
  numbering, everything from the `• • •` line on) is not content.
"""

from __future__ import annotations

import re
from typing import Any

from ..note import PROPERTY_ORDER, Highlight
from .base import Document, Item, SourceReader
from .common import original_url, page_format, plain, tool_extra, wikilink_names
from .evidence import Clue, folder, key

_OWN_KEYS = set(PROPERTY_ORDER) - {"author", "tags"}
_X_POST = re.compile(r"^(?:Post|Thread) by @([A-Za-z0-9_]{1,30}) on (?:X|Twitter)$", re.I)
_TRA = re.compile(r"^Thread by @([A-Za-z0-9_]{1,30}) on Thread Reader App$", re.I)
_TRA_URL = re.compile(r"^https?://(?:www\.)?threadreaderapp\.com/thread/(\d+)(?:\.html)?", re.I)
_X_URL = re.compile(r"^https?://(?:www\.|mobile\.)?(?:x|twitter)\.com/([A-Za-z0-9_]{1,30})/status/\d+", re.I)
_MARK = re.compile(r"==(?=\S)(.+?)(?<=\S)==")
_FENCE = re.compile(r"^\s*(```|~~~)")
_RULE = re.compile(r"^\s*---+\s*$")
_COMMENTS = re.compile(r"^#{1,3}\s+Comments\s*$", re.I)
_TRA_CLUTTER = re.compile(
    r"^\s*(?:#{1,6}\s+Enter URL or ID to Unroll\s*"
    r"|[\d.,]+\s*[KkMm]?\s+views?\s*"
    r"|.*\b\d+\s+tweets?\b.*\b\d+\s+min read\b.*"
    r"|(?:Share this page!?|Save as PDF|Follow Us!?|Unroll(?: thread)?)\s*)$",
    re.I,
)
_TRA_END = re.compile(r"^\s*•\s*•\s*•\s*$")
_NUMBER = re.compile(r"^(\s*)\d{1,3}\s*/\s*(?:\d{1,3}\s+)?(?=\S)")


CLUES = (
    key("a clippings tag", 2, "tags", r"\bclippings\b"),
    Clue(
        "`source` and `created` keys",
        2,
        test=lambda d: "source" in d.frontmatter and "created" in d.frontmatter,
    ),
    key("a `published` key", 1, "published"),
    key("a `description` key", 1, "description"),
    folder("a Clippings folder", 2, r"clippings"),
)
"""The traces the Web Clipper's templates leave (see `evidence`)."""


def detect(doc: Document) -> bool:
    fm = doc.frontmatter
    if not fm or "source" not in fm or "created" not in fm or _OWN_KEYS & set(fm):
        return False
    tags = fm.get("tags")
    tags = tags if isinstance(tags, list) else [tags]
    return "clippings" in [str(t).strip().lower() for t in tags] or "published" in fm or "description" in fm


def _outside_code(text: str) -> list[tuple[bool, str]]:
    """(is code, line) for each line: `==` inside code blocks is code, not a highlight."""
    out, code = [], False
    for line in text.split("\n"):
        if _FENCE.match(line):
            code = not code
            out.append((True, line))
        else:
            out.append((code, line))
    return out


def _unmark(text: str) -> tuple[str, list[Highlight]]:
    """The text without `==` marks, and the marked passages as highlights."""
    lines, highlights = [], []
    for code, line in _outside_code(text):
        if not code:
            highlights += [Highlight(plain(m.group(1))) for m in _MARK.finditer(line)]
            line = _MARK.sub(lambda m: m.group(1), line)
        lines.append(line)
    return "\n".join(lines), [h for h in highlights if h.text]


def _authors(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    out = []
    for v in values:
        if v is None or isinstance(v, (dict, list)):
            continue
        names = wikilink_names(str(v)) or [str(v)]
        out += [plain(n) for n in names if plain(n)]
    return out


_REPLY_HEAD = re.compile(
    r"^\s*(?:>\s*)?(?:!\[[^\]]*\]\([^)]*\)\s*)?(?:\*\*|\[)?[^@\n]{0,60}?(?:\*\*|\]\([^)]*\))?\s*"
    r"\[?@(?P<handle>[A-Za-z0-9_]{1,30})\b"
)


def _reply_at(lines: list[str], start: int, handle: str) -> bool:
    """Whether the part starting at `start` (after a `---`) is somebody else's post: its first line
    names another @handle as its author (`**Name** @handle · [date](...)`)."""
    first = next((ln for ln in lines[start:] if ln.strip()), "")
    m = _REPLY_HEAD.match(first)
    byline = "·" in first or "**" in first or re.search(r"(?:x|twitter)\.com/\w+/status/", first)
    return bool(m and byline and handle and m.group("handle").lower() != handle.lower())


def _before_comments(body: str, handle: str = "") -> str:
    """The author's part of an X clip: up to `## Comments`, or up to the first `---` part that
    another account wrote (the newer clipper puts replies there with no heading), without the
    rule before it."""
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if _COMMENTS.match(line) or (_RULE.match(line) and _reply_at(lines, i + 1, handle)):
            lines = lines[:i]
            break
    while lines and (not lines[-1].strip() or _RULE.match(lines[-1])):
        lines.pop()
    return "\n".join(lines) + "\n"


def _thread_reader(body: str) -> str:
    out = []
    for line in body.split("\n"):
        if _TRA_END.match(line):
            break
        if _TRA_CLUTTER.match(line):
            continue
        out.append(_NUMBER.sub(r"\1", line))
    return "\n".join(out).strip("\n") + "\n"


def _tweets(text: str) -> int:
    """How many tweets an X clip's author part holds (they are separated by `---`)."""
    parts = re.split(r"^\s*---+\s*$", text, flags=re.M)
    return sum(1 for p in parts if p.strip())


def read(doc: Document) -> list[Item]:
    fm = doc.frontmatter
    title = plain(str(fm.get("title") or ""))
    source = original_url(str(fm.get("source") or "")) or None
    authors = _authors(fm.get("author"))
    meta: dict[str, Any] = {
        "title": title,
        "url": source,
        "captured_date": fm.get("created"),
        "published_date": fm.get("published"),
        "tags": fm.get("tags"),
    }
    extra = tool_extra(fm)
    text = doc.body
    tra, post = _TRA.match(title), _X_POST.match(title)
    x_url = _X_URL.match(source or "")
    if tra:
        handle = tra.group(1)
        tweet = _TRA_URL.match(source or "")
        if tweet:
            meta["url"] = f"https://x.com/{handle}/status/{tweet.group(1)}"
        text = _thread_reader(text)
        meta.update(platform="x", format="thread", title=None)
    elif post or x_url:
        handle = post.group(1) if post else x_url.group(1) if x_url else ""
        text = _before_comments(text, handle)
        meta.update(platform="x", format="thread" if _tweets(text) > 1 else "post")
        if post:
            meta["title"] = None  # the first tweet says what it is about (infer_title)
    else:
        handle = ""
        meta.update(page_format(source))  # a clipped page, however short; YouTube etc. by platform
    if tra or post:
        extra.pop("title", None)  # a placeholder, not a title
    elif "title" in extra:
        extra["title"] = title  # as the generic reader keeps it: cleaned
    if handle:
        handles = [a for a in authors if a.startswith("@")]
        meta["creator"] = (handles[0] if handles else f"@{handle}").lstrip("@")
        if not authors:
            authors = [f"@{handle}"]
    meta["author"] = ", ".join(authors) or None
    content, highlights = _unmark(text)
    meta = {k: v for k, v in meta.items() if v not in (None, "", [])}
    return [Item(body=doc.body, content=content, meta=meta, extra=extra, highlights=highlights)]


READER = SourceReader("webclipper", "Obsidian Web Clipper", (".md", ".markdown"), detect, read, clues=CLUES)
