"""Teleology from evidence of genre (enrich/evidence.py, enrich/teleology.py), format from evidence
(sources/infer.infer_format), and the reader teaching it (enrich/state.teleology_model)."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.config import default_text, load_workspace, parse_rules
from triage.enrich.classify import Matcher, assign_teleology, words_of
from triage.enrich.evidence import FEATURES, evidence, is_transcript, speaker_turns
from triage.enrich.state import teleology_model
from triage.enrich.teleology import LABELS, TeleologyModel, adapt, decide, shipped
from triage.errors import ConfigError
from triage.note import Note
from triage.sources.infer import infer_metadata
from triage.vault.catalog import load_notes
from triage.vault.yamlio import safe_load_mapping

RULES = parse_rules(safe_load_mapping(default_text("rules.yaml")))

TUTORIAL = """# Set up a local mirror

In this guide you set up a mirror of the package index on your own machine.

1. Install the server:

```sh
$ pip install mirror-server
```

2. Create a folder for the packages and open it.
3. Run the first sync; it takes a few minutes:

```sh
$ mirror-server sync --dest ./packages
```

4. Edit `mirror.toml` and set `port = 8080`.
5. Start the server and point your client at it.

Now check that your client downloads from the mirror. If you see errors, restart the server.
"""

REFERENCE = """# mirror-server sync

## Synopsis

`mirror-server sync [OPTIONS] --dest <DIR>`

## Description

The `sync` command is a one-way copy of the index into a folder. It returns 0 on success.

## Options

- `--dest <DIR>`: the folder to write to. Required.
- `--jobs <N>`: how many downloads run at once. Defaults to 4.
- `--since <DATE>`: only packages changed after this date. If omitted, everything is copied.
- `--quiet`: prints nothing but errors.

| option | default |
| --- | --- |
| `--jobs` | 4 |
| `--quiet` | off |

The exit status is 1 if any download fails. See also `mirror-server serve(1)`.
"""

NEWS = """# Harbour authority approves second ferry terminal

PORTSMOUTH, March 3 (Wire) - The harbour authority on Tuesday approved a second ferry terminal, ending a two-year dispute with residents, officials said.

"This was the hardest vote of my time on the board," said Maria Lindqvist, the authority's chair. The terminal will cost 48 million pounds and open in June 2027, according to the plan.

Residents' groups said they would appeal. "We were never asked," said Tom Reyes, who leads one of them. The council reported last week that traffic on the harbour road rose 12 percent in 2025.
"""  # noqa: E501

ESSAY = """# Why small teams ship

I think most organisations misread why small teams ship. They blame process, but the real problem is attention: every person added is another mind that must be kept informed, and informing is work.

Of course, some people argue that large teams simply have more hands. That is true as far as it goes. But hands are not the bottleneck; agreement is. Because every decision needs more of it, a large team should expect to move slowly, and it is a mistake to think that more process will fix that.

Therefore the honest answer is not a better process but fewer people who need to agree. In my view, that is why the best work so often comes from groups of three or four.
"""  # noqa: E501

INTERVIEW = """# Episode 12: building in public

**Ana Costa:** Welcome back to the show. Today I'm talking with Ben Li. Ben, how did you get started?

**Ben Li:** Yeah, so, honestly, it was kind of an accident. I was fixing my own bike shop's website.

**Ana Costa:** And what made you keep going? Did you ever think it would become a company?

**Ben Li:** Oh, no, not at all. I mean, you know, I just wanted it to work. Um, then friends asked.

**Ana Costa:** What would you tell someone starting today? What's the first thing you'd do?

