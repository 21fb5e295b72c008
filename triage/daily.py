"""Daily use around the pipeline: the schedule texts, the NotebookLM export and the inbox watcher.

None of these add a stage to the run; they call it (`watch`), describe how to call it (`schedule`),
or read what it produced (`export_notebooklm`). The export writes through `vault.atomic_write`.
"""

from __future__ import annotations

import json
import logging
import re
import shlex
import shutil
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Workspace
from .errors import LockedError, TriageError
from .text import slugify, word_count
from .vault.catalog import Record
from .vault.writer import atomic_write

log = logging.getLogger("triage")

# --- schedule --------------------------------------------------------------------------------------


def triage_command() -> list[str]:
    """The absolute command that runs this triage: its console script if there is one, else python -m."""
    script = Path(sys.argv[0]).resolve() if sys.argv and sys.argv[0] else None
    if script and script.name == "triage" and script.is_file():
        return [str(script)]
    found = shutil.which("triage")
    if found:
        return [str(Path(found).resolve())]
    return [str(Path(sys.executable).resolve()), "-m", "triage"]


def schedule_text(ws: Workspace, minutes: int) -> str:
    cmd = shlex.join([*triage_command(), "-q", "-w", str(ws.root), "run"])
    unit = f"triage-{slugify(ws.root.name, '-', 30) or 'workspace'}"
    log_file = ws.root / ".triage" / "cron.log"
    cron_time = f"*/{minutes} * * * *" if minutes < 60 else f"0 */{max(minutes // 60, 1)} * * *"
    return f"""\
# triage schedule for {ws.root}

## cron
# `crontab -e`, then add this line. It runs every {minutes} minutes; stdout (one summary line a run)
# and stderr (failures) go to {log_file}. The detailed log is {ws.root / ".triage" / "triage.log"}.
{cron_time} {cmd} >> {shlex.quote(str(log_file))} 2>&1

## systemd user timer (Linux)
# Save the two units below, then:
#   systemctl --user daemon-reload && systemctl --user enable --now {unit}.timer
# Check it with `systemctl --user list-timers` and `journalctl --user -u {unit}`.
# Exit code 1 (some captures failed) shows as a failed run on purpose; 3 (another run was busy) does not.

# ~/.config/systemd/user/{unit}.service
[Unit]
Description=triage: sort the inbox of {ws.root}

[Service]
Type=oneshot
ExecStart={cmd}
SuccessExitStatus=3

# ~/.config/systemd/user/{unit}.timer
[Unit]
Description=Run {unit} every {minutes} minutes

[Timer]
OnBootSec=2min
OnUnitActiveSec={minutes}min
Persistent=true

[Install]
WantedBy=timers.target
"""


# --- NotebookLM export -----------------------------------------------------------------------------


@dataclass
class Source:
    file: str
    words: int = 0
    notes: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)


def _note_text(vault: Path, r: Record) -> str:
    text = (vault / r.path).read_text(encoding="utf-8", errors="replace")
    capture = text.split("\n## Capture\n", 1)[-1].split("\n## My notes\n", 1)[0].strip()
    capture = capture.replace("\\[\\[", "[[").replace("\\]\\]", "]]")
    lines = [f"# {r.title}", ""]
    for key in ("url", "author", "captured_date", "topics", "signal_tier", "teleology"):
        value = r.get(key)
        if value:
            lines.append(f"{key}: {', '.join(map(str, value)) if isinstance(value, list) else value}")
    if r.get("synopsis"):
        lines += ["", f"Synopsis: {r.get('synopsis')}"]
    insights = r.strings("key_insights")
    if insights:
        lines += ["", "Key insights:", *[f"- {i}" for i in insights]]
    return "\n".join([*lines, "", capture, ""])


def _split(text: str, max_words: int) -> list[str]:
    """A note longer than one source can hold, cut at paragraph (or word) boundaries."""
    pieces: list[str] = []
    current: list[str] = []
    count = 0
    for para in re.split(r"(\n\s*\n)", text):
        words = para.split()
        while len(words) > max_words:  # one huge paragraph: cut at words
            pieces.append(" ".join(words[:max_words]))
            words = words[max_words:]
            para = " ".join(words)
        if count + len(words) > max_words and current:
            pieces.append("".join(current))
            current, count = [], 0
        current.append(para)
        count += len(words)
    if current:
        pieces.append("".join(current))
    return pieces


