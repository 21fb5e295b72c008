"""The workspace lock: one run (or `topics accept`) at a time changes a workspace.

An OS file lock in `.triage/run.lock` (a killed run's lock goes with its process). `pipeline.run`,
`pipeline.reindex` and `suggestions.accept` hold it; it lives here, below all of them, so that none
imports another for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from filelock import FileLock, Timeout

from .config import Workspace
from .errors import LockedError


@contextmanager
def locked(ws: Workspace) -> Iterator[None]:
    """Hold the workspace lock, or raise LockedError at once if another run holds it."""
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
