"""Whose handle is it (`triage.enrich.handles`): a handle joins the person the vault says it
belongs to, whichever capture came first, and a handle page the user curated keeps its handle."""

from __future__ import annotations

import pytest

from triage.config import Workspace
from triage.enrich.handles import author_handle, bare_handle_page, handle_owners, join_handles, same_as
from triage.pipeline import run
from triage.vault.catalog import load_entity_pages, load_notes

from .conftest import NOW, drop

HANDLE_ONLY = (
    "# Benchmarks saturate\n\nA long thread from @mvoss_writes on why evaluation suites stop "
    "measuring anything within a year of release. The argument is that labs train on whatever "
    "is public, so the only durable evaluations are private, refreshed and audited by people "
    "with no stake in the result. Worth reading in full before the next planning cycle.\n"
)
AUTHORED = (
    '---\nauthor: "Mira Voss (@mvoss_writes)"\ntitle: Private evals\n---\n'
    "# Private evals\n\nMira Voss has run evaluation teams at three companies. In this essay "
    "she lays out how a private evaluation suite is built, who should own it, and why it has to "
    "be refreshed every quarter. The costs are modest next to a training run; the benefit is a "
    "number that still means something a year later.\n"
)
LATER = (
    "# Follow-up\n\nAnother post by @mvoss_writes adds numbers: the refreshed suite caught two "
    "regressions that the public benchmarks missed entirely, both in long-context retrieval, and "
    "the team fixed them before release. The rest of the post is a list of open questions.\n"
)


def test_author_lines_and_person_pages_say_whose_handle_it_is():
    assert author_handle("Mira Voss (@mvoss_writes)") == ("Mira Voss", "mvoss_writes")
    assert author_handle("Mira Voss") is None and author_handle("@a (@a)") is None
    pages = [("M. Voss", "person", ["@mvoss_writes"]), ("@kpod", "person", [])]
    owners = handle_owners(pages, ["Mira Voss (@mvoss_writes)", "Kay Pod (@kpod)"])
    assert owners == {"mvosswrites": "M. Voss", "kpod": "Kay Pod"}  # the user's page first
    assert bare_handle_page(("@kpod", "person", ["@KPod"]))
    assert not bare_handle_page(("@kpod", "organization", []))
    assert not bare_handle_page(("@kpod", "person", ["Kay"]))  # the user gave it a name
    known = {"kpod": ("@kpod", "person"), "mvosswrites": ("M. Voss", "person")}
    joined = join_handles(known, owners, pages)
    assert joined["kpod"] == ("Kay Pod", "person") and joined["mvosswrites"] == ("M. Voss", "person")
    curated = ("@kpod", "organization")
    assert join_handles({"kpod": curated}, owners, [(*curated, [])])["kpod"] == curated
    assert same_as(pages, owners) == {"@kpod": "Kay Pod"}
    one_word = [("Kestrel", "person", []), ("@kestrel_pod", "person", [])]  # the handle starts with it
    assert handle_owners(one_word, []) == {"kestrelpod": "Kestrel"}


def entities_of(ws: Workspace) -> dict[str, list[str]]:
    return {r.title: r.entities for r in load_notes(ws.vault)}


@pytest.mark.nlp
def test_a_handle_page_made_first_joins_the_person_named_later(ws, nlp):
    drop(ws, "a.md", HANDLE_ONLY)
    run(ws, now=NOW, nlp=nlp)
    assert "@mvoss_writes" in {p.name for p in load_entity_pages(ws.vault)}
    first = {r.path: (ws.vault / r.path).read_bytes() for r in load_notes(ws.vault)}

    drop(ws, "b.md", AUTHORED)
    run(ws, now=NOW, nlp=nlp)
    drop(ws, "c.md", LATER)
    run(ws, now=NOW, nlp=nlp)

    pages = {p.name: p for p in load_entity_pages(ws.vault)}
    assert pages["Mira Voss"].type == "person" and "@mvoss_writes" in pages["Mira Voss"].aliases
    found = entities_of(ws)
    assert found["Benchmarks saturate"] == ["@mvoss_writes"]  # written before anyone knew
    assert "Mira Voss" in found["Private evals"] and found["Follow-up"] == ["Mira Voss"]
    assert all((ws.vault / p).read_bytes() == b for p, b in first.items())  # a is never rewritten
    person = (ws.vault / "entities" / "Mira Voss.md").read_text(encoding="utf-8")
    assert "mentioned in 3 notes" in person  # a (by the handle), b and c
    handle = (ws.vault / "entities" / "@mvoss_writes.md").read_text(encoding="utf-8")
    assert "This handle belongs to [[Mira Voss]]" in handle and "mentioned in" not in handle
    index = (ws.vault / "Entities.md").read_text(encoding="utf-8")
    assert "[[Mira Voss]] · person · 3 notes" in index and "[[@mvoss_writes]]" not in index


