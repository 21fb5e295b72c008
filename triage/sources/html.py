"""Saved web pages (`.html`, `.htm`): the main content as markdown, metadata from the page itself.

The main content (headings, lists, links, emphasis) is found by trafilatura, which drops the
navigation, menus, ads, cookie notices, comments, related-article lists and footers. The metadata
is read from what the page states, in this order:

- title: `og:title`, JSON-LD `headline`, trafilatura's title (from `<title>` and `<h1>`);
- url: `<link rel=canonical>`, `og:url`, JSON-LD `url`, the browser's `<!-- saved from url=... -->`;
- author: `<meta name=author>`, `article:author`, JSON-LD `author`, then the byline;
- published_date: `article:published_time` and its kin, JSON-LD `datePublished`, a `<time>` in the
  article, a date in the byline (never the date the page was saved);
- platform: from the URL (`infer.platform_for`), `og:site_name` as a hint; `web` otherwise.

A page that is only a redirect, or only a login form, is refused with what to do instead.
"""

from __future__ import annotations

import codecs
import json
import logging
import re
from typing import Any

from ..errors import CaptureError
from .base import Document, Item, SourceReader
from .infer import PLATFORM_DOMAINS, platform_for
from .markup import stripped as _stripped

_HEAD = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I)
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,100}encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})""")
_WHATWG = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
}
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->", re.I)
_JS_REDIRECT = re.compile(
    r"""(?:window\.|document\.|top\.)?location(?:\.href)?\s*=\s*["']|location\.(?:replace|assign)\s*\(""",
    re.I,
)
_BYLINE = re.compile(r"^(?i:by|written by)\s+([A-Z][\w.'-]+(?:\s+(?:[A-Z][\w.'-]+|and|&))*.*)$")
_AD_CLASS = re.compile(
    r"(?:^|[\s_-])(?:ads?|advert\w*|sponsor\w*|promo\w*|newsletter\w*|cookie\w*|consent|gdpr)(?:$|[\s_-])"
)
_AD_TEXT = re.compile(r"^(?:advertisement|sponsored|ad|anzeige|publicité)$", re.I)
_LOGIN_WORDS = re.compile(r"\b(?:sign[ -]?in|log[ -]?in|login|subscribe to (?:continue|read))\b", re.I)
_MONTH_DATE = re.compile(
    r"\b(?:\d{1,2}\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?\d{4}\b"
    r"|\b\d{4}-\d{2}-\d{2}\b"
)
_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "citation_publication_date",
    "citation_date",
    "dc.date.issued",
    "dcterms.issued",
    "parsely-pub-date",
    "sailthru.date",
    "date",
    "pubdate",
    "publish-date",
)
_ARTICLE_TYPES = re.compile(r"Article|BlogPosting|Posting|Report|WebPage|CreativeWork|Review", re.I)
_SITE_PLATFORMS = {v.replace(" ", ""): v for v in set(PLATFORM_DOMAINS.values())} | {
    "hackernews": "hackernews"
}
MIN_TEXT_CHARS = 40
"""Less visible text than this (with a refresh, a script redirect or a password field) is not a page
worth a note."""


def detect(doc: Document) -> bool:
    return bool(_HEAD.search(doc.data[:4096]))


def _decoded(doc: Document) -> str:
    """The page's text. The registry decoded it without looking at `<meta charset>` (UTF-8, else
    cp1252 Western text, else charset-normalizer's detection). When the bytes are not UTF-8 and
    the page declares another encoding, that declaration is tried; when the bytes disagree with it
    (a page that declares utf-8 but holds cp1252 bytes: more bytes the declared codec cannot
    read than characters it can), the bytes win: the registry's detection stands."""
    data = doc.data
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return doc.text
    try:
        data.decode("utf-8")
        return doc.text
    except UnicodeDecodeError:
        pass
    m = _XML_ENCODING.search(data[:1024]) or _CHARSET.search(data[:8192])
    if not m:
        return doc.text
    label = m.group(1).decode("ascii").lower()
    try:
        codec = codecs.lookup(_WHATWG.get(label, label)).name
    except LookupError:
        return doc.text
    if codec.startswith("utf-16"):  # a page that states UTF-16 but has no BOM is not UTF-16
        return doc.text
    text = data.decode(codec, errors="replace")
    bad = text.count("\ufffd")
    if bad and bad >= sum(1 for ch in text if ord(ch) > 127) - bad:  # the bytes are not in that codec
        return doc.text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _metas(tree: Any) -> dict[str, str]:
    """`<meta>` values by lowercased name/property/itemprop (the first of each)."""
    out: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = (el.get("content") or "").strip()
        if key and value and key not in out:
            out[key] = value
    return out


