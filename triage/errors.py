"""The error hierarchy. Every error triage raises on purpose is a `TriageError`; the CLI turns it
into `Error: <message>` plus a hint, never a traceback.

- `ConfigError`   bad workspace config, taxonomy or rules; fix the file named in the message (exit 2).
- `CaptureError`  one capture cannot be read or understood; it is quarantined, the run goes on.
- `LockedError`   another run holds the workspace lock (exit 3).
- `ModelError`    no usable spaCy model is installed (exit 2).
"""

from __future__ import annotations


class TriageError(Exception):
    """Base class. `hint` says what the user can do about it."""

    exit_code = 2

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  {self.hint}" if self.hint else self.message


class ConfigError(TriageError):
    exit_code = 2


class ModelError(TriageError):
    exit_code = 2


class LockedError(TriageError):
    exit_code = 3


class CaptureError(TriageError):
    """A capture that cannot be processed. Carries the source path and, where known, line/column."""

    exit_code = 1

    def __init__(self, message: str, hint: str = "", line: int | None = None, column: int | None = None):
        super().__init__(message, hint)
        self.line = line
        self.column = column

    def location(self) -> str:
        if self.line is None:
            return ""
        return f"line {self.line}" + (f", column {self.column}" if self.column is not None else "")
