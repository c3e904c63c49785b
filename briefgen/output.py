"""Write the whole output in one step; unchanged files are not rewritten.

The new site is assembled in a staging folder beside the output and the two folders are then
exchanged atomically (``renameat2(RENAME_EXCHANGE)`` on Linux, two renames elsewhere). A build
that fails before the exchange, or is killed, leaves the previous site whole, and there is
never a moment without the output folder.

The staging folder is kept between builds (``.<output>.spare``): after an exchange it holds
the site as it was one build ago, its files hard links to the same inodes as the output's. The
next build brings it up to date by changing only what differs: files whose inode is not the
output's are linked again, new and changed files written (over the spare's own copy where it
has one, never through a link the output shares), files the site no longer has removed.
So a build that changed three pages of a 10,000-page site touches a few dozen files, not ten
thousand (each folder's listing gives the inodes without a stat per file). Only one
build at a time uses the spare (a lock, which a second build waits for); a build on a file
system without hard links copies instead. A first build's staging folder becomes the
output, so its spare is made afterwards, for a large site by a process of its own that goes
on after the build returns (``_make_spare``).

Listing 10,000 folders costs a fifth of a second, so a commit says what the output and the
spare hold after it (``WriteStats.listing`` and ``.spare``): the next build can take the
spare's listing from there instead of walking it again. The spare is briefgen's own folder;
the record is used only while the spare is the same folder holding the same marker file.

No path can write outside the output folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from briefgen import link_copy
from briefgen.errors import OutputError, error
from briefgen.processes import left_by_gone_processes

OUTPUT_MARKER = ".briefgen-output"  # in every output folder briefgen wrote
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@dataclass(frozen=True)
class WriteStats:
    written: int  # new or changed files
    unchanged: int  # linked from the previous output
    removed: int  # files of the previous output that the new site no longer has
    changed_paths: tuple[str, ...] = ()  # the written and removed ones, sorted
    # The output's files by inode after the commit, and the spare folder's (as the next
    # SiteWriter takes them); None where they are not known without listing the folder.
    listing: FolderListing | None = None
    spare: FolderListing | None = None


@dataclass(frozen=True)
class FolderListing:
    """A folder's files by inode as a commit left them, with what identifies the folder: its
    own inode and that of its marker file (a folder removed and made again, or emptied, does
    not match)."""

    folder_inode: int
    files: Mapping[str, int]

    def describes(self, folder: Path) -> bool:
        """Whether ``folder`` is still the folder this listing was taken of (a cheap check:
        a file changed inside it by someone else goes unnoticed)."""
        try:
            same_folder = folder.stat().st_ino == self.folder_inode
            same_marker = (folder / OUTPUT_MARKER).lstat().st_ino == self.files.get(OUTPUT_MARKER)
        except OSError:
            return False
        return same_folder and same_marker


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
    with SiteWriter(output_dir) as writer:
        for path, data in files.items():
            writer.add(path, data)
        for path, source in copies.items():
            writer.add(path, source)
        for path in kept:
            writer.keep(path)
        return writer.commit()


def replace_files(
    output_dir: Path, files: Mapping[str, bytes], listing: FolderListing | None
) -> tuple[tuple[str, ...], FolderListing | None]:
    """Put ``files`` into the output one at a time, each renamed over the old one, so that a
    reader finds the old file or the new, never part of one: how a preview takes the few
    pages an edit changed (a whole new site swapped in costs a look at every file). Files
    whose bytes are there already are not written. Returns the paths written, sorted, and
    ``listing`` (what the output held) brought up to date."""
    output_dir = output_dir.absolute()
    temp = output_dir.with_name(f".{output_dir.name}.tmp-{os.getpid()}")
    inodes = dict(listing.files) if listing is not None else None
    written: list[str] = []
    made = {output_dir}
    with _spare_lock(output_dir):  # (a second preview of the same site waits)
        _remove_abandoned_staging(output_dir)
        for path, data in files.items():
            rel = safe_relative(path)
            if _unchanged(output_dir, rel, data):
                continue
            target = output_dir / rel
            if target.parent not in made:
                _make_folder(output_dir, target.parent, made)
            temp.unlink(missing_ok=True)
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                inode = os.fstat(handle.fileno()).st_ino
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)  # (a folder of the old site where a page goes now)
            os.replace(temp, target)
            written.append(rel)
            if inodes is not None:
                inodes[rel] = inode
    if listing is None or inodes is None:
        return tuple(sorted(written)), None
    return tuple(sorted(written)), replace(listing, files=inodes)


@dataclass
class Placement:
    """What it takes to put files of the new site into the staging folder, in this process or
    in a forked worker (each has its own copy): a file whose bytes the output already has is
    not written."""

    output_dir: Path
    staging: Path
    have: Mapping[str, int]  # the staging folder's files by inode, as it was taken
    current: Mapping[str, int]  # the output's files by inode
    made: set[Path]  # folders this process made sure of

    def place(self, rel: str, data: bytes) -> int | None:
        """Stage the file at ``rel`` (already checked with ``safe_relative``): the inode of
        the file written, or None when the output has these bytes there already (nothing is
        written)."""
        if rel in self.current and _unchanged(self.output_dir, rel, data):
            return None
        target = self.staging / rel
        if not self.have and (inode := _write_into_new_folder(target, data, self.made)) is not None:
            return inode
        # The spare's own copy of a file (not the output's: a page that changed in the last
        # build too) is rewritten in place: freeing a file and making another costs the file
        # system forty times more.
        if (
            self.have.get(rel, -1) not in (-1, self.current.get(rel))
            and (inode := _overwrite(target, data)) is not None
        ):
            return inode
        if target.parent not in self.made:
            _make_folder(self.staging, target.parent, self.made)
        _clear(self.staging, target, rel in self.have)
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
        return _write_and_close(os.open(target, flags, 0o666), data)


class SiteWriter:
    """The next version of the output, file by file, as pages are rendered (a site's pages
    need never all be in memory at once): a changed file goes into the staging folder at
    once, an unchanged one is only noted. ``commit`` completes the staging folder and swaps
    it in; leaving the ``with`` block without it changes nothing in the output. Worker
    processes can stage files themselves (``placement``) and report them (``record``)."""

    def __init__(
        self,
        output_dir: Path,
        spare: FolderListing | None = None,
        output: FolderListing | None = None,
    ) -> None:
        """``spare`` and ``output``: what the spare folder and the output held after the last
        commit (``WriteStats.spare`` and ``.listing``), so that they need not be listed
        again; each is checked against its folder first (the folder and its marker file are
        the ones recorded), and the output's files the spare does not share one by one."""
        self.output_dir = output_dir.absolute()
        self._spare_record = spare
        self._output_record = output
        self._copied = False  # a file was copied, not linked: inodes are not known
        self._wanted: set[str] = set()
        self._same: set[str] = set()
        self._written: list[str] = []
        self._inodes: dict[str, int] = {}  # of the files written, as they were written
        self._current: dict[str, int] = {}
        self._have: dict[str, int] = {}
        self._made: set[Path] = set()
        self._staging: Path | None = None
        self._lock: IO[str] | None = None  # on the spare folder, while this writer uses it
        self._prepared = False  # the staging folder holds the whole new site
        self._exit = contextlib.ExitStack()

    def __enter__(self) -> SiteWriter:
        self.output_dir.parent.mkdir(parents=True, exist_ok=True)
        record = self._output_record
        spare = self._spare_record
        spare_dir = self.output_dir.with_name(_spare_name(self.output_dir))
        if (
            record is not None
            and spare is not None
            and record.describes(self.output_dir)
            and spare.describes(spare_dir)
        ):
            self._current = _checked_listing(self.output_dir, record.files, spare.files)
        else:
            self._current = _inodes(self.output_dir)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._exit.close()

    def add(self, path: str, content: bytes | Path) -> None:
        """A file of the new site: ``content`` is its bytes, or a file to copy."""
        rel = safe_relative(path)
        data = content if isinstance(content, bytes) else content.read_bytes()
        if rel in self._current and _unchanged(self.output_dir, rel, data):
            self.record(rel, None)
            if self._prepared and self._staging is not None:
                self._link_from_output(self._staging, rel)
        else:
            self.record(rel, self.placement().place(rel, data))

    def placement(self) -> Placement:
        """The staging folder, taken now, for staging files here or in forked workers."""
        staging = self._staging_folder()
        return Placement(self.output_dir, staging, self._have, self._current, self._made)

    def record(self, path: str, inode: int | None) -> None:
        """A file of the new site that ``Placement.place`` staged (as ``inode``) or found
        unchanged in the output (None)."""
        rel = safe_relative(path)
        self._wanted.add(rel)
        if inode is not None:
            self._same.discard(rel)
            self._written.append(rel)
            self._inodes[rel] = inode
        else:
            self._same.add(rel)

    def holding(self, paths: Iterable[str]) -> set[str]:
        """The ``paths`` the current output has a file (not a symlink) at."""
        current = self._current
        return {path for path in paths if current.get(path, -1) >= 0}

    def held_under(self, folder: str) -> list[str]:
        """The current output's files under ``folder`` ("": all of them)."""
        prefix = folder.rstrip("/") + "/" if folder else ""
        return sorted(
            r for r, inode in self._current.items() if r.startswith(prefix) and inode >= 0
        )

    def changed_so_far(self) -> set[str]:
        """The files written, and the current output's files not (yet) part of the new site."""
        return (set(self._written) - self._same) | (self._current.keys() - self._wanted)

    def keep(self, path: str) -> None:
        """A file of the current output that stays as it is (not read)."""
        rel = safe_relative(path)
        self._wanted.add(rel)
        self._same.add(rel)
        if self._prepared and self._staging is not None:
            self._link_from_output(self._staging, rel)

    def keep_all(self, paths: Iterable[str]) -> None:
        """``keep`` for many files at once: those the current output holds by these very
        names need no check of their path (the thousands of pages a small change leaves)."""
        wanted = set(paths)
        held = wanted & self._current.keys()
        for path in sorted(wanted - held):
            self.keep(path)
        if self._prepared and self._staging is not None:
            for path in sorted(held):
                self._link_from_output(self._staging, path)
        self._wanted |= held
        self._same |= held

    def prepare(self) -> Path:
        """Complete the staging folder: the new site as it will be swapped in, for a step that
        reads the whole site first (the search index). Files added or dropped after this
        change the staging folder at once."""
        staging = self._staging_folder()
        if self._prepared:
            return staging
        for rel in sorted(self._have.keys() - self._wanted):
            if not (staging / rel).is_dir() or (staging / rel).is_symlink():
                _remove(staging, rel)  # (a folder there now holds files of the new site)
        have, current = self._have, self._current
        # (Most are the output's own files already: only the others are sorted and linked.)
        for rel in sorted([rel for rel in self._same if have.get(rel) != current.get(rel, -2)]):
            self._link_from_output(staging, rel)
        self._prepared = True
        return staging

    def drop(self, path: str) -> None:
        """Leave out a file added or kept before (after ``prepare``: remove it from staging)."""
        rel = safe_relative(path)
        self._wanted.discard(rel)
        self._same.discard(rel)
        self._written = [w for w in self._written if w != rel]
        if self._prepared and self._staging is not None:
            _remove(self._staging, rel)
            self._made.difference_update((self._staging / rel).parents)  # may be gone too

    def commit(self) -> WriteStats:
        removed = self._current.keys() - self._wanted
        written = sorted(set(self._written) - self._same)
        stats = WriteStats(
            len(written), len(self._same), len(removed), tuple(sorted([*written, *removed]))
        )
        if not written and not removed:
            # Nothing to do: not one file touched. (The spare may have been, if staged.)
            untouched = self._staging is None and self._spare_record is not None
            return replace(
                stats,
                listing=self._listing_of(self.output_dir, self._current),
                spare=self._spare_record if untouched else None,
            )
        staging = self.prepare()
        was_spare = staging.name == _spare_name(self.output_dir)
        first = not self.output_dir.exists()
        _swap_in(staging, self.output_dir)
        self._staging = None
        spare = self.output_dir.with_name(_spare_name(self.output_dir))
        files = self._files_after(written)
        if first and was_spare and files is not None and self._lock is not None:
            # The spare became the output: a copy of it, made now, is the next build's spare.
            return replace(
                stats,
                listing=self._listing_of(self.output_dir, files),
                spare=_make_spare(self.output_dir, spare, files, self._lock),
            )
        return replace(
            stats,
            listing=self._listing_of(self.output_dir, files),
            # The spare after the exchange: the output as this build found it.
            spare=self._listing_of(spare, self._current) if was_spare else None,
        )

    def _files_after(self, written: list[str]) -> dict[str, int] | None:
        """The output's files by inode once swapped in: the kept ones are the old output's
        (hard links), the written ones as they were written (a file keeps its inode when
        its folder is swapped in: a first build's 14,000 pages need no look)."""
        if self._copied:
            return None
        listing = {rel: self._current[rel] for rel in self._same}
        for rel in written:
            if (inode := self._inodes.get(rel)) is not None:
                listing[rel] = inode
                continue
            try:
                info = os.lstat(self.output_dir / rel)
            except OSError:
                return None
            listing[rel] = -1 if stat.S_ISLNK(info.st_mode) else info.st_ino
        return listing

    @staticmethod
    def _listing_of(folder: Path, files: Mapping[str, int] | None) -> FolderListing | None:
        if files is None:
            return None
        try:
            return FolderListing(folder.stat().st_ino, dict(files))
        except OSError:
            return None

    def _link_from_output(self, staging: Path, rel: str) -> None:
        """Make the staging folder's file at ``rel`` the output's own (a hard link)."""
        if rel not in self._current:
            raise OutputError(
                error(rel, None, "a kept file is not in the output", "build with --rebuild")
            )
        target = staging / rel
        if self._prepared:  # the staging folder has changed since it was listed
            try:
                linked = os.lstat(target).st_ino == self._current[rel]
            except OSError:
                linked = False
        else:
            linked = self._have.get(rel) == self._current[rel]
        if linked:
            return  # already the output's file
        if target.parent not in self._made:
            _make_folder(staging, target.parent, self._made)
        _clear(staging, target, rel in self._have or self._prepared)
        try:
            os.link(self.output_dir / rel, target)
        except FileNotFoundError:
            raise OutputError(
                error(
                    str(self.output_dir / rel),
                    None,
                    "this file of the last build was removed from the output",
                    "build again: the next build looks at the whole output folder",
                )
            ) from None
        except OSError:  # no hard links here: a copy
            target.write_bytes((self.output_dir / rel).read_bytes())
            self._copied = True

    def _staging_folder(self) -> Path:
        if self._staging is None:
            _remove_abandoned_staging(self.output_dir)
            self._staging, self._lock = self._exit.enter_context(_spare_folder(self.output_dir))
            recorded = self._recorded_spare(self._staging)
            self._have = dict(recorded) if recorded is not None else _inodes(self._staging)
        return self._staging

    def _recorded_spare(self, staging: Path) -> Mapping[str, int] | None:
        """The spare's files as the last commit recorded them, if ``staging`` is that spare,
        still the same folder with the same marker file in it."""
        record = self._spare_record
        if record is None or staging.name != _spare_name(self.output_dir):
            return None
        return record.files if record.describes(staging) else None


