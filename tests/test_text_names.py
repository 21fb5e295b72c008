import re

import pytest

from triage.text import blocks, bold_spans, slugify, strip_inline
from triage.vault.names import MAX_NAME, note_filename, safe_page_name, unique


def test_strip_inline_keeps_words():
    assert (
        strip_inline("The **most** [surprising](http://x) *point* [[Page|shown]] `code`[^1]")
        == "The most surprising point shown code"
    )


def test_blocks_plain_text_one_paragraph_per_line():
    text = "The Title\nFirst paragraph ends here.\nA Heading\nSecond paragraph, also ending."
    assert blocks(text) == [
        ("heading", "The Title"),
        ("para", "First paragraph ends here."),
        ("heading", "A Heading"),
        ("para", "Second paragraph, also ending."),
    ]


def test_blocks_joins_hard_wrapped_prose_and_drops_code_and_tables():
    text = (
        "This paragraph was wrapped by an editor at about seventy\ncolumns, so its lines must be "
        "joined back together\nbefore sentences are found.\n\n```\ncode()\n```\n| a | b |\n|---|---|\n"
        "- an item\n> a quote\n## Heading ##"
    )
    assert blocks(text) == [
        (
            "para",
            "This paragraph was wrapped by an editor at about seventy columns, so its lines must be "
            "joined back together before sentences are found.",
        ),
        ("item", "an item"),
        ("quote", "a quote"),
        ("heading", "Heading"),
    ]


def test_blocks_strip_thread_numbers_and_timestamps():
    assert blocks("1/ First post.\n\n[00:01:05] Tomas Ferreira: Because it is.") == [
        ("para", "First post."),
        ("para", "Because it is."),
    ]


def test_bold_spans():
    assert bold_spans("a **bold claim here** and **x**") == ["bold claim here"]


def test_slugify():
    assert (
        slugify("The AI Scaling Cliff Is Real—And Industry Leaders Know It")
        == "the_ai_scaling_cliff_is_real_and_industry_leaders_know_it"
    )
    assert slugify("Café à la crème") == "cafe_a_la_creme"
    assert slugify("On Scaling's End") == "on_scalings_end"


@pytest.mark.parametrize(
    "title",
    [
        "../../etc/passwd",
        "CON",
        'a:b*c?d"e<f>g|h#i^j[k]l',
        "x" * 500,
        "日本語のタイトル",
        "  ",
        "NUL.txt",
        "{{ 7*7 }}",
    ],
)
def test_note_filenames_are_safe(title):
    name = note_filename("20260218", "x", "article", title, "me@/..")
    assert name.endswith(".md") and len(name) <= MAX_NAME
    assert re.fullmatch(r"[A-Za-z0-9_@.-]+", name)
    assert ".." not in name.replace(".md", "")
    assert name.startswith("20260218-x_article-")


def test_seed_pattern():
    assert (
        note_filename("20260218", "x", "article", "The Post-Scaling Era for Frontier AI", "maithra_raghu")
        == "20260218-x_article-the_post_scaling_era_for_frontier_ai-@maithra_raghu.md"
    )


@pytest.mark.parametrize(
    "raw, safe",
    [
        ("AT&T", "AT&T"),
        ("a/b\\c", "a b c"),
        ("Foo: Bar?", "Foo Bar"),
        ("CON", "CON (page)"),
        ("trailing. ", "trailing"),
        ("[[x]]|y#z^", "x y z"),
        ("", "Unnamed"),
        ("..", "Unnamed"),
        ("Zoë", "Zoë"),
    ],
)
def test_safe_page_names(raw, safe):
    assert safe_page_name(raw) == safe


def test_unique_is_case_insensitive():
    taken = {"a.md"}
    assert unique("A.md", taken) == "A-2.md"
    assert unique("a.md", taken) == "a-3.md"


def test_footnote_markers_are_removed():
    assert strip_inline("time.[1] The graphs[12] show it.[^3]") == "time. The graphs show it."
