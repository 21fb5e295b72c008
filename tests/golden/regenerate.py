"""Regenerate the golden vault: `make golden`. Review the diff of tests/golden/expected like code."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from tests.golden.test_golden import EXPECTED, build


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        vault = build(Path(tmp))
        if EXPECTED.exists():
            shutil.rmtree(EXPECTED)
        for path in sorted(vault.rglob("*")):
            rel = path.relative_to(vault)
            if path.is_file() and not any(part.startswith(".") for part in rel.parts):
                dest = EXPECTED / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, dest)
    print(f"wrote {EXPECTED}; review it with: git diff --stat -- {EXPECTED}")


if __name__ == "__main__":
    main()
