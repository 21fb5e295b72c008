"""Which source a capture is of: the keys by which a capture finds the note of the same source.

- a URL, normalised: scheme, `www.`, `m.`/`mobile.`, trailing slash, fragment and tracking
  parameters (`utm_*`, `fbclid`, `gclid`, `ref`, `s`/`t` on X...) removed; twitter.com is x.com;
- a book (format `book`): its title and its authors' family names (`common.book_key`), so the
  same book from My Clippings, the Kindle plugin and Readwise meets.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from . import common
from .common import person_names
from .tidy import TRACKING

HOSTS = {"twitter.com": "x.com", "mobile.twitter.com": "x.com", "mobile.x.com": "x.com"}
X_PARAMS = {"s", "t"}  # x.com share links: ?s=20&t=... say who shared, not what


def normalize_url(url: object) -> str | None:
    """The URL as a key: no scheme, host lowercased without `www.`/`m.`/`mobile.` (twitter.com is
    x.com), no trailing slash, no fragment, no tracking parameters (utm_*, fbclid...), the rest
    sorted: `https://www.Example.com/a/?utm_source=x#top` -> `example.com/a`. None for no URL."""
    if not isinstance(url, str) or "://" not in url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    host = HOSTS.get(host, host)
    for prefix in ("www.", "m.", "mobile."):
        host = host.removeprefix(prefix)
    if not host:
        return None
    params = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING.match(k.lower()) and not (host == "x.com" and k in X_PARAMS)
    )
    return host + parts.path.rstrip("/") + (f"?{urlencode(params)}" if params else "")


def url_key(url: object) -> str | None:
    """A cheap, coarser key than `normalize_url` (no query at all), to find the notes that may share
    a URL without parsing every note's URL: `normalize_url` then decides."""
    if not isinstance(url, str) or not url:
        return None
    key = url.lower().split("#", 1)[0].split("?", 1)[0].split("://", 1)[-1].removeprefix("www.").rstrip("/")
    for host, to in HOSTS.items():
        if key.startswith(host + "/"):
            return to + key[len(host) :]
    return key


def book_key(title: str, author: str | None) -> str:
    """`common.book_key` (case, accents, subtitles and edition notes ignored; authors by surname)
    over the author as every reader writes it (`Moreau, Ines` is `Ines Moreau`)."""
    return "book:" + common.book_key(title, person_names(author))


def source_keys(url: str | None, title: str, author: str | None, format_: str) -> list[str]:
    """The keys of one capture's source (none when it has neither a URL nor is a book)."""
    keys = []
    if (normal := normalize_url(url)) is not None:
        keys.append("url:" + normal)
    if format_ == "book" and title:
        keys.append(book_key(title, author))
    return keys
