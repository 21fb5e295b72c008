"""Entities, precision first: a name is kept as a person, an organisation or a place only with
evidence, and one thing gets one page (`triage.enrich.entities`, `triage.enrich.canon`)."""

from __future__ import annotations

import pytest

from triage.enrich.canon import SHORT_POST, acronym, spells
from triage.enrich.entities import Mention, rank_entities
from triage.pipeline import run
from triage.vault.catalog import load_entity_pages

from .conftest import NOW, drop

LONG = 5000  # characters: an essay, not a post


def names(mentions: list[Mention], length: int = LONG, **kw) -> dict[str, tuple[str, list[str]]]:
    return {e.name: (e.type, e.aliases) for e in rank_entities(mentions, length, **kw)}


def test_a_lone_given_name_needs_evidence_in_an_essay():
    dylan = Mention("Dylan", "person", 100, given=True)
    assert "Dylan" not in names([dylan, Mention("Dylan", "person", 900, given=True)])
    assert "Dylan" in names([dylan], length=SHORT_POST - 1)  # a post addresses people by name


def test_a_lone_given_name_with_evidence_is_kept():
    dylan = Mention("Dylan", "person", 900, given=True)
    in_full = names([Mention("Dylan Patel", "person", 10), dylan])
    assert in_full["Dylan Patel"] == ("person", ["Dylan"])
    page = names([dylan], known={"dylanpatel": ("Dylan Patel", "person")})
    assert page == {"Dylan Patel": ("person", ["Dylan"])}
    assert "Chen" in names([Mention("Chen", "person", 5, given=True, titled=True)])  # "Dr Chen"
    assert "Dylan" in names([dylan], known={"dylan": ("Dylan", "person")})


def test_an_acronym_is_no_organisation_without_evidence():
    ubi = [Mention("UBI", "organization", i * 100) for i in range(5)]
    assert names(ubi) == {}
    assert "UBI" in names(ubi, known={"ubi": ("UBI", "organization")})
    tsmc = [Mention("Taiwan Semiconductor Manufacturing Company", "organization", 10)]
    found = names([*tsmc, Mention("TSMC", "organization", 300), Mention("TSMC", "organization", 900)])
    assert [(n, t) for n, (t, _) in found.items()] == [("TSMC", "organization")]  # via the table
    acme = [Mention("Acme Robotics Group", "organization", 10), Mention("ARG", "organization", 90)]
    assert names(acme) == {"Acme Robotics Group": ("organization", ["ARG"])}  # the name it spells
    listed = names([Mention("CATL", "organization", 0), Mention("Tesla", "organization", 9)])
    assert "CATL" in listed  # "CATL and Tesla": listed with an organisation
    assert acronym("UBI") and acronym("AI2") and not acronym("NVIDIA") and not acronym("Meta")
    assert spells("AI2", "Allen Institute for AI") and not spells("UBI", "Acme Robotics Group")


def test_a_common_noun_is_an_organisation_only_when_written_as_a_name():
    honey = Mention("Honey", "organization", 50, common=True)
    assert names([honey]) == {}
    amazon = [Mention("Amazon", "organization", i * 100, common=True) for i in (1, 2)]
    assert "Amazon" in names(amazon)
    assert "Fjord Analytics Group" in names([Mention("Fjord Analytics Group", "organization", 5)])
    assert names([Mention("Nintendo", "organization", 5)], length=SHORT_POST - 1) == {}  # a post


def test_a_given_name_is_no_place_without_evidence():
    claude = [Mention("Claude", "place", i * 100, person_like=True) for i in (1, 2, 3)]
    assert names(claude) == {}
    assert "India" in names([Mention("India", "place", i * 100) for i in (1, 2)])


def test_one_canonical_entity_per_country():
    forms = ["US", "U.S.", "United States", "USA"]
    found = names([Mention(f, "place", i * 100) for i, f in enumerate(forms)])
    assert list(found) == ["United States"]
    assert set(found["United States"][1]) == {"US", "USA"}  # "U.S." reads "US"
    page = names([Mention("USA", "place", 10)], known={"us": ("US", "place")})
    assert page == {"US": ("place", ["USA"])}  # the vault's page wins over the table's name


def test_a_handle_joins_the_person_the_capture_or_the_vault_names():
    mention = Mention("Priya Raman", "person", 10)
    author = {"priyaevals": ("Priya Raman", "person"), "priyaraman": ("Priya Raman", "person")}
    found = names([mention], handles=[("priya_evals", 300)], known=author)
    assert found == {"Priya Raman": ("person", ["@priya_evals"])}
    alone = names([], handles=[("priya_evals", 300)])
    assert alone == {"@priya_evals": ("person", [])}


