"""Work over forked processes, with this process's own work done meanwhile."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from briefgen.parallel import MIN_ITEMS_PER_WORKER, map_over_shared

FORKS = sys.platform.startswith("linux")


def _square_and_pid(shared: int, index: int) -> tuple[int, int]:
    return shared * index * index, os.getpid()


def test_meanwhile_runs_in_this_process_while_the_workers_do_the_work() -> None:
    ran: list[tuple[int, str]] = []
    count = 4 * MIN_ITEMS_PER_WORKER
    results = list(
        map_over_shared(
            _square_and_pid,
            3,
            count,
            jobs=2,
            meanwhile=lambda: ran.append((os.getpid(), threading.current_thread().name)),
        )
    )
    assert [value for value, _ in results] == [3 * i * i for i in range(count)]
    assert ran and ran[0][0] == os.getpid()
    if FORKS:  # the items went to other processes, and the work of this one to a thread
        assert {pid for _, pid in results} - {os.getpid()}
        assert ran[0][1] != threading.main_thread().name


@pytest.mark.parametrize("jobs", [1, 2])
def test_what_meanwhile_raises_is_raised_once_every_result_is_given(jobs: int) -> None:
    given: list[int] = []

    def fails() -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        for value, _ in map_over_shared(_square_and_pid, 1, 100, jobs=jobs, meanwhile=fails):
            given.append(value)
    if jobs > 1:
        assert given == [i * i for i in range(100)]


def test_without_workers_meanwhile_is_done_first() -> None:
    order: list[str] = []

    def record(shared: None, index: int) -> int:
        order.append(f"item {index}")
        return index

    results = list(map_over_shared(record, None, 3, jobs=4, meanwhile=lambda: order.append("mw")))
    assert results == [0, 1, 2]
    assert order == ["mw", "item 0", "item 1", "item 2"]
