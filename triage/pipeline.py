"""The run, in the order it happens. Each step is a function of its own module:

    lock the workspace                          filelock        (a second run exits at once)
    scan the inbox                              reader.scan_inbox
    read the vault's catalog                    catalog.load_notes
  phase 1: read and enrich every capture
    read bytes -> Notes (one per capture)       sources.reader.read_file (a reader per tool/type)
    drop duplicates (sha256 already in vault)   here
    metadata: normalise given, infer missing    infer.infer_metadata
    spaCy over all captures in one stream       nlp.load_nlp, lexicon (here), nlp.analyze
    topics, teleology, tier                     classify.classify
  phase 2: render and write
    ids, file names, entity names, tags         plan (here)
    related notes, same story                   related.Relater (search index + catalog)
    check against the schema                    note.NoteProperties
    write each note, then archive its original  render.render_note, vault.VaultWriter
    quarantine failures with an explanation     vault.move_original, vault.write_error_file
    suggest topics for notes without one        suggestions.current (cached; discover.suggest)
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
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filelock import FileLock, Timeout
from jinja2 import Environment
from pydantic import ValidationError

from .config import Rules, Taxonomy, Workspace, load_vocabulary
from .enrich.classify import classify, keyword_scorer
from .enrich.entities import key as entity_key
from .enrich.learn import TopicModel
from .errors import CaptureError, LockedError, TriageError
from .note import ID_RE, PROPERTY_ORDER, Note, NoteProperties, check_vocabulary
from .sources.infer import infer_metadata
from .sources.reader import SUFFIXES, read_file, scan_inbox
from .status import failed_captures, record_run
from .suggestions import current as current_suggestions
from .vault.catalog import (
    ENTITIES_DIR,
    NOTES_DIR,
    EntityPage,
    Record,
    capture_text,
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
from .vault.update import add_highlights, plan_updates
from .vault.writer import VaultWriter, clean_temp, move_original, unedited, write_error_file

if TYPE_CHECKING:
    from spacy.language import Language

    from .enrich.discover import Suggestion
    from .enrich.lexicon import Lexicon
    from .enrich.related import Relater

log = logging.getLogger("triage")


@dataclass
class Report:
    processed: list[dict[str, str]] = field(default_factory=list)
    updated: list[dict[str, str]] = field(default_factory=list)
    """Captures whose source already had a note: their new highlights were added to it."""
    skipped: list[dict[str, str]] = field(default_factory=list)
    """Each with a `kind`: waiting (the next run takes it), unsupported (a file type triage does
    not read: left where it is) or duplicate (already in the vault: archived)."""
    failed: list[dict[str, str]] = field(default_factory=list)
    pages_written: int = 0

    def skip(self, source: Path, reason: str, kind: str) -> None:
        self.skipped.append({"source": str(source), "reason": reason, "kind": kind})

    def as_json(self) -> dict[str, Any]:
        return {
            "processed": self.processed,
            "updated": self.updated,
            "skipped": self.skipped,
            "failed": self.failed,
        }

    def lines(self, dry_run: bool, detail: bool, inbox: Path) -> list[str]:
        """What `triage run` prints: with `detail`, a line per capture; then the summary, what
        waits and why, and (without `detail`, which already named them) the files not read."""
        verb = "would triage" if dry_run else "triaged"
        out: list[str] = []
        if detail:
            out += [f"{verb} {p['source']} -> {p['note']} ({p['id']})" for p in self.processed]
            out += [f"updated {u['source']} -> {u['note']}: {u['reason']}" for u in self.updated]
            out += [f"skipped {s['source']}: {s['reason']}" for s in self.skipped]
            out += [f"failed  {f['source']}: {f['error']}" for f in self.failed]
        summary = f"{len(self.processed)} {verb}, "
        if self.updated:
            summary += f"{len(self.updated)} {'would be ' if dry_run else ''}updated, "
        summary += f"{len(self.skipped)} skipped, {len(self.failed)} failed"
        if self.pages_written:
            summary += f"; {self.pages_written} index pages updated"
        out.append(summary if not dry_run else summary + " (dry run: nothing written)")
        waiting = Counter(s["reason"] for s in self.skipped if s.get("kind") == "waiting")
        out += [f"{n} waiting: {reason}" for reason, n in sorted(waiting.items())]
        if not detail:
            for s in self.skipped:
                if s.get("kind") == "unsupported":
                    path = Path(s["source"])
                    shown = path.relative_to(inbox) if path.is_relative_to(inbox) else path
                    out.append(f"{shown}: {s['reason']}")
        return out


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
            dest = move_original(path, ws.failed_dir, tmp_dir=ws_tmp(ws))
            write_error_file(
                ws.failed_dir,
                dest.name,
                (
                    "triage could not process this capture.\n\n"
                    f"File:       {path}\nProblem:    {message}\nWhat to do: {exc.hint or 'fix the file'}\n\n"
                    f"When it is fixed, move {dest.name} back into the inbox; the next run picks it up.\n"
                    "Files in _failed/ are never read again on their own.\n"
                ),
                ws_tmp(ws),
            )
            entry["moved_to"] = str(dest)
        except (OSError, TriageError) as err:
            entry["error"] += f" (and it could not be moved to {ws.failed_dir}: {err}; it stays in the inbox)"
    report.failed.append(entry)


def ws_tmp(ws: Workspace) -> Path:
    """Temporary files for moves into the archive and `_failed/`: the workspace's own folder."""
    return ws.root / ".triage" / "tmp"


