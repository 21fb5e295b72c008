"""Small helpers that several capture-tool readers share (Readwise, Hypothes.is, Omnivore...).

Each is a pure function on strings: no I/O, never raises on odd input.

- `tool_extra`: a tool's own frontmatter keys to keep on the note (schema names as `capture_<key>`);
- `metadata_list`: a `## Metadata` bullet list (`- Key: value`) as a dict;
- `wikilink_names`, `hashtags`: the names inside `[[...]]`, the `#tags` in a line;
- `person_name`: `Kahneman, Daniel` -> `Daniel Kahneman` (so the same book meets across tools);
- `person_names`: a whole author field (`Doe, Jane; Roe, Rick`, `A and B`, `[[A]]`) as
  `Jane Doe, Rick Roe`: every reader writes authors this way;
- `book_key`: a loose (title, author) key for telling that two captures are the same book;
- `clean_title`, `section`: a title's whitespace tidied; the lines under one markdown heading;
- `article_format`: 'article' for a saved web page, unless its address says something else;
- `plain`: a highlight's markdown as plain text (HTML entities decoded, inline markdown removed);
- `bullet_entries`: a highlight list of `- <text>` bullets with indented `- Tags:` / `- Note:` lines;
- `cut_off`: the reason recorded when a highlight list ends part-way;
- `highlights_content`: what the NLP stage reads for a capture that is only highlights;
- `page_format`: format article for a saved web page, unless its platform says otherwise;
- `original_url`: one spelling of a source's address across tools (x.com, no text fragment);
- `labelled_fields`: every `Label: value` a template wrote, in whatever style (frontmatter-like
  lines, `- Label:` lists, `**Label**:`, Dataview `Label::`), as a dict; `label_meta` maps the
  labels people use for title, URL, author and dates onto triage's names.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any

from ..note import PROPERTY_ORDER, Highlight
from ..text import strip_inline
from .base import Item
from .infer import PLATFORM_FORMAT, platform_for
from .keys import capture_key
from .labels import LABELS as LABELS
from .labels import label_meta as label_meta
from .labels import labelled_fields as labelled_fields

_BULLET = re.compile(r"^\s{0,3}[-*+]\s+([A-Za-z][\w /]{0,40}?)\s*:\s?(.*)$")
_WIKINAME = re.compile(r"\[\[([^\[\]|#^]+)(?:[#^][^\]|]*)?(?:\|[^\]]*)?\]\]")
_HASHTAGS = re.compile(r"(?<!\S)((?:#[^\s#\[\]()\"',;!?]+)+)")
_FIRST_NAME = re.compile(r"^[A-Z][\w'’-]*\.?(?:\s+[A-Z][\w'’-]*\.?){0,2}$")
_TWITTER = re.compile(r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/", re.I)
_SURNAME = re.compile(r"^(?:[a-z]{1,3}\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?$")


def tool_extra(frontmatter: dict[str, Any], rename: dict[str, str] | None = None) -> dict[str, Any]:
    """The tool's frontmatter keys kept on the note, so the user's own views (Dataview, the
    tool's templates) keep working. A key named like one of triage's (`status`, `id`, `url`...)
    is kept as `capture_<key>` (`keys.settle_tool_keys` then drops the copies of what the reader
    read, and says why it kept the others); `rename` moves a tool key out of the way of ours
    first (Omnivore: id -> omnivore_id). Nothing is dropped."""
    rename = rename or {}
    out: dict[str, Any] = {}
    for key, value in frontmatter.items():
        key = rename.get(str(key), str(key))
        out[capture_key(key, out) if key in PROPERTY_ORDER else key] = value
    return out


def metadata_list(lines: list[str]) -> dict[str, str]:
    """`- Key: value` bullets (also `*` bullets) as {key lowercased: value}; a line that is not a
    bullet continues the previous value (a bullet of another shape ends it). The first occurrence
    of a key wins."""
    out: dict[str, str] = {}
    last = ""
    for line in lines:
        m = _BULLET.match(line)
        if m:
            last = m.group(1).strip().lower()
            if last in out:
                last = ""  # a repeated key: ignore it and its continuation
                continue
            out[last] = m.group(2).strip()
        elif re.match(r"^\s*[-*+]\s", line):
            last = ""  # a bullet of another shape (`* [Kindle link](...)`) ends the value
        elif last and line.strip():
            out[last] = f"{out[last]} {line.strip()}".strip()
    return out


def wikilink_names(text: str) -> list[str]:
    """The page names inside `[[...]]` links, in order."""
    text = html.unescape(text)  # `[[Brett &#38; Kate McKay]]`: the `#` is an entity's, not a heading's
    return [m.group(1).strip() for m in _WIKINAME.finditer(text) if m.group(1).strip()]


def hashtags(text: str) -> list[str]:
    """The `#tags` in a line of text, without `#` (`#a #b/c` -> ['a', 'b/c']; `#a#b` -> ['a', 'b']).
    A `#` inside a word or URL is not a tag."""
    tags = [t.rstrip(".:") for run in _HASHTAGS.findall(text) for t in run.split("#")]
    return [t for t in tags if t]


def person_name(name: str) -> str:
    """One person's name in reading order: `Kahneman, Daniel` -> `Daniel Kahneman`. Anything that
    is not clearly `Surname, Given names` is returned as it is (trimmed)."""
    name = re.sub(r"\s+", " ", name).strip()
    parts = [p.strip() for p in name.split(",")]
    if (
        len(parts) == 2
        and _SURNAME.match(parts[0])
        and _FIRST_NAME.match(parts[1])
        and parts[1].lower().rstrip(".") not in ("jr", "sr", "inc", "ltd", "llc", "co")
    ):
        return f"{parts[1]} {parts[0]}"
    return name


def plain(markdown: str) -> str:
    """Markdown of a highlight as plain text on one line: entities decoded, markup removed."""
    text = html.unescape(html.unescape(markdown))  # tools that escape twice (&amp;quot;)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)  # image embeds are not words
    return re.sub(r"\s+", " ", strip_inline(text)).strip()


class BulletEntry:
    """One `- <text>` bullet of a highlight list: its text lines, the reader's note and tags."""

    def __init__(self, line: int, first: str) -> None:
        self.line = line
        """The bullet's line number in the file."""
        self.lines = [first]
        self.note: list[str] = []
        self.tags: list[str] = []
        self.in_note = False


_ANNOTATION = re.compile(r"^\s+[-*]\s+(Tags|Note|Annotation):\s?(.*)$", re.I)


def bullet_entries(lines: list[tuple[int, str]]) -> list[BulletEntry]:
    """(line number, line) pairs of a highlight list (Readwise, Hypothes.is) as entries: a bullet at
    the margin starts one; indented `- Tags:` (`[[tag]]` or `#tag`) and `- Note:` / `- Annotation:`
    lines annotate it; other indented lines continue its text (or its note). Text before the first
    bullet is not a highlight."""
    out: list[BulletEntry] = []
    for number, line in lines:
        if not line.strip():
            continue
        annotation = _ANNOTATION.match(line)
        if re.match(r"^[-*]\s", line):
            out.append(BulletEntry(number, line[2:].strip()))
        elif not out:
            continue
        elif annotation and annotation.group(1).lower() == "tags":
            value = annotation.group(2)
            out[-1].tags += wikilink_names(value) or hashtags(value)
            out[-1].in_note = False
        elif annotation:
            out[-1].note.append(annotation.group(2).strip())
            out[-1].in_note = True
        elif out[-1].in_note:
            out[-1].note.append(line.strip())
        else:
            out[-1].lines.append(line.strip())
    return out


def cut_off(tool: str, line: int) -> str:
    """The reason recorded for a highlight list that ends part-way (the file was cut off)."""
    return (
        f"read: {tool}: highlight list cut off: the highlight at line {line} is incomplete "
        "and left out of the highlights"
    )


def highlights_content(highlights: list[Highlight], title: str) -> str:
    """The NLP text of a capture made of highlights: one paragraph each (the reader's notes when
    no highlight has text, as in a Zotero export of notes only). With none at all, the title as a
    heading, so that the metadata list is never read as the author's text."""
    texts = [h.text for h in highlights if h.text] or [h.note for h in highlights if h.note]
    if texts or highlights:
        return "\n\n".join(texts) + "\n"
    return f"# {title}\n" if title else "\n"


def highlights_item(
    body: str,
    meta: dict[str, Any],
    highlights: list[Highlight],
    reasons: list[str],
    extra: dict[str, Any] | None = None,
) -> Item:
    """The item of a capture made of the reader's highlights: the NLP reads the highlights
    (`highlights_content`, titled by `meta`'s title), the note keeps `body` as the capture."""
    return Item(
        body=body,
        content=highlights_content(highlights, str(meta.get("title", ""))),
        meta=meta,
        extra=extra or {},
        highlights=highlights,
        reasons=reasons,
    )


def original_url(url: str | None) -> str | None:
    """The source's address as every reader gives it, so that the same tweet or page read by two
    tools meets on one note: twitter.com -> x.com, no `#:~:text=` fragment, no `<>`, trimmed."""
    if not url:
        return None
    url = str(url).strip().strip("<>").strip()
    url = re.sub(r"#:~:text=.*$", "", url)
    url = _TWITTER.sub("https://x.com/", url)
    return url or None


def page_format(url: str | None) -> dict[str, str]:
    """{'format': 'article'} for a page a read-it-later tool saved, however short; {} when the
    platform decides (YouTube: video, arXiv: paper, X: post or thread...) or there is no URL."""
    platform = platform_for(url)
    return {} if platform in PLATFORM_FORMAT or platform in ("x", "unknown") else {"format": "article"}


_SPLIT_NAMES = re.compile(r"\s*;\s*|\s+(?:and|&)\s+", re.I)
_NO_AUTHOR = {"", "unknown", "anonymous", "n/a", "none"}


def person_names(raw: str | None) -> str | None:
    """`Kleppmann, Martin` -> `Martin Kleppmann`; `Doe, Jane; Roe, Rick` and `Jane Doe and
    Rick Roe` -> `Jane Doe, Rick Roe`; wikilinks and markdown links keep their text. A part with
    exactly one comma is `Last, First` (the Kindle convention); one with several is left as it is.
    None when there is no name (empty, `Unknown`)."""
    if raw is None:
        return None
    text = strip_inline(str(raw)).strip().strip(",;")
    names = []
    for part in _SPLIT_NAMES.split(text):
        part = re.sub(r"\s+", " ", part).strip(" ,")
        if part.casefold() in _NO_AUTHOR:
            continue
        if part.count(",") == 1:
            last, first = (p.strip() for p in part.split(","))
            if first and last and not re.fullmatch(r"(?i)jr\.?|sr\.?|phd|md|i{1,3}|iv", first):
                part = f"{first} {last}"
        if part not in names:
            names.append(part)
    return ", ".join(names) or None


def clean_title(raw: str) -> str:
    return re.sub(r"\s+", " ", raw).strip()


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return " ".join(re.findall(r"[^\W_]+", "".join(c for c in text if not unicodedata.combining(c))))


def book_key(title: str, author: str | None) -> str:
    """A loose key for "the same book": case, accents, punctuation, a subtitle after ':' and
    parenthesised groups (`(2nd Edition)`, `(Penguin Classics)`) ignored; authors by surname,
    in any order."""
    short = re.sub(r"\([^()]*\)|\[[^\[\]]*\]", " ", title).split(":")[0]
    surnames = sorted(_fold(n).split()[-1] for n in (author or "").split(",") if _fold(n))
    return f"{_fold(short)}|{' '.join(surnames)}"


def section(lines: list[str], heading: str, level: int = 2) -> tuple[list[str], int] | None:
    """The lines under the first `## heading` (matched case-insensitively), up to the next
    heading of the same or a higher level, and the 0-based index of the first of them; None
    when there is no such heading."""
    marks = "#" * level
    start = None
    for i, line in enumerate(lines):
        m = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        if start is not None and len(m.group(1)) <= level:
            return lines[start:i], start
        if start is None and m.group(1) == marks and m.group(2).casefold() == heading.casefold():
            start = i + 1
    return (lines[start:], start) if start is not None else None


def article_format(url: str | None) -> str | None:
    """'article' for a page saved by a read-later tool, unless its address says better (a video,
    a podcast, a paper, a post on X...): then None, and inference decides from the platform."""
    platform = platform_for(url)
    return None if platform in PLATFORM_FORMAT or platform == "x" else "article"
