"""Which files in the inbox are captures, and which are ready (not still being written)."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

FAILED_DIR = "_failed"
# Editors' and browsers' temporary files, OS litter, cloud placeholders.
IGNORED_NAMES = re.compile(
    r"""^(\..*                 # hidden files: .DS_Store, .foo.swp, .~lock, iCloud's .name.icloud
        |~\$.*                 # Office owner files
        |.*\.(part|crdownload|download|tmp|swp|swx|icloud|partial)$
        |.*~$                  # editor backups
        |Thumbs\.db|desktop\.ini)$""",
    re.X | re.I,
)
WAITING = "waiting"
UNSUPPORTED = "unsupported"
PROBE_SECONDS = 1.0
"""How long young files are watched for a change before a run reads them (all at once)."""


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str
    kind: str = WAITING
    """`waiting` (still being written: the next run takes it) or `unsupported` (a file type no
    reader reads: it stays where it is until the reader moves it)."""


def _walk(folder: Path) -> Iterator[Path]:
    """Every regular file below `folder`, sorted, without following symlinks or entering hidden
    folders or the inbox's `_failed/` folder."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.is_symlink():
            continue
        if entry.is_dir(follow_symlinks=False):
            if entry.name.startswith(".") or entry.name == FAILED_DIR:
                continue
            yield from _walk(Path(entry.path))
        elif entry.is_file(follow_symlinks=False):
            yield Path(entry.path)


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None  # vanished between listing and stat: someone else's business
    return st.st_size, st.st_mtime_ns


def scan_inbox(
    inbox: Path,
    settle_seconds: float,
    now: float,
    suffixes: tuple[str, ...],
    probe: float = PROBE_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[list[Path], list[Skipped]]:
    """Split the inbox into captures ready to read and files left alone (with the reason).

    Ignored silently: hidden and temporary files, symlinks, `_failed/`. Reported and left in place:
    files of other types, and files still being written. A file modified less than
    `settle_seconds` ago is young: all young files are probed together (size and modification time
    read again after `probe` seconds, so a run pays the wait once) and read if nothing changed; a
    file that changed waits until it has been unchanged for `settle_seconds`. `probe=0` does not
    wait: young files are reported as waiting (what `triage status` shows).
    """
    ready: list[Path] = []
    skipped: list[Skipped] = []
    young: dict[Path, tuple[int, int]] = {}
    if not inbox.is_dir():
        return ready, skipped
    for path in _walk(inbox):
        if IGNORED_NAMES.match(path.name):
            continue
        if path.suffix.lower() not in suffixes:
            skipped.append(Skipped(path, f"not a capture triage reads ({', '.join(suffixes)})", UNSUPPORTED))
            continue
        sig = _signature(path)
        if sig is None:
            continue
        if now - sig[1] / 1e9 < settle_seconds:
            young[path] = sig
        else:
            ready.append(path)
    if young and probe > 0:
        sleep(probe)
    for path, sig in young.items():
        if probe > 0 and _signature(path) == sig:
            ready.append(path)
        elif probe > 0:
            skipped.append(Skipped(path, "still being written; the next run takes it"))
        else:
            skipped.append(Skipped(path, "just copied in; a run checks it is complete, then reads it"))
    ready.sort()
    return ready, skipped
