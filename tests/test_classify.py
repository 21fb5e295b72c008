import pytest

from triage.config import default_text, parse_rules, parse_taxonomy
from triage.enrich.classify import classify
from triage.errors import CaptureError, ConfigError
from triage.note import Note
from triage.vault.yamlio import safe_load_mapping

TAX = parse_taxonomy(
    {
        "topics": {
            "energy": {"label": "Energy", "keywords": ["grid", "power plant", "electricity", "utility"]},
            "chips": {"label": "Chips", "keywords": ["GPU", "semiconductor", "chip"]},
            "cooking": {"label": "Cooking", "keywords": ["recipe", "oven"]},
        }
    }
)
RULES = parse_rules(safe_load_mapping(default_text("rules.yaml")))


def make(text: str, **kw) -> Note:
    n = Note(source=__import__("pathlib").Path("x.md"), body=text, clean_text=text, **kw)
    n.words = len(text.split())
    n.lemmas = [w.lower().rstrip("s") for w in text.split()]
    return n


def test_topics_by_keywords_with_reasons():
    n = classify(
        make(
            "The grid cannot supply the electricity. Every utility waits for chips and GPUs; chip "
            "shortages and semiconductor delays hit every GPU order. "
            "Grid upgrades take years; electricity prices rise; the grid is old."
        ),
        TAX,
        RULES,
    )
    assert set(n.topics) == {"energy", "chips"}
    assert n.reasons[0].startswith("topics: ") and "grid×" in n.reasons[0]


def test_no_topic_fits():
    n = classify(make("A quiet walk in the park with a friend."), TAX, RULES)
    assert n.topics == [] and "none" in n.reasons[0]


def test_inbox_folder_hints_a_topic():
    n = classify(make("Bake it slowly.", inbox_folder="Cooking"), TAX, RULES)
    assert n.topics == ["cooking"]


def test_given_topics_must_exist():
    with pytest.raises(CaptureError, match="not in taxonomy"):
        classify(make("x", given={"topics": ["astrology"]}), TAX, RULES)


@pytest.mark.parametrize(
    "text, fmt, platform, teleology",
    [
        (
            "How to install the library: step by step, run this command and configure it.",
            "note",
            "web",
            "implement",
        ),
        (
            "My take: the key implication is that scaling means that costs rise. "
            "In other words, the thesis holds.",
            "article",
            "web",
            "synthesize",
        ),
        ("OpenAI announced a new model today; the release was reported this week.", "post", "x", "monitor"),
        (
            "A definition and glossary of terms, with a table and a list of benchmark results.",
            "paper",
            "arxiv",
            "reference",
        ),
        ("What if we are wrong? Maybe. I wonder about this open problem.", "note", "web", "explore"),
        ("Nothing special here at all.", "note", "web", "explore"),
    ],
)
def test_teleology_rules(text, fmt, platform, teleology):
    n = classify(make(text, format=fmt, platform=platform), TAX, RULES)
    assert n.teleology == teleology
    assert any(r.startswith(f"teleology: {teleology}") for r in n.reasons)


def test_tier_rules():
    short = classify(make("One small thought."), TAX, RULES)
    assert short.signal_tier == "low"
    long_text = "A fundamental shift: the end of an era and a new regime, a turning point. " * 60
    deep = classify(make(long_text, evidence=3.0), TAX, RULES)
    assert deep.signal_tier == "paradigm"
    assert "rule 1" in deep.reasons[-1]


def test_bad_vocabulary_files():
    with pytest.raises(ConfigError):
        parse_taxonomy({"topics": {"Bad Id": "x"}})
    with pytest.raises(ConfigError):
        parse_taxonomy({"nothing": 1})
    data = safe_load_mapping(default_text("rules.yaml"))
    data["tier_default"] = "legendary"
    with pytest.raises(ConfigError, match="legendary"):
        parse_rules(data)
