"""From positioned text spans (one run of characters on one line, as a PDF library reports them) to
paragraphs in reading order. No PDF library is imported here: `pdf.py` feeds it.

- running headers and footers (the same text, digits aside, near the top or bottom of most pages)
  and page numbers are dropped;
- each page is read column by column: a vertical gutter that (almost) no line crosses splits it, lines
  that cross it (a title, an abstract) are read in their place between the columns' zones;
- lines are joined into paragraphs (a new one at a wider gap, a change of font size or weight, an
  indent, a short line ending a sentence), across columns and pages when a sentence runs on;
- a hyphen at a line end is removed when the word is hyphenated for the line break (kept when the
  document writes the word with a hyphen elsewhere).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from statistics import median


@dataclass
class Span:
    x0: float
    x1: float
    bottom: float
    top: float
    size: float
    text: str
    weight: int = 400


@dataclass
class PageText:
    number: int
    width: float
    height: float
    spans: list[Span] = field(default_factory=list)
    rotated: str = ""
    """Text written at an angle (arXiv's side stamp): not part of the flow, searched for ids."""


@dataclass
class Block:
    kind: str
    """'title', 'heading' or 'para'."""
    text: str
    size: float
    page: int


@dataclass
class _Line:
    spans: list[Span]
    page: int
    column: tuple[int, int]
    """(page, leaf index): lines of one column share it."""

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.spans)

    @property
    def x0(self) -> float:
        return min(s.x0 for s in self.spans)

    @property
    def x1(self) -> float:
        return max(s.x1 for s in self.spans)

    @property
    def top(self) -> float:
        return max(s.top for s in self.spans)

    @property
    def bottom(self) -> float:
        return min(s.bottom for s in self.spans)

    @property
    def size(self) -> float:
        return max(self.spans, key=lambda s: len(s.text)).size

    @property
    def weight(self) -> int:
        return max(self.spans, key=lambda s: len(s.text)).weight


_PAGE_NUMBER = re.compile(r"^\W*(?:page\s*)?(?:\d{1,4}|[ivxlc]{1,7})(?:\s*(?:of|/)\s*\d{1,4})?\W*$", re.I)
_END = (".", "!", "?", ":", '"', "”", ")", ";")


