"""Pure: articles with their analyses -> topics, stories and editions.

Every article is a story of one unless front matter ``story: <id>`` puts several under one id,
so pages list stories from the start and merging stories later changes only this module.
Everything is ordered by a total order (date, then path) and uses the ``now`` passed in.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import (
    ItemsView,
    Iterable,
    Iterator,
    KeysView,
    Mapping,
    Sequence,
    ValuesView,
)
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from mypy_extensions import mypyc_attr

from briefgen.analysis.article import Analysis
from briefgen.analysis.quotes import Quote
from briefgen.config import Config, TopicConfig
from briefgen.content import Article
from briefgen.edition_notes import EditionNote
from briefgen.story_grouping import (
    DigestRow,
    StoryCheck,
    StoryDoc,
    digest_row,
    group_stories,
    grouping_digest_of,
)
from briefgen.story_points import SpeakerQuotes, StoryPoint, merge_points, merge_quotes
from briefgen.topic_assignment import (
    CLUSTER,
    SIMILAR,
    TopicDoc,
    assign_topics,
    front_matter_topics,
)


@dataclass(frozen=True)
class Item:
    """One article, its analysis and the topics the collection gave it."""

    article: Article
    analysis: Analysis
    topics: tuple[str, ...]

    @property
    def telling_quote(self) -> Quote | None:
        """The quote a listing shows: the first attributed one of some length."""
        attributed = [q for q in self.analysis.quotes if q.speaker]
        for quote in attributed:
            if len(quote.text.split()) >= 6:
                return quote
        return attributed[0] if attributed else None


# Where a Story keeps its merges (made when first read).
_POINTS, _QUOTES = "_points", "_quotes"


@mypyc_attr(native_class=False)  # a Python class even when compiled: it keeps its merges
@dataclass(frozen=True)
class Story:
    id: str
    items: tuple[Item, ...]  # the lead article first, then by date
    topics: tuple[str, ...]

    # Each class of a collection pickles as a call of itself with its fields (the collection
    # a build keeps for the next, ``kept_collection``, which pickles its Items its own way):
    # compiled, a frozen class cannot be unpickled the default way, and a Story's merges stay
    # out.
    def __reduce__(self) -> tuple[object, ...]:
        return (Story, (self.id, self.items, self.topics))

    # The merges are made when a page first shows them (a build that renders a few pages
    # merges a few stories; render workers merge theirs in parallel) and kept in the story's
    # ``__dict__``: not by functools.cached_property, which mypyc compiles to a plain property
    # (every read would merge again, and remembered merges would not be seen).
    @property
    def points(self) -> tuple[StoryPoint, ...]:
        """Key points merged over the outlets."""
        made: tuple[StoryPoint, ...] | None = self.__dict__.get(_POINTS)
        if made is None:
            made = self.__dict__[_POINTS] = merge_points(
                tuple(
                    (i.article.rel_path, tuple(p.text for p in i.analysis.key_points))
                    for i in self.items
                )
            )
        return made

    @property
    def points_key(self) -> str:
        """What the merged points follow from, read without them: each article's path and
        the digest of its bytes, in story order (the analysis settings and briefgen's code
        do the rest). The key under which a build keeps them for the next one."""
        made_of = "\x1e".join(
            f"{i.article.rel_path}\x1f{i.article.content_hash}" for i in self.items
        )
        return hashlib.sha256(made_of.encode()).hexdigest()

    @property
    def merged_points(self) -> tuple[StoryPoint, ...] | None:
        """``points`` if they are made (or remembered) already, else None: nothing is merged."""
        made: tuple[StoryPoint, ...] | None = self.__dict__.get(_POINTS)
        return made

    def remember_points(self, points: tuple[StoryPoint, ...]) -> None:
        """Take merged points an earlier build made under ``points_key`` (the same versions
        of the same articles merge the same way): ``points`` then gives them as they are."""
        self.__dict__[_POINTS] = points

    @property
    def quotes(self) -> tuple[SpeakerQuotes, ...]:
        """Quotes by speaker, each once with its sources."""
        made: tuple[SpeakerQuotes, ...] | None = self.__dict__.get(_QUOTES)
        if made is None:
            made = self.__dict__[_QUOTES] = merge_quotes(
                tuple((i.article.rel_path, tuple(i.analysis.quotes)) for i in self.items)
            )
        return made

    def forget_merges(self) -> None:
        """Merge the points and quotes again when next read (an article of the story changed
        in place: ``live_site.take_edits``)."""
        self.__dict__.pop(_POINTS, None)
        self.__dict__.pop(_QUOTES, None)

    @property
    def lead(self) -> Item:
        return self.items[0]

    @property
    def title(self) -> str:
        return self.lead.article.title

    @property
    def date(self) -> datetime:
        return self.lead.article.date

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i.article.source for i in self.items if i.article.source))

    @property
    def pinned(self) -> bool:
        # (Not cached: most stories have one article, and a cached property takes a lock.)
        return any(item.article.pin for item in self.items)

    @property
    def first_report(self) -> datetime:
        return min(item.article.date for item in self.items)

    @property
    def latest_report(self) -> datetime:
        return max(item.article.date for item in self.items)


@dataclass(frozen=True)
class Source:
    """An outlet and its articles, newest first."""

    id: str
    name: str
    items: tuple[Item, ...]

    def __reduce__(self) -> tuple[object, ...]:
        return (Source, (self.id, self.name, self.items))


@dataclass(frozen=True)
class Topic:
    config: TopicConfig
    stories: tuple[Story, ...]  # pinned first, then newest first

    def __reduce__(self) -> tuple[object, ...]:
        return (Topic, (self.config, self.stories))

    @property
    def id(self) -> str:
        return self.config.id


@dataclass(frozen=True)
class Section:
    """A topic's stories within one edition; ``topic`` None holds stories without a topic."""

    topic: TopicConfig | None
    stories: tuple[Story, ...]

    def __reduce__(self) -> tuple[object, ...]:
        return (Section, (self.topic, self.stories))


