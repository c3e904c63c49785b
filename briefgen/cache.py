"""State kept between builds in ``.briefgen-cache/`` beside content/ (never in the output).

Per article: the last good parse and its analysis, keyed by content hash and the analysis
settings. It serves two purposes: an unchanged article is not analysed again, and a broken
article keeps its last good version, so an error never removes a published page.

The articles are spread over ``_SHARDS`` files by a hash of their path, so that a build that
changed one article rewrites one small file, not the whole cache.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import pickle
import shutil
import stat
import tempfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.analysis.version import ANALYZER_VERSION
from briefgen.config import Config
from briefgen.lazy_fields import dumps_packed, loads_packed
from briefgen.output import files_under
from briefgen.processes import left_by_gone_processes
from briefgen.version import __version__

if TYPE_CHECKING:  # (a build that finds nothing changed imports this module, and not these)
    from briefgen.analysis.article import Analysis
    from briefgen.collection import CollectionState
    from briefgen.content import Article
    from briefgen.story_points import StoryPoint

CACHE_DIR = ".briefgen-cache"
_FOLDER = "articles"
# 6: texts, story terms and names packed (lazy_fields); 7: in groups; 8: apart; 9: no
# fingerprint kept
_LAYOUT = 9
_SHARDS = 64


FileStamp = tuple[int, int, int]  # size, modification time (ns), inode


def file_stamp(path: Path) -> FileStamp | None:
    """What changes whenever a file is saved (an editor's rename gives a new inode)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ino)


# The sizes ``file_stamps`` gives what is no file to read: a link to a folder (not followed),
# and what cannot be looked at (a link to nothing).
LINKED_FOLDER = -1
UNSTATED = -2


def file_stamps(folder: Path) -> dict[str, FileStamp]:
    """``file_stamp`` of every file under ``folder``, by posix path relative to it; links to
    folders (not followed) and entries that cannot be looked at are there too, with the size
    ``LINKED_FOLDER`` or ``UNSTATED``: the stamps list everything the folder holds, so the
    articles are found in them (``reading.articles_in``) without a walk of their own."""
    stamps = {}
    for name, entry in files_under(folder):
        try:
            info = entry.stat()
        except OSError:
            stamps[name] = (UNSTATED, 0, 0)
            continue
        size = LINKED_FOLDER if stat.S_ISDIR(info.st_mode) else info.st_size
        stamps[name] = (size, info.st_mtime_ns, info.st_ino)
    return stamps


@dataclass(frozen=True)
class CachedArticle:
    article: Article
    analysis: Analysis
    analysis_key: str
    parse_settings: str = ""  # content.parse_settings the article was parsed with
    file_stamp: FileStamp | None = None  # the file's stamp when the article was read


def analysis_key(article: Article, config: Config, settings: str | None = None) -> str:
    """What an analysis depends on: the file's bytes, the analyser, and the settings it uses
    (``analysis_settings(config)``, worked out once for many articles)."""
    settings = analysis_settings(config) if settings is None else settings
    return f"{article.content_hash}:{ANALYZER_VERSION}:{settings}"


def analysis_settings(config: Config) -> str:
    return f"{config.key_points}:{int(config.markdown_html)}:{config.language}"


def load_cache(root: Path) -> dict[str, CachedArticle]:
    entries: dict[str, CachedArticle] = {}
    for shard in range(_SHARDS):
        entries.update(load_shard(root, shard))
    return entries


def load_shard(root: Path, shard: int) -> dict[str, CachedArticle]:
    """The entries one cache file holds (none if it is missing, old or damaged)."""
    return _load_shard(root / CACHE_DIR / _FOLDER / f"{shard:02d}.pickle")


def _format() -> str:
    """What a cache file is marked with. The release is part of it: a release may move or
    change the classes the entries pickle, and their packed groups are only unpickled when a
    page shows them (an error then, in the middle of rendering); a cache of another release is
    not read at all, and the first build after an upgrade analyses every article again."""
    return f"{_LAYOUT}/{__version__}"


# What reading back a pickled cache file raises when it is missing, cut short (ValueError on
# an empty file), damaged, or names classes this release no longer has.
UNREADABLE = (
    OSError,
    ValueError,
    pickle.UnpicklingError,
    EOFError,
    AttributeError,
    ImportError,
    TypeError,
)


def _load_shard(path: Path) -> dict[str, CachedArticle]:
    try:
        stored = loads_packed(_mapped(path))
    except UNREADABLE:
        return {}  # a missing, old or damaged cache only costs time
    if not isinstance(stored, dict) or stored.get("format") != _format():
        return {}
    entries = stored.get("articles", {})
    return entries if isinstance(entries, dict) else {}


def _mapped(path: Path) -> memoryview:
    """The file's bytes, mapped into memory where the system lets a mapped file be replaced
    (the packed groups of articles a build never shows are then never read from disk), else
    read. The map lasts while a view of it does: the cache is only ever replaced by renaming
    a new file over the old one, never written in place, so what it maps stays as it was."""
    with path.open("rb") as handle:
        if os.name != "posix":
            return memoryview(handle.read())
        return memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))


def _remove_abandoned_temporaries(folder: Path) -> None:
    """Temporary files of builds killed while writing the cache (their process is gone)."""
    for temp in left_by_gone_processes(folder, ".tmp-"):
        temp.unlink(missing_ok=True)