def test_a_handle_joins_the_one_word_person_page_it_starts_with():
    page = {"kestrel": ("Kestrel", "person")}
    assert names([], handles=[("kestrel_pod", 30)], known=page) == {"Kestrel": ("person", ["@kestrel_pod"])}
    assert names([], handles=[("KestrelPod", 30)], known=page) == {"Kestrel": ("person", ["@KestrelPod"])}
    # not a longer word that merely starts the same way, nor a page that is no person
    assert names([], handles=[("kestrelpod", 30)], known=page) == {"@kestrelpod": ("person", [])}
    place = {"kestrel": ("Kestrel", "place")}
    assert names([], handles=[("kestrel_pod", 30)], known=place) == {"@kestrel_pod": ("person", [])}


def test_a_handle_seen_twice_keeps_its_own_spelling():
    found = names([], handles=[("kestrel_pod", 30), ("kestrel_pod", 90)])
    assert list(found) == ["@kestrel_pod"]


@pytest.mark.nlp
def test_a_new_entity_page_records_the_variants_seen(ws, nlp):
    body = (
        "# Trade\n\nThe United States raised tariffs again this spring. Exporters in Vietnam now ship "
        "more goods to the USA than ever before, and the U.S. market keeps growing for them.\n"
    )
    drop(ws, "trade.md", body)
    run(ws, now=NOW, nlp=nlp)
    pages = {p.name: p for p in load_entity_pages(ws.vault)}
    assert "United States" in pages and "USA" not in pages and "US" not in pages
    assert {"USA", "US"} & set(pages["United States"].aliases)


def test_a_name_cut_out_of_a_quoted_title_has_no_type_of_its_own():
    cut = Mention('the Kestrel "Big Ideas on Energy', "organization", 40)  # NER ran into the title
    assert names([cut]) == {}
    host = Mention("Kestrel", "person", 90, guessed=True, titled=True)  # "the Kestrel Podcast"
    assert names([cut, host]) == {"Kestrel": ("person", [])}
    assert names([cut], known={"kestrel": ("Kestrel", "person")}) == {"Kestrel": ("person", [])}


def test_one_word_named_once_is_no_person_in_an_essay():
    once = Mention("Varnholt", "person", 700)
    assert names([once]) == {}
    assert "Varnholt" in names([once, Mention("Varnholt", "person", 900)])
    assert "Varnholt" in names([once], length=SHORT_POST - 1)  # a post: one mention is all there is
    assert "Varnholt" in names([Mention("Varnholt", "person", 5, titled=True)])  # "Dr Varnholt"


def test_a_handle_ending_in_an_organisation_word_is_an_organisation():
    assert names([], handles=[("orchid_AI", 30)]) == {"@orchid_AI": ("organization", [])}
    assert names([], handles=[("OrchidLabs", 30)]) == {"@OrchidLabs": ("organization", [])}
    assert names([], handles=[("lena_okafor", 30)]) == {"@lena_okafor": ("person", [])}


@pytest.mark.nlp
def test_a_show_names_its_host_and_a_name_part_is_no_organisation(nlp):
    from pathlib import Path

    from triage.enrich.nlp import analyze
    from triage.note import Note

    body = (
        "Varnholt (of House Tremaine) runs the Varnholt Podcast, which many engineers in Oslo "
        "listen to. "
        + "The episodes cover grid storage, transmission and permitting at length. " * 6
        + 'This year Varnholt announced the Varnholt "Open Questions on Energy" essay prize.'
    )
    note = Note(source=Path("x.md"), body=body, title="")
    analyze([note], nlp, max_entities=20)
    found = {e.name: e.type for e in note.entities}
    assert found.get("Varnholt") == "person"  # the host of "the Varnholt Podcast"
    assert "House" not in found and "House Tremaine" not in found


def test_a_handle_inside_a_name_is_left_to_the_handles():
    # NER runs a retweet's marker into the handle ("RT @wren_k"): the handle counts on its own
    ms = [Mention("RT @wren_k", "person", 0), Mention("Ottoline Marsh", "person", 20)]
    found = names(ms, length=SHORT_POST - 1, handles=[("wren_k", 3)])
    assert sorted(found) == ["@wren_k", "Ottoline Marsh"]
