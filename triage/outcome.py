"""Where each capture goes once it is read: archived after its note is written, quarantined in
`inbox/_failed/` with an explanation, or its new highlights added to the note of its source."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment

from .config import Workspace
from .errors import CaptureError, TriageError
from .note import Note
from .report import Report
from .vault.update import add_highlights
from .vault.writer import VaultWriter, move_original, unedited, write_error_file

if TYPE_CHECKING:
    pass

log = logging.getLogger("triage")


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
