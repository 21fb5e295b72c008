"""Zotero annotations notes exported to Markdown (triage/sources/zotero.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.note import Highlight
from triage.sources import zotero

from .capture_helpers import (
    chrome_in,
    document,
    fixture,
    fixtures,
    mutated_bytes,
    other_fixtures,
    read_notes,
    reads_or_explains,
    run_pipeline,
    template_variants_still_read,
)

MINE = tuple(n for n in fixtures() if n.startswith("zotero"))


def test_every_field():
    (note,) = read_notes("zotero.md", as_name="Annotations.md")
    assert note.source_tool == "zotero"
    assert note.title == "Raman and Okafor (2023)"  # a generic export name: from the citation
    assert note.author == "Raman, Okafor"
    assert note.creator == "raman"
    assert note.url is None  # zotero:// links are not web addresses
    assert note.captured_date == dt.date(2024, 3, 5)  # the export time line
    assert note.published_date is None  # the citation gives a year only
    assert note.platform == "unknown"
    assert note.format == "paper"
    assert note.extra == {}
    assert note.read_reasons == []


@pytest.mark.parametrize(
    "name, title",
    [
        ("Dense Retrieval Under Drift.md", "Dense Retrieval Under Drift"),
        ("Annotations (3-5-2024, 9-14-07 PM).md", "Raman and Okafor (2023)"),
        ("Untitled.md", "Raman and Okafor (2023)"),
        ("Exported Items.md", "Raman and Okafor (2023)"),
    ],
)
def test_title_is_the_file_name_unless_generic(name, title):
    (note,) = read_notes("zotero.md", as_name=name)
    assert note.title == title


def test_highlights_comments_and_note_annotations():
    (note,) = read_notes("zotero.md", as_name="Annotations.md")
    assert note.highlights[:3] == [
        Highlight(
            "Retrieval quality degrades long before generation quality does, which is why end-to-end "
            "scores hide the failure for months.",
            "This matches what we saw in the Q1 evals.",
            [],
            "page 4",
        ),
        Highlight(
            "Re-ranking the top fifty candidates recovers most of the lost recall at a tenth of the "
            "cost of re-embedding the corpus.",
            "",
            [],
            "page 7",
        ),
        Highlight("", "Check whether Table 3 uses the same corpus as Table 1.", [], "page 9"),
    ]
    assert note.highlights[3].text.endswith("human-judged “hard negative”.")  # inner quotes kept
    for chrome in ("zotero://", "[pdf]", "Annotations", "2023, p.", "Check whether", "Q1 evals"):
        assert chrome not in note.content


@pytest.mark.parametrize(
    "line, date",
    [
        ("(3/5/2024, 9:14:07 PM)", dt.date(2024, 3, 5)),
        ("(05/03/2024, 21:14:07)", dt.date(2024, 3, 5)),
        ("(5.3.2024, 21:14:07)", dt.date(2024, 3, 5)),
        ("(2024-03-05 21:14:07)", dt.date(2024, 3, 5)),
        ("(13/5/2024, 9:14 PM)", dt.date(2024, 5, 13)),
        ("no date here", None),
    ],
)
def test_export_date_in_several_locales(line, date):
    assert zotero.export_date(line) == date


def test_broken_annotation_is_skipped_with_its_line():
    data = fixture("zotero.md").replace(
        b"([Raman and Okafor, 2023, p. 7](zotero", b"([Raman and Okafor, 2023, p. 7](zotero:/"
    )
    (note,) = read_notes("zotero.md", data, as_name="Annotations.md")
    assert len(note.highlights) == 3
    assert note.read_reasons == ["read: zotero: line 6 is not a complete annotation; skipped"]


def test_detects_by_structure_not_name():
    assert zotero.detect(document("zotero.md"))
    for name in other_fixtures(*MINE):
        assert not zotero.detect(document(name)), name


@settings(max_examples=150, deadline=None)
@given(data=mutated_bytes(fixture("zotero.md")))
def test_mutations_raise_only_capture_error(data):
    reads_or_explains("zotero.md", data)


@pytest.mark.nlp
def test_end_to_end(tmp_path, nlp):
    report, notes = run_pipeline(tmp_path, nlp, "zotero.md", "Annotations.md")
    assert report.failed == []
    ((title, props),) = notes
    assert title == "Raman and Okafor (2023)" and props["format"] == "paper"
    assert chrome_in(props, title) == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_customised_templates_still_read(data):
    """Sections reordered or dropped, heading levels, bullets, the reader's keys, no H1: still
    recognised, title, URL and author found, nothing quarantined (failed on the old registry)."""
    template_variants_still_read(data, "zotero")


def test_mdnotes_export():
    (n,) = read_notes("zotero-mdnotes.md", as_name="marchetti2017coordination.md")
    assert n.title == "Coordination Costs in Open Source Maintenance"
    assert n.author == "Helga Marchetti, Samuel Okonjo, Ines Varga"
    assert n.url == "https://journals-example.org/oss/coordination-costs"
    assert (str(n.published_date), str(n.captured_date)) == ("2017-09-01", "2021-03-04")
    assert [h.location for h in n.highlights] == ["page 607", "page 611", "page 611"]
    assert n.highlights[2].note == "Compare with our own rota experiment." and n.read_reasons == []


def test_zotero_integration_callouts():
    (n,) = read_notes("zotero-integration.md", as_name="@korhonen2021sleep.md")
    assert n.title == "Sleep Debt and Decision Quality in Emergency Dispatch"
    assert n.author == "Anneli Korhonen, Rafael Quintero"
    assert [h.location for h in n.highlights] == ["page 121", "page 124"]
    assert n.highlights[1].note == "Bring this to the rota committee."
    assert all("zotero://" not in h.text and "Page" not in h.text for h in n.highlights)
