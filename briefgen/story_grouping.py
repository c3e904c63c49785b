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
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from briefgen.analysis.keypoints import cosine

TEXT_WEIGHT = 0.5
NAME_WEIGHT = 0.5
JOIN_THRESHOLD = 0.30  # the average likeness to a story's articles needed to join it
TEXT_FLOOR = 0.16  # below this headline-and-lead likeness, shared names do not count


class StoryDoc(NamedTuple):
    """What story grouping reads of one article (a tuple: one is made per article and
    build, and most builds only hash them)."""

    key: str  # the article's path
    slug_id: str  # the id a story led by this article gets
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


def grouping_digest(docs: Sequence[StoryDoc], window: timedelta) -> str:
    """A hash of everything the grouping reads of the articles: equal digests, equal stories.
    Most edits (all but those to a headline, a lead or the names near the top) keep it."""
    parts = [f"{window}:{JOIN_THRESHOLD}:{TEXT_FLOOR}"]
    for doc in sorted(docs, key=lambda d: d.key):
        features = doc.features or repr((sorted(doc.words.items()), sorted(doc.names.items())))
        fields = (doc.key, doc.slug_id, doc.date.isoformat(), doc.source, repr(doc.forced))
        parts.append("\x1f".join((*fields, features)))
    return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()


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
    open_stories: list[_Open] = []
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
            still_open = []
            for candidate in open_stories:
                if candidate.latest and doc.date - candidate.latest <= window:
                    still_open.append(candidate)
                else:
                    index.close(candidate)
            open_stories = still_open
            texts = index.text_likeness(words[position])
            # Only a story with an article past the text floor can be like enough on average.
            near = {id(story_of[m]) for m, text in texts.items() if text >= TEXT_FLOOR}
            candidates = [story for story in open_stories if id(story) in near]
            match = _best_match(position, doc, candidates, texts, names, threshold)
            if match is None:
                match = _Open(doc.slug_id)
                open_stories.append(match)
                stories.append(match)
            index.add(position, words[position])
            story = match
        story.members.append(position)
        story_of[position] = story
        if doc.source:
            story.sources.add(doc.source.lower())
        story.latest = max(story.latest or doc.date, doc.date)
    return _story_ids(stories, fixed, docs, previous)


class _OpenIndex:
    """The headline-and-lead words of the articles in open stories, by word: an article's
    likeness to all of them costs the length of its words' lists, not a cosine per article."""

    def __init__(self) -> None:
        self._postings: dict[str, list[tuple[int, float]]] = {}
        self._open: set[int] = set()
        self._closed = 0  # articles closed but still in the lists

    def add(self, member: int, vector: Mapping[str, float]) -> None:
        self._open.add(member)
        for term, weight in vector.items():
            self._postings.setdefault(term, []).append((member, weight))

    def close(self, story: _Open) -> None:
        """A story out of the window is never joined again: its articles leave the lists
        (all at once when they have come to outnumber the open ones: linear overall)."""
        self._open.difference_update(story.members)
        self._closed += len(story.members)
        if self._closed > max(len(self._open), 1024):
            self._postings = {
                term: kept
                for term, postings in self._postings.items()
                if (kept := [entry for entry in postings if entry[0] in self._open])
            }
            self._closed = 0

    def text_likeness(self, vector: Mapping[str, float]) -> dict[int, float]:
        """Cosine of ``vector`` with every open article that shares a word with it."""
        sums: dict[int, float] = {}
        is_open = self._open
        for term, weight in vector.items():
            for member, other in self._postings.get(term, ()):
                if member in is_open:
                    sums[member] = sums.get(member, 0.0) + weight * other
        return sums


def _best_match(
    index: int,
    doc: StoryDoc,
    candidates: list[_Open],
    texts: Mapping[int, float],
    names: list[dict[str, float]],
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
    rarity = {df: math.log((1 + total) / (1 + df)) + 1 for df in set(frequency.values())}
    idf = {term: rarity[df] for term, df in frequency.items()}
    repeats = {count: 1 + math.log(count) for bag in bags for count in set(bag.values())}
    vectors = []
    for bag in bags:
        vector = {term: repeats[count] * idf[term] for term, count in bag.items()}
        norm = math.hypot(*vector.values()) or 1.0
        vectors.append({term: w / norm for term, w in vector.items() if w > 0})
    return vectors


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
