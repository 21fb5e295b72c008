"""Running triage day to day: schedule, watch, export."""

from __future__ import annotations

import time
from pathlib import Path

import click

from .base import _workspace, archive_opt, ensure_vault, guarded, inbox_opt, vault_opt


@click.command()
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
    from ..daily import schedule_text

    click.echo(schedule_text(_workspace(ctx), minutes), nl=False)


@click.group()
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
    from ..daily import export_notebooklm
    from ..vault.catalog import load_notes

    ws = _workspace(ctx.find_root(), vault=vault)
    s = ws.settings
    manifest = export_notebooklm(
        ws.vault, load_notes(ws.vault), out, category, s.notebooklm_max_sources, s.notebooklm_max_words
    )
    for nb in manifest["notebooks"]:
        words = sum(src["words"] for src in nb["sources"])
        click.echo(f"{nb['notebook']}: {len(nb['sources'])} sources, {words:,} words")
    click.echo(f"manifest: {out / 'manifest.json'}")


@click.command()
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

    from ..daily import watch as do_watch
    from ..pipeline import run as run_pipeline

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
