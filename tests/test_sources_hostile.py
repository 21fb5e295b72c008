"""Hostile web pages, PDFs and subtitles: bounded time, a clear message, nothing lost, the run goes on."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.pdfwriter import Line, Page, build_pdf, deep_nesting, page_tree_bomb, shared_pages
from triage.errors import CaptureError
from triage.pipeline import run
from triage.sources import pdf
from triage.sources.reader import SUFFIXES, read_file, scan_inbox

from .conftest import NOW, drop, make_workspace

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
TEXT = Page([Line(72, 700, "A line of real text on this page, written for the test.")])


def read(data: bytes, name: str, limit: int = 10**9):
    return read_file(data, Path("/inbox") / name, limit)


def refused(data: bytes, name: str) -> CaptureError:
    start = time.monotonic()
    with pytest.raises(CaptureError) as err:
        read(data, name)
    assert time.monotonic() - start < 10
    return err.value


def test_file_types_are_taken_from_the_inbox(tmp_path):
    assert {".html", ".htm", ".pdf", ".srt", ".vtt"} <= set(SUFFIXES)
    for name in ("a.html", "b.HTM", "c.pdf", "d.srt", "e.vtt", "f.docx"):
        (tmp_path / name).write_bytes(b"x")
    ready, skipped = scan_inbox(tmp_path, 0, time.time() + 10, SUFFIXES)
    assert [p.name for p in ready] == ["a.html", "b.HTM", "c.pdf", "d.srt", "e.vtt"]
    assert [s.path.name for s in skipped] == ["f.docx"]


def test_encrypted_pdf_is_refused_and_explained():
    err = refused(build_pdf([TEXT], user_password="s3cret"), "locked.pdf")
    assert err.message == "PDF: this PDF is encrypted and needs a password to open"
    assert "unprotected copy" in err.hint


def test_pdf_encrypted_with_an_empty_password_is_read():
    note = read(build_pdf([TEXT], user_password=""), "open.pdf")[0]
    assert note.body == "A line of real text on this page, written for the test.\n"


def test_scanned_pdf_is_refused_and_explained():
    err = refused(build_pdf([Page(image=True), Page(image=True)]), "scan.pdf")
    assert "a scan: its pages are images with no text layer" in err.message
    assert "OCR" in err.hint


def test_partly_scanned_pdf_keeps_its_text_with_a_reason():
    note = read(build_pdf([TEXT, Page(image=True)]), "half.pdf")[0]
    assert note.body.startswith("A line of real text")
    assert note.read_reasons == ["read: pdf: 1 page(s) are images with no text layer (scanned?); left out"]


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_pdf_is_refused_and_explained(cut):
    data = (FIXTURES / "pdf-report.pdf").read_bytes()
    err = refused(data[: int(len(data) * cut)], "cut.pdf")
    assert "damaged or cut off" in err.message and "download or export it again" in err.hint


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4\n" + bytes(range(256)) * 40, b"%PDF-", b"<html>saved as .pdf by mistake</html>"],
)
def test_corrupt_pdf_is_refused(data):
    assert refused(data, "junk.pdf").message.startswith("PDF: ")


def test_page_tree_bomb_is_refused_quickly():
    refused(page_tree_bomb(40), "bomb.pdf")  # 2**40 pages claimed in 40 objects


def test_deep_nesting_is_read_in_bounded_time():
    start = time.monotonic()
    note = read(deep_nesting(100_000), "deep.pdf")[0]
    assert note.body == "A page with a very deep array.\n"
    assert time.monotonic() - start < 10


def test_huge_page_count_is_cut_at_the_limit_with_a_reason():
    start = time.monotonic()
    note = read(shared_pages(100_000, TEXT), "many.pdf")[0]
    assert time.monotonic() - start < 20
    assert note.read_reasons == ["read: pdf: read the first 1000 of 100000 pages (the limit for one file)"]
    assert note.body.count("A line of real text") == pdf.MAX_PAGES


def test_time_limit_stops_reading_with_a_reason(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_SECONDS", 0.0)
    note = read(shared_pages(50, TEXT), "slow.pdf")[0]
    assert note.read_reasons == ["read: pdf: stopped after 1 of 50 pages (0 s limit)"]
    assert note.body.count("A line of real text") == 1


def test_a_page_with_too_many_characters_is_left_out(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_PAGE_CHARS", 100)
    big = Page([Line(72, 700 - 12 * i, "x" * 60) for i in range(5)])
    note = read(build_pdf([TEXT, big]), "big.pdf")[0]
    assert note.read_reasons == ["read: pdf: page 2 holds over 100 characters; left out"]


def test_a_300_page_pdf_is_fine():
    note = read(shared_pages(300, TEXT), "book.pdf", 20 * 10**6)[0]
    assert note.read_reasons == [] and note.body.count("A line of real text") == 300


def test_a_200_mb_pdf_is_refused_with_the_setting_to_raise():
    data = b"%PDF-1.7\n" + bytes(200_000_000)
    with pytest.raises(CaptureError) as err:
        read(data, "huge.pdf", 20 * 10**6)
    assert str(err.value) == (
        "file is 200.0 MB, over the 20.0 MB limit\n  split it, or raise max_file_mb in triage.yaml"
    )


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "a PNG image"),
        (b"<html><body><script>var x = 1;</script></body></html>", "no readable text"),
    ],
)
def test_broken_web_pages_are_explained(data, message):
    assert message in refused(data, "page.html").message


def test_binary_subtitles_are_refused():
    assert "binary" in refused(bytes(range(256)) * 20, "x.srt").message


def test_a_no_op_run_imports_none_of_the_file_type_libraries(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom triage.cli import cli\n"
        f"r = CliRunner().invoke(cli, ['-w', {str(ws.root)!r}, 'run'])\n"
        "print(r.exit_code, *(m in sys.modules for m in ('trafilatura', 'pypdfium2', 'lxml', 'htmldate')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "False", "False", "False", "False"]


@pytest.mark.nlp
def test_bad_and_good_files_together_the_run_goes_on(ws, nlp):
    good = {
        "Why Small Batteries Win.html": (FIXTURES / "html-blog.html").read_bytes(),
        "sparse-retrieval.pdf": (FIXTURES / "pdf-arxiv.pdf").read_bytes(),
        "Designing for Slow Internet.en.srt": (FIXTURES / "subtitles-talk.srt").read_bytes(),
    }
    bad = {
        "locked.pdf": build_pdf([TEXT], user_password="s3cret"),
        "redirect.html": b'<html><head><meta http-equiv="refresh" content="0; url=https://x.example/a"></head></html>',
        "scan.pdf": build_pdf([Page(image=True)]),
        "notes.vtt": b"WEBVTT\n\nthis file has no cues at all\n",
    }
    for name, data in {**good, **bad}.items():
        drop(ws, name, data)
    report = run(ws, now=NOW, nlp=nlp)
    assert sorted(Path(p["source"]).name for p in report.processed) == sorted(good)
    assert sorted(Path(f["source"]).name for f in report.failed) == sorted(bad)
    failed = ws.inbox / "_failed"
    for name, data in bad.items():
        assert (failed / name).read_bytes() == data  # nothing lost
        assert (failed / f"{name}.error.txt").read_text().strip()
    assert "needs a password" in (failed / "locked.pdf.error.txt").read_text()
    archived = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in ws.archive.rglob("*") if p.is_file()
    }
    assert archived == {name: hashlib.sha256(data).hexdigest() for name, data in good.items()}
    notes = {p.read_text() for p in (ws.vault).rglob("*.md") if "notes" in p.parts or p.parent == ws.vault}
    written = "\n".join(n for n in notes if "original_filename:" in n)
    assert (
        "title: Why Small Batteries Win the Grid" in written or "Why Small Batteries Win the Grid" in written
    )
    assert "https://arxiv.org/abs/2403.01234" in written
    assert "format: transcript" in written
    captured = "\n".join(n.split("\n## Capture\n", 1)[1] for n in notes if "original_filename:" in n)
    for chrome in ("cookie", "Related posts", "Leave a reply", "{\\an8}", "Page 1 of"):
        assert chrome not in written
    assert "-->" not in captured  # the page's HTML comments (triage's own markers sit above the capture)


# --- issue 22: bounded memory, bounded lengths, the bytes over a wrong charset ---------------------


def inflating_pdf(mb: int) -> bytes:
    """A small PDF whose one page stream (FlateDecode) inflates to a line of text and `mb` MB of
    spaces: a few KB per 10 MB on disk."""
    import zlib

    from tests.pdfwriter import Writer, _fonts, _page, content_stream

    w = Writer()
    resources = w.add(f"<< /Font {_fonts(w)} 0 R >>")
    z = zlib.compressobj(9)
    parts = [z.compress(content_stream(TEXT) + b"\n")]
    chunk = b" " * (1 << 20)
    parts += [z.compress(chunk) for _ in range(mb)]
    parts.append(z.flush())
    content = w.stream(b"".join(parts), "/Filter /FlateDecode")
    pages = w.add(b"")
    page = w.add(_page(pages, resources, content))
    w.set(pages, f"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>")
    return w.bytes(w.add(f"<< /Type /Catalog /Pages {pages} 0 R >>"))


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_pdf_whose_stream_inflates_beyond_the_memory_allowed_is_quarantined(monkeypatch):
    monkeypatch.setattr(pdf, "MEMORY_BASE_MB", 48)
    data = inflating_pdf(300)
    assert len(data) < 400_000
    before = _peak_mb()
    with pytest.raises(CaptureError) as err:
        read_file(data, Path("/inbox/bomb.pdf"), 10**9, max_text=1_000_000)
    assert _peak_mb() - before < 150  # the stream was never held by this process
    assert "needs more than the 64 MB of memory a PDF may use" in err.value.message
    assert "raise max_text_mb in triage.yaml" in err.value.hint


def test_a_pdf_within_the_allowance_is_read_in_the_child():
    note = read(inflating_pdf(4), "fine.pdf")[0]
    assert note.body == "A line of real text on this page, written for the test.\n"


def test_pdf_text_stops_at_max_text_with_a_reason():
    pages = [
        Page([Line(72, 700 - 12 * k, f"Page {n} line {k} of a long report.") for k in range(40)])
        for n in range(30)
    ]
    notes = read_file(build_pdf(pages), Path("/inbox/long.pdf"), 10**9, max_text=5_000)
    reasons = " ".join(notes[0].read_reasons)
    assert "stopped after" in reasons and "max_text_mb" in reasons
    assert "Page 0 line 5 " in notes[0].body and "Page 29 line 5 " not in notes[0].body


def test_text_over_max_text_is_cut_with_a_reason():
    data = ("# Notes\n\n" + "A sentence of a long capture.\n" * 2000).encode()
    note = read_file(data, Path("/inbox/long.md"), 10**9, max_text=10_000)[0]
    assert len(note.body) <= 10_001
    assert any("max_text_mb" in r for r in note.read_reasons)
    assert read_file(data, Path("/inbox/long.md"), 10**9)[0].read_reasons == []


def test_a_page_declaring_utf8_but_holding_cp1252_keeps_its_accents():
    data = (
        b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        b"<title>Caf\xe9 notes</title></head><body><article><p>"
        + ("Le caf\xe9 est ouvert tous les jours, m\xeame le dimanche. " * 4).encode("cp1252")
        + b"</p></article></body></html>"
    )
    note = read(data, "cafe.html")[0]
    assert "Le café est ouvert" in note.body and "\ufffd" not in note.body
    assert note.tool_meta["title"] == "Café notes"


def test_a_utf8_page_with_one_stray_byte_stays_utf8():
    data = (
        b'<html><head><meta charset="utf-8"></head><body><p>'
        + ("Caf\u00e9 na\u00efve r\u00e9sum\u00e9 d\u00e9j\u00e0 vu. " * 8).encode()
        + b"\xe9</p></body></html>"
    )
    assert "Café naïve résumé" in read(data, "mostly.html")[0].body


def test_values_copied_to_index_pages_are_capped_and_kept_whole_in_the_capture():
    from triage.vault.plan import MAX_AUTHOR, MAX_TITLE, bound_lengths

    title = "Word " * 20_000  # 100 KB
    note = read(build_pdf([TEXT], info={"Title": title, "Author": "Name " * 1000}), "t.pdf")[0]
    from triage.sources.infer import infer_metadata

    infer_metadata(note)
    bound_lengths(note)
    assert len(note.title) <= MAX_TITLE and note.title.endswith("…")
    assert note.author is not None and len(note.author) <= MAX_AUTHOR
    assert title.strip() in note.body  # whole, in the Capture section
    assert any("cut to 300" in r for r in note.read_reasons)


KINDLE_LONG = (
    f"{'Long ' * 1000}({'Name, Long ' * 450})\n- Your Highlight on Location 10-12 | "
    "Added on Tuesday, March 5, 2024 9:14:07 PM\n\nA highlight of a book with a long name.\n==========\n"
)


@pytest.mark.nlp
def test_no_index_page_grows_with_one_capture(ws, nlp):
    drop(ws, "long-title.pdf", build_pdf([TEXT], info={"Title": "Title " * 17_000}))
    drop(ws, "My Clippings.txt", KINDLE_LONG)
    report = run(ws, now=NOW, nlp=nlp)
    assert len(report.processed) == 2
    for page in ws.vault.glob("*.md"):
        assert page.stat().st_size < 20_000, page.name
    notes = list((ws.vault / "notes").rglob("*.md"))
    for path in notes:
        text = path.read_text()
        front = text.split("\n---\n", 1)[0]
        assert max(len(line) for line in front.splitlines()) < 400
        assert len(path.name) <= 120
    book = next(p.read_text() for p in notes if "book" in p.name)
    assert ("Long " * 1000).strip() in book  # the full title, in the Capture section


def test_the_progress_bar_names_a_slow_first_capture():
    from triage.commands.base import Progress

    progress = Progress(True)
    try:
        progress("reading", 0, 3, "a-slow-export.md")  # at once: nothing shown yet
        assert progress.bar is None
        time.sleep(1.5)  # the file is still being read
        assert progress.bar is not None
        assert progress.bar.tasks[0].fields["name"] == "a-slow-export.md"
        progress("reading", 1, 3, "x" * 30 + "-the-name-ends-here.pdf")
        assert progress.bar.tasks[0].fields["name"].endswith("-the-name-ends-here.pdf")
    finally:
        progress.stop()


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def _refuse() -> None:
    raise CaptureError("the child says no", "do this instead")


def _allocate(mb: int) -> int:
    return len(bytearray(mb * 1_000_000))


def test_the_sandbox_bounds_time_and_memory_and_passes_errors_back():
    from triage.sources.sandbox import Limit, available, run_limited

    if not available():
        pytest.skip("no fork here")
    with pytest.raises(Limit) as err:
        run_limited(_sleep, (30,), 10**8, 0.5)
    assert err.value.kind == "time"
    with pytest.raises(CaptureError, match="the child says no"):
        run_limited(_refuse, (), 10**8, 10)
    with pytest.raises(Limit) as err:
        run_limited(_allocate, (400,), 50_000_000, 10)
    assert err.value.kind == "memory"
    assert run_limited(_allocate, (10,), 100_000_000, 10) == 10_000_000
