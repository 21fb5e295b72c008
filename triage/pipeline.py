"""The run, in the order it happens. Each step is a function of its own module:

    lock the workspace                          lock.locked     (a second run exits at once)
    scan the inbox (probe young files)          sources.inbox.scan_inbox
    read the vault's catalog                    vault.catalog.load_catalog
  phase 1: read and enrich every capture
    read bytes -> Notes (one per capture)       sources.reader.read_file (a reader per tool/type)
    drop duplicates (sha256 already in vault)   here
    metadata: normalise given, infer missing    sources.infer.infer_metadata
    same source again: update, don't create     vault.update.plan_updates
    spaCy over all captures in one stream       enrich.nlp.analyze (lexicon: enrich.state)
    topics, teleology, tier                     enrich.classify, enrich.tier (models: enrich.state)
  phase 2: render and write
    ids, file names, entity names, tags         vault.plan.Planner
    related notes, same story                   enrich.related.Relater (enrich.state.relater)
    a repeated capture ranks lower              enrich.tier.after_linking
    check against the schema                    note.NoteProperties
    write each note, then archive its original  vault.render.render_note, vault.writer, outcome
    add new highlights to existing notes        outcome.apply_update (vault.update.add_highlights)
    quarantine failures with an explanation     outcome._fail
    suggest topics for notes without one        suggestions.current (cached; enrich.discover)
    rebuild index pages that changed            vault.refresh.refresh_pages (vault.pages)

The order makes a crash at any point recoverable: a note is written (atomically) before its
original leaves the inbox, and a capture whose sha256 is already in the vault is archived as a
duplicate on the next run (a file of several captures is read again: those already in the vault
are the same source), so no note is ever written twice and no original is ever lost.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment
from pydantic import ValidationError

from .config import Workspace, load_vocabulary
from .enrich.classify import classify
from .enrich.state import lexicon, relater, teleology_model, tier_cuts, topic_model
from .enrich.tier import after_linking
from .errors import CaptureError
from .lock import locked
from .note import PROPERTY_ORDER, Note, NoteProperties, check_vocabulary
from .outcome import _done_with, _fail, apply_merged, apply_update, archive, ws_tmp
from .report import Report
from .sources.infer import infer_metadata
from .sources.keys import Accepted
from .sources.reader import SUFFIXES, read_file, scan_inbox
from .status import failed_captures, record_run
from .suggestions import current as current_suggestions
from .vault.catalog import (
    Record,
    load_catalog,
    load_entity_pages,
    load_notes,
)
from .vault.pages import (
    affected_pages,
    topic_page,
)
from .vault.plan import Planner, bound_lengths
from .vault.refresh import refresh_pages
from .vault.render import make_env, render_note
from .vault.update import plan_updates
from .vault.writer import VaultWriter, clean_temp

if TYPE_CHECKING:
    from spacy.language import Language


log = logging.getLogger("triage")


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


def _run(
    ws: Workspace,
    dry_run: bool,
    now: dt.datetime,
    nlp: Language | None,
    env: Environment | None,
    progress: Callable[[str, int, int, str], None] | None,
) -> Report:
    report = Report()
    laps: dict[str, float] = {}  # seconds per stage, logged at the end (`triage -vv run`)
    last = [time.perf_counter()]

    def lap(stage: str) -> None:
        now_ = time.perf_counter()
        laps[stage] = laps.get(stage, 0.0) + now_ - last[0]
        last[0] = now_

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
    accepted = Accepted(
        frozenset(taxonomy.ids()), tuple(rules.tiers), frozenset(str(r.get("id")) for r in records)
    )
    max_text = int(ws.settings.max_text_mb * 1_000_000)
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
            found = read_file(data, path, max_bytes, mtime, ws.inbox, max_text)
            sha = found[0].raw_sha256
            # A file of several captures (My Clippings.txt) whose run was interrupted is read again:
            # its captures already in the vault are found as the same source, the others are new.
            if (sha in by_sha and len(found) == 1) or sha in batch_sha:
                duplicates.append((path, sha, by_sha.get(sha) or batch_sha[sha]))
                continue
            for note in found:
                infer_metadata(note, accepted)
                bound_lengths(note)
        except CaptureError as exc:
            _fail(report, ws, path, exc, dry_run)
            continue
        batch_sha[sha] = str(path.name)
        unwritten[path] = len(found)
        notes.extend(found)
    plan = plan_updates(notes, records)  # captures of a source already in the vault update its note
    notes = plan.new
    lap("read")

    entity_pages = load_entity_pages(ws.vault)  # read once; the ruler, planner and page refresh share it
    if notes:
        from .enrich.handles import handle_owners, join_batch, join_handles
        from .enrich.nlp import known_from_pages

        pages = [(p.name, p.type, p.aliases) for p in entity_pages]
        authors = [*(str(r.get("author") or "") for r in records), *(n.author or "" for n in notes)]
        known = join_handles(known_from_pages(pages), handle_owners(pages, authors), pages)
        if nlp is None:
            from .enrich.nlp import load_nlp, ruler_patterns

            nlp = load_nlp(ws.settings.models, ruler_patterns(pages))
        from .enrich.nlp import analyze

        lex = lexicon(ws, nlp, dry_run)
        lap("load model")

        def analysed(done: int, note: Note) -> None:
            if progress:  # name the capture now being analysed: the next one in order
                progress("analysing", done, len(notes), notes[min(done, len(notes) - 1)].source.name)

        analysed(0, notes[0])

        analyze(
            notes,
            nlp,
            ws.settings.key_insights,
            ws.settings.max_entities,
            known,
            ws.settings.workers,
            analysed,
            lex,
        )
        join_batch(notes, known)  # "@kestrel_pod" in one capture, "Kestrel" in another of this run
        lap("nlp")
    kept: list[Note] = []
    model = topic_model(ws, records, taxonomy, rules, dry_run) if notes else None
    cuts = tier_cuts(records, rules) if notes else None
    purposes = teleology_model(ws, records, rules, dry_run) if notes else None
    for note in notes:
        try:
            classify(note, taxonomy, rules, ws.settings.max_topics, model, tier_cuts=cuts, teleology=purposes)
            note.lemmas = []  # scratch of the NLP stage: free it for big backlogs
            kept.append(note)
        except CaptureError as exc:
            _fail(report, ws, note.source, exc, dry_run)
    lap("classify")

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
        lap("plan")
        if linker:
            linker.link(note, ws.settings.related_max, labels)
            after_linking(note, rules)  # the same story again, or what the vault holds: a lower tier
            lap("related")
        rel = note.note_path.as_posix()
        writer.create(rel, render_note(env, note, topic_pages))
        _done_with(report, note, ws, month, unwritten, dry_run)
        lap("write notes")
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
        lap("index pages")
    log.debug("stage seconds: %s", json.dumps({k: round(v, 3) for k, v in laps.items()}))
    return report


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
