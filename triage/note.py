"""The `Note` that flows through the pipeline, and `NoteProperties`, the schema of a vault note.

Stages, in order, and what each fills (see `pipeline.py`):

1. sources   `source`, `raw_sha256`, `text`, `given`, `body`, `content`, `mtime`, `inbox_folder`,
             `source_tool`, `tool_meta`, `highlights`, `read_reasons` (a source reader per capture
             tool or file type: `triage/sources/`)
2. normalize + infer `title`, `url`, `author`, `creator`, `captured_date`, `published_date`,
             `platform`, `format`, `original_filename`, `status`, `id` (when given), `extra`
3. nlp       `clean_text`, `words`, `lemmas`, `evidence`, `entities`, `key_insights`, `synopsis`
4. classify  `topics`, `teleology`, `signal_tier`, `notebooklm_category`, `reasons`
5. plan      `id` (when new), `note_path`, `tags`, `aliases`, `triaged_at`
   related   `related` (enrich/related.py, once the note has its name)
6. render / vault writer: nothing on the note; they turn it into files.

Values the capture's own frontmatter gives win over what its capture tool states (`tool_meta`),
which wins over inference (stage 2 records the given ones in `given`; later stages leave a given
field alone). Every property in `PROPERTY_ORDER` is written on every note, empty when unknown.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

STATUSES = ("inbox", "triaged", "reviewed", "archived")
STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}
TELEOLOGIES = ("synthesize", "implement", "reference", "monitor", "explore")
FORMATS = (
    "article",
    "thread",
    "post",
    "video",
    "podcast",
    "paper",
    "transcript",
    "newsletter",
    "book",
    "note",
)
SOURCE_TOOLS = (
    "webclipper",
    "readwise",
    "kindle",
    "omnivore",
    "markdownload",
    "hypothesis",
    "raindrop",
    "matter",
    "snipd",
    "zotero",
)
"""`source_tool` values: the capture tools triage recognises (absent for hand-written captures and
for saved web pages, PDFs and subtitle files, which no capture tool wrote)."""
ENTITY_TYPES = ("person", "organization", "product", "place", "work", "event")

ID_RE = re.compile(r"^SOURCE-(\d{8})-(\d{3,})$")
TAG_RE = re.compile(r"^(?=.*[a-z_])[a-z0-9_/-]+$")
WIKILINK_RE = re.compile(r"^\[\[[^\[\]|#^]+\]\]$")
MARKDOWN_RE = re.compile(r"(\*\*|__|\[\[|\]\]|\]\(|^#{1,6}\s|`)", re.M)

# Frontmatter keys in the order triage writes them (the triaged seed's order, then ours).
PROPERTY_ORDER = (
    "id",
    "url",
    "author",
    "published_date",
    "captured_date",
    "original_filename",
    "status",
    "platform",
    "format",
    "source_tool",
    "creator",
    "signal_tier",
    "topics",
    "teleology",
    "notebooklm_category",
    "aliases",
    "synopsis",
    "key_insights",
    "entities",
    "related",
    "same_story",
    "tags",
    "sha256",
    "triaged_at",
    "triage_reasons",
)


@dataclass
class Entity:
    """A canonical named entity. Filled by the nlp stage."""

    name: str
    """Canonical display name; also the entity page's file name."""
    type: str
    """One of ENTITY_TYPES."""
    aliases: list[str] = field(default_factory=list)
    """Other surface forms seen for it (case and spelling variants, short names, @handles)."""
    salience: float = 0.0
    """Ranking score within one note: mentions, weighted toward early and emphasised mentions."""


@dataclass
class Highlight:
    """A passage the reader marked in a capture tool (or with `==...==` in a Web Clipper clip):
    the reader's own choice of what matters. Filled by the source reader, chrome removed."""

    text: str
    """The passage, as plain text (no backlinks, block ids, `==` marks or HTML entities)."""
    note: str = ""
    """The reader's own note on it."""
    tags: list[str] = field(default_factory=list)
    """The reader's tags on it (no #)."""
    location: str = ""
    """Where it is in the source, as the tool says it ('page 27', 'location 410-412', '12:31')."""


@dataclass
class Related:
    """Another note this one belongs with. Filled by enrich/related.py."""

    name: str
    """The other note's file name without .md (the link target)."""
    title: str
    score: float
    """Similarity, 0 to 1 (see enrich/related.py)."""
    why: str
    """One line: shared entities, shared topics, similar words."""
    same_story: bool = False
    """Probably the same story (same URL, nearly the same text, or same people and subject)."""


