"""Claim-aware insights: the author's claims first; examples, concessions, background and remarks
about the text itself after them. The texts are small essays written for these tests."""

from __future__ import annotations

import re

import pytest

from triage.enrich.insights import Sentence, score, select_insights, select_synopsis
from triage.enrich.rhetoric import cues, roles, thesis_slots

STOP = {"the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "is", "are", "it", "that", "this"}

ESSAY = [
    [
        "Last year the council opened two new parking garages near the central station.",
        "Drivers still complain about traffic in the city centre every single morning.",
        "I believe cities should stop building parking garages in the city centre.",
    ],
    [
        "Parking garages pull more cars into the city centre and make traffic worse.",
        "For instance, one city built three garages and saw its morning traffic grow by a fifth.",
        "Traffic engineers have a name for this effect: induced demand.",
    ],
    [
        "Some people think parking garages help the shops of the city centre survive.",
        "Admittedly, a few shops lose customers who used to drive into the centre.",
        "Shops on streets without cars usually earn more from people who walk past them.",
    ],
    [
        "In this post I wanted to go over the parking question in the city centre.",
        "In conclusion, cities should spend parking money on buses and bike lanes instead.",
    ],
]


def essay(paragraphs: list[list[str]], past: set[int] = frozenset({0})) -> list[Sentence]:
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
                )
            )
    return out


def ranked(sentences: list[Sentence], k: int = 3) -> list[str]:
    return select_insights(sentences, score(sentences, set()), k)


def test_the_thesis_comes_first():
    picked = ranked(essay(ESSAY))
    assert picked[0] in (ESSAY[0][2], ESSAY[3][1])  # the thesis or the conclusion that restates it
    assert ESSAY[0][2] in picked and ESSAY[3][1] in picked


def test_an_example_a_concession_a_meta_remark_and_background_are_demoted():
    picked = ranked(essay(ESSAY))
    for supporting in (ESSAY[0][0], ESSAY[1][1], ESSAY[2][0], ESSAY[2][1], ESSAY[3][0]):
        assert supporting not in picked


@pytest.mark.parametrize(
    ("plain", "cued", "role"),
    [
        (
            "One city built three garages and saw its morning traffic grow by a fifth.",
            "For instance, one city built three garages and saw its morning traffic grow by a fifth.",
            "example",
        ),
        (
            "Parking garages help the shops of the city centre survive.",
            "Some people think parking garages help the shops of the city centre survive.",
            "concession",
        ),
        (
            "Nearly an hour went to scaling laws and to training methods.",
            "Nearly an hour was devoted to scaling laws and to training methods.",
            "meta",
        ),
        (
            "Parking garages make traffic in the city centre worse.",
            "I believe parking garages make traffic in the city centre worse.",
            "stance",
        ),
    ],
)
def test_a_cue_alone_moves_a_sentence(plain: str, cued: str, role: str):
    """The same sentence in the same text, with and without its cue: only the cue differs."""
    filler = ["Cities change slowly and their streets change even more slowly than that."]
    scores = []
    for text in (plain, cued):
        sentences = essay([[filler[0], text, filler[0].replace("Cities", "Towns")]], past=set())
        scores.append(score(sentences, set())[1])
    assert role in cues(cued) and role not in cues(plain)
    assert (scores[1] > scores[0]) == (role == "stance")


def test_cues_are_read_outside_quoted_speech():
    assert "stance" in cues("We should tax carbon, the minister said in a speech on Monday.")
    assert "stance" not in cues("“We should tax carbon,” the minister said in a speech on Monday.")
    assert cues("“It is often said that we should wait and see what the market does.") == set()


def test_the_authors_plans_for_themself_are_no_stance():
    assert "stance" not in cues("I think I'll stick to the shoes I already own, thanks.")
    assert "stance" in cues("I think we will lose this fight if we keep waiting.")
    assert "stance" in cues("I think I'll be proven right: the tax is unfair.")  # "is unfair" still


def test_a_paper_stating_its_contribution_is_no_meta_remark():
    assert "meta" not in cues("In this paper, we show that small models can match large ones.")
    assert "stance" in cues("In this paper, we show that small models can match large ones.")
    assert "meta" in cues("In this post I'll go over the questions people asked me last week.")
    assert "meta" in cues("The timeline structure tells the story of the whole conversation.")


def test_past_tense_is_background_in_an_essay_not_in_a_report():
    sentences = essay(ESSAY)
    assert "background" in roles(sentences)[0]
    report = essay([["The council opened two garages.", "Traffic grew by a fifth.", "Shops closed."]] * 3)
    for s in report:
        s.past = True
    assert not any("background" in r for r in roles(report))


