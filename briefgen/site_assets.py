"""The site's static files: the theme's, overridden by path by the site's own ``static/``.

Stylesheets and scripts are also published under a name that carries a hash of their bytes
(``assets/style.3f9a1c0b2e.css``), which the theme's pages link through ``asset()``: a
published site can let browsers and CDNs keep them for a year, and a changed file is a new
name. The plain name is published too, for anything that links it by that name.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from briefgen.config import THEME_DIR, Config

FINGERPRINTED = (".css", ".js")
_HASH_LENGTH = 10


@dataclass(frozen=True)
class SiteAssets:
    files: dict[str, str]  # output path -> source file, the hashed names included
    names: dict[str, str]  # a stylesheet's or script's plain output path -> its hashed one


def site_assets(config: Config) -> SiteAssets:
    files: dict[str, str] = {}
    for base in (THEME_DIR / "static", config.static_dir):
        if base.is_dir():
            for folder, dirs, names in os.walk(base):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in names:
                    if not name.startswith("."):
                        path = Path(folder) / name
                        files[path.relative_to(base).as_posix()] = str(path)
    hashed: dict[str, str] = {}
    for output, source in sorted(files.items()):
        stem, dot, extension = output.rpartition(".")
        if dot and f".{extension}" in FINGERPRINTED:
            try:
                digest = hashlib.sha256(Path(source).read_bytes()).hexdigest()[:_HASH_LENGTH]
            except OSError:
                continue  # reported where the copy fails
            hashed[output] = f"{stem}.{digest}.{extension}"
    files.update({name: files[output] for output, name in hashed.items()})
    return SiteAssets(files, hashed)
