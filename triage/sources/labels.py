"""Labels a template wrote, in whatever style: `labelled_fields` and `label_meta`.

Pure functions on strings, bounded in lines and line length, never raising. Re-exported by
`common` for the tool readers; `infer.infer_metadata` reads them for every markdown capture as
the last stated source before inference (given > tool > labels > inferred).
"""

from __future__ import annotations

import html
import re

from ..text import strip_inline

LABEL_LINES = 120
"""`labelled_fields` reads at most this many lines (labels sit near the top or in a short list)."""
LABEL_LENGTH = 600
"""... and at most this many characters of each line; longer lines are prose, not labels."""
_LABEL_LEAD = re.compile(r"^\s{0,3}(?:>\s?)*\s{0,3}(?:[-*+]\s+)?")
_LABEL = re.compile(r"^(\*\*|__)?([^\W\d_][^:*\[\]()<>`#|]{0,38}?)\s*(?:\1)?\s*(::?)\s*(?:\1)?(?:\s+|$)(.*)$")
_DATAVIEW_BRACKET = re.compile(r"^[\[(]([^\W\d_][^:\[\]()]{0,38}?)\s*::\s*(.*?)[\])]\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_YAML_ITEM = re.compile(r"^\s*-\s+(.*)$")


def _label_key(raw: str) -> str:
    key = re.sub(r"[\s_-]+", " ", raw.strip().casefold()).strip(" .")
    return key if len(key.split()) <= 5 else ""


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1].strip()
    return value


def labelled_fields(text: str, max_lines: int = LABEL_LINES) -> dict[str, str]:
    """Every `Label: value` in the first `max_lines` lines of `text`, as {label: value}: labels
    casefolded with `_`/`-` read as spaces (`Date_Created` -> `date created`), values trimmed
    and unquoted. Styles read: `key: value` lines (frontmatter, with or without `---` fences; a
    YAML list under an empty `key:` is joined with ", "), bullets (`- Author: X`, `* URL: ...`),
    bold labels (`**Source**: x`, `**Source:** x`), Dataview fields (`Source:: x`,
    `**Source**:: x`, `[Source:: x]`), also inside a blockquote or callout. The first value of
    a label wins; an empty label with no list under it is left out. Headings, code blocks,
    links (`https://...`) and lines over `LABEL_LENGTH` characters are not labels. Pure, bounded
    (`max_lines` x `LABEL_LENGTH` characters read), never raises."""
    out: dict[str, str] = {}
    pending = ""  # an empty `key:` whose YAML list items may follow
    fenced = False
    for line in text.split("\n", max_lines)[:max_lines]:
        if _FENCE.match(line):
            fenced, pending = not fenced, ""
            continue
        if fenced or len(line) > LABEL_LENGTH or not line.strip():
            continue
        if pending and (item := _YAML_ITEM.match(line)) and line[:1] in " -":
            value = _unquote(item.group(1))
            if value:
                out[pending] = f"{out[pending]}, {value}" if out.get(pending) else value
            continue
        pending = ""
        if _HEADING.match(line):
            continue
        rest = _LABEL_LEAD.sub("", line, count=1)
        m = _DATAVIEW_BRACKET.match(rest) or _LABEL.match(rest)
        if not m:
            continue
        key = _label_key(m.group(1) if m.re is _DATAVIEW_BRACKET else m.group(2))
        value = m.group(2) if m.re is _DATAVIEW_BRACKET else m.group(4)
        if not key or value.startswith("//"):  # `https://...`: a link, not a label
            continue
        value = _unquote(value)
        if out.get(key):
            continue
        out[key] = value
        if not value:
            pending = key
    return {k: v for k, v in out.items() if v}


LABELS: dict[str, tuple[str, ...]] = {
    "title": ("full title", "title", "page title", "article title", "document title"),
    "url": (
        "url",
        "source",
        "source url",
        "original url",
        "original",
        "link",
        "reference",
        "permalink",
        "canonical",
        "canonical url",
        "web",
        "page",
    ),
    "author": ("author", "authors", "by", "byline", "writer", "written by", "creator", "creators"),
    "published_date": (
        "published",
        "date published",
        "published date",
        "published on",
        "published at",
        "publish date",
        "publication date",
        "pub date",
        "release date",
        "date posted",
        "posted",
    ),
    "captured_date": (
        "created",
        "date created",
        "created date",
        "created at",
        "created on",
        "clipped",
        "date clipped",
        "clipped on",
        "saved",
        "date saved",
        "saved on",
        "captured",
        "date captured",
        "date highlighted",
        "highlighted",
        "highlighted on",
        "date added",
        "added",
        "added on",
        "date read",
        "date",
    ),
}
"""Labels people and templates use for each metadata field, most specific first."""
_LINKED_URL = re.compile(r"https?://[^\s<>\"')\]]+[^\s<>\"')\].,;:!?]")


def label_meta(fields: dict[str, str]) -> dict[str, str]:
    """What `labelled_fields` found, under triage's names (title, url, author, published_date,
    captured_date), values as written (dates are read leniently later, in stage 2). A URL label
    counts only when its value holds an http(s) address (`Source: a friend` is not one)."""
    out: dict[str, str] = {}
    for name, labels in LABELS.items():
        for label in labels:
            value = fields.get(label, "")
            if name == "url":
                found = _LINKED_URL.search(value)
                value = found.group(0) if found else ""
            elif name in ("title", "author"):
                value = strip_inline(html.unescape(value)).strip()
            if value:
                out[name] = value
                break
    return out
