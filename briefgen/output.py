"""Write the output; unchanged files are not rewritten, and a killed build leaves a whole site.

Two ways, chosen by how much changed:

* Many changes (a first build, a template edit): the new site is assembled in a staging
  folder beside the output, unchanged files hard-linked from the current output (same inode,
  same mtime), the rest written new; then the two folders are exchanged atomically
  (``renameat2(RENAME_EXCHANGE)`` on Linux, two renames elsewhere).
* A few changes (an article edited): only those files are written in place, each to a
  temporary name and renamed over the old one, in an order that keeps every link working if
  the build is killed between two of them: new files first, then changed ones, then
  removals. Staging the whole tree would cost more than the change (at 10,000 articles,
  seconds for a handful of pages).

Either way a reader never sees a half-written file, and no path can write outside the output
folder.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from briefgen.errors import OutputError, error

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
# Up to this share of the output's files changed (or removed), they are updated in place.
_IN_PLACE_SHARE = 0.1
_TEMP_PREFIX = ".briefgen-tmp-"


@dataclass(frozen=True)
class WriteStats:
    written: int  # new or changed files
    unchanged: int  # linked from the previous output
    removed: int  # files of the previous output that the new site no longer has


def safe_relative(path: str) -> str:
    """``path`` as a relative posix path that stays inside its folder, or OutputError."""
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if path.startswith("/") or ".." in parts or "\x00" in path or not parts:
        raise OutputError(
            error(
                path,
                None,
                "refusing to write outside the output folder",
                "this is a bug or an unsafe slug; report it",
            )
        )
    return "/".join(parts)


def write_site(
    output_dir: Path,
    files: Mapping[str, bytes],
    copies: Mapping[str, Path],
    kept: Iterable[str] = (),
) -> WriteStats:
    """Replace ``output_dir`` with exactly ``files`` (bytes), ``copies`` (source paths) and
    ``kept``: files of the current output the caller knows are still right, taken as they are
    without being read."""
    output_dir = output_dir.absolute()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    wanted: dict[str, bytes | Path] = {safe_relative(p): d for p, d in files.items()}
    wanted.update({safe_relative(p): source for p, source in copies.items()})
    same = {rel for rel, content in wanted.items() if _unchanged(output_dir, rel, content)}
    for path in kept:
        rel = safe_relative(path)
        wanted[rel] = output_dir / rel
        same.add(rel)
    previous = _relative_files(output_dir) if output_dir.is_dir() else set()
    removed = previous - wanted.keys()
    changed = len(wanted) - len(same)
    stats = WriteStats(changed, len(same), len(removed))
    if not changed and not removed:
        return stats  # nothing to do: not one file touched
    _remove_abandoned_staging(output_dir)
    if previous and changed + len(removed) <= _IN_PLACE_SHARE * len(previous):
        _update_in_place(output_dir, wanted, same, removed, previous)
    else:
        _replace_whole(output_dir, wanted, same)
    return stats


def _replace_whole(output_dir: Path, wanted: Mapping[str, bytes | Path], same: set[str]) -> None:
    staging = output_dir.with_name(f".{output_dir.name}.staging-{os.getpid()}")
    staging.mkdir()
    try:
        made: set[Path] = set()
        for rel in sorted(wanted):
            _place(output_dir, staging, rel, wanted[rel], rel in same, made)
        _swap_in(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(staging, ignore_errors=True)  # now holds the previous site


def _update_in_place(
    output_dir: Path,
    wanted: Mapping[str, bytes | Path],
    same: set[str],
    removed: set[str],
    previous: set[str],
) -> None:
    """New files, then changed files, then removals, each file whole when it appears."""
    new = sorted(rel for rel in wanted if rel not in same and rel not in previous)
    changed = sorted(rel for rel in wanted if rel not in same and rel in previous)
    for rel in new + changed:
        target = output_dir / rel
        if target.parent != output_dir:
            _make_folder(output_dir, target.parent)
        content = wanted[rel]
        _write_by_rename(target, content if isinstance(content, bytes) else content.read_bytes())
    for path in sorted(removed):
        target = output_dir / path
        if target.is_dir() and not target.is_symlink():
            continue  # the file made way for a folder of the new site
        target.unlink(missing_ok=True)
        _remove_empty_folders(output_dir, target.parent)


def _make_folder(output_dir: Path, folder: Path) -> None:
    """Create ``folder`` under the output, replacing a file or symlink in its way."""
    current = output_dir
    for part in folder.relative_to(output_dir).parts:
        current = current / part
        if current.is_symlink() or (current.exists() and not current.is_dir()):
            current.unlink()
        current.mkdir(exist_ok=True)


def _write_by_rename(target: Path, data: bytes) -> None:
    temp = target.with_name(f"{_TEMP_PREFIX}{os.getpid()}-{target.name}")
    try:
        temp.write_bytes(data)
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _remove_empty_folders(output_dir: Path, folder: Path) -> None:
    while folder != output_dir and folder.is_relative_to(output_dir):
        try:
            folder.rmdir()
        except OSError:
            return  # not empty (or gone): the folders above are not empty either
        folder = folder.parent


def _unchanged(current: Path, rel: str, content: bytes | Path) -> bool:
    old = current / rel
    try:
        if not old.is_file() or old.is_symlink():
            return False
        data = content if isinstance(content, bytes) else content.read_bytes()
        return old.stat().st_size == len(data) and old.read_bytes() == data
    except OSError:
        return False


def _remove_abandoned_staging(output_dir: Path) -> None:
    """Staging folders and temporary files of builds that were killed (their process is
    gone)."""
    for folder in output_dir.parent.glob(f".{output_dir.name}.staging-*"):
        pid = folder.name.rsplit("-", 1)[-1]
        if pid.isdigit() and (int(pid) == os.getpid() or not _process_alive(int(pid))):
            shutil.rmtree(folder, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, but not ours to signal
    return True


def _place(
    current: Path,
    staging: Path,
    rel: str,
    content: bytes | Path,
    same: bool,
    made: set[Path],
) -> None:
    """Put one file into staging: linked from the current output when unchanged (same inode,
    same mtime), else written. ``made`` holds the folders created so far."""
    target = staging / rel
    if target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        made.add(target.parent)
    if same:
        try:
            os.link(current / rel, target)
            return
        except OSError:
            pass  # no hard links here: write a fresh copy
    target.write_bytes(content if isinstance(content, bytes) else content.read_bytes())


def _relative_files(folder: Path) -> set[str]:
    """The files under ``folder``, as posix paths relative to it; temporary files of a killed
    in-place update count, so that they are removed."""
    found: set[str] = set()
    pending = [("", os.fspath(folder))]
    while pending:
        prefix, path = pending.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append((name + "/", entry.path))
                else:
                    found.add(name)
    return found


def _swap_in(staging: Path, output_dir: Path) -> None:
    if not output_dir.exists():
        os.rename(staging, output_dir)
        return
    if sys.platform.startswith("linux") and _exchange(staging, output_dir):
        return
    retired = output_dir.with_name(f".{output_dir.name}.old-{os.getpid()}")
    os.rename(output_dir, retired)
    os.rename(staging, output_dir)
    os.rename(retired, staging)


def _exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)