def _json_ld(tree: Any) -> list[dict[str, Any]]:
    """The JSON-LD objects of the page (`@graph` flattened); broken blocks are skipped."""
    found: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except (ValueError, RecursionError):
            continue
        stack = data if isinstance(data, list) else [data]
        for obj in stack[:50]:
            if not isinstance(obj, dict):
                continue
            graph = obj.get("@graph")
            if isinstance(graph, list):
                found += [g for g in graph[:50] if isinstance(g, dict)]
            else:
                found.append(obj)
    return found


def _types(obj: dict[str, Any]) -> str:
    t = obj.get("@type", "")
    return " ".join(map(str, t)) if isinstance(t, list) else str(t)


def _names(value: Any) -> list[str]:
    """Author names from a JSON-LD `author` (a string, a Person, a list of either)."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items[:20]:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip() and not name.strip().startswith("http"):
            names.append(name.strip())
    return names


def _http(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and re.match(r"https?://\S+$", value.strip()) else None


def _outside_chrome(el: Any) -> bool:
    for anc in el.iterancestors():
        tag = anc.tag if isinstance(anc.tag, str) else ""
        marks = f"{anc.get('class', '')} {anc.get('id', '')}".lower()
        if tag in ("footer", "aside", "nav") or "comment" in marks or "related" in marks:
            return False
    return True


def _split_byline(text: str) -> tuple[str | None, str | None]:
    m = _BYLINE.match(text)
    author = re.split(r"\s*(?:[,|·•—–]|\bon\b|\d)", m.group(1))[0].strip() if m else None
    date = _MONTH_DATE.search(text)
    return author or None, date.group(0) if date else None


def _byline(tree: Any) -> tuple[str | None, str | None]:
    """(author, date text) from the article's byline: an element marked as one, else the first short
    line reading "By <Name>" outside the page's chrome."""
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("meta", "link", "script", "style", "body", "html"):
            continue
        marks = f"{el.get('class', '')} {el.get('id', '')}".lower()
        if not re.search(
            r"byline|\bauthor\b|post-meta|article-meta|entry-meta", marks
        ) or not _outside_chrome(el):
            continue
        text = re.sub(r"\s+", " ", el.text_content()).strip()
        if not text or len(text) > 200:
            continue
        rel = el.xpath(".//a[@rel='author']")
        author, date = _split_byline(text)
        return (rel[0].text_content().strip() if rel else author), date
    for el in tree.iter("p", "div", "span", "address"):
        text = re.sub(r"\s+", " ", el.text_content()).strip()
        if len(text) < 150 and _BYLINE.match(text) and _outside_chrome(el):
            return _split_byline(text)
    return None, None


def _time_element(tree: Any) -> str | None:
    best = None
    for el in tree.iter("time"):
        value = (el.get("datetime") or "").strip()
        if not value or not _outside_chrome(el):
            continue
        if el.get("itemprop") == "datePublished" or el.get("pubdate") is not None:
            return value
        best = best or value
    return best


def metadata(tree: Any, text: str, found: Any) -> dict[str, Any]:
    """What the page states about itself, under schema names (see the module's docstring)."""
    metas = _metas(tree)
    ld = [obj for obj in _json_ld(tree) if _ARTICLE_TYPES.search(_types(obj))]
    ld.sort(key=lambda obj: "Article" not in _types(obj) and "Posting" not in _types(obj))
    first = ld[0] if ld else {}
    canonical = next(
        (
            _http(link.get("href"))
            for link in tree.iter("link")
            if "canonical" in (link.get("rel") or "").lower()
        ),
        None,
    )
    saved = _SAVED_FROM.search(text[:2000])
    url = (
        canonical
        or _http(metas.get("og:url"))
        or _http(first.get("url"))
        or (saved.group(1) if saved else None)
        or _http(getattr(found, "url", None))
    )
    byline_author, byline_date = _byline(tree)
    authors = [a for a in (metas.get("author"), metas.get("article:author")) if a and not _http(a)]
    author = (
        ", ".join(dict.fromkeys(authors))
        or ", ".join(_names(first.get("author")))
        or byline_author
        or (getattr(found, "author", None) or "").replace("; ", ", ")
        or None
    )
    published = (
        next((metas[k] for k in _PUBLISHED_META if metas.get(k)), None)
        or next((obj["datePublished"] for obj in ld if isinstance(obj.get("datePublished"), str)), None)
        or _time_element(tree)
        or byline_date
    )
    title = metas.get("og:title") or first.get("headline") or getattr(found, "title", None)
    site = metas.get("og:site_name") or getattr(found, "sitename", None) or ""
    platform = platform_for(url) if url else "web"
    hint = _SITE_PLATFORMS.get(re.sub(r"[^a-z]", "", site.lower()))
    if platform in ("web", "unknown") and hint:
        platform = hint
    meta: dict[str, Any] = {"platform": platform}
    for key, value in (("title", title), ("url", url), ("author", author), ("published_date", published)):
        if isinstance(value, str) and value.strip():
            meta[key] = re.sub(r"\s+", " ", value).strip()
    if site:
        meta["site_name"] = site.strip()
    return meta


