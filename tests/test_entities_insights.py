from triage.enrich.entities import (
    Mention,
    canonical,
    is_junk,
    merge_given,
    rank_entities,
    refine_type,
    shouted,
)
from triage.enrich.insights import Sentence, reject_reason, score, select_insights, select_synopsis
from triage.note import Entity


def test_canonical_names():
    assert canonical("Anthropic's") == "Anthropic"
    assert canonical("the Allen Institute") == "Allen Institute"
    assert canonical("**NVIDIA**,") == "NVIDIA"
    assert canonical("Allen Institute for AI (AI2") == "Allen Institute for AI"
    assert canonical("Dylan et al") == "Dylan"
    assert canonical("U.S.") == "US" and canonical("U.K.") == "UK"
    assert canonical('the Acme "Big Ideas') == "Acme"  # NER ran into a quoted title
    assert canonical('"Big Ideas" Prize') == 'Big Ideas" Prize'  # (as before: quotes balanced)


def test_junk():
    for junk in ["72+ hour", "$10B", "2030", "Meta-analysis", "AI", "the", "ok", "5 years", "a → b"]:
        assert is_junk(canonical(junk), "organization"), junk
    for good in ["Anthropic", "Dario Amodei", "GPT-4", "@handle", "New York"]:
        assert not is_junk(good, "organization"), good


def test_type_rules():
    assert refine_type("OpenAI", "place") == "organization"
    assert refine_type("GPT-4", "organization") == "product"
    assert refine_type("Allen Institute", "person") == "organization"
    assert refine_type("Dario Amodei", "person") == "person"


def test_merging_and_salience():
    ms = [
        Mention("Dario Amodei", "person", 10),
        Mention("Dario", "person", 400),
        Mention("Anthropic's", "organization", 50),
        Mention("anthropic", "organization", 60),
        Mention("the Anthropic", "organization", 70),
        Mention("Great Heading", "organization", 0, emphasis=True),
        Mention("Success", "organization", 500, sent_start=True),
    ]
    ents = rank_entities(ms, 1000, handles=[("DarioAmodei", 5), ("someone_else", 900)])
    names = [e.name for e in ents]
    assert names == ["Anthropic", "Dario Amodei", "@someone_else"]
    dario = ents[1]
    assert dario.type == "person" and {"Dario", "@DarioAmodei"} <= set(dario.aliases)


def test_handle_spelling_a_short_name_gives_the_full_name():
    ents = rank_entities(
        [Mention("Dario", "person", 10), Mention("Dario", "person", 20)], 100, [("DarioAmodei", 1)]
    )
    assert ents[0].name == "Dario Amodei"


def test_known_entities_win():
    known = {"openai": ("OpenAI", "organization"), "oai": ("OpenAI", "organization")}
    ents = rank_entities([Mention("OAI", "place", 1), Mention("OpenAI", "person", 5)], 100, known=known)
    assert [(e.name, e.type) for e in ents] == [("OpenAI", "organization")]


def test_given_entities_come_first():
    out = merge_given(
        ["[[Zed]]", "Anthropic"], [Entity("Anthropic", "organization"), Entity("Bob", "person")], 5
    )
    assert [(e.name, e.type) for e in out] == [
        ("Zed", "unknown"),
        ("Anthropic", "organization"),
        ("Bob", "person"),
    ]


def S(text, i, kind="para", lemmas=None, **kw):
    return Sentence(text=text, index=i, kind=kind, lemmas=lemmas or text.lower().rstrip(".").split(), **kw)


