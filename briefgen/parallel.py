"""Run a pure function over many items in worker processes, results in input order.

The work (analysing thousands of articles) is CPU-bound Python, so threads would share one
core; processes do not. Small batches stay in this process: starting workers costs more than
it saves below a few dozen items. Forked workers (where the platform has fork) start in
milliseconds with the parent's imports already loaded.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS_PER_WORKER = 32


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def map_in_processes(
    function: Callable[[Item], Result], items: Sequence[Item], jobs: int
) -> list[Result]:
    """``[function(item) for item in items]``, spread over up to ``jobs`` processes."""
    workers = min(jobs, len(items) // MIN_ITEMS_PER_WORKER)
    if workers <= 1:
        return [function(item) for item in items]
    method = "fork" if sys.platform.startswith("linux") else None
    context = multiprocessing.get_context(method)
    chunk = max(1, len(items) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(function, items, chunksize=chunk))
