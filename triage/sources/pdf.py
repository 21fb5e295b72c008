"""PDFs (`.pdf`): the text in reading order, title and author, an arXiv id or DOI as the URL.

Read with PDFium (pypdfium2): each character's box, font size and weight, then `pdflayout` puts
them in reading order (columns, running headers and page numbers dropped, paragraphs rebuilt,
hyphenation repaired). Metadata:

- title: the document's Title unless it is missing or junk ("Microsoft Word - draft.docx",
  "untitled", a file name); then the largest-font lines at the top of the first page;
- author: the document's Author unless missing or junk; then the names under the title;
- url: an arXiv identifier on the first pages (`https://arxiv.org/abs/<id>`, platform arxiv), else a
  DOI on the first page (`https://doi.org/<doi>`); either makes the format `paper`;
- published_date: only a statement of publication on the first page ("Published: 14 May 2024",
  arXiv's stamp "[cs.IR] 5 Mar 2024"). The document's CreationDate and ModDate say when the file
  was produced (often the day it was printed or exported), not when the work was published: never used.

Refused with a reason: an encrypted PDF that needs a password, a scan without a text layer (no OCR
here), a damaged file. Bounded: at most MAX_PAGES pages and MAX_SECONDS seconds are read, and text
up to the capture's `max_text` characters (`max_text_mb`): the rest is left out, with a reason; a
page with more than MAX_PAGE_CHARS characters is skipped. PDFium holds a page's whole inflated
content stream, so the PDF is read in a child process (`sandbox.run_limited`) allowed
`memory_allowance(max_text)` bytes: a PDF that needs more (a small file whose stream inflates to
gigabytes) is quarantined with what to do, and the run never holds more than that for it.
"""

from __future__ import annotations

import re
import time
from typing import Any

from ..errors import CaptureError
from .base import Document, Item, SourceReader
from .pdflayout import Block, PageText, Span, drop_running, paragraphs
from .sandbox import Limit, run_limited

MAX_PAGES = 1000
MAX_SECONDS = 60.0
MAX_PAGE_CHARS = 200_000
MEMORY_BASE_MB = 256
"""What reading any PDF may use beyond the text it yields (PDFium's document, fonts, one page)."""
MEMORY_PER_CHAR = 16
"""Bytes the child may use per character of `max_text` (the spans and their layout)."""
_ARXIV = re.compile(r"arXiv:\s?(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(v\d+)?", re.I)
_ARXIV_DATE = re.compile(r"arXiv:\S+\s+\[[\w.-]+\]\s+(\d{1,2} \w{3} \d{4})")
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)")
_PUBLISHED = re.compile(
    r"\b(?:published(?: online)?|publication date|date of publication)\s*[:.]?\s*"
    r"(\d{1,2} \w+ \d{4}|\w+ \d{1,2},? \d{4}|\d{4}-\d{2}-\d{2})",
    re.I,
)
_JUNK_TITLE = re.compile(
    r"^(?:microsoft (?:word|powerpoint|excel) - .*|untitled.*|document\d*|slide \d+|title|"
    r".*\.(?:docx?|pdf|tex|dvi|indd|qxd|pptx?|odt|rtf|pages|txt|html?)|[\w/\\:.-]*[/\\][\w/\\:.-]*)$",
    re.I,
)
_JUNK_AUTHOR = re.compile(r"^(?:(?i:user|admin(?:istrator)?|owner|author|unknown)|[a-z]{1,12}\d*|.*@.*)$")
_NAME = re.compile(r"^[A-Z][\w'’.-]*(?: (?:[A-Z][\w'’.-]*|van|von|de|der|da|di|la|le)){1,3}$")
_EMAIL = re.compile(r"\{?[\w.,+-]+\}?@[\w-]+(?:\.[\w-]+)+")
HINT = "drop a PDF that opens without a password, or paste its text into a .md file"


def detect(doc: Document) -> bool:
    return doc.data[:1024].lstrip().startswith(b"%PDF-") or b"%PDF-" in doc.data[:1024]


def _open(data: bytes) -> Any:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise CaptureError(
                "this PDF is encrypted and needs a password to open",
                "open it with its password and save or print an unprotected copy, then drop that in",
            ) from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise CaptureError("this PDF uses an encryption PDFium cannot open", HINT) from None
        raise CaptureError(
            "this PDF is damaged or cut off and cannot be opened (its structure does not read)",
            "download or export it again; if it opens elsewhere, print it to a new PDF and drop that in",
        ) from None


def _weight(handle: Any, index: int, pdfium_c: Any) -> int:
    """The font weight (700 bold), from the font's name when the PDF does not state it."""
    weight = pdfium_c.FPDFText_GetFontWeight(handle, index)
    if weight > 0:
        return int(weight)
    import ctypes

    name = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(handle, index, name, 128, ctypes.byref(flags))
    return 700 if re.search(rb"bold|black|heavy|semibold", name.value, re.I) else 400