@dataclass
class Note:
    """One capture on its way to becoming a vault note."""

    # -- reader ------------------------------------------------------------------------------
    source: Path
    """reader: the capture's path (absolute)."""
    raw_sha256: str = ""
    """reader: sha256 of the capture's bytes, exactly as found."""
    text: str = ""
    """reader: the decoded text, BOM removed, line endings normalised to \\n."""
    given: dict[str, Any] = field(default_factory=dict)
    """reader: the capture's own frontmatter, as parsed (empty when it has none)."""
    body: str = ""
    """reader: the text after the frontmatter."""
    mtime: float = 0.0
    """reader: the capture's modification time (the captured_date of last resort)."""
    inbox_folder: str = ""
    """reader: the capture's subfolder inside the inbox ('' at the top); a topic hint."""
    content: str = ""
    """sources: the markdown the NLP stage reads: the body without the capture tool's chrome
    (backlinks, metadata lists, AI summaries...). Empty means: read `body`."""
    source_tool: str | None = None
    """sources: the capture tool that wrote the file (one of SOURCE_TOOLS), None for hand-written."""
    tool_meta: dict[str, Any] = field(default_factory=dict)
    """sources: the metadata the capture tool states, under schema names (title, url, author,
    published_date...), normalised leniently in stage 2: a value that cannot be read is dropped
    with a reason, never a quarantine."""
    highlights: list[Highlight] = field(default_factory=list)
    """sources: the passages the reader highlighted, in the tool's order."""
    read_reasons: list[str] = field(default_factory=list)
    """sources + infer: what could not be read and was skipped (written into triage_reasons)."""

    # -- infer -------------------------------------------------------------------------------
    title: str = ""
    """infer: frontmatter title, else the first heading, else the first line."""
    id: str | None = None
    """infer (given) or plan (new): SOURCE-YYYYMMDD-NNN, assigned once and never changed."""
    url: str | None = None
    author: str | None = None
    creator: str | None = None
    """infer: the handle-like short name of the author (seed: `maithra_raghu`)."""
    captured_date: dt.date | None = None
    published_date: dt.date | None = None
    """infer: when the source was published, only when the capture states it (never a clip date)."""
    original_filename: str = ""
    status: str = "triaged"
    platform: str = "web"
    format: str = "note"
    extra: dict[str, Any] = field(default_factory=dict)
    """infer: frontmatter keys triage does not own, kept as they are."""

    # -- nlp ---------------------------------------------------------------------------------
    clean_text: str = ""
    """nlp: the body with markdown removed, one block per paragraph; what spaCy reads."""
    words: int = 0
    entities: list[Entity] = field(default_factory=list)
    key_insights: list[str] = field(default_factory=list)
    synopsis: str = ""
    evidence: float = 0.0
    """nlp: numbers, entities and quotations per 100 words (used by the signal tier rules)."""
    lemmas: list[str] = field(default_factory=list)
    """nlp: lowercased lemmas of the text, for keyword matching."""

    # -- classify ----------------------------------------------------------------------------
    topics: list[str] = field(default_factory=list)
    teleology: str = "explore"
    signal_tier: str = "low"
    notebooklm_category: str | None = None
    reasons: list[str] = field(default_factory=list)
    """classify: which rule decided topics, teleology and tier (written as triage_reasons)."""
    topic_scores: list[tuple[str, float]] = field(default_factory=list)
    """classify: every topic with a score, best first (kept or not)."""

    # -- plan --------------------------------------------------------------------------------
    note_path: Path | None = None
    """plan: the note's path relative to the vault."""
    tags: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    triaged_at: dt.datetime | None = None

    # -- related -----------------------------------------------------------------------------
    related: list[Related] = field(default_factory=list)
    """related: older notes this one belongs with, most related first."""

    def words_text(self) -> str:
        """What the capture's author wrote, as markdown: `content` when the source reader set it
        (the text without the tool's chrome), else `body`. Inference and NLP read this."""
        return self.content or self.body

    def properties(self) -> dict[str, Any]:
        """The frontmatter to write, in PROPERTY_ORDER, then the capture's other keys as given."""
        values: dict[str, Any] = {
            "id": self.id,
            "url": self.url,
            "author": self.author,
            "published_date": self.published_date,
            "captured_date": self.captured_date,
            "original_filename": self.original_filename,
            "status": self.status,
            "platform": self.platform,
            "format": self.format,
            "source_tool": self.source_tool,
            "creator": self.creator,
            "signal_tier": self.signal_tier,
            "topics": list(self.topics),
            "teleology": self.teleology,
            "notebooklm_category": self.notebooklm_category,
            "aliases": list(self.aliases),
            "synopsis": self.synopsis,
            "key_insights": list(self.key_insights),
            "entities": [f"[[{e.name}]]" for e in self.entities],
            "related": [f"[[{r.name}]]" for r in self.related],
            "same_story": [f"[[{r.name}]]" for r in self.related if r.same_story],
            "tags": list(self.tags),
            "sha256": self.raw_sha256,
            "triaged_at": self.triaged_at,
            "triage_reasons": [*self.read_reasons, *self.reasons],
        }
        out = {k: values[k] for k in PROPERTY_ORDER}  # every key, empty when unknown
        for k, v in self.extra.items():
            if k not in out:
                out[k] = v
        return out


