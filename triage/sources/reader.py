"""Stage 1: find captures in the inbox and read them.

`scan_inbox` decides which files are captures and which are ready (not still being written).
`read_capture` turns a capture's bytes into a `Note` with its text, frontmatter and body. It never
raises anything but `CaptureError`, whose message says what is wrong and what to do.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from frontmatter.default_handlers import YAMLHandler

from ..errors import CaptureError
from ..note import Note
from ..vault.yamlio import YAMLProblem, safe_load_mapping

CAPTURE_SUFFIXES = (".md", ".markdown", ".txt")
FAILED_DIR = "_failed"
# Editors' and browsers' temporary files, OS litter, cloud placeholders.
IGNORED_NAMES = re.compile(
    r"""^(\..*                 # hidden files: .DS_Store, .foo.swp, .~lock, iCloud's .name.icloud
        |~\$.*                 # Office owner files
        |.*\.(part|crdownload|download|tmp|swp|swx|icloud|partial)$
        |.*~$                  # editor backups
        |Thumbs\.db|desktop\.ini)$""",
    re.X | re.I,
)
BINARY_MAGIC = {
    b"%PDF-": "a PDF",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or .docx/.epub)",
    b"\x7fELF": "a program",
    b"\xd0\xcf\x11\xe0": "an old Office document",
}
BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_FM = YAMLHandler()


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str


def _walk(folder: Path) -> Iterator[Path]:
    """Every regular file below `folder`, sorted, without following symlinks or entering hidden
    folders or the inbox's `_failed/` folder."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.is_symlink():
            continue
        if entry.is_dir(follow_symlinks=False):
            if entry.name.startswith(".") or entry.name == FAILED_DIR:
                continue
            yield from _walk(Path(entry.path))
        elif entry.is_file(follow_symlinks=False):
            yield Path(entry.path)


def scan_inbox(inbox: Path, settle_seconds: float, now: float) -> tuple[list[Path], list[Skipped]]:
    """Split the inbox into captures ready to read and files left alone (with the reason).

    Ignored silently: hidden and temporary files, symlinks, `_failed/`. Reported and left in place:
    files of other types, and files modified less than `settle_seconds` ago (still being written).
    """
    ready: list[Path] = []
    skipped: list[Skipped] = []
    if not inbox.is_dir():
        return ready, skipped
    for path in _walk(inbox):
        if IGNORED_NAMES.match(path.name):
            continue
        if path.suffix.lower() not in CAPTURE_SUFFIXES:
            skipped.append(Skipped(path, f"not a capture (triage reads {', '.join(CAPTURE_SUFFIXES)})"))
            continue
        try:
            age = now - path.stat().st_mtime
        except OSError:
            continue  # vanished between listing and stat: someone else's business
        if age < settle_seconds:
            skipped.append(Skipped(path, f"modified {max(age, 0):.1f}s ago; left for the next run"))
            continue
        ready.append(path)
    return ready, skipped


def decode(data: bytes) -> str:
    """Bytes to text: BOMs first, then strict UTF-8, then charset detection. Binary is refused."""
    for magic, what in BINARY_MAGIC.items():
        if data.startswith(magic):
            raise CaptureError(
                f"this file is {what}, not text",
                "convert it to markdown or plain text (for a PDF: copy its text) and drop that in",
            )
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise CaptureError(
                    f"starts with a {encoding} byte-order mark but is not valid {encoding}: {exc}",
                    "re-save it as UTF-8",
                ) from None
    if b"\x00" not in data:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    text = _western(data) or _detect(data)
    if text is None:
        raise CaptureError(
            "this file looks binary, not text (no text encoding fits it)",
            "drop markdown or plain text only; re-save it as UTF-8 text",
        )
    return text


def _western(data: bytes) -> str | None:
    """cp1252 (a superset of latin-1 for text) when it decodes to Western text: the usual case for
    a non-UTF-8 capture, and one that statistical detection gets wrong on short files."""
    if b"\x00" in data:
        return None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    sample = text[:20_000]
    odd = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f") or ord(ch) == 0x7F)
    letters = [ch for ch in sample if ch.isalpha()]
    foreign = sum(1 for ch in letters if ord(ch) > 127)
    # Western text is mostly ASCII letters; cp1251/cp1253/... text read as cp1252 is not.
    return text if odd == 0 and foreign <= 0.3 * max(len(letters), 1) else None


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000] if len(data) > 200_000 else data).best()
    if best is None:
        return None
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    controls = sum(1 for ch in text[:20_000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(4, len(text[:20_000]) // 100):
        return None
    return text


def split_frontmatter(text: str) -> tuple[dict[str, object], str]:
    """(frontmatter mapping, body). No frontmatter gives ({}, text). A `---` block that is not valid
    YAML raises CaptureError with the file's line and column."""
    if not text.startswith("---"):
        return {}, text
    first = text.split("\n", 1)[0]
    if first.rstrip() != "---" and not re.fullmatch(r"-{3,}\s*", first):
        return {}, text
    try:
        fm_text, body = _FM.split(text)
    except ValueError:
        return {}, text  # an opening rule with no closing one: plain markdown
    try:
        data = safe_load_mapping(fm_text)
    except YAMLProblem as exc:
        raise CaptureError(
            f"invalid frontmatter: {exc.message}",
            "fix the YAML between the --- lines (or remove them), then move the file back into the inbox",
            line=exc.line,
            column=exc.column,
        ) from None
    return data, body.lstrip("\n")


def read_capture(
    data: bytes, path: Path, max_bytes: int, mtime: float = 0.0, inbox: Path | None = None
) -> Note:
    """Read one capture from its bytes. Raises only `CaptureError`."""
    try:
        if len(data) > max_bytes:
            raise CaptureError(
                f"file is {len(data) / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit",
                "split it, or raise max_file_mb in triage.yaml",
            )
        text = decode(data)
        text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            raise CaptureError("file is empty", "delete it, or put the capture's text in it")
        given, body = split_frontmatter(text)
        if not body.strip() and not given:
            raise CaptureError("file has no text", "put the capture's text in it")
        folder = ""
        if inbox is not None:
            try:
                rel = path.parent.relative_to(inbox)
                folder = rel.parts[0] if rel.parts else ""
            except ValueError:
                folder = ""
        return Note(
            source=path,
            raw_sha256=hashlib.sha256(data).hexdigest(),
            text=text,
            given=dict(given),
            body=body,
            mtime=mtime,
            inbox_folder=folder,
        )
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
