"""Pure: which articles tell the same event, so a briefing lists each event once.

Two articles are the same story when they come from different outlets, within a few days of
each other, and share both words of their headline and lead (TF-IDF cosine) and the rare
names they mention (people, places, organisations, weighted by how rare each name is in the
whole collection). An article joins the open story it matches best, and only when it matches
that story's articles on average, not just one of them: a chain of loose likenesses never
welds two events together. A wrong merge misleads a reader more than a missed one, so the
bar is high.

Linear in practice: articles are taken in date order and compared only with stories still
inside the window. Front matter decides where it speaks: ``story: <id>`` forces articles
together, ``story: false`` keeps one apart.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from operator import itemgetter
from typing import NamedTuple, overload

from briefgen.analysis.keypoints import cosine

TEXT_WEIGHT = 0.5
NAME_WEIGHT = 0.5
JOIN_THRESHOLD = 0.30  # the average likeness to a story's articles needed to join it
TEXT_FLOOR = 0.16  # below this headline-and-lead likeness, shared names do not count
# Part of the digest: a new version groups every site again once (2: a story split in two is
# two stories, each with an id of its own).
GROUPING_VERSION = 2


class StoryDoc(NamedTuple):
    """What story grouping reads of one article (a tuple: one is made per article and
    build, and most builds only hash them)."""

    key: str  # the article's path
    slug_id: str  # the id a story led by this article gets
    # When it was published, as a UTC time without a zone (``collection.story_doc``): a
    # grouping compares dates a hundred thousand times, and two dates with different zones
    # each ask their zone for its offset (a fifth of a grouping's time at 10,000 articles).
    date: datetime
    source: str
    words: Mapping[str, int]  # stemmed terms of headline and lead
    names: Mapping[str, int]  # entities of the whole text
    forced: str | bool | None = None  # front matter ``story``
    features: str = ""  # a digest of words and names (Analysis.story_digest), if known


@dataclass
class _Open:
    id: str
    members: list[int] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    latest: datetime | None = None

    def join(self, position: int, doc: StoryDoc, story_of: dict[int, _Open]) -> None:
        """The article at ``position`` joins this story (``story_of`` notes it)."""
        self.members.append(position)
        story_of[position] = self
        if doc.source:
            self.sources.add(doc.source.lower())
        self.latest = max(self.latest or doc.date, doc.date)


def group_stories(
    docs: Sequence[StoryDoc],
    *,
    window: timedelta = timedelta(days=3),
    previous: Mapping[str, str] | None = None,
    threshold: float = JOIN_THRESHOLD,
) -> dict[str, str]:
    """Each article's story id. ``previous`` maps articles to the story ids an earlier build
    gave them: a story keeps its id as articles join or leave, but which articles make a
    story never depends on it (a story split in two is two stories, each with an id of its
    own). Given its own result as ``previous``, the grouping gives that result again."""
    return _group(docs, window, previous or {}, threshold)


# What the grouping digest reads of an article: its key, slug id, date, outlet, front-matter
# story, and a digest of its words and names (Analysis.story_digest).
DigestRow = tuple[str, str, datetime, str, str | bool | None, str]


def grouping_digest(docs: Iterable[StoryDoc], window: timedelta) -> str:
    """A hash of everything the grouping reads of the articles: equal digests, equal stories.
    Most edits (all but those to a headline, a lead or the names near the top) keep it."""
    return grouping_digest_of(map(digest_row, docs), window)


def grouping_digest_of(rows: Iterable[DigestRow], window: timedelta) -> str:
    """``grouping_digest`` of the articles' rows, made without their StoryDocs (a build
    whose stories stay needs no more of its articles than this)."""
    parts = [f"{GROUPING_VERSION}:{window}:{JOIN_THRESHOLD}:{TEXT_FLOOR}"]
    for key, slug_id, date, source, forced, features in sorted(rows, key=itemgetter(0)):
        parts.append(
            f"{key}\x1f{slug_id}\x1f{date.isoformat()}\x1f{source}\x1f{forced!r}\x1f{features}"
        )
    return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()


def digest_row(doc: StoryDoc) -> DigestRow:
    features = doc.features or repr((sorted(doc.words.items()), sorted(doc.names.items())))
    return (doc.key, doc.slug_id, doc.date, doc.source, doc.forced, features)


def _group(
    docs: Sequence[StoryDoc],
    window: timedelta,
    previous: Mapping[str, str],
    threshold: float,
) -> dict[str, str]:
    order = sorted(range(len(docs)), key=lambda i: (docs[i].date, docs[i].key))
    words = _weighted([d.words for d in docs])
    names = _weighted([d.names for d in docs])
    stories: list[_Open] = []  # in the order they were opened
    story_of: dict[int, _Open] = {}  # each grouped article's story
    open_stories = _OpenStories()
    forced: dict[str, _Open] = {}
    fixed: set[int] = set()  # (ids of) the stories whose id front matter decides
    index = _OpenIndex()
    for position in order:
        doc = docs[position]
        if isinstance(doc.forced, str) and doc.forced:
            story = forced.setdefault(doc.forced, _Open(doc.forced))
            if not story.members:
                stories.append(story)
                fixed.add(id(story))
        elif doc.forced is False:
            story = _Open(doc.slug_id)
            stories.append(story)
            fixed.add(id(story))
        else:
            match = _turn(
                position,
                doc,
                open_stories,
                index,
                story_of,
                words[position],
                names,
                window,
                threshold,
            )
            if match is None:
                match = _Open(doc.slug_id)
                stories.append(match)
            index.add(position, words[position])
            open_stories.join(match, position, doc, story_of)
            continue
        story.join(position, doc, story_of)
    return _story_ids(stories, fixed, docs, previous)


class _OpenStories:
    """The stories an article may still join, in the order they were opened. A story closes
    once the window has passed its latest article: the stories are kept by that date too, so
    a turn closes those it must without looking at every open story."""

    def __init__(self) -> None:
        self._opened: dict[int, _Open] = {}  # by id, in the order they were opened
        self._rank: dict[int, int] = {}  # (ids of) the stories, by when they were opened
        self._by_latest: list[tuple[datetime, int, _Open]] = []  # a heap, stale entries too
        self._count = 0

    def __iter__(self) -> Iterator[_Open]:
        return iter(self._opened.values())

    def add(self, story: _Open) -> None:
        """Open ``story`` (with its articles so far)."""
        if id(story) not in self._opened:
            self._opened[id(story)] = story
            self._rank[id(story)] = len(self._rank)
        if story.latest is not None:
            self._count += 1
            heapq.heappush(self._by_latest, (story.latest, self._count, story))

    def join(self, story: _Open, position: int, doc: StoryDoc, story_of: dict[int, _Open]) -> None:
        """The article at ``position`` joins ``story`` (opening it if new)."""
        story.join(position, doc, story_of)
        self.add(story)

    def close_before(self, date: datetime, window: timedelta, index: _OpenIndex) -> None:
        """Close the stories whose latest article is more than ``window`` before ``date``."""
        heap = self._by_latest
        while heap and date - heap[0][0] > window:
            latest, _, story = heapq.heappop(heap)
            if story.latest == latest and self._opened.pop(id(story), None) is not None:
                index.close(story)  # (an older entry of a story joined since is passed over)

    def among(self, ids: set[int]) -> list[_Open]:
        """The open stories of these ids, in the order they were opened."""
        found = [i for i in ids if i in self._opened]
        return [self._opened[i] for i in sorted(found, key=self._rank.__getitem__)]


class _OpenIndex:
    """The headline-and-lead words of the articles in open stories, by word: an article's
    likeness to all of them costs the length of its words' lists, not a cosine per article.
    A closed story's articles leave the lists at once (each list is short: the open articles
    having that word, some hundred at most)."""

    def __init__(self) -> None:
        self._postings: dict[str, dict[int, float]] = {}
        self._terms: dict[int, Iterable[str]] = {}  # each open article's words

    def add(self, member: int, vector: Mapping[str, float]) -> None:
        self._terms[member] = vector.keys()
        for term, weight in vector.items():
            posting = self._postings.get(term)
            if posting is None:
                self._postings[term] = {member: weight}
            else:
                posting[member] = weight

    def close(self, story: _Open) -> None:
        """A story out of the window is never joined again: its articles leave the lists."""
        postings = self._postings
        for member in story.members:
            for term in self._terms.pop(member, ()):
                posting = postings[term]
                del posting[member]
                if not posting:
                    del postings[term]

    def text_likeness(self, vector: Mapping[str, float]) -> dict[int, float]:
        """Cosine of ``vector`` with every open article that shares a word with it."""
        sums: dict[int, float] = {}
        postings = self._postings
        for term, weight in vector.items():
            posting = postings.get(term)
            if posting is not None:
                for member, other in posting.items():
                    sums[member] = sums.get(member, 0.0) + weight * other
        return sums


def _turn(
    position: int,
    doc: StoryDoc,
    open_stories: _OpenStories,
    index: _OpenIndex,
    story_of: Mapping[int, _Open],
    words: Mapping[str, float],
    names: Sequence[dict[str, float]],
    window: timedelta,
    threshold: float = JOIN_THRESHOLD,
) -> _Open | None:
    """One article's turn (not one front matter places): close the stories out of the
    window; the open story it joins, if any. ``words``: its vector; ``names``: every
    article's names vector, by position."""
    open_stories.close_before(doc.date, window, index)
    texts = index.text_likeness(words)
    # Only a story with an article past the text floor can be like enough on average.
    near = {id(story_of[m]) for m, text in texts.items() if text >= TEXT_FLOOR}
    candidates = open_stories.among(near)
    return _best_match(position, doc, candidates, texts, names, threshold)


