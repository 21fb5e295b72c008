"""NER repaired by the lexicon (`triage.enrich.mentions`), through `analyze` as the product runs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from triage.enrich.lexicon import Lexicon, load_lexicon
from triage.enrich.mentions import SHORT_POST
from triage.enrich.nlp import analyze
from triage.note import Note

pytestmark = pytest.mark.nlp


def entities(nlp, body: str) -> list[tuple[str, str]]:
    note = Note(source=Path("x.md"), body=body, title="")
    analyze([note], nlp, max_entities=20)
    return [(e.name, e.type) for e in note.entities]


def test_lexicon_lists(nlp):
    lex = load_lexicon(nlp)
    assert lex.is_given("Wendy") and lex.is_english_given("wendy") and lex.is_given("Marcelo")
    assert not lex.is_english_given("Meta")  # a given name in some locales, not an English one
    assert lex.in_dictionary("binge") and lex.in_dictionary("ran", "run")
    assert lex.is_ordinary("idiot") and not lex.is_ordinary("james") and not lex.is_ordinary("davis")
    assert Lexicon().is_given("wendy") is False  # an empty lexicon changes nothing


def test_lists_of_given_names_are_split_into_people(nlp):
    found = entities(nlp, "Come to Ireland again! Jay & Trish are craving some tea.")
    assert ("Jay", "person") in found and ("Trish", "person") in found


def test_stage_names_and_titles_make_people(nlp):
    assert ("DJ Khaled", "person") in entities(nlp, "DJ Khaled looks exactly like Cartman.")
    assert ("Lil Yachty", "person") in entities(nlp, "Lil Yachty sounds like he is halfway remedial.")


def test_chat_words_are_trimmed_and_shouting_is_no_entity(nlp):
    assert entities(nlp, "That was freakin AWESOME!") == []
    assert entities(nlp, "creepy AF. lol") == []


def test_versus_splits_a_match_up(nlp):
    found = {name for name, _ in entities(nlp, "The fight of the decade: Canelo vs Golovkin.")}
    assert "Canelo vs Golovkin" not in found


def test_given_names_ner_missed_or_mistyped(nlp):
    assert entities(nlp, "Kenny, you need to get back to your roots.") == [("Kenny", "person")]
    assert ("Wendy", "person") in entities(nlp, "That's probably Wendy's biggest dream coming true.")


def test_in_longer_text_ner_keeps_things_named_like_people(nlp):
    body = (
        "The index keeps everything in memory, so it is a poor fit beyond ten million vectors. "
        "At that scale, use FAISS from Meta or a server such as Qdrant. Deletions are marked rather "
        "than removed, and you should rebuild the index after heavy churn, which takes minutes. "
        "Recall stays above ninety percent at the default settings."
    )
    assert len(body) > SHORT_POST
    assert ("Meta", "organization") in entities(nlp, body)
    # In one short post, a given name NER calls an organisation is read as a person.
    assert ("Marcelo", "person") in entities(nlp, "Marcelo is the star of real madrid, not ronaldo.")


def test_an_entity_page_fixes_a_type_for_short_captures_too(nlp):
    body = "Meta is hiring again."
    assert ("Meta", "person") in entities(nlp, body)  # a short post: read as a given name
    note = Note(source=Path("x.md"), body=body, title="")
    analyze([note], nlp, known={"meta": ("Meta", "organization")})
    assert [(e.name, e.type) for e in note.entities] == [("Meta", "organization")]


def test_name_lists_are_cached_and_rebuilt_when_faker_changes():
    from triage.enrich.lexicon import name_lists, names_json

    lists, fresh = name_lists(None)
    assert fresh and "wendy" in lists["given_en"]
    text = names_json(lists)
    again, fresh = name_lists(text)
    assert not fresh and again == lists
    stale = text.replace('"faker": "', '"faker": "0.0-')
    assert name_lists(stale)[1] and name_lists("{not json")[1]


def test_no_entities_from_image_descriptions(nlp):
    body = (
        "Dario Amodei said the labs will keep scaling.\n\n"
        '(Description: A text box titled "The Future of General AI Models?" next to a chart.)'
    )
    assert entities(nlp, body) == [("Dario Amodei", "person")]


def test_a_given_name_takes_the_family_name_ner_left_out(nlp):
    assert ("Wendy okafor", "person") in entities(nlp, "met Wendy okafor at the station")
    assert ("Kenny", "person") in entities(nlp, "Kenny lol, you need to get back to your roots.")


def test_a_lowercase_family_name_no_dictionary_knows_is_taken(nlp):
    # "brennick" is no English word: it is the family name, whatever the tagger calls it.
    assert ("Marco brennick", "person") in entities(nlp, "I saw Wendy okafor and Marco brennick today")
    assert ("Kylie", "person") in entities(nlp, "we met Kylie feel good")


def test_ordinary_lowercase_words_at_the_ends_of_a_name_are_left_out(nlp):
    # (the invisible byte-order mark after the name is no part of it either)
    assert entities(nlp, "excellent poem Dubbz\ufeff") == [("Dubbz", "person")]


def test_laughter_is_no_part_of_a_name():
    from triage.enrich.canon import is_chat

    assert is_chat("hahahahahaha") and is_chat("Lololol") and is_chat("lol")
    assert not is_chat("Halo") and not is_chat("Hilary") and not is_chat("Jojo")


def test_a_contraction_split_by_spaces_is_no_name(nlp):
    # social posts (and tokenised sets) write "Don ' t": the given name "Don" is not in it
    assert entities(nlp, "Don ' t forget the umbrella tomorrow") == []
    assert entities(nlp, "ok but don ’ t tell Marisol yet") == [("Marisol", "person")]
    assert ("Don Kessler", "person") in entities(nlp, "Don Kessler called about the fence")


def test_a_hashtag_of_several_words_is_a_topic_not_a_name(nlp):
    found = entities(nlp, "Walked the dunes all morning #SaveTheDunes #WeekendVibes")
    assert not any(n in ("SaveTheDunes", "WeekendVibes") for n, _ in found)
    assert ("Walked", "person") not in found


def test_spells_name(nlp):
    from triage.enrich.mentions import spells_name

    lex = load_lexicon(nlp)
    assert spells_name("CarolineOkafor", lex) and spells_name("nina_okafor", lex)
    assert spells_name("DrChen", lex) and spells_name("MarisolGTorres", lex)  # a title; an initial
    assert not spells_name("WeekendVibes", lex) and not spells_name("SaveTheDunes", lex)
    assert not spells_name("sunsetlover", lex) and not spells_name("x", lex)
