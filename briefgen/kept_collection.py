"""The last build's collection, kept on disk for the next build to take again.

``collect`` is a function of the config, the edition notes, the collection state and, of each
article, where it stands (``article_place``: its title, date, topics, outlet, story and so
on) and what story grouping reads of it (its ``story_digest``): the text of an article and
the rest of its analysis only ever reach the pages through its Item. When all of that is as
it was when a kept collection was made, collecting again would make the same topics, stories,
editions and outlets, in the same order, with the same story ids; the kept one serves, its
items pointed at the articles as this build read them. An article whose bytes are the ones
the kept collection was made of stands where it stood; one edited since must stand where its
last version (in the cache as the last build left it) stood, and story grouping must read the
same of it (and every article must name its topics: topics from keywords or clustering weigh
every article's words).

What takes the whole way: a new, removed or held-back article, an edit that moves an article
or changes what story grouping reads of it, any config or note change, another release of
briefgen, ``--rebuild``. At 10,000 articles ``collect`` takes about 0.15 s compiled, and the
labels' versions and digests of the page keys about 0.1 s; reading the kept collection back
takes about 0.05 s, and keeping it about 0.05 s.

The file holds the check (``_Made``), the label digests of the pages made of the collection
(the next build's page keys take all but those of the edited articles' labels from there),
the pages by the labels they use with their keys (``page_keys.PageIndex``: where the last
site model had no diagnostics), then the collection, each of its items as its article's path
and topics: the check is read first, and the rest only when the check holds.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.analysis.article import Analysis
from briefgen.build_fingerprint import code_digest
from briefgen.cache import CACHE_DIR, UNREADABLE, CachedArticle, write_atomically
from briefgen.collection import (
    Collection,
    CollectionState,
    Item,
    article_place,
    given_topics_by_path,
)
from briefgen.config import Config
from briefgen.content import Article
from briefgen.edition_notes import EditionNote
from briefgen.page_keys import PageIndex
from briefgen.topic_assignment import front_matter_topics

_FILE = "collection.pickle"
_FORMAT = 3

Pairs = Mapping[str, tuple[Article, Analysis]]

# What reading back a kept collection raises besides what a cache file may
# (``cache.UNREADABLE``): an item whose article is gone (KeyError), a file cut short
# between its parts.
_UNREADABLE = (*UNREADABLE, KeyError, IndexError)


@dataclass(frozen=True)
class _Made:
    """What a kept collection was made of."""

    format: int
    settings: str  # the code, the config and the notes (``_settings``)
    articles: dict[str, str]  # each article's content hash, in the order collected
    topics_from_front_matter: bool  # every article named its topics


@dataclass
class KeptCollection:
    """A kept collection taken again: its items hold the articles as this build read them."""

    collection: Collection
    edited: dict[str, str]  # the articles edited since the file recorded them: their hashes now
    # The label digests of the pages made of it (``page_keys.label_digests``), as the file
    # recorded them: but those of the edited articles' labels and their stories' still hold.
    digests: dict[str, int]
    index: PageIndex | None  # its pages, with the keys those digests make
    _path: Path
    _made: _Made
    _rest: bytes  # the collection, pickled

    def record(self, digests: Mapping[str, int], index: PageIndex | None) -> None:
        """Record the edited articles as they are now, the pages' label digests (the next
        build tells its edits from these) and the pages' keys they make."""
        self._made.articles.update(self.edited)
        write_atomically(self._path, [*_pickled(self._made, digests, index), self._rest])