def _spans(textpage: Any, pdfium_c: Any) -> tuple[list[Span], str]:
    """The page's characters as spans (runs on one baseline with no wide gap), and its rotated text."""
    handle = textpage.raw
    count = pdfium_c.FPDFText_CountChars(handle)
    text = textpage.get_text_range(0, count) if count > 0 else ""
    if len(text) != count:
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(handle, k) or 32) for k in range(count))
    rect = pdfium_c.FS_RECTF()
    spans: list[Span] = []
    rotated: list[str] = []
    cur: Span | None = None
    space = False
    tilted = False
    for k, ch in enumerate(text):
        if ch in "\r\n" or ch.isspace():
            space = True
            if tilted:
                rotated.append(" ")
            continue
        if not pdfium_c.FPDFText_GetLooseCharBox(handle, k, rect):
            continue
        left, right, top, bottom = rect.left, rect.right, rect.top, rect.bottom
        if ch in "\ufffe\x02\xad":
            ch = "-"
        if (
            cur is not None
            and not tilted
            and abs(bottom - cur.bottom) < 0.25 * cur.size
            and -0.5 * cur.size < left - cur.x1 < 1.2 * cur.size
        ):
            if space or left - cur.x1 > 0.2 * cur.size:
                cur.text += " "
            cur.text += ch
            if right > cur.x1:
                cur.x1 = right
            if top > cur.top:
                cur.top = top
            space = False
            continue
        angle = pdfium_c.FPDFText_GetCharAngle(handle, k)
        tilted = 0.05 < angle < 6.23
        if tilted:
            rotated.append(ch)
            cur = None
            continue
        size = pdfium_c.FPDFText_GetFontSize(handle, k) or (top - bottom)
        cur = Span(left, right, bottom, top, size, ch, _weight(handle, k, pdfium_c))
        spans.append(cur)
        space = False
    return [s for s in spans if s.text.strip()], "".join(rotated)


def memory_allowance(max_text: int) -> int:
    """The memory (bytes) the child reading one PDF may add to what it shares with the run."""
    return MEMORY_BASE_MB * 1_000_000 + MEMORY_PER_CHAR * max_text


def _pages(doc: Any, reasons: list[str], max_text: int) -> tuple[list[PageText], int]:
    """The pages' spans, within the bounds; (pages, number of pages with images and no text).
    Page by page: at most one page's text beyond `max_text` characters is ever held."""
    import pypdfium2.raw as pdfium_c

    total = len(doc)
    limit = min(total, MAX_PAGES)
    if total > MAX_PAGES:
        reasons.append(f"read: pdf: read the first {MAX_PAGES} of {total} pages (the limit for one file)")
    start = time.monotonic()
    pages: list[PageText] = []
    scanned = 0
    chars = 0
    for i in range(limit):
        if i and time.monotonic() - start > MAX_SECONDS:
            reasons.append(f"read: pdf: stopped after {i} of {total} pages ({MAX_SECONDS:.0f} s limit)")
            break
        if chars > max_text:
            reasons.append(
                f"read: pdf: stopped after {i} of {total} pages: the text reached max_text_mb "
                f"({max_text / 1e6:g} million characters); raise it in triage.yaml to read the rest"
            )
            break
        page = doc[i]
        textpage = page.get_textpage()
        try:
            width, height = page.get_size()
            if pdfium_c.FPDFText_CountChars(textpage.raw) > MAX_PAGE_CHARS:
                reasons.append(f"read: pdf: page {i + 1} holds over {MAX_PAGE_CHARS:,} characters; left out")
                continue
            spans, rotated = _spans(textpage, pdfium_c)
            chars += sum(len(sp.text) for sp in spans)
            if not spans and any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,))):
                scanned += 1
            pages.append(PageText(i + 1, width, height, spans, rotated))
        finally:
            textpage.close()
            page.close()
    return pages, scanned


def _metadata(doc: Any) -> dict[str, str]:
    try:
        return {k: v.strip() for k, v in doc.get_metadata_dict(skip_empty=True).items() if isinstance(v, str)}
    except Exception:  # a broken Info dictionary: no metadata, the text still reads
        return {}


def _authors(text: str) -> str | None:
    """Names from a line like "Priya Raman¹, Tomás Ecker and Lin Zhao*", or None."""
    clean = re.sub(r"[\d*†‡§¶¹²³⁴⁵⁶⁷⁸⁹⁰]+", "", text)
    parts = [p.strip() for p in re.split(r",|;|\band\b|&|·", clean) if p.strip()]
    if 1 <= len(parts) <= 12 and all(_NAME.match(p) for p in parts):
        return ", ".join(parts)
    return None