def archive(report: Report, path: Path, folder: Path, sha: str, tmp_dir: Path | None = None) -> bool:
    """Move an original to the archive; if that fails (it changed meanwhile, a full disk...), say so
    and leave it in the inbox: the next run sees its new bytes as a new capture."""
    try:
        move_original(path, folder, sha, tmp_dir)
        return True
    except (OSError, TriageError) as exc:
        log.warning("could not archive %s: %s", path.name, exc)
        report.skip(path, f"left in the inbox: could not archive it ({exc})", "waiting")
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
        for folder in (month, month.parent, ws.inbox, ws.failed_dir):
            clean_temp(folder)
        clean_temp(ws_tmp(ws))
    ready, waiting = scan_inbox(ws.inbox, ws.settings.settle_seconds, time.time(), SUFFIXES)
    report.skipped += [{"source": str(s.path), "reason": s.reason, "kind": s.kind} for s in waiting]
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
    unwritten: dict[Path, int] = {}  # a file's notes still to write; archived when it reaches 0
    max_bytes = int(ws.settings.max_file_mb * 1_000_000)
    for i, path in enumerate(ready):
        if progress:
            progress("reading", i, len(ready), path.name)
        try:
            data = path.read_bytes()
            mtime = path.stat().st_mtime
        except OSError as exc:
            report.skip(path, f"cannot read it now ({exc.strerror})", "waiting")
            continue
        try:
            found = read_file(data, path, max_bytes, mtime, ws.inbox)
            sha = found[0].raw_sha256
            # A file of several captures (My Clippings.txt) whose run was interrupted is read again:
            # its captures already in the vault are found as the same source, the others are new.
            if (sha in by_sha and len(found) == 1) or sha in batch_sha:
                duplicates.append((path, sha, by_sha.get(sha) or batch_sha[sha]))
                continue
            for note in found:
                infer_metadata(note)
        except CaptureError as exc:
            _fail(report, ws, path, exc, dry_run)
            continue
        batch_sha[sha] = str(path.name)
        unwritten[path] = len(found)
        notes.extend(found)
    plan = plan_updates(notes, records)  # captures of a source already in the vault update its note
    notes = plan.new

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
    model = topic_model(ws, records, taxonomy, rules, dry_run) if notes else None
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
    linker = relater(ws, records, entity_pages) if kept and ws.settings.related_max else None
    labels = {tid: t.label for tid, t in taxonomy.topics.items()}
    entity_info: dict[str, tuple[str, list[str]]] = {}
    if (kept or duplicates or report.failed or plan.updates or plan.merged) and not dry_run:
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
        if linker:
            linker.link(note, ws.settings.related_max, labels)
        rel = note.note_path.as_posix()
        writer.create(rel, render_note(env, note, topic_pages))
        _done_with(report, note, ws, month, unwritten, dry_run)
        records.append(Record(rel, note.properties()))
        for e in note.entities:  # a new page records every variant this run saw
            aliases = entity_info.setdefault(e.name, (e.type, []))[1]
            aliases.extend(a for a in e.aliases if a != e.name and a not in aliases)
        report.processed.append({"source": str(note.source), "note": str(ws.vault / rel), "id": str(note.id)})
        log.info("triaged %s -> %s", note.source.name, rel)
    for note, first in plan.merged:
        apply_merged(report, note, first, ws, month, unwritten, dry_run)
    for note, target in plan.updates:
        apply_update(report, writer, env, note, target, ws, month, unwritten, dry_run)
    if linker:
        linker.db.close()
    for path, sha, twin in duplicates:
        if dry_run or archive(report, path, month, sha, ws_tmp(ws)):
            report.skip(path, f"duplicate of {twin} (same sha256); archived", "duplicate")

    if stale.exists() and not dry_run:
        only: set[str] | None = None
        if not full_refresh:  # the pages the new notes and the user's edits since the last run touch
            only = {"Home.md"}  # Home also lists failed captures
            for props in [*edited, *(n.properties() for n in kept if n.note_path)]:
                only |= affected_pages(props, taxonomy)
        report.pages_written = refresh_pages(
            writer,
            env,
            records,
            taxonomy,
            rules,
            entity_info,
            only,
            failed_captures(ws),
            entity_pages,
            current_suggestions(ws, records, taxonomy),
        )
        stale.unlink()
    return report


def _done_with(
    report: Report, note: Note, ws: Workspace, month: Path, unwritten: dict[Path, int], dry_run: bool
) -> None:
    """One capture of a file is handled: archive the file once all its captures are."""
    unwritten[note.source] -= 1
    if not dry_run and not unwritten[note.source] and note.source.exists():
        archive(report, note.source, month, note.raw_sha256, ws_tmp(ws))


