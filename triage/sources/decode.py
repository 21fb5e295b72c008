"""Bytes to text, and text to (frontmatter, body): the first step of every text capture.

`decode` refuses binary files and finds the encoding (BOMs, UTF-8, cp1252, then detection);
`split_frontmatter` parses a leading `---` YAML block. Both raise only `CaptureError`.
"""

from __future__ import annotations

import re

from frontmatter.default_handlers import YAMLHandler

from ..errors import CaptureError
from ..vault.yamlio import YAMLProblem, safe_load_mapping

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


_LINE_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:(?:\s+(.*))?$")


def lenient_frontmatter(text: str) -> tuple[dict[str, object], str]:
    """A `---` block that is not valid YAML, read line by line the way capture tools write it
    (`key: value`, values unquoted and taken as text, `  - item` lists): what a capture tool's
    reader sees when its frontmatter has a value YAML refuses (MarkDownload's `author: By: Jane`).
    ({}, text) when there is no closing `---`."""
    lines = text.split("\n")
    try:
        end = next(i for i in range(1, len(lines)) if re.fullmatch(r"-{3,}\s*", lines[i]))
    except StopIteration:
        return {}, text
    out: dict[str, object] = {}
    key = ""
    for line in lines[1:end]:
        item = re.match(r"^\s+-\s+(.*)$", line)
        if item and key:
            current = out.get(key)
            out[key] = [*(current if isinstance(current, list) else []), item.group(1).strip().strip("'\"")]
            continue
        m = _LINE_KEY.match(line)
        if m:
            key = m.group(1)
            value = (m.group(2) or "").strip()
            if value.startswith("[") and value.endswith("]"):
                out[key] = [v.strip().strip("'\"") for v in value[1:-1].split(",") if v.strip()]
            else:
                out[key] = value.strip("'\"") if value else None
    return out, "\n".join(lines[end + 1 :]).lstrip("\n")
