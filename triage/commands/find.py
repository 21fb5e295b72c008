"""Finding notes: full-text search and related notes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from .base import _workspace, guarded, vault_opt


@click.command()
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
    from ..vault.catalog import load_notes
    from ..vault.search import as_dicts
    from ..vault.search import search as do_search

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


@click.command("related")
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
    from ..config import load_vocabulary
    from ..enrich.related_report import format_report, related_report

    ws = _workspace(ctx, vault=vault)
    taxonomy, _ = load_vocabulary(ws)
    labels = {tid: t.label for tid, t in taxonomy.topics.items()}
    report = related_report(ws.vault, note, limit or ws.settings.related_max or 5, labels)
    click.echo(json.dumps(report, indent=2, ensure_ascii=False) if as_json else format_report(report))
