"""A real third-party client reads the vault built from the example captures."""

from __future__ import annotations

import pytest

from .conftest import triaged_examples

pytestmark = pytest.mark.nlp


@pytest.fixture(scope="module")
def vault(tmp_path_factory, nlp):
    return triaged_examples(tmp_path_factory, nlp, "obsidian")[0].vault


def test_obsidiantools_finds_no_broken_link_no_missing_frontmatter_no_orphan(vault):
    import obsidiantools.api as otools

    v = otools.Vault(vault).connect().gather()
    assert v.nonexistent_notes == []
    assert v.isolated_notes == []
    frontmatter = v.front_matter_index
    assert len(frontmatter) >= 40
    assert [name for name, fm in frontmatter.items() if not fm] == []


def test_names_are_unique_case_insensitively(vault):
    stems = [p.stem.casefold() for p in vault.rglob("*.md") if ".triage" not in p.parts]
    assert len(stems) == len(set(stems))


def test_property_types_are_declared(vault, tmp_path):
    from click.testing import CliRunner

    from triage.cli import cli

    CliRunner().invoke(cli, ["init", str(tmp_path / "w")])
    import json

    types = json.loads((tmp_path / "w" / "vault" / ".obsidian" / "types.json").read_text())["types"]
    assert types["captured_date"] == "date" and types["triaged_at"] == "datetime"
    assert types["tags"] == "tags" and types["aliases"] == "aliases" and types["topics"] == "multitext"