def drop_running(pages: list[PageText]) -> list[PageText]:
    """The pages without their running headers/footers and page numbers."""

    def band(p: PageText, s: Span, share: float) -> bool:
        return s.bottom > p.height * (1 - share) or s.top < p.height * share

    def key(s: Span) -> str:
        return re.sub(r"\d+", "#", s.text.lower()).strip()

    seen: Counter[str] = Counter()
    for p in pages:
        seen.update({key(s) for s in p.spans if band(p, s, 0.12)})
    need = max(2, len(pages) // 2)
    return [
        PageText(
            p.number,
            p.width,
            p.height,
            [
                s
                for s in p.spans
                if not (band(p, s, 0.12) and seen[key(s)] >= need)
                and not (band(p, s, 0.10) and _PAGE_NUMBER.match(s.text))
            ],
            p.rotated,
        )
        for p in pages
    ]


def _gutter(spans: list[Span]) -> tuple[float, float] | None:
    """The widest vertical strip near the middle that at most a few lines cross, with enough lines
    entirely on each side: the space between two columns."""
    lo = min(s.x0 for s in spans)
    hi = max(s.x1 for s in spans)
    width = int(hi - lo)
    if width < 100:
        return None
    diff = [0] * (width + 2)
    for s in spans:
        diff[max(0, int(s.x0 - lo))] += 1
        diff[min(width + 1, int(s.x1 - lo) + 1)] -= 1
    counts = []
    count = 0
    for x in range(width + 1):
        count += diff[x]
        counts.append(count)
    middle = range(int(0.2 * width), int(0.8 * width) + 1)
    fewest = min(counts[x] for x in middle)
    if fewest > max(2, len(spans) // 10):  # a few full-width lines (title, figure caption) cross it
        return None
    best: tuple[int, int] | None = None
    run_start = None
    for x in [*middle, middle.stop]:
        if x in middle and counts[x] == fewest:
            run_start = x if run_start is None else run_start
        elif run_start is not None:
            if best is None or x - run_start > best[1] - best[0]:
                best = (run_start, x)
            run_start = None
    if best is None:
        return None
    size = median(s.size for s in spans)
    if best[1] - best[0] < max(6.0, 0.6 * size):
        return None
    g0, g1 = lo + best[0], lo + best[1]
    left = [s for s in spans if s.x1 <= g0 + 1]
    right = [s for s in spans if s.x0 >= g1 - 1]
    if len(left) < 3 or len(right) < 3:
        return None
    return g0, g1


def _top_down(spans: list[Span]) -> list[Span]:
    """Top to bottom; spans on one baseline (within a third of their size) left to right."""
    rows: list[list[Span]] = []
    for s in sorted(spans, key=lambda s: -s.bottom):
        if rows and rows[-1][0].bottom - s.bottom < 0.3 * max(s.size, rows[-1][0].size):
            rows[-1].append(s)
        else:
            rows.append([s])
    return [s for row in rows for s in sorted(row, key=lambda s: s.x0)]


def order(spans: list[Span], depth: int = 0) -> list[list[Span]]:
    """Spans in reading order, grouped by column (each group read top to bottom)."""
    if len(spans) < 6 or depth > 2:
        return [_top_down(spans)] if spans else []
    gutter = _gutter(spans)
    if gutter is None:
        return [_top_down(spans)]
    g0, g1 = gutter
    crossing = _top_down([s for s in spans if s.x1 > g0 + 1 and s.x0 < g1 - 1])
    crossed = {id(s) for s in crossing}
    groups: list[list[Span]] = []
    ceiling = float("inf")
    for cut in [*crossing, None]:
        floor = cut.top if cut is not None else float("-inf")
        zone = [s for s in spans if floor <= (s.top + s.bottom) / 2 < ceiling and id(s) not in crossed]
        groups += order([s for s in zone if s.x1 <= g0 + 1], depth + 1)
        groups += order([s for s in zone if s.x0 >= g1 - 1], depth + 1)
        if cut is not None:
            groups.append([cut])
            ceiling = cut.bottom
    return groups


def _lines(pages: list[PageText]) -> list[_Line]:
    out: list[_Line] = []
    for page in pages:
        for leaf, group in enumerate(order(page.spans)):
            for s in group:
                last = out[-1] if out and out[-1].column == (page.number, leaf) else None
                if last and abs(last.spans[-1].bottom - s.bottom) < 0.3 * s.size and s.x0 >= last.x1 - 1:
                    last.spans.append(s)
                else:
                    out.append(_Line([s], page.number, (page.number, leaf)))
    return out


def body_size(pages: list[PageText]) -> float:
    sizes: Counter[float] = Counter()
    for p in pages:
        for s in p.spans:
            sizes[round(s.size * 2) / 2] += len(s.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


Edges = dict[tuple[int, int], tuple[float, float]]
"""A column's left and right edge."""


def _new_block(prev: _Line, cur: _Line, gap_norm: float, edges: Edges) -> bool:
    if abs(cur.size - prev.size) > 0.1 * prev.size or (cur.weight >= 600) != (prev.weight >= 600):
        return True
    ends = prev.text.rstrip().endswith(_END)
    if cur.column != prev.column:
        return ends  # a sentence running on into the next column or page continues
    gap = prev.bottom - cur.top
    if gap > gap_norm + 0.4 * cur.size or gap < -cur.size:
        return True
    x0, x1 = edges[cur.column]
    indented = cur.x0 > x0 + cur.size
    short = prev.x1 < x1 - 0.15 * (x1 - x0)
    return ends and (indented or short)


def _join(text: str, line: str, hyphenated: set[str], words: set[str]) -> str:
    m = re.search(r"(\w+)[-\u00ad\ufffe\x02]$", text[-80:])
    if m and line[:1].islower():
        first = re.match(r"\w+", line)
        tail = first.group(0) if first else ""
        if f"{m.group(1)}-{tail}".lower() in hyphenated and f"{m.group(1)}{tail}".lower() not in words:
            return text[:-1] + "-" + line
        return text[:-1] + line
    return f"{text} {line}" if text else line


def paragraphs(pages: list[PageText]) -> list[Block]:
    """The pages' text as blocks in reading order (see the module docstring)."""
    lines = _lines(pages)
    if not lines:
        return []
    body = body_size(pages)
    gaps = [
        a.bottom - b.top
        for a, b in itertools.pairwise(lines)
        if a.column == b.column and abs(a.size - body) < 0.5 and 0 <= a.bottom - b.top < 2 * body
    ]
    gap_norm = median(gaps) if gaps else 0.3 * body
    edges: Edges = {}
    for ln in lines:
        x0, x1 = edges.get(ln.column, (ln.x0, ln.x1))
        edges[ln.column] = (min(x0, ln.x0), max(x1, ln.x1))
    all_text = " ".join(ln.text for ln in lines)
    words = {w.lower() for w in re.findall(r"\w+", all_text)}
    hyphenated = {w.lower() for w in re.findall(r"\w+-\w+", all_text)}
    blocks: list[tuple[list[_Line], str]] = []
    for prev, cur in zip([None, *lines], lines, strict=False):
        if prev is None or _new_block(prev, cur, gap_norm, edges):
            blocks.append(([cur], cur.text))
        else:
            group, text = blocks[-1]
            blocks[-1] = ([*group, cur], _join(text, cur.text, hyphenated, words))
    out: list[Block] = []
    for group, text in blocks:
        first = group[0]
        text = re.sub(r"\s+", " ", text).strip()
        heading = (
            len(group) <= 2
            and len(text) <= 120
            and not text.endswith((".", ","))
            and (first.size >= 1.1 * body or first.weight >= 600)
        )
        out.append(Block("heading" if heading else "para", text, first.size, first.page))
    return out
