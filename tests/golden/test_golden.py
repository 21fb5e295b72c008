"""Golden test: a small fixture inbox -> a temporary vault, compared file by file with `expected/`.

When a change alters the output on purpose, run `make golden` and review the diff like code.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from tests.conftest import NOW, copy_examples, make_workspace

HERE = Path(__file__).resolve().parent
INBOX = HERE / "inbox"
EXPECTED = HERE / "expected"


def build(tmp: Path) -> Path:
    from triage.enrich.nlp import load_nlp
    from triage.pipeline import run

    ws = make_workspace(tmp / "ws")
    copy_examples(ws, INBOX)
    report = run(ws, now=NOW, nlp=load_nlp(ws.settings.models))
    assert report.failed == [], report.failed
    return ws.vault


def files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    }


@pytest.mark.nlp
def test_golden_vault(tmp_path):
    got = files(build(tmp_path))
    want = files(EXPECTED)
    assert sorted(got) == sorted(want), "file list differs; run `make golden` and review the diff"
    for rel, text in want.items():
        if got[rel] != text:
            diff = "".join(difflib.unified_diff(text.splitlines(True), got[rel].splitlines(True), rel, rel))
            pytest.fail(f"{rel} differs from the golden file (run `make golden` and review):\n{diff}")