def test_thesis_slots_need_real_paragraphs():
    slots = thesis_slots(essay(ESSAY))
    assert [s.text for s, slot in zip(essay(ESSAY), slots, strict=True) if slot] == [
        ESSAY[0][2],
        ESSAY[1][0],
        ESSAY[2][0],
        ESSAY[3][0],
    ]
    one_per_line = essay([[line] for paragraph in ESSAY for line in paragraph])
    assert not any(thesis_slots(one_per_line))
    loose = [Sentence(t, i) for i, t in enumerate(ESSAY[0])]  # blocks unknown (highlights)
    assert not any(thesis_slots(loose))
    assert len(ranked(loose)) == 3  # the ranker works on any list of sentences


def test_the_synopsis_states_the_claim_not_the_background():
    sentences = essay(ESSAY)
    synopsis = select_synopsis(sentences, score(sentences, set()))
    assert ESSAY[0][0] not in synopsis
    assert "should" in synopsis


@pytest.mark.parametrize(
    ("sentence", "has", "lacks"),
    [
        ("To be fair, a bigger garage is not always a bad idea for a town.", "concession", "stance"),
        ("That said, some drivers will always need a place to park near work.", "concession", None),
        ("“Just build more parking” is the advice I hear from every shop owner in town.", "concession", None),
        ("Here is my conclusion: the garages cost more than the traffic they fix.", "stance", "meta"),
        ("My view is that the council has been solving the wrong problem for years.", "stance", None),
        ("The short answer is that garages fill up as fast as they are built.", "stance", None),
        ("What we learned is that drivers change their habits faster than planners expect.", "stance", None),
        ("I went to the council meeting last night, and these are my notes.", "meta", None),
        ("Programming note: there will be no issue next week because of the holiday.", "meta", None),
        ("I'll skip the long debate about bike lanes that came up at the end.", "meta", None),
        ("Every few weeks a neighbour asks whether we should sell the car.", None, "stance"),
        ("The mayor said the city should build two more garages next year.", None, "stance"),
        ("An old rule of thumb states that every new lane should fill within a year.", None, "stance"),
        ("Our study argues that the city should build no more garages.", "stance", None),
        ("Unfortunately, a new garage is a poor substitute for a good bus line.", "stance", None),
        ("I have commuted by bus every working day for nine years in this city.", "background", None),
        ("We have run this newsletter over the last six years from a kitchen table.", "background", None),
    ],
)
def test_cues_of_essays_and_posts(sentence: str, has: str | None, lacks: str | None):
    found = cues(sentence)
    assert has is None or has in found
    assert lacks is None or lacks not in found


def test_a_quotation_opening_a_sentence_hides_only_the_quoted_words():
    assert cues("“We should wait,” she said.") == set()  # a few words of the author's: nothing left
    assert "stance" not in cues("“We should wait” is what every cautious planner says at first, of course.")


POST = [
    [
        "Programming note: the next issue will arrive on Thursday instead of Tuesday.",
        "I have followed city budgets for a living over the last twelve years.",
        "My view is that the new stadium will cost the city far more than it brings in.",
    ],
    [
        "Stadium subsidies rarely pay for themselves in new taxes or jobs.",
        "For example, one city paid for a stadium and saw no growth in local jobs afterwards.",
        "To be fair, a stadium can bring visitors to a neighbourhood on game days.",
    ],
    [
        "The money would do more good in schools, buses and housing.",
        "Every year the council asks whether it should cut the bus budget again.",
        "So the council should vote against the stadium subsidy next month.",
    ],
]


def test_a_post_with_housekeeping_and_credentials_leads_with_its_thesis():
    picked = ranked(essay(POST, past=set()))
    assert picked[0] in (POST[0][2], POST[2][2])
    for supporting in (POST[0][0], POST[0][1], POST[1][1], POST[1][2], POST[2][1]):
        assert supporting not in picked


def test_in_a_long_text_each_insight_adds_something():
    """A sentence whose words the first insight already holds is passed over for one that adds a
    point, though it scores a little higher; in a short text the word overlap decides as before."""
    first = "Cheap solar panels have changed how poor villages get their electricity and light."
    echo = "Cheap solar panels really changed the villages."
    other = "Batteries remain the expensive part of any small grid built far from cities."
    filler = [f"Sentence number {n} talks about weather, rivers and mountains in general." for n in range(12)]
    sentences = [
        Sentence(t, i, lemmas=[w.lower().rstrip("s") for w in re.findall(r"[A-Za-z]{4,}", t)])
        for i, t in enumerate([first, echo, other, *filler])
    ]
    scores = [1.0, 0.8, 0.5] + [0.0] * len(filler)
    assert select_insights(sentences, scores, 2) == [first, other]
    short = sentences[:3] + sentences[3:5]
    assert select_insights(short, scores[:5], 2) == [first, echo]
