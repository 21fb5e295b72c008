"""Term statistics from the search index (`search.py`), for note similarity (`enrich/related.py`).

Everything here costs in proportion to the text asked about, not to the vault:

- `Stemmer` turns words into the index's own terms (FTS5's `porter unicode61` tokenizer, run by
  SQLite on a temporary in-memory table), so counts from the text and from the index agree;
- `doc_freqs` reads how many notes hold each term from the index's vocabulary (`fts5vocab`), one
  B-tree lookup per term;
- `candidates` asks the index for the notes that best match a handful of distinctive words (an OR
  query ranked by bm25).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

WORD = re.compile(r"[^\W_]+")
CHUNK = 500  # terms per SQL statement (well under SQLite's variable limit)


class Stemmer:
    """Words -> index terms, with a cache: a batch of notes shares most of its words."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.cache: dict[str, tuple[str, ...]] = {}
        db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.stem_words USING fts5(w, tokenize='porter unicode61')"
        )
        db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.stem_terms USING fts5vocab(temp, stem_words, instance)"
        )

    def terms(self, words: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """{word: its index terms} (usually one term; none for a word the tokenizer drops)."""
        words = list(dict.fromkeys(words))
        new = [w for w in words if w not in self.cache]
        if new:
            with self.db:
                self.db.execute("DELETE FROM temp.stem_words")
                self.db.executemany("INSERT INTO temp.stem_words(rowid, w) VALUES (?, ?)", enumerate(new))
            found: dict[int, list[str]] = {}
            for term, doc in self.db.execute("SELECT term, doc FROM temp.stem_terms ORDER BY doc, offset"):
                found.setdefault(doc, []).append(term)
            for i, w in enumerate(new):
                self.cache[w] = tuple(found.get(i, ()))
        return {w: self.cache[w] for w in words}


def doc_freqs(db: sqlite3.Connection, terms: Iterable[str]) -> dict[str, int]:
    """{term: number of indexed notes holding it}, for the terms asked about (0 when none does)."""
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_terms USING fts5vocab(main, fts, row)")
    wanted = list(dict.fromkeys(terms))
    out = dict.fromkeys(wanted, 0)
    for i in range(0, len(wanted), CHUNK):
        part = wanted[i : i + CHUNK]
        sql = f"SELECT term, doc FROM temp.fts_terms WHERE term IN ({','.join('?' * len(part))})"
        out.update(db.execute(sql, part))
    return out


def doc_count(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT count(*) FROM notes").fetchone()[0])


def candidates(db: sqlite3.Connection, words: list[str], limit: int) -> list[str]:
    """Paths of the notes best matching any of `words` (bm25, title and synopsis weighted up)."""
    words = [w.replace('"', "") for w in words if w.replace('"', "")]
    if not words:
        return []
    query = " OR ".join(f'"{w}"' for w in words)
    sql = "SELECT path FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 0.0, 3.0, 2.0, 2.0, 2.0, 1.0) LIMIT ?"
    return [row[0] for row in db.execute(sql, (query, limit))]