def save_cache(
    root: Path,
    entries: Mapping[str, CachedArticle],
    loaded: Mapping[str, CachedArticle] | None = None,
    unsaved: Iterable[str] = (),
) -> None:
    """Write the cache; with ``loaded`` (what ``load_cache`` gave), only the shards whose
    entries changed, and those of ``unsaved``: articles whose entries are newer than the
    cache's files, whatever ``loaded`` says."""
    new, old = _by_shard(entries), _by_shard(loaded or {})
    forced = {shard_of(rel) for rel in unsaved}
    folder = root / CACHE_DIR / _FOLDER
    for where in (folder, folder.parent):
        _remove_abandoned_temporaries(where)
    for shard in range(_SHARDS):
        mine, before = new.get(shard, {}), old.get(shard, {})
        unchanged = mine.keys() == before.keys() and all(mine[k] is before[k] for k in mine)
        if loaded is not None and unchanged and shard not in forced:
            continue
        save_shard(root, shard, mine)


def save_shard(root: Path, shard: int, entries: Mapping[str, CachedArticle]) -> None:
    """Write one cache file, to hold ``entries`` and nothing else (the articles whose
    ``shard_of`` is ``shard``: the file's others are dropped)."""
    data = dumps_packed({"format": _format(), "articles": dict(entries)})
    write_atomically(root / CACHE_DIR / _FOLDER / f"{shard:02d}.pickle", data)


def _by_shard(entries: Mapping[str, CachedArticle]) -> dict[int, dict[str, CachedArticle]]:
    shards: dict[int, dict[str, CachedArticle]] = {}
    for rel, entry in entries.items():
        shards.setdefault(shard_of(rel), {})[rel] = entry
    return shards


def shard_of(rel: str) -> int:
    """The cache file an article's entry is kept in."""
    return zlib.crc32(rel.encode()) % _SHARDS


_STATE_FILE = "collection.json"


def load_state(root: Path) -> CollectionState:
    """The collection's earlier decisions (automatic topics, story ids); empty if none."""
    from briefgen.collection import CollectionState  # (only a build with work reads it)

    try:
        stored = json.loads((root / CACHE_DIR / _STATE_FILE).read_text(encoding="utf-8"))
        topics = {str(k): tuple(map(str, v)) for k, v in stored["automatic_topics"].items()}
        stories = {str(k): str(v) for k, v in stored["story_ids"].items()}
        grouping = str(stored.get("grouping", ""))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return CollectionState()
    return CollectionState(topics, stories, grouping)


def save_state(root: Path, state: CollectionState) -> None:
    data = {
        "automatic_topics": {k: list(v) for k, v in sorted(state.automatic_topics.items())},
        "story_ids": dict(sorted(state.story_ids.items())),
        "grouping": state.grouping,
    }
    # Compact: with an indent the encoder is Python's, not C's (30 ms for 10,000 stories).
    text = json.dumps(data, separators=(",", ":"))
    write_atomically(root / CACHE_DIR / _STATE_FILE, text.encode())


_POINTS_FILE = "story-points.pickle"


def load_story_points(root: Path, version: str) -> dict[str, tuple[StoryPoint, ...]]:
    """Merged story points by ``Story.points_key``, as the last build with this ``version``
    (briefgen's code and the analysis settings) kept them; none if missing, old or damaged."""
    try:
        stored = pickle.loads((root / CACHE_DIR / _POINTS_FILE).read_bytes())
    except UNREADABLE:
        return {}
    if not isinstance(stored, dict) or stored.get("version") != version:
        return {}
    points = stored.get("points")
    return points if isinstance(points, dict) else {}


def save_story_points(
    root: Path, version: str, points: Mapping[str, tuple[StoryPoint, ...]]
) -> None:
    data = {"version": version, "points": dict(points)}
    write_atomically(root / CACHE_DIR / _POINTS_FILE, pickle.dumps(data, pickle.HIGHEST_PROTOCOL))


TEMPLATES_DIR = "templates"  # under CACHE_DIR: Jinja's compiled templates, and what they name
_REFERENCES_FILE = f"{TEMPLATES_DIR}/references.json"


def load_template_references(root: Path) -> dict[str, tuple[str, ...]]:
    """What each template source names (``Renderer``'s references, by source digest), as
    the last build left it; empty if none."""
    try:
        stored = json.loads((root / CACHE_DIR / _REFERENCES_FILE).read_text(encoding="utf-8"))
        return {str(key): tuple(map(str, names)) for key, names in stored.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def save_template_references(root: Path, references: Mapping[str, tuple[str, ...]]) -> None:
    data = {key: list(names) for key, names in sorted(references.items())}
    write_atomically(root / CACHE_DIR / _REFERENCES_FILE, json.dumps(data, indent=1).encode())


def output_file(root: Path, output_dir: Path, kind: str) -> Path:
    """A cache file of one output folder's (a site may be built into several), ``kind`` the
    file's role: ``<kind>-<hash of the output's path>.pickle``."""
    name = hashlib.sha256(os.fsencode(output_dir)).hexdigest()[:20]
    return root / CACHE_DIR / f"{kind}-{name}.pickle"


def write_atomically(path: Path, data: bytes | Iterable[bytes | memoryview]) -> None:
    """Write ``path`` whole or not at all (``data``: its bytes, or their pieces in order):
    into a temporary file named for this process (so that one a killed build left can be
    told from another build's), then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".tmp-{os.getpid()}-")
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in [data] if isinstance(data, bytes) else data:
                handle.write(piece)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def clear_cache(root: Path) -> bool:
    """Remove the site's cache folder; False when there was none."""
    folder = root / CACHE_DIR
    if not folder.is_dir():
        return False
    shutil.rmtree(folder)
    return True