def kept_collection(
    root: Path,
    config: Config,
    notes: Sequence[EditionNote],
    state: CollectionState,
    pairs: Pairs,
    earlier: Mapping[str, CachedArticle],
) -> KeptCollection | None:
    """The kept collection, its items now holding ``pairs``' articles and analyses, if
    collecting ``pairs`` with this config, notes and state would make it; else None.
    ``earlier``: the cache entries as the last build left them, to tell where each article
    edited since stood."""
    path = root / CACHE_DIR / _FILE
    try:
        data = path.read_bytes()
        stream = io.BytesIO(data)
        made = pickle.load(stream)
        if not isinstance(made, _Made):
            return None
        edited = _edited_in_place(made, config, notes, pairs, earlier)
        if edited is None:
            return None
        digests = pickle.load(stream)
        index = pickle.load(stream)
        at = stream.tell()
        collection = _Reader(stream, pairs).load()
    except _UNREADABLE:
        return None  # a missing, old or damaged file only costs the time to collect
    if (
        not isinstance(collection, Collection)
        or collection.state != state
        or not isinstance(digests, dict)
        or (index is not None and not isinstance(index, PageIndex))
    ):
        return None
    return KeptCollection(collection, edited, digests, index, path, made, data[at:])


def keep_collection(
    root: Path,
    config: Config,
    notes: Sequence[EditionNote],
    collection: Collection,
    pairs: Pairs,
    digests: Mapping[str, int],
    index: PageIndex | None,
) -> None:
    """Keep ``collection``, just made of ``pairs`` with this config and notes, the label
    digests of the pages made of it and those pages with their keys, for the next build
    (``kept_collection``)."""
    given = given_topics_by_path((article for article, _ in pairs.values()), config)
    made = _Made(
        _FORMAT,
        _settings(config, notes),
        {rel: article.content_hash for rel, (article, _) in pairs.items()},
        front_matter_topics(given, config.topics) is not None,
    )
    stream = io.BytesIO()
    _Writer(stream, pickle.HIGHEST_PROTOCOL).dump(collection)
    write_atomically(root / CACHE_DIR / _FILE, [*_pickled(made, digests, index), stream.getvalue()])


def _pickled(made: _Made, digests: Mapping[str, int], index: PageIndex | None) -> list[bytes]:
    parts = (made, dict(digests), index)
    return [pickle.dumps(value, pickle.HIGHEST_PROTOCOL) for value in parts]


def _edited_in_place(
    made: _Made,
    config: Config,
    notes: Sequence[EditionNote],
    pairs: Pairs,
    earlier: Mapping[str, CachedArticle],
) -> dict[str, str] | None:
    """The articles edited since ``made`` (with their content hashes now), if each stands
    where it stood and story grouping reads the same of it; None where collecting again might
    make another collection."""
    if made.format != _FORMAT or made.settings != _settings(config, notes):
        return None
    if list(made.articles) != list(pairs):  # (the same articles, in the same order)
        return None
    edited = {
        rel: article.content_hash
        for rel, (article, _) in pairs.items()
        if article.content_hash != made.articles[rel]
    }
    for rel in edited:
        article, analysis = pairs[rel]
        before = earlier.get(rel)
        if (
            not made.topics_from_front_matter
            or before is None
            or before.article.content_hash != made.articles[rel]  # (not the version kept)
            or article_place(article) != article_place(before.article)
            or analysis.story_digest != before.analysis.story_digest
            or not (analysis.story_digest or article.hide)  # (cannot be told apart)
        ):
            return None
    return edited


def _settings(config: Config, notes: Sequence[EditionNote]) -> str:
    return hashlib.sha256(repr((code_digest(), config, tuple(notes))).encode()).hexdigest()


class _Writer(pickle.Pickler):
    """Pickles each item as its article's path and its topics: the article and analysis are
    those of the build that reads it back (``_Reader``)."""

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is Item:
            return (_item, (obj.article.rel_path, obj.topics))
        return NotImplemented


def _item(rel: str, topics: tuple[str, ...]) -> Item:
    """What ``_Writer`` names for an item; ``_Reader`` gives its own."""
    raise pickle.UnpicklingError("an item of a kept collection is read by _Reader only")


class _Reader(pickle.Unpickler):
    """Reads a kept collection back, its items holding the articles and analyses of ``pairs``."""

    def __init__(self, stream: io.BytesIO, pairs: Pairs) -> None:
        super().__init__(stream)
        self._pairs = pairs

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name == _item.__name__:
            return self._item
        return super().find_class(module, name)

    def _item(self, rel: str, topics: tuple[str, ...]) -> Item:
        article, analysis = self._pairs[rel]
        return Item(article, analysis, topics)
