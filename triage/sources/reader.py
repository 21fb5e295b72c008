"""Stage 1: a file in the inbox becomes one Note per capture it holds.

The registry `READERS` lists the source readers (`base.SourceReader`), capture tools first, then
file types, then the generic markdown reader. For a file, the readers of its type weigh the
evidence that it is theirs (their default layout, and the clues their tool leaves in any layout:
`evidence.py`); the one with the most reads it, the generic reader when none has enough.
`read_file` never raises anything but `CaptureError`, whose message says what is wrong
(naming the tool and the line when it can) and what to do.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import CaptureError
from ..note import Note
from . import (
    generic,
    html,
    hypothesis,
    kindle,
    kindle_plugin,
    markdownload,
    matter,
    omnivore,
    pdf,
    raindrop,
    readwise,
    snipd,
    subtitles,
    webclipper,
    zotero,
)
from .base import Document, Item, SourceReader
from .decode import decode, lenient_frontmatter, split_frontmatter
from .evidence import CLAIM, LAYOUT, own_schema, weigh
from .inbox import FAILED_DIR, IGNORED_NAMES, Skipped, scan_inbox

__all__ = [
    "FAILED_DIR",
    "IGNORED_NAMES",
    "READERS",
    "SUFFIXES",
    "Skipped",
    "decode",
    "read_capture",
    "read_file",
    "scan_inbox",
    "split_frontmatter",
]

READERS: tuple[SourceReader, ...] = (
    # capture tools, most specific layouts first (../shared/docs/capture-formats.md)
    kindle.READER,
    kindle_plugin.READER,
    snipd.READER,
    hypothesis.READER,
    raindrop.READER,
    omnivore.READER,
    zotero.READER,
    readwise.READER,
    matter.READER,
    webclipper.READER,
    markdownload.READER,
    # file types beyond markdown
    html.READER,
    pdf.READER,
    subtitles.READER,
    # the fallback: markdown or text with triage's own frontmatter, or none
    generic.READER,
)
"""Tried in this order for the file types they read; for each type the last is its fallback."""
SUFFIXES: tuple[str, ...] = tuple(dict.fromkeys(s for r in READERS for s in r.suffixes))
"""Every file type triage reads."""


def _folder(path: Path, inbox: Path | None) -> str:
    if inbox is None:
        return ""
    try:
        rel = path.parent.relative_to(inbox)
    except ValueError:
        return ""
    return rel.parts[0] if rel.parts else ""


def _document(data: bytes, path: Path, readers: list[SourceReader], max_text: int = 20_000_000) -> Document:
    doc = Document(path, data, max_text=max_text)
    if all(r.binary for r in readers):
        return doc
    text = decode(data).lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise CaptureError("file is empty", "delete it, or put the capture's text in it")
    doc.text = text
    try:
        doc.frontmatter, doc.body = split_frontmatter(text)
    except CaptureError as exc:
        doc.frontmatter, doc.body = lenient_frontmatter(text)
        doc.yaml_error = exc
    if not doc.body.strip() and not doc.frontmatter:
        raise CaptureError("file has no text", "put the capture's text in it")
    return doc


def _evidence(reader: SourceReader, doc: Document) -> tuple[int, list[str]]:
    """How strongly the file looks like `reader`'s: its layout check plus its clues."""
    try:
        layout = bool(reader.detect(doc))
    except Exception:  # a detector that trips over a strange file just does not claim it
        layout = False
    score, found = weigh(reader.clues, doc)
    return (score + LAYOUT, ["its default layout", *found]) if layout else (score, found)


def _choose(doc: Document, readers: list[SourceReader]) -> tuple[SourceReader, str]:
    """The reader with the most evidence for the file (at least `CLAIM`; ties: the registry's
    order), else the last one for its type (the fallback); and, when evidence other than the
    default layout decided, a reason saying which."""
    fallback = readers[-1]
    if doc.text and own_schema(doc.frontmatter):
        return fallback, ""  # triage's own schema: strictly validated by the generic reader
    best: tuple[int, SourceReader | None, list[str]] = (CLAIM - 1, None, [])
    for reader in readers[:-1]:
        if reader.binary != (not doc.text):
            continue
        score, found = _evidence(reader, doc)
        if score > best[0]:
            best = (score, reader, found)
    score, chosen, found = best
    if chosen is None:
        return fallback, ""
    if not doc.text or "its default layout" in found:
        return chosen, ""
    return chosen, f"read: recognised as {chosen.label} by {', '.join(found)} (evidence {score})"


