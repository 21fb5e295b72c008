"""The README, the --help texts and the code say the same thing."""

from __future__ import annotations

import re

import click

from triage.cli import EXIT_BUG, EXIT_FAILED, EXIT_LOCKED, EXIT_OK, EXIT_USAGE, cli
from triage.config import Settings, default_text
from triage.note import NoteProperties

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_leads_with_the_two_commands():
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    assert "make run" in first_block and "make test" in first_block


def test_every_command_and_option_is_in_the_readme():
    for name, command in cli.commands.items():
        assert f"triage {name}" in README, name
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert any(opt in README for opt in param.opts), f"{name} {param.opts}"


def test_every_schema_key_and_setting_is_documented():
    for key in NoteProperties.model_fields:
        assert f"| `{key}` |" in README, key
    for key in Settings.model_fields:
        assert f"`{key}`" in README, key


def test_exit_codes_match():
    for code in (EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED, EXIT_BUG):
        assert re.search(rf"^\| {code} \| ", README, re.M), code


def test_vault_settings_in_the_repo_are_the_packaged_defaults():
    for name in ("taxonomy.yaml", "rules.yaml"):
        assert (ROOT / "vault" / "_triage" / name).read_text(encoding="utf-8") == default_text(name)


def test_examples_are_at_least_six_and_ours():
    examples = sorted((ROOT / "examples" / "inbox").iterdir())
    assert len(examples) >= 6
