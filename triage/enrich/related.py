"""Related notes and same-story flags: which notes a note belongs with, and why.

The similarity of two notes is a weighted sum of four features, each between 0 and 1:

- text      cosine of TF-IDF vectors (tf = 1 + log count, idf = ln((N + 1) / (df + 1)) + 1 over the
            vault's notes) of the title (twice), synopsis, key insights, entity names and the capture's
            first `MAX_CHARS` characters; words are the search index's terms (porter stems), and the
            document frequencies come from the index (`vault/terms.py`), so the cost follows the notes
            compared, not the vault;
- latent    the same vectors compared in a small semantic space learned from the vault (`latent.py`,
            LSA cached in `.triage/`): stories on one subject that share few exact words still meet;
            rescaled so that a typical pair of the vault's notes scores 0. A vault under
            `latent.MIN_NOTES` notes has no space: `LEXICAL_WEIGHTS` (the previous, text-and-entities
            similarity) apply there;
- entities  cosine of the two notes' entity sets, each entity weighted by its rarity in the vault
            (idf from the catalog): sharing "Nathan Lambert" says more than sharing "United States";
- topics    shared topics / sqrt(topics of one * topics of the other).

`WEIGHTS`, `LEXICAL_WEIGHTS`, `FLOOR`, `LEXICAL_FLOOR` and `RELATIVE` were chosen by measurement
(`benchmarks/quality.py --tasks related`, see docs/quality.md): on news, text and latent similarity half
and half beat either alone; entities and topics (from a taxonomy that does not fit the news) only added
wrong links, so their weight is 0 (entities keep 0.2 in a small vault's lexical score, as measured
before the space); shared entities and topics are still named in the reasons, and rare shared entities
still bring candidates. `LEXICAL_FLOOR` 0.08 (0.1 before) was set on bbc-dev vaults of 100 notes
(`benchmarks/connections_quality.py`): a first backlog linked 58% of its notes at 0.1, 0.08 links
over 70% still above TF-IDF cosine's precision at the same coverage. A note links at most `related_max`
notes whose similarity is the floor (`FLOOR`
with a semantic space, `LEXICAL_FLOOR` without) or more and at least `RELATIVE` (`LEXICAL_RELATIVE`)
times the best one's, most related first; a capture unlike anything in the vault links nothing.

Two notes are probably the same story (`same_story_reason`) when their URLs are equal once normalised
(`normalize_url`), or their text similarity is at least `SAME_TEXT`, or they share at least two people
and their text similarity is at least `SAME_PEOPLE_TEXT`. A same-story note is always linked, first.

Candidates (never the whole vault): the `CANDIDATES` notes the search index ranks best for the note's
most distinctive words (in at most `COMMON` of the notes, or at most `FEW` notes in a small vault), the
notes sharing its rarest entities, the notes with its URL, and the notes
written earlier in the same run (not in the index yet). Scoring them in the semantic space costs one
small product each; only fitting the space again (when the vault has grown by a quarter) reads notes
beyond the candidates (`latent.SAMPLE` at most).
"""

from __future__ import annotations

import functools
import logging
import math
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..note import Note, Related
from ..sources.identity import normalize_url, url_key
from ..vault.catalog import Record, capture_text, link_target
from ..vault.terms import WORD, Stemmer, candidates, doc_count, doc_freqs
from . import latent

log = logging.getLogger("triage")

WEIGHTS = {"text": 0.5, "latent": 0.5, "entities": 0.0, "topics": 0.0}
LEXICAL_WEIGHTS = {"text": 0.8, "latent": 0.0, "entities": 0.2, "topics": 0.0}  # without a semantic space
FLOOR = 0.37  # with a semantic space (`latent.py`)
LEXICAL_FLOOR = 0.08  # without one (a vault under latent.MIN_NOTES notes): the score is the text cosine
RELATIVE = 0.9  # a link below the first must score at least this share of the first's score
LEXICAL_RELATIVE = 0.85
SAME_TEXT = 0.8
SAME_PEOPLE_TEXT = 0.35
MAX_CHARS = 30_000
QUERY_TERMS = 20  # distinctive words in the index query
CANDIDATES = 40  # notes the index query returns
COMMON = 0.2  # a word in more than this share of the notes is not distinctive...
FEW = 5  # ...unless it is in this many notes or fewer (in a vault of 4 notes, a word 2 share counts)
RARE_ENTITY = 100  # entities in more notes than this do not bring candidates (they still score)
ENTITY_CANDIDATES = 20