@dataclass(frozen=True)
class Edition:
    id: str  # "2024-10-28" or "2024-W44"
    label: str
    first_day: date
    last_day: date
    sections: tuple[Section, ...]  # the section of a pinned story first
    note: EditionNote | None = None  # an editor's note shown at the top

    def __reduce__(self) -> tuple[object, ...]:
        fields = (self.id, self.label, self.first_day, self.last_day, self.sections, self.note)
        return (Edition, fields)

    @property
    def stories(self) -> tuple[Story, ...]:
        unique = {s.id: s for section in self.sections for s in section.stories}
        return tuple(unique.values())


@dataclass(frozen=True)
class CollectionState:
    """Decisions that must not move between builds, so that no URL moves: each article's
    automatic topics and each article's story id (kept in the build cache)."""

    automatic_topics: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    story_ids: Mapping[str, str] = field(default_factory=dict)
    # story_grouping.grouping_digest of the articles the story ids were decided for: while
    # it holds, grouping them again would give the same ids.
    grouping: str = ""

    def __reduce__(self) -> tuple[object, ...]:
        return (CollectionState, (self.automatic_topics, self.story_ids, self.grouping))


@dataclass(frozen=True)
class Collection:
    items: tuple[Item, ...]  # newest first
    stories: tuple[Story, ...]  # newest first
    topics: tuple[Topic, ...]  # configured order, then the others by id
    editions: tuple[Edition, ...]  # newest first
    sources: tuple[Source, ...] = ()  # by name
    state: CollectionState = field(default_factory=CollectionState)

    def __reduce__(self) -> tuple[object, ...]:
        fields = (self.items, self.stories, self.topics, self.editions, self.sources, self.state)
        return (Collection, fields)


def article_place(article: Article) -> object:
    """Everything that decides where an article stands: which topics, stories, editions and
    outlets list it and in what order, its pages' URLs, titles and what they link to."""
    return (
        article.slug,
        article.title,
        article.date,
        article.date.utcoffset(),
        article.source,
        article.topics,
        article.hide,
        article.pin,
        article.draft,
        article.story,
        article.aliases,
        tuple((link.kind, link.target) for link in article.links),
    )


