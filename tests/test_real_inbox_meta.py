"""Metadata and keys on real-shaped captures (issue 20): what holds for every capture tool.

Labels in any template style (`labelled_fields`), the reader's own keys never quarantining a
capture, stated dates in any form, placeholder titles, bylines, tracking parameters and mirrors.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.sources.common import label_meta, labelled_fields
from triage.sources.infer import infer_metadata
from triage.sources.keys import Accepted
from triage.sources.reader import read_file
from triage.sources.tidy import is_placeholder, strip_tracking, tidy_title, unmirror

from .conftest import NOW, OLD, drop

REAL = Path(__file__).parent / "fixtures" / "sources" / "real"
"""Texts we wrote in the shape of real users' files (customised templates, the reader's keys)."""
ACCEPTED = Accepted(frozenset({"energy"}), ("paradigm", "high", "medium", "low"))
MTIME_DAY = dt.date.fromtimestamp(OLD)  # no date stated: the file's time

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


# --- real-shaped fixtures: every field as a reader expects it ---------------------------------

# file -> (title, url, author, captured_date, published_date, keys kept under another name)
EXPECTED: dict[str, tuple[str, str | None, str | None, dt.date, dt.date | None, dict[str, object]]] = {
    "webclipper-status-digested.md": (
        "Why Small Batteries Win the Grid",
        "https://www.example-energy.org/posts/small-batteries",
        "Brett & Kate McKay",
        dt.date(2024, 5, 6),
        dt.date(2024, 5, 2),
        {"capture_status": "digested", "rating": 4},
    ),
    "webclipper-reader-keys.md": (
        "The Hidden Cost of Always-On Dashboards",
        "https://blog.example.net/always-on-dashboards",
        "Dana Whitfield",
        dt.date(2025, 9, 18),
        None,
        {
            "capture_status": "undefined",
            "capture_teleology": "learning",
            "capture_signal_tier": "must-read",
            "capture_topics": ["Reading List"],
            "capture_id": "7f3c2a10-5b1e-4d8e-9a43-2c1f0e6b9d77",
        },
    ),
    "custom-template-uuid.md": (
        "Notes on Incremental Builds",
        "https://engineering.example.com/incremental-builds",
        "Priya Raman",
        dt.date(2023, 10, 2),
        None,
        {"capture_id": "0b6e4f2c-91d3-4a7e-b8c5-3e2d1f0a9c84", "state": "archived"},
    ),
    "metadata-list.md": (
        "The Art of Manliness Podcast Notes",
        "https://www.example-podcasts.com/episodes/attention",
        "Brett & Kate McKay",
        dt.date(2022, 12, 19),
        None,
        {},
    ),
    "bold-labels.md": (
        "Sparse Retrieval Beats Dense on Long Documents",
        "https://research.example.edu/papers/sparse-long",
        "Lena Okafor",
        dt.date(2023, 6, 11),
        None,
        {},
    ),
    "dataview-fields.md": (
        "Designing for Slow Internet",
        "https://www.example.dev/talks/slow-internet",
        "Tomás Ferreira",
        dt.date(2024, 7, 5),
        None,
        {},
    ),
    "title-line-no-fences.md": (
        "为什么小型电池更重要",
        "https://www.example-cn.com/articles/small-batteries",
        None,
        dt.date(2024, 7, 5),
        None,
        {},
    ),
    "freedium-mirror.md": (
        "Stop Writing Clever Code",
        "https://medium.com/better-programming/stop-writing-clever-code-a1b2c3d4e5f6",
        "Marcus Lee",
        dt.date(2024, 2, 20),
        None,
        {"mirror_url": "https://freedium.cfd/a1b2c3d4e5f6"},
    ),
    "tab-count-published.md": (
        "The Case for Boring Technology",
        None,
        None,
        MTIME_DAY,
        dt.date(2024, 6, 25),
        {},
    ),
    "byline-suffix.md": (
        "How We Ship Every Day",
        "https://sampark.substack.com/p/how-we-ship?r=2abc",
        "Sam Park",
        dt.date(2024, 4, 1),
        None,
        {},
    ),
    "[English (auto-generated)] Grid Storage Explained [DownSub.com].txt": (
        "Grid Storage Explained",
        None,
        None,
        MTIME_DAY,
        None,
        {},
    ),
    "Deep-Work.md": ("Deep Work", None, None, MTIME_DAY, None, {}),
    "thread-placeholder.md": (
        "Why podcast ads stopped working",
        "https://threadreaderapp.com/thread/1790011122233344455.html",
        "@kestrel_pod",
        dt.date(2024, 5, 14),
        None,
        {},
    ),
    "Notes on grid storage costs.md": (
        "Notes on grid storage costs",
        "https://www.example-energy.org/grid-costs",
        None,
        dt.date(2023, 6, 11),
        None,
        {},
    ),
    "markdownload-untitled.md": ("Grid Storage Is Cheaper Than You Think", None, None, MTIME_DAY, None, {}),
}


def read_real(name: str, data: bytes | None = None):
    path = REAL / name
    note = read_file(path.read_bytes() if data is None else data, Path("/inbox") / name, 10**7, OLD)[0]
    return infer_metadata(note, ACCEPTED)


def test_every_real_fixture_has_its_expectation():
    assert sorted(p.name for p in REAL.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_shaped_capture_reads_fully(name):
    title, url, author, captured, published, kept = EXPECTED[name]
    note = read_real(name)  # never a CaptureError: nothing here is quarantined
    assert (note.title, note.url, note.author) == (title, url, author)
    assert (note.captured_date, note.published_date) == (captured, published)
    for key, value in kept.items():
        assert note.extra[key] == value
        if key.startswith("capture_"):  # kept under a name that says whose it is, with a reason
            assert any(f"`{key}`" in r for r in note.read_reasons), note.read_reasons
    assert note.given.get("status") is None and note.given.get("teleology") is None


@pytest.mark.nlp
def test_real_shaped_captures_are_never_quarantined(ws, nlp):
    from triage.pipeline import run, validate

    for path in REAL.iterdir():
        drop(ws, path.name, path.read_bytes())
    drop(ws, "reader-topics.md", "---\ntopics: [Reading List]\nsignal_tier: must-read\n---\nA note on grids.")
    report = run(ws, now=NOW, nlp=nlp)
    assert report.failed == [] and len(report.processed) == len(EXPECTED) + 1
    assert validate(ws) == []


def test_triage_schema_stays_strict():
    from triage.errors import CaptureError

    bad = b"---\nid: SOURCE-20260101-001\nstatus: digested\n---\nTyped in triage's schema.\n"
    with pytest.raises(CaptureError, match="status"):
        infer_metadata(read_file(bad, Path("/inbox/a.md"), 10**7, OLD)[0], ACCEPTED)


def test_a_used_id_in_a_readers_frontmatter_is_kept_not_refused():
    data = b"---\nid: SOURCE-20260101-001\nrating: 5\n---\nSomeone else's key set.\n"
    used = Accepted(ids=frozenset({"SOURCE-20260101-001"}))
    note = infer_metadata(read_file(data, Path("/inbox/a.md"), 10**7, OLD)[0], used)
    assert note.id is None and note.extra["capture_id"] == "SOURCE-20260101-001"


def test_tool_keys_named_like_triages_are_kept():
    from triage.sources.common import tool_extra

    assert tool_extra({"status": "digested", "id": "x", "rating": 4}, {"id": "omnivore_id"}) == {
        "capture_status": "digested",
        "omnivore_id": "x",
        "rating": 4,
    }


# --- titles, URLs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, title, author",
    [
        ("Why X Fails | by Jane Roe | in Towards Data Science - Freedium", "Why X Fails", "Jane Roe"),
        ("Why X Fails | by Jane Roe | Geek Culture", "Why X Fails", "Jane Roe"),
        ("Why X Fails - by Jane Roe", "Why X Fails", "Jane Roe"),
        ("(99+) Inbox Zero Is a Lie", "Inbox Zero Is a Lie", None),
        ("(3) Inbox Zero Is a Lie", "Inbox Zero Is a Lie", None),
        ("[English (auto-generated)] Grid Talk [DownSub.com]", "Grid Talk", None),
        ("Thread by @kestrel_pod", "Thread by @kestrel_pod", "@kestrel_pod"),
        ("A - B: a title with dashes", "A - B: a title with dashes", None),
        ("(2024) in review", "(2024) in review", None),
        ("Notes - by chapter", "Notes - by chapter", None),  # no name after "by"
        ("Why X | by Ana de la Cruz | Geek Culture", "Why X", "Ana de la Cruz"),
    ],
)
def test_tidy_title(raw, title, author):
    assert tidy_title(raw) == (title, author)


@pytest.mark.parametrize(
    "title",
    ["(no title)", "Untitled", "markdownload-untitled", "Thread by @x on Thread Reader App", "Metadata"],
)
def test_placeholders(title):
    assert is_placeholder(title)
    assert not is_placeholder("Metadata for the rest of us")


def test_tracking_parameters_go_the_rest_stays():
    url = "https://e.com/a?b=2&utm_source=x&fbclid=1&gclid=2&ref_src=tw&a=1#top"
    assert strip_tracking(url) == "https://e.com/a?b=2&a=1#top"
    assert strip_tracking("https://e.com/a?b=2") == "https://e.com/a?b=2"


def test_mirrors():
    medium = "https://medium.com/p/abc"
    assert unmirror("https://freedium.cfd/https://medium.com/p/abc", "") == medium
    assert unmirror("https://freedium.cfd/abc", f"[< Go to the original]({medium})") == medium
    assert unmirror("https://example.com/abc", f"[Go to the original]({medium})") is None  # no mirror
    assert unmirror("https://freedium.cfd/abc", "no link") is None


# --- property: a labelled capture mutated the way templates do still reads --------------------

FIELDS = {
    "title": "Grid Storage After the Boom",
    "url": "https://www.example-energy.org/storage-after-boom",
    "author": "Ines Moreau",
    "date": "2024-03-05",
}
NAMES = {
    "title": ["title", "Title", "Full Title"],
    "url": ["source", "URL", "Source URL", "link"],
    "author": ["author", "Author", "Authors", "By"],
    "date": ["created", "Created date", "date created", "Date Highlighted", "Date_Saved"],
}
READER_KEYS = [
    ("status", "digested"),
    ("id", "5d1c9e3a-0b2f-4c7e-8a61-9f3e2d4c1b0a"),
    ("teleology", "learning"),
    ("topics", "[Reading List]"),
    ("signal_tier", "must-read"),
    ("rating", "4"),
    ("aliases", "[storage after boom]"),
]
BODY = "The storage boom left the grid with more batteries than connections to use them."


def _label(style: str, name: str, value: str) -> str:
    return {
        "plain": f"{name}: {value}",
        "bullet": f"- {name}: {value}",
        "bold": f"**{name}**: {value}",
        "bold-colon-inside": f"**{name}:** {value}",
        "dataview": f"{name}:: {value}",
        "bold-dataview": f"**{name}**:: {value}",
    }[style]


STYLES = ["plain", "bullet", "bold", "bold-colon-inside", "dataview", "bold-dataview"]


@st.composite
def labelled_capture(draw: st.DrawFn) -> tuple[str, str]:
    """A capture whose four fields are labelled in any order, each in the frontmatter (when there
    is one) or in the body in any label style, with reader's keys added and the H1 kept,
    removed or replaced by a section heading."""
    order = draw(st.permutations(list(FIELDS)))
    has_frontmatter = draw(st.booleans())
    keys = draw(st.lists(st.sampled_from(READER_KEYS), max_size=4, unique=True)) if has_frontmatter else []
    head, body = [], []
    for field in order:
        name = draw(st.sampled_from(NAMES[field]))
        if has_frontmatter and draw(st.booleans()):
            head.append(f"{name}: {FIELDS[field]}")
        else:
            body.append(_label(draw(st.sampled_from(STYLES)), name, FIELDS[field]))
    heading = draw(st.sampled_from(["", f"# {FIELDS['title']}\n\n", "# Metadata\n\n", "## Highlights\n\n"]))
    text = heading + "\n".join(body) + "\n\n" + BODY + "\n"
    if has_frontmatter:
        text = "---\n" + "\n".join([*head, *(f"{k}: {v}" for k, v in keys)]) + "\n---\n" + text
    name = draw(st.sampled_from(["capture.md", "untitled.md", "2024-01-01.md"]))
    return name, text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(labelled_capture())
def test_labelled_capture_mutated_like_templates_still_reads(case):
    name, text = case
    note = infer_metadata(read_file(text.encode(), Path("/inbox") / name, 10**7, OLD)[0], ACCEPTED)
    assert note.title == FIELDS["title"], text
    assert note.url == FIELDS["url"], text
    assert note.author == FIELDS["author"], text
    assert note.captured_date == dt.date(2024, 3, 5), text
    assert note.given.get("status") in (None, "triaged") and "topics" not in note.given


def test_dateparser_is_imported_only_for_a_date_the_cheap_parsers_cannot_read():
    import subprocess
    import sys

    code = (
        "import sys\nfrom pathlib import Path\nfrom triage.sources.reader import read_file\n"
        "from triage.sources.infer import infer_metadata\n"
        "def go(text):\n"
        "    infer_metadata(read_file(text.encode(), Path('/inbox/a.md'), 10**7, 1.7e9)[0])\n"
        "    return 'dateparser' in sys.modules\n"
        "a = go('---\\ncreated: 2024-03-05\\n---\\n# T\\n\\nPublished: 25 June 2024\\n')\n"
        "b = go('---\\ncreated: 5. M\\u00e4rz 2024\\n---\\nText.\\n')\n"
        "print(a, b)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=400)
    | st.lists(st.sampled_from(["**a**:", "b::", "- c:", "[d:: e]", "x", "\n", "  - f"])).map("".join)
)
def test_labelled_fields_never_raises(text):
    fields = labelled_fields(text)
    assert all(isinstance(k, str) and isinstance(v, str) and v for k, v in fields.items())
    assert isinstance(label_meta(fields), dict)


@settings(max_examples=20, deadline=None)
@given(st.text(max_size=30).map(lambda t: t + " 2024") | st.integers() | st.floats(allow_nan=True))
def test_lenient_date_never_raises(value):
    from triage.sources.dates import lenient_date

    day = lenient_date(value)
    assert day is None or dt.date(1900, 1, 1) <= day <= dt.date(2100, 12, 31)
