"""What a long-running build (``serve``) keeps of the site it made, to take the next edit
in place.

Most edits change what an article says, not where it stands: its text, key points and
quotes, but not its title, date, topics, outlet, story, URL, aliases or links, nor which
story it is part of. (Where an edit changes what story grouping reads of it, the words of
its lead and the names near its top, ``story_grouping.StoryCheck`` groups again the few
days the edit can reach to tell whether the stories stay.) Then every topic, story, edition
and outlet holds the same articles in the same order as before, and the collection and site model of
the last build serve again, with the article's new text put in place: the collection's Item
for it is shared by every page that shows it, so one assignment updates them all. Only the
labels of the edited articles and of their stories get new versions, and only the pages
that use those labels render again. Anything else (an article added, removed or moved, a
config, note or layout change, an article that took its topics from keywords or
clustering, a site with automatic topics) takes the whole way.

``edited_in_place`` finds the edits among every article a build read; ``saved_in_place``
checks only the articles a watcher saw saved, when nothing else was (``build_steps.take_saves``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from briefgen.analysis.article import Analysis
from briefgen.collection import Collection, Item, Story, article_place, story_doc
from briefgen.config import Config
from briefgen.content import Article
from briefgen.edition_notes import EditionNote
from briefgen.page_keys import story_versions
from briefgen.sitemodel import SiteModel
from briefgen.story_grouping import StoryCheck
from briefgen.topic_assignment import UNSORTED_PREFIX


@dataclass
class LiveSite:
    """A build's collection and site model, the inputs they were made from and the label
    versions of their pages."""

    config: str  # repr of the config, with the site's static files and assets
    notes: tuple[EditionNote, ...]
    collection: Collection
    site: SiteModel
    versions: dict[str, str]  # every label's version, templates' too
    # The site's layouts read the globals that may show any story on any page
    # (page_keys.layouts_read_globals): every edit renders every page, the whole way.
    reads_everything: bool = False
    story_window: timedelta | None = None  # config.story_window_days: to check stories
    _pages_of: dict[str, list[int]] | None = field(default=None, repr=False)
    _story_check: StoryCheck | None = field(default=None, repr=False)
    _items: dict[str, Item] | None = field(default=None, repr=False)
    _stories: dict[str, Story] | None = field(default=None, repr=False)

    def items_by_path(self) -> dict[str, Item]:
        """The collection's Items by their articles' paths."""
        if self._items is None:
            self._items = {item.article.rel_path: item for item in self.collection.items}
        return self._items

    def story_check(self) -> StoryCheck | None:
        """The collection's stories, kept to check edits of words and names against."""
        if self._story_check is None and self.story_window is not None:
            shown = [item for item in self.collection.items if not item.article.hide]
            story_of = self.stories_by_path()
            ids = {item.article.rel_path: story_of[item.article.rel_path].id for item in shown}
            self._story_check = StoryCheck([story_doc(i) for i in shown], ids, self.story_window)
        return self._story_check

    def stories_checked(self, edited: Sequence[Item]) -> None:
        """The story check (once made) holds the edited items' words and names from now on:
        ``saved_in_place`` found that they keep the stories."""
        if self._story_check is not None:
            self._story_check.take([story_doc(i) for i in edited if not i.article.hide])

    def stories_by_path(self) -> dict[str, Story]:
        """The story each article is part of, by the article's path."""
        if self._stories is None:
            self._stories = {
                item.article.rel_path: story
                for story in self.collection.stories
                for item in story.items
            }
        return self._stories

    def pages_using(self, labels: set[str]) -> set[int]:
        """Indexes into ``site.pages`` of the pages that use any of ``labels``."""
        if self._pages_of is None:
            index: dict[str, list[int]] = {}
            for position, page in enumerate(self.site.pages):
                for label in page.depends_on:
                    index.setdefault(label, []).append(position)
                index.setdefault(f"template:{page.template}", []).append(position)
            self._pages_of = index
        return {p for label in labels for p in self._pages_of.get(label, ())}


