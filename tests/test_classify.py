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


def test_teleology_comes_from_the_model_with_its_reasons():
    """Each kind of evidence is tested in test_teleology.py; here: classify fills it and says why."""
    text = (
        "In this tutorial you build the site and run it on your machine.\n\n"
        "1. Install the package, then open a terminal in your project folder.\n"
        "2. Run the build. You should see the files appear in `dist/`.\n\n"
        "```sh\n$ make build\n$ make serve\n```\n\n"
        "3. Open the page in your browser and edit the title; your change shows at once.\n"
    )
    n = classify(make(text), TAX, RULES)
    assert n.teleology == "implement"
    why = next(r for r in n.reasons if r.startswith("teleology: implement p="))
    assert any(w in why for w in ("numbered steps", "commands", "instructions", "code", "'you'")), why


def test_tier_rules():
    short = classify(make("One small thought."), TAX, RULES)
    assert short.signal_tier == "low"
    # the seeds' vocabulary repeated at length is no longer a paradigm (issue 21): no claim, no evidence
    long_text = "A fundamental shift: the end of an era and a new regime, a turning point. " * 60
    deep = classify(make(long_text, evidence=3.0), TAX, RULES)
    assert deep.signal_tier == "low"
    assert deep.reasons[-1].startswith("signal_tier: low (substance ")


def test_bad_vocabulary_files():
    with pytest.raises(ConfigError):
        parse_taxonomy({"topics": {"Bad Id": "x"}})
    with pytest.raises(ConfigError):
        parse_taxonomy({"nothing": 1})
    data = safe_load_mapping(default_text("rules.yaml"))
    data["tier_default"] = "legendary"
    with pytest.raises(ConfigError, match="legendary"):
        parse_rules(data)


# --- calibrated assignment -------------------------------------------------------------------------

AI = parse_taxonomy(safe_load_mapping(default_text("taxonomy.yaml")))
REVIEWED = [
    (
        "Nvidia shipped more GPUs to the data center market; each cluster draws megawatts of power.",
        ["compute"],
    ),
    ("TSMC builds the chips; semiconductor fabs take years and the GPU shortage drives prices.", ["compute"]),
    ("Inference hardware: the new accelerator doubles FLOPs per watt in the data center.", ["compute"]),
    ("The grid cannot power the next cluster; data centers wait years for energy.", ["compute"]),
    ("Reward models and RLHF shape post-training; fine-tuning on synthetic data helps.", ["training"]),
    (
        "Distillation of a large model into a small one needs a good dataset and careful fine-tuning.",
        ["training"],
    ),
    ("Reinforcement learning from feedback is the heart of post-training for chat models.", ["training"]),
    ("Instruction tuning with curated examples improves the model after pretraining.", ["training"]),
]
COOKING = (
    "Whisk the eggs with sugar, fold in the flour and bake the cake for forty minutes at 180 degrees. "
    "Let it cool on a rack before icing it with lemon glaze."
)
TOKEN_BUCKET = (
    "Rate limiting with a token bucket: the bucket refills tokens at a fixed rate; each request takes "
    "a token or waits. Burst size is the bucket's capacity."
)


def calibrated_model():
    from triage.enrich.classify import keyword_scorer
    from triage.enrich.learn import TopicModel

    return TopicModel.train_calibrated(
        REVIEWED, AI, keyword_scorer(AI), RULES.topic_threshold, RULES.topic_probability
    )


def test_a_clear_case_gets_its_topic_with_a_probability_and_reasons():
    n = classify(
        make("Chip makers race to build GPU clusters: the data center boom needs semiconductor fabs."),
        AI,
        RULES,
        model=calibrated_model(),
    )
    assert n.topics[0] == "compute"
    reason = n.reasons[0]
    assert reason.startswith("topics: compute p=") and "(model " in reason and "keywords " in reason
    p = dict(n.topic_scores)["compute"]
    assert RULES.topic_probability <= p <= 1


@pytest.mark.parametrize("with_model", [True, False])
def test_an_off_taxonomy_note_gets_no_topic(with_model):
    n = classify(make(COOKING), AI, RULES, model=calibrated_model() if with_model else None)
    assert n.topics == [] and n.reasons[0].startswith("topics: none")


@pytest.mark.parametrize("with_model", [True, False])
def test_one_ambiguous_word_never_assigns_a_topic(with_model):
    n = classify(make(TOKEN_BUCKET), AI, RULES, model=calibrated_model() if with_model else None)
    assert "gpt" not in n.topics
    assert "token×" in n.reasons[0] and "alone" in n.reasons[0]


def test_two_keywords_or_a_phrase_do_count():
    two = classify(make("The GPU shortage hit every chip and semiconductor order."), AI, RULES)
    phrase = classify(make("Inference cost fell; the training cost did not."), AI, RULES)
    assert "compute" in two.topics
    assert "cost-optimization" in phrase.topics


def test_calibration_is_fitted_on_the_reviewed_notes():
    from triage.enrich.calibrate import Calibration

    model = calibrated_model()
    assert model.calibration.notes == len(REVIEWED)
    assert model.calibration != Calibration.prior(RULES.topic_threshold, RULES.topic_probability)


def test_the_empty_taxonomy_assigns_nothing():
    empty = parse_taxonomy({"topics": {}})
    n = classify(make("The grid cannot supply the electricity."), empty, RULES)
    assert n.topics == [] and "no topics yet" in n.reasons[0]