def _best_match(
    index: int,
    doc: StoryDoc,
    candidates: list[_Open],
    texts: Mapping[int, float],
    names: Sequence[dict[str, float]],
    threshold: float,
) -> _Open | None:
    """The open story this article is most like on average over its articles, if any is
    like enough. ``texts`` holds its headline-and-lead likeness to the open articles."""
    best: tuple[float, _Open] | None = None
    for story in candidates:
        if doc.source and doc.source.lower() in story.sources:
            continue  # one outlet's two articles are two reports, not two sources of one
        total = 0.0
        for member in story.members:
            text = texts.get(member, 0.0)
            if text >= TEXT_FLOOR:
                total += _joined(text, cosine(names[index], names[member]))
        average = total / len(story.members)
        if average >= threshold and (best is None or average > best[0]):
            best = (average, story)
    return best[1] if best else None


def _joined(text: float, names: float) -> float:
    """Headline-and-lead likeness and shared rare names, together; sharing names without
    telling the same thing (the same minister at two events) is not enough (``TEXT_FLOOR``)."""
    return TEXT_WEIGHT * text + NAME_WEIGHT * names


def _weighted(bags: Sequence[Mapping[str, int]]) -> list[dict[str, float]]:
    """Unit TF-IDF vectors over the collection: a name every article has weighs nothing."""
    frequency: Counter[str] = Counter()
    for bag in bags:
        frequency.update(bag.keys())
    total = len(bags)
    # Once for each frequency and count, not each term: most share a few small ones.
    rarity = {df: _rarity(df, total) for df in set(frequency.values())}
    idf = {term: rarity[df] for term, df in frequency.items()}
    repeats: dict[int, float] = {}
    vectors: list[dict[str, float]] = []
    for bag in bags:
        weights: list[float] = []
        for term, count in bag.items():
            repeat = repeats.get(count)
            if repeat is None:
                repeat = repeats[count] = _repeat(count)
            weights.append(repeat * idf[term])
        vectors.append(_unit(bag, weights))
    return vectors