**Ben Li:** Right, I'd say: talk to people first. Okay, and then build the smallest thing.
"""

CASES = {
    "implement": (TUTORIAL, ("numbered steps", "commands", "instructions", "code")),
    "reference": (
        REFERENCE,
        ("options/flags", "reference sections", "term definitions", "table rows", "descriptive"),
    ),
    "monitor": (
        NEWS,
        ("reporting verbs", "attributed quotes", "dateline", "dates", "names", "quotations", "figures"),
    ),
    "synthesize": (
        ESSAY,
        ("stance", "reasoning", "concessions", "conclusions", "long paragraphs", "reasons"),
    ),
    "explore": (INTERVIEW, ("speaker turns", "questions", "fillers", "speakers")),
}


def note_of(text: str, **given) -> Note:
    return infer_metadata(Note(source=Path("capture.md"), body=text, given=dict(given), mtime=1.7e9))


# --- evidence --------------------------------------------------------------------------------------


def test_evidence_counts_the_shape_of_a_tutorial():
    c = evidence(TUTORIAL).counts
    assert c["numbered"] == 5 and c["code_blocks"] == 2 and c["commands"] >= 4
    assert c["instructions"] >= 5  # Install, Create, Run, Edit, Start, check, restart...
    assert c["you"] >= 3


def test_evidence_counts_the_shape_of_a_reference_page():
    c = evidence(REFERENCE).counts
    assert c["ref_headings"] == 3 and c["definitions"] >= 4 and c["tables"] == 3 and c["flags"] >= 5
    assert c["ref_phrases"] >= 3  # returns, defaults, required, see also, if omitted
    assert c["numbered"] == 0 and c["instructions"] == 0


def test_evidence_counts_the_shape_of_a_news_report():
    c = evidence(NEWS).counts
    assert c["dateline"] == 1 and c["reporting"] >= 4 and c["attributed"] >= 2 and c["dates"] >= 2
    assert c["past"] > 0.5


def test_evidence_counts_the_authors_stance():
    c = evidence(ESSAY).counts
    assert c["stance"] >= 2 and c["concession"] >= 1 and c["conclusion"] >= 1
    assert c["first_person"] >= 2 and c["code_blocks"] == 0


def test_evidence_counts_a_conversation():
    c = evidence(INTERVIEW).counts
    assert c["speaker_turns"] == 6 and c["speakers"] == 2
    assert c["questions"] >= 4 and c["you_questions"] >= 3 and c["interjections"] >= 5


def test_rates_not_length_decide():
    once, twice = evidence(TUTORIAL).vector(), evidence(TUTORIAL + "\n\n" + TUTORIAL).vector()
    assert len(once) == len(FEATURES)
    assert max(abs(a - b) for a, b in zip(once, twice, strict=True)) < 0.35


@pytest.mark.parametrize("label", list(CASES))
def test_the_model_reads_each_genre_and_says_why(label):
    text, words = CASES[label]
    n = note_of(text)
    n.reasons = []
    assign_teleology(n, None, RULES)
    assert n.teleology == label, n.reasons
    reason = n.reasons[0]
    assert reason.startswith(f"teleology: {label} p=")
    assert any(w in reason for w in words), reason


def test_topic_words_alone_do_not_decide():
    """The words of a tutorial's subject, written as news, are news."""
    text = NEWS.replace("ferry terminal", "package mirror server install command")
    label, _ = decide(note_of(text), RULES)
    assert label == "monitor"


def test_a_format_is_no_flat_bonus():
    """The same essay read as a `transcript` or a `paper` stays an essay: format is no evidence."""
    for fmt in ("transcript", "paper", "article", "post"):
        n = note_of(ESSAY, format=fmt)
        assert n.format == fmt
        assert decide(n, RULES)[0] == "synthesize"


def test_too_little_text_gets_the_default():
    label, why = decide(note_of("Read later."), RULES)
    assert label == RULES.teleology_default and "too little text" in why


def test_given_teleology_wins():
    n = note_of(TUTORIAL, teleology="reference")
    n.reasons = []
    assign_teleology(n, None, RULES)
    assert n.teleology == "reference" and n.reasons == ["teleology: given in the capture"]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=3000))
def test_any_text_gets_a_purpose_and_probabilities(text):
    ev = evidence(text)
    assert len(ev.vector()) == len(FEATURES)
    probs = shipped().probabilities(ev.vector())
    assert set(probs) == set(LABELS) and abs(sum(probs.values()) - 1) < 1e-9
    label, why = decide(note_of(text), RULES)
    assert label in LABELS and why.startswith(f"teleology: {label}")


def test_hostile_texts_do_not_crash():
    for text in (
        "",
        "\x00" * 500,
        "`" * 9999,
        "```\n" * 2000,
        "| a |\n" * 3000,
        "1. x\n" * 5000,
        "é" * 100_000,
    ):
        assert decide(note_of(text), RULES)[0] in LABELS


# --- rules.yaml ------------------------------------------------------------------------------------


def rules_with(**teleology) -> object:
    data = safe_load_mapping(default_text("rules.yaml"))
    data["teleology"] = teleology
    return parse_rules(data)


def test_a_prior_in_rules_yaml_moves_the_decision():
    mixed = TUTORIAL + "\n\n" + ESSAY
    base = shipped().probabilities(evidence(mixed).vector())
    weaker = min(("implement", "synthesize"), key=base.__getitem__)
    rules = rules_with(**{weaker: {"prior": 1e12}})
    label, why = decide(note_of(mixed), rules)
    assert label == weaker and "prior 1e+12" in why
    assert decide(note_of(TUTORIAL), rules_with(implement={"prior": 1e-12}))[0] != "implement"


