"""Suggested topics in a vault: computed from its notes, cached, shown, and accepted.

- `current`: the suggestions for the notes without a topic (or for every note), from
  `.triage/suggestions.json` when the notes they come from have not changed since (same paths and
  modification times, same taxonomy); otherwise `enrich.discover.suggest` runs again and the cache
  is rewritten. Runs and `reindex` call it when they rebuild the index pages, so Home and Topics
  show the suggestions; a run with nothing to do never gets here.
- `accept`: adds a suggestion to `_triage/taxonomy.yaml` as text (everything already in the file
  stays byte for byte), gives the topic to its notes that triage wrote and the reader has not
  edited since (the sha256 of the bytes triage last wrote is in `.triage/written.sqlite`; a note
  written before triage kept that record counts as edited), lists the others, and rebuilds the
  index pages.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .config import SETTINGS_DIR, Taxonomy, Workspace, default_text, load_vocabulary, parse_taxonomy
from .enrich.discover import VERSION, Suggestion, from_json, suggest, to_json
from .errors import ConfigError, TriageError
from .lock import locked
from .status import failed_captures
from .vault.catalog import Record, capture_text, load_notes
from .vault.pages import topic_page
from .vault.refresh import refresh_pages
from .vault.render import make_env, wikilink
from .vault.writer import VaultWriter, written_sha256
from .vault.yamlio import YAMLProblem, dump_properties, safe_load_mapping

TAXONOMY = f"{SETTINGS_DIR}/taxonomy.yaml"


def _cache_name(all_notes: bool) -> str:
    return f".triage/suggestions{'-all' if all_notes else ''}.json"


def candidates(records: list[Record], all_notes: bool = False) -> list[Record]:
    """The notes suggestions are made from: those without a topic, or every readable note."""
    return [r for r in records if r.problem is None and (all_notes or not r.strings("topics"))]


def note_text(vault: Path, rel: str) -> str:
    """What a note captured: its `## Capture` section (without the sections triage generates around
    it, whose words every note shares), else its text after the frontmatter ('' if unreadable)."""
    try:
        return capture_text((vault / rel).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return ""


def current(
    ws: Workspace, records: list[Record], taxonomy: Taxonomy, all_notes: bool = False, save: bool = True
) -> list[Suggestion]:
    """The suggestions for this vault now (cached in .triage/ while their notes are unchanged)."""
    chosen = candidates(records, all_notes)
    stamp = hashlib.sha256(f"v{VERSION}\0{all_notes}\0{','.join(sorted(taxonomy.topics))}\0".encode())
    for r in sorted(chosen, key=lambda r: r.path):
        stamp.update(f"{r.path}\0{r.mtime}\0".encode())
    fp = stamp.hexdigest()
    cache = ws.vault / _cache_name(all_notes)
    try:
        cached = from_json(cache.read_text(encoding="utf-8"), fp) if cache.is_file() else None
    except (OSError, UnicodeDecodeError):
        cached = None
    if cached is not None:
        return cached
    found = suggest([(r.path, note_text(ws.vault, r.path)) for r in chosen], taken=sorted(taxonomy.topics))
    if save:
        VaultWriter(ws.vault).write(_cache_name(all_notes), to_json(found, fp))
    return found


def as_json(suggestions: list[Suggestion]) -> str:
    return json.dumps(
        {
            "suggestions": [
                {"id": s.id, "label": s.label, "keywords": s.keywords, "notes": s.notes} for s in suggestions
            ]
        },
        indent=2,
        ensure_ascii=False,
    )


# --- accepting ----------------------------------------------------------------------------------


@dataclass
class Accepted:
    id: str
    label: str
    given: list[str] = field(default_factory=list)
    """Notes that got the topic."""
    edited: list[str] = field(default_factory=list)
    """Notes left alone: the reader edited them (or triage has no record of what it wrote)."""
    pages: int = 0


_TOPICS_LINE = re.compile(r"^topics:[ \t]*(\{[ \t]*\}|null|~)?[ \t]*(#.*)?$")


def append_topic(text: str, tid: str, label: str, keywords: list[str]) -> str:
    """`text` (a taxonomy.yaml) with one more topic at the end of its `topics:` block; every other
    byte as it was (an empty `topics: {}` becomes `topics:`)."""
    lines = text.splitlines(keepends=True)
    at = next((i for i, line in enumerate(lines) if _TOPICS_LINE.match(line.rstrip("\r\n"))), None)
    if at is None:
        raise ConfigError(
            f"{TAXONOMY}: no `topics:` line triage can add to (it adds to a block of topics, one per line)",
            "add the topic yourself, or write `topics:` on a line of its own with each topic below it",
        )
    m = _TOPICS_LINE.match(lines[at].rstrip("\r\n"))
    assert m is not None
    if m.group(1):  # `topics: {}` -> `topics:` (keeping a comment)
        lines[at] = "topics:" + (f"  {m.group(2)}" if m.group(2) else "") + "\n"
    last, indent = at, "  "
    for i in range(at + 1, len(lines)):
        line = lines[i]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] not in " \t":
            break
        if last == at:
            indent = line[: len(line) - len(line.lstrip())]
        last = i
    if not lines[last].endswith("\n"):
        lines[last] += "\n"
    q = lambda s: json.dumps(s, ensure_ascii=False)  # noqa: E731  (a JSON string is a YAML scalar)
    entry = (
        f"{indent}{tid}:\n{indent}{indent}label: {q(label)}\n"
        f"{indent}{indent}keywords: [{', '.join(q(k) for k in keywords)}]\n"
    )
    lines.insert(last + 1, entry)
    return "".join(lines)


def give_topic(text: str, tid: str, label: str, taxonomy: Taxonomy) -> str | None:
    """The note's text with topic `tid` added (frontmatter `topics`, `tags`, `triage_reasons`, and
    the links of its Topics section); None when it cannot take it (no frontmatter, 5 topics already)."""
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 3)
    if end < 0:
        return None
    try:
        props = safe_load_mapping(text[4 : end + 1])
    except YAMLProblem:
        return None
    topics = [str(t) for t in props.get("topics") or []]
    if tid in topics or len(topics) >= 5:
        return None
    topics.append(tid)
    props["topics"] = topics
    tags = [str(t) for t in props.get("tags") or []]
    first_kind = next((i for i, t in enumerate(tags) if "/" in t), len(tags))
    props["tags"] = tags if tid in tags else [*tags[:first_kind], tid, *tags[first_kind:]]
    reasons = [str(r) for r in props.get("triage_reasons") or []]
    why = f"topics: {tid} (accepted suggestion {label!r})"
    props["triage_reasons"] = [why if r.startswith("topics: none") else r for r in reasons]
    if why not in props["triage_reasons"]:
        props["triage_reasons"].append(why)
    links = " · ".join(
        wikilink(topic_page(taxonomy.topics[t].label), t) for t in topics if t in taxonomy.topics
    )
    body = re.sub(
        r"(\n## Topics\n)(.*?)(\n\n## )",
        lambda m: m.group(1) + links + m.group(3),
        text[end + 5 :],
        count=1,
        flags=re.S,
    )
    return "---\n" + dump_properties(props) + "---\n" + body


def accept(ws: Workspace, tid: str, label: str | None = None) -> Accepted:
    """Add suggestion `tid` to the taxonomy and give it to its unedited notes; see the module doc."""
    with locked(ws):
        taxonomy, rules = load_vocabulary(ws)
        if tid in taxonomy.topics:
            raise TriageError(
                f"topic {tid!r} is already in {TAXONOMY}", "run `triage topics suggest` for new ones"
            )
        records = load_notes(ws.vault)
        found = next((s for s in current(ws, records, taxonomy) if s.id == tid), None)
        if found is None:
            found = next((s for s in current(ws, records, taxonomy, all_notes=True) if s.id == tid), None)
        if found is None:
            raise TriageError(
                f"no suggested topic {tid!r}",
                "run `triage topics suggest` to see the current suggestions and ids",
            )
        label = (label or found.label).strip() or found.label
        path = ws.vault / TAXONOMY
        old = path.read_text(encoding="utf-8") if path.is_file() else default_text("taxonomy.yaml")
        new = append_topic(old, tid, label, found.keywords)
        try:
            updated = parse_taxonomy(safe_load_mapping(new), str(path))
        except YAMLProblem as exc:
            raise ConfigError(
                f"{path}: adding {tid!r} would break it: {exc.message}", "add it yourself"
            ) from None
        if updated.topics.get(tid) is None or any(
            updated.topics.get(k) != t for k, t in taxonomy.topics.items()
        ):
            raise ConfigError(f"{path}: adding {tid!r} as text would change other topics", "add it yourself")
        writer = VaultWriter(ws.vault)
        writer.clean_temp()
        writer.write(TAXONOMY, new)
        out = Accepted(tid, label)
        shas = written_sha256(ws.vault, found.notes)
        for rel in found.notes:
            try:
                data = (ws.vault / rel).read_bytes()
            except OSError:
                continue  # gone since: nothing to give
            changed = give_topic(data.decode("utf-8", "replace"), tid, label, updated)
            if shas.get(rel) != hashlib.sha256(data).hexdigest() or changed is None:
                out.edited.append(rel)
                continue
            writer.write(rel, changed)
            out.given.append(rel)
        records = load_notes(ws.vault)
        out.pages = refresh_pages(
            writer,
            make_env(ws.vault),
            records,
            updated,
            rules,
            failed=failed_captures(ws),
            suggestions=current(ws, records, updated),
        )
        return out
