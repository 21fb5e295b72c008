"""The fallback reader: markdown or plain text, with triage's own frontmatter or none.

This is triage's behaviour before capture tools were recognised: the frontmatter is given (stage 2
validates it strictly when it is in triage's own schema, and otherwise keeps a key it does not
accept as `capture_<key>`: `keys`), the body is read as it is; its labels (`Source:: ...`,
`- Author: ...`) are read in stage 2 as well (`labels`, for every markdown capture).
"""

from __future__ import annotations

from .base import Document, Item, SourceReader


def detect(doc: Document) -> bool:
    return True


def read(doc: Document) -> list[Item]:
    return [Item(body=doc.body, given=dict(doc.frontmatter))]


READER = SourceReader("", "markdown", (".md", ".markdown", ".txt"), detect, read)
