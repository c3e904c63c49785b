"""``rsync:[USER@]HOST:PATH`` (or a local ``rsync:PATH``): the system's rsync, over ssh.

What moves is decided like for every target (the plan, against the manifest on the target);
rsync then copies exactly those files, with checksums, each into a temporary file renamed
over the old one: files pages link to first, then the pages, the front page last. Deletions
come after, through a filter that names only the files to delete, so nothing else on the
target can go; the manifest last.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from briefgen.publish.local import sha256_of, site_files
from briefgen.publish.plan import (
    MANIFEST,
    Choices,
    Plan,
    PublishRefused,
    as_published,
    manifest_bytes,
    plan_publish,
    read_manifest,
)
from briefgen.publish.report import PublishReport


def publish_with_rsync(
    site: Path,
    destination: str,
    choices: Choices,
) -> PublishReport:
    destination = destination.rstrip("/") + "/"
    files = site_files(site)
    local = {path: sha256_of(source) for path, source in files.items()}
    with tempfile.TemporaryDirectory(prefix="briefgen-rsync-") as temporary:
        work = Path(temporary)
        listed = _listing(destination)
        published = _manifest(destination, work) if MANIFEST in listed else None
        # The manifest says what each of briefgen's files held; rsync's checksums catch a
        # file changed on the target since (it is sent again, as its bytes differ).
        present = as_published(listed, published)
        plan = plan_publish(local, present, published, choices)
        report = PublishReport.of(plan, files, f"rsync:{destination}")
        if not choices.dry_run:
            _carry_out(plan, site, destination, work)
    return report


def _carry_out(plan: Plan, site: Path, destination: str, work: Path) -> None:
    waves = [
        [p for p in plan.uploads if not p.endswith(".html")],
        [p for p in plan.uploads if p.endswith(".html") and p != "index.html"],
        [p for p in plan.uploads if p == "index.html"],
    ]
    for wave in waves:
        if wave:
            _send(site, wave, destination, work)
    if plan.deletions:
        empty = work / "empty"
        empty.mkdir()
        rules = work / "deletions"
        parents = {
            "/" + "/".join(path.split("/")[: depth + 1]) + "/"
            for path in plan.deletions
            for depth in range(path.count("/"))
        }
        lines = [f"+ {folder}" for folder in sorted(parents)]
        lines += [f"+ /{_escaped(path)}" for path in plan.deletions]
        rules.write_text("\n".join([*lines, "- *", ""]), encoding="utf-8")
        _rsync(["-r", "--delete", f"--filter=merge {rules}", f"{empty}/", destination])
    manifest = work / "manifest"
    manifest.mkdir()
    (manifest / MANIFEST).write_bytes(manifest_bytes(plan.manifest))
    _rsync(["--checksum", str(manifest / MANIFEST), destination])


def _send(site: Path, paths: Sequence[str], destination: str, work: Path) -> None:
    listed = work / "send"
    listed.write_text("".join(f"{path}\n" for path in paths), encoding="utf-8")
    _rsync(
        ["-r", "--checksum", "--chmod=F644,D755", f"--files-from={listed}", f"{site}/", destination]
    )


def _escaped(path: str) -> str:
    """A path as a literal in an rsync filter rule (its wildcards taken as characters)."""
    return "".join(f"\\{c}" if c in "*?[]\\" else c for c in path)


def _listing(destination: str) -> set[str]:
    """The files at the destination (none if it does not exist yet)."""
    done = _rsync(["--list-only", "-r", destination], check=False)
    if done.returncode != 0:
        if "No such file or directory" in done.stderr:
            return set()
        _fail(done)
    files = set()
    for line in done.stdout.splitlines():
        parts = line.split(None, 4)
        if len(parts) == 5 and line.startswith("-"):
            files.add(parts[4])
    return files


def _manifest(destination: str, work: Path) -> dict[str, str] | None:
    fetched = work / "fetched"
    fetched.mkdir()
    done = _rsync([destination + MANIFEST, f"{fetched}/"], check=False)
    if done.returncode != 0:
        return None
    return read_manifest((fetched / MANIFEST).read_bytes())


def _rsync(args: Sequence[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        done = subprocess.run(
            ["rsync", *args], capture_output=True, text=True, timeout=3600, check=False
        )
    except FileNotFoundError as exc:
        raise PublishRefused(
            "rsync is not installed", "install rsync (apt-get install rsync)"
        ) from exc
    if check and done.returncode != 0:
        _fail(done)
    return done


def _fail(done: subprocess.CompletedProcess[str]) -> None:
    said = [line for line in done.stderr.strip().splitlines() if line]
    raise PublishRefused(
        f"rsync failed: {said[0] if said else f'exit {done.returncode}'}",
        "check the destination's address, and that ssh can log in without a password prompt",
    )
