"""Run a reader's work in a child process with a memory and a time limit.

A library that holds a whole decompressed stream (PDFium loads a page's content stream, inflated,
before it parses it: a 2 MB PDF asked for 2.5 GB) cannot be bounded from outside it. The child is
forked, limits its address space to what it holds at the fork plus `memory_bytes`
(`resource.RLIMIT_AS`), runs the function and sends back its result (pickled) on a pipe. When the
child runs out of memory (a `MemoryError`, or the library aborts), or out of time (it is killed),
the parent gets a `Limit` it turns into a quarantine with what to do; a `CaptureError` raised in
the child is raised again in the parent. Where `fork` or `resource` do not exist (Windows), the
function runs in the process itself, bounded only by the reader's own limits.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from ..errors import CaptureError

T = TypeVar("T")


class Limit(Exception):
    """The child needed more memory (`kind` 'memory') or time ('time') than it was given, or died
    ('crash')."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind, detail)
        self.kind = kind
        self.detail = detail


def available() -> bool:
    try:
        import resource  # noqa: F401
    except ImportError:
        return False
    return hasattr(os, "fork")


def _address_space() -> int:
    """This process's virtual size in bytes (0 when /proc does not say)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _child(fn: Callable[..., Any], args: tuple[Any, ...], memory_bytes: int, out: int) -> None:
    """In the child: limit, run, write (status, payload), exit without running the parent's
    cleanup (atexit handlers, buffered output)."""
    try:
        import faulthandler
        import resource

        faulthandler.disable()  # an abort in the library is the parent's to explain, not a traceback
        base = _address_space()
        if base:
            resource.setrlimit(resource.RLIMIT_AS, (base + memory_bytes, base + memory_bytes))
        try:
            result: tuple[str, Any] = ("ok", fn(*args))
        except CaptureError as exc:
            result = ("error", (exc.message, exc.hint))
        except MemoryError:
            result = ("memory", "")
        except BaseException as exc:  # reported in the parent, as the reader's other failures are
            result = ("crash", f"{type(exc).__name__}: {exc}")
        try:
            data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps(("memory", ""))
        view = memoryview(data)
        while view:
            view = view[os.write(out, view) :]
    finally:
        os._exit(0)


def run_limited(fn: Callable[..., T], args: tuple[Any, ...], memory_bytes: int, seconds: float) -> T:
    """`fn(*args)` in a child with at most `memory_bytes` more memory and `seconds` of wall time.
    Raises `Limit` when it goes over, `CaptureError` when `fn` raised one."""
    if not available():
        return fn(*args)
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork in a threaded process (3.12+)
        pid = os.fork()
    if pid == 0:  # pragma: no cover  (the child; coverage does not follow it)
        os.close(read_end)
        _child(fn, args, memory_bytes, write_end)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + seconds
    timed_out = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_end], [], [], min(left, 1.0))
            if ready:
                chunk = os.read(read_end, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(read_end)
        if timed_out:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
    if timed_out:
        raise Limit("time")
    try:
        kind, payload = pickle.loads(b"".join(chunks))
    except Exception:  # no complete answer: the child died (an abort on a failed allocation)
        signal = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
        raise Limit("crash", f"signal {signal}" if signal else f"exit {os.WEXITSTATUS(status)}") from None
    if kind == "ok":
        return payload
    if kind == "error":
        raise CaptureError(*payload)
    raise Limit(kind, payload)