def test_filters():
    assert reject_reason(S("A Heading Of Some Length Here", 0, kind="heading")) == "heading"
    assert reject_reason(S("Why does scaling keep working so well for labs?", 0)) == "question"
    assert reject_reason(S("(Description: a chart showing costs going up sharply)", 0)) == "image description"
    assert reject_reason(S("Source · Lex Fridman podcast episode.", 0)) in ("source line", "fragment")
    assert reject_reason(S("Read more at https://example.com/a today please now.", 0)) == "url"
    assert reject_reason(S("Too short to matter.", 0)) == "fragment"
    assert reject_reason(S(" ".join(["word"] * 70) + ".", 0)) == "run-on"
    assert reject_reason(S("Costs of training frontier models for labs", 0)) == "unfinished"
    assert reject_reason(S("Training costs fell sharply for every lab last year.", 0)) is None


def test_insights_are_diverse_and_ranked():
    sents = [
        S("Training costs grow ten times with each model generation.", 0, has_number=True),
        S("Training costs grow ten times with every model generation.", 1, has_number=True),
        S("Inference demand now exceeds training demand at most labs.", 2),
        S("This has been my top question for the past few years.", 3),
        S("Revenue from each model covers its own training costs quickly.", 4, bold=True),
    ]
    scores = score(sents, {"training", "costs"})
    picked = select_insights(sents, scores, 3)
    assert len(picked) == 3
    assert not ({sents[0].text, sents[1].text} <= set(picked))  # near-duplicates never both
    assert "This has been my top question for the past few years." not in picked


def test_synopsis_is_whole_sentences_within_limit():
    sents = [
        S("A piece about why grids limit data centers now.", 0),
        S("x " * 200 + "end.", 1),
        S("Utilities plan in decades while labs plan in quarters.", 2),
    ]
    syn = select_synopsis(sents, score(sents, set()))
    assert len(syn) <= 300 and syn.endswith(".")
    assert syn.startswith("A piece about why grids")


def test_shouted_words_and_chat_are_not_names():
    assert shouted("AWESOME", proper=True) and shouted("BAD", proper=False)
    assert not shouted("NASA", proper=True) and not shouted("GPT-4", proper=False)
    for chat in ["LOL", "wtf", "AF", "Lmao", "bruh"]:
        assert is_junk(canonical(chat), "organization"), chat
    assert is_junk("Awwwww", "person") and not is_junk("Ssundee", "person")
    ms = [
        Mention("AWESOME", "organization", 10, proper=True, common=True),
        Mention("NASA", "organization", 30, proper=True, common=True),
        Mention("Dude", "person", 50, common=True),
        Mention("Wendy", "person", 70),
    ]
    assert [e.name for e in rank_entities(ms, 100)] == ["NASA", "Wendy"]


def test_a_lone_given_name_is_a_person_unless_ner_keeps_saying_otherwise():
    once = [Mention("Wendy", "organization", 10, given=True)]
    assert [(e.name, e.type) for e in rank_entities(once, 100)] == [("Wendy", "person")]
    often = [Mention("Meta", "organization", i, given=True) for i in (10, 40, 70)]
    assert [(e.name, e.type) for e in rank_entities(often, 1000)] == [("Meta", "organization")]
    # Names found by the lexicon alone yield to NER's type for the same name.
    mixed = [Mention("Meta", "organization", 10), Mention("Meta", "person", 50, guessed=True)]
    assert rank_entities(mixed, 1000)[0].type == "organization"
    assert rank_entities([Mention("Kenny", "person", 5, guessed=True)], 100)[0].type == "person"
    # Only name-shaped text turns into a person.
    shouting = [Mention("WENDY'S", "organization", 10, given=True)]
    assert rank_entities(shouting, 1000)[0].type == "organization"


def test_an_entity_pages_type_is_never_overridden_by_the_name_rules():
    known = {"meta": ("Meta", "organization")}
    ents = rank_entities([Mention("Meta", "organization", 10, given=True)], 100, known=known)
    assert [(e.name, e.type) for e in ents] == [("Meta", "organization")]
    ents = rank_entities([Mention("Meta", "person", 10, given=True, guessed=True)], 100, known=known)
    assert [(e.name, e.type) for e in ents] == [("Meta", "organization")]
