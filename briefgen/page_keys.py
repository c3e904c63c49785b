"""Which pages must be rendered again after a change.

The site model records what each page is made from as labels ("config", "editions" (all of
them), "edition:<id>", "topic:<id>", "source:<id>", "story:<id>", "article:<path>", and
"pages": the list of every page's URL, which the sitemap shows). Each label gets a version:
exactly the data behind it, or a hash of it; a page's key (by its output file) is the sum of
its labels' digests, its template's label among them. A page whose key is the one the last
build recorded, and whose file is still in the output, keeps its file. "config" covers what
every page may read: the config, briefgen's code, the topic list of the navigation and the
latest edition; a page's template is a label of its own ("template:<name>", the sources of the
template and all it extends or includes), so an edit to one layout renders the pages made with
it. A site layout that reads the ``topics`` or ``latest_edition`` globals may show any story on
any page, so there every story's version is part of "config" and any change renders every page.
"""

from __future__ import annotations

import bisect
import hashlib
import pickle
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.meta

from briefgen.cache import CACHE_DIR, output_file, write_atomically
from briefgen.collection import Collection, Story
from briefgen.config import Config
from briefgen.sitemodel import Page

_WIDE_GLOBALS = frozenset({"topics", "latest_edition"})


def label_versions(
    config: Config,
    collection: Collection,
    code: str,
    assets: Mapping[str, str] | None = None,
    *,
    reads_globals: bool,
) -> dict[str, str]:
    """``assets``: the hashed names of stylesheets and scripts, which every page links.
    ``reads_globals``: whether a site layout reads the globals that may show any story on any
    page (``layouts_read_globals``, which the build asks once)."""
    # A version need not be a hash (``page_keys`` hashes the versions of the labels pages
    # use): the data itself, joined, where it is short.
    versions: dict[str, str] = {}
    for story in collection.stories:
        versions.update(story_versions(story))
    for topic in collection.topics:
        versions[f"topic:{topic.id}"] = _digest(s.id for s in topic.stories)
    for source in collection.sources:  # which articles, in which order: the pages' split
        versions[f"source:{source.id}"] = _digest(i.article.rel_path for i in source.items)
    # Each edition (its label, sections, stories and note: its page, and the pages that link
    # it by label), and all of them (the archive).
    editions = [
        (
            e.id,
            e.label,
            [(s.topic.id if s.topic else None, [t.id for t in s.stories]) for s in e.sections],
            e.note.html if e.note else None,
        )
        for e in collection.editions
    ]
    versions["editions"] = _hash(editions)
    for row in editions:
        versions[f"edition:{row[0]}"] = _hash(row)
    every = versions if reads_globals else None
    versions["config"] = config_version(config, collection, code, assets, every)
    return versions


def config_version(
    config: Config,
    collection: Collection,
    code: str,
    assets: Mapping[str, str] | None = None,
    every: Mapping[str, str] | None = None,
) -> str:
    """The version of the "config" label. ``every``: the versions of every story's label,
    where a site layout reads the globals that may show any story on any page."""
    nav = [(t.id, t.config.label, t.config.description, bool(t.stories)) for t in collection.topics]
    latest = collection.editions[0].id if collection.editions else None
    wide = (
        sorted(v for k, v in every.items() if k.startswith("story:")) if every is not None else None
    )
    return _hash((repr(config), code, nav, latest, sorted((assets or {}).items()), wide))


def story_versions(story: Story) -> dict[str, str]:
    """The versions of a story's label and of its articles' labels."""
    versions = {}
    parts = []
    for item in story.items:
        article = item.article
        version = f"{article.content_hash}\0{_joined(item.topics)}\0{story.id}"
        versions[f"article:{article.rel_path}"] = version
        parts.append(f"{article.rel_path}\0{version}")
    versions[f"story:{story.id}"] = _joined(parts)
    return versions


def page_list_version(pages: Iterable[Page]) -> str:
    """The version of the ``PAGE_LIST`` label: which pages the site has, in order."""
    return hashlib.sha256("\0".join(page.url for page in pages).encode()).hexdigest()


def page_keys(pages: Iterable[Page], versions: Mapping[str, str]) -> dict[str, str]:
    """Each page's key by its output file: the sum of its labels' digests (a label and its
    version, hashed once however many pages use it), which needs no order of the labels.
    A page with a label that has no version gets "" and always renders. ``versions`` also
    holds ``template:<name>`` for the pages' templates (``Renderer.template_version``)."""
    return keys_from_digests(pages, label_digests(versions))


def label_digests(versions: Mapping[str, str]) -> dict[str, int]:
    """The labels' digests (``label_digest``), each made when first asked for; a label
    without a version is a KeyError. Those made are kept: the next build may take them."""
    return _LabelDigests(versions)


