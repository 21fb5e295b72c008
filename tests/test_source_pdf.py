"""PDFs: reading order, running headers and page numbers, hyphenation, paragraphs; every field."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tests.fixtures.sources import make_pdfs
from tests.pdfwriter import Line, Page, build_pdf
from triage.sources import pdf
from triage.sources.base import Document
from triage.sources.infer import infer_metadata
from triage.sources.pdflayout import PageText, Span, order
from triage.sources.reader import read_file

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
MTIME = dt.datetime(2026, 3, 1, 12, 0).timestamp()


def read(data: bytes, name: str = "paper.pdf"):
    notes = read_file(data, Path("/inbox") / name, 10**8, MTIME)
    assert len(notes) == 1
    return infer_metadata(notes[0])


def fixture(name: str):
    return read((FIXTURES / name).read_bytes(), name)


def test_fixtures_are_what_make_pdfs_writes():
    for name, make in make_pdfs.FIXTURES.items():
        assert (FIXTURES / name).read_bytes() == make(), f"regenerate {name} with make_pdfs.py"


def test_two_column_article_reads_column_by_column_as_written():
    body = fixture("pdf-two-column.pdf").body
    blocks = body.strip().split("\n\n")
    assert blocks[:4] == [
        "# Who Fixes the Pump? Maintenance Work in Rural Water Systems",
        "Amara Nwosu and Lucas Feld",
        "Institute for Rural Systems, Tamale",
        "https://doi.org/10.5555/jqi.2024.0417",
    ]
    # every paragraph of the article, whole and in order (the stream runs row by row across columns;
    # paragraphs run on across columns and pages; words hyphenated at line ends are whole again)
    expected = [("## " + t) if kind == "h" else t for kind, t in make_pdfs.ARTICLE]
    assert blocks[4:] == expected


def test_running_header_and_page_numbers_are_dropped():
    body = fixture("pdf-two-column.pdf").body
    assert "Journal of Quiet Infrastructure" not in body
    assert not re.search(r"^\s*4[12]\s*$", body, re.M)
    report = fixture("pdf-report.pdf").body
    assert "Page 1 of 3" not in report and "Field Guide\n" not in report.split("\n\n", 1)[1]


def test_hyphenation_repaired_but_real_hyphens_kept():
    body = fixture("pdf-two-column.pdf").body
    assert "interviewed" in body and "arrangement" in body and "inter-" not in body
    assert "ring-fence" in body  # written with a hyphen in the text


def test_junk_metadata_title_gives_way_to_the_first_page():
    note = fixture("pdf-two-column.pdf")
    assert (
        note.title == "Who Fixes the Pump? Maintenance Work in Rural Water Systems"
    )  # not "Microsoft Word - ..."
    assert note.author == "Amara Nwosu, Lucas Feld"
    assert note.url == "https://doi.org/10.5555/jqi.2024.0417"
    assert note.format == "paper"
    assert note.platform == "web"
    assert note.published_date is None  # CreationDate 2024-03-02 is not a publication date
    assert note.captured_date == dt.date(2026, 3, 1)
    assert note.source_tool is None
    assert note.read_reasons == []


def test_arxiv_first_page():
    note = fixture("pdf-arxiv.pdf")
    assert note.title == "Sparse Retrieval Still Matters: Lexical Signals Inside Dense Neural Rankers"
    assert note.author == "Priya Raman, Tomás Ecker, Lin Zhao"
    assert note.url == "https://arxiv.org/abs/2403.01234"
    assert note.platform == "arxiv"
    assert note.format == "paper"
    assert note.published_date == dt.date(2024, 3, 5)  # the arXiv stamp dates this version
    blocks = note.body.strip().split("\n\n")
    assert blocks[0] == "# " + note.title
    assert "## Abstract" in blocks and "## 1 Introduction" in blocks
    assert blocks[blocks.index("## Abstract") + 1].startswith("Dense retrievers are often assumed")
    assert "arXiv:" not in note.body  # the rotated side stamp is not part of the text
    assert "{raman,zhao}@example.edu" in note.body and "@example" not in note.words_text()
    assert not re.search(r"^1$", note.body, re.M)


def test_report_metadata_and_a_paragraph_across_a_page_break():
    note = fixture("pdf-report.pdf")
    assert note.title == "Community Solar Cooperatives: A Field Guide"
    assert note.author == "Hana Mori, Daniel Okoye"  # "Hana Mori; Daniel Okoye" in the metadata
    assert note.published_date == dt.date(2024, 5, 14)  # "Published: 14 May 2024" on the first page
    assert note.url is None and note.platform == "unknown"
    assert note.format == "article"
    paras = note.body.strip().split("\n\n")
    assert paras[3:] == make_pdfs.REPORT


@pytest.mark.parametrize(
    "title, author, want_title, want_author",
    [
        ("Microsoft Word - draft.docx", "jsmith", "A Real Title On Page One", None),
        ("untitled", "Administrator", "A Real Title On Page One", None),
        ("report_final_v3.pdf", "", "A Real Title On Page One", None),
        ("The Stated Title", "Ada Byron; Charles Babbage", "The Stated Title", "Ada Byron, Charles Babbage"),
    ],
)
def test_stated_metadata_is_used_unless_it_is_junk(title, author, want_title, want_author):
    data = build_pdf(
        [
            Page(
                [
                    Line(72, 700, "A Real Title On Page One", 20, "F2"),
                    Line(72, 650, "Some body text here. " * 4),
                ]
            )
        ],
        {"Title": title, "Author": author},
    )
    note = read(data)
    assert note.title == want_title
    assert note.author == want_author


def test_detect_by_magic_not_by_name():
    assert pdf.detect(Document(Path("x.pdf"), b"%PDF-1.7\n..."))
    assert not pdf.detect(Document(Path("x.pdf"), b"<html>not a pdf</html>"))


def s(x0: float, x1: float, y: float, text: str, size: float = 10) -> Span:
    return Span(x0, x1, y, y + size, size, text)


def test_order_reads_columns_between_full_width_lines():
    spans = [s(72, 540, 700, "TITLE ACROSS", 18)]
    spans += [s(72, 290, 680 - 12 * i, f"L{i}") for i in range(5)]
    spans += [s(320, 540, 680 - 12 * i, f"R{i}") for i in range(5)]
    spans += [s(72, 540, 600, "FIGURE CAPTION ACROSS")]
    spans += [s(72, 290, 580 - 12 * i, f"l{i}") for i in range(4)]
    spans += [s(320, 540, 580 - 12 * i, f"r{i}") for i in range(4)]
    flat = [x.text for group in order(spans[::-1]) for x in group]
    assert flat == (
        ["TITLE ACROSS", *[f"L{i}" for i in range(5)], *[f"R{i}" for i in range(5)], "FIGURE CAPTION ACROSS"]
        + [f"l{i}" for i in range(4)]
        + [f"r{i}" for i in range(4)]
    )


def test_single_column_with_ragged_lines_is_not_split():
    spans = [s(72, 540 - (i % 3) * 150, 700 - 12 * i, f"line{i}") for i in range(20)]
    assert [x.text for g in order(spans) for x in g] == [f"line{i}" for i in range(20)]


def test_page_text_keeps_rotated_text_apart():
    page = PageText(1, 612, 792, [s(72, 200, 700, "body")], rotated="arXiv:1234.5678")
    assert page.rotated and page.spans[0].text == "body"