def test_a_platform_hint_multiplies_odds_and_is_said():
    rules = rules_with(monitor={"platforms": ["x"]})
    rules.teleology_hint = 1e6
    n = note_of(ESSAY)
    n.platform = "x"
    label, why = decide(n, rules, matcher=Matcher(words_of(ESSAY), []))
    assert label == "monitor" and "hints platform x" in why


def test_old_rules_files_still_parse_and_unknown_purposes_are_refused():
    old = safe_load_mapping(default_text("rules.yaml"))
    old["teleology"] = {
        "implement": {"cues": ["how to"], "platforms": ["github"]},
        "explore": {"formats": ["podcast"]},
    }
    rules = parse_rules(old)
    assert set(rules.teleology) == set(LABELS) and rules.teleology["monitor"].prior == 1.0
    old["teleology"] = {"daydream": {}}
    with pytest.raises(ConfigError, match="daydream"):
        parse_rules(old)
    old["teleology"] = {"implement": {"prior": 0}}
    with pytest.raises(ConfigError):
        parse_rules(old)


# --- the shipped model -----------------------------------------------------------------------------


def test_shipped_model_matches_the_features_and_round_trips():
    model = shipped()
    assert model.features == list(FEATURES) and len(model.coef) == len(LABELS)
    again = TeleologyModel.from_json(model.to_json("fp"), "fp")
    assert again is not None and again.probabilities([0.5] * len(FEATURES)) == model.probabilities(
        [0.5] * len(FEATURES)
    )
    assert TeleologyModel.from_json(model.to_json("fp"), "other") is None
    assert TeleologyModel.from_json("{not json", None) is None
    stale = model.to_json().replace('"numbered"', '"renamed"')
    assert TeleologyModel.from_json(stale) is None


# --- format from evidence ---------------------------------------------------------------------------

TURNS = ["Hello there, and welcome.", "Thanks for having me.", "So where do we start?", "At the beginning."]


def layout(fmt: str) -> str:
    names = ["Ana Costa", "Ben Li"]
    return (
        "\n\n".join(
            fmt.format(name=names[i % 2], n=i % 2 + 1, t=f"00:0{i}:1{i}", said=s) for i, s in enumerate(TURNS)
        )
        + "\n"
    )


@pytest.mark.parametrize(
    "fmt",
    [
        "{name}: {said}",
        "**{name}:** {said}",
        "**{name}**: {said}",
        "[{t}] {name}: {said}",
        "{t} {name}: {said}",
        "{name} ({t}): {said}",
        "{name}: {t}\n{said}",
        "Speaker {n}: {said}",
        "Speaker {n}\n{said}",
        "[{t}] Speaker {n}\n{said}",
        "> **{name}:** {said}",
    ],
)
def test_transcripts_are_read_in_each_layout(fmt):
    text = "# Episode 3\n\n" + layout(fmt)
    assert is_transcript(text), text
    assert note_of(text).format == "transcript"
    assert sum(speaker_turns(text).values()) == 4


def test_timestamps_alone_make_a_transcript():
    text = "\n".join(f"00:00:{i:02d} and then we talked about line {i} of the show" for i in range(10))
    assert note_of(text).format == "transcript"


@pytest.mark.parametrize(
    "text",
    [
        "Note: back up first.\n\nFilename: src/main.rs\n\nNote: again.\n\nFilename: src/lib.rs\n"
        + "word " * 200,
        "09:00 Registration\n09:30 Keynote\n10:30 Break\n" + "The conference is in the main hall. " * 40,
        "Step 1: open it.\n\nStep 2: close it.\n\nStep 3: again.\n\nStep 4: done.\n" + "word " * 200,
        "Ana: hello there.\n\nAna: hello again.\n\nAna: and again.\n\nAna: last.\n" + "word " * 200,
    ],
)
def test_labels_schedules_and_one_voice_are_no_transcript(text):
    assert not is_transcript(text)
    assert note_of(text).format != "transcript"


