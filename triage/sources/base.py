"""The contract every source reader keeps (Pelican's readers are the model).

A source reader knows one capture tool's layout (Readwise's export, a Kindle's `My Clippings.txt`...)
or one file type (a saved web page, a PDF, subtitles). It is a module with one `SourceReader`:

- `name`: the `source_tool` value it sets ('' for readers of plain file types and the fallback);
- `suffixes`: the file types it reads;
- `binary`: True when it wants the raw bytes (a PDF) rather than decoded text;
- `detect(doc)`: is this the tool's default layout? Judged by its structure (frontmatter keys,
  headings, entry lines), never by its name alone. Cheap, and never raises;
- `clues`: the evidence the tool leaves wherever a customised template or an older version put
  things (`evidence.Clue`: link hosts and schemes, chrome words, frontmatter keys, headings, the
  folder its sync writes to), weighed together with `detect` so that a reordered, renamed or
  partly missing section still reads;
- `read(doc)`: the captures in the file, one `Item` each (most files hold one; `My Clippings.txt`
  holds one per book). Raises only `CaptureError` for a file that cannot be read at all; a file
  that is broken part-way is read as far as it goes, with a reason in `Item.reasons`.

The registry (`triage.sources.reader`) gives the file to the tool with the most evidence (the
layout check counts `evidence.LAYOUT`, a tool needs `evidence.CLAIM`; ties go to the registry's
order), says in the reasons which evidence decided when it was not the default layout, and falls
back to the generic reader (markdown with triage's own frontmatter, or none). Every tool reader
reads whatever of its layout is there: a missing section is a reason, never an error. Adding a
tool is adding a module, its fixtures in `tests/fixtures/sources/`, and one line in the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CaptureError
from ..note import Highlight
from .evidence import Clue

__all__ = ["Document", "Highlight", "Item", "SourceReader"]


@dataclass
class Document:
    """One file in the inbox, as every reader sees it."""

    path: Path
    data: bytes
    text: str = ""
    """Decoded text, byte-order mark removed, line endings `\\n` ('' for binary readers)."""
    frontmatter: dict[str, Any] = field(default_factory=dict)
    """The leading YAML block, parsed ({} when there is none)."""
    body: str = ""
    """The text after the frontmatter."""
    yaml_error: CaptureError | None = None
    """Set when the frontmatter is not valid YAML: `frontmatter` was then read line by line. A
    capture tool's reader may go on with that (a tool's frontmatter never gets a capture
    quarantined); any other reader's file is quarantined with this error."""
    max_text: int = 20_000_000
    """Characters of text a reader may extract from the file (`max_text_mb`): a reader that
    inflates or extracts (a PDF) stops there, with a reason; the registry cuts the rest."""


@dataclass
class Item:
    """One capture as a reader found it."""

    body: str
    """Markdown kept as the note's Capture section: the capture's text (tool chrome may stay here)."""
    content: str = ""
    """Markdown the NLP stage reads: the author's text without tool chrome ('' = read `body`)."""
    meta: dict[str, Any] = field(default_factory=dict)
    """What the tool states, under schema names: title, url, author, creator, captured_date,
    published_date, platform, format, tags. Normalised leniently: never a quarantine."""
    extra: dict[str, Any] = field(default_factory=dict)
    """The tool's own frontmatter keys, kept on the note (Omnivore's `id` as `omnivore_id`...)."""
    highlights: list[Highlight] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    """What could not be read (a cut-off list, a malformed entry): goes into triage_reasons."""
    given: dict[str, Any] = field(default_factory=dict)
    """Hand-written frontmatter in triage's own schema: strictly validated (generic reader only)."""


@dataclass(frozen=True)
class SourceReader:
    name: str
    """`source_tool` value ('' when no capture tool wrote the file)."""
    label: str
    """How messages name it: 'Readwise export', 'Kindle My Clippings.txt', 'PDF'..."""
    suffixes: tuple[str, ...]
    detect: Callable[[Document], bool]
    read: Callable[[Document], list[Item]]
    binary: bool = False
    clues: tuple[Clue, ...] = ()
    """The evidence the tool leaves in any of its layouts (see `triage.sources.evidence`)."""
