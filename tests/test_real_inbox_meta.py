"""Metadata and keys on real-shaped captures (issue 20): what holds for every capture tool.

Labels in any template style (`labelled_fields`), the reader's own keys never quarantining a
capture, stated dates in any form, placeholder titles, bylines, tracking parameters and mirrors.
"""

from __future__ import annotations

import pytest

from triage.sources.common import label_meta, labelled_fields

# --- labelled_fields: one reader for every template's labels ---------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Source: https://example.org/a",
        "source: https://example.org/a",
        "- Source: https://example.org/a",
        "* Source: https://example.org/a",
        "**Source**: https://example.org/a",
        "**Source:** https://example.org/a",
        "- **Source**: https://example.org/a",
        "Source:: https://example.org/a",
        "**Source**:: https://example.org/a",
        "[Source:: https://example.org/a]",
        "> - Source: https://example.org/a",
        "__Source__: https://example.org/a",
        'source: "https://example.org/a"',
    ],
)
def test_every_label_style_is_read(line):
    assert labelled_fields(f"# T\n\n{line}\n\nBody text here.")["source"] == "https://example.org/a"


def test_labels_are_folded_and_the_first_value_wins():
    fields = labelled_fields("Date_Created: 2023-06-11\nCreated-Date: x\nAuthor: A\nAuthor: B\n")
    assert fields == {"date created": "2023-06-11", "created date": "x", "author": "A"}


def test_a_yaml_list_under_an_empty_key_is_joined():
    text = '---\ntitle: "T"\nauthor:\n  - "[[Ada Lovelace]]"\n  - "[[Charles Babbage]]"\npublished:\n---\n'
    fields = labelled_fields(text)
    assert fields["author"] == "[[Ada Lovelace]], [[Charles Babbage]]"
    assert "published" not in fields  # empty, no list under it


@pytest.mark.parametrize(
    "text",
    [
        "https://example.org/a: not a label",
        "## Source: a heading",
        "```\nSource: in code\n```",
        "10:30 the meeting started",
        "Source:https://no-space.example",
        "x" * 700 + "\nSource" + "y" * 700 + ": z",
    ],
)
def test_what_is_not_a_label(text):
    assert "source" not in labelled_fields(text)


def test_labelled_fields_is_bounded():
    text = "filler line\n" * 500 + "Author: Late Label\n"
    assert "author" not in labelled_fields(text)
    assert labelled_fields(text, max_lines=1000)["author"] == "Late Label"


def test_label_meta_maps_the_labels_people_use():
    fields = labelled_fields(
        "title: The Real Title\n- Full Title: The Real Full Title\n**Written by**: Brett &#38; Kate McKay\n"
        "Created date: 2023-06-11 16:04\nDate Highlighted: [[2022-12-19-Monday]]\n"
        "Published: 25 June 2024\nLink: [here](https://example.org/p?utm_source=x)\nSource: a friend\n"
    )
    assert label_meta(fields) == {
        "title": "The Real Full Title",
        "url": "https://example.org/p?utm_source=x",
        "author": "Brett & Kate McKay",
        "published_date": "25 June 2024",
        "captured_date": "2023-06-11 16:04",
    }


def test_a_url_label_without_an_address_is_not_a_url():
    assert "url" not in label_meta(labelled_fields("Source: a friend at work\n"))


# --- dates: what is stated is used -------------------------------------------------------------


@pytest.mark.parametrize(
    "value, day",
    [
        (1758181627873, "2025-09-18"),  # epoch milliseconds (YAML reads a number)
        ("1758181627", "2025-09-18"),  # epoch seconds
        ("星期五, 七月 5日 2024, 6:20:56 晚上", "2024-07-05"),  # moment.js zh-cn
        ("2024年7月5日", "2024-07-05"),
        ("Freitag, 5. Juli 2024 18:20", "2024-07-05"),
        ("5. März 2024", "2024-03-05"),
        ("12 juillet 2023", "2023-07-12"),
        ("martes, 5 de marzo de 2024 21:14:07", "2024-03-05"),
        ("2023-06-11 16:04", "2023-06-11"),
        ("[[2022-12-19-Monday]]", "2022-12-19"),
        ("25 June 2024", "2024-06-25"),
        ("2024-03-06T10:22:31 (UTC +01:00)", "2024-03-06"),
    ],
)
def test_stated_dates_are_read(value, day):
    from triage.sources.dates import lenient_date

    assert str(lenient_date(value)) == day


@pytest.mark.parametrize("value", ["yesterday", "page 2024", "12", 2024, True, "x" * 200 + " 2024", "10:30"])
def test_what_is_not_a_date(value):
    from triage.sources.dates import lenient_date

    assert lenient_date(value) is None
