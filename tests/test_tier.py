"""The signal tier (`triage/enrich/tier.py`): substance, thin captures, announcements, novelty,
learning from reviewed notes. Inline texts, no spaCy (`Note.evidence` is set by hand)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.config import default_text, parse_rules
from triage.enrich import tier
from triage.errors import CaptureError
from triage.note import Note, Related
from triage.vault.catalog import Record
from triage.vault.yamlio import safe_load_mapping

RULES = parse_rules(safe_load_mapping(default_text("rules.yaml")))

ARGUED = (
    "We found that the nightly cache rebuild doubled p99 latency, from 180 ms to 410 ms, across 14 "
    "services in March 2025. I think the usual advice is wrong here, because the data show 42% more "
    "misses right after each rebuild. Contrary to what the vendor says, you should not rebuild "
    "everything at once. For example, the billing service recovered within 3 minutes when we staged it."
)
FILLER = (
    "so yeah and then we kind of went over there and it was a thing and we talked for a while and "
    "then it was later and everyone went home and that was about it really as far as that goes "
)


def note(text: str, evidence: float = 0.0, title: str = "A capture", **given: object) -> Note:
    n = Note(source=Path("capture.md"), title=title, given=dict(given))
    n.clean_text = text
    n.words = len(text.split())
    n.evidence = evidence
    return n


def tiered(n: Note, cuts: dict[str, tuple[float, int]] | None = None) -> Note:
    n.reasons = []
    tier.assign_tier(n, RULES, None, cuts)
    return n


def rank(t: str) -> int:
    return RULES.tiers.index(t)


def test_cues_belong_to_no_one_field():
    # the seeds' vocabulary is gone from the default cues
    for seed_word in ("era", "equilibrium", "diminishing returns", "paradigm", "inflection"):
        assert seed_word not in RULES.tier_cues


def test_argued_specific_text_ranks_above_long_filler():
    rich = tiered(note("\n\n".join([ARGUED] * 8), evidence=6.0))
    long_filler = tiered(note("\n\n".join([FILLER] * 40)))
    assert long_filler.words > 3 * rich.words
    assert rank(rich.signal_tier) < rank(long_filler.signal_tier)
    assert long_filler.signal_tier == "low"
    assert "own claims in" in rich.reasons[0] and "numbers, names and details" in rich.reasons[0]


def test_thin_capture_never_above_medium():
    short = tiered(note(ARGUED, evidence=12.0))
    assert short.words < RULES.tier_thin_words
    assert rank(short.signal_tier) >= rank("medium")
    assert "thin capture (under 150 words)" in short.reasons[0]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([ARGUED, FILLER, "42% of 3,000 users in 2024 said so.", "Yes."]), max_size=6),
       st.floats(0, 50))  # fmt: skip
def test_thin_never_above_medium_whatever_the_text(parts, evidence):
    n = tiered(note(" ".join(parts), evidence=evidence))
    if n.words < RULES.tier_thin_words:
        assert rank(n.signal_tier) >= rank(RULES.tier_thin_max)
    assert n.signal_tier in RULES.tiers


def test_announcement_never_above_medium():
    body = "\n\n".join([ARGUED] * 8)
    plain = tiered(note(body, evidence=6.0))
    news = tiered(note("We're excited to announce that version 4 is now available.\n\n" + body, evidence=6.0))
    assert rank(plain.signal_tier) < rank("medium")
    assert news.signal_tier == "medium"
    assert "an announcement: at most medium" in news.reasons[0]


def test_given_tier_kept_and_bad_one_refused():
    n = tiered(note(FILLER, signal_tier="paradigm"))
    assert n.signal_tier == "paradigm" and n.reasons == ["signal_tier: given in the capture"]
    with pytest.raises(CaptureError):
        tiered(note(FILLER, signal_tier="urgent"))


def _linked(related: list[Related]) -> Note:
    n = tiered(note("\n\n".join([ARGUED] * 8), evidence=6.0))
    n.related = related
    return n


def test_same_story_again_ranks_lower():
    n = _linked([Related("20260301-old", "Old", 0.5, "", same_story=True)])
    before = n.signal_tier
    assert rank(before) <= rank("high")
    tier.after_linking(n, RULES)
    assert rank(n.signal_tier) > rank(before) and rank(n.signal_tier) >= rank("medium")
    assert "probably the same story as [[20260301-old]]" in n.reasons[0]
    assert n.reasons[0].startswith(f"signal_tier: {n.signal_tier} (") and n.reasons[0].endswith(")")


def test_repeating_the_vault_ranks_lower_unrelated_does_not():
    n = _linked([Related("a", "A", 0.75, "")])
    before = n.signal_tier
    tier.after_linking(n, RULES)
    assert rank(n.signal_tier) == rank(before) + 1
    assert "repeats [[a]] (similarity 0.75" in n.reasons[0]
    m = _linked([Related("b", "B", 0.4, "")])
    before = m.signal_tier
    tier.after_linking(m, RULES)
    assert m.signal_tier == before


def test_novelty_leaves_a_given_tier_alone():
    n = tiered(note(ARGUED, signal_tier="high"))
    n.related = [Related("a", "A", 0.9, "", same_story=True)]
    tier.after_linking(n, RULES)
    assert n.signal_tier == "high"


def _reviewed(score: float, reader_tier: str, triage_tier: str = "high") -> Record:
    return Record(
        f"notes/{score}.md",
        {
            "status": "reviewed",
            "signal_tier": reader_tier,
            "triage_reasons": [f"signal_tier: {triage_tier} (substance {score:.2f} ≥ 0.45: ...)"],
        },
    )


def test_reviewed_notes_teach_the_cut():
    n = tiered(note("\n\n".join([ARGUED] * 8), evidence=6.0))
    score = float(n.reasons[0].split("substance ")[1].split()[0])
    assert n.signal_tier in ("high", "paradigm")
    # the reader moved five notes triage scored like this one (and a bit above) down to medium
    records = [_reviewed(score + d, "medium") for d in (0.0, 0.01, 0.02, 0.0, 0.01)]
    records.append(Record("notes/x.md", {"status": "triaged", "signal_tier": "low", "triage_reasons": []}))
    scores = tier.reviewed_scores(records)
    assert len(scores) == 5  # only reviewed notes teach
    cuts = tier.learned_cuts(scores, RULES)
    assert cuts["high"][0] > score + 0.02 and cuts["high"][1] == 5
    taught = tiered(note("\n\n".join([ARGUED] * 8), evidence=6.0), cuts)
    assert taught.signal_tier == "medium"
    assert "reviewed notes taught" in taught.reasons[0]


def test_one_reviewed_note_moves_no_cut_far():
    cuts = tier.learned_cuts([(0.30, "high")], RULES)
    assert cuts["high"][0] == pytest.approx(RULES.tier_rules[1].min_score)
    assert tier.learned_cuts([], RULES)["medium"] == (RULES.tier_rules[2].min_score, 0)


def test_score_survives_the_reason_round_trip():
    n = tiered(note("\n\n".join([ARGUED] * 8), evidence=6.0))
    r = Record("notes/a.md", {"status": "reviewed", "signal_tier": "low", "triage_reasons": n.reasons})
    assert tier.reviewed_scores([r]) == [(tier.substance(n, RULES).score, "low")]


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "...", "1 2 3 4 5 6 7 8", "“" * 500])
def test_hostile_text(text):
    n = tiered(note(text))
    assert n.signal_tier in RULES.tiers and n.reasons


@pytest.mark.nlp
def test_in_a_run_the_same_story_again_ranks_lower_and_a_review_teaches(tmp_path, nlp):
    from triage.pipeline import run
    from triage.vault.catalog import load_notes

    from .conftest import NOW, drop, make_workspace

    ws = make_workspace(tmp_path / "ws")
    body = "\n\n".join([ARGUED] * 6)
    drop(ws, "cache.md", f"---\ntitle: The cache rebuild\nurl: https://example.org/cache\n---\n{body}\n")
    run(ws, nlp=nlp, now=NOW)
    (first,) = load_notes(ws.vault)
    assert rank(first.get("signal_tier")) <= rank("high"), first.get("triage_reasons")
    drop(
        ws,
        "cache-again.md",
        f"---\ntitle: The cache rebuild, again\nurl: https://example.org/cache\n---\n{body}\n",
    )
    run(ws, nlp=nlp, now=NOW)
    second = next(r for r in load_notes(ws.vault) if r.path != first.path)
    assert rank(second.get("signal_tier")) > rank(first.get("signal_tier"))
    line = next(x for x in second.strings("triage_reasons") if x.startswith("signal_tier:"))
    assert "probably the same story as [[" in line
    assert (ws.vault / "Triage.base").is_file()
    # the reader reviews both and says: medium; the cut moves (they count as 2 of the 3 it needs)
    for r in load_notes(ws.vault):
        path = ws.vault / r.path
        text = path.read_text(encoding="utf-8")
        text = text.replace("status: triaged", "status: reviewed")
        text = text.replace(f"signal_tier: {r.get('signal_tier')}\n", "signal_tier: medium\n")
        path.write_text(text, encoding="utf-8")
    scores = tier.reviewed_scores(load_notes(ws.vault))
    assert [t for _, t in scores] == ["medium", "medium"]
    assert all(0 < s <= 1 for s, _ in scores)
