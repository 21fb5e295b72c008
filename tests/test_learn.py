import pytest

from triage.config import parse_taxonomy
from triage.enrich.learn import TopicModel, counts

TAX = parse_taxonomy({"topics": {"cooking": "Cooking", "sailing": "Sailing", "empty": "Nothing"}})
EXAMPLES = [
    ("Knead the dough, proof it overnight and bake the bread in a hot oven.", ["cooking"]),
    ("Braise the onions slowly; the sauce thickens as the stock reduces.", ["cooking"]),
    ("Reef the mainsail early when the wind rises above twenty knots.", ["sailing"]),
    ("Tack upwind, keep the jib trimmed and watch the tide at the harbour mouth.", ["sailing", "unknown"]),
]


def test_features_fold_plurals_and_drop_stop_words():
    assert counts("The chips and the batteries; chips!") == {"chip": 2, "battery": 1}


def test_learns_from_examples_and_is_deterministic():
    model = TopicModel.train(EXAMPLES, TAX)
    assert model.examples == {"cooking": 2, "sailing": 2}
    probs = model.predict("Bake the dough in the oven until the bread sounds hollow.")
    assert max(probs, key=probs.get) == "cooking"
    assert sum(probs.values()) == pytest.approx(1.0)
    again = TopicModel.train(EXAMPLES, TAX)
    assert again.to_json("x") == model.to_json("x")


def test_label_words_speak_for_topics_without_examples():
    model = TopicModel.train(EXAMPLES, TAX)
    assert model.similarities("nothing at all")["empty"] > 0


def test_cache_round_trip_and_staleness():
    model = TopicModel.train(EXAMPLES, TAX)
    text = model.to_json("fp1")
    loaded = TopicModel.from_json(text, "fp1")
    assert loaded is not None and loaded.predict("wind and tide") == model.predict("wind and tide")
    assert TopicModel.from_json(text, "fp2") is None
    assert TopicModel.from_json("not json", "fp1") is None


def test_unknown_words_give_no_opinion():
    assert TopicModel.train(EXAMPLES, TAX).predict("zzz qqq") == {}