def _items(reader: SourceReader, doc: Document) -> list[Item]:
    try:
        items = reader.read(doc)
    except CaptureError as exc:
        if reader.name or reader.binary:
            exc.message = f"{reader.label}: {exc.message}"
        raise
    except (RecursionError, MemoryError) as exc:
        raise CaptureError(f"{reader.label}: file is too complex to read ({type(exc).__name__})") from None
    except Exception as exc:  # the reader's promise: nothing but CaptureError escapes
        raise CaptureError(
            f"{reader.label}: unexpected problem reading the file: {type(exc).__name__}: {exc}",
            "please report this with the file attached",
        ) from None
    if not items:
        raise CaptureError(f"{reader.label}: the file holds no capture", "check it is complete")
    return items


def _cut(item: Item, max_text: int) -> None:
    """A body (or NLP text) over `max_text` characters is cut at the last line break before it,
    with a reason (the original stays in the archive, byte for byte)."""
    for attr in ("body", "content"):
        text = getattr(item, attr)
        if len(text) > max_text:
            at = text.rfind("\n", 0, max_text)
            setattr(item, attr, text[: at if at > max_text // 2 else max_text] + "\n")
            if attr == "body":
                item.reasons.append(
                    f"read: the text is cut at max_text_mb ({max_text / 1e6:g} million characters) of "
                    f"{len(text) / 1e6:.1f} million; the original is archived whole (raise max_text_mb "
                    "in triage.yaml to read it all)"
                )


def read_file(
    data: bytes,
    path: Path,
    max_bytes: int,
    mtime: float = 0.0,
    inbox: Path | None = None,
    max_text: int = 20_000_000,
) -> list[Note]:
    """Every capture in one file, as Notes (most files hold one). Raises only `CaptureError`.
    `max_bytes` bounds the file (`max_file_mb`), `max_text` the text read from it (`max_text_mb`)."""
    try:
        if len(data) > max_bytes:
            raise CaptureError(
                f"file is {len(data) / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit",
                "split it, or raise max_file_mb in triage.yaml",
            )
        readers = [r for r in READERS if path.suffix.lower() in r.suffixes] or [generic.READER]
        doc = _document(data, path, readers, max_text)
        reader, why = _choose(doc, readers)
        if doc.yaml_error is not None and not reader.name:
            raise doc.yaml_error  # hand-written frontmatter in triage's schema stays strictly checked
        items = _items(reader, doc)
        for item in items:
            _cut(item, max_text)
            if why:
                item.reasons.insert(0, why)
        if doc.yaml_error is not None:
            where = f" (line {doc.yaml_error.line})" if doc.yaml_error.line else ""
            for item in items:
                item.reasons.append(
                    f"read: {reader.label}: frontmatter is not valid YAML{where}; read line by line"
                )
        sha = hashlib.sha256(data).hexdigest()
        folder = _folder(path, inbox)
        return [
            Note(
                source=path,
                raw_sha256=sha,
                text=doc.text,
                given=dict(item.given),
                body=item.body,
                content=item.content,
                mtime=mtime,
                inbox_folder=folder,
                source_tool=reader.name or None,
                tool_meta=dict(item.meta),
                extra=dict(item.extra),
                highlights=list(item.highlights),
                read_reasons=list(item.reasons),
            )
            for item in items
        ]
    except CaptureError:
        raise
    except (RecursionError, MemoryError) as exc:
        raise CaptureError(
            f"file is too complex to read ({type(exc).__name__})", "simplify its frontmatter"
        ) from None
    except Exception as exc:  # the reader's promise: nothing but CaptureError escapes
        raise CaptureError(
            f"unexpected problem reading the file: {type(exc).__name__}: {exc}",
            "please report this with the file attached",
        ) from None


def read_capture(
    data: bytes,
    path: Path,
    max_bytes: int,
    mtime: float = 0.0,
    inbox: Path | None = None,
    max_text: int = 20_000_000,
) -> Note:
    """The first (usually the only) capture in a file; see `read_file`."""
    return read_file(data, path, max_bytes, mtime, inbox, max_text)[0]
