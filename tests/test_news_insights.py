"""Key insights of news reports: one sentence each, and who said what is the news; an essay keeps
its claim rules (someone else's words are not the author's stance). Texts written for these tests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from triage.enrich.insights import Sentence, score, select_insights, split_at_stops
from triage.enrich.nlp import analyze
from triage.enrich.rhetoric import genre
from triage.note import Note

STOP = {"the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "is", "are", "it", "that", "this"}
STOP |= {"had", "has", "was", "were", "by", "its"}


def build(paragraphs: list[list[str]], past: set[int]) -> list[Sentence]:
    """Sentences as `triage.enrich.nlp` builds them: a block per paragraph, words as lemmas."""
    out = []
    for block, paragraph in enumerate(paragraphs):
        for text in paragraph:
            words = [w.lower() for w in re.findall(r"[A-Za-z]+", text)]
            out.append(
                Sentence(
                    text,
                    len(out),
                    lemmas=[w.rstrip("s") for w in words if w not in STOP and len(w) > 2],
                    block=block,
                    past=len(out) in past,
                    has_number=bool(re.search(r"\d", text)),
                )
            )
    return out


REPORT = [
    ["Harbour Town council voted on Tuesday to close the old ferry terminal at the end of the year."],
    [
        "Local shop owners should prepare for a quieter harbour next summer, one trader warned.",
        "The terminal opened in 1962 and was painted blue by the first ferry company.",
    ],
    [
        "The council said the ferry terminal had lost money for six years and ferry passengers had "
        "fallen by half."
    ],
    [
        "Ferry workers told the council the terminal could still pay its way with new ferry routes.",
        "Buses will replace the ferry on the harbour route from January, the council added.",
    ],
    ["A final vote on the terminal is expected next month."],
]
REPORTED = REPORT[2][0]

ESSAY = [
    [
        "The mayor said on Monday that the city should build two more parking garages downtown.",
        "Drivers complain about traffic in the city centre every single morning.",
        "I believe the city should stop building parking garages downtown altogether.",
    ],
    [
        "Every new garage pulls more cars into the centre and makes the morning traffic worse.",
        "Shops on streets without cars usually earn more from the people who walk past them.",
    ],
    ["We should spend the parking money on buses and bike lanes instead of garages."],
]


def ranked(sentences: list[Sentence], k: int = 3) -> list[str]:
    return select_insights(sentences, score(sentences, set()), k)


def test_a_report_reads_as_a_report_and_an_essay_as_an_argument():
    assert genre(build(REPORT, past={0, 2, 3, 4})) == "report"
    assert genre(build(ESSAY, past={0})) == "argument"
    assert genre(build([["We should tax sugar because it harms children."]] * 4, past=set())) == "argument"


def test_a_reports_reported_speech_is_its_substance():
    picked = ranked(build(REPORT, past={0, 2, 3, 4}))
    assert REPORTED in picked
    assert REPORT[1][0] not in picked  # a trader's "should" is no stance of the reporter's


def test_in_an_essay_reported_speech_is_still_not_the_authors_stance():
    sentences = build(ESSAY, past={0})
    picked = ranked(sentences)
    assert picked[0] in (ESSAY[0][2], ESSAY[2][0])  # the author's thesis or its restatement
    assert ESSAY[0][0] not in picked  # the mayor's view, answered by the essay


@dataclass
class Tok:
    text: str
    whitespace_: str = " "


def toks(text: str) -> list[Tok]:
    return [Tok(w) for w in text.split()]


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("Lending rose to £4.29m. The group said loans fell .", 2),
        ("Profits rose . Sales fell .", 2),
        ("Mr. Lee met J. Smith at 5 p.m. Tuesday in the U.S. Senate .", 1),
        ("Acme Inc. Shares fell on Jan. 5 .", 1),
        ("It ended 3-1 . ” The crowd left .", 2),
        ("Nothing to cut here", 1),
        ("", 0),
    ],
)
def test_split_at_stops(text, pieces):
    out = split_at_stops(toks(text))
    assert len(out) == pieces
    assert [t.text for part in out for t in part] == text.split()  # nothing lost, order kept


def test_a_closing_quote_stays_with_its_sentence_and_an_opening_one_moves_on():
    closing = [Tok("done"), Tok(".", ""), Tok('"'), Tok("The"), Tok("end"), Tok(".")]
    assert [len(p) for p in split_at_stops(closing)] == [3, 3]
    opening = [Tok("done"), Tok("."), Tok('"', ""), Tok("We"), Tok("go"), Tok(".", ""), Tok('"')]
    assert [len(p) for p in split_at_stops(opening)] == [2, 5]


@pytest.mark.nlp
def test_no_insight_holds_two_sentences_run_together(nlp):
    body = (
        "# Building society lending\n\n"
        "Mortgage lending at the Northfield building society rose to £4.29m. The lenders' group said "
        "that loans for first homes fell again in May, the third fall in a row.\n\n"
        "Northfield said it expected lending for first homes to recover by the end of the year."
    )
    note = Note(source=Path("lending.md"), body=body, title="Building society lending")
    analyze([note], nlp, key_insights=3)
    assert note.key_insights
    for insight in note.key_insights:
        assert not re.search(r"\w\. [A-Z]", insight), insight
    assert any(i.startswith("Mortgage lending") and i.endswith("£4.29m.") for i in note.key_insights)
