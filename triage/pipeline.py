"""The run, in the order it happens. Each step is a function of its own module:

    lock the workspace                          filelock        (a second run exits at once)
    scan the inbox                              reader.scan_inbox
    read the vault's catalog                    catalog.load_notes
  phase 1: read and enrich every capture
    read bytes -> Note (text, frontmatter)      reader.read_capture
    drop duplicates (sha256 already in vault)   here
    metadata: normalise given, infer missing    infer.infer_metadata
    spaCy over all captures in one stream       nlp.load_nlp, lexicon (here), nlp.analyze
    topics, teleology, tier                     classify.classify
  phase 2: render and write
    ids, file names, entity names, tags         plan (here)
    check against the schema                    note.NoteProperties
    write each note, then archive its original  render.render_note, vault.VaultWriter
    quarantine failures with an explanation     vault.move_original, vault.write_error_file
    rebuild index pages that changed            pages.build_pages -> refresh_pages

The order makes a crash at any point recoverable: a note is written (atomically) before its
original leaves the inbox, and a capture whose sha256 is already in the vault is archived as a
duplicate on the next run, so no note is ever written twice and no original is ever lost.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filelock import FileLock, Timeout
from jinja2 import Environment
from pydantic import ValidationError

from .config import Rules, Taxonomy, Workspace, load_vocabulary
from .enrich.classify import classify
from .enrich.entities import key as entity_key
from .enrich.learn import TopicModel
from .errors import CaptureError, LockedError, TriageError
from .note import ID_RE, Note, NoteProperties, check_vocabulary
from .sources.infer import infer_metadata
from .sources.reader import read_capture, scan_inbox
from .status import failed_captures, record_run
from .vault.catalog import (
    ENTITIES_DIR,
    NOTES_DIR,
    EntityPage,
    Record,
    load_catalog,
    load_entity_pages,
    load_notes,
)
from .vault.names import note_filename, safe_page_name, unique
from .vault.pages import (
    affected_pages,
    build_pages,
    entity_frontmatter,
    merge_managed,
    reserved_names,
    topic_page,
)
from .vault.render import make_env, render_note
from .vault.writer import VaultWriter, clean_temp, move_original, write_error_file

if TYPE_CHECKING:
    from spacy.language import Language

    from .enrich.lexicon import Lexicon

log = logging.getLogger("triage")


@dataclass
class Report:
    processed: list[dict[str, str]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    pages_written: int = 0

    def as_json(self) -> dict[str, Any]:
        return {"processed": self.processed, "skipped": self.skipped, "failed": self.failed}


@contextmanager
def locked(ws: Workspace) -> Iterator[None]:
    """Hold the workspace lock (an OS lock: a killed run's lock goes with its process), or raise
    LockedError at once if another run holds it."""
    ws.state_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(ws.state_dir / "run.lock"), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise LockedError(
            f"another triage run is using {ws.root}", "wait for it to finish; this run changed nothing"
        ) from None
    try:
        yield
    finally:
        lock.release()


def run(
    ws: Workspace,
    *,
    dry_run: bool = False,
    now: dt.datetime | None = None,
    nlp: Language | None = None,
    env: Environment | None = None,
    progress: Callable[[str, int, int, str], None] | None = None,
) -> Report:
    """Triage every ready capture in the inbox into the vault."""
    started = time.time()
    with locked(ws):
        report = _run(ws, dry_run, now or dt.datetime.now().replace(microsecond=0), nlp, env, progress)
    if not dry_run:
        summary = {k: len(v) for k, v in report.as_json().items()}
        record_run(ws, started, {**summary, "pages_written": report.pages_written})
    return report


def _fail(report: Report, ws: Workspace, path: Path, exc: TriageError, dry_run: bool) -> None:
    where = f" ({exc.location()})" if isinstance(exc, CaptureError) and exc.line else ""
    message = f"{exc.message}{where}"
    entry = {"source": str(path), "error": message}
    log.warning("failed: %s: %s", path.name, message)
    if not dry_run and path.exists():
        try:
            dest = move_original(path, ws.failed_dir)
            write_error_file(
                ws.failed_dir,
                dest.name,
                (
                    "triage could not process this capture.\n\n"
                    f"File:       {path}\nProblem:    {message}\nWhat to do: {exc.hint or 'fix the file'}\n\n"
                    f"When it is fixed, move {dest.name} back into the inbox; the next run picks it up.\n"
                    "Files in _failed/ are never read again on their own.\n"
                ),
            )
            entry["moved_to"] = str(dest)
        except (OSError, TriageError) as err:
            entry["error"] += f" (and it could not be moved to {ws.failed_dir}: {err}; it stays in the inbox)"
    report.failed.append(entry)


def archive(report: Report, path: Path, folder: Path, sha: str) -> bool:
    """Move an original to the archive; if that fails (it changed meanwhile, a full disk...), say so
    and leave it in the inbox: the next run sees its new bytes as a new capture."""
    try:
        move_original(path, folder, sha)
        return True
    except (OSError, TriageError) as exc:
        log.warning("could not archive %s: %s", path.name, exc)
        report.skipped.append(
            {"source": str(path), "reason": f"left in the inbox: could not archive it ({exc})"}
        )
        return False


def _run(
    ws: Workspace,
    dry_run: bool,
    now: dt.datetime,
    nlp: Language | None,
    env: Environment | None,
    progress: Callable[[str, int, int, str], None] | None,
) -> Report:
    report = Report()
    writer = VaultWriter(ws.vault, dry_run)
    month = ws.archive / f"{now:%Y}" / f"{now:%m}"  # where this run's originals go
    stale = ws.state_dir / "pages-stale"  # exists from the first note written until the pages are rebuilt
    if not dry_run:
        writer.clean_temp()
        for folder in (month.parent, ws.inbox, ws.failed_dir):
            clean_temp(folder)
    ready, waiting = scan_inbox(ws.inbox, ws.settings.settle_seconds, time.time())
    report.skipped += [{"source": str(s.path), "reason": s.reason} for s in waiting]
    if not ready and not (stale.exists() and not dry_run):
        return report
    taxonomy, rules = load_vocabulary(ws)
    full_refresh = stale.exists()  # a run was interrupted: its pages may be half-updated
    records, edited = load_catalog(ws.vault)
    by_sha = {str(r.get("sha256")): r.path for r in records if r.get("sha256")}

    # Phase 1: read and enrich.
    notes: list[Note] = []
    duplicates: list[tuple[Path, str, str]] = []
    batch_sha: dict[str, str] = {}
    max_bytes = int(ws.settings.max_file_mb * 1_000_000)
    for i, path in enumerate(ready):
        if progress:
            progress("reading", i, len(ready), path.name)
        try:
            data = path.read_bytes()
            mtime = path.stat().st_mtime
        except OSError as exc:
            report.skipped.append({"source": str(path), "reason": f"cannot read it now ({exc.strerror})"})
            continue
        try:
            note = read_capture(data, path, max_bytes, mtime, ws.inbox)
            if note.raw_sha256 in by_sha or note.raw_sha256 in batch_sha:
                twin = by_sha.get(note.raw_sha256) or batch_sha[note.raw_sha256]
                duplicates.append((path, note.raw_sha256, twin))
                continue
            infer_metadata(note)
        except CaptureError as exc:
            _fail(report, ws, path, exc, dry_run)
            continue
        batch_sha[note.raw_sha256] = str(path.name)
        notes.append(note)

    entity_pages = load_entity_pages(ws.vault)  # read once; the ruler, planner and page refresh share it
    if notes:
        from .enrich.nlp import known_from_pages

        pages = [(p.name, p.type, p.aliases) for p in entity_pages]
        known = known_from_pages(pages)
        if nlp is None:
            from .enrich.nlp import load_nlp, ruler_patterns

            nlp = load_nlp(ws.settings.models, ruler_patterns(pages))
        from .enrich.nlp import analyze

        def analysed(done: int, note: Note) -> None:
            if progress:
                progress("analysing", done, len(notes), note.source.name)

        analyze(
            notes,
            nlp,
            ws.settings.key_insights,
            ws.settings.max_entities,
            known,
            ws.settings.workers,
            analysed,
            lexicon(ws, nlp, dry_run),
        )
    kept: list[Note] = []
    model = topic_model(ws, records, taxonomy, dry_run) if notes else None
    for note in notes:
        try:
            classify(note, taxonomy, rules, ws.settings.max_topics, model)
            note.lemmas = []  # scratch of the NLP stage: free it for big backlogs
            kept.append(note)
        except CaptureError as exc:
            _fail(report, ws, note.source, exc, dry_run)

    # Phase 2: plan, render, write.
    env = env or make_env(ws.vault)
    topic_pages = {tid: topic_page(t.label) for tid, t in taxonomy.topics.items()}
    planner = Planner(records, taxonomy, rules, entity_pages)
    entity_info: dict[str, tuple[str, list[str]]] = {}
    if (kept or duplicates or report.failed) and not dry_run:
        stale.touch()
    for i, note in enumerate(kept):
        if progress:
            progress("writing", i, len(kept), note.source.name)
        try:
            planner.plan(note, now)
        except CaptureError as exc:
            _fail(report, ws, note.source, exc, dry_run)
            continue
        assert note.note_path is not None
        rel = note.note_path.as_posix()
        writer.create(rel, render_note(env, note, topic_pages))
        if not dry_run:
            archive(report, note.source, month, note.raw_sha256)
        records.append(Record(rel, note.properties()))
        for e in note.entities:  # a new page records every variant this run saw
            aliases = entity_info.setdefault(e.name, (e.type, []))[1]
            aliases.extend(a for a in e.aliases if a != e.name and a not in aliases)
        report.processed.append({"source": str(note.source), "note": str(ws.vault / rel), "id": str(note.id)})
        log.info("triaged %s -> %s", note.source.name, rel)
    for path, sha, twin in duplicates:
        if dry_run or archive(report, path, month, sha):
            report.skipped.append(
                {"source": str(path), "reason": f"duplicate of {twin} (same sha256); archived"}
            )

    if stale.exists() and not dry_run:
        only: set[str] | None = None
        if not full_refresh:  # the pages the new notes and the user's edits since the last run touch
            only = {"Home.md"}  # Home also lists failed captures
            for props in [*edited, *(n.properties() for n in kept if n.note_path)]:
                only |= affected_pages(props, taxonomy)
        report.pages_written = refresh_pages(
            writer, env, records, taxonomy, rules, entity_info, only, failed_captures(ws), entity_pages
        )
        stale.unlink()
    return report


def lexicon(ws: Workspace, nlp: Language, dry_run: bool) -> Lexicon:
    """The entity rules' word lists, the Faker name lists cached in `.triage/lexicon.json`."""
    from .enrich.lexicon import load_lexicon, name_lists, names_json

    cache = ws.state_dir / "lexicon.json"
    try:
        cached = cache.read_text(encoding="utf-8") if cache.is_file() else None
    except (OSError, UnicodeDecodeError):
        cached = None
    lists, fresh = name_lists(cached)
    if fresh and not dry_run:
        VaultWriter(ws.vault).write(".triage/lexicon.json", names_json(lists))
    return load_lexicon(nlp, lists)


def topic_model(ws: Workspace, records: list[Record], taxonomy: Taxonomy, dry_run: bool) -> TopicModel | None:
    """The topic model learned from the vault's reviewed notes; retrained only when one of them (or
    the taxonomy) changed since the cached model was built. None when nothing is reviewed yet."""
    reviewed = sorted(
        (r for r in records if r.get("status") == "reviewed" and r.strings("topics")), key=lambda r: r.path
    )
    if not reviewed:
        return None
    stamp = hashlib.sha256()
    stamp.update(taxonomy.model_dump_json().encode())
    for r in reviewed:
        stamp.update(f"{r.path}\0{r.mtime}\0".encode())
    fingerprint = stamp.hexdigest()
    cache = ws.state_dir / "topic-model.json"
    if cache.is_file():
        model = TopicModel.from_json(cache.read_text(encoding="utf-8"), fingerprint)
        if model is not None:
            return model
    examples = []
    for r in reviewed:
        try:
            text = (ws.vault / r.path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        examples.append((text.split("\n---\n", 1)[-1], r.strings("topics")))
    model = TopicModel.train(examples, taxonomy)
    if not dry_run:
        VaultWriter(ws.vault).write(".triage/topic-model.json", model.to_json(fingerprint))
    log.info("topic model trained on %d reviewed notes", len(examples))
    return model


def normalize_tag(tag: str) -> str | None:
    tag = re.sub(r"[^a-z0-9_/-]+", "-", tag.strip().lstrip("#").lower()).strip("-/")
    return tag if tag and re.search(r"[a-z_]", tag) else None


class Planner:
    """Stage 5: ids, file names, canonical entity page names, aliases, tags, triaged_at; then the
    schema check. Keeps the vault-wide sets (ids, names) up to date as notes are planned."""

    def __init__(
        self, records: list[Record], taxonomy: Taxonomy, rules: Rules, entity_pages: list[EntityPage]
    ) -> None:
        self.taxonomy = taxonomy
        self.rules = rules
        self.ids = {str(r.get("id")): r.path for r in records if r.get("id")}
        self.names = {Path(r.path).name.casefold() for r in records}
        platforms = {str(r.get("platform")) for r in records}
        self.reserved = reserved_names(taxonomy, rules, platforms | {"unknown", "web", "x"})
        # Entity page names by merge key, so "U.S" in one note and "US" in another meet on one page.
        self.entity_names: dict[str, str] = {}
        # Every entity a note links has a page (refresh_pages makes it), so the pages are the list.
        for page in entity_pages:
            self.entity_names.setdefault(entity_key(page.name), page.name)

    def next_id(self, date: dt.date) -> str:
        day = date.strftime("%Y%m%d")
        used = [int(m.group(2)) for i in self.ids if (m := ID_RE.match(i)) and m.group(1) == day]
        return f"SOURCE-{day}-{max(used, default=0) + 1:03d}"

    def entity_name(self, raw: str) -> str:
        name = safe_page_name(raw)
        if name.casefold() in self.reserved:
            name = f"{name} (entity)"
        return self.entity_names.setdefault(entity_key(name) or name.casefold(), name)

    def plan(self, note: Note, now: dt.datetime) -> None:
        assert note.captured_date is not None
        if note.id and note.id in self.ids:
            raise CaptureError(
                f"id {note.id} is already used by {self.ids[note.id]}",
                "remove the `id` line to get a new id (or delete the other note first)",
            )
        note.id = note.id or self.next_id(note.captured_date)
        self.ids[note.id] = "(this run)"
        name = note_filename(
            note.captured_date.strftime("%Y%m%d"), note.platform, note.format, note.title, note.creator
        )
        name = unique(name, self.names)
        note.note_path = Path(NOTES_DIR) / f"{note.captured_date:%Y}" / name
        merged: dict[str, Any] = {}
        for e in note.entities:
            raw, e.name = e.name, self.entity_name(e.name)
            if raw != e.name and raw not in e.aliases:  # "U.S" met the page "US": a variant seen
                e.aliases.append(raw)
            merged.setdefault(e.name, e)
        note.entities = list(merged.values())
        note.aliases = list(note.given.get("aliases") or [re.sub(r"\s+", " ", note.title).strip()])
        tags = [
            *note.given.get("tags", []),
            *note.topics,
            f"teleology/{note.teleology}",
            f"tier/{note.signal_tier}",
            f"platform/{note.platform}",
        ]
        note.tags = list(dict.fromkeys(t for t in (normalize_tag(x) for x in tags) if t))
        note.triaged_at = note.given.get("triaged_at") or now
        try:
            props = NoteProperties.model_validate(note.properties())
        except ValidationError as exc:
            first = exc.errors()[0]
            raise CaptureError(
                f"the note would not be valid: {'.'.join(map(str, first['loc']))}: {first['msg']}",
                "fix that property in the capture's frontmatter",
            ) from None
        problems = check_vocabulary(props, self.taxonomy.ids(), self.rules.tiers)
        if problems:
            raise CaptureError(problems[0], "fix the capture's frontmatter or the vocabulary files")


def refresh_pages(
    writer: VaultWriter,
    env: Environment,
    records: list[Record],
    taxonomy: Taxonomy,
    rules: Rules,
    entity_info: dict[str, tuple[str, list[str]]] | None = None,
    only: set[str] | None = None,
    failed: list[dict[str, str]] | None = None,
    entity_pages: list[EntityPage] | None = None,
) -> int:
    """Write every index page whose text changed; entity pages keep the user's parts. Returns how
    many files were written."""
    entity_info = entity_info or {}
    if entity_pages is None:
        entity_pages = load_entity_pages(writer.vault)
    types = {p.name: p.type for p in entity_pages}
    for name, (type_, _) in entity_info.items():
        types.setdefault(name, type_)
    written = 0

    def wanted(rel: str) -> bool:  # pages the change touches, and any page not written yet
        return only is None or rel in only or not (writer.vault / rel).exists()

    for rel, text in build_pages(env, records, taxonomy, rules, types, wanted, failed or []).items():
        if rel.startswith(f"{ENTITIES_DIR}/"):
            path = writer.vault / rel
            existing = path.read_text(encoding="utf-8") if path.exists() else None
            name = rel[len(ENTITIES_DIR) + 1 : -3]
            type_, aliases = entity_info.get(name, (types.get(name, "unknown"), []))
            merged = merge_managed(existing, text, entity_frontmatter(type_, aliases))
            if merged is None:
                continue
            text = merged
        written += writer.write(rel, text)
    return written


def reindex(ws: Workspace, env: Environment | None = None) -> int:
    """Rebuild every index page from the notes now in the vault. Returns pages written."""
    with locked(ws):
        taxonomy, rules = load_vocabulary(ws)
        writer = VaultWriter(ws.vault)
        writer.clean_temp()
        written = refresh_pages(
            writer,
            env or make_env(ws.vault),
            load_notes(ws.vault),
            taxonomy,
            rules,
            failed=failed_captures(ws),
        )
        (ws.state_dir / "pages-stale").unlink(missing_ok=True)
        return written


def validate(ws: Workspace) -> list[tuple[str, str]]:
    """(note path, problem) for every note that does not match the schema or the vocabulary."""
    taxonomy, rules = load_vocabulary(ws)
    problems: list[tuple[str, str]] = []
    for r in load_notes(ws.vault):
        if r.problem:
            problems.append((r.path, r.problem))
            continue
        try:
            props = NoteProperties.model_validate(r.props)
        except ValidationError as exc:
            for err in exc.errors():
                problems.append((r.path, f"{'.'.join(map(str, err['loc']))}: {err['msg']}"))
            continue
        problems += [(r.path, p) for p in check_vocabulary(props, taxonomy.ids(), rules.tiers)]
    return problems