def test_formats_from_evidence():
    prose = "The harbour road is busy in the morning and quiet at night, as the tide turns. " * 20
    assert note_of(prose).format == "article"
    paper = (
        "# Sparse retrieval\n\n## Abstract\n\nWe show that "
        + prose
        + "\n\n## References\n\n[1] Raman, P. (2023).\n"
    )
    assert note_of(paper).format == "paper"
    book = "# The Quiet Machine\n\n## Chapter 1\n\n" + prose + "\n\n## Chapter 2\n\n" + prose
    assert note_of(book).format == "book"
    thread = "1/ Solar panels got cheaper.\n\n2/ Then utilities changed.\n\n3/ Now everyone builds.\n"
    assert note_of(thread).format == "thread"
    assert note_of("Shipping the beta today! @ana_costa #release #beta").format == "post"
    assert note_of("A short thought about harbours.").format == "note"
    assert note_of(prose, format="book").format == "book"  # a stated format wins


# --- the reader teaches it -------------------------------------------------------------------------


def write_note(
    vault: Path, name: str, text: str, teleology: str, chosen: str, status: str = "reviewed"
) -> None:
    (vault / "notes").mkdir(parents=True, exist_ok=True)
    (vault / "notes" / f"{name}.md").write_text(
        "---\n"
        f"id: SOURCE-20260101-{zlib.crc32(name.encode()) % 1000:03d}\ncaptured_date: 2026-01-01\n"
        f"original_filename: {name}.md\n"
        f"status: {status}\nplatform: web\nformat: article\nsignal_tier: medium\nteleology: {teleology}\n"
        f'triage_reasons:\n  - "teleology: {chosen} p=0.70 (something)"\n---\n\n## Capture\n\n{text}\n',
        encoding="utf-8",
    )


def recipe(i: int) -> str:
    return (
        f"# Bread number {i}\n\n1. Mix the flour and water.\n2. Knead the dough for {i + 5} minutes.\n"
        "3. Let it rest, then shape it.\n4. Bake it at 230 degrees until it sounds hollow.\n\n"
        "You can add seeds. Check the crust; if it is pale, bake it longer.\n"
    )


def test_reviewed_corrections_teach_the_vault_and_are_explained(tmp_path):
    ws = load_workspace(tmp_path)
    ws.vault.mkdir(parents=True, exist_ok=True)
    new = note_of(recipe(99))
    before = decide(new, RULES)[0]
    wanted = "implement" if before != "implement" else "reference"
    # The reader disagrees about recipes: they corrected six, and confirmed two essays.
    for i in range(6):
        write_note(ws.vault, f"recipe-{i}", recipe(i), wanted, before)
    for i in range(2):
        write_note(ws.vault, f"essay-{i}", ESSAY, "synthesize", "synthesize")
    write_note(
        ws.vault, "unread", recipe(50), "monitor", "implement", status="triaged"
    )  # not reviewed: no example
    records = load_notes(ws.vault)
    model = teleology_model(ws, records, RULES, dry_run=False)
    assert model is not None and model.notes == 8 and model.corrected == 6
    label, why = decide(new, RULES, model)
    assert label == wanted and "learned from 8 reviewed notes, 6 corrected" in why
    assert decide(note_of(ESSAY), RULES, model)[0] == "synthesize"  # what the reader confirmed stays
    assert decide(note_of(NEWS), RULES, model)[0] == "monitor"  # and what they never touched
    cache = ws.state_dir / "teleology-model.json"
    assert cache.is_file()
    assert teleology_model(ws, records, RULES, dry_run=False) == model  # read back from the cache


def test_no_correction_or_learning_off_keeps_the_shipped_model(tmp_path):
    ws = load_workspace(tmp_path)
    ws.vault.mkdir(parents=True, exist_ok=True)
    for i in range(3):
        write_note(ws.vault, f"recipe-{i}", recipe(i), "implement", "implement")
    assert teleology_model(ws, load_notes(ws.vault), RULES, dry_run=False) is None
    write_note(ws.vault, "recipe-9", recipe(9), "reference", "implement")
    off = parse_rules({**safe_load_mapping(default_text("rules.yaml")), "teleology_learn": False})
    assert teleology_model(ws, load_notes(ws.vault), off, dry_run=False) is None
    assert teleology_model(ws, load_notes(ws.vault), RULES, dry_run=True) is not None
    assert not (ws.state_dir / "teleology-model.json").exists()  # a dry run writes nothing


def test_one_stray_correction_moves_little():
    base = shipped()
    x = evidence(TUTORIAL).vector()
    moved = adapt(base, [(x, "explore", True)])
    assert max(moved.probabilities(x), key=moved.probabilities(x).get) == "implement"
    assert moved.probabilities(x)["explore"] > base.probabilities(x)["explore"]