def _title_author(blocks: list[Block], meta: dict[str, str]) -> tuple[str | None, str | None, int | None]:
    """(title, author, index of the title block on page 1 or None)."""
    stated = meta.get("Title", "")
    title = None if not stated or _JUNK_TITLE.match(stated) else stated
    author_meta = meta.get("Author", "")
    author = None
    if author_meta and not _JUNK_AUTHOR.match(author_meta):
        author = ", ".join(p.strip() for p in re.split(r";|\band\b|&", author_meta) if p.strip())
    first = [(i, b) for i, b in enumerate(blocks) if b.page == blocks[0].page][:12]
    index = None
    if first:
        biggest = max(b.size for _, b in first)
        body = sorted(b.size for _, b in first)[len(first) // 2]
        candidates = [i for i, b in first if b.size == biggest >= 1.2 * body and len(b.text) <= 250]
        if candidates:
            index = candidates[0]
            title = title or blocks[index].text
            for block in blocks[index + 1 : index + 3]:
                names = _authors(block.text)
                if names:
                    block.kind = "para"  # the byline, not a section heading
                    author = author or names
                    break
    return title, author, index


def _source(first_pages: str, meta: dict[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    arxiv = _ARXIV.search(first_pages)
    if arxiv:
        found.update(url=f"https://arxiv.org/abs/{arxiv.group(1)}", platform="arxiv", format="paper")
        date = _ARXIV_DATE.search(first_pages)
        if date:
            found["published_date"] = date.group(1)
    else:
        doi = _DOI.search(first_pages) or _DOI.search(" ".join(meta.values()))
        if doi:
            found.update(url=f"https://doi.org/{doi.group(1).rstrip('.,;)]')}", format="paper")
    published = _PUBLISHED.search(first_pages)
    if published and "published_date" not in found:
        found["published_date"] = published.group(1)
    return found


def _extract(data: bytes, max_text: int) -> tuple[dict[str, str], list[PageText], int, list[str]]:
    """Everything PDFium is asked (in the child): (metadata, pages, scanned pages, reasons)."""
    import pypdfium2.raw as pdfium_c  # noqa: F401  (loads PDFium once, before the pages)

    pdf = _open(data)
    reasons: list[str] = []
    try:
        meta = _metadata(pdf)
        pages, scanned = _pages(pdf, reasons, max_text)
    finally:
        pdf.close()
    return meta, pages, scanned, reasons


def _limited(doc: Document) -> tuple[dict[str, str], list[PageText], int, list[str]]:
    allowance = memory_allowance(doc.max_text)
    try:
        return run_limited(_extract, (doc.data, doc.max_text), allowance, MAX_SECONDS + 30)
    except Limit as exc:
        if exc.kind == "time":
            raise CaptureError(
                f"reading this PDF took over {MAX_SECONDS + 30:.0f} s (PDFium stalled on a page)",
                "print it to a new PDF (or paste its text into a .md file) and drop that in",
            ) from None
        raise CaptureError(
            f"this PDF needs more than the {allowance / 1e6:.0f} MB of memory a PDF may use "
            "(a page whose stream inflates far beyond the file's size?)"
            + (f" [{exc.detail}]" if exc.detail else ""),
            "if it is a real document, raise max_text_mb in triage.yaml (a PDF may use "
            f"{MEMORY_BASE_MB} MB plus {MEMORY_PER_CHAR} bytes per character of it); else print it "
            "to a new PDF and drop that in",
        ) from None


def read(doc: Document) -> list[Item]:
    meta, pages, scanned, reasons = _limited(doc)
    text_pages = [p for p in pages if p.spans]
    if not text_pages:
        if scanned:
            raise CaptureError(
                "this PDF is a scan: its pages are images with no text layer (triage does not do OCR)",
                "run it through an OCR tool to add a text layer, then drop the result in",
            )
        raise CaptureError("this PDF holds no text", "check it is the document you meant to save")
    if scanned:
        reasons.append(f"read: pdf: {scanned} page(s) are images with no text layer (scanned?); left out")
    first_pages = "\n".join(
        " ".join(s.text for s in p.spans) + "\n" + p.rotated for p in pages[:2] if p.spans or p.rotated
    )
    blocks = paragraphs(drop_running(pages)) or paragraphs(pages)  # all "running": keep them
    title, author, title_at = _title_author(blocks, meta)
    out = []
    for i, block in enumerate(blocks):
        if i == title_at:
            out.append(f"# {block.text}")
        elif block.kind == "heading":
            out.append(f"## {block.text}")
        else:
            out.append(block.text)
    item_meta: dict[str, Any] = {k: v for k, v in (("title", title), ("author", author)) if v}
    item_meta.update(_source(first_pages, meta))
    body = "\n\n".join(out) + "\n"
    content = _EMAIL.sub("", body)  # authors' addresses under the title are not the work's text
    return [Item(body=body, content=content if content != body else "", meta=item_meta, reasons=reasons)]


READER = SourceReader("", "PDF", (".pdf",), detect, read, binary=True)
