"""First contact: what a new user does, word for word, works (issue #11).

A file copied in just before a run is triaged by that run; a file still being written is not;
every note has every property; no hidden leftovers; files triage does not read are named; the
README's and every --help example run as written.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from triage.cli import cli
from triage.note import PROPERTY_ORDER
from triage.vault.catalog import read_frontmatter

from .conftest import EXAMPLES, ROOT, copy_examples, drop, make_workspace

BIN = Path(sys.executable).parent


@pytest.fixture
def runner():
    return CliRunner()


def invoke(runner, root: Path, *args: str):
    return runner.invoke(cli, ["-w", str(root), *args], catch_exceptions=False)


def default_workspace(tmp_path: Path) -> Path:
    """A workspace as `triage init` makes it: settle_seconds at its default (5 s)."""
    root = tmp_path / "reading"
    assert CliRunner().invoke(cli, ["init", str(root)]).exit_code == 0
    return root


@pytest.mark.nlp
def test_a_file_copied_just_now_is_triaged_by_this_run(runner, tmp_path):
    root = default_workspace(tmp_path)
    shutil.copy(EXAMPLES / "2026-03-04 grid-limits-essay.txt", root / "inbox" / "essay.txt")  # mtime: now
    result = invoke(runner, root, "run")
    assert result.exit_code == 0
    assert result.output.startswith("1 triaged, 0 skipped, 0 failed")
    assert not (root / "inbox" / "essay.txt").exists()


@pytest.mark.nlp
def test_a_file_still_being_written_waits_and_says_why(runner, tmp_path):
    root = default_workspace(tmp_path)
    growing = root / "inbox" / "download.md"
    growing.write_text("# A long download\n\nThe first part arrived.\n")
    stop = threading.Event()

    def keep_writing() -> None:
        while not stop.is_set():
            with growing.open("a") as fh:
                fh.write("More text arrives while the browser is still saving the page.\n")
            time.sleep(0.1)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        result = invoke(runner, root, "run")
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0
    assert result.output == (
        "0 triaged, 1 skipped, 0 failed\n1 waiting: still being written; the next run takes it\n"
    )
    assert growing.exists()


@pytest.mark.nlp
def test_every_note_has_every_property_in_the_same_order(tmp_path, nlp):
    from triage.pipeline import run

    ws = make_workspace(tmp_path / "ws")
    copy_examples(ws)
    drop(ws, "bare.txt", "A capture with no url, no author and no date of its own, just words to read.")
    report = run(ws, nlp=nlp)
    assert not report.failed and len(report.processed) == 7
    for path in (ws.vault / "notes").rglob("*.md"):
        props, problem = read_frontmatter(path)
        assert problem is None
        assert list(props)[: len(PROPERTY_ORDER)] == list(PROPERTY_ORDER), path.name
    bare = next(
        p for p in (ws.vault / "notes").rglob("*.md") if "bare" in read_frontmatter(p)[0]["original_filename"]
    )
    text = bare.read_text()
    assert "\nurl:\n" in text and "\nauthor:\n" in text and "\npublished_date:\n" in text


def test_validate_warns_about_missing_keys_without_failing(runner, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    old = ws.vault / "notes" / "2025" / "old.md"
    old.parent.mkdir(parents=True)
    old.write_text(
        "---\nid: SOURCE-20250101-001\ncaptured_date: 2025-01-01\noriginal_filename: old.md\n"
        "status: triaged\nplatform: web\nformat: note\nsignal_tier: low\nteleology: explore\n---\n# Old\n"
    )
    result = invoke(runner, ws.root, "validate")
    assert result.exit_code == 0
    missing = [
        k
        for k in PROPERTY_ORDER
        if k
        not in {
            "id",
            "captured_date",
            "original_filename",
            "status",
            "platform",
            "format",
            "signal_tier",
            "teleology",
        }
    ]
    assert result.output == (
        f"notes/2025/old.md: warning: missing keys: {', '.join(missing)}\n"
        "all notes valid (1 note with warnings)\n"
    )
    assert old.read_text().startswith("---\nid: SOURCE-20250101-001\ncaptured_date")  # not rewritten


def hidden_files(*folders: Path) -> list[str]:
    return sorted(
        str(p) for folder in folders if folder.exists() for p in folder.rglob("*") if p.name.startswith(".")
    )


@pytest.mark.nlp
def test_no_hidden_leftovers_and_explanations_keep_the_captures_mode(runner, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    drop(ws, "good.md", "# Good\n\nA short capture that triage reads without trouble at all.")
    bad = drop(ws, "bad.md", "---\ntopics: [unclosed\n---\ntext")
    os.chmod(bad, 0o640)
    result = invoke(runner, ws.root, "run")
    assert result.exit_code == 1
    assert hidden_files(ws.inbox, ws.archive) == []
    error = ws.failed_dir / "bad.md.error.txt"
    assert stat.S_IMODE(error.stat().st_mode) == 0o640
    note = next((ws.vault / "notes").rglob("*.md"))
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(note.stat().st_mode) == 0o666 & ~umask


def test_a_killed_runs_leftovers_are_removed(runner, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    for folder in (ws.inbox, ws.failed_dir, ws.archive / "2026"):
        (folder / ".triage-tmp").mkdir(parents=True)
        (folder / ".triage-tmp" / ".triage-x.tmp").write_text("half")
        (folder / ".triage-y.tmp").write_text("half")
    assert invoke(runner, ws.root, "run").exit_code == 0
    assert hidden_files(ws.inbox, ws.failed_dir) == []


def test_status_and_run_name_files_triage_does_not_read(runner, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    drop(ws, "slides.key", b"\x00binary")
    drop(ws, "sub/table.xlsx", b"PK\x03\x04")
    status = invoke(runner, ws.root, "status").output
    assert "Inbox: 0 ready, 0 waiting, 2 not read\n" in status
    assert "  slides.key: not a capture triage reads (" in status
    assert "  sub/table.xlsx: not a capture triage reads (" in status
    result = invoke(runner, ws.root, "run")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "0 triaged, 2 skipped, 0 failed"
    assert [ln.split(":")[0] for ln in lines[1:]] == ["slides.key", "sub/table.xlsx"]  # once each
    assert (ws.inbox / "slides.key").exists() and (ws.inbox / "sub" / "table.xlsx").exists()


# --- the README's and --help's examples, run exactly as written --------------------------------


def help_examples() -> list[str]:
    """Every line of every `Example:` block of every command's --help, in order."""
    lines: list[str] = []

    def walk(group: click.Group, prefix: list[str]) -> None:
        for name in [None, *group.commands]:
            if name is None:
                text = CliRunner().invoke(cli, [*prefix, "--help"], terminal_width=200).output
            else:
                command = group.commands[name]
                if isinstance(command, click.Group):
                    walk(command, [*prefix, name])
                    continue
                text = CliRunner().invoke(cli, [*prefix, name, "--help"], terminal_width=200).output
            block = text.split("Example:", 1)[1] if "Example:" in text else ""
            for line in block.splitlines()[1:]:
                if not line.startswith("  ") or not line.strip():
                    break
                lines.append(line.strip())

    walk(cli, [])
    return list(dict.fromkeys(lines))


