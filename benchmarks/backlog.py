"""A first backlog at the machine's speed: `triage run` against raw spaCy on the same news, one run.

    python benchmarks/backlog.py [--data ../shared/dev-eval] [--sizes 60,300,1000] [--crossover]

For each size N: N news captures (bbc-dev's reports first, then kpcrowd-500n's stories with a body,
then SciTLDR abstracts, as Markdown files with the headline as the title) in a fresh workspace, and
in fresh processes:

1. raw spaCy, one process: `nlp.pipe` over exactly the chunks triage analyses, the same model and
   components as triage loads (parser excluded, senter on) but spaCy's own attribute_ruler;
2. raw spaCy with `n_process=2` on the same chunks;
3. `triage run` end to end with the automatic worker count (both cores from 50,000 characters);
4. `triage run` held to one process (`workers: 1`);

with each one's wall time, its ratio to (1), its peak resident memory (the largest process), and
triage's time per stage (`triage -vv run` logs them). `--crossover` also times `analyze` in one and
in two processes on growing backlogs, to show where a second process starts to pay. Data are read
from ../shared/dev-eval (never copied into the repo).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from perf import LAUNCH  # noqa: E402  (the same launcher, peak memory on stderr)
from tables import MODELS  # noqa: E402

RAW = """
import json, resource, sys, time
import spacy
texts = json.load(open(sys.argv[1]))
for name in {models!r}:
    try:
        nlp = spacy.load(name, exclude=["parser"])
        break
    except OSError:
        continue
nlp.enable_pipe("senter")
start = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=8, n_process=int(sys.argv[2])):
    pass
