"""Whether a build can stop after reading: a fingerprint of everything a site is made from.

When the articles (bytes and analysis settings), edition notes, config, templates, static
files, files linked from articles, the collection's kept decisions and briefgen's own code are
all as they were for the build that wrote the output, and the output still holds exactly the
files that build wrote, rendering again would write the same bytes: the build skips it.
Anything unknown or different renders as usual, so a wrong "unchanged" needs a hash collision.

The collection's kept decisions (story ids, automatic topics) are not part of it: given the
same inputs, feeding a build's decisions back in makes the same decisions again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from briefgen.analysis.article import ANALYZER_VERSION
from briefgen.cache import CACHE_DIR, write_atomically
from briefgen.config import Config
from briefgen.content import Article

_PACKAGE = Path(__file__).parent
_FILE = "output.json"


@dataclass(frozen=True)
class Previous:
    fingerprint: str
    listing: Mapping[str, int]  # output file -> size, as the build wrote them
    pages: int


def input_fingerprint(
    config: Config,
    articles: Iterable[Article],
    options: str,
    site_files: Mapping[str, str],
    code: str,
) -> str:
    """``code`` is ``code_and_layouts_digest(config)``, computed once per build."""
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            digest.update(repr(part).encode())
            digest.update(b"\0")

    add(ANALYZER_VERSION, options, repr(config), code)
    for article in sorted(articles, key=lambda a: a.rel_path):
        add(article.rel_path, article.content_hash)
        for link in article.links:
            if link.kind == "asset":
                add(link.target, _stamp(config.content_dir / link.target))
    for path in _files(config.content_dir / "_editions"):
        add(str(path), hashlib.sha256(path.read_bytes()).hexdigest())
    for output, source in sorted(site_files.items()):
        add(output, _stamp(Path(source)))
    return digest.hexdigest()


def code_and_layouts_digest(config: Config) -> str:
    """briefgen's own code and theme, and the site's layouts, by content."""
    digest = hashlib.sha256()
    for folder in (_PACKAGE, config.layouts_dir):
        for path in _files(folder):
            digest.update(str(path).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _files(folder: Path) -> list[Path]:
    """Code, templates and notes, by content: a touch without a change keeps the fingerprint."""
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )


def _stamp(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except OSError:
        return (-1, -1)
    return (info.st_size, info.st_mtime_ns)


def output_listing(output_dir: Path) -> dict[str, int]:
    """Every file under the output with its size (the cheap check that nobody changed it)."""
    listing = {}
    pending = [("", os.fspath(output_dir))]
    while pending:
        prefix, folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append((f"{prefix}{entry.name}/", entry.path))
            else:
                listing[prefix + entry.name] = entry.stat(follow_symlinks=False).st_size
    return dict(sorted(listing.items()))


def load_previous(root: Path, output_dir: Path) -> Previous | None:
    try:
        stored = json.loads((root / CACHE_DIR / _FILE).read_text(encoding="utf-8"))
        entry = stored[str(output_dir)]
        return Previous(entry["fingerprint"], entry["listing"], int(entry["pages"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_previous(root: Path, output_dir: Path, previous: Previous | None) -> None:
    """Record (or, with None, forget) what the build for ``output_dir`` was made from."""
    path = root / CACHE_DIR / _FILE
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stored = {}
    if not isinstance(stored, dict):
        stored = {}
    if previous is None:
        stored.pop(str(output_dir), None)
    else:
        stored[str(output_dir)] = {
            "fingerprint": previous.fingerprint,
            "listing": dict(previous.listing),
            "pages": previous.pages,
        }
    write_atomically(path, json.dumps(stored, sort_keys=True).encode())
