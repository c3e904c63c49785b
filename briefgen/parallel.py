"""Run a pure function over many items in worker processes, results in input order.

The work (analysing thousands of articles) is CPU-bound Python, so threads would share one
core; processes do not. Small batches stay in this process: starting workers costs more than
it saves below a few dozen items. Forked workers (where the platform has fork) start in
milliseconds with the parent's imports already loaded.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from briefgen.processes import die_with_parent

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

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
    function: Callable[[Item], Result], items: Sequence[Item], jobs: int, size: int | None = None
) -> list[Result]:
    """``[function(item) for item in items]``, spread over up to ``jobs`` processes.
    ``size``: how many things the items hold between them, where each holds several."""
    return list(iterate_in_processes(function, items, jobs, size))


def iterate_in_processes(
    function: Callable[[Item], Result], items: Sequence[Item], jobs: int, size: int | None = None
) -> Iterator[Result]:
    """``map_in_processes``, each result given as soon as it and those before it are made:
    the caller takes the first ones while the workers make the rest."""
    held = len(items) if size is None else size
    workers = min(jobs, held // MIN_ITEMS_PER_WORKER)
    if workers <= 1:
        yield from map(function, items)
        return
    import multiprocessing  # (here: a build with little to do starts no worker)

    method = "fork" if sys.platform.startswith("linux") else None
    context = multiprocessing.get_context(method)
    # Small chunks, by what the items hold (about 16 a worker): the workers finish together
    # (at 8 cache files a chunk, the read phase of a first build at 10,000 articles took 0.5 s
    # longer: one worker waited for the other's last chunk).
    chunk = max(1, len(items) * max(1, held // (workers * 16)) // held)
    with _pool(workers, context) as pool:
        yield from pool.map(function, items, chunksize=chunk)


# What forked workers of ``map_over_shared`` read: set in the parent just before the fork, so
# the children inherit it (a site model and its templates) instead of receiving it pickled.
_shared: tuple[Callable[[Any, int], Any], Any] | None = None

# A build runs with the cycle collector off (it would walk the millions of objects the build
# keeps, again and again); so did a worker forked from it, and every reference cycle its work
# left stayed: rendering a page with Jinja leaves dozens (its context, its macros), 200 MB
# over the 14,000 pages of a 10,000-article site. A worker of ``map_over_shared`` sets what it
# inherited aside (``gc.freeze``) and collects the young objects every so many items: each
# collection walks only what those items made.
_COLLECT_EVERY = 100
_done_here = 0


def map_over_shared(
    function: Callable[[Any, int], Result],
    shared: Any,
    count: int,
    jobs: int,
    meanwhile: Callable[[], None] | None = None,
) -> Iterator[Result]:
    """``function(shared, i) for i in range(count)``, in order, as the results come, over up
    to ``jobs`` forked processes; in this process where fork is not available or the work is
    small. The results need not all be held at once. ``meanwhile`` is called when the first
    result is asked for, once the workers are at work (here: before the first item)."""
    global _shared
    workers = min(jobs, count // MIN_ITEMS_PER_WORKER)
    if workers <= 1 or not sys.platform.startswith("linux"):
        if meanwhile is not None:
            meanwhile()
        for index in range(count):
            yield function(shared, index)
        return
    _shared = (function, shared)
    try:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        chunk = max(1, min(64, count // (workers * 4)))
        with _pool(workers, context, _start_shared_worker) as pool:
            results = pool.map(_call_shared, range(count), chunksize=chunk)  # (all submitted)
            try:
                if meanwhile is not None:
                    meanwhile()
                yield from results
            except BaseException:  # (or the results are no longer wanted): no more work
                pool.shutdown(cancel_futures=True)
                raise
    finally:
        _shared = None


def _start_shared_worker(parent: int) -> None:
    die_with_parent(parent)
    gc.freeze()  # (what the worker inherited lives as long as it does)


def _call_shared(index: int) -> Any:
    global _done_here
    assert _shared is not None, "map_over_shared sets the work before forking"
    function, shared = _shared
    result = function(shared, index)
    _done_here += 1
    if _done_here % _COLLECT_EVERY == 0:
        gc.collect(0)
    return result


def _pool(
    workers: int, context: Any, start: Callable[[int], None] = die_with_parent
) -> ProcessPoolExecutor:
    """Workers that die with this process: a build killed outright leaves none behind."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=start,
        initargs=(os.getpid(),),
    )
