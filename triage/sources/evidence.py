"""Which capture tool wrote a file, judged by the evidence it leaves wherever its template put it.

A tool leaves traces that survive customised templates and older plugin versions: its link
schemes and hosts (`readwise.io`, `omnivore.app`, `zotero://`, `hypothes.is`, `share.snipd.com`,
`raindrop.io`, `kindle://`), its chrome words (`View Highlight`, `Read on Omnivore`), its
frontmatter keys (`deliveredBy: readwise`, `raindrop_id`, `kindle-sync`), its headings and the
folder its sync writes to (`Readwise/Articles/`). Each reader lists its traces as `Clue`s with a
weight; the registry (`reader._choose`) adds them up with the reader's layout check (`detect`,
worth `LAYOUT`) and gives the file to the tool with the most evidence, if it has at least `CLAIM`.
A single weak clue (a heading, a folder) never claims a file; a link only a tool writes does.

`labelled` reads metadata from wherever a template put it: `- Key: value` bullets, unbulleted
`Key: value` lines, bold labels (`**Key**: value`) and Dataview inline fields (`Key:: value`,
`**Key**:: value`), in lists, blockquotes and callouts alike.

Pure functions, no I/O, never raise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

LAYOUT = 4
"""The weight of a reader's own layout check (`SourceReader.detect`): the default template."""
CLAIM = 3
"""The evidence a tool needs to claim a file."""
SAMPLE = 60_000
"""How much of the body clues look at."""

TRIAGE_ONLY = frozenset(
    {
        "captured_date",
        "published_date",
        "source_tool",
        "signal_tier",
        "teleology",
        "notebooklm_category",
        "key_insights",
        "synopsis",
        "triage_reasons",
        "triaged_at",
        "sha256",
        "original_filename",
    }
)
"""Keys only triage's own schema has: no capture tool writes them."""


def own_schema(frontmatter: dict[str, Any]) -> bool:
    """Frontmatter in triage's own schema (a `SOURCE-` id or a key only triage writes): it belongs
    to the generic reader and is validated strictly. Anything else may be a tool's, whose keys
    never get a capture quarantined."""
    if str(frontmatter.get("id") or "").startswith("SOURCE-"):
        return True
    return bool(TRIAGE_ONLY & {str(k) for k in frontmatter})


@dataclass(frozen=True)
class Clue:
    """One trace a tool leaves. Exactly one of `body`, `key`, `folder`, `test` says where to look."""

    what: str
    """How the reasons name it: 'readwise.io link'."""
    weight: int
    body: re.Pattern[str] | None = None
    """Searched in the body (its first `SAMPLE` characters)."""
    key: str | None = None
    """A frontmatter key that is present (with `value`: whose value matches)."""
    value: re.Pattern[str] | None = None
    folder: re.Pattern[str] | None = None
    """Matched against each folder name of the file's path."""
    test: Callable[[Any], bool] | None = None
    """Any other check on the `Document`."""


def body(what: str, weight: int, pattern: str, flags: int = re.M) -> Clue:
    return Clue(what, weight, body=re.compile(pattern, flags))


def key(what: str, weight: int, name: str, value: str | None = None) -> Clue:
    return Clue(what, weight, key=name, value=re.compile(value, re.I) if value else None)


def folder(what: str, weight: int, pattern: str) -> Clue:
    return Clue(what, weight, folder=re.compile(pattern, re.I))


def host(name: str, weight: int = 3, path: str = "", what: str = "") -> Clue:
    """A link to `name` (a host, or a scheme like `zotero://`), its path starting with `path` (a
    pattern) when given: the links a tool writes into its exports (`read.readwise.io/read/...`)
    weigh more than a mention of the tool's home page, which any note may hold."""
    escaped = re.escape(name)
    pattern = escaped if name.endswith("://") else rf"https?://(?:[\w-]+\.)*{escaped}\b"
    pattern += f"/(?:{path})" if path else ""
    return Clue(what or f"{name} link", weight, body=re.compile(pattern, re.I))


def _matches(clue: Clue, doc: Any) -> bool:
    if clue.body is not None:
        return bool(clue.body.search(doc.body[:SAMPLE]))
    if clue.key is not None:
        fm = doc.frontmatter
        if clue.key not in fm:
            return False
        return clue.value is None or bool(clue.value.search(str(fm.get(clue.key))))
    if clue.folder is not None:
        return any(clue.folder.fullmatch(part) for part in doc.path.parts[:-1])
    return bool(clue.test and clue.test(doc))


def weigh(clues: tuple[Clue, ...], doc: Any) -> tuple[int, list[str]]:
    """(the evidence for one tool, what was found). Never raises: a clue that trips is not found."""
    total, found = 0, []
    for clue in clues:
        try:
            hit = _matches(clue, doc)
        except Exception:
            hit = False
        if hit:
            total += clue.weight
            found.append(clue.what)
    return total, found


_LABEL = re.compile(
    r"^\s*(?:>\s*)*(?:[-*+]\s+)?(?:\*\*|__)?(?P<key>[A-Za-z][\w /&().-]{0,40}?)(?:\*\*|__)?"
    r"\s*(?P<sep>::?)(?:\*\*|__)?(?:\s+(?P<value>.*?))?\s*$"
)


def labelled(lines: list[str], keys: tuple[str, ...] = ()) -> dict[str, str]:
    """`Key: value` metadata in any of the shapes templates write it (bullets or not, bold labels,
    Dataview `Key:: value`, inside blockquotes and callouts), as {key lowercased: value}. With
    `keys`, only those (lowercased) are taken. The first occurrence of a key wins; a URL is never
    read as a label (`https://...` has no key before its colon)."""
    out: dict[str, str] = {}
    wanted = {k.lower() for k in keys}
    for line in lines:
        m = _LABEL.match(line)
        if not m or m.group("value") is None:
            continue
        name = re.sub(r"\s+", " ", m.group("key")).strip().lower()
        if name in ("http", "https") or (wanted and name not in wanted) or name in out:
            continue
        out[name] = m.group("value").strip()
    return out


def any_section(lines: list[str], heading: str) -> tuple[list[str], int] | None:
    """The lines under the first heading named `heading` (case-insensitively) at whatever level
    a template put it (`## Highlights`, `### Highlights`...), up to the next heading of the same
    or a higher level, and the 0-based index of the first of them; None when there is none."""
    start, level = None, 0
    for i, line in enumerate(lines):
        m = re.match(r"^(#{1,5})\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        if start is not None and len(m.group(1)) <= level:
            return lines[start:i], start
        if start is None and m.group(2).casefold() == heading.casefold():
            start, level = i + 1, len(m.group(1))
    return (lines[start:], start) if start is not None else None
