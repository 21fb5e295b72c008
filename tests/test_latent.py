"""The vault's semantic space for related notes (enrich/latent.py)."""

from __future__ import annotations

import random

import pytest

from triage.enrich import latent

SPORT = ["match", "goal", "striker", "league", "coach", "penalty", "season", "referee"]
MARKET = ["shares", "profit", "investor", "quarter", "earnings", "dividend", "stock", "revenue"]
SPORT += [f"sport{i}" for i in range(22)]  # more words than the space has directions
MARKET += [f"market{i}" for i in range(22)]


def notes(count: int) -> list[dict[str, int]]:
    """Notes about one of two subjects, each using a random half of its subject's words."""
    rng = random.Random(3)
    out = []
    for i in range(count):
        words = rng.sample(SPORT if i % 2 else MARKET, 8) + rng.sample(["today", "report", "week", "new"], 2)
        out.append({w: rng.randint(1, 3) for w in words})
    return out


def test_notes_on_one_subject_are_near_without_sharing_a_word():
    space = latent.fit(notes(240), 240)
    assert space is not None and set(SPORT + MARKET) <= set(space.terms)  # (fillers in over half: dropped)
    assert space.basis.shape == (len(space.terms), latent.dims(240))
    a = space.vector(dict.fromkeys(SPORT[:6], 1))
    b = space.vector(dict.fromkeys(SPORT[6:12], 1))
    c = space.vector(dict.fromkeys(MARKET[:6], 1))
    assert a is not None and b is not None and c is not None
    assert space.similarity(a, b) > 0.1 > space.similarity(a, c)  # no shared word, yet near; c is not
    assert space.similarity(a, a) == pytest.approx(1.0)
    assert space.vector({"unknown": 3}) is None


def test_too_few_notes_make_no_space_and_the_cache_round_trips(tmp_path):
    assert latent.fit(notes(latent.MIN_NOTES - 1), 199) is None
    calls = []

    def counts(path: str) -> dict[str, int]:
        calls.append(path)
        return rows[int(path)]

    rows = notes(240)
    paths = [str(i) for i in range(240)]
    assert latent.current(tmp_path, paths[:150], counts) is None and not calls  # too small: nothing read
    space = latent.current(tmp_path, paths, counts)
    assert space is not None and len(calls) == 240 and (tmp_path / latent.FILE).is_file()
    again = latent.current(tmp_path, paths + ["0"] * 50, counts)  # 290 < 1.25 x 240: the cache
    assert again is not None and len(calls) == 240
    assert again.terms == space.terms and again.background == pytest.approx(space.background)
    assert (again.basis == space.basis).all()
    assert latent.current(tmp_path, paths + ["1"] * 60, counts) is not None and len(calls) == 540  # refitted
    (tmp_path / latent.FILE).write_bytes(b"not numpy")
    assert latent.load(tmp_path) is None  # a broken cache is ignored (and fitted again)


def test_dims_grow_with_the_vault():
    assert latent.dims(200) == 20 and latent.dims(10_000) == 100 and latent.dims(10) == 8
