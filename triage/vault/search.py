"""Full-text search over the vault (SQLite FTS5, standard library).

The index lives in `<vault>/.triage/search.sqlite` and is brought up to date before every search:
only notes whose size or modification time changed are read again, so the first search after a
big import takes a moment and the next ones are instant. The notes stay the source of truth:
deleting the index only costs one rebuild.

Ranking is FTS5's bm25 with the title weighted 10, the synopsis 5, key insights 4, entities 3 and
the body 1. Every word of the query must occur (prefix matching with a trailing `*`).
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .catalog import Record, capture_text, link_target, parse_frontmatter

VERSION = "3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS notes (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, title TEXT,
    captured_date TEXT, topics TEXT, signal_tier TEXT, teleology TEXT, status TEXT, doc INTEGER);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(path UNINDEXED, title, synopsis, insights, entities, body,
    tokenize = 'porter unicode61');
"""


@dataclass
class Hit:
    path: str
    title: str
    captured_date: str
    snippet: str
    score: float


def _connect(vault: Path) -> sqlite3.Connection:
    (vault / ".triage").mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(vault / ".triage" / "search.sqlite", timeout=10)
    db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
    row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    if row is None or row[0] != VERSION:  # another version's tables: start again
        with db:
            db.execute("DROP TABLE IF EXISTS notes")
            db.execute("DROP TABLE IF EXISTS fts")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (VERSION,))
    db.executescript(SCHEMA)
    return db


def _stamp(st: os.stat_result) -> tuple[int, int]:
    return st.st_size, st.st_mtime_ns


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return "" if value is None else str(value)


def sync(vault: Path, records: list[Record]) -> sqlite3.Connection:
    """Bring the index up to date with the notes; returns the open connection."""
    db = _connect(vault)
    known, docs = {}, {}  # path -> (size, mtime_ns); path -> the note's rowid in fts
    for path, size, mtime_ns, doc in db.execute("SELECT path, size, mtime_ns, doc FROM notes"):
        known[path], docs[path] = (size, mtime_ns), doc
    present = set()
    root = str(vault)
    with db:
        for r in records:
            present.add(r.path)
            try:
                # The catalog has just stat'ed every note: no second stat (10,000 stats cost 0.1 s).
                stamp = (r.size, r.mtime_ns) if r.size >= 0 else _stamp(os.stat(f"{root}/{r.path}"))
                if known.get(r.path) == stamp:
                    continue
                path = vault / r.path
                text = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
                stamp = _stamp(path.stat())
            except OSError:
                continue
            props, _ = parse_frontmatter(text.lstrip("\ufeff"))
            body = capture_text(text, with_my_notes=True)  # the capture and yours, not the generated links
            topics = " ".join(str(t) for t in props.get("topics") or [] if isinstance(t, str))
            if docs.get(r.path) is not None:  # by rowid: a DELETE by path would scan the whole index
                db.execute("DELETE FROM fts WHERE rowid = ?", (docs[r.path],))
            cursor = db.execute(
                "INSERT INTO fts VALUES (?, ?, ?, ?, ?, ?)",
                (
                    r.path,
                    r.title,
                    _text(props.get("synopsis")),
                    _text(props.get("key_insights")),
                    " ".join(link_target(e) for e in props.get("entities") or []),
                    body,
                ),
            )
            db.execute(
                "INSERT OR REPLACE INTO notes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    r.path,
                    *stamp,
                    r.title,
                    r.date.isoformat() if r.date else "",
                    f" {topics} ",
                    _text(props.get("signal_tier")),
                    _text(props.get("teleology")),
                    _text(props.get("status")),
                    cursor.lastrowid,
                ),
            )
        for gone in set(known) - present:
            db.execute("DELETE FROM fts WHERE rowid = ?", (docs.get(gone),))
            db.execute("DELETE FROM notes WHERE path = ?", (gone,))
    return db


def fts_query(query: str) -> str:
    """The user's words as an FTS5 query: every word required, quoted so no word is syntax;
    a trailing * keeps its meaning (prefix search)."""
    terms = []
    for word in re.findall(r"[\w'’-]+\*?", query):
        prefix = word.endswith("*")
        word = word.rstrip("*").replace('"', "")
        if word:
            terms.append(f'"{word}"' + ("*" if prefix else ""))
    return " ".join(terms)


def search(
    vault: Path,
    records: list[Record],
    query: str,
    topic: str | None = None,
    tier: str | None = None,
    teleology: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 20,
) -> list[Hit]:
    match = fts_query(query)
    if not match:
        return []
    db = sync(vault, records)
    sql = (
        "SELECT fts.path, notes.title, notes.captured_date, "
        "snippet(fts, -1, '**', '**', '…', 16), bm25(fts, 0.0, 10.0, 5.0, 4.0, 3.0, 1.0) AS score "
        "FROM fts JOIN notes ON notes.path = fts.path WHERE fts MATCH ?"
    )
    args: list[Any] = [match]
    for column, value in (("signal_tier", tier), ("teleology", teleology)):
        if value:
            sql += f" AND notes.{column} = ?"
            args.append(value)
    if topic:
        sql += " AND notes.topics LIKE ?"
        args.append(f"% {topic} %")
    if since:
        sql += " AND notes.captured_date >= ?"
        args.append(since)
    if until:
        sql += " AND notes.captured_date <= ?"
        args.append(until)
    sql += " ORDER BY score, fts.path LIMIT ?"
    args.append(limit)
    try:
        rows = db.execute(sql, args).fetchall()
    finally:
        db.close()
    return [
        Hit(path, title, date, re.sub(r"\s+", " ", snip).strip(), round(score, 3))
        for path, title, date, snip, score in rows
    ]


def as_dicts(hits: list[Hit]) -> list[dict[str, Any]]:
    return [asdict(h) for h in hits]
