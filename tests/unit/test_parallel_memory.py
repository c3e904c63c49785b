"""Worker processes keep to the memory their work needs, with the cycle collector off."""

from __future__ import annotations

import gc
import resource
import sys
from typing import Any

import pytest

from briefgen.parallel import map_over_shared

_MIB = 1024 * 1024


def _leave_a_cycle(shared: dict[str, int], index: int) -> int:
    """What rendering a page with Jinja does: objects that point at each other (here, 1 MiB
    held by the cycle), dropped, so that only the cycle collector could free them. Returns
    the worker's peak memory so far, in KiB."""
    node: dict[str, Any] = {"data": bytearray(shared["size"])}
    node["self"] = node
    del node
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers: Linux only")
def test_shared_work_workers_free_the_cycles_their_items_leave() -> None:
    was_enabled = gc.isenabled()
    gc.disable()  # as a build runs
    try:
        peaks = list(map_over_shared(_leave_a_cycle, {"size": _MIB}, 600, jobs=2))
    finally:
        if was_enabled:
            gc.enable()
    # 300 MiB of cycles per worker were left; collected every 100 items, a worker never
    # held much more than 100 of them at once.
    start = min(peaks)
    assert max(peaks) - start < 160 * 1024, f"grew {(max(peaks) - start) // 1024} MiB"