def _visible_text(tree: Any) -> str:
    texts = tree.xpath(
        "//body//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)]"
    )
    return re.sub(r"\s+", " ", " ".join(str(t) for t in texts)).strip()


def _refuse_non_pages(tree: Any, text: str, visible: str) -> None:
    """A redirect or a login form saved instead of the page: say so, and what to do."""
    metas_refresh = [
        el.get("content", "")
        for el in tree.iter("meta")
        if (el.get("http-equiv") or "").lower() == "refresh" and "url" in (el.get("content") or "").lower()
    ]
    scripts = " ".join(s.text or "" for s in tree.iter("script"))
    if len(visible) < 300 and (metas_refresh or _JS_REDIRECT.search(scripts)):
        target = re.search(r"url\s*=\s*['\"]?([^'\";\s]+)", metas_refresh[0], re.I) if metas_refresh else None
        where = f" to {target.group(1)}" if target else ""
        raise CaptureError(
            f"this saved page is only a redirect{where}, not the page itself",
            "open the page in the browser, wait until it has loaded, then save it again (Save Page As…)",
        )
    password = tree.xpath("//input[translate(@type, 'PASSWORD', 'password')='password']")
    title = " ".join(el.text_content() for el in tree.iter("title", "h1"))
    if password and (len(visible) < 1500 or _LOGIN_WORDS.search(title)):
        raise CaptureError(
            "this saved page is a login form, not the article",
            "log in in the browser, open the article, then save the page again",
        )


def _prune_ads(tree: Any) -> None:
    """Ads, cookie and newsletter boxes that trafilatura may keep (an ad slot inside the article)."""
    doomed = [
        el
        for el in tree.iter()
        if isinstance(el.tag, str)
        and el.tag not in ("html", "body", "main", "article")
        and _AD_CLASS.search(f"{el.get('class', '')} {el.get('id', '')}".lower())
    ]
    for el in doomed:
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)


def _tidy(markdown: str) -> str:
    """trafilatura keeps the source's line breaks and indentation inside paragraphs: one line each."""
    blocks = []
    for block in re.split(r"\n\s*\n", markdown.strip()):
        lines = [ln.strip() for ln in block.split("\n")]
        if "```" in block:
            blocks.append(block)
        elif any(re.match(r"(?:[-*+]|\d+[.)]|#{1,6}|>|\|)\s", ln) for ln in lines):
            blocks.append("\n".join(ln for ln in lines if ln))
        else:
            blocks.append(" ".join(ln for ln in lines if ln))
    return "\n\n".join(b for b in blocks if b and not _AD_TEXT.match(b.strip(" *_")))


def read(doc: Document) -> list[Item]:
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    import trafilatura
    from trafilatura.utils import load_html

    text = _decoded(doc)
    tree = load_html(text)
    if tree is None:
        raise CaptureError("no HTML could be read from this file", "check it is a complete saved web page")
    visible = _visible_text(tree)
    _refuse_non_pages(tree, text, visible)
    meta = metadata(tree, text, None)
    _prune_ads(tree)
    found = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_formatting=True,
        include_links=True,
        include_tables=True,
        include_images=False,
    )
    body = _tidy(getattr(found, "text", None) or "")
    reasons = []
    if not body and len(visible) >= MIN_TEXT_CHARS:
        body = visible  # no article found: the page's text, so nothing is lost
        reasons.append("read: html: no main content found; the page's whole text kept")
    if not body and len(visible) < MIN_TEXT_CHARS and len(_stripped(text)) >= MIN_TEXT_CHARS:
        body = _stripped(text)  # the parser gave up (nesting too deep?): the text, without structure
        reasons.append("read: html: the page could not be parsed (nested too deep?); its text kept as it is")
    if len(body) < MIN_TEXT_CHARS and len(visible) < MIN_TEXT_CHARS:
        raise CaptureError(
            "the page has no readable text", "check it is the saved article, not an empty frame"
        )
    for key, value in metadata(tree, text, found).items():
        meta.setdefault(key, value)  # trafilatura's own reading fills what the page did not state
    site = meta.pop("site_name", None)
    return [Item(body=body + "\n", meta=meta, extra={"site_name": site} if site else {}, reasons=reasons)]


READER = SourceReader("", "web page", (".html", ".htm"), detect, read)
