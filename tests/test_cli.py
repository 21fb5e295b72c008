"""The command line, through click's CliRunner: exit codes, messages, JSON, help texts."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner
from filelock import FileLock

from triage.cli import cli

from .conftest import drop, make_workspace


@pytest.fixture
def runner():
    return CliRunner()


def invoke(runner, ws, *args):
    return runner.invoke(cli, ["-w", str(ws.root), *args], catch_exceptions=False)


def test_version(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("triage, version ")


def all_commands(group=cli, prefix=()):
    yield list(prefix)
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))
        else:
            yield [*prefix, name]


@pytest.mark.parametrize("command", list(all_commands()), ids=lambda c: " ".join(c) or "triage")
def test_every_help_has_an_example(runner, command):
    result = runner.invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_progress_bar_waits_a_second_then_shows(monkeypatch):
    from triage import cli as cli_module

    clock = [100.0]
    monkeypatch.setattr(cli_module.time, "monotonic", lambda: clock[0])
    progress = cli_module.Progress(enabled=True)
    progress("reading", 0, 10, "a.md")
    assert progress.bar is None  # under a second: nothing shown
    clock[0] += 1.5
    progress("analysing", 3, 10, "b.md")
    assert progress.bar is not None
    task = progress.bar.tasks[0]
    assert (task.description, task.completed, task.total, task.fields["name"]) == ("analysing", 3, 10, "b.md")
    progress.stop()
    assert cli_module.Progress(enabled=False).bar is None


def test_init_creates_a_workspace_and_never_overwrites(runner, tmp_path):
    target = tmp_path / "reading"
    result = runner.invoke(cli, ["init", str(target)])
    assert result.exit_code == 0
    assert result.output == (
        f"Workspace ready in {target}\n"
        f"  drop captures into {target / 'inbox'}, then run: triage -w {target} run\n"
    )
    for rel in (
        "triage.yaml",
        "inbox",
        "archive",
        "vault/_triage/taxonomy.yaml",
        "vault/_triage/rules.yaml",
        "vault/.obsidian/types.json",
    ):
        assert (target / rel).exists(), rel
    (target / "vault/_triage/taxonomy.yaml").write_text("topics:\n  mine: Mine\n")
    assert runner.invoke(cli, ["init", str(target)]).exit_code == 0
    assert (target / "vault/_triage/taxonomy.yaml").read_text() == "topics:\n  mine: Mine\n"


def test_run_with_nothing_to_do(runner, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    result = invoke(runner, ws, "run")
    assert result.exit_code == 0
    assert result.output == "0 triaged, 0 skipped, 0 failed\n"
    result = invoke(runner, ws, "run", "--json")
    assert json.loads(result.output) == {"processed": [], "updated": [], "skipped": [], "failed": []}


@pytest.mark.nlp
def test_run_json_and_exit_code_1_on_failures(runner, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    good = drop(
        ws, "2026-03-01-good.md", "# Chips\n\nTSMC in Taiwan makes the chips that NVIDIA sells to every lab."
    )
    bad = drop(ws, "bad.md", "---\ntopics: [unclosed\n---\ntext")
    result = runner.invoke(cli, ["-w", str(ws.root), "run", "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)  # stdout holds only the JSON
    assert data["processed"] == [
        {
            "source": str(good),
            "note": str(ws.vault / "notes/2026/20260301-unknown_note-chips.md"),
            "id": "SOURCE-20260301-001",
        }
    ]
    assert data["skipped"] == []
    assert data["failed"] == [
        {
            "source": str(bad),
            "error": "invalid frontmatter: while parsing a flow sequence did not find expected ',' or ']' "
            "(line 3, column 1)",
            "moved_to": str(ws.inbox / "_failed" / "bad.md"),
        }
    ]


def test_usage_and_config_errors_exit_2_without_traceback(runner, tmp_path):
    result = runner.invoke(cli, ["run", "--bogus"])
    assert result.exit_code == 2 and "No such option" in result.output
    ws = make_workspace(tmp_path / "ws")
    (ws.root / "triage.yaml").write_text("key_insights: 12\n")
    result = invoke(runner, ws, "run")
    assert result.exit_code == 2
    assert result.output.startswith(
        f"Error: {ws.root / 'triage.yaml'}: key_insights: Input should be less than or equal to 7"
    )
    assert "Traceback" not in result.output
    (ws.root / "triage.yaml").write_text("inbox: [unclosed\n")
    result = invoke(runner, ws, "run")
    assert result.exit_code == 2 and "line 2" in result.output and result.output.startswith("Error: ")


def test_bad_taxonomy_exits_2(runner, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    (ws.vault / "_triage").mkdir(parents=True)
    (ws.vault / "_triage" / "taxonomy.yaml").write_text("topics:\n  Bad Id: x\n")
    drop(ws, "a.md", "text")
    result = invoke(runner, ws, "run")
    assert result.exit_code == 2
    assert "topic id 'Bad Id' must be lowercase" in result.output


def test_second_run_while_locked_exits_3_and_touches_nothing(runner, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    drop(ws, "a.md", "text to triage")
    (ws.vault / ".triage").mkdir(parents=True, exist_ok=True)
    with FileLock(str(ws.vault / ".triage" / "run.lock")):
        result = invoke(runner, ws, "run")
    assert result.exit_code == 3
    assert result.output == (
        f"Error: another triage run is using {ws.root}\n  wait for it to finish; this run changed nothing\n"
    )
    assert (ws.inbox / "a.md").exists()


def test_no_model_is_a_clear_error(runner, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    (ws.root / "triage.yaml").write_text("models: [no_such_model_xyz]\n")
    drop(ws, "a.md", "text to triage")
    result = invoke(runner, ws, "run")
    assert result.exit_code == 2
    assert result.output.startswith("Error: no spaCy model found; tried no_such_model_xyz")
    assert (ws.inbox / "a.md").exists()


@pytest.mark.nlp
def test_validate_and_reindex(runner, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    drop(ws, "2026-03-01-a.md", "# Grids\n\nThe grid limits data centers in Texas, said ERCOT on Monday.")
    assert invoke(runner, ws, "run").exit_code == 0
    result = invoke(runner, ws, "validate")
    assert (result.exit_code, result.output) == (0, "all notes valid\n")
    assert invoke(runner, ws, "reindex").output == "0 index pages updated\n"
    note = next((ws.vault / "notes").rglob("*.md"))
    note.write_text(
        note.read_text().replace("status: triaged", "status: done").replace("format: note", "format: 7")
    )
    result = invoke(runner, ws, "validate")
    assert result.exit_code == 1
    rel = note.relative_to(ws.vault).as_posix()
    assert result.output == (
        f"{rel}: status: Input should be 'inbox', 'triaged', 'reviewed' or 'archived'\n"
        f"{rel}: format: Input should be 'article', 'thread', 'post', 'video', 'podcast', "
        "'paper', 'transcript', 'newsletter', 'book' or 'note'\n"
        "1 note with problems\n"
    )
    assert invoke(runner, ws, "reindex").output == "2 index pages updated\n"  # Home and Review Queue


def test_dry_run_message(runner, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    result = invoke(runner, ws, "run", "--dry-run")
    assert result.output == "0 would triage, 0 skipped, 0 failed (dry run: nothing written)\n"


@pytest.mark.nlp
def test_status_log_and_cron_output(runner, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    drop(ws, "2026-03-01-ok.md", "# Chips\n\nTSMC in Taiwan makes the chips that NVIDIA sells to every lab.")
    drop(ws, "bad.md", "---\nid: SOURCE-20260301-001\ncaptured_date: someday\n---\ntext")
    result = invoke(runner, ws, "run")
    assert result.exit_code == 1
    assert result.stdout == "1 triaged, 0 skipped, 1 failed; 33 index pages updated\n"  # no TTY: summary only
    assert result.stderr.startswith("WARNING failed: bad.md")  # cron mails what goes to stderr
    log = (ws.root / ".triage" / "triage.log").read_text()
    assert "triaged 2026-03-01-ok.md" in log and "failed: bad.md" in log
    status = invoke(runner, ws, "status")
    assert status.exit_code == 0
    lines = status.output.splitlines()
    assert lines[0] == "Inbox: 0 ready, 0 waiting"
    assert lines[1:3] == [
        "Failed: 1 in _failed/",
        "  bad.md: frontmatter `captured_date`: 'someday' is not a date",
    ]
    assert lines[3].startswith("Last run: ") and lines[3].endswith(": 1 triaged, 0 skipped, 1 failed")
    assert lines[4] == "Vault: 1 notes · 1 triaged"
    data = json.loads(invoke(runner, ws, "status", "--json").output)
    assert data["vault"]["notes"] == 1 and data["failed"][0]["file"] == "bad.md"
    home = (ws.vault / "Home.md").read_text()
    assert "## Failed captures" in home and "`bad.md`" in home


def test_log_rotates(tmp_path):
    import logging

    from triage.commands.base import LOG_BYTES, _attach_log

    ws = make_workspace(tmp_path / "ws")
    _attach_log(ws)
    logger = logging.getLogger("triage")
    for _ in range(3 * LOG_BYTES // 100):
        logger.info("x" * 90)
    files = sorted(p.name for p in (ws.root / ".triage").iterdir())
    assert files[:2] == ["triage.log", "triage.log.1"]
    assert all((ws.root / ".triage" / f).stat().st_size <= LOG_BYTES + 200 for f in files)
