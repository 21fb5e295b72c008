"""Stage 2a: whose key is it? The capture's frontmatter keys that share a name with triage's.

A capture is the reader's: its keys never get it quarantined. Strict validation
(`normalize.normalize_given`, which raises) is only for frontmatter in triage's own schema: a
`SOURCE-` id and triage's keys and nothing else (`is_triage_schema`), as a note triage wrote
or one written by hand in its schema. Any other frontmatter is read leniently
(`normalize_lenient`): a value triage accepts is used (dates read as leniently as a tool's); a
value it does not (`status: digested`, `id: <uuid>`, a `teleology`, `signal_tier` or `topics`
outside the vocabulary) is kept under a name that says whose it is (`capture_status`,
`capture_id`...) with a reason in `triage_reasons`.

Capture-tool readers keep the tool's frontmatter through `common.tool_extra`, which moves every
key named like one of triage's to `capture_<key>` (`capture_key`); `settle_tool_keys` then uses
the source's keys (`url`, `author`, dates, `tags`, `aliases`) to fill what the reader did not
state (a `url` the tool's layout lacks) and drops their copies, and records a reason for each
of triage's own keys it keeps (`capture_status`...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import CaptureError
from ..note import PROPERTY_ORDER
from .normalize import KEY_ALIASES, NORMALIZERS, RECOMPUTED, TOOL_NORMALIZERS

TRIAGE_KEYS = frozenset({*PROPERTY_ORDER, *NORMALIZERS, *RECOMPUTED})
"""The keys of triage's own schema (what a note triage writes holds, besides the capture's)."""
PREFIX = "capture_"
TOOL_MAPPED = ("url", "author", "published_date", "captured_date", "tags", "aliases")
"""Schema keys a capture tool's frontmatter may state for the source (the others are triage's
own judgement: id, status, topics, teleology...)."""


@dataclass(frozen=True)
class Accepted:
    """What the vault accepts beyond the schema: its vocabulary and the ids already used
    (None: not checked, as in unit tests of one capture)."""

    topics: frozenset[str] | None = None
    tiers: tuple[str, ...] | None = None
    ids: frozenset[str] = frozenset()

    def refuses(self, key: str, value: Any) -> str | None:
        """Why the vault refuses a normalised value for `key` (None when it accepts it)."""
        if key == "topics" and self.topics is not None:
            unknown = [t for t in value if t not in self.topics]
            return f"{', '.join(unknown)} not in taxonomy.yaml" if unknown else None
        if key == "signal_tier" and self.tiers is not None and value not in self.tiers:
            return f"not one of {', '.join(self.tiers)}"
        if key == "id" and value in self.ids:
            return "already used by another note"
        return None


def is_triage_schema(given: dict[str, Any]) -> bool:
    """Frontmatter in triage's own schema: a `SOURCE-` id (`SOURCE-YYYYMMDD-NNN`, or a wrong one
    that means to be: strict validation then says what is wrong with it), triage's keys and
    nothing else."""
    ident = given.get("id")
    return (
        isinstance(ident, str)
        and ident.strip().startswith("SOURCE-")
        and all(str(k) in TRIAGE_KEYS for k in given)
    )


def capture_key(key: str, taken: dict[str, Any] | None = None) -> str:
    """The name a capture's key gets when it collides with triage's: `status` -> `capture_status`
    (`capture_status_2`... when that is taken as well)."""
    name, n = f"{PREFIX}{key}", 1
    while taken is not None and name in taken:
        n += 1
        name = f"{PREFIX}{key}_{n}"
    return name


def _kept(key: str, value: Any, why: str, whose: str = "capture's") -> str:
    shown = str(value).replace("\n", " ")
    shown = shown if len(shown) <= 50 else shown[:49] + "…"
    return f"read: the {whose} `{key}: {shown}` is not triage's ({why}); kept as `{capture_key(key)}`"


def normalize_lenient(
    given: dict[str, Any], accepted: Accepted | None = None
) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """(values triage accepts, normalised; the other keys, kept; a reason for each key kept
    under another name). Never raises."""
    accepted = accepted or Accepted()
    known: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    reasons: list[str] = []
    for raw_key, value in given.items():
        key = str(raw_key)
        target = KEY_ALIASES.get(key, key)
        if target != key and target in given:
            extra[key] = value
            continue
        fn = TOOL_NORMALIZERS.get(target)
        if fn is None or target in RECOMPUTED:
            if key in TRIAGE_KEYS:  # sha256, related, source_tool...: triage computes them itself
                extra[capture_key(key, extra)] = value
                reasons.append(_kept(key, value, "triage computes it"))
            else:
                extra[key] = value
            continue
        try:
            out = fn(value)
            why = accepted.refuses(target, out) if out is not None else None
        except (CaptureError, ValueError, TypeError) as exc:
            out, why = None, _why(exc, target)
        if why:
            extra[capture_key(key, extra)] = value
            reasons.append(_kept(key, value, why))
            continue
        if out is not None:
            known[target] = out
        if target == "title":
            extra[key] = out
        elif target != key:
            extra[key] = value
    return known, extra, reasons


def _why(exc: Exception, target: str) -> str:
    if isinstance(exc, CaptureError):
        return exc.message.split(": ", 1)[-1]
    return f"not a {target.replace('_', ' ')} triage can read"


def settle_tool_keys(
    extra: dict[str, Any], stated: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """The tool frontmatter's keys that `common.tool_extra` moved to `capture_<key>`: (extra
    without the source's keys, the values of those that fill a gap in `stated` (the reader's
    normalised meta), a reason for each of triage's own keys kept as `capture_<key>`). A
    source key the reader stated is its to read (`author: By Jane Roe` is `Jane Roe`)."""
    out = dict(extra)
    filled: dict[str, Any] = {}
    reasons: list[str] = []
    for name, value in extra.items():
        if not name.startswith(PREFIX) or (key := name[len(PREFIX) :]) not in TRIAGE_KEYS:
            continue
        if key not in TOOL_MAPPED:
            reasons.append(_kept(key, value, "triage decides it itself", "capture tool's"))
            continue
        try:
            normal = TOOL_NORMALIZERS[key](value)
        except (CaptureError, ValueError, TypeError) as exc:
            reasons.append(_kept(key, value, _why(exc, key), "capture tool's"))
            continue
        out.pop(name)  # empty, read by the reader already (from here or its layout), or filling a gap
        if normal not in (None, []) and (key == "aliases" or not stated.get(key)):
            filled[key] = normal
    return out, filled, reasons
