"""Watch a site's sources and report each burst of changes once.

watchdog reports file events as editors make them: a save may be a write in place, a write to
a temporary file renamed over the old one (vim, JetBrains, VS Code), or a delete then a
create, and a burst of them for one keystroke. The watcher ignores editor swap and backup
files and the events of merely reading a file, and hands on a batch of changed paths once no
event has come for ``quiet`` seconds, so a burst costs one rebuild.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import (
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

_CHANGES = {EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED}
_SCRATCH_SUFFIXES = (".swp", ".swo", ".swx", ".swpx", "~", ".tmp", ".crswap", ".kate-swp")


def is_editor_scratch(name: str) -> bool:
    """Swap, backup and lock files editors keep beside the file being edited."""
    return (
        name.startswith((".#", ".~lock."))
        or name.endswith(_SCRATCH_SUFFIXES)
        or name == "4913"  # vim's probe that it may write in the folder
        or "___jb_" in name  # JetBrains' ___jb_tmp___ and ___jb_old___
        or (name.startswith("#") and name.endswith("#"))  # Emacs auto-save
        or (name.startswith(".") and name.endswith(".swp"))
    )


class SourceWatcher:
    """Calls ``on_change(paths)`` from its own thread after each quiet burst of changes to
    files under ``folders`` (recursively) or to one of ``files``."""

    def __init__(
        self,
        folders: Iterable[Path],
        files: Iterable[Path],
        on_change: Callable[[frozenset[Path]], None],
        quiet: float = 0.05,
    ) -> None:
        self._folders = tuple(folder.absolute() for folder in folders)
        self._files = frozenset(file.absolute() for file in files)
        self._on_change = on_change
        self._quiet = quiet
        self._pending: set[Path] = set()
        self._last_event = 0.0
        self._lock = threading.Condition()
        self._stopping = False
        self._observer = Observer()
        self._watched: set[Path] = set()
        self._batcher = threading.Thread(target=self._batch, name="briefgen-batch", daemon=True)

    def start(self) -> None:
        handler = _Forward(self._event)
        # The folders' parents, not recursively: to see a watched folder made or removed.
        for parent in {folder.parent for folder in self._folders} | {
            file.parent for file in self._files
        }:
            if parent.is_dir():
                self._observer.schedule(handler, str(parent), recursive=False)
        for folder in self._folders:
            self._watch(folder, handler)
        self._handler = handler
        self._observer.start()
        self._batcher.start()

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
        self._observer.stop()
        self._observer.join(timeout=2)
        self._batcher.join(timeout=2)

    def _watch(self, folder: Path, handler: FileSystemEventHandler) -> None:
        if folder.is_dir() and folder not in self._watched:
            self._observer.schedule(handler, str(folder), recursive=True)
            self._watched.add(folder)

    def _relevant(self, path: Path) -> bool:
        if is_editor_scratch(path.name):
            return False
        return path in self._files or any(
            path == folder or path.is_relative_to(folder) for folder in self._folders
        )

    def _event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _CHANGES:
            return  # opened, closed, read: not a change
        if event.is_directory and event.event_type == EVENT_TYPE_MODIFIED:
            return  # a folder's own mtime: its files report their changes themselves
        paths = [Path(str(event.src_path))]
        if event.event_type == EVENT_TYPE_MOVED:
            paths.append(Path(str(event.dest_path)))
        changed = {path for path in paths if self._relevant(path)}
        if not changed:
            return
        for path in changed:
            if path in self._folders and event.is_directory:
                self._watch(path, self._handler)  # a watched folder was made after start
        with self._lock:
            self._pending |= changed
            self._last_event = time.monotonic()
            self._lock.notify_all()

    def _batch(self) -> None:
        while True:
            with self._lock:
                while not self._pending and not self._stopping:
                    self._lock.wait()
                if self._stopping:
                    return
                wait = self._last_event + self._quiet - time.monotonic()
                if wait > 0:
                    self._lock.wait(wait)
                    continue
                batch, self._pending = frozenset(self._pending), set()
            self._on_change(batch)


class _Forward(FileSystemEventHandler):
    def __init__(self, callback: Callable[[FileSystemEvent], None]) -> None:
        self._callback = callback

    def on_any_event(self, event: FileSystemEvent) -> None:
        self._callback(event)
