"""YAML in and out, safely.

Reading: `safe_load_mapping` uses PyYAML's SafeLoader (no `!!python/...` tags) with three guards that
plain `safe_load` lacks: duplicate keys are an error (PyYAML silently keeps the last), aliases are
limited (an alias bomb is refused before anything walks it), and nesting depth is bounded.

Writing: `dump_properties` writes Obsidian properties so that reading them back gives exactly the
values written: strings that YAML would read as something else are double-quoted, dates are ISO
(`2026-02-18`), datetimes are ISO with a `T` (`2026-02-18T10:30:00`), lines are never folded.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

import yaml

MAX_ALIASES = 50
MAX_DEPTH = 20
MAX_NODES = 20_000


class YAMLProblem(ValueError):
    """Invalid or unsafe YAML. `line`/`column` are 1-based where known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class _GuardedLoader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise YAMLProblem(
                    f"more than {MAX_ALIASES} YAML aliases (*name): refused as a possible alias bomb",
                    mark.line + 1,
                    mark.column + 1,
                )
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise YAMLProblem(f"frontmatter has more than {MAX_NODES} values: refused as too large")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise YAMLProblem(
                    f"YAML nested deeper than {MAX_DEPTH} levels", mark.line + 1, mark.column + 1
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:
                raise YAMLProblem(
                    "a mapping key is a list or mapping; keys must be plain text",
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                ) from None
            if duplicate:
                raise YAMLProblem(
                    f"duplicate key {key!r}: each property may appear once",
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# Text with none of these can hold no alias, anchor, tag or tab: libyaml's C parser (ten times
# faster) is safe for it, with a check for duplicate keys. Anything else takes the guarded parser.
_NEEDS_GUARD = re.compile(r"[&*!\t]|[\[{]\s*[\[{]\s*[\[{]|^ {30,}\S", re.M)  # ...or deep nesting
_TOP_KEY = re.compile(r"^([^\s#\-?:][^:\n]*?)\s*:(?:\s|$)", re.M)
_FAST = getattr(yaml, "CSafeLoader", None)


def _load_fast(text: str) -> Any:
    assert _FAST is not None
    data = yaml.load(text, Loader=_FAST)  # CSafeLoader: the safe loader, in C
    if isinstance(data, dict):
        seen: set[str] = set()
        for m in _TOP_KEY.finditer(text):
            key = m.group(1).strip().strip("\"'")
            if key in seen:  # let the guarded parser report it with its line and column
                return _load_guarded(text)
            seen.add(key)
    return data


def _load_guarded(text: str) -> Any:
    loader = _GuardedLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def safe_load_mapping(text: str) -> dict[str, Any]:
    """Parse `text` as a YAML mapping. Empty text is an empty mapping. Raises `YAMLProblem`."""
    try:
        data = (
            _load_fast(text) if _FAST is not None and not _NEEDS_GUARD.search(text) else _load_guarded(text)
        )
    except YAMLProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(s for s in (exc.context, exc.problem) if s) or "invalid YAML"
        if ("\t" in text and "tab" in str(exc).lower()) or "found character '\\t'" in str(exc):
            what += " (tabs are not allowed for indentation in YAML; use spaces)"
        if "could not determine a constructor" in str(exc):
            what = f"unsafe or unknown YAML tag refused ({exc.problem})"
        raise YAMLProblem(what, mark.line + 1 if mark else None, mark.column + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise YAMLProblem(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise YAMLProblem(f"YAML nested deeper than {MAX_DEPTH} levels") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise YAMLProblem(f"frontmatter must be a mapping of key: value lines, not a {type(data).__name__}")
    bad = [k for k in data if not isinstance(k, str)]
    if bad:
        raise YAMLProblem(f"property names must be text; found {bad[0]!r}")
    return data


# --- writing -------------------------------------------------------------------------------------

_PLAIN_OK = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./@+-]*(?::[A-Za-z0-9_./@+?=&%~#-][A-Za-z0-9_./@+?=&%~#:-]*)?")


class _PropertiesDumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        # Indent list items under their key ("topics:\n  - ai"), as Obsidian writes them.
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        # The same value under two keys (a clipper's `created` and our `captured_date`) is written
        # twice, never as a YAML anchor and alias (`&id001`), which Obsidian does not show.
        return True


@functools.lru_cache(maxsize=1 << 16)
def _plain_is_safe(value: str) -> bool:
    """Can `value` be written unquoted and read back as the same string? (A YAML parse per
    distinct string: entity names, tags and topics recur on every page, so the answer is kept.)"""
    if not _PLAIN_OK.fullmatch(value):
        return False
    try:
        return yaml.safe_load(value) == value
    except yaml.YAMLError:
        return False


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = None if _plain_is_safe(value) else '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_datetime(dumper: yaml.SafeDumper, value: dt.datetime) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat(timespec="seconds"))


def _represent_date(dumper: yaml.SafeDumper, value: dt.date) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


def _represent_none(dumper: yaml.SafeDumper, value: None) -> yaml.ScalarNode:
    # `url:` with nothing after it, as Obsidian and the Web Clipper write an empty property.
    return dumper.represent_scalar("tag:yaml.org,2002:null", "")


_PropertiesDumper.add_representer(str, _represent_str)
_PropertiesDumper.add_representer(type(None), _represent_none)
_PropertiesDumper.add_representer(dt.datetime, _represent_datetime)
_PropertiesDumper.add_representer(dt.date, _represent_date)


def dump_properties(props: dict[str, Any]) -> str:
    """YAML text for a frontmatter block (without the `---` fences), keys in the given order."""
    return yaml.dump(
        props,
        Dumper=_PropertiesDumper,
        sort_keys=False,
        allow_unicode=True,
        width=10**9,
        default_flow_style=False,
    )