@functools.cache
def stopwords() -> frozenset[str]:
    """English function words (`triage/defaults/stopwords.txt`), left out of the text similarity."""
    text = resources.files("triage").joinpath("defaults", "stopwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _target(value: object) -> str:
    """link_target for the usual "[[Name]]", without a regex."""
    text = str(value)
    if text.startswith("[[") and text.endswith("]]") and not any(c in text for c in "|#^"):
        return text[2:-2].strip()
    return link_target(text)


@dataclass
class Profile:
    """What similarity compares, for one note."""

    key: str
    """The note's file name without .md: the link target."""
    title: str
    counts: dict[str, int]
    """Index term -> how often it occurs."""
    entities: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    url: str | None = None
    """Normalised (`normalize_url`)."""
    people: frozenset[str] = frozenset()
    words: dict[str, str] = field(default_factory=dict)
    """Index term -> the word it most often stands for (to explain a match)."""


@dataclass
class Link:
    """How one note relates to another."""

    key: str
    title: str
    score: float
    text: float
    entities: float
    topics: float
    shared_entities: list[str]
    shared_topics: list[str]
    shared_words: list[str]
    same_story: str | None = None
    latent: float = 0.0
    """Similarity in the vault's semantic space (`latent.py`); the text cosine without one."""

    def why(self, labels: dict[str, str] | None = None) -> str:
        parts = [f"probably the same story ({self.same_story})"] if self.same_story else []
        if self.shared_entities:
            parts.append("shared entities: " + ", ".join(self.shared_entities[:4]))
        if self.shared_topics:
            names = [(labels or {}).get(t, t) for t in self.shared_topics]
            parts.append(f"shared topic{'s' if len(names) > 1 else ''}: " + ", ".join(names))
        if self.shared_words:
            parts.append("similar text: " + ", ".join(self.shared_words[:5]))
        return " · ".join(parts)


def tfidf(counts: dict[str, int], df: dict[str, int], n: int) -> dict[str, float]:
    """The unit-length TF-IDF vector of term counts."""
    vec = {t: (1.0 + math.log(c)) * (math.log((n + 1) / (df.get(t, 0) + 1)) + 1.0) for t, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[t] for t, v in a.items() if t in b)


def entity_similarity(a: list[str], b: list[str], edf: dict[str, int], n: int) -> tuple[float, list[str]]:
    """(cosine of the rarity-weighted entity sets, the shared entities rarest first)."""
    if not a or not b:
        return 0.0, []

    def weight(e: str) -> float:
        return math.log((n + 1) / (edf.get(e, 0) + 1)) + 1.0

    sa, sb = set(a), set(b)
    shared = sorted(sa & sb, key=lambda e: (-weight(e), e))
    dot = sum(weight(e) ** 2 for e in shared)
    norm = math.sqrt(sum(weight(e) ** 2 for e in sa) * sum(weight(e) ** 2 for e in sb))
    return (dot / norm if norm else 0.0), shared


def topic_similarity(a: list[str], b: list[str]) -> tuple[float, list[str]]:
    shared = [t for t in a if t in set(b)]
    return (len(shared) / math.sqrt(len(a) * len(b)) if shared else 0.0), shared


def same_story_reason(a: Profile, b: Profile, text: float) -> str | None:
    if a.url and a.url == b.url:
        return "same URL"
    if text >= SAME_TEXT:
        return "nearly the same text"
    if len(a.people & b.people) >= 2 and text >= SAME_PEOPLE_TEXT:
        return "same people, similar text"
    return None


def compare(
    a: Profile,
    b: Profile,
    va: dict[str, float],
    vb: dict[str, float],
    edf: dict[str, int],
    n: int,
    near: float | None = None,
) -> Link:
    """How note b relates to note a (va, vb: their TF-IDF vectors; `near`: their latent similarity,
    None without a semantic space: then `LEXICAL_WEIGHTS` apply and the text cosine is reported)."""
    text = cosine(va, vb)
    w = LEXICAL_WEIGHTS if near is None else WEIGHTS
    near = text if near is None else max(near, 0.0)
    ents, shared_e = entity_similarity(a.entities, b.entities, edf, n)
    tops, shared_t = topic_similarity(a.topics, b.topics)
    score = w["text"] * text + w["latent"] * near + w["entities"] * ents + w["topics"] * tops
    overlap = sorted((t for t in va if t in vb), key=lambda t: -va[t] * vb[t])
    words = [a.words.get(t, t) for t in overlap[:5]] if text >= 0.05 else []
    return Link(
        b.key,
        b.title,
        score,
        text,
        ents,
        tops,
        shared_e,
        shared_t,
        words,
        same_story_reason(a, b, text),
        near,
    )


def best(links: Iterable[Link], limit: int, floor: float = FLOOR, relative: float = RELATIVE) -> list[Link]:
    """At most `limit` links, same-story notes first, then by score; only those scoring at least the
    floor and `relative` times the best score (a clear first match does not drag weak ones along)."""
    ranked = sorted(links, key=lambda lk: (lk.same_story is None, -lk.score, lk.key))
    top = max((lk.score for lk in ranked), default=0.0)
    kept = [lk for lk in ranked if lk.same_story or lk.score >= max(floor, relative * top)]
    return kept[:limit]


def text_of(title: str, synopsis: str, insights: list[str], entities: list[str], body: str) -> str:
    return "\n".join([title, title, synopsis, *insights, *entities, body[:MAX_CHARS]])


def capture_part(text: str) -> str:
    """A note file's capture: what follows `## Capture` (the whole body in a note triage did not
    write), without its `Source: <url>` line."""
    return capture_text(text, with_source=False)


class Relater:
    """Finds related notes during one run (or for `triage related`): the catalog's entities and URLs
    in memory, the search index for text, and the notes this run has written so far."""

    def __init__(
        self, vault: Path, records: list[Record], db: sqlite3.Connection, types: dict[str, str] | None = None
    ) -> None:
        self.vault = vault
        self.db = db
        self.types = types or {}
        self.records = {r.path: r for r in records if r.problem is None}
        self.stemmer = Stemmer(db)
        self.places: dict[str, Any] = {}  # profile key -> its unit vector in the semantic space
        self.n_index = doc_count(db)
        self.df: dict[str, int] = {}
        self.edf: Counter[str] = Counter()
        self.by_entity: dict[str, list[str]] = defaultdict(list)
        self.by_url: dict[str, list[str]] = defaultdict(list)
        # Plain string work only: this loop runs over every note of the vault on every run.
        for path, r in self.records.items():
            entities = r.props.get("entities")
            url = r.props.get("url")
            self._remember(
                path, [_target(e) for e in entities] if isinstance(entities, list) else [], url_key(url)
            )
        self.profiles: dict[str, Profile] = {}
        self.batch: list[str] = []  # keys of the notes written in this run, in order
        self.batch_terms: dict[str, list[str]] = {}  # term -> this run's notes that have it
        self.space = latent.current(vault / ".triage", list(self.records), self._counts)

    def _counts(self, path: str) -> dict[str, int] | None:
        prof = self.record_profile(path)
        return prof.counts if prof else None

    def near(self, a: Profile, b: Profile) -> float | None:
        """The latent similarity of two notes (None without a semantic space)."""
        if self.space is None:
            return None
        za, zb = (self._place(p) for p in (a, b))
        return self.space.similarity(za, zb) if za is not None and zb is not None else 0.0

    def _place(self, p: Profile) -> Any:
        if p.key not in self.places:
            assert self.space is not None
            self.places[p.key] = self.space.vector(p.counts)
        return self.places[p.key]

    def _remember(self, path: str, entities: list[str], url: str | None) -> None:
        for e in set(entities):
            self.edf[e] += 1
            self.by_entity[e].append(path)
        if url:
            self.by_url[url].append(path)

    def stem_of(self, key: str) -> str:
        return next((p for p in self.records if self.records[p].stem == key), "")

    def profile(
        self, key: str, title: str, text: str, entities: list[str], topics: list[str], url: object
    ) -> Profile:
        stop = stopwords()
        words = Counter(
            w for w in WORD.findall(text.lower()) if len(w) > 1 and not w.isdigit() and w not in stop
        )
        counts: Counter[str] = Counter()
        surface: dict[str, tuple[int, str]] = {}
        for word, terms in self.stemmer.terms(words).items():
            for t in terms:
                counts[t] += words[word]
                if words[word] > surface.get(t, (0, ""))[0]:
                    surface[t] = (words[word], word)
        people = frozenset(e for e in entities if self.types.get(e) == "person")
        return Profile(
            key,
            title,
            dict(counts),
            entities,
            topics,
            normalize_url(url),
            people,
            {t: w for t, (_, w) in surface.items()},
        )

    def note_profile(self, note: Note) -> Profile:
        assert note.note_path is not None
        for e in note.entities:
            self.types.setdefault(e.name, e.type)
        names = [e.name for e in note.entities]
        text = text_of(note.title, note.synopsis, note.key_insights, names, note.words_text())
        return self.profile(note.note_path.stem, note.title, text, names, list(note.topics), note.url)

    def record_profile(self, path: str) -> Profile | None:
        if path in self.profiles:
            return self.profiles[path]
        r = self.records.get(path)
        if r is None:
            return None
        try:
            raw = (self.vault / path).read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
        except OSError:
            return None
        text = text_of(
            r.title, str(r.get("synopsis") or ""), r.strings("key_insights"), r.entities, capture_part(raw)
        )
        prof = self.profile(r.stem, r.title, text, r.entities, r.strings("topics"), r.get("url"))
        self.profiles[path] = prof
        return prof

    def _freqs(self, terms: Iterable[str]) -> dict[str, int]:
        missing = [t for t in terms if t not in self.df]
        if missing:
            self.df.update(doc_freqs(self.db, missing))
        return self.df

    def _candidates(self, q: Profile, vq: dict[str, float], df: dict[str, int], n: int) -> list[str]:
        most = max(COMMON * n, FEW) + 1
        distinctive = [t for t in sorted(vq, key=lambda t: -vq[t]) if 0 < df.get(t, 0) <= most]
        words = [q.words.get(t, t) for t in distinctive[:QUERY_TERMS]]
        paths = candidates(self.db, words, CANDIDATES)
        sharing = {
            p for e in set(q.entities) if self.edf[e] <= RARE_ENTITY for p in self.by_entity.get(e, [])
        }
        n_notes = len(self.records)
        by_entities = sorted(
            sharing,
            key=lambda p: (-entity_similarity(q.entities, self.records[p].entities, self.edf, n_notes)[0], p),
        )
        paths += by_entities[:ENTITY_CANDIDATES]
        paths += self.by_url.get(url_key(q.url) or "", [])
        return list(dict.fromkeys(paths))

    @property
    def floor(self) -> float:
        return FLOOR if self.space is not None else LEXICAL_FLOOR

    def related(
        self, q: Profile, limit: int, floor: float | None = None, exclude: str | None = None
    ) -> list[Link]:
        """The notes most related to q, best first (at most `limit`, only above `floor`, by default
        `self.floor`)."""
        self._freqs(q.counts)
        n = self.n_index + len(self.batch)
        vq = tfidf(q.counts, self.df, n)
        found = [p for p in self._candidates(q, vq, self.df, n) if p != exclude]
        # This run's earlier notes (not in the index yet): those sharing the most of q's distinctive
        # words, found through an in-memory index, so a long backlog does not compare every pair.
        top = sorted(vq, key=lambda t: -vq[t])[:QUERY_TERMS]
        shared = Counter(k for t in top for k in self.batch_terms.get(t, ()))
        found += [k for k, _ in shared.most_common(CANDIDATES) if k not in found and k != exclude]
        profiles = [p for p in (self.record_profile(k) for k in found) if p is not None and p.key != q.key]
        for p in profiles:
            self._freqs(p.counts)
        n_notes = len(self.records)
        links = [
            compare(q, p, vq, tfidf(p.counts, self.df, n), self.edf, n_notes, self.near(q, p))
            for p in profiles
        ]
        relative = RELATIVE if self.space is not None else LEXICAL_RELATIVE
        return best(links, limit, self.floor if floor is None else floor, relative)

    def link(self, note: Note, limit: int, labels: dict[str, str] | None = None) -> None:
        """Fill note.related with the existing notes (and this run's earlier notes) it belongs with."""
        try:
            q = self.note_profile(note)
            links = self.related(q, limit)
        except sqlite3.Error as exc:  # a broken or busy index: the note is written without links
            log.warning("no related notes for %s: search index error (%s)", note.source.name, exc)
            return
        note.related = [
            Related(lk.key, lk.title, round(lk.score, 3), lk.why(labels), lk.same_story is not None)
            for lk in links
        ]
        self.add(note, q)

    def add(self, note: Note, prof: Profile) -> None:
        """A note this run wrote: later notes of the run may link it (the index has not seen it)."""
        assert note.note_path is not None
        path = note.note_path.as_posix()
        self.records[path] = Record(path, note.properties())
        self.profiles[path] = prof
        self.batch.append(path)
        for t in prof.counts:
            self.df[t] = self.df.get(t, 0) + 1  # after _freqs: prof's terms are in self.df
            self.batch_terms.setdefault(t, []).append(path)
        self._remember(path, prof.entities, url_key(prof.url))