def given_topics(article: Article, config: Config) -> tuple[str, ...]:
    return tuple(dict.fromkeys(config.topic_id(name) for name in article.topics))


def given_topics_by_path(articles: Iterable[Article], config: Config) -> dict[str, tuple[str, ...]]:
    """``given_topics`` of each article, by its path."""
    given: dict[str, tuple[str, ...]] = {}
    named: dict[tuple[str, ...], tuple[str, ...]] = {}  # (thousands of articles, few lists)
    for a in articles:
        ids = named.get(a.topics)
        given[a.rel_path] = (
            ids if ids is not None else named.setdefault(a.topics, given_topics(a, config))
        )
    return given


def collect(
    pairs: Iterable[tuple[Article, Analysis]],
    config: Config,
    notes: Sequence[EditionNote] = (),
    state: CollectionState | None = None,
    earlier: Mapping[str, tuple[Article, Analysis]] | None = None,
) -> Collection:
    """``state``: what the last build decided (automatic topics, stories); ``earlier``: the
    article and analysis that build had of each article changed since, where known."""
    state = state or CollectionState()
    pairs = list(pairs)
    given = given_topics_by_path((a for a, _ in pairs), config)
    assignment = front_matter_topics(given, config.topics) or assign_topics(
        [
            TopicDoc(
                a.rel_path,
                _FieldOf(analysis, "terms"),
                functools.partial(_title_and_text, a),
                given[a.rel_path],
            )
            for a, analysis in pairs
        ],
        config.topics,
        threshold=config.topic_threshold,
        previous=state.automatic_topics,
    )
    items = _newest_first(
        Item(a, analysis, assignment.topics.get(a.rel_path, ())) for a, analysis in pairs
    )
    # A hidden article keeps its own page (a story of its own) but is listed nowhere.
    shown = [i for i in items if not i.article.hide]
    window = timedelta(days=config.story_window_days)
    rows = [_digest_row(item) for item in shown]
    grouping = grouping_digest_of(rows, window)
    keys = [item.article.rel_path for item in shown]
    if grouping == state.grouping and all(key in state.story_ids for key in keys):
        story_ids = {key: state.story_ids[key] for key in keys}  # what grouping would give
    else:
        docs = [story_doc(item) for item in shown]
        kept = _stories_kept(shown, docs, rows, earlier or {}, state, window)
        story_ids = (
            kept
            if kept is not None
            else group_stories(docs, window=window, previous=state.story_ids)
        )
    listed = group_into_stories(shown, story_ids)
    unlisted = group_into_stories([i for i in items if i.article.hide], {})
    new_topics = [TopicConfig(t.id, t.label) for t in assignment.new_topics]
    topics = _topics(listed, config, new_topics)
    editions = group_into_editions(listed, topics, config, {n.edition: n for n in notes})
    automatic = {
        key: ids
        for key, ids in assignment.topics.items()
        if assignment.how[key] in (SIMILAR, CLUSTER)
    }
    return Collection(
        tuple(items),
        (*listed, *unlisted),
        topics,
        editions,
        _sources(items),
        CollectionState(
            automatic, {i.article.rel_path: s.id for s in listed for i in s.items}, grouping
        ),
    )


def _stories_kept(
    shown: Sequence[Item],
    docs: Sequence[StoryDoc],
    rows: Sequence[DigestRow],
    earlier: Mapping[str, tuple[Article, Analysis]],
    state: CollectionState,
    window: timedelta,
) -> dict[str, str] | None:
    """The last build's stories, when only the words or names of a few articles changed
    since (a headline or lead edited) and grouping with the new ones makes the same stories:
    ``StoryCheck`` groups again only the articles the edit can move, as the preview does,
    where grouping every article costs most of a second at 10,000. None when that cannot be
    told: the last build grouped other articles (its digest says so), or the stories change."""
    changed = [p for p, item in enumerate(shown) if item.article.rel_path in earlier]
    if not changed:
        return None
    before = list(docs)
    rows_before = list(rows)
    for position in changed:
        article, analysis = earlier[shown[position].article.rel_path]
        old = Item(article, analysis, ())
        before[position], rows_before[position] = story_doc(old), _digest_row(old)
    if grouping_digest_of(rows_before, window) != state.grouping or not all(
        doc.key in state.story_ids for doc in docs
    ):
        return None
    # The last build grouped exactly ``before``; given its own stories as the earlier ones,
    # grouping gives them again, and so it does with the edits when the check says so.
    check = StoryCheck(before, state.story_ids, window)
    if not check.same_stories([docs[position] for position in changed]):
        return None
    return {doc.key: state.story_ids[doc.key] for doc in docs}


