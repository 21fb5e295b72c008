"""The vault writer: the only code in triage that writes, moves or deletes files.

Every write is atomic: the text goes to a temporary file in `<vault>/.triage/tmp/` (a dot-folder
Obsidian does not show), is fsynced, then renamed into place. New notes and archived originals are
linked into place with `os.link`, which fails rather than overwrite, so nothing is ever clobbered.
Originals are copied to the archive and checked byte for byte before the inbox copy is removed.

Temporary files live in triage's own folders (`<vault>/.triage/tmp/`, `<workspace>/.triage/tmp/`),
never in the inbox, `_failed/` or the archive; only when one of those is on another file system
(where a rename cannot reach) is a hidden `.triage-*.tmp` made beside the destination, and the next
run removes any such file a killed run left. Files are created with the usual permissions (0666
less the umask, like any program's), an explanation file with those of the capture it explains.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import TriageError


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


WRITTEN_DB = "written.sqlite"
"""`.triage/written.sqlite`: for each note, the sha256 of the bytes triage last wrote to it. A note
whose bytes still match has not been edited since; `triage topics accept` changes only such notes.
Also kept for `Triage.base` (`vault/bases.py`), which triage rewrites only while it is unedited."""


def _written_db(vault: Path) -> sqlite3.Connection:
    (vault / ".triage").mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(vault / ".triage" / WRITTEN_DB, timeout=5)
    db.execute("PRAGMA synchronous = OFF")  # a lost record only makes a note count as edited
    db.execute("CREATE TABLE IF NOT EXISTS written (path TEXT PRIMARY KEY, sha256 TEXT)")
    return db


def written_sha256(vault: Path, rels: list[str]) -> dict[str, str]:
    """Path -> sha256 of the bytes triage last wrote there, for the paths it has a record of (none
    for notes written before triage kept this record, or if the record cannot be read)."""
    try:
        db = _written_db(vault)
    except (OSError, sqlite3.Error):
        return {}
    try:
        out = {}
        for rel in rels:
            row = db.execute("SELECT sha256 FROM written WHERE path = ?", (rel,)).fetchone()
            if row:
                out[rel] = str(row[0])
        return out
    except sqlite3.Error:
        return {}
    finally:
        db.close()


def unedited(vault: Path, rel: str, data: bytes) -> bool:
    """Are these a note's bytes exactly those triage last wrote to it?"""
    return written_sha256(vault, [rel]).get(rel) == hashlib.sha256(data).hexdigest()


def is_note(rel: str) -> bool:
    return rel.startswith("notes/") and rel.endswith(".md")


