"""Rendering: notes and index pages from Jinja2 templates in `templates/`.

The `Environment` is built once (`make_env`) and passed in. A vault can override any template by
putting a file of the same name in `<vault>/_triage/templates/`. Rendering never evaluates the
capture's content: `{{ 7*7 }}` in a capture is text, and stays text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from ..note import Note
from .names import safe_page_name
from .yamlio import dump_properties

HL_BEGIN = (
    "<!-- triage:highlights: your highlights; when the same source comes back, triage adds new ones here -->"
)
HL_END = "<!-- triage:highlights:end -->"

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def link_text(text: str) -> str:
    """Text safe as the shown part of [[target|text]]: no brackets or pipes."""
    return re.sub(r"\s+", " ", re.sub(r"[\[\]|#^]", " ", str(text))).strip() or "untitled"


def wikilink(target: str, shown: str | None = None) -> str:
    if shown is None or shown == target:
        return f"[[{target}]]"
    return f"[[{target}|{link_text(shown)}]]"


def neutralize_links(markdown: str) -> str:
    """Captured text keeps its words, but its [[wikilinks]] and ![[embeds]] point at pages this
    vault does not have: escape them so every link in the vault resolves."""
    return markdown.replace("[[", "\\[\\[").replace("]]", "\\]\\]")


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip()


def make_env(vault: Path | None = None) -> Environment:
    loaders = []
    if vault is not None and (vault / "_triage" / "templates").is_dir():
        loaders.append(FileSystemLoader(str(vault / "_triage" / "templates")))
    loaders.append(FileSystemLoader(str(TEMPLATES)))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=False,  # markdown, not HTML
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["wikilink"] = wikilink
    env.filters["link_text"] = link_text
    env.filters["one_line"] = one_line
    env.filters["page"] = safe_page_name
    env.filters["escape_links"] = neutralize_links
    return env


def frontmatter_block(props: dict[str, Any]) -> str:
    return "---\n" + dump_properties(props) + "---\n"


def render_note(env: Environment, note: Note, topic_pages: dict[str, str]) -> str:
    """The note file's full text: frontmatter, generated sections, the capture, then 'My notes'."""
    body = neutralize_links(note.body.rstrip("\n"))
    return env.get_template("note.md.j2").render(
        frontmatter=frontmatter_block(note.properties()),
        note=note,
        title=link_text(note.title),
        body=body,
        topics=[(topic_pages[t], t) for t in note.topics if t in topic_pages],
        highlights=note.highlights,
        hl_begin=HL_BEGIN,
        hl_end=HL_END,
    )