@contextlib.contextmanager
def _spare_folder(output_dir: Path) -> Iterator[tuple[Path, IO[str] | None]]:
    """The kept spare folder and its lock, held for this build; or, when another build holds
    it longer than ``_LOCK_WAIT`` or the platform has no locks, a new staging folder removed
    afterwards (and no lock)."""
    spare = output_dir.with_name(_spare_name(output_dir))
    with _spare_lock(output_dir) as lock:
        if lock is not None:
            spare.mkdir(exist_ok=True)
            yield spare, lock
            return
    staging = output_dir.with_name(f".{output_dir.name}.staging-{os.getpid()}")
    staging.mkdir()
    try:
        yield staging, None
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # after the exchange: the previous site


@contextlib.contextmanager
def _spare_lock(output_dir: Path) -> Iterator[IO[str] | None]:
    """The lock on the output's spare folder, or None. It is waited for: another build of the
    output, or the spare being made after a first build (``_make_spare``), holds it."""
    try:
        import fcntl
    except ImportError:  # not on a POSIX system
        yield None
        return
    with _lock_name(output_dir).open("a") as lock:
        deadline = time.monotonic() + _LOCK_WAIT
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > deadline:
                    yield None  # held for long: stage a site of our own
                    return
                time.sleep(0.02)
        yield lock


