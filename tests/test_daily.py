"""schedule, export notebooklm and watch."""

from __future__ import annotations

import json
import threading
import time

import pytest
from click.testing import CliRunner

from triage.cli import cli
from triage.daily import export_notebooklm, watch
from triage.pipeline import run
from triage.vault.catalog import load_notes

from .conftest import NOW, OLD, drop, make_workspace, triaged_examples


def test_schedule_prints_cron_and_systemd_with_absolute_paths(tmp_path):
    ws = make_workspace(tmp_path / "My Reading")
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "schedule", "--every", "30"])
    assert result.exit_code == 0
    out = result.output
    cron = next(line for line in out.splitlines() if line.startswith("*/30 * * * * "))
    assert f"-q -w '{ws.root}' run >> '{ws.root}/.triage/cron.log' 2>&1" in cron
    assert cron.split()[5].startswith("/")  # the triage command, absolute
    assert "[Timer]\nOnBootSec=2min\nOnUnitActiveSec=30min\nPersistent=true" in out
    assert "~/.config/systemd/user/triage-my-reading.timer" in out
    assert "systemctl --user daemon-reload && systemctl --user enable --now triage-my-reading.timer" in out
    assert "SuccessExitStatus=3" in out


@pytest.fixture(scope="module")
def vault_ws(tmp_path_factory, nlp):
    return triaged_examples(tmp_path_factory, nlp, "export")[0]


@pytest.mark.nlp
def test_export_respects_limits_and_writes_a_manifest(vault_ws, tmp_path):
    records = load_notes(vault_ws.vault)
    manifest = export_notebooklm(
        vault_ws.vault, records, tmp_path / "out", None, max_sources=2, max_words=1000
    )
    listed = [n for nb in manifest["notebooks"] for src in nb["sources"] for n in src["notes"]]
    assert sorted(set(listed)) == sorted(r.path for r in records)  # every note goes somewhere
    for nb in manifest["notebooks"]:
        assert len(nb["sources"]) <= 2
        for src in nb["sources"]:
            text = (tmp_path / "out" / src["file"]).read_text()
            assert len(text.split()) <= 1000 + 50 * len(src["notes"])  # separators aside
            assert src["words"] <= 1000
    saved = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert saved == manifest
    assert saved["limits"] == {"max_sources_per_notebook": 2, "max_words_per_source": 1000}


@pytest.mark.nlp
def test_export_splits_overflow_into_more_notebooks(vault_ws, tmp_path):
    records = load_notes(vault_ws.vault)
    manifest = export_notebooklm(vault_ws.vault, records, tmp_path / "o", "ai-infrastructure", 1, 1000)
    names = [nb["notebook"] for nb in manifest["notebooks"]]
    assert names[0] == "ai-infrastructure" and all(n.startswith("ai-infrastructure") for n in names)
    assert all(len(nb["sources"]) == 1 for nb in manifest["notebooks"])


@pytest.mark.nlp
def test_export_command(vault_ws, tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        cli, ["-w", str(vault_ws.root), "export", "notebooklm", "--out", str(tmp_path / "x")]
    )
    assert result.exit_code == 0 and result.output.endswith(f"manifest: {tmp_path / 'x' / 'manifest.json'}\n")
    bad = runner.invoke(
        cli,
        [
            "-w",
            str(vault_ws.root),
            "export",
            "notebooklm",
            "--category",
            "nope",
            "--out",
            str(tmp_path / "y"),
        ],
    )
    assert bad.exit_code == 2 and bad.output.startswith("Error: no note has notebooklm_category 'nope'")


@pytest.mark.nlp
def test_watch_runs_when_files_settle(tmp_path, nlp):
    ws = make_workspace(tmp_path / "ws", settle_seconds=0.5)
    runs = []

    def once():
        runs.append(run(ws, now=NOW, nlp=nlp))

    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(ws, once, stop, 0.1), daemon=True)
    thread.start()
    try:
        time.sleep(0.5)
        drop(ws, "2026-03-01-a.md", "# Grids\n\nThe grid limits data centers in Texas.", mtime=OLD)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(r.processed for r in runs):
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert any(r.processed for r in runs)
    assert not (ws.inbox / "2026-03-01-a.md").exists()
    assert len(load_notes(ws.vault)) == 1
