"""Stage 2b: tidy the title, author and URL every reader found (what holds for every tool).

- `tidy_title`: a browser tab's notification count (`(99+) Title`), DownSub's wrapping
  (`[English (auto-generated)] Title [DownSub.com]`), site and byline suffixes
  (`Title | by Name | in Publication - Freedium`, `Title | by Name | Geek Culture`,
  `Title - by Name`) removed; the byline's name is returned as an author;
- `is_placeholder`: a title that names no source (`Thread by @x`, `(no title)`,
  `markdownload-untitled`, a section heading such as `Metadata`);
- `strip_tracking`: `utm_*`, `fbclid`, `gclid`, `ref_src`... removed from a URL, the rest as it is;
- `unmirror`: the original address of a page read through a mirror (Freedium, archive.org...),
  from the mirror's own path or the page's "Go to the original" link.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING = re.compile(
    r"^(utm_.*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|mc_cid|mc_eid|_hsenc|_hsmi"
    r"|mkt_tok|ref_src|ref_url|si|sr_share|__twitter_impression)$"
)
"""Query parameters that say who shared or clicked a link, not what it is."""

_NOTIFICATION = re.compile(r"^\(\d{1,3}\+?\)\s+(?=\S)")
_DOWNSUB = re.compile(r"^\s*(?:\[[^\[\]]{1,60}\]\s*)?(.*?)\s*\[DownSub\.com\]\s*$", re.I)
_AUTO_CAPTIONS = re.compile(r"^\s*\[[^\[\]]*\(auto-generated\)[^\[\]]*\]\s*", re.I)
_FREEDIUM = r"(?:\s+[-–—]\s+Freedium)?"
_NAME = r"[A-Z\u00c0-\u024f][\w.'’-]*(?: (?:[A-Z\u00c0-\u024f][\w.'’-]*|de|van|von|der|da|di|la|le|al)){0,5}"
"""A person's name as a byline gives it: capitalised words (`Ana de la Cruz`)."""
# Site and byline suffixes, most specific first: (pattern, group of the author or 0).
_SUFFIXES: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(rf"^(.+?)\s+\|\s+[Bb]y\s+({_NAME})\s+\|\s+(?:in\s+)?[^|]{{1,80}}?{_FREEDIUM}$"), 2),
    (re.compile(rf"^(.+?)\s+\|\s+[Bb]y\s+({_NAME}){_FREEDIUM}$"), 2),
    (re.compile(rf"^(.+?)\s+[-–—|]\s+[Bb]y\s+({_NAME})$"), 2),
    (re.compile(r"^(.+?)\s+[-–—|]\s+(?:Freedium|Medium)$", re.I), 0),
)
_BY_HANDLE = re.compile(r"^(?:thread|post|tweet)s? by (@\w{1,30})\b", re.I)
_PLACEHOLDERS = re.compile(
    r"""^(?:\(?no\ title\)?|\(?untitled\)?(?:\ ?\d+)?|markdownload[-_ ]untitled|new\ tab|untitled\ document
        |(?:thread|post|tweet)\ by\ @\w+(?:\ on\ (?:x|twitter|thread\ reader\ app))?
        |metadata|highlights|annotations|summary|notes|page\ notes|snips|comments|contents|table\ of\ contents
        |omnivore|readwise|clippings)$""",
    re.I | re.X,
)


def tidy_title(title: str) -> tuple[str, str | None]:
    """(the title without a tab's notification count, DownSub's wrapping and site or byline
    suffixes; the byline's name, or the @handle of a `Thread by @x` placeholder, or None). The
    title is returned as it was when tidying would leave nothing."""
    text = re.sub(r"\s+", " ", html.unescape(title)).strip()
    text = _NOTIFICATION.sub("", text)
    if m := _DOWNSUB.match(text):
        text = m.group(1)
    text = _AUTO_CAPTIONS.sub("", text)
    placeholder = _BY_HANDLE.match(text)
    author = placeholder.group(1) if placeholder else None
    for pattern, group in _SUFFIXES:
        if (m := pattern.match(text)) and m.group(1).strip():
            text = m.group(1).strip()
            author = m.group(group).strip() if group else author
            if group:
                break
    return (text or title.strip()), (author or None)


def is_placeholder(title: str | None) -> bool:
    """A title that names no source: empty, `(no title)`, `Untitled`, `markdownload-untitled`,
    `Thread by @x on Thread Reader App`, a section heading (`Metadata`, `Highlights`)."""
    text = re.sub(r"\s+", " ", (title or "").strip().strip("#").strip())
    return not text or _PLACEHOLDERS.match(text) is not None


def strip_tracking(url: str | None) -> str | None:
    """The URL without tracking parameters (`identity.TRACKING`: utm_*, fbclid, gclid, ref_src...),
    everything else kept as written (order, case, fragment)."""
    if not url or "?" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not TRACKING.match(k.lower())]
    if len(kept) == len(pairs):
        return url
    return urlunsplit(parts._replace(query=urlencode(kept, doseq=True)))


MIRRORS = re.compile(
    r"^(?:[\w-]+\.)?(?:freedium(?:-mirror)?\.[a-z]{2,5}|scribe\.rip|archive\.(?:ph|is|today|li|md)"
    r"|web\.archive\.org|12ft\.io|removepaywall\.com|smry\.ai)$",
    re.I,
)
"""Hosts that show someone else's page (Medium mirrors, web archives, paywall removers)."""
_EMBEDDED = re.compile(r"(https?://(?!(?:[\w-]+\.)*(?:freedium|archive|12ft)\b)[^\s)\]>\"']+)", re.I)
_GO_TO_ORIGINAL = re.compile(
    r"\[\s*<?\s*(?:go to (?:the )?original|original (?:article|post|story)|view original)\s*\]\((https?://[^)\s]+)\)"
    r"|(?:go to (?:the )?original)\s*[:\-–]?\s*<?(https?://[^\s>)]+)",
    re.I,
)


def unmirror(url: str | None, text: str) -> str | None:
    """The original address of a page clipped through a mirror (`url`'s host is in `MIRRORS`):
    the address in the mirror's path (`https://freedium.cfd/https://medium.com/...`,
    `web.archive.org/web/2023/https://...`), else the page's "Go to the original" link (read in
    its first 20,000 characters). None when `url` is no mirror or the original is not found."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    if not MIRRORS.match(host):
        return None
    path = url.split("://", 1)[-1].split("/", 1)[-1]
    if m := _EMBEDDED.search(path):
        return m.group(1)
    if m := _GO_TO_ORIGINAL.search(text[:20_000]):
        found = m.group(1) or m.group(2)
        return None if MIRRORS.match(urlsplit(found).hostname or "") else found
    return None
