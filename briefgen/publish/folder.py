"""``dir:<path>``: a folder another program serves (or syncs on).

Each file lands by writing a temporary file beside it and renaming it over the old one, so a
reader never gets half a file; deletions and the manifest come last.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from briefgen.output import files_under
from briefgen.publish.local import sha256_of, site_files
from briefgen.publish.plan import (
    MANIFEST,
    Choices,
    Plan,
    PublishRefused,
    is_safe_path,
    manifest_bytes,
    plan_publish,
    read_manifest,
)
from briefgen.publish.report import PublishReport


def publish_to_folder(
    site: Path,
    target: Path,
    choices: Choices,
) -> PublishReport:
    target = target.absolute()
    if target.exists() and not target.is_dir():
        raise PublishRefused(f"{target} is not a folder", "name a folder to publish into")
    if target == site.absolute() or target.is_relative_to(site.absolute()):
        raise PublishRefused(f"{target} is inside the built site", "publish somewhere else")
    local_files = site_files(site)
    local = {path: sha256_of(source) for path, source in local_files.items()}
    published = _manifest(target)
    present = {
        name: sha256_of(Path(entry.path)) if entry.is_file(follow_symlinks=False) else None
        for name, entry in files_under(target)
        if name != MANIFEST
    }
    plan = plan_publish(local, present, published, choices)
    report = PublishReport.of(plan, local_files, str(target))
    if not choices.dry_run:
        _carry_out(plan, local_files, target)
    return report


def _manifest(target: Path) -> dict[str, str] | None:
    try:
        data = (target / MANIFEST).read_bytes()
    except OSError:
        return None
    return read_manifest(data)


def _carry_out(plan: Plan, local_files: dict[str, Path], target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    root = target.resolve()
    for path in plan.uploads:
        destination = _inside(root, path)
        destination.parent.mkdir(parents=True, exist_ok=True)
        _inside(root, path)  # (a folder made on the way cannot lead elsewhere either)
        _land(local_files[path].read_bytes(), destination)
    for path in plan.deletions:
        if not is_safe_path(path):
            continue
        doomed = _inside(root, path)
        if doomed.is_dir() and not doomed.is_symlink():
            shutil.rmtree(doomed)
        else:
            doomed.unlink(missing_ok=True)
        _prune(root, doomed.parent)
    _land(manifest_bytes(plan.manifest), root / MANIFEST)


def _inside(root: Path, path: str) -> Path:
    """``root / path``, refusing a path (or a symlinked folder on it) that leads outside."""
    candidate = root / path
    parent = candidate.parent.resolve() if candidate.parent.exists() else candidate.parent
    if not is_safe_path(path) or not (parent == root or parent.is_relative_to(root)):
        raise PublishRefused(
            f"'{path}' would be written outside {root}",
            "remove the symlink from the target folder",
        )
    return candidate


def _land(data: bytes, destination: Path) -> None:
    """Write a temporary file beside ``destination``, then rename it over: all or nothing."""
    if destination.is_dir() and not destination.is_symlink():
        shutil.rmtree(destination)
    fd, temporary = tempfile.mkstemp(dir=destination.parent, prefix=".briefgen-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(temporary).chmod(0o644)
        os.replace(temporary, destination)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise


def _prune(root: Path, folder: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