def _make_spare(
    output_dir: Path, spare: Path, files: Mapping[str, int], lock: IO[str]
) -> FolderListing | None:
    """After a first build, the spare folder the next build works in: hard links to every
    file of the output (a build that changes one article then touches a few dozen files, not
    ten thousand). A small site's is made at once. A large one's (ten thousand folders take
    a few seconds) by a process of its own that goes on after the build has returned: it
    holds the lock, which the next build waits for, and links the marker file last, so a
    spare it did not finish is never taken for a whole one. Returns the spare's listing as
    it will be, or None."""
    try:
        spare.mkdir()
        record = FolderListing(spare.stat().st_ino, dict(files))
    except OSError:
        return None
    if len(files) <= _LINK_AT_ONCE:
        return record if link_copy.link_copy(output_dir, spare, OUTPUT_MARKER) else None
    try:
        copying = subprocess.Popen(
            # -I: the standard library only, not the folder of the script (briefgen's own)
            [sys.executable, "-I", link_copy.__file__, output_dir, spare, OUTPUT_MARKER],
            pass_fds=(lock.fileno(),),  # the lock stays held until the copy is whole
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not stopped with the build's terminal or process group
        )
    except OSError:
        return None
    SPARE_COPIES.append(copying)  # (kept: not reported as a process still running)
    return record


