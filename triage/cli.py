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
import sys
from pathlib import Path

import click

from . import __version__
from .commands import daily, find, topics
from .commands.base import (  # noqa: F401  (re-exported: tests and scripts use triage.cli.X)
    CONFIG_TEMPLATE,
    EXIT_BUG,
    EXIT_FAILED,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_USAGE,
    TYPES_JSON,
    Progress,
    _setup_logging,
    _workspace,
    archive_opt,
    ensure_vault,
    guarded,
    inbox_opt,
    time,
    vault_opt,
)
from .config import CONFIG_NAME, load_workspace


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


for command in (find.search, find.related_cmd, daily.schedule, daily.export, daily.watch, topics.topics):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="triage")