def label_digest(label: str, version: str) -> int:
    digest = hashlib.blake2b(f"{label}\0{version}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def keys_from_digests(pages: Iterable[Page], digests: Mapping[str, int]) -> dict[str, str]:
    """``page_keys`` from the labels' digests (a KeyError for a label without one)."""
    keys = {}
    for page in pages:
        try:
            total = sum(map(digests.__getitem__, page.depends_on))
            total += digests[f"template:{page.template}"]
        except KeyError:
            keys[page.output] = ""
            continue
        keys[page.output] = f"{total % _KEY_RANGE:016x}"
    return keys


_KEY_RANGE = 2**64  # (a page rendered again needlessly or not at all: 1 in 2**64)


@dataclass(frozen=True)
class PageIndex:
    """A site's pages with the labels they use and the keys they had: kept with the
    collection (``kept_collection``), it gives a build whose site has these very pages (the
    same collection, config and code) their keys after a change, and so the pages the change
    touches, without making every page (``build_site_model``'s ``only``) and summing every
    page's labels again. Made only of a site model with no diagnostics: a model of some pages
    is not checked for URL collisions.

    The labels are one string, each between NULs, one page's after another's, with where
    each page begins: a build asks where a few labels are, which ``str.find`` answers, and
    the string is quick to make (a join), to keep and to read back (at 10,000 articles, a
    map from each label to its pages took 40 ms to make on every full build)."""

    outputs: tuple[str, ...]  # every page's output file, in the site's order
    keys: tuple[str, ...]  # each page's key, in the same order
    page_templates: tuple[str, ...]  # and template
    labels: str  # "\0label\0label...\0": each page's labels, in the same order
    starts: bytes  # array("I"): where each page's labels begin in ``labels``

    def __reduce__(self) -> tuple[object, ...]:
        fields = (self.outputs, self.keys, self.page_templates, self.labels, self.starts)
        return (PageIndex, fields)  # (compiled: no __dict__)

    @classmethod
    def of(cls, pages: Sequence[Page], keys: Mapping[str, str]) -> PageIndex | None:
        """None where a label holds a NUL (no label briefgen makes does)."""
        rows = ["\0".join(page.depends_on) for page in pages]
        starts = array("I")
        at = 0
        for row in rows:
            starts.append(at)
            at += len(row) + 1
        labels = "\0" + "\0".join(rows) + "\0"
        if labels.count("\0") != sum(len(page.depends_on) for page in pages) + 1:
            return None  # (a page without labels would count one NUL more, but none has none)
        return cls(
            tuple(page.output for page in pages),
            tuple(keys[page.output] for page in pages),
            tuple(page.template for page in pages),
            labels,
            starts.tobytes(),
        )

    @property
    def templates(self) -> set[str]:
        """The templates the pages are made with."""
        return set(self.page_templates)

    def key_map(self) -> dict[str, str]:
        """Each page's key by its output file (as ``keys_from_digests`` gives them)."""
        return dict(zip(self.outputs, self.keys, strict=True))

    def rekeyed(self, before: Mapping[str, int], after: Mapping[str, int]) -> PageIndex:
        """The index with the keys its pages have once the labels' digests are ``after``
        (some labels) instead of ``before`` (those the keys were made of): a key is a sum
        of digests, so each page using a changed label takes the difference. A page with a
        label that had no digest has the key "" (``keys_from_digests``), and keeps it."""
        starts = array("I")
        starts.frombytes(self.starts)
        keys = list(self.keys)

        def change(position: int, by: int) -> None:
            if keys[position]:
                keys[position] = f"{(int(keys[position], 16) + by) % _KEY_RANGE:016x}"

        for label, digest in after.items():
            was = before.get(label)
            if was is None or was == digest:
                continue
            if label.startswith("template:"):
                name = label.removeprefix("template:")
                for position, template in enumerate(self.page_templates):
                    if template == name:
                        change(position, digest - was)
                continue
            needle = f"\0{label}\0"
            at = self.labels.find(needle)
            while at >= 0:
                change(bisect.bisect_right(starts, at) - 1, digest - was)
                at = self.labels.find(needle, at + 1)
        return PageIndex(self.outputs, tuple(keys), self.page_templates, self.labels, self.starts)


class _LabelDigests(dict[str, int]):
    """A label's digest (of the label and its version), made when first asked for; a label
    without a version is a KeyError."""

    def __init__(self, versions: Mapping[str, str]) -> None:
        super().__init__()
        self._versions = versions

    def __missing__(self, label: str) -> int:
        version = self._versions.get(label)
        if not version:
            raise KeyError(label)
        made = self[label] = label_digest(label, version)
        return made


def _joined(parts: Iterable[str]) -> str:
    return "\x1f".join(parts)


def _digest(parts: Iterable[str]) -> str:
    return hashlib.sha256(_joined(parts).encode()).hexdigest()


def _hash(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def layouts_read_globals(config: Config) -> bool:
    """Whether a site layout reads the ``topics`` or ``latest_edition`` globals (then any
    page may show any story)."""
    folder = config.layouts_dir
    if not folder.is_dir():
        return False
    environment = jinja2.Environment()
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix != ".md":  # (a README about the layouts)
            try:
                names = jinja2.meta.find_undeclared_variables(
                    environment.parse(path.read_text(encoding="utf-8"))
                )
            except (jinja2.TemplateSyntaxError, UnicodeDecodeError, OSError):
                return True  # cannot tell: assume it reads everything
            if names & _WIDE_GLOBALS:
                return True
    return False


def load_page_keys(root: Path, output_dir: Path) -> dict[str, str]:
    try:
        with output_file(root, output_dir, "pages").open("rb") as handle:
            stored = pickle.load(handle)
        keys = stored[str(output_dir)]
    except (OSError, pickle.UnpicklingError, EOFError, KeyError, TypeError, AttributeError):
        return {}
    return keys if isinstance(keys, dict) else {}


def save_page_keys(root: Path, output_dir: Path, keys: Iterable[tuple[str, str]]) -> None:
    """Each output folder's keys are a file of their own: saving them reads nothing."""
    (root / CACHE_DIR / "pages.pickle").unlink(missing_ok=True)  # (every output's, before)
    stored = {str(output_dir): {output: key for output, key in keys if key}}
    data = pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL)
    write_atomically(output_file(root, output_dir, "pages"), data)


def forget_page_keys(root: Path, output_dir: Path) -> None:
    """Remove the keys recorded for ``output_dir``: the next build renders every page (what
    a build that does not save its keys at once does first: ``build.save_memory``)."""
    output_file(root, output_dir, "pages").unlink(missing_ok=True)
