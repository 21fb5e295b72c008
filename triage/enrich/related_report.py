"""`triage related NOTE`: a note's related notes computed on demand (enrich/related.py does the work)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import TriageError
from ..vault.catalog import Record
from .related import Relater


def find_note(records: list[Record], ref: str, vault: Path) -> Record:
    """The note a user means by `ref`: a path (absolute, or relative to the vault or to the current
    folder), a file name with or without .md, a [[wikilink]], or a title."""
    name = ref.strip().removeprefix("[[").removesuffix("]]")
    wanted = {str(Path(name).resolve()), str((vault / name).resolve())}
    stem = Path(name).name.removesuffix(".md").casefold()
    for match in (
        lambda r: str((vault / r.path).resolve()) in wanted,
        lambda r: r.stem.casefold() == stem,
        lambda r: name.casefold() in (a.casefold() for a in [r.title, *r.strings("aliases")]),
    ):
        found = [r for r in records if r.problem is None and match(r)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise TriageError(
                f"{len(found)} notes match {ref!r}: " + ", ".join(r.stem for r in found[:5]),
                "give the note's file name or path",
            )
    raise TriageError(f"no note matches {ref!r}", "give a note's path or file name (triage search finds it)")


def related_report(vault: Path, ref: str, limit: int, labels: dict[str, str] | None = None) -> dict[str, Any]:
    """`triage related`: the notes most related to the note `ref` names, computed now over the whole
    vault (older and newer notes alike), as {note, path, related: [...]}."""
    from ..vault.catalog import load_entity_pages, load_notes
    from ..vault.search import sync

    records = load_notes(vault)
    target = find_note(records, ref, vault)
    db = sync(vault, records)
    try:
        relater = Relater(vault, records, db, {p.name: p.type for p in load_entity_pages(vault)})
        query = relater.record_profile(target.path)
        if query is None:
            raise TriageError(f"cannot read {target.path}", "check the file exists and is UTF-8 text")
        links = relater.related(query, limit, exclude=target.path)
    finally:
        db.close()
    return {
        "note": target.stem,
        "path": target.path,
        "floor": relater.floor,
        "related": [
            {
                "note": lk.key,
                "path": relater.stem_of(lk.key),
                "title": lk.title,
                "score": round(lk.score, 3),
                "text": round(lk.text, 3),
                "entities": round(lk.entities, 3),
                "topics": round(lk.topics, 3),
                "latent": round(lk.latent, 3),
                "same_story": lk.same_story,
                "why": lk.why(labels),
            }
            for lk in links
        ],
    }


def format_report(report: dict[str, Any]) -> str:
    lines = [f"Related to {report['note']}:"]
    for r in report["related"]:
        lines.append(f"  {r['score']:.2f}  {r['note']}")
        lines.append(f"        {r['why']}")
    n = len(report["related"])
    lines.append(
        f"{n} related note{'s' if n != 1 else ''}"
        if n
        else f"no related notes (none scores {report['floor']} or more)"
    )
    return "\n".join(lines)
