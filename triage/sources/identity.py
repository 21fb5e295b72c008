"""Which source a capture is of: the keys by which a capture finds the note of the same source.

- a URL, normalised: scheme, `www.`, `m.`/`mobile.`, trailing slash, fragment and tracking
  parameters (`utm_*`, `fbclid`, `gclid`, `ref`, `s`/`t` on X...) removed; twitter.com is x.com;
- a book (format `book`): its title and its authors' family names (`common.book_key`), so the
  same book from My Clippings, the Kindle plugin and Readwise meets.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlparse

from . import common
from .common import person_names

_TRACKING = re.compile(r"^(utm_.*|fbclid|gclid|mc_cid|mc_eid|ref|ref_src|ref_url|source|si|igshid)$", re.I)
_HOSTS = {"twitter.com": "x.com", "mobile.twitter.com": "x.com", "youtu.be": "youtube.com"}


def normalize_url(url: str) -> str:
    """`https://www.Example.com/a/?utm_source=x#top` -> `example.com/a`."""
    parsed = urlparse(url.strip())
    host = (parsed.hostname or "").lower()
    for prefix in ("www.", "m.", "mobile."):
        host = host.removeprefix(prefix)
    host = _HOSTS.get(host, host)
    path = re.sub(r"/+$", "", parsed.path) or ""
    query = [(k, v) for k, v in parse_qsl(parsed.query, keep_blank_values=True) if not _TRACKING.match(k)]
    if host == "x.com":
        query = []  # ?s=20&t=... on shared posts
    if host == "youtube.com" and parsed.hostname == "youtu.be":
        query, path = [("v", path.strip("/"))], "/watch"
    out = host + path
    if query:
        out += "?" + urlencode(sorted(query))
    return out


def book_key(title: str, author: str | None) -> str:
    """`common.book_key` (case, accents, subtitles and edition notes ignored; authors by surname)
    over the author as every reader writes it (`Moreau, Ines` is `Ines Moreau`)."""
    return "book:" + common.book_key(title, person_names(author))


def source_keys(url: str | None, title: str, author: str | None, format_: str) -> list[str]:
    """The keys of one capture's source (none when it has neither a URL nor is a book)."""
    keys = []
    if url:
        keys.append("url:" + normalize_url(url))
    if format_ == "book" and title:
        keys.append(book_key(title, author))
    return keys