def _rarity(frequency: int, total: int) -> float:
    return math.log((1 + total) / (1 + frequency)) + 1


def _repeat(count: int) -> float:
    return 1 + math.log(count)


def _unit(terms: Iterable[str], weights: list[float]) -> dict[str, float]:
    """The terms' weights (each positive: both factors are at least 1) scaled to length 1,
    taken as a list, not a dict made first (a quarter of ``_weighted``'s time)."""
    norm = math.hypot(*weights) or 1.0
    return {term: weight / norm for term, weight in zip(terms, weights, strict=True)}


def _story_ids(
    stories: list[_Open],
    fixed: set[int],
    docs: Sequence[StoryDoc],
    previous: Mapping[str, str],
) -> dict[str, str]:
    """Each article's story id. A story whose id front matter gives (``story: <id>``, or
    ``story: false``: its article's own) has that id. Another keeps an id its articles had
    before, so its page stays where it was as reports join or leave: the one most of them
    had, and where two stories claim one id (a story split in two), the story holding more
    of its articles, then the earlier. A story with no earlier id, or whose id went to
    another, takes the id its first article would give a story of its own. No two stories
    ever share an id: that would publish two events as one."""
    taken = {story.id for story in stories if id(story) in fixed}
    chosen: dict[int, str] = {id(story): story.id for story in stories if id(story) in fixed}
    claims = []
    for order, story in enumerate(stories):
        if id(story) not in fixed:
            held = Counter(previous[k] for m in story.members if (k := docs[m].key) in previous)
            claims += [(-count, order, earlier) for earlier, count in held.items()]
    for _, order, earlier in sorted(claims):
        story = stories[order]
        if id(story) not in chosen and earlier not in taken:
            chosen[id(story)] = earlier
            taken.add(earlier)
    assigned: dict[str, str] = {}
    for story in stories:
        if id(story) not in chosen:
            own = [docs[m].slug_id for m in story.members]
            name = next((slug for slug in own if slug not in taken), None)
            suffix = 2
            while name is None:
                name = f"{own[0]}-{suffix}" if f"{own[0]}-{suffix}" not in taken else None
                suffix += 1
            chosen[id(story)] = name
            taken.add(name)
        for member in story.members:
            assigned[docs[member].key] = chosen[id(story)]
    return assigned