SPARE_COPIES: list[subprocess.Popen[bytes]] = []  # the copies this process started
_LINK_AT_ONCE = 2000  # files: a spare made within the build up to this many (about 0.1 s)
_LOCK_WAIT = 120.0  # seconds a build waits for another's lock before staging on its own


def _spare_name(output_dir: Path) -> str:
    return f".{output_dir.name}.spare"


def _lock_name(output_dir: Path) -> Path:
    return output_dir.with_name(f".{output_dir.name}.lock")


def _clear(staging: Path, target: Path, listed: bool) -> None:
    """Make way for a new file in staging: never write through a hard link into the output's
    file, and a folder of the old site where the new one has a file goes."""
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    elif listed or target.is_symlink():
        target.unlink(missing_ok=True)


def _remove(folder: Path, rel: str) -> None:
    """Remove a file under ``folder``, and the folders it leaves empty."""
    target = folder / rel
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    else:
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            target.unlink()  # (a folder on its path may have become a file of the new site)
    parent = target.parent
    while parent != folder:
        try:
            parent.rmdir()
        except OSError:
            return  # not empty: nor are the folders above it
        parent = parent.parent


def _make_folder(root: Path, folder: Path, made: set[Path]) -> None:
    """Create ``folder`` under ``root``, replacing a file or symlink in its way, and note it
    and its parents in ``made`` (folders already there are not looked at again). Safe while
    other workers make folders of the same tree."""
    current = root
    for part in folder.relative_to(root).parts:
        current = current / part
        if current in made:
            continue
        if current.is_symlink() or (current.exists() and not current.is_dir()):
            # Another worker may have replaced it already.
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                current.unlink()
        current.mkdir(exist_ok=True)
        made.add(current)