class VaultWriter:
    def __init__(self, vault: Path, dry_run: bool = False) -> None:
        self.vault = vault
        self.dry_run = dry_run
        self.tmp = vault / ".triage" / "tmp"
        self.written: list[str] = []
        """Relative paths written this run (for reports and tests)."""
        self._db: sqlite3.Connection | None = None
        self._unsynced: set[Path] | None = None  # folders whose fsync waits for the end of a batch

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Writes inside fsync each folder once, when the batch ends, instead of after every file
        (an index refresh writes hundreds of entity pages into one folder). Each file is still
        written to an fsynced temporary file and renamed into place, so none is ever half-written;
        for a crash before the batch ends, the caller keeps a marker (`pages-stale`) that it
        removes only after this returns."""
        outer = self._unsynced
        self._unsynced = set() if outer is None else outer
        try:
            yield
        finally:
            if outer is None:
                for folder in sorted(self._unsynced):
                    _fsync_dir(folder)
                self._unsynced = None

    def _remember(self, rel: str, data: bytes) -> None:
        """Record the sha256 of a note's bytes just written (see WRITTEN_DB). A record that cannot
        be written only means the note will count as edited: never an error."""
        if not (is_note(rel) or rel.endswith(".base")):  # a base the reader edits is theirs (vault/bases.py)
            return
        with contextlib.suppress(OSError, sqlite3.Error):
            if self._db is None:
                self._db = _written_db(self.vault)
            with self._db:
                self._db.execute(
                    "INSERT OR REPLACE INTO written VALUES (?, ?)", (rel, hashlib.sha256(data).hexdigest())
                )

    def clean_temp(self) -> None:
        """Remove temporary files a killed run left behind."""
        if not self.dry_run:
            _empty(self.tmp)

    def write(self, rel: str, text: str, remember: bool = True) -> bool:
        """Write `text` to `rel` (replacing it) unless it already holds exactly that. True if written.
        `remember=False` for a note the reader has edited: triage wrote only part of its bytes, so
        it stays an edited note (see WRITTEN_DB)."""
        dest = self.vault / rel
        data = text.encode("utf-8")
        try:
            if dest.read_bytes() == data:
                return False
        except OSError:
            pass
        if self.dry_run:
            return True
        atomic_write(dest, text, self.tmp, sync_folder=self._unsynced is None)
        if self._unsynced is not None:
            self._unsynced.add(dest.parent)
        if remember:
            self._remember(rel, data)
        self.written.append(rel)
        return True

    def create(self, rel: str, text: str) -> None:
        """Create a new file at `rel`; never replaces an existing one."""
        dest = self.vault / rel
        if self.dry_run:
            return
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = _write_temp(text.encode("utf-8"), self.tmp)
        try:
            os.link(tmp, dest)
        except FileExistsError:
            raise TriageError(
                f"{dest} already exists; triage never overwrites a note", "run again: the name is chosen anew"
            ) from None
        finally:
            tmp.unlink()
        _fsync_dir(dest.parent)
        self._remember(rel, text.encode("utf-8"))
        self.written.append(rel)


def _free_name(folder: Path, name: str) -> Path:
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate = folder / name
    n = 1
    while candidate.exists():
        candidate = folder / (f"{stem}-{n}.{ext}" if ext else f"{stem}-{n}")
        n += 1
    return candidate


OLD_TMP_DIR = ".triage-tmp"
"""Where older versions kept temporary files beside the inbox and archive (removed when empty)."""


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


def _empty(tmp: Path) -> None:
    if tmp.is_dir():
        for leftover in tmp.iterdir():
            with contextlib.suppress(OSError):
                leftover.unlink()


def clean_temp(folder: Path) -> None:
    """Remove what a killed run left in `folder`: hidden `.triage-*.tmp` files, and the
    `.triage-tmp/` folder of older versions."""
    with contextlib.suppress(OSError):
        for leftover in folder.glob(".triage-*.tmp"):
            with contextlib.suppress(OSError):
                leftover.unlink()
    old = folder / OLD_TMP_DIR
    if old.is_dir():
        _empty(old)
        with contextlib.suppress(OSError):
            old.rmdir()


def _same_device(a: Path, b: Path) -> bool:
    try:
        return os.stat(a).st_dev == os.stat(b).st_dev
    except OSError:
        return False


def _temp_folder(tmp_dir: Path | None, dest_folder: Path) -> Path:
    """`tmp_dir` when a rename from it reaches `dest_folder` (same file system), else the
    destination folder itself (the temporary file is hidden there)."""
    if tmp_dir is None:
        return dest_folder
    tmp_dir.mkdir(parents=True, exist_ok=True)
    return tmp_dir if _same_device(tmp_dir, dest_folder) else dest_folder


def _write_temp(data: bytes, folder: Path, mode: int | None = None) -> Path:
    """`data` in a new fsynced temporary file in `folder` (removed again if writing fails),
    with `mode` (default: 0666 less the umask, what any program's new file gets)."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".triage-", suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, FILE_MODE if mode is None else mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return Path(name)


def move_original(
    src: Path, folder: Path, expected_sha256: str | None = None, tmp_dir: Path | None = None
) -> Path:
    """Move a capture into `folder` byte for byte, never overwriting. If a file with the same name
    and the same bytes is already there, the inbox copy is simply removed. Returns where it is.

    The copy is made in `tmp_dir` (triage's own folder; beside the destination, hidden, when that
    is on another file system), checked against the sha256, then linked into place; only then is
    the source removed."""
    folder.mkdir(parents=True, exist_ok=True)
    sha = expected_sha256 or _sha256(src)
    same = folder / src.name
    if same.exists() and _sha256(same) == sha:
        src.unlink()
        return same
    tmp = Path(tempfile.mkstemp(prefix=".triage-", suffix=".tmp", dir=_temp_folder(tmp_dir, folder))[1])
    try:
        shutil.copyfile(src, tmp)
        shutil.copystat(src, tmp)
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        if _sha256(tmp) != sha:
            raise TriageError(
                f"{src} changed while it was being archived", "it stays in the inbox for the next run"
            )
        while True:
            dest = _free_name(folder, src.name)
            try:
                os.link(tmp, dest)
                break
            except FileExistsError:
                continue
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    _fsync_dir(folder)
    src.unlink()
    return dest


def atomic_write(
    path: Path, text: str, tmp_dir: Path | None = None, mode: int | None = None, sync_folder: bool = True
) -> None:
    """Replace `path` with `text` atomically: an fsynced temporary file (in `tmp_dir` when it is on
    the same file system; beside `path`, hidden, otherwise), renamed into place, then the folder
    fsynced (unless `sync_folder` is False: the caller does it, see VaultWriter.batch)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.replace(_write_temp(text.encode("utf-8"), _temp_folder(tmp_dir, path.parent), mode), path)
    if sync_folder:
        _fsync_dir(path.parent)


def write_error_file(folder: Path, name: str, text: str, tmp_dir: Path | None = None) -> Path:
    """`<name>.error.txt` beside the quarantined capture, with the capture's own permissions."""
    dest = folder / f"{name}.error.txt"
    try:
        mode: int | None = (folder / name).stat().st_mode & 0o777
    except OSError:
        mode = None
    atomic_write(dest, text, tmp_dir, mode)
    return dest


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """`atomic_write` for bytes (triage's caches in `vault/.triage/`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.replace(_write_temp(data, path.parent), path)
    _fsync_dir(path.parent)
