"""The preview's search index, made in the background once the pages it covers are served.

A preview build never waits for the indexer: after a build that changed pages, and once no
other save is waiting, Pagefind reads the served folder in a thread of its own. The index it
made is put in place by the rebuild thread, between builds, and only if no build changed the
pages meanwhile (then it is made again from the new ones).
"""

from __future__ import annotations

import queue
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

from briefgen.build import BuildResult
from briefgen.cache import CACHE_DIR
from briefgen.errors import Diagnostic, warning
from briefgen.search_index import (
    SEARCH_DIR,
    SearchIndexError,
    make_search_index,
    replace_search_index,
)

SETTLE_SECONDS = 1.0
_Made = tuple[int, dict[str, Path], Path | None, SearchIndexError | None]


class BackgroundIndex:
    """Called from the rebuild thread only: ``built`` after each build, ``idle`` whenever no
    build is waiting."""

    def __init__(self, root: Path, output_dir: Path, warn: Callable[[Diagnostic], None]) -> None:
        self.root, self.output_dir, self.warn = root, output_dir, warn
        self.generation = 0  # counts the builds that changed pages
        self.due = not (output_dir / SEARCH_DIR / "pagefind.js").is_file()
        self.running: threading.Thread | None = None
        self.finished: queue.Queue[_Made] = queue.Queue()
        self.installed = threading.Event()  # set each time an index is put in place
        self.last_build = 0.0  # (monotonic) when the last build that changed pages ended
        self.stopping = threading.Event()  # ends an index being made: the preview stops

    def built(self, result: BuildResult) -> None:
        if any(path.endswith(".html") for path in result.changed_files):
            self.generation += 1
            self.due = True
            self.last_build = time.monotonic()

    def idle(self) -> None:
        self._install_finished()
        # Not while someone is saving again and again: the index waits for a quiet second.
        settled = time.monotonic() - self.last_build >= SETTLE_SECONDS
        if self.due and self.running is None and settled:
            self.due = False
            self.running = threading.Thread(
                target=self._make, args=(self.generation,), name="briefgen-search", daemon=True
            )
            self.running.start()

    def stop(self, timeout: float = 30) -> None:
        """End an index being made (Pagefind is killed, its work folder in the cache
        removed), and remove any index made but not put in place."""
        self.stopping.set()
        if self.running is not None:
            self.running.join(timeout)
        while not self.finished.empty():
            _, _, work, _ = self.finished.get_nowait()
            if work is not None:
                shutil.rmtree(work, ignore_errors=True)

    def _make(self, generation: int) -> None:
        try:
            made, work = make_search_index(
                self.output_dir, self.root / CACHE_DIR, background=True, stop=self.stopping
            )
        except SearchIndexError as exc:
            self.finished.put((generation, {}, None, exc))
        else:
            self.finished.put((generation, made, work, None))

    def _install_finished(self) -> None:
        try:
            generation, made, work, problem = self.finished.get_nowait()
        except queue.Empty:
            return
        self.running = None
        try:
            if problem is not None:
                self.warn(warning(str(self.output_dir), None, problem.message, problem.hint))
            elif generation == self.generation:
                replace_search_index(self.output_dir, made)
                self.installed.set()
            else:
                self.due = True  # the pages changed while it was made: make it again
        finally:
            if work is not None:
                shutil.rmtree(work, ignore_errors=True)
