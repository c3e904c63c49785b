"""Pure: what a publish moves, in which order, and when it must stop and ask.

A target keeps a manifest of what briefgen published there (path -> digest). Files it lists
are briefgen's: updated when they change, deleted when the site no longer has them. Anything
else on the target is someone else's and stays, unless ``--delete``. Uploads come first —
files pages link to before the pages, the front page last — and deletions after them all, so
a publish stopped at any point leaves a whole site: every page old or new, none missing, no
link to a file not there yet.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from briefgen.errors import Refused

MANIFEST = ".briefgen-manifest.json"
DEFAULT_MAX_DELETES = 256


class PublishRefused(Refused):
    """The publish stopped before changing anything: ``message`` says why, ``hint`` how on."""


@dataclass(frozen=True)
class Choices:
    """What the user asked of this publish, the same for every kind of target."""

    dry_run: bool = False  # change nothing on the target; say what a real run would do
    delete: bool = False  # also delete files on the target that briefgen did not put there
    force: bool = False  # past the guards: a mass deletion, a shrinking site, a foreign target
    max_deletes: int = DEFAULT_MAX_DELETES


@dataclass(frozen=True)
class Plan:
    uploads: tuple[str, ...]  # in the order they must land
    unchanged: tuple[str, ...]
    deletions: tuple[str, ...]  # after every upload
    foreign: tuple[str, ...] = ()  # on the target, not briefgen's, left as they are
    manifest: dict[str, str] = field(default_factory=dict)  # what the target lists afterwards


def plan_publish(
    local: Mapping[str, str],
    present: Mapping[str, str | None],
    published: Mapping[str, str] | None,
    choices: Choices | None = None,
) -> Plan:
    """``local``: the site's files (path -> digest, as the target measures content);
    ``present``: the target's files (digest, or None where the target cannot tell);
    ``published``: the target's manifest, None when it has none."""
    choices = choices or Choices()
    delete, force, max_deletes = choices.delete, choices.force, choices.max_deletes
    if published is None and present and not force:
        raise PublishRefused(
            f"the target holds {len(present)} files and no {MANIFEST}: briefgen did not "
            "publish there",
            "choose an empty target, or publish with --force to add the site beside them",
        )
    ours = set(published or ())
    uploads = [path for path, digest in local.items() if present.get(path) != digest]
    unchanged = sorted(path for path in local if path not in set(uploads))
    gone = sorted((ours | (set(present) if delete else set())) & set(present) - set(local))
    foreign = sorted(set(present) - set(local) - set(gone))
    if not force:
        if len(gone) > max_deletes:
            raise PublishRefused(
                f"this publish would delete {len(gone)} files (more than {max_deletes})",
                "check the build is whole; publish with --force if this is meant",
            )
        if published and len(local) < len(published) / 2:
            raise PublishRefused(
                f"the site would shrink from {len(published)} files to {len(local)}",
                "check the build is whole; publish with --force if this is meant",
            )
    return Plan(
        tuple(sorted(uploads, key=_landing_order)),
        tuple(unchanged),
        tuple(gone),
        tuple(foreign),
        dict(sorted(local.items())),
    )


def as_published(
    listed: Iterable[str], published: Mapping[str, str] | None
) -> dict[str, str | None]:
    """The target's files with the digests its manifest gives them, for targets that cannot
    measure a file where it is (a bucket, a remote folder)."""
    return {path: (published or {}).get(path) for path in listed if path != MANIFEST}


def _landing_order(path: str) -> tuple[int, int, str]:
    """Files pages link to, then pages (the deepest first), the front page last."""
    if not path.endswith(".html"):
        return (0, 0, path)
    if path == "index.html":
        return (2, 0, path)
    return (1, -path.count("/"), path)


def manifest_bytes(files: Mapping[str, str]) -> bytes:
    return json.dumps({"generator": "briefgen", "files": dict(files)}, indent=0).encode()


def read_manifest(data: bytes) -> dict[str, str] | None:
    """The files a manifest lists (only safe relative paths), or None if it is not one."""
    try:
        parsed = json.loads(data)
    except ValueError:
        return None
    files = parsed.get("files") if isinstance(parsed, dict) else None
    if not isinstance(files, dict):
        return None
    return {
        path: digest
        for path, digest in files.items()
        if isinstance(path, str) and isinstance(digest, str) and is_safe_path(path)
    }


def is_safe_path(path: str) -> bool:
    """A relative path that stays inside the target (a manifest is read from the target)."""
    normal = posixpath.normpath(path)
    return (
        bool(path)
        and not path.startswith("/")
        and "\x00" not in path
        and normal == path
        and not normal.startswith("..")
    )
