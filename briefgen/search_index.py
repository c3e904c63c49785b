"""The full-text search index: Pagefind, run over the site as it is about to be published.

Pagefind (PyPI ``pagefind[extended]``, which ships its binary) reads the built pages and
writes a static index that the search page loads in the browser: no server, no request that
leaves the site. Only article pages are indexed (the theme marks their text with
``data-pagefind-body``, with filters by topic and source), so a result is always an article.

It runs as its own process over the complete staging folder, before the swap, and writes into
a work folder in the cache; the build adds the files it made to the site like any other file,
so an index file whose bytes did not change keeps its inode. A build in which no page changed
keeps the index there is; one that changed pages without making an index (``--no-search``,
or Pagefind failed) notes that the index is behind, so the next build with search makes it.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path

from briefgen.cache import CACHE_DIR, write_atomically
from briefgen.errors import Refused
from briefgen.output import SiteWriter, WriteStats, files_under
from briefgen.processes import die_with_parent, left_by_gone_processes

SEARCH_DIR = "pagefind"
# Pagefind also writes user interfaces of its own; the theme's search page uses its own script.
_NOT_NEEDED = (
    "pagefind-ui.",
    "pagefind-modular-ui.",
    "pagefind-component-ui.",
    "pagefind-highlight.",
)
_STALE_FILE = "search.json"
_TIMEOUT_SECONDS = 600


class SearchIndexError(Refused):
    """Pagefind could not make the index: ``message`` says why, ``hint`` what to do."""


def make_search_index(
    site: Path,
    work_root: Path,
    *,
    background: bool = False,
    stop: threading.Event | None = None,
) -> tuple[dict[str, Path], Path]:
    """Index the site in ``site``: the index files by their path in the site, and the work
    folder under ``work_root`` that holds them (the caller removes it once they are copied).
    ``background``: at a low priority, so that it never slows the preview's rebuilds;
    ``stop``, once set, ends Pagefind midway (SearchIndexError; nothing is left behind)."""
    binary = _pagefind_binary()
    if binary is None:
        raise SearchIndexError(
            "Pagefind is not installed, so the site has no search index",
            "pip install 'pagefind[extended]', or build with --no-search",
        )
    work_root.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_work(work_root)
    work = Path(tempfile.mkdtemp(prefix=f"search-{os.getpid()}-", dir=work_root))
    command = [str(binary), "--site", str(site), "--output-path", str(work / SEARCH_DIR)]
    try:
        process = subprocess.Popen(
            [*command, "--silent"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=functools.partial(_prepare_indexer, os.getpid(), background),
        )
        stdout, stderr = _finished(process, stop)
    except (OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise SearchIndexError(
            f"Pagefind did not run: {exc}", "check the pagefind install, or build with --no-search"
        ) from exc
    if process.returncode != 0:
        shutil.rmtree(work, ignore_errors=True)
        said = (stderr or stdout).strip().splitlines()
        raise SearchIndexError(
            f"Pagefind failed ({said[-1] if said else f'exit code {process.returncode}'})",
            "the rest of the site is built; build with -v to see more, or with --no-search",
        )
    files = {
        f"{SEARCH_DIR}/{name}": Path(entry.path)
        for name, entry in files_under(work / SEARCH_DIR)
        if not name.startswith(_NOT_NEEDED) and not name.startswith("playground/")
    }
    return files, work


def _finished(process: subprocess.Popen[str], stop: threading.Event | None) -> tuple[str, str]:
    """What Pagefind wrote once it exits; killed (TimeoutExpired) past the time allowed, as
    soon as ``stop`` is set, or when this process is interrupted."""
    deadline = time.monotonic() + _TIMEOUT_SECONDS
    try:
        while True:
            left = deadline - time.monotonic()
            try:
                # (Output is kept across waits that time out.)
                return process.communicate(timeout=max(0, min(left, 0.1) if stop else left))
            except subprocess.TimeoutExpired:
                if time.monotonic() < deadline and not (stop and stop.is_set()):
                    continue
                raise
    except BaseException:
        process.kill()
        process.communicate()
        raise


def replace_search_index(output_dir: Path, made: Mapping[str, Path]) -> WriteStats:
    """Put an index made apart from a build (the preview's) into ``output_dir`` in one step,
    every other file as it is."""
    with SiteWriter(output_dir) as writer:
        for path in writer.held_under(""):
            if not path.startswith(f"{SEARCH_DIR}/"):
                writer.keep(path)
        for path, source in made.items():
            writer.add(path, source)
        return writer.commit()


def _prepare_indexer(parent: int, background: bool) -> None:
    """In Pagefind's process before it starts: it dies with the build (a killed build leaves
    no indexer writing into its cache), and in the background it yields to the rebuilds."""
    die_with_parent(parent)
    if background and hasattr(os, "nice"):
        os.nice(10)


def _remove_abandoned_work(work_root: Path) -> None:
    """Work folders of builds killed while Pagefind ran (their process is gone)."""
    for folder in left_by_gone_processes(work_root, "search-"):
        shutil.rmtree(folder, ignore_errors=True)


def _pagefind_binary() -> Path | None:
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    found: Path | None = get_executable()
    return found if found is not None and found.exists() else None


def index_is_behind(root: Path, output_dir: Path) -> bool:
    """Whether pages of ``output_dir`` changed since its index was made."""
    try:
        stale = json.loads((root / CACHE_DIR / _STALE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(stale, dict) and bool(stale.get(str(output_dir)))


def note_index_behind(root: Path, output_dir: Path, behind: bool) -> None:
    path = root / CACHE_DIR / _STALE_FILE
    try:
        stale = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(stale, dict):
            stale = {}
    except (OSError, ValueError):
        stale = {}
    if bool(stale.get(str(output_dir))) == behind:
        return
    if behind:
        stale[str(output_dir)] = True
    else:
        stale.pop(str(output_dir), None)
    write_atomically(path, json.dumps(stale, sort_keys=True).encode())