class NoteProperties(BaseModel):
    """The schema of a vault note's frontmatter. `triage validate` checks every note against it;
    the pipeline checks every note it writes. Keys not listed here are allowed and kept."""

    model_config = ConfigDict(extra="allow", use_attribute_docstrings=True)

    id: str
    """SOURCE-YYYYMMDD-NNN: capture date and a per-day sequence; assigned once, stable forever."""
    url: str | None = None
    """Where the capture came from (http or https)."""
    author: str | None = None
    """Who wrote it, as the source names them."""
    published_date: dt.date | None = None
    """When the source was published (ISO date), only when the capture states it."""
    creator: str | None = None
    """The author's handle or short name (no @)."""
    captured_date: dt.date
    """When it was captured (ISO date)."""
    original_filename: str
    """The capture's file name in the inbox (the original is archived under this name)."""
    status: Literal["inbox", "triaged", "reviewed", "archived"]
    """triaged when triage writes it; you move it on. triage never downgrades it."""
    platform: str = Field(pattern=r"^[a-z0-9-]+$")
    """x, youtube, substack, arxiv, github, reddit, hackernews, linkedin, podcast, newsletter, web..."""
    format: Literal[
        "article", "thread", "post", "video", "podcast", "paper", "transcript", "newsletter", "book", "note"
    ]
    source_tool: str | None = None
    """The capture tool that wrote the capture; empty for hand-written captures and plain files."""
    signal_tier: str
    """One of the tiers in rules.yaml (default: paradigm, high, medium, low)."""
    topics: list[str] = Field(default_factory=list, max_length=5)
    """Topic ids from taxonomy.yaml, strongest first (0 to 5)."""
    teleology: Literal["synthesize", "implement", "reference", "monitor", "explore"]
    """What the note is for."""
    notebooklm_category: str | None = None
    aliases: list[str] = Field(default_factory=list)
    """The title (and any other names you give the note)."""
    synopsis: str = Field("", max_length=300)
    """Whole sentences, at most 300 characters, no markdown."""
    key_insights: list[str] = Field(default_factory=list, max_length=7)
    """Sentences taken verbatim from the capture (markdown removed), most important first."""
    entities: list[str] = Field(default_factory=list)
    """Quoted wikilinks to entity pages, most salient first."""
    related: list[str] = Field(default_factory=list)
    """Quoted wikilinks to older notes this one belongs with, most related first (at most related_max)."""
    same_story: list[str] = Field(default_factory=list)
    """Quoted wikilinks to older notes that are probably the same story (same URL, nearly the same text,
    or the same people and subject): merge or delete one."""
    tags: list[str] = Field(default_factory=list)
    """Obsidian tags: lowercase, no spaces, no #."""
    sha256: str | None = Field(None, pattern=r"^[0-9a-f]{64}$")
    """sha256 of the original capture's bytes (duplicate detection)."""
    triaged_at: dt.datetime | None = None
    """When triage wrote the note (ISO datetime)."""
    triage_reasons: list[str] = Field(default_factory=list)
    """Which rules decided topics, teleology and tier."""

    @model_validator(mode="before")
    @classmethod
    def _empty_is_default(cls, data: Any) -> Any:
        """An empty property (`topics:` with nothing after it) means the default: no value."""
        if isinstance(data, dict):
            data = dict(data)
            for key in (
                "topics",
                "aliases",
                "key_insights",
                "entities",
                "related",
                "same_story",
                "tags",
                "triage_reasons",
            ):
                if key in data and data[key] is None:
                    data[key] = []
            if "synopsis" in data and data["synopsis"] is None:
                data["synopsis"] = ""
        return data

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        m = ID_RE.match(v)
        if not m:
            raise ValueError("must look like SOURCE-YYYYMMDD-NNN")
        try:
            dt.datetime.strptime(m.group(1), "%Y%m%d")
        except ValueError:
            raise ValueError(f"{m.group(1)} is not a real date") from None
        return v

    @field_validator("url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^https?://[^\s]+$", v):
            raise ValueError("must be an http(s) URL without spaces")
        return v

    @field_validator("synopsis")
    @classmethod
    def _synopsis(cls, v: str) -> str:
        if MARKDOWN_RE.search(v):
            raise ValueError("must not contain markdown")
        return v

    @field_validator("entities", "related", "same_story")
    @classmethod
    def _entities(cls, v: list[str]) -> list[str]:
        for item in v:
            if not WIKILINK_RE.match(item):
                raise ValueError(f"{item!r} is not a wikilink like [[Name]]")
        return v

    @field_validator("source_tool")
    @classmethod
    def _source_tool(cls, v: str | None) -> str | None:
        if v is not None and v not in SOURCE_TOOLS:
            raise ValueError(f"must be one of {', '.join(SOURCE_TOOLS)} (or empty)")
        return v

    @field_validator("tags")
    @classmethod
    def _tags(cls, v: list[str]) -> list[str]:
        for tag in v:
            if not TAG_RE.match(tag):
                raise ValueError(f"tag {tag!r}: lowercase letters, digits, _ - / only, at least one letter")
        return v


def check_vocabulary(props: NoteProperties, topic_ids: set[str], tiers: list[str]) -> list[str]:
    """Problems the schema alone cannot see: topics and tiers must come from the user's vocabulary."""
    problems = [f"topics: {t!r} is not in taxonomy.yaml" for t in props.topics if t not in topic_ids]
    if props.signal_tier not in tiers:
        problems.append(f"signal_tier: {props.signal_tier!r} is not one of {', '.join(tiers)}")
    return problems