def apply_merged(
    report: Report,
    note: Note,
    first: Note,
    ws: Workspace,
    month: Path,
    unwritten: dict[Path, int],
    dry_run: bool,
) -> None:
    """A second capture of a source new in this run: its highlights joined the first one's note."""
    if first.note_path is None:  # the first one failed: this one waits for the next run
        return
    report.updated.append(
        {
            "source": str(note.source),
            "note": str(ws.vault / first.note_path),
            "reason": f"same source as {first.source.name} in this run: highlights joined its note",
        }
    )
    _done_with(report, note, ws, month, unwritten, dry_run)


def apply_update(
    report: Report,
    writer: VaultWriter,
    env: Environment,
    note: Note,
    target: str,
    ws: Workspace,
    month: Path,
    unwritten: dict[Path, int],
    dry_run: bool,
) -> None:
    """Add a capture's new highlights to the vault note of its source (only inside triage's
    highlights markers), then archive it; nothing new makes it a duplicate."""
    try:
        existing = (ws.vault / target).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report.skip(note.source, f"cannot read {target} to update it ({exc})", "waiting")
        return
    text, added = add_highlights(existing, note.highlights, env)
    if text is not None:
        # A note the reader edited stays "edited" (topics accept leaves it alone) after triage's part.
        writer.write(target, text, remember=unedited(ws.vault, target, existing.encode("utf-8")))
        report.updated.append(
            {"source": str(note.source), "note": str(ws.vault / target), "reason": f"{added} new highlights"}
        )
    elif added < 0:
        report.skip(
            note.source,
            f"same source as {target}, whose highlight markers were removed: nothing written into it "
            "(the capture is archived)",
            "duplicate",
        )
    else:
        report.skip(note.source, f"same source as {target}, no new highlights; archived", "duplicate")
    log.info("update %s -> %s: %s", note.source.name, target, added)
    _done_with(report, note, ws, month, unwritten, dry_run)


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


def relater(ws: Workspace, records: list[Record], entity_pages: list[EntityPage]) -> Relater | None:
    """Related notes for this run's notes: the search index brought up to date (only notes changed
    since it last saw them are read), the catalog's entities and URLs. None if the index cannot be
    opened (the notes are written without related links; the next run tries again)."""
    import sqlite3

    from .enrich.related import Relater
    from .vault.search import sync

    try:
        db = sync(ws.vault, records)
    except (sqlite3.Error, OSError) as exc:
        log.warning("no related notes this run: the search index cannot be opened (%s)", exc)
        return None
    return Relater(ws.vault, records, db, {p.name: p.type for p in entity_pages})


def topic_model(
    ws: Workspace, records: list[Record], taxonomy: Taxonomy, rules: Rules, dry_run: bool
) -> TopicModel | None:
    """The topic model learned from the vault's reviewed notes, with its calibration; retrained only
    when one of them (or the taxonomy, or topic_threshold) changed since the cached model was built.
    None when nothing is reviewed yet."""
    reviewed = sorted(
        (r for r in records if r.get("status") == "reviewed" and r.strings("topics")), key=lambda r: r.path
    )
    if not reviewed:
        return None
    stamp = hashlib.sha256()
    stamp.update(taxonomy.model_dump_json().encode())
    stamp.update(f"{rules.topic_threshold}\0{rules.topic_probability}\0".encode())
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
        examples.append((capture_text(text), r.strings("topics")))
    model = TopicModel.train_calibrated(
        examples, taxonomy, keyword_scorer(taxonomy), rules.topic_threshold, rules.topic_probability
    )
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
    suggestions: list[Suggestion] | None = None,
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

    pages = build_pages(env, records, taxonomy, rules, types, wanted, failed or [], suggestions or [])
    for rel, text in pages.items():
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
        records = load_notes(ws.vault)
        written = refresh_pages(
            writer,
            env or make_env(ws.vault),
            records,
            taxonomy,
            rules,
            failed=failed_captures(ws),
            suggestions=current_suggestions(ws, records, taxonomy),
        )
        (ws.state_dir / "pages-stale").unlink(missing_ok=True)
        return written


def validate(ws: Workspace) -> list[tuple[str, str]]:
    """(note path, problem) for every note that does not match the schema or the vocabulary."""
    return validate_report(ws)[0]


def validate_report(ws: Workspace) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(problems, warnings), each a list of (note path, message). A warning is no error: a note
    written by an older triage that lacks some of today's keys."""
    taxonomy, rules = load_vocabulary(ws)
    problems: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []
    for r in load_notes(ws.vault):
        if r.problem:
            problems.append((r.path, r.problem))
            continue
        missing = [k for k in PROPERTY_ORDER if k not in r.props]
        if missing:
            warnings.append((r.path, f"missing keys: {', '.join(missing)}"))
        try:
            props = NoteProperties.model_validate(r.props)
        except ValidationError as exc:
            for err in exc.errors():
                problems.append((r.path, f"{'.'.join(map(str, err['loc']))}: {err['msg']}"))
            continue
        problems += [(r.path, p) for p in check_vocabulary(props, taxonomy.ids(), rules.tiers)]
    return problems, warnings
