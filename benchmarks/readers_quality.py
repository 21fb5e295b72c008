"""Capture-tool readers: the share of checks right on the fixture battery (`make quality-check`).

Every capture-tool fixture of tests/fixtures/sources/ is read through the product's own code (the
registry's `read_file`, then `infer_metadata`, exactly as a run does) and checked against what a
reader expects of it (`BATTERY`): the tool recognised, the title, the URL, the author, the dates
the file states (never one it does not), the format, and nothing quarantined. The battery is
split into the tools' default layouts and the variants real vaults hold (customised templates,
older plugin versions: the README's "Capture tools" section lists them). A third battery mutates
every fixture the way templates differ (tests/template_mutations.py: sections reordered or
dropped, heading levels changed, bullets restyled, the reader's keys added, the H1 removed; seeded,
so the same files every run), each saved under its title as sync tools name files, and checks the
tool, title, URL, author and no quarantine. Baseline: the generic reader alone (what triage read
before it knew any tool), on the same checks.

Then every file of the seeds (`../shared/seeds`, real captures) is read and what triage reads is
printed (no gold there: for eyes only).

    python benchmarks/readers_quality.py [--data ../shared/dev-eval] [--fast]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "sources"
MB = 10_000_000
MTIME = 1_700_000_000
_ = None
# fixture: (tool, title, url, author, published, captured, format, variant?, read as)
# url/author/published None: the file states none, so none may be invented; captured None: not
# stated (inferred from the file's time), so not checked.
BATTERY: dict[str, tuple[Any, ...]] = {
    "readwise-article.md": ("readwise", "Why Small Batches Beat Big Releases: Notes From Ten Years of Deploys",
                            "https://fieldnotes-example.org/essays/small-batches", "Tomasz Wielgosz", _, _, "article", False, _),
    "readwise-book.md": ("readwise", "The Quiet Machine: How Small Systems Outlast Big Plans", _, "Ingrid Halvorsen", _, _, "book", False, _),
    "readwise-podcast.md": ("readwise", "Ep. 212: Grid Storage After the Battery Boom", "https://gridtalk-example.fm/episodes/212",
                            "Grid Talk", _, _, "podcast", False, _),
    "readwise-tweets.md": ("readwise", "Most teams evaluating LLM agents measure the wrong thing",
                           "https://x.com/priya_evals/status/1765432109876543210", "@priya_evals", _, _, "thread", False, _),
    "readwise-metadata-h3.md": ("readwise", "How Cities Learn From Floods: Twenty Years of Drainage Decisions",
                                "https://harbourlines-example.net/essays/cities-learn-from-floods", "Marisol Ekwueme", _, _, "article", True, _),
    "readwise-2022.md": ("readwise", "The Case for Boring Queues", "https://opsjournal-example.com/posts/boring-queues",
                         "Dmitri Valcourt", _, _, "article", True, _),
    "readwise-blocks.md": ("readwise", "Notes on Maintaining Old Software", "https://craftlog-example.org/maintaining-old-software",
                           "Henrike Solberg", _, _, "article", True, _),
    "readwise-dataview.md": ("readwise", "Soil Carbon Is Slower Than You Think",
                             "https://fieldscience-example.org/articles/soil-carbon-slow", "Oyelaran Adebayo", _, _, "article", True, _),
    "readwise-unfenced.md": ("readwise", "The Quiet Economics of Libraries",
                             "https://civicnotes-example.org/quiet-economics-of-libraries", "Teodora Brandvold", _, _, "article", True, _),
    "omnivore-article.md": ("omnivore", "The Slow Death of the Status Meeting", "https://worklife-example.com/essays/status-meetings",
                            _, _, _, "article", False, _),
    "omnivore-no-highlights.md": ("omnivore", "A Field Guide to Slow Databases", "https://dbnotes-example.io/field-guide-slow-databases",
                                  _, _, _, "article", False, _),
    "omnivore-custom.md": ("omnivore", "The Half-Life of a Runbook", "https://sreletters-example.com/half-life-of-a-runbook",
                           "Priyanka Lindqvist", "2024-04-02", "2024-04-11", "article", True, _),
    "omnivore-content.md": ("omnivore", "What the Night Shift Knows", "https://workplace-example.org/what-the-night-shift-knows",
                            _, _, _, "article", True, _),
    "hypothesis-article.md": ("hypothesis", "The Last Mile Problem: Rural Broadband in 2024",
                              "https://ruralbroadband-example.org/reports/last-mile-2024", _, _, "2024-03-05", "article", False, _),
    "hypothesis-empty.md": ("hypothesis", "Why We Nap", "https://sleepscience-example.net/why-we-nap", _, _, "2023-11-14", "article", False, _),
    "hypothesis-no-frontmatter.md": ("hypothesis", "Reading Rooms and the Quiet Economy",
                                     "https://publicspaces-example.org/essays/reading-rooms", _, _, "2024-05-02", "article", True, _),
    "snipd.md": ("snipd", "Why Evals Drift: Benchmarks, Incentives and Stale Metrics",
                 "https://share.snipd.com/episode/3f2c9a1e-7b4d-4e8a-9c1f-2a6b8d0e4f13", "Lena Okafor", "2024-02-20", "2024-03-05", "podcast", False, _),
    "snipd-old.md": ("snipd", "Seeds, Vaults and the Long Memory of Farms",
                     "https://share.snipd.com/episode/5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a", "Bram Oyelowo", "2023-05-14", "2023-06-01", "podcast", True, _),
    "zotero.md": ("zotero", "Raman and Okafor (2023)", _, "Raman, Okafor", _, "2024-03-05", "paper", False, "Annotations.md"),
    "zotero-mdnotes.md": ("zotero", "Coordination Costs in Open Source Maintenance", "https://journals-example.org/oss/coordination-costs",
                          "Helga Marchetti, Samuel Okonjo, Ines Varga", "2017-09-01", "2021-03-04", "paper", True, "marchetti2017coordination.md"),
    "zotero-integration.md": ("zotero", "Sleep Debt and Decision Quality in Emergency Dispatch",
                              "https://medjournal-example.org/dispatch/sleep-debt", "Anneli Korhonen, Rafael Quintero", _, "2024-03-05", "paper", True,
                              "@korhonen2021sleep.md"),
    "webclipper-article.md": ("webclipper", "How Cities Learned to Love the Heat Pump",
                              "https://www.citylab-example.com/energy/heat-pumps-cold-winters", "Lucía Fernández, Jonas Berg", _, "2024-03-05", "article", False, _),
    "webclipper-x-post.md": ("webclipper", "The best code review comment I ever got was a question, not a correction",
                             "https://x.com/mirela_codes/status/1767112233445566778", "@mirela_codes", "2024-03-12", "2024-03-12", "post", False, _),
    "webclipper-x-thread.md": ("webclipper", "Inference now costs most teams more than training did",
                               "https://x.com/lena_okafor/status/1766001234567890123", "@lena_okafor", "2024-03-08", "2024-03-09", "thread", False, _),
    "webclipper-threadreader.md": ("webclipper", "I spent a month moving our CI from a single big runner to many small ones",
                                   "https://x.com/marcus_dev/status/1767554433221100998", "@marcus_dev", _, "2024-03-11", "thread", False, _),
    "webclipper-x-replies.md": ("webclipper", "Grid batteries are now cheaper than peaker plants in most of the country",
                                "https://x.com/arjun_rao/status/1790001234567890001", "@arjun_rao", "2024-05-13", "2024-05-14", "thread", True, _),
    "webclipper-reader-keys.md": ("webclipper", "Why Bus Networks Should Be Redrawn Every Decade",
                                  "https://transitthinking-example.org/redraw-bus-networks", "Ottilie Marsh", "2024-02-19", "2024-02-21", "article", True, _),
    "raindrop.md": ("raindrop", 'The Slow Web: Why "Fast" Stopped Meaning Better', "https://www.harborline.example/essays/the-slow-web",
                    _, _, "2024-03-07", "article", False, _),
    "raindrop-empty.md": ("raindrop", "Cache Invalidation Is a People Problem", "https://www.harborline.example/notes/cache-invalidation",
                          _, _, _, "article", False, _),
    "raindrop-plugin-default.md": ("raindrop", "Tides and Tolls: Paying for Sea Walls", "https://coastlines-example.org/essays/tides-and-tolls",
                                   "Yusuf Amari", _, _, "article", True, _),
    "raindrop-custom.md": ("raindrop", "In Praise of Small Websites", "https://quietweb-example.net/posts/small-websites",
                           "Lotte Brenneman", _, "2024-06-01", "article", True, _),
    "matter-custom.md": ("matter", "Why Builds Get Slow", "https://buildnotes-example.com/why-builds-get-slow", "Farida Oyelaran",
                         "2024-02-08", _, "article", True, "Why Builds Get Slow.md"),
    "matter.md": ("matter", "The Real Cost of fsync", "https://www.harborline.example/engineering/fsync-cost", "Daniel Soto",
                  "2023-11-02", _, "article", False, "The Real Cost of fsync.md"),
    "matter-empty.md": ("matter", "Queue Depth Is the Metric", "https://www.harborline.example/engineering/queue-depth", "Ingrid Holm",
                        "2024-01-15", _, "article", False, "Queue Depth Is the Metric.md"),
    "markdownload-template.md": ("markdownload", "The Hidden Cost of fsync: Durability vs. Throughput",
                                 "https://storage-example.dev/posts/fsync-durability", "Keiko Tanaka", _, "2024-03-06", "article", False, _),
    "kindle-plugin.md": ("kindle", "Designing Quiet Systems (2nd Edition)", "https://www.amazon.com/dp/B0QUIET123", "Lena Okafor",
                         _, "2024-03-10", "book", False, _),
    "kindle-plugin-empty.md": ("kindle", "The Cartographer's Ledger: A Survey of Lost Coasts", "https://www.amazon.com/dp/B0LEDGER77",
                               "Priya Raman, Tomas Ferreira", _, "2024-03-09", "book", False, _),
}  # fmt: skip
CHECKS = ("tool", "title", "url", "author", "date", "format", "kept")
MUTATED_CHECKS = ("tool", "title", "url", "author", "kept")


def _read(data: bytes, name: str, generic_only: bool = False) -> Any:
    """The first note of a file as a run reads it, or the CaptureError that quarantines it."""
    from triage.errors import CaptureError
    from triage.sources import reader
    from triage.sources.infer import infer_metadata

    saved = reader.READERS
    if generic_only:
        reader.READERS = (reader.READERS[-1],)
    try:
        return infer_metadata(reader.read_file(data, Path("/inbox") / name, MB, MTIME)[0])
    except CaptureError as exc:
        return exc
    finally:
        reader.READERS = saved


def _loose(text: Any) -> str:
    return " ".join(re.findall(r"[^\W_]+", str(text or "").casefold()))


def check_note(note: Any, expected: tuple[Any, ...], loose_title: bool = False) -> dict[str, bool]:
    tool, title, url, author, published, captured, fmt = expected[:7]
    if isinstance(note, Exception):
        return dict.fromkeys(CHECKS, False)
    dates = str(note.published_date or None) == str(published) and (
        captured is None or str(note.captured_date) == captured
    )
    same_title = _loose(note.title) == _loose(title) if loose_title else note.title == title
    return {
        "tool": note.source_tool == tool,
        "title": same_title,
        "url": note.url == url,
        "author": note.author == author,
        "date": dates,
        "format": note.format == fmt,
        "kept": True,
    }


def file_name(title: str) -> str:
    """A file named after its title, as sync tools name them (characters links refuse removed)."""
    return re.sub(r'[#|^:%\[\]\\/*?"<>]', "", title).strip()[:120] + ".md"


def _mutants(count: int) -> list[tuple[str, str, bytes, tuple[Any, ...]]]:
    """(fixture, operations, mutated bytes, expected) for `count` mutants of each fixture."""
    sys.path.append(str(ROOT))
    from tests.template_mutations import MUTATIONS, mutate

    rng = random.Random(20)
    out = []
    for name, expected in BATTERY.items():
        text = (FIXTURES / name).read_text(encoding="utf-8")
        keep = tuple(str(v) for v in expected[1:4] if v)
        for _ in range(count):
            ops = rng.sample(sorted(MUTATIONS), rng.randint(1, 3))
            out.append((name, "+".join(ops), mutate(text, ops, rng, keep).encode(), expected))
    return out


def _table(title: str, rows: dict[str, dict[str, list[bool]]], checks: tuple[str, ...]) -> None:
    print(f"\n### {title}\n")
    print("| tool | files | " + " | ".join(checks) + " | all |")
    print("| --- | ---: | " + " | ".join("---:" for _ in checks) + " | ---: |")
    for tool in sorted(rows):
        cols = rows[tool]
        n = len(cols[checks[0]])
        cells = [f"{sum(cols[c])}/{n}" for c in checks]
        total = sum(sum(cols[c]) for c in checks) / (n * len(checks))
        print(f"| {tool} | {n} | " + " | ".join(cells) + f" | {total:.0%} |")


def _battery(
    cases: list[tuple[str, bytes, str, tuple[Any, ...]]],
    checks: tuple[str, ...],
    loose: bool,
    generic_only: bool,
) -> tuple[float, dict[str, dict[str, list[bool]]], list[str]]:
    rows: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    right = total = 0
    wrong = []
    for label, data, as_name, expected in cases:
        got = check_note(_read(data, as_name, generic_only), expected, loose)
        for check in checks:
            rows[expected[0]][check].append(got[check])
            right += got[check]
            total += 1
        if not all(got[c] for c in checks):
            wrong.append(f"{label}: {', '.join(c for c in checks if not got[c])}")
    return (right / total if total else 0.0), rows, wrong


def _seeds(seeds: Path, fast: bool) -> None:
    files = sorted(p for p in seeds.iterdir() if p.is_file()) if seeds.is_dir() else []
    print(f"\n### What triage reads in the seeds ({seeds})\n")
    print("| file | tool | title | url | author | published | format | reasons |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for path in files[:3] if fast else files:
        note = _read(path.read_bytes(), path.name)
        if isinstance(note, Exception):
            print(f"| {path.name} | QUARANTINED: {note} | | | | | | |")
            continue
        cells = [note.source_tool or "-", note.title[:60], note.url or "-", note.author or "-"]
        cells += [str(note.published_date or "-"), note.format, str(len(note.read_reasons))]
        print(f"| {path.name} | " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")


def measure(data: Path, nlp: Any, fast: bool) -> dict[str, float]:
    """The share of checks right on the default layouts, the variants and the mutated battery
    (triage's readers), with the generic reader alone as the baseline; `nlp` is not needed."""
    figures: dict[str, float] = {}
    for part, variant in (("default", False), ("variants", True)):
        cases = [
            (n, (FIXTURES / n).read_bytes(), e[8] or n, e) for n, e in BATTERY.items() if e[7] == variant
        ]
        share, rows, wrong = _battery(cases, CHECKS, False, False)
        base, _rows, _wrong = _battery(cases, CHECKS, False, True)
        _table(f"{part} layouts: triage {share:.1%}, generic reader alone {base:.1%}", rows, CHECKS)
        for line in wrong:
            print(f"- wrong: {line}")
        figures[f"readers.{part}"] = share
    mutants = [(f"{n} [{ops}]", b, file_name(e[1]), e) for n, ops, b, e in _mutants(2 if fast else 8)]
    share, rows, wrong = _battery(mutants, MUTATED_CHECKS, True, False)
    halves = [_battery(mutants[i::2], MUTATED_CHECKS, True, False)[0] for i in (0, 1)]
    base, _rows, _wrong = _battery(mutants, MUTATED_CHECKS, True, True)
    _table(
        f"mutated templates ({len(mutants)} files): triage {share:.1%} (halves {halves[0]:.1%} / "
        f"{halves[1]:.1%}), generic reader alone {base:.1%}",
        rows,
        MUTATED_CHECKS,
    )
    for line in wrong[:40]:
        print(f"- wrong: {line}")
    figures["readers.mutated"] = share
    _seeds(data.parent / "seeds", fast)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "dev-eval")
    parser.add_argument("--fast", action="store_true")
    args = parser.parse_args()
    print(measure(args.data, None, args.fast))


if __name__ == "__main__":
    main()
