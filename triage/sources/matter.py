"""Matter (Obsidian plugin): one article per file, no frontmatter and no title in the body.

Layout:

    ## Metadata
    * URL: [<url>](<url>)
    * Author: <name>                 (or [[<name>]])
    * Publisher: <site>
    * Published Date: YYYY-MM-DD
    * Note: <the reader's note on the article>
    * Tags: #a, #b

    ## Highlights
    * <text>
      * **Note**: <the reader's note on it>

Recognised by a `## Metadata` list holding `* URL: [<url>](<url>)` followed by `## Highlights`.

- Title: the file name. Matter replaced `/ \\ ? % * : | " < > #` by `-`; `title_from_filename`
  undoes what can be told apart: a `-` right after a word and before a space was a `:`
  ("fsync- Durability" -> "fsync: Durability"), a pair `-words-` standing alone was a quotation
  ('-Boring- Technology' -> '"Boring" Technology'), a `-` ending the name after a word was a `?`.
  A `-` between two letters stays a hyphen (it may have been a `/`: "TCP-IP" is left as it is),
  and a spaced ` - ` stays a dash. Never "Metadata".
- `published_date`: `Published Date:` (the source's date, as Matter states it).
- The article's note (`Note:`) and the highlights' notes are the reader's, kept on the note.
"""

from __future__ import annotations

import re
from typing import Any

from ..note import Highlight
from ..text import strip_inline
from .base import Document, Item, SourceReader
from .common import article_format, highlights_item, metadata_list, person_names
from .evidence import any_section, body, folder, host

_URL_BULLET = re.compile(r"^[*-]\s+URL:\s*\[[^\]]*\]\((https?://[^)\s]+)\)", re.M)
_ITEM = re.compile(r"^[*-]\s+(.*)$")
_NOTE = re.compile(r"^\s+[*-]\s+\*\*Note\*\*:\s*(.*)$")


def title_from_filename(stem: str) -> str:
    """A Matter file name back to its title (see the module's docstring for the rule)."""
    title = re.sub(r"(?<![\w-])-(?=[^\s-])([^-]*?[^\s-])-(?![\w-])", r'"\1"', stem)
    title = re.sub(r"(?<=[\w)\"'’])-(?=\s)", ":", title)
    title = re.sub(r"(?<=[\w)\"'’])-$", "?", title)
    return re.sub(r"\s+", " ", title).strip()


CLUES = (
    host("getmatter.com", 1),
    body("a `URL: [u](u)` bullet", 2, r"^[*-]\s+URL:\s*\[(https?://[^\]]+)\]\(\1\)"),
    body("`**Note**:` annotations", 1, r"^\s+[*-]\s+\*\*Note\*\*:"),
    body("a `Published Date` label", 1, r"^\W{0,4}Published Date\W{0,4}::?"),
    folder("a Matter folder", 2, r"matter"),
)
"""The traces a Matter note leaves in any template (see `evidence`)."""


def detect(doc: Document) -> bool:
    found = any_section(doc.body.split("\n"), "Metadata")
    return bool(
        found and _URL_BULLET.search("\n".join(found[0])) and re.search(r"^## Highlights\s*$", doc.body, re.M)
    )


def _highlights(lines: list[str], first_line: int) -> tuple[list[Highlight], list[str]]:
    out: list[tuple[list[str], list[str]]] = []
    reasons: list[str] = []
    part: list[str] | None = None
    for i, line in enumerate(lines):
        if m := _ITEM.match(line):
            out.append(([m.group(1)], []))
            part = out[-1][0]
        elif (m := _NOTE.match(line)) and out:
            part = out[-1][1]
            part.append(m.group(1))
        elif line.strip() and line[:1].isspace() and part is not None:
            part.append(line.strip())  # a highlight or note running over several lines
        elif line.strip():
            reasons.append(
                f"read: matter: line {first_line + i} is not a highlight; kept in the capture only"
            )
            part = None
    highlights = [Highlight(strip_inline(" ".join(t)), strip_inline(" ".join(n))) for t, n in out]
    return [h for h in highlights if h.text], reasons


def _meta(doc: Document, fields: dict[str, str]) -> dict[str, Any]:
    meta: dict[str, Any] = {"title": title_from_filename(doc.path.stem)}
    url = m.group(1) if (m := re.search(r"\((https?://[^)\s]+)\)", fields.get("url", ""))) else ""
    url = url or strip_inline(fields.get("url", ""))
    if url.startswith("http"):
        meta["url"] = url
    if fmt := article_format(url or None):
        meta["format"] = fmt
    if author := person_names(fields.get("author")):
        meta["author"] = author
    if fields.get("published date"):
        meta["published_date"] = fields["published date"]
    tags = [t.strip().lstrip("#") for t in fields.get("tags", "").split(",") if t.strip("# ")]
    if tags:
        meta["tags"] = tags
    return meta


def read(doc: Document) -> list[Item]:
    lines = doc.body.split("\n")
    found = any_section(lines, "Metadata")
    fields = metadata_list(found[0]) if found else {}
    hl = any_section(lines, "Highlights")
    before_body = doc.text[: len(doc.text) - len(doc.body)].count("\n")
    highlights, reasons = _highlights(hl[0], before_body + hl[1] + 1) if hl else ([], [])
    if not highlights:
        reasons.append(
            f"read: matter: {'the Highlights section is empty' if hl else 'no Highlights section'}"
        )
    meta = _meta(doc, fields)
    extra = {"publisher": strip_inline(fields["publisher"])} if fields.get("publisher") else {}
    return [highlights_item(doc.body, meta, highlights, reasons, extra)]


READER = SourceReader("matter", "Matter highlights note", (".md", ".markdown"), detect, read, clues=CLUES)