def _title_and_text(article: Article) -> str:
    return f"{article.title}\n{article.plain}"


class _FieldOf(Mapping[str, int]):
    """Word counts of an analysis (``terms``, ``story_terms``, ``names``), read when topic
    assignment or story grouping first needs them: not at all when every article has its
    topics in front matter and no story changed (the counts of an article read back from the
    cache stay packed)."""

    def __init__(self, analysis: Analysis, name: str) -> None:
        self._analysis = analysis
        self._name = name

    @property
    def _counts(self) -> Mapping[str, int]:
        counts: Mapping[str, int] = getattr(self._analysis, self._name)
        return counts

    def __getitem__(self, term: str) -> int:
        return self._counts[term]

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)

    # The dict's own views, at the dict's speed (topic clustering walks them all).
    def keys(self) -> KeysView[str]:
        return self._counts.keys()

    def items(self) -> ItemsView[str, int]:
        return self._counts.items()

    def values(self) -> ValuesView[int]:
        return self._counts.values()


def story_doc(item: Item) -> StoryDoc:
    """What story grouping reads of an article."""
    article = item.article
    return StoryDoc(
        key=article.rel_path,
        slug_id=_slug_id(article),
        date=_utc(article.date),
        source=article.source,
        words=_FieldOf(item.analysis, "story_terms"),
        names=_FieldOf(item.analysis, "names"),
        forced=article.story,
        features=item.analysis.story_digest,
    )


def _digest_row(item: Item) -> DigestRow:
    """What the grouping digest reads of an article, with no StoryDoc made for it."""
    article, features = item.article, item.analysis.story_digest
    if not features:
        return digest_row(story_doc(item))
    return (
        article.rel_path,
        _slug_id(article),
        _utc(article.date),
        article.source,
        article.story,
        features,
    )


