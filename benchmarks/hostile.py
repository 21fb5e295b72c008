"""A hostile inbox end to end: bounded time and memory, nothing lost, nothing outside the workspace.

    python benchmarks/hostile.py [--scale 1.0] [--keep DIR]

Builds, in a temporary folder, an inbox of the kinds that grew with the square of their size or
held gigabytes (issue 22), beside some normal captures (`examples/inbox/`, our own text):

- a Readwise export of 50,000 highlights; a `My Clippings.txt` of 100,000 entries;
- a web page nested 20,000 deep with 200,000 `<` that never close; a page that declares utf-8 but
  holds cp1252 bytes;
- a 2.5 MB PDF whose page stream inflates to 2.5 GB; a PDF with a 100 KB title;
- a Kindle book with a 5,000-character title and author; subtitles of 100,000 cues;
- a capture whose title tries a path traversal.

Runs `triage run --json` on it in a subprocess (as `benchmarks/perf.py` does) and prints: wall
time, peak RSS of the run and its children, the longest title (alias) written, whether every
capture is accounted for (a note, `_failed/` with an explanation, or waiting) and whether any
file appeared outside the workspace. Bar (issue 22): at most 240 s and 2,000 MB on 2 cores, no
title over 1,000 characters. `--scale 0.1` is a quick look (sizes times 0.1).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pdfwriter import Line, Page, Writer, _fonts, _page, build_pdf, content_stream  # noqa: E402

LAUNCH = (
    "import runpy, sys\n"
    "sys.argv = ['triage'] + sys.argv[1:]\n"
    "runpy.run_module('triage', run_name='__main__')\n"
)
WORDS = (
    "grid power cost model data city river market school team budget energy policy storage "
    "network signal review design error test cache query index memory metric risk plan road"
).split()


def phrase(rng: random.Random, i: int, n: int = 8) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + f" item{i}."


def readwise(n: int, rng: random.Random) -> str:
    lines = [
        "# A Decade of Highlights",
        "",
        "## Metadata",
        "- Author: [[Ana Reader]]",
        "- Category: #books",
        "",
    ]
    lines.append("## Highlights")
    lines += [
        f"- {phrase(rng, i)} ([Location {i * 7}](https://readwise.io/to_kindle?location={i * 7}))"
        for i in range(n)
    ]
    return "\n".join(lines) + "\n"


def clippings(n: int, rng: random.Random, books: int = 40) -> str:
    out = []
    for i in range(n):
        loc = i * 5
        out.append(
            f"Book Number {i % books} (Writer, Some{i % books})\n"
            f"- Your Highlight on page {i // 10} | Location {loc}-{loc + 3} | "
            f"Added on Tuesday, March {1 + i % 28}, 2024 9:{i % 60:02d}:07 PM\n\n{phrase(rng, i, 5)}\n==========\n"
        )
    return "".join(out)


def deep_html(depth: int, opens: int) -> str:
    return (
        "<html><head><title>Deep</title></head><body>"
        + "<div>" * depth
        + "<p>Some real text in the middle of it all, enough to be read as a page.</p>"
        + "<a " * opens
        + "</div>" * depth
        + "</body></html>"
    )


def inflating_pdf(mb: int) -> bytes:
    """One page whose FlateDecode content stream is a line of text then `mb` MB of spaces."""
    w = Writer()
    fonts = _fonts(w)
    resources = w.add(f"<< /Font {fonts} 0 R >>")
    z = zlib.compressobj(9)
    head = content_stream(Page([Line(72, 700, "A page whose stream inflates without end.")]))
    parts = [z.compress(head + b"\n")]
    chunk = b" " * (1 << 20)
    parts += [z.compress(chunk) for _ in range(mb)]
    parts.append(z.flush())
    content = w.stream(b"".join(parts), "/Filter /FlateDecode")
    pages = w.add(b"")
    page = w.add(_page(pages, resources, content))
    w.set(pages, f"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>")
    root = w.add(f"<< /Type /Catalog /Pages {pages} 0 R >>")
    return w.bytes(root)


def subtitles(n: int, rng: random.Random) -> str:
    cues = []
    for i in range(n):
        s, e = i * 2, i * 2 + 1
        cues.append(
            f"{i + 1}\n00:{s // 60 % 60:02d}:{s % 60:02d},000 --> 00:{e // 60 % 60:02d}:{e % 60:02d},500\n{phrase(rng, i, 4)}\n"
        )
    return "\n".join(cues)


def build(inbox: Path, scale: float) -> list[str]:
    rng = random.Random(22)
    k = lambda n: max(10, int(n * scale))  # noqa: E731
    files: dict[str, bytes | str] = {
        "readwise-50k.md": readwise(k(50_000), rng),
        "My Clippings.txt": clippings(k(100_000), rng),
        "deep.html": deep_html(k(20_000), k(200_000)),
        "cp1252.html": '<html><head><meta charset="utf-8"><title>Caf\xe9 notes</title></head><body><p>'.encode()
        + ("Le caf\xe9 est ouvert. " * 20).encode("cp1252")
        + b"</p></body></html>",
        "bomb.pdf": inflating_pdf(k(2_500)),
        "long-title.pdf": build_pdf(
            [Page([Line(72, 700, "A short paper with a very long title in its metadata.")])],
            info={"Title": "Title " * k(17_000), "Author": "Author " * k(5_000)},
        ),
        "kindle-long/My Clippings.txt": (
            f"{'Long ' * 1000}({'Name, Long ' * 500})\n- Your Highlight on Location 10-12 | "
            "Added on Tuesday, March 5, 2024 9:14:07 PM\n\nA highlight of a book with a long name.\n==========\n"
        ),
        "lecture.srt": subtitles(k(100_000), rng),
        "traversal.md": "---\ntitle: ../../../../etc/passwd\n---\n# ../../outside\n\nA capture that tries to escape.\n",
    }
    for name, data in files.items():
        path = inbox / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    for example in sorted((ROOT / "examples" / "inbox").iterdir()):
        shutil.copy(example, inbox / example.name)
    return sorted(str(p.relative_to(inbox)) for p in inbox.rglob("*") if p.is_file())


def snapshot(folder: Path) -> set[str]:
    return {str(p) for p in folder.rglob("*")} if folder.exists() else set()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--keep", type=Path, help="build the workspace here and keep it")
    ap.add_argument("--timeout", type=float, default=1800)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="triage-hostile-"))
    base = args.keep or tmp
    root = base / "ws"
    inbox = root / "inbox"
    inbox.mkdir(parents=True)
    (root / "triage.yaml").write_text("settle_seconds: 0\n")
    t0 = time.perf_counter()
    inputs = build(inbox, args.scale)
    print(
        f"built {len(inputs)} captures in {time.perf_counter() - t0:.1f} s "
        f"({sum((inbox / n).stat().st_size for n in inputs) / 1e6:.1f} MB)"
    )
    outside_before = snapshot(base) - snapshot(root)
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", LAUNCH, "-w", str(root), "run", "--json"],
            capture_output=True,
            text=True,
            timeout=args.timeout,
            cwd=str(root),
        )
        out, code = proc.stdout, proc.returncode
    except subprocess.TimeoutExpired as exc:
        out, code = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or ""), -1
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    rss, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
    try:
        report = json.loads(out[out.index("{") :]) if "{" in out else {}
    except ValueError:
        report = {}
    sources = {
        str(Path(e["source"]).resolve())
        for key in ("processed", "updated", "failed", "skipped")
        for e in report.get(key, [])
    }
    lost = [n for n in inputs if str((inbox / n).resolve()) not in sources]
    failed_dir = inbox / "_failed"
    unexplained = (
        [
            p.name
            for p in failed_dir.glob("*")
            if not p.name.endswith(".error.txt") and not (failed_dir / f"{p.name}.error.txt").exists()
        ]
        if failed_dir.exists()
        else []
    )
    longest = 0
    for note in (root / "vault").rglob("*.md"):
        text = note.read_text(encoding="utf-8", errors="replace")
        fm = text.split("\n---\n", 1)[0]
        for m in re.finditer(r"^aliases:\n((?:- .*\n?)+)", fm, re.M):
            longest = max(longest, *(len(a) for a in m.group(1).splitlines()))
        longest = max(longest, *(len(ln) - 2 for ln in text.splitlines() if ln.startswith("# ")), 0)
    biggest_page = max(((p.stat().st_size, p.name) for p in (root / "vault").glob("*.md")), default=(0, ""))
    outside = sorted((snapshot(base) - snapshot(root)) - outside_before)
    from tests.conftest import broken_links

    broken = broken_links(root / "vault") if (root / "vault").exists() else []
    print(f"exit code: {code}")
    print(f"wall time: {wall:.1f} s (CPU time of the run and its children: {cpu:.1f} s)")
    print(f"peak RSS (run and its children): {rss:.0f} MB")
    print(f"longest title written: {longest} characters")
    print(f"largest top-level page: {biggest_page[1]} {biggest_page[0] / 1e3:.0f} KB")
    print(
        f"notes: {len(report.get('processed', []))}, updated: {len(report.get('updated', []))}, "
        f"failed: {len(report.get('failed', []))}, waiting: {len(report.get('skipped', []))}"
    )
    for f in report.get("failed", []):
        print(f"  failed {Path(f['source']).name}: {str(f.get('error', f))[:160]}")
    print(f"every capture accounted for: {not lost and not unexplained} {lost or ''}{unexplained or ''}")
    print(f"files outside the workspace: {len(outside)} {outside[:5] if outside else ''}")
    print(f"broken links: {len(broken)} {broken[:3] if broken else ''}")
    ok = (
        code in (0, 1)
        and wall <= 240
        and rss <= 2000
        and longest <= 1000
        and not lost
        and not outside
        and not broken
    )
    print(
        f"bar (240 s, 2,000 MB, titles <= 1,000, nothing lost or outside, no broken link): {'PASS' if ok else 'FAIL'}"
    )
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
