"""The built site as publish reads it: its files, and their digests."""

from __future__ import annotations

import hashlib
from pathlib import Path

from briefgen.output import files_under
from briefgen.publish.plan import MANIFEST

# briefgen's own bookkeeping in the output folder, never published.
PRIVATE = (".briefgen-output", MANIFEST)


def site_files(output_dir: Path) -> dict[str, Path]:
    return {
        name: Path(entry.path)
        for name, entry in files_under(output_dir)
        if name not in PRIVATE and not entry.is_symlink()
    }


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
