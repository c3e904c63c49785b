"""Write the whole output in one step; unchanged files are not rewritten.

The new site is assembled in a staging folder beside the output: files whose bytes did not
change are hard-linked from the current output (same inode, same mtime), the rest written
new. Then the two folders are exchanged atomically (``renameat2(RENAME_EXCHANGE)`` on Linux,
two renames elsewhere). A build that fails before the exchange, or is killed, leaves the
previous site whole; no path can write outside the output folder.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from briefgen.errors import OutputError, error

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@dataclass(frozen=True)
class WriteStats:
    written: int  # new or changed files
    unchanged: int  # linked from the previous output
    removed: int  # files of the previous output that the new site no longer has


def safe_relative(path: str) -> PurePosixPath:
    """``path`` as a relative path that stays inside its folder, or OutputError."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or "\x00" in path or not pure.parts:
        raise OutputError(
            error(
                path,
                None,
                "refusing to write outside the output folder",
                "this is a bug or an unsafe slug; report it",
            )
        )
    return pure


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
    wanted: dict[PurePosixPath, bytes | Path] = {safe_relative(p): d for p, d in files.items()}
    wanted.update({safe_relative(p): source for p, source in copies.items()})
    same = {rel for rel, content in wanted.items() if _unchanged(output_dir, rel, content)}
    for path in kept:
        rel = safe_relative(path)
        wanted[rel] = output_dir.joinpath(*rel.parts)
        same.add(rel)
    previous = _relative_files(output_dir)
    removed = previous - {str(rel) for rel in wanted}
    if len(same) == len(wanted) and not removed:
        return WriteStats(0, len(same), 0)  # nothing to do: not one file touched
    _remove_abandoned_staging(output_dir)
    staging = output_dir.with_name(f".{output_dir.name}.staging-{os.getpid()}")
    staging.mkdir()
    try:
        for rel in sorted(wanted):
            _place(output_dir, staging, rel, wanted[rel], rel in same)
        _swap_in(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(staging, ignore_errors=True)  # now holds the previous site
    return WriteStats(len(wanted) - len(same), len(same), len(removed))


def _unchanged(current: Path, rel: PurePosixPath, content: bytes | Path) -> bool:
    old = current.joinpath(*rel.parts)
    try:
        if not old.is_file() or old.is_symlink():
            return False
        data = content if isinstance(content, bytes) else content.read_bytes()
        return old.stat().st_size == len(data) and old.read_bytes() == data
    except OSError:
        return False


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


def _place(
    current: Path, staging: Path, rel: PurePosixPath, content: bytes | Path, same: bool
) -> None:
    """Put one file into staging: linked from the current output when unchanged (same inode,
    same mtime), else written."""
    target = staging.joinpath(*rel.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    if same:
        try:
            os.link(current.joinpath(*rel.parts), target)
            return
        except OSError:
            pass  # no hard links here: write a fresh copy
    target.write_bytes(content if isinstance(content, bytes) else content.read_bytes())


def _relative_files(folder: Path) -> set[str]:
    return {
        (Path(base) / name).relative_to(folder).as_posix()
        for base, _, names in os.walk(folder)
        for name in names
    }


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