def readme_examples() -> list[str]:
    """The README's shell examples for one's own reading (`.venv/bin/triage ...` lines of sh blocks)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```sh\n(.*?)```", readme, re.S):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line and not line.startswith("make "):
                out.append(line)
    return out


def run_script(lines: list[str], home: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("TRIAGE_WORKSPACE", None)
    script = "set -e\n" + "\n".join(
        # `watch` runs until Ctrl-C: send it one after a few seconds.
        f"rc=0; timeout -s INT 4 {line} || rc=$?; [ $rc = 0 ] || [ $rc = 124 ] || [ $rc = 130 ]"
        if re.search(r"\bwatch\b", line)
        else line
        for line in lines
    )
    return subprocess.run(
        ["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def downloads(home: Path) -> None:
    """What a new user has: a few captures just downloaded (fresh modification times)."""
    (home / "Downloads" / "captures").mkdir(parents=True)
    shutil.copy(EXAMPLES / "web-clip-local-first.md", home / "Downloads" / "local-first.md")
    shutil.copy(EXAMPLES / "2026-03-05-x-thread-evals.md", home / "Downloads" / "evals-thread.md")
    shutil.copy(EXAMPLES / "2026-03-02-inference-costs-triaged.md", home / "Downloads" / "captures" / "x.md")


@pytest.mark.nlp
def test_help_examples_run_as_written(tmp_path):
    home = tmp_path / "home"
    downloads(home)
    lines = help_examples()
    assert lines[:2] == ["triage init ~/reading && cd ~/reading", "cp ~/Downloads/*.md inbox/ && triage run"]
    result = run_script(lines, home, home)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    assert "2 triaged, 0 skipped, 0 failed" in result.stdout  # the copied files, in that same run
    assert not list((home / "reading" / "inbox").glob("*.md"))


@pytest.mark.nlp
def test_readme_examples_run_as_written(tmp_path):
    home = tmp_path / "home"
    downloads(home)
    lines = readme_examples()
    assert any(line.startswith(".venv/bin/triage init") for line in lines)
    repo = tmp_path / "repo"
    (repo / ".venv").mkdir(parents=True)
    (repo / ".venv" / "bin").symlink_to(BIN)
    result = run_script(lines, home, repo)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    assert "2 triaged, 0 skipped, 0 failed" in result.stdout
