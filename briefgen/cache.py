"""State kept between builds in ``.briefgen-cache/`` beside content/ (never in the output).

Per article: the last good parse and its analysis, keyed by content hash and the analysis
settings. It serves two purposes: an unchanged article is not analysed again, and a broken
article keeps its last good version, so an error never removes a published page.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

from briefgen.analysis.article import ANALYZER_VERSION, Analysis
from briefgen.config import Config
from briefgen.content import Article

CACHE_DIR = ".briefgen-cache"
_FILE = "articles.pickle"
_FORMAT = 1


@dataclass(frozen=True)
class CachedArticle:
    article: Article
    analysis: Analysis
    analysis_key: str


def analysis_key(article: Article, config: Config) -> str:
    """What an analysis depends on: the file's bytes, the analyser, and the settings it uses."""
    settings = f"{config.key_points}:{int(config.markdown_html)}:{config.language}"
    return f"{article.content_hash}:{ANALYZER_VERSION}:{settings}"


def load_cache(root: Path) -> dict[str, CachedArticle]:
    path = root / CACHE_DIR / _FILE
    try:
        with path.open("rb") as handle:
            stored = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return {}  # a missing, old or damaged cache only costs time
    if not isinstance(stored, dict) or stored.get("format") != _FORMAT:
        return {}
    entries = stored.get("articles", {})
    return entries if isinstance(entries, dict) else {}


def save_cache(root: Path, entries: dict[str, CachedArticle]) -> None:
    folder = root / CACHE_DIR
    folder.mkdir(exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(
                {"format": _FORMAT, "articles": entries},
                handle,
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        os.replace(temp, folder / _FILE)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
