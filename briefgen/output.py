"""Write the whole output in one step; unchanged files are not rewritten.

The new site is assembled in a staging folder beside the output and the two folders are then
exchanged atomically (``renameat2(RENAME_EXCHANGE)`` on Linux, two renames elsewhere). A build
that fails before the exchange, or is killed, leaves the previous site whole, and there is
never a moment without the output folder.

The staging folder is kept between builds (``.<output>.spare``): after an exchange it holds
the site as it was one build ago, its files hard links to the same inodes as the output's. The
next build brings it up to date by changing only what differs: files whose inode is not the
output's are linked again, new and changed files written, files the site no longer has
removed. So a build that changed three pages of a 10,000-page site touches a few dozen files,
not ten thousand (each folder's listing gives the inodes without a stat per file). Only one
build at a time uses the spare (a lock); another one at the same time assembles a site of its
own from nothing, as does a build on a file system without hard links.

No path can write outside the output folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from briefgen.errors import OutputError, error

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@dataclass(frozen=True)
class WriteStats:
    written: int  # new or changed files
    unchanged: int  # linked from the previous output
    removed: int  # files of the previous output that the new site no longer has
    changed_paths: tuple[str, ...] = ()  # the written and removed ones, sorted


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
    current = _inodes(output_dir)
    removed = current.keys() - wanted.keys()
    written = sorted(rel for rel in wanted if rel not in same)
    stats = WriteStats(len(written), len(same), len(removed), tuple(sorted([*written, *removed])))
    if not written and not removed:
        return stats  # nothing to do: not one file touched
    _remove_abandoned_staging(output_dir)
    with _spare_folder(output_dir) as staging:
        try:
            _bring_up_to_date(staging, output_dir, wanted, same, current)
            _swap_in(staging, output_dir)
        except BaseException:
            if staging.name.startswith(f".{output_dir.name}.staging-"):
                shutil.rmtree(staging, ignore_errors=True)
            raise
    return stats


@contextlib.contextmanager
def _spare_folder(output_dir: Path) -> Iterator[Path]:
    """The kept spare folder, locked for this build; or, when another build holds it or the
    platform has no locks, a new staging folder removed afterwards."""
    spare = output_dir.with_name(f".{output_dir.name}.spare")
    lock_path = output_dir.with_name(f".{output_dir.name}.lock")
    try:
        import fcntl
    except ImportError:  # not on a POSIX system
        fcntl = None  # type: ignore[assignment]
    if fcntl is not None:
        with lock_path.open("a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                pass  # another build is writing this output: stage a site of our own
            else:
                spare.mkdir(exist_ok=True)
                yield spare
                return
    staging = output_dir.with_name(f".{output_dir.name}.staging-{os.getpid()}")
    staging.mkdir()
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # after the exchange: the previous site


def _bring_up_to_date(
    staging: Path,
    output_dir: Path,
    wanted: Mapping[str, bytes | Path],
    same: set[str],
    current: Mapping[str, int],
) -> None:
    """Make ``staging`` hold exactly ``wanted``: unchanged files as hard links to the output's
    (``current``: the output's files by inode), the others written new."""
    have = _inodes(staging)
    for rel in sorted(have.keys() - wanted.keys()):
        _remove(staging, rel)
    made: set[Path] = set()
    for rel in sorted(wanted):
        linked = rel in same and rel in current
        if linked and have.get(rel) == current[rel]:
            continue  # already the output's file
        target = staging / rel
        if target.parent not in made:
            _make_folder(staging, target.parent)
            made.add(target.parent)
        if rel in have:
            _remove(staging, rel, prune=False)  # never write through a link to the output
        if linked:
            try:
                os.link(output_dir / rel, target)
                continue
            except OSError:
                pass  # no hard links here: write a copy
        content = wanted[rel]
        target.write_bytes(content if isinstance(content, bytes) else content.read_bytes())


def _remove(folder: Path, rel: str, *, prune: bool = True) -> None:
    """Remove a file under ``folder``, and with ``prune`` the folders it leaves empty."""
    target = folder / rel
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    else:
        target.unlink(missing_ok=True)
    parent = target.parent if prune else folder
    while parent != folder:
        try:
            parent.rmdir()
        except OSError:
            return  # not empty: nor are the folders above it
        parent = parent.parent


def _make_folder(root: Path, folder: Path) -> None:
    """Create ``folder`` under ``root``, replacing a file or symlink in its way."""
    current = root
    for part in folder.relative_to(root).parts:
        current = current / part
        if current.is_symlink() or (current.exists() and not current.is_dir()):
            current.unlink()
        current.mkdir(exist_ok=True)


def _unchanged(current: Path, rel: str, content: bytes | Path) -> bool:
    old = current / rel
    try:
        if not old.is_file() or old.is_symlink():
            return False
        data = content if isinstance(content, bytes) else content.read_bytes()
        return old.stat().st_size == len(data) and old.read_bytes() == data
    except OSError:
        return False


def _inodes(folder: Path) -> dict[str, int]:
    """Every file under ``folder`` (posix path relative to it) with its inode, from the
    folders' listings: no stat per file. Symlinks count as files and are not followed."""
    found: dict[str, int] = {}
    pending = [("", os.fspath(folder))]
    while pending:
        prefix, path = pending.pop()
        try:
            entries = list(os.scandir(path))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            name = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                pending.append((name + "/", entry.path))
            else:
                found[name] = entry.inode()
    return found


def _remove_abandoned_staging(output_dir: Path) -> None:
    """Staging folders of builds that were killed (their process is gone)."""
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


def remove_spare(output_dir: Path) -> None:
    """Remove the kept spare folder and lock file of ``output_dir`` (``briefgen clean``)."""
    output_dir = output_dir.absolute()
    shutil.rmtree(output_dir.with_name(f".{output_dir.name}.spare"), ignore_errors=True)
    output_dir.with_name(f".{output_dir.name}.lock").unlink(missing_ok=True)


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