def _write_into_new_folder(target: Path, data: bytes, made: set[Path]) -> int | None:
    """Write a file into a staging folder that held no file when it was taken (a first
    build's): nothing of an older site can be in the way, so a folder is made without
    looking first and the file is written without clearing its place (half the system calls
    of the careful way, for every page of a first build). Its inode; None, having changed
    nothing, when something is in the way after all."""
    try:
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        fd = os.open(
            target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666
        )
    except OSError:  # a file or link where a folder goes, or the file there already
        return None
    return _write_and_close(fd, data)


def _write_and_close(fd: int, data: bytes) -> int:
    """Write ``data`` into the new file open at ``fd`` and close it; the file's inode."""
    try:
        _write_all(fd, data)
        return os.fstat(fd).st_ino
    finally:
        os.close(fd)


def _overwrite(target: Path, data: bytes) -> int | None:
    """Write ``data`` over the regular file at ``target`` in place, if it is one with no other
    link (so never through a symlink, nor into a file the output shares): its inode; None
    if not."""
    try:
        flags = os.O_WRONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(target, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            return None
        _write_all(fd, data)
        os.ftruncate(fd, len(data))
        return info.st_ino
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    """Write ``data`` at ``fd`` whole (os.write may take less than it is given), with no file
    object around it: a page is one buffer, written once."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _unchanged(current: Path, rel: str, content: bytes | Path) -> bool:
    """Whether the file at ``rel`` is a regular file (not a symlink) holding ``content``:
    one open, one stat and one read (a full re-render compares every page it made with the
    output's: 11 us a page, where asking the path each question apart took 21)."""
    try:
        data = content if isinstance(content, bytes) else content.read_bytes()
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(current / rel, flags)
    except OSError:
        return False
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        return _read_up_to(fd, len(data) + 1) == data  # (one byte more: grown since)
    except OSError:
        return False
    finally:
        os.close(fd)


def _read_up_to(fd: int, size: int) -> bytes:
    """Up to ``size`` bytes from ``fd``, fewer only at its end (os.read may give less)."""
    chunks = []
    while size > 0 and (chunk := os.read(fd, size)):
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def files_under(folder: Path) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every file under ``folder`` as (posix path relative to it, its directory entry), from
    the folders' listings (an entry's inode needs no stat); a missing folder has none.
    Symlinks are not followed: they count as files."""
    pending = [("", os.fspath(folder))]
    while pending:
        prefix, path = pending.pop()
        try:
            entries = list(os.scandir(path))
        except (FileNotFoundError, NotADirectoryError, PermissionError):
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append((f"{prefix}{entry.name}/", entry.path))
            else:
                yield prefix + entry.name, entry


def _inodes(folder: Path) -> dict[str, int]:
    """Every file under ``folder`` with its inode; symlinks get -1 (never one of ours: not
    followed, never kept)."""
    return {
        name: -1 if entry.is_symlink() else entry.inode() for name, entry in files_under(folder)
    }


def _checked_listing(
    output_dir: Path, recorded: Mapping[str, int], spare: Mapping[str, int]
) -> dict[str, int]:
    """The output's files by inode as recorded, the ones the spare does not share looked at
    again (the few the last build wrote). A shared file needs no look: whatever was done to
    the output's name for it, the spare's holds the build's own bytes, and it is that name
    the next site is made of. So a page removed from the output by hand comes back."""
    current = dict(recorded)
    for rel, inode in recorded.items():
        if spare.get(rel) != inode:
            try:
                info = os.lstat(output_dir / rel)
            except OSError:
                del current[rel]
                continue
            current[rel] = -1 if stat.S_ISLNK(info.st_mode) else info.st_ino
    return current


def _remove_abandoned_staging(output_dir: Path) -> None:
    """Staging folders, and files on their way in (``replace_files``), of builds that were
    killed (their process is gone)."""
    for kind in ("staging", "tmp"):
        prefix = f".{output_dir.name}.{kind}-"
        for left in left_by_gone_processes(output_dir.parent, prefix, mine=True):
            if left.is_dir() and not left.is_symlink():
                shutil.rmtree(left, ignore_errors=True)
            else:
                left.unlink(missing_ok=True)


def remove_spare(output_dir: Path) -> None:
    """Remove the kept spare folder and lock file of ``output_dir`` (``briefgen clean``)."""
    output_dir = output_dir.absolute()
    with _spare_lock(output_dir):  # (not while a build or the copy after one works in it)
        shutil.rmtree(output_dir.with_name(_spare_name(output_dir)), ignore_errors=True)
        _lock_name(output_dir).unlink(missing_ok=True)


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
    libc = ctypes.CDLL(None, use_errno=True)  # the C library this process has (Linux)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)
