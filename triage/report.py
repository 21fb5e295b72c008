"""What a run did: the report `triage run` prints and `--json` gives."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass

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