def edited_in_place(
    live: LiveSite,
    pairs: Mapping[str, tuple[Article, Analysis]],
    config: Config,
    notes: Sequence[EditionNote],
    site_files: Mapping[str, str],
    assets: Mapping[str, str],
) -> list[str] | None:
    """The articles (paths) edited since ``live`` was made, if each keeps its place in the
    collection and site model; None when the whole way must be taken. ``pairs``: every
    article the site is now made of. ``site_files`` and ``assets``: the build's static files
    and the hashed names of its stylesheets and scripts, as ``config_state`` takes them."""
    if config_state(config, site_files, assets) != live.config or tuple(notes) != live.notes:
        return None
    items = live.items_by_path()
    if len(pairs) != len(items):
        return None
    changed = {}
    for rel, (article, analysis) in pairs.items():
        item = items.get(rel)
        if item is None:
            return None
        if article is not item.article or analysis is not item.analysis:
            changed[rel] = (article, analysis)
    return saved_in_place(live, changed)


def saved_in_place(
    live: LiveSite, pairs: Mapping[str, tuple[Article, Analysis]]
) -> list[str] | None:
    """The articles of ``pairs`` (some of the site's, read again) that changed, if each keeps
    its place; None when the whole way must be taken. Nothing but these articles may have
    changed since ``live`` was made: no config, note, layout or static file, and no article
    added or removed (``edited_in_place`` checks all that)."""
    if (
        live.site.diagnostics
        or live.reads_everything
        # An automatic topic's label is made of its members' heaviest words, weighed over
        # every article's text: any edit may rename it.
        or any(topic.id.startswith(UNSORTED_PREFIX) for topic in live.collection.topics)
    ):
        return None
    items = live.items_by_path()
    edited = []
    regrouped = []  # what story grouping reads of them changed
    for rel, (article, analysis) in pairs.items():
        item = items.get(rel)
        if item is None:
            return None  # not on the site (a draft, say): it would join it
        if article is item.article and analysis is item.analysis:
            continue
        if article_place(article) != article_place(item.article):
            return None
        if not article.topics:
            return None  # topics from keywords or clustering: may move
        digest = analysis.story_digest
        if not article.hide and (not digest or digest != item.analysis.story_digest):
            regrouped.append(story_doc(Item(article, analysis, item.topics)))
        edited.append(rel)
    if regrouped:
        check = live.story_check()
        if check is None or not check.same_stories(regrouped):
            return None  # the edits may move articles between stories
    return edited


def config_state(config: Config, site_files: Mapping[str, str], assets: Mapping[str, str]) -> str:
    """What every page depends on besides the articles, as ``LiveSite.config`` holds it."""
    return repr((config, sorted(site_files.items()), sorted(assets.items())))


def take_edits(
    live: LiveSite,
    edited: Sequence[str],
    pairs: Mapping[str, tuple[Article, Analysis]],
) -> set[str]:
    """Put the edited articles' new parse and analysis in place (``edited_in_place``) and
    update their labels' versions; returns the labels whose versions changed. (The site
    model's pages stay: what they hold of an article is its Item, and what they copy of it,
    the title, is part of its place.)"""
    items, story_of = live.items_by_path(), live.stories_by_path()
    changed: set[str] = set()
    stories: dict[str, Story] = {}
    for rel in edited:
        _put_in_place(items[rel], *pairs[rel])
        stories[story_of[rel].id] = story_of[rel]
    live.stories_checked([items[rel] for rel in edited])
    for story in stories.values():
        story.forget_merges()
        for label, version in story_versions(story).items():
            if live.versions.get(label) != version:
                live.versions[label] = version
                changed.add(label)
    return changed


def _put_in_place(item: Item, article: Article, analysis: Analysis) -> None:
    # The one mutation of the collection: every page, listing and story holding this Item
    # shows the new text (its place, by ``article_place``, is the same).
    object.__setattr__(item, "article", article)
    object.__setattr__(item, "analysis", analysis)
