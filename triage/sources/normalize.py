"""Stage 2a: check and normalise the metadata a capture's own frontmatter gives.

`NORMALIZERS` maps each frontmatter key triage understands to a function that checks and normalises
the value. `normalize_given` is strict, for frontmatter in triage's own schema only (see
`keys.is_triage_schema`): a value that cannot be made valid raises `CaptureError` naming the key,
the value and the fix (the capture is quarantined with that explanation). Any other frontmatter
is read leniently by `keys.normalize_lenient`, with `TOOL_NORMALIZERS` (dates as leniently as a
capture tool's: `dates.lenient_date`). Other tools' names for our keys are mapped first
(`KEY_ALIASES`: Web Clipper's `source` is our `url`...). Keys triage does not know are kept as
they are.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from ..errors import CaptureError
from ..note import FORMATS, ID_RE, STATUSES, TELEOLOGIES
from ..text import first_sentences, shorten, strip_inline
from .dates import lenient_date, parse_date

# Other tools' names for our keys (Obsidian Web Clipper, Readwise, Zotero...). Ours win if both exist.
KEY_ALIASES = {
    "source": "url",
    "link": "url",
    "created": "captured_date",
    "clipped": "captured_date",
    "date_captured": "captured_date",
    "handle": "creator",
}


def problem(key: str, message: str, hint: str) -> CaptureError:
    return CaptureError(f"frontmatter `{key}`: {message}", hint)


# --- normalizers for given values ------------------------------------------------------------


def _plain(value: Any) -> str:
    """Text without markdown, HTML entities decoded first (`[[Brett &#38; Kate McKay]]` is one
    link, not `Brett &`), trimmed."""
    return strip_inline(html.unescape(str(value))).strip()


def _text(key: str) -> Callable[[Any], str | None]:
    def norm(value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, list):  # Web Clipper writes author as a list of links
            value = ", ".join(_plain(v) for v in value if v is not None and _plain(v))
        if isinstance(value, (dict, set)):
            raise problem(key, f"expected text, found a {type(value).__name__}", f"write `{key}: some text`")
        out = _plain(value)
        return out or None

    return norm


def _url(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, list) and value:
        value = value[0]
    text = str(value).strip().strip("<>")
    if not re.match(r"^https?://\S+$", text):
        raise problem("url", f"{text[:80]!r} is not an http(s) address", "give the full address, https://...")
    try:
        urlparse(text).hostname  # noqa: B018  (raises on a malformed host such as "https://[x")
    except ValueError:
        raise problem(
            "url", f"{text[:80]!r} is not a valid address", "give the full address, https://..."
        ) from None
    return text


def _date_of(key: str) -> Callable[[Any], dt.date | None]:
    def norm(value: Any) -> dt.date | None:
        if value is None or value == "":
            return None
        try:
            return parse_date(value)
        except ValueError:
            raise problem(
                key,
                f"{str(value)[:40]!r} is not a date",
                f"write it as YYYY-MM-DD, e.g. {key}: 2026-02-18",
            ) from None

    return norm


_date = _date_of("captured_date")


def _datetime(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(str(value)).replace(tzinfo=None, microsecond=0)
    except ValueError:
        raise problem("triaged_at", f"{value!r} is not a date and time", "use YYYY-MM-DDTHH:MM:SS") from None


def _choice(key: str, allowed: tuple[str, ...]) -> Callable[[Any], str | None]:
    def norm(value: Any) -> str | None:
        if value is None or value == "":
            return None
        text = str(value).strip().lower()
        if text not in allowed:
            raise problem(
                key, f"{value!r} is not one of {', '.join(allowed)}", f"use one of them, or remove `{key}`"
            )
        return text

    return norm


def _slug_value(key: str) -> Callable[[Any], str | None]:
    def norm(value: Any) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, (str, int)):
            raise problem(
                key, f"expected a single word, found a {type(value).__name__}", f"write `{key}: word`"
            )
        text = re.sub(r"[^a-z0-9-]+", "-", str(value).strip().lower()).strip("-")
        if not text:
            raise problem(key, f"{value!r} has no letters or digits", f"write `{key}: word`")
        return text

    return norm


def _id(value: Any) -> str | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    m = ID_RE.match(text)
    if not m:
        raise problem(
            "id",
            f"{text[:40]!r} is not an id like SOURCE-20260218-001",
            "remove the `id` line to get a new id, or correct it",
        )
    try:
        dt.datetime.strptime(m.group(1), "%Y%m%d")
    except ValueError:
        raise problem("id", f"{text!r} holds no real date", "remove the `id` line to get a new id") from None
    return text


def _list(key: str) -> Callable[[Any], list[str] | None]:
    def norm(value: Any) -> list[str] | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = [v for v in re.split(r"\s*,\s*", value) if v]
        if not isinstance(value, list):
            raise problem(
                key, f"expected a list, found {value!r:.40}", f"write `{key}: [a, b]` or one item per line"
            )
        out = []
        for item in value:
            if isinstance(item, (dict, list)):
                raise problem(key, "list items must be text", f"write `{key}: [a, b]`")
            if item is not None and str(item).strip():
                out.append(strip_inline(str(item)).strip())
        return out

    return norm


def _status(value: Any) -> str | None:
    return _choice("status", STATUSES)(value)


def _synopsis(value: Any) -> str | None:
    text = _text("synopsis")(value)
    if not text:
        return None
    return first_sentences(text, 300) or shorten(text, 300).rstrip("…").rsplit(" ", 1)[0] + "."


def _creator(value: Any) -> str | None:
    text = _text("creator")(value)
    return text.lstrip("@") if text else None


NORMALIZERS: dict[str, Callable[[Any], Any]] = {
    "id": _id,
    "url": _url,
    "author": _text("author"),
    "creator": _creator,
    "captured_date": _date,
    "published_date": _date_of("published_date"),
    "original_filename": _text("original_filename"),
    "status": _status,
    "platform": _slug_value("platform"),
    "format": _choice("format", FORMATS),
    "signal_tier": _slug_value("signal_tier"),
    "topics": _list("topics"),
    "teleology": _choice("teleology", TELEOLOGIES),
    "notebooklm_category": _slug_value("notebooklm_category"),
    "aliases": _list("aliases"),
    "synopsis": _synopsis,
    "key_insights": _list("key_insights"),
    "entities": _list("entities"),
    "tags": _list("tags"),
    "title": _text("title"),
    "triaged_at": _datetime,
}
# Keys the pipeline computes itself; a given value is dropped (sha256 must describe the real bytes).
RECOMPUTED = {"sha256", "triage_reasons"}


def normalize_given(given: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(known values normalised, other keys kept verbatim). Raises CaptureError listing every problem."""
    known: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    errors: list[CaptureError] = []
    for key, value in given.items():
        target = KEY_ALIASES.get(key, key)
        if target != key and target in given:
            extra[key] = value
            continue
        if target in RECOMPUTED:
            continue
        fn = NORMALIZERS.get(target)
        if fn is None:
            extra[key] = value
            continue
        try:
            out = fn(value)
        except CaptureError as exc:
            errors.append(exc)
            continue
        if out is not None:
            known[target] = out
        if target == "title":
            extra[key] = out  # kept for Web Clipper/Dataview users, cleaned: no markdown, no links
        elif target != key:
            extra[key] = value  # other tools' keys stay, so their own views keep working
    if errors:
        if len(errors) == 1:
            raise errors[0]
        raise CaptureError("; ".join(e.message for e in errors), errors[0].hint)
    return known, extra


def _tool_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    found = lenient_date(value)
    if found is None:
        raise ValueError(value)
    return found


TOOL_NORMALIZERS: dict[str, Callable[[Any], Any]] = {
    **NORMALIZERS,
    "captured_date": _tool_date,
    "published_date": _tool_date,
}
"""What a capture tool states (`Note.tool_meta`) is read with the same table, dates leniently."""


def normalize_tool(meta: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """(values a capture tool states, normalised; reasons for those that could not be read).
    Never raises: a tool's value that does not fit is dropped with a reason (the file keeps it)."""
    known: dict[str, Any] = {}
    reasons: list[str] = []
    for key, value in meta.items():
        fn = TOOL_NORMALIZERS.get(key)
        if fn is None:
            continue
        try:
            out = fn(value)
        except (CaptureError, ValueError, TypeError):
            reasons.append(f"read: {key} {str(value)[:60]!r} could not be read; left out")
            continue
        if out is not None and out != []:
            known[key] = out
    return known, reasons
