"""VaultWriter.batch: a folder is fsynced once for a batch of writes, not after every file."""

from __future__ import annotations

from pathlib import Path

from triage.vault import writer as writer_mod
from triage.vault.writer import VaultWriter


def test_one_folder_sync_per_batch(tmp_path: Path, monkeypatch):
    synced: list[Path] = []
    monkeypatch.setattr(writer_mod, "_fsync_dir", synced.append)
    w = VaultWriter(tmp_path)
    with w.batch():
        for i in range(50):
            w.write(f"entities/e{i}.md", f"page {i}\n")
        w.write("Home.md", "home\n")
        with w.batch():  # nested: still one sync at the outer end
            w.write("entities/late.md", "late\n")
        assert synced == []  # nothing until the batch ends
    assert sorted(synced) == [tmp_path, tmp_path / "entities"]
    assert (tmp_path / "entities" / "e7.md").read_text() == "page 7\n"
    synced.clear()
    w.write("entities/alone.md", "x\n")  # outside a batch: synced at once, as before
    assert synced == [tmp_path / "entities"]


def test_folders_are_synced_even_when_the_batch_fails(tmp_path: Path, monkeypatch):
    synced: list[Path] = []
    monkeypatch.setattr(writer_mod, "_fsync_dir", synced.append)
    w = VaultWriter(tmp_path)
    try:
        with w.batch():
            w.write("a/x.md", "x\n")
            raise RuntimeError("render failed")
    except RuntimeError:
        pass
    assert synced == [tmp_path / "a"]
    assert w._unsynced is None
