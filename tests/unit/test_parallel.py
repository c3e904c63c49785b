"""Work spread over processes gives what the same work gives in one, in order."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from briefgen.parallel import iterate_in_processes, map_in_processes, map_over_shared


def _square(n: int) -> int:
    return n * n


def test_iterated_results_come_in_order_in_workers_and_here() -> None:
    items = list(range(200))
    expected = [n * n for n in items]
    assert list(iterate_in_processes(_square, items, jobs=2)) == expected
    assert list(iterate_in_processes(_square, items, jobs=1)) == expected
    assert map_in_processes(_square, items, jobs=2) == expected


def _waits_for_flag(shared: tuple[Path, float], index: int) -> tuple[int, bool]:
    """Each item waits (until the deadline at most) for the flag that ``meanwhile`` raises."""
    flag, deadline = shared
    while not flag.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    return index, flag.exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers: Linux only")
@pytest.mark.parametrize("jobs", [1, 2])
def test_meanwhile_runs_once_before_the_results_are_waited_for(tmp_path: Path, jobs: int) -> None:
    flag = tmp_path / "flag"
    calls: list[int] = []

    def meanwhile() -> None:
        calls.append(1)
        flag.touch()

    shared = (flag, time.monotonic() + 5)
    results = list(map_over_shared(_waits_for_flag, shared, 100, jobs, meanwhile))
    # Called after the last result, the workers would have waited out their deadline.
    assert results == [(index, True) for index in range(100)]
    assert calls == [1]


def _marks(folder: Path, index: int) -> int:
    time.sleep(0.02)
    (folder / str(index)).touch()
    return index


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers: Linux only")
def test_a_failing_meanwhile_stops_the_work_not_yet_started(tmp_path: Path) -> None:
    def meanwhile() -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        list(map_over_shared(_marks, tmp_path, 400, 2, meanwhile))
    # The chunks under way (and those queued for the workers) end; the rest never start.
    assert len(list(tmp_path.iterdir())) < 400