def _utc(moment: datetime) -> datetime:
    """``moment`` in UTC, without a zone: what grouping compares (``StoryDoc.date``)."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def _slug_id(article: Article) -> str:
    return article.slug.replace("/", "-")


def source_id(name: str) -> str:
    return "-".join(re.findall(r"[^\W_]+", name.lower())) or "unknown"


def _sources(items: Sequence[Item]) -> tuple[Source, ...]:
    by_id: dict[str, list[Item]] = {}
    names: dict[str, str] = {}
    ids: dict[str, str] = {}  # (a few outlets write thousands of articles)
    for item in items:
        if name := item.article.source:
            key = ids.get(name) or ids.setdefault(name, source_id(name))
            by_id.setdefault(key, []).append(item)
            names.setdefault(key, name)
    return tuple(
        Source(key, names[key], tuple(members))
        for key, members in sorted(by_id.items(), key=lambda pair: names[pair[0]].lower())
    )


def _newest_first(items: Iterable[Item]) -> list[Item]:
    """Newest first, then by path."""
    # (Two stable sorts, the second by a float: a third of the time of one by tuples.)
    by_path = sorted(items, key=lambda i: i.article.rel_path)
    return sorted(by_path, key=lambda i: i.article.date.timestamp(), reverse=True)


def group_into_stories(items: Sequence[Item], story_ids: Mapping[str, str]) -> list[Story]:
    """Items grouped by the story id given to them (their own slug when none); the oldest
    article leads. ``items`` come newest first, and so do the stories (by their newest)."""
    groups: dict[str, list[Item]] = {}
    for item in items:
        story_id = story_ids.get(item.article.rel_path)
        if story_id is None:
            story_id = _slug_id(item.article)  # a story of its own
        groups.setdefault(story_id, []).append(item)
    # A story is first met at its newest article: the groups are in the stories' order.
    stories = []
    for story_id, members in groups.items():
        if len(members) == 1:  # (most stories)
            stories.append(Story(story_id, (members[0],), members[0].topics))
            continue
        ordered = sorted(members, key=lambda i: (i.article.date, i.article.rel_path))
        topics = tuple(dict.fromkeys(t for i in ordered for t in i.topics))
        stories.append(Story(story_id, tuple(ordered), topics))
    return stories


def _topics(
    stories: Sequence[Story], config: Config, new_topics: Sequence[TopicConfig]
) -> tuple[Topic, ...]:
    """Configured topics, then the automatic "Unsorted" ones, then names from front matter
    that the config does not know."""
    named = {t.id: t for t in (*config.topics, *new_topics)}
    members: dict[str, list[Story]] = {}
    for story in stories:
        for topic_id in story.topics:
            members.setdefault(topic_id, []).append(story)
    used = sorted(members.keys() - named.keys())
    known = [*named.values(), *(TopicConfig(id=t, label=t.replace("-", " ").title()) for t in used)]
    return tuple(
        Topic(
            topic,
            tuple(
                sorted(
                    members.get(topic.id, ()),
                    key=lambda s: not s.lead.article.pin,  # stable: keeps newest first within
                )
            ),
        )
        for topic in known
    )


def edition_key(day: date, config: Config) -> tuple[str, date, date]:
    """The edition a local calendar day belongs to: (id, first day, last day)."""
    if config.edition.period == "daily":
        return day.isoformat(), day, day
    shift = 1 if config.edition.week_start == "sunday" else 0
    year, week, _ = (day + timedelta(days=shift)).isocalendar()
    first = date.fromisocalendar(year, week, 1) - timedelta(days=shift)
    return f"{year}-W{week:02d}", first, first + timedelta(days=6)


def group_into_editions(
    stories: Sequence[Story],
    topics: Sequence[Topic],
    config: Config,
    notes: Mapping[str, EditionNote] | None = None,
) -> tuple[Edition, ...]:
    """Each story goes into the edition of every local day one of its articles is dated."""
    tz = config.tz
    pinned = {id(story) for story in stories if story.pinned}  # (few, and most sites none)
    members: dict[str, dict[str, Story]] = {}
    bounds: dict[str, tuple[date, date]] = {}
    keys: dict[date, tuple[str, date, date]] = {}
    for story in stories:
        for item in story.items:
            day = item.article.date.astimezone(tz).date()
            edition_id, first, last = keys.get(day) or keys.setdefault(
                day, edition_key(day, config)
            )
            bounds[edition_id] = (first, last)
            members.setdefault(edition_id, {})[story.id] = story
    editions = []
    for edition_id in sorted(members, reverse=True):
        first, last = bounds[edition_id]
        chosen = list(members[edition_id].values())
        if pinned:
            chosen.sort(key=lambda s: id(s) not in pinned)
        by_topic: dict[str | None, list[Story]] = {}
        for story in chosen:
            for topic_id in story.topics or (None,):
                by_topic.setdefault(topic_id, []).append(story)
        sections = [
            Section(topic.config, tuple(by_topic[topic.id]))
            for topic in topics
            if topic.id in by_topic
        ]
        sections.append(Section(None, tuple(by_topic.get(None, ()))))
        if pinned:
            sections.sort(key=lambda section: pinned.isdisjoint(map(id, section.stories)))
        editions.append(
            Edition(
                id=edition_id,
                label=_edition_label(first, last),
                first_day=first,
                last_day=last,
                sections=tuple(s for s in sections if s.stories),
                note=(notes or {}).get(edition_id),
            )
        )
    return tuple(editions)


def _edition_label(first: date, last: date) -> str:
    if first == last:
        return f"{first:%A} {first.day} {first:%B %Y}"
    return f"Week of {first.day} {first:%B %Y}"