took = time.perf_counter() - start
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({{"seconds": took, "rss": rss // 1024}}))
"""


def news(data: Path, n: int) -> list[tuple[str, str]]:
    """(file name, Markdown text) of the first `n` news captures of the pool."""
    out: list[tuple[str, str]] = []
    for line in (data / "bbc-dev.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        lines = [ln.strip() for ln in r["article"].splitlines() if ln.strip()]
        out.append((lines[0], "\n\n".join(lines[1:])))
    for path in sorted((data / "kpcrowd-500n" / "docsutf8").glob("*.txt")):
        lines = [
            ln.strip() for ln in path.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()
        ]
        if len(lines) > 1:
            out.append((lines[0], "\n\n".join(lines[1:])))
    for line in (data / "scitldr-a-dev.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        out.append((r.get("title") or r["paper_id"], " ".join(r["source"])))
    if len(out) < n:
        raise SystemExit(f"the pool has {len(out)} captures, fewer than {n}")
    return [(f"{i:04d}.md", f"# {title}\n\n{body}\n") for i, (title, body) in enumerate(out[:n])]


def workspace(root: Path, files: list[tuple[str, str]], workers: int) -> Path:
    for sub in ("inbox", "vault", "archive"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "triage.yaml").write_text(f"settle_seconds: 0\nworkers: {workers}\n", encoding="utf-8")
    for name, text in files:
        (root / "inbox" / name).write_text(text, encoding="utf-8")
    return root


def triage_run(root: Path) -> tuple[float, int, dict[str, float]]:
    """(wall seconds, peak RSS MB, seconds per stage) of `triage -vv run` in a fresh process."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", LAUNCH, "-vv", "-w", str(root), "run"], capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"triage run failed:\n{proc.stderr[-2000:]}")
    rss = int(re.search(r"MAXRSS (\d+)", proc.stderr).group(1)) // 1024  # type: ignore[union-attr]
    found = re.search(r"stage seconds: (\{.*\})", proc.stderr)
    return wall, rss, json.loads(found.group(1)) if found else {}


def chunks_of(files: list[tuple[str, str]]) -> list[str]:
    from triage.enrich.nlp import chunk, prepare
    from triage.sources.infer import infer_metadata
    from triage.sources.reader import read_capture

    texts: list[str] = []
    for i, (name, text) in enumerate(files):
        note = infer_metadata(read_capture(text.encode(), Path(name), 10**9, 1.7e9))
        texts += [c.text for c in chunk(i, prepare(note))]
    return texts


def raw_spacy(texts: list[str], n_process: int, tmp: Path) -> tuple[float, int]:
    src = tmp / "chunks.json"
    src.write_text(json.dumps(texts), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", RAW.format(models=MODELS), str(src), str(n_process)],
        capture_output=True,
        text=True,
        check=True,
    )
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return out["seconds"], out["rss"]


def crossover(data: Path) -> list[str]:
    """`analyze` in one and two processes on backlogs of growing size (in this process)."""
    from triage.enrich.nlp import analyze, load_nlp
    from triage.note import Note
    from triage.sources.infer import infer_metadata

    nlp = load_nlp(MODELS)

    def notes(n: int) -> list[Note]:
        return [
            infer_metadata(Note(source=Path(name), body=text, mtime=1.7e9)) for name, text in news(data, n)
        ]

    analyze(notes(4), nlp, workers=1)  # warm
    lines = ["| captures | characters | 1 process | 2 processes | 2 / 1 |", "|---|---|---|---|---|"]
    for n in (2, 5, 10, 20, 40, 80):
        batch = notes(n)
        chars = sum(len(x.body) for x in batch)
        t0 = time.perf_counter()
        analyze(notes(n), nlp, workers=1)
        one = time.perf_counter() - t0
        t0 = time.perf_counter()
        analyze(notes(n), nlp, workers=2)
        two = time.perf_counter() - t0
        lines.append(f"| {n} | {chars:,} | {one:.2f} s | {two:.2f} s | {two / one:.2f} |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "dev-eval")
    ap.add_argument("--sizes", default="60,300,1000")
    ap.add_argument("--crossover", action="store_true")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="triage-backlog-"))
    rows = []
    try:
        for n in sizes:
            files = news(args.data, n)
            words = sum(len(t.split()) for _, t in files)
            auto = triage_run(workspace(tmp / f"auto{n}", files, 0))
            one = triage_run(workspace(tmp / f"one{n}", files, 1))
            texts = chunks_of(files)
            raw1 = raw_spacy(texts, 1, tmp)
            raw2 = raw_spacy(texts, 2, tmp)
            rows.append((n, words, raw1, raw2, auto, one))
        cross = crossover(args.data) if args.crossover else []
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(
        f"# triage backlog speed\n\ncommand: python benchmarks/backlog.py {' '.join(sys.argv[1:])}".rstrip()
    )
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}\n")
    print(
        "| captures | words | raw spaCy, 1 process | raw spaCy, n_process=2 | triage run (auto) | "
        "triage run, workers: 1 |"
    )
    print("|---|---|---|---|---|---|")
    for n, words, raw1, raw2, auto, one in rows:
        base = raw1[0]
        print(
            f"| {n} | {words:,} | {base:.1f} s · {raw1[1]} MB | {raw2[0]:.1f} s ({raw2[0] / base:.2f}x) · "
            f"{raw2[1]} MB | {auto[0]:.1f} s (**{auto[0] / base:.2f}x**) · {auto[1]} MB | "
            f"{one[0]:.1f} s (**{one[0] / base:.2f}x**) · {one[1]} MB |"
        )
    print("\nTime per stage of `triage run` (seconds, from `triage -vv run`):\n")
    stages = sorted({k for *_, auto, one in rows for k in (*auto[2], *one[2])}, key=str)
    print("| captures | workers | " + " | ".join(stages) + " |")
    print("|---|---|" + "---|" * len(stages))
    for n, *_, auto, one in rows:
        for label, res in (("auto", auto), ("1", one)):
            print(f"| {n} | {label} | " + " | ".join(f"{res[2].get(s, 0):.2f}" for s in stages) + " |")
    if cross:
        print("\n`analyze` alone, one process against two (where a second process pays):\n")
        print("\n".join(cross))


if __name__ == "__main__":
    main()