def export_notebooklm(
    vault: Path, records: list[Record], out: Path, category: str | None, max_sources: int, max_words: int
) -> dict[str, Any]:
    """Bundle the notes of each notebooklm_category into source files within NotebookLM's limits:
    at most `max_words` words a source, at most `max_sources` sources a notebook (a category that
    needs more becomes `<category>-2`, `-3`...). Writes the files and `manifest.json` into `out`."""
    by_cat: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        if r.problem is None:
            by_cat[str(r.get("notebooklm_category") or "general")].append(r)
    if category is not None:
        if category not in by_cat:
            raise TriageError(
                f"no note has notebooklm_category {category!r}",
                f"known categories: {', '.join(sorted(by_cat)) or '(none)'}",
            )
        by_cat = {category: by_cat[category]}
    notebooks: list[dict[str, Any]] = []
    for cat in sorted(by_cat):
        notes = sorted(by_cat[cat], key=lambda r: (str(r.get("captured_date")), r.path))
        sources: list[Source] = []
        for r in notes:
            for piece in _split(_note_text(vault, r), max_words):
                n = word_count(piece)
                if not sources or sources[-1].words + n > max_words:
                    sources.append(Source(file=""))
                src = sources[-1]
                src.parts.append(piece)
                src.words += n
                if r.path not in src.notes:
                    src.notes.append(r.path)
        for k in range(0, len(sources), max_sources):
            name = cat if k == 0 else f"{cat}-{k // max_sources + 1}"
            entries = []
            for j, src in enumerate(sources[k : k + max_sources], 1):
                src.file = f"{name}/{name}-{j:02d}.md"
                atomic_write(out / src.file, "\n\n---\n\n".join(src.parts))
                entries.append({"file": src.file, "words": src.words, "notes": src.notes})
            notebooks.append({"notebook": name, "category": cat, "sources": entries})
    manifest = {
        "limits": {"max_sources_per_notebook": max_sources, "max_words_per_source": max_words},
        "notebooks": notebooks,
    }
    atomic_write(out / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


# --- watch -----------------------------------------------------------------------------------------


def watch(ws: Workspace, run_once: Callable[[], Any], stop: threading.Event, poll: float = 0.5) -> None:
    """Run `run_once` whenever the inbox has changed and then stayed quiet for settle_seconds.

    Uses watchdog's native observer (inotify, FSEvents...). Events under `_failed/` and hidden
    files are ignored. A run that finds the workspace locked is retried at the next quiet moment.
    """
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    last_event = [time.monotonic()]
    dirty = threading.Event()
    dirty.set()  # whatever is already waiting gets a run first

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            path = Path(str(event.src_path))
            try:
                rel = path.relative_to(ws.inbox)
            except ValueError:
                return
            if any(part.startswith(".") or part == "_failed" for part in rel.parts):
                return
            last_event[0] = time.monotonic()
            dirty.set()

    ws.inbox.mkdir(parents=True, exist_ok=True)
    observer: Any = Observer()
    try:
        observer.schedule(Handler(), str(ws.inbox), recursive=True)
        observer.start()
    except OSError as exc:  # no inotify watches left, a network drive...: poll instead
        from watchdog.observers.polling import PollingObserver

        log.warning("native file watching unavailable (%s); polling the inbox instead", exc)
        observer = PollingObserver(timeout=1)
        observer.schedule(Handler(), str(ws.inbox), recursive=True)
        observer.start()
    try:
        while not stop.is_set():
            quiet = time.monotonic() - last_event[0] >= ws.settings.settle_seconds
            if dirty.is_set() and quiet:
                dirty.clear()
                try:
                    run_once()
                except LockedError:
                    dirty.set()
                except TriageError as exc:
                    log.error("run failed: %s", exc)
            stop.wait(poll)
    finally:
        observer.stop()
        observer.join(timeout=5)