class StoryCheck:
    """A collection's grouping as a long-running build keeps it, to tell whether edits to a
    few articles' words or names leave every story as it is (``same_stories``) without
    grouping every article again.

    Grouping takes the articles in date order, and what an article weighs in it is its
    vectors: its own words and names, and how rare those are in the whole collection. An
    edit changes the vectors of the edited article and of the articles sharing a word or
    name whose rarity it changed (the "affected" ones); every other vector stays. The
    grouping before the first affected article is the same, so it is taken as it was: the
    stories then open, rebuilt from the known stories. From there the articles' turns are
    taken again, with the same code and arithmetic as a whole grouping, until no affected
    article is left in an open story: if each joins the story it joined before, every later
    turn sees what it saw before too, and the stories are the same."""

    def __init__(
        self,
        docs: Sequence[StoryDoc],
        story_ids: Mapping[str, str],
        window: timedelta,
        threshold: float = JOIN_THRESHOLD,
    ) -> None:
        """``docs``: what grouping read of the articles; ``story_ids``: what it made."""
        self._docs = list(docs)
        self._window, self._threshold = window, threshold
        self._at = {doc.key: position for position, doc in enumerate(docs)}
        order = sorted(range(len(docs)), key=lambda i: (docs[i].date, docs[i].key))
        self._order = order
        self._rank = {position: rank for rank, position in enumerate(order)}
        self._story = [story_ids[doc.key] for doc in docs]
        self._members: dict[str, list[int]] = {}  # each story's articles, in date order
        for position in order:
            self._members.setdefault(self._story[position], []).append(position)
        self._words = _Terms([doc.words for doc in docs])
        self._names = _Terms([doc.names for doc in docs])

    def same_stories(self, edited: Sequence[StoryDoc]) -> bool:
        """Whether grouping the articles with ``edited`` in place of theirs (same keys,
        dates, outlets and front matter; other words or names) makes the same stories."""
        changed: dict[int, StoryDoc] = {}
        for doc in edited:
            position = self._at.get(doc.key)
            if position is None:
                return False
            old = self._docs[position]
            if (old.date, old.source, old.forced, old.slug_id) != (
                doc.date,
                doc.source,
                doc.forced,
                doc.slug_id,
            ):
                return False
            if dict(old.words) != dict(doc.words) or dict(old.names) != dict(doc.names):
                changed[position] = doc
        if not changed:
            return True
        words = _Rarity(self._words, [(self._docs[p].words, d.words) for p, d in changed.items()])
        names = _Rarity(self._names, [(self._docs[p].names, d.names) for p, d in changed.items()])
        affected = set(changed) | words.touched | names.touched
        affected = {p for p in affected if not _placed_by_front_matter(self._docs[p])}
        if not affected:
            return True  # (front matter places them: their words count for nothing)
        if len(affected) > _AFFECTED_AT_MOST:
            return False  # a common word's rarity moved: a whole grouping is as quick
        return self._replay(changed, affected, words, names)

    def take(self, edited: Sequence[StoryDoc]) -> None:
        """Hold ``edited`` from now on (after ``same_stories`` said they keep the stories)."""
        for doc in edited:
            position = self._at[doc.key]
            self._words.put(position, doc.words)
            self._names.put(position, doc.names)
            self._docs[position] = doc

    def _replay(
        self,
        changed: Mapping[int, StoryDoc],
        affected: set[int],
        words: _Rarity,
        names: _Rarity,
    ) -> bool:
        docs = [changed.get(position, doc) for position, doc in enumerate(self._docs)]
        word_vectors = _Vectors(docs, words, "words")
        name_vectors = _Vectors(docs, names, "names")
        start = min(self._rank[p] for p in affected)
        last = max(self._rank[p] for p in affected)
        first = docs[self._order[start]]
        # The stories open at the first affected article's turn: those with an article in
        # the window before it (their earlier articles with them).
        open_ids: list[str] = []
        rank = start - 1
        while rank >= 0 and first.date - docs[self._order[rank]].date <= self._window:
            position = self._order[rank]
            if not _placed_by_front_matter(docs[position]):
                open_ids.append(self._story[position])
            rank -= 1
        index = _OpenIndex()
        story_of: dict[int, _Open] = {}
        open_stories = _OpenStories()
        by_first = sorted(set(open_ids), key=lambda sid: self._rank[self._members[sid][0]])
        for story_id in by_first:
            story = _Open(story_id)
            for member in self._members[story_id]:
                if self._rank[member] >= start:
                    break
                story.join(member, docs[member], story_of)
            if story.latest and first.date - story.latest <= self._window:
                open_stories.add(story)
                for member in story.members:
                    index.add(member, word_vectors[member])
        for rank in range(start, len(docs)):
            position = self._order[rank]
            doc = docs[position]
            if _placed_by_front_matter(doc):
                continue
            if rank > last and not any(
                member in affected
                for story in open_stories
                if story.latest and doc.date - story.latest <= self._window
                for member in story.members
            ):
                return True  # from here on, every turn sees what it saw before
            match = _turn(
                position,
                doc,
                open_stories,
                index,
                story_of,
                word_vectors[position],
                name_vectors,
                self._window,
                self._threshold,
            )
            story_id = self._story[position]
            if match is None:
                if self._members[story_id][0] != position:
                    return False  # it would start a story of its own now
                match = _Open(story_id)
            elif match.id != story_id:
                return False  # it would join another story
            index.add(position, word_vectors[position])
            open_stories.join(match, position, doc, story_of)
        return True


