"""What a run loads once and keeps in `vault/.triage/`: the entity lexicon (Faker's name lists), the
topic model and the teleology model learned from reviewed notes (the topics with their
calibration), the related-notes finder (search index + catalog); and, from the catalog alone, the
tier cuts the reviewed notes teach."""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING

from ..config import Rules, Taxonomy, Workspace
from ..vault.catalog import (
    EntityPage,
    Record,
    capture_text,
)
from ..vault.writer import VaultWriter
from .classify import keyword_scorer
from .learn import TopicModel
from .teleology import TeleologyModel
from .tier import learned_cuts, reviewed_scores

if TYPE_CHECKING:
    from spacy.language import Language

    from .lexicon import Lexicon
    from .related import Relater

log = logging.getLogger("triage")


def lexicon(ws: Workspace, nlp: Language, dry_run: bool) -> Lexicon:
    """The entity rules' word lists, the Faker name lists cached in `.triage/lexicon.json`."""
    from .lexicon import load_lexicon, name_lists, names_json

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

    from ..vault.search import sync
    from .related import Relater

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


def tier_cuts(records: list[Record], rules: Rules) -> dict[str, tuple[float, int]] | None:
    """The tier cuts the vault's reviewed notes teach (`tier.learned_cuts`), from their properties
    in the catalog (no file is read); None when no reviewed note keeps its substance score."""
    reviewed = reviewed_scores(records)
    if not reviewed:
        return None
    cuts = learned_cuts(reviewed, rules)
    log.info("tier cuts from %d reviewed notes: %s", len(reviewed), cuts)
    return cuts


def _chosen_teleology(reasons: list[str]) -> str | None:
    """What triage chose for a note, from its `triage_reasons` ("teleology: implement p=0.93 ...");
    None when the capture gave it or the note says nothing."""
    for reason in reasons:
        if reason.startswith("teleology: ") and "given in the capture" not in reason:
            return reason[len("teleology: ") :].split(" ", 1)[0]
    return None


def teleology_model(
    ws: Workspace, records: list[Record], rules: Rules, dry_run: bool
) -> TeleologyModel | None:
    """The shipped teleology model refitted on the vault's reviewed notes (`teleology.adapt`), when
    `teleology_learn` is on and at least one reviewed note's teleology differs from what triage chose
    (until the reader corrects one, the shipped model is right by their account); retrained only when
    a reviewed note changed. None: use the shipped model."""
    if not rules.teleology_learn:
        return None
    reviewed = sorted(
        (r for r in records if r.get("status") == "reviewed" and r.get("teleology")), key=lambda r: r.path
    )
    changed = {
        r.path
        for r in reviewed
        if _chosen_teleology(r.strings("triage_reasons")) not in (None, r.get("teleology"))
    }
    if not changed:
        return None
    stamp = hashlib.sha256()
    for r in reviewed:
        stamp.update(f"{r.path}\0{r.mtime}\0{r.get('teleology')}\0".encode())
    fingerprint = stamp.hexdigest()
    cache = ws.state_dir / "teleology-model.json"
    if cache.is_file():
        try:
            cached = TeleologyModel.from_json(cache.read_text(encoding="utf-8"), fingerprint)
        except (OSError, UnicodeDecodeError):
            cached = None
        if cached is not None:
            return cached
    from .evidence import evidence
    from .teleology import adapt, shipped

    examples = []
    for r in reviewed:
        try:
            text = (ws.vault / r.path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        examples.append(
            (
                evidence(capture_text(text, with_source=False)).vector(),
                str(r.get("teleology")),
                r.path in changed,
            )
        )
    model = adapt(shipped(), examples)
    if not dry_run:
        VaultWriter(ws.vault).write(".triage/teleology-model.json", model.to_json(fingerprint))
    log.info("teleology model refitted on %d reviewed notes (%d corrected)", model.notes, model.corrected)
    return model