@pytest.mark.nlp
def test_a_handle_seen_after_its_owner_links_the_person(ws, nlp):
    drop(ws, "b.md", AUTHORED)
    run(ws, now=NOW, nlp=nlp)
    pages = {p.name: p for p in load_entity_pages(ws.vault)}
    assert "@mvoss_writes" in pages["Mira Voss"].aliases  # the author line's handle, recorded
    drop(ws, "a.md", HANDLE_ONLY)
    run(ws, now=NOW, nlp=nlp)
    assert {p.name for p in load_entity_pages(ws.vault)} == {"Mira Voss"}
    found = entities_of(ws)
    assert found == {"Private evals": ["Mira Voss"], "Benchmarks saturate": ["Mira Voss"]}


@pytest.mark.nlp
def test_a_handle_page_the_user_curated_keeps_its_handle(ws, nlp):
    drop(ws, "a.md", HANDLE_ONLY)
    run(ws, now=NOW, nlp=nlp)
    page = ws.vault / "entities" / "@mvoss_writes.md"
    page.write_text(page.read_text(encoding="utf-8").replace("type: person", "type: organization"), "utf-8")
    drop(ws, "b.md", AUTHORED)
    drop(ws, "c.md", LATER)
    run(ws, now=NOW, nlp=nlp)
    found = entities_of(ws)
    assert found["Benchmarks saturate"] == found["Follow-up"] == ["@mvoss_writes"]  # the user's page
    assert "This handle belongs" not in page.read_text(encoding="utf-8")


def _note(name: str, entities: list[tuple[str, str]]):
    from pathlib import Path

    from triage.note import Entity, Note

    note = Note(source=Path(f"/inbox/{name}.md"), title=name)
    note.entities = [Entity(n, t, [], 1.0 - i / 10) for i, (n, t) in enumerate(entities)]
    return note


def test_a_handle_joins_a_one_word_person_of_the_same_run_before_anything_is_written():
    from triage.enrich.handles import join_batch

    a = _note("a", [("@kestrel_pod", "person"), ("Acme Labs", "organization")])
    b = _note("b", [("Kestrel", "person")])
    c = _note("c", [("@kestrel_pod", "person"), ("Kestrel", "person")])  # both in one capture: one entity
    d = _note("d", [("@kestrel_pod", "person")])
    join_batch([a, b, c], {})
    assert [(e.name, e.aliases) for e in a.entities] == [("Kestrel", ["@kestrel_pod"]), ("Acme Labs", [])]
    assert [(e.name, e.aliases) for e in c.entities] == [("Kestrel", ["@kestrel_pod"])]
    join_batch([d], {})  # nobody of that name in the run: the handle stays
    assert [e.name for e in d.entities] == ["@kestrel_pod"]
    e = _note("e", [("@kestrel_pod", "person"), ("Kestrel", "person")])
    join_batch([e], {"kestrelpod": ("@kestrel_pod", "organization")})  # the vault places it: left alone
    assert [e.name for e in e.entities] == ["@kestrel_pod", "Kestrel"]
    f = _note("f", [("@kes_pod", "person"), ("Kes", "person")])  # a first part of 3 letters proves nothing
    join_batch([f], {})
    assert [x.name for x in f.entities] == ["@kes_pod", "Kes"]
