"""Crash safety: kill -9 a real `triage run` at many points, then check that the next run completes.

After every kill: no half-written or duplicate note, no lost original. After the rerun: every
capture is in the vault exactly once with its original archived byte for byte, the inbox is empty,
no temporary file is left, and the index pages are up to date.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from triage.pipeline import reindex, validate
from triage.vault.catalog import load_notes

from .conftest import EXAMPLES, OLD, make_workspace
from .golden.test_golden import INBOX as GOLDEN_INBOX

pytestmark = pytest.mark.nlp
SEED = 20261123
TRIALS = 12


def captures() -> dict[str, bytes]:
    files = sorted(EXAMPLES.iterdir()) + sorted(GOLDEN_INBOX.iterdir())
    return {p.name: p.read_bytes() for p in files}


def fill(root: Path) -> tuple[object, dict[str, bytes]]:
    ws = make_workspace(root)
    originals = captures()
    for name, data in originals.items():
        (ws.inbox / name).write_bytes(data)
        os.utime(ws.inbox / name, (OLD, OLD))
    return ws, originals


def triage(ws, **kw) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "triage", "-q", "-w", str(ws.root), "run", "--settle", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        **kw,
    )


def all_bytes(folder: Path) -> list[bytes]:
    return [p.read_bytes() for p in folder.rglob("*") if p.is_file() and ".triage-tmp" not in p.parts]


def temp_files(ws) -> list[Path]:
    found = [p for top in (ws.vault, ws.archive, ws.inbox) for p in top.rglob("*.tmp") if p.is_file()]
    return found + [p for p in (ws.vault / ".triage" / "tmp").glob("*")]


def test_kill_at_random_points_then_rerun(tmp_path):
    # How long an undisturbed run takes here, to spread the kills over it.
    ws, _ = fill(tmp_path / "calibrate")
    start = time.monotonic()
    assert triage(ws).wait(timeout=300) == 0
    duration = time.monotonic() - start
    rng = random.Random(SEED)
    delays = sorted(rng.uniform(0.05, duration * 1.05) for _ in range(TRIALS))
    for trial, delay in enumerate(delays):
        ws, originals = fill(tmp_path / f"trial{trial}")
        proc = triage(ws)
        time.sleep(delay)
        proc.kill()
        proc.wait()
        context = f"trial {trial}, killed after {delay:.2f}s of {duration:.2f}s"

        # The state right after the kill.
        assert validate(ws) == [], context  # no half-written note
        shas = [r.get("sha256") for r in load_notes(ws.vault)]
        assert len(shas) == len(set(shas)), context  # no duplicate note
        present = all_bytes(ws.inbox) + all_bytes(ws.archive)
        for name, data in originals.items():
            assert data in present, f"{context}: {name} lost"

        # The next run completes the work.
        rerun = triage(ws)
        _, err = rerun.communicate(timeout=300)
        assert rerun.returncode == 0, f"{context}: {err.decode()}"
        notes = load_notes(ws.vault)
        assert sorted(r.get("sha256") for r in notes) == sorted(
            hashlib.sha256(d).hexdigest() for d in originals.values()
        ), context
        assert sorted(all_bytes(ws.archive)) == sorted(originals.values()), context
        assert all_bytes(ws.inbox) == [], context
        assert temp_files(ws) == [], context
        assert validate(ws) == [], context
        assert reindex(ws) == 0, f"{context}: index pages were stale"
        shutil.rmtree(ws.root)


def test_second_run_exits_3_while_the_first_holds_the_lock(tmp_path):
    ws, originals = fill(tmp_path / "ws")
    first = triage(ws)
    lock = ws.vault / ".triage" / "run.lock"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # wait until the first run holds the lock
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                f"from filelock import FileLock; FileLock({str(lock)!r}, timeout=0).acquire()",
            ],
            capture_output=True,
        )
        if probe.returncode != 0:
            break
        time.sleep(0.05)
    second = subprocess.run(
        [sys.executable, "-m", "triage", "-w", str(ws.root), "run", "--settle", "0"],
        capture_output=True,
        text=True,
    )
    assert first.wait(timeout=300) == 0
    assert second.returncode == 3
    assert second.stderr.startswith(f"Error: another triage run is using {ws.root}")
    assert len(load_notes(ws.vault)) == len(originals)  # the first run finished the work alone
