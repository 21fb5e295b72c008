"""The fallback reader: markdown or plain text, with triage's own frontmatter or none.

This is triage's behaviour before capture tools were recognised: the frontmatter is given in our
schema (strictly validated in stage 2), the body is read as it is.
"""

from __future__ import annotations

from .base import Document, Item, SourceReader


def detect(doc: Document) -> bool:
    return True


def read(doc: Document) -> list[Item]:
    return [Item(body=doc.body, given=dict(doc.frontmatter))]


READER = SourceReader("", "markdown", (".md", ".markdown", ".txt"), detect, read)
