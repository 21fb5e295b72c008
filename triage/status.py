"""What `triage status` reports, and the record of the last run.

Everything here reads; the one write (the last-run record) goes through `vault.atomic_write`.
The last-run record and the log live in the workspace's own `.triage/` folder, not in the vault, so
a run that finds nothing changes no byte of the vault.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

from .config import Workspace
from .sources.inbox import UNSUPPORTED
from .sources.reader import SUFFIXES, scan_inbox
from .vault.catalog import Record
from .vault.writer import atomic_write


def workspace_state(ws: Workspace) -> Path:
    return ws.root / ".triage"


def failed_captures(ws: Workspace) -> list[dict[str, str]]:
    """Captures waiting in inbox/_failed/, each with the problem its .error.txt names."""
    out: list[dict[str, str]] = []
    folder = ws.failed_dir
    if not folder.is_dir():
        return out
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.endswith(".error.txt") or path.name.startswith("."):
            continue
        reason = "no explanation file"
        error = folder / f"{path.name}.error.txt"
        if error.is_file():
            for line in error.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.startswith("Problem:"):
                    reason = line.split(":", 1)[1].strip()
                    break
        out.append({"file": path.name, "reason": reason})
    return out


def record_run(ws: Workspace, started: float, summary: dict[str, Any]) -> None:
    data = {
        "started": dt.datetime.fromtimestamp(started).isoformat(timespec="seconds"),
        "seconds": round(time.time() - started, 2),
        **summary,
    }
    atomic_write(workspace_state(ws) / "last-run.json", json.dumps(data, indent=2) + "\n")


def last_run(ws: Workspace) -> dict[str, Any] | None:
    try:
        data = json.loads((workspace_state(ws) / "last-run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def status(ws: Workspace, records: list[Record]) -> dict[str, Any]:
    ready, waiting = scan_inbox(ws.inbox, ws.settings.settle_seconds, time.time(), SUFFIXES, probe=0)
    notes = [r for r in records if r.problem is None]
    topics: Counter[str] = Counter(t for r in notes for t in r.strings("topics"))
    return {
        "inbox": {
            "ready": [str(p.relative_to(ws.inbox)) for p in ready],
            "waiting": [
                {"file": str(s.path.relative_to(ws.inbox)), "reason": s.reason}
                for s in waiting
                if s.kind != UNSUPPORTED
            ],
            "not_read": [
                {"file": str(s.path.relative_to(ws.inbox)), "reason": s.reason}
                for s in waiting
                if s.kind == UNSUPPORTED
            ],
        },
        "failed": failed_captures(ws),
        "last_run": last_run(ws),
        "vault": {
            "path": str(ws.vault),
            "notes": len(notes),
            "unreadable": [r.path for r in records if r.problem],
            "status": dict(sorted(Counter(str(r.get("status")) for r in notes).items())),
            "topics": dict(topics.most_common()),
            "tiers": dict(sorted(Counter(str(r.get("signal_tier")) for r in notes).items())),
        },
    }


def format_status(data: dict[str, Any]) -> str:
    lines = []
    inbox = data["inbox"]
    head = f"Inbox: {len(inbox['ready'])} ready, {len(inbox['waiting'])} waiting"
    lines.append(head + (f", {len(inbox['not_read'])} not read" if inbox["not_read"] else ""))
    lines += [f"  waiting {w['file']}: {w['reason']}" for w in inbox["waiting"]]
    lines += [f"  {w['file']}: {w['reason']}" for w in inbox["not_read"]]
    lines.append(f"Failed: {len(data['failed'])} in _failed/")
    lines += [f"  {f['file']}: {f['reason']}" for f in data["failed"]]
    run = data["last_run"]
    if run:
        lines.append(
            f"Last run: {run['started']} ({run['seconds']} s): {run.get('processed', 0)} triaged, "
            f"{run.get('skipped', 0)} skipped, {run.get('failed', 0)} failed"
        )
    else:
        lines.append("Last run: never")
    vault = data["vault"]
    by_status = " · ".join(f"{n} {s}" for s, n in vault["status"].items())
    lines.append(f"Vault: {vault['notes']} notes" + (f" · {by_status}" if by_status else ""))
    if vault["topics"]:
        lines.append("  topics: " + " · ".join(f"{t} {n}" for t, n in vault["topics"].items()))
    if vault["tiers"]:
        lines.append("  tiers: " + " · ".join(f"{t} {n}" for t, n in vault["tiers"].items()))
    if vault["unreadable"]:
        lines.append(f"  {len(vault['unreadable'])} notes cannot be read: run `triage validate`")
    return "\n".join(lines)
