"""Topics: suggestions from your notes, and accepting one into the taxonomy."""

from __future__ import annotations

from pathlib import Path

import click

from .base import _workspace, guarded, vault_opt


@click.group()
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
    from ..config import load_vocabulary
    from ..suggestions import as_json as dump
    from ..suggestions import candidates, current
    from ..vault.catalog import load_notes

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
    from ..suggestions import accept

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
