"""What briefgen needs of the operating system about its own processes: whether one is still
running (to clear what a killed build left), and that a helper process never outlives the
build that started it."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

_PR_SET_PDEATHSIG = 1
# The C library this process already has, looked up here in the parent: a child between fork
# and exec (a subprocess's preexec function) should do as little as it can.
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, but not ours to signal
    return True


def die_with_parent(parent: int) -> None:
    """Run in a child process (a pool's initializer, a subprocess's preexec function): on
    Linux, the kernel kills it when the thread that started it ends, so a build killed with
    SIGKILL leaves no worker behind holding its lock and its output. Elsewhere: nothing."""
    if _LIBC is None:
        return
    with contextlib.suppress(AttributeError):
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent was gone before the signal was asked for
        os._exit(1)


def left_by_gone_processes(folder: Path, prefix: str, *, mine: bool = False) -> Iterator[Path]:
    """The entries of ``folder`` named ``<prefix><pid>`` or ``<prefix><pid>-...`` whose process
    is gone (a build killed while it wrote them); with ``mine``, this process's too."""
    for path in folder.glob(f"{prefix}*"):
        pid = path.name[len(prefix) :].split("-", 1)[0]
        if pid.isdigit() and ((mine and int(pid) == os.getpid()) or not process_alive(int(pid))):
            yield path
