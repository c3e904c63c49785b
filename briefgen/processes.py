"""What briefgen needs of the operating system about its own processes: whether one is still
running (to clear what a killed build left), and that a helper process never outlives the
build that started it."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


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
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent was gone before the signal was asked for
        os._exit(1)