_AFFECTED_AT_MOST = 200  # articles whose vectors an edit may move for a partial grouping


def _placed_by_front_matter(doc: StoryDoc) -> bool:
    return doc.forced is False or (isinstance(doc.forced, str) and bool(doc.forced))


class _Terms:
    """How many articles have each term (of their words, or of their names), and which.
    The counts are made when first asked for: a check that ends early (an edit that moves
    too many articles) needs only which articles have which terms."""

    def __init__(self, bags: Sequence[Mapping[str, int]]) -> None:
        self.keys = [bag.keys() for bag in bags]  # (each article's own, read as it is)
        self._counts: Counter[str] | None = None

    @property
    def counts(self) -> Counter[str]:
        if self._counts is None:
            self._counts = Counter()
            for keys in self.keys:
                self._counts.update(keys)
        return self._counts

    def put(self, position: int, bag: Mapping[str, int]) -> None:
        """The article at ``position`` has the terms of ``bag`` from now on."""
        if self._counts is not None:
            self._counts.subtract(self.keys[position])
            self._counts.update(bag.keys())
        self.keys[position] = bag.keys()

    def having(self, terms: set[str]) -> set[int]:
        """The articles that have any of ``terms``."""
        if self._counts is not None and not any(self._counts[term] for term in terms):
            return set()  # (known without looking: a check that went on to count them)
        return {p for p, keys in enumerate(self.keys) if not terms.isdisjoint(keys)}


class _Rarity:
    """How many articles have each term once edits are in, and the articles whose vectors
    the edits move (``touched``: those having a term whose count changes)."""

    def __init__(
        self, terms: _Terms, edits: Sequence[tuple[Mapping[str, int], Mapping[str, int]]]
    ) -> None:
        self._terms, self._total = terms, len(terms.keys)
        self._delta: Counter[str] = Counter()
        for before, after in edits:
            self._delta.subtract(before.keys())
            self._delta.update(after.keys())
        self.touched = terms.having({term for term, change in self._delta.items() if change})

    def idf(self, term: str) -> float:
        return _rarity(self._terms.counts[term] + self._delta[term], self._total)


class _Vectors(Sequence[dict[str, float]]):
    """Articles' unit TF-IDF vectors, made when first asked for, as ``_weighted`` makes
    them (the same arithmetic, so the same bits)."""

    def __init__(self, docs: Sequence[StoryDoc], rarity: _Rarity, field: str) -> None:
        self._docs, self._rarity, self._field = docs, rarity, field
        self._made: dict[int, dict[str, float]] = {}

    @overload
    def __getitem__(self, position: int) -> dict[str, float]: ...

    @overload
    def __getitem__(self, position: slice) -> Sequence[dict[str, float]]: ...

    def __getitem__(self, position: int | slice) -> dict[str, float] | Sequence[dict[str, float]]:
        if isinstance(position, slice):
            return [self[p] for p in range(len(self))[position]]
        vector = self._made.get(position)
        if vector is None:
            bag: Mapping[str, int] = getattr(self._docs[position], self._field)
            idf = self._rarity.idf
            vector = _unit(bag, [_repeat(c) * idf(term) for term, c in bag.items()])
            self._made[position] = vector
        return vector

    def __len__(self) -> int:
        return len(self._docs)
