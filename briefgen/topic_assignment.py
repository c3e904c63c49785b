"""Pure: the topics of every article, from front matter, keywords or resemblance.

The evidence is taken in order, and the first that speaks decides: the article's front matter,
then the config's topic keywords, then resemblance. An article nothing places joins the
configured topic whose articles it most resembles (cosine of its TF-IDF vector with the topic's
centroid, at least ``threshold``); what resembles no configured topic is grouped with the other
leftovers into new topics named by their top terms ("Unsorted: ..."), never slipped into a
configured topic. Automatic topics an earlier build gave are passed back in and kept, so pages
do not move as articles arrive; a new article may join an "Unsorted" topic it resembles.

All of it is linear in the number of articles but one step: leftovers are clustered by
average-link agglomeration, which compares pairs, so above ``_SAMPLE`` of them it runs on a
deterministic sample and every leftover then joins its nearest cluster in a few k-means passes
(the Buckshot method of Scatter/Gather). A cluster must hold together ``_MERGE_RATIO`` times
better than two articles of the collection do on average: relative, because absolute cosines
fall as a collection, and its vocabulary, grows.
"""

from __future__ import annotations

import heapq
import math
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from briefgen.analysis.terms import tokenize
from briefgen.config import TopicConfig

FRONT_MATTER = "front matter"
KEYWORDS = "keywords"
SIMILAR = "similar"
CLUSTER = "cluster"
NONE = "none"  # an article without a single content word
UNSORTED_PREFIX = "unsorted-"

DEFAULT_THRESHOLD = 0.1  # cosine with a configured topic's centroid

_MERGE_RATIO = 1.1  # a cluster's average link, in multiples of the collection's mean similarity
_JOIN_RATIO = 0.5  # an article's average link to the cluster it joins, likewise
_SAMPLE = 300  # at most this many leftovers are compared pairwise
_PASSES = 2  # k-means passes over all leftovers
_ROUNDS = 3  # rounds of clustering what the round before fitted nowhere
_CENTROID_TERMS = 100  # a centroid's heaviest terms, indexed to find its likely members
_CANDIDATES = 2  # likely groups compared in full
_NAME_TERMS = 3
_NAMING_TEXTS = 3  # member texts searched for the words behind a new topic's stems

Vector = dict[str, float]


@dataclass(frozen=True)
class TopicDoc:
    """What topic assignment needs of one article."""

    key: str  # the article's path, its identity
    terms: Mapping[str, int]  # stemmed term counts of title and text (Analysis.terms)
    text: str = ""  # title and plain text: keyword phrases are found here, new topics named
    given: tuple[str, ...] = ()  # topic ids from front matter, through the config's aliases


@dataclass(frozen=True)
class NewTopic:
    """A topic found by clustering: ``unsorted-<word>-<word>``, "Unsorted: word, word, word"."""

    id: str
    label: str
    terms: tuple[str, ...]  # the stems it is named by, heaviest first


@dataclass(frozen=True)
class TopicAssignment:
    topics: Mapping[str, tuple[str, ...]]  # key -> topic ids, () only for an article of no words
    how: Mapping[str, str]  # key -> FRONT_MATTER, KEYWORDS, SIMILAR, CLUSTER (or NONE)
    new_topics: tuple[NewTopic, ...]  # every "Unsorted" topic in use, by id


def assign_topics(
    docs: Sequence[TopicDoc],
    configured: Sequence[TopicConfig],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    previous: Mapping[str, Sequence[str]] | None = None,
) -> TopicAssignment:
    """Topics for every doc; ``previous`` holds the automatic topics an earlier build gave."""
    ordered = sorted(docs, key=lambda doc: doc.key)
    configured_ids = [topic.id for topic in configured]
    topics, how = _explicit_topics(ordered, configured, previous or {})
    space = _VectorSpace(ordered)
    texts = {doc.key: doc.text for doc in ordered}
    for doc in ordered:
        if doc.key not in topics and not doc.terms:
            topics[doc.key], how[doc.key] = (), NONE
    rest = [doc.key for doc in ordered if doc.key not in topics]

    near = _nearest_groups(rest, _members(topics, configured_ids), space)
    for key, (topic, cos, _) in near.items():
        if cos >= threshold:
            topics[key], how[key] = (topic,), SIMILAR
    rest = [key for key in rest if key not in topics]

    unsorted = sorted({t for ids in topics.values() for t in ids} - set(configured_ids))
    join = space.mean_similarity * _JOIN_RATIO
    for key, (topic, _, average) in _nearest_groups(
        rest, _members(topics, unsorted), space
    ).items():
        if average >= join:
            topics[key], how[key] = (topic,), CLUSTER
    rest = [key for key in rest if key not in topics]

    taken = {*configured_ids, *unsorted}
    named: dict[str, NewTopic] = {}
    for members in cluster_leftovers(rest, space):
        found = _name_topic("", members, space, texts, taken)
        taken.add(found.id)
        named[found.id] = found
        for key in members:
            topics[key], how[key] = (found.id,), CLUSTER

    for topic_id, members in _members(topics, unsorted).items():
        if members:  # a topic an earlier build named, its members now what they are
            named[topic_id] = _name_topic(topic_id, members, space, texts, taken)
    return TopicAssignment(topics, how, tuple(named[t] for t in sorted(named)))


def _explicit_topics(
    docs: Sequence[TopicDoc],
    configured: Sequence[TopicConfig],
    previous: Mapping[str, Sequence[str]],
) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """Front matter, else keywords, else what an earlier build gave and still means something."""
    known = {topic.id for topic in configured}
    matchers = [(topic.id, _keyword_matcher(topic.keywords)) for topic in configured]
    topics: dict[str, tuple[str, ...]] = {}
    how: dict[str, str] = {}
    for doc in docs:
        words = _LazyWords(doc.text)
        matched = tuple(topic for topic, matches in matchers if matches(doc.terms, words))
        kept = tuple(
            t for t in previous.get(doc.key, ()) if t in known or t.startswith(UNSORTED_PREFIX)
        )
        if doc.given:
            topics[doc.key], how[doc.key] = tuple(dict.fromkeys(doc.given)), FRONT_MATTER
        elif matched:
            topics[doc.key], how[doc.key] = matched, KEYWORDS
        elif kept:
            topics[doc.key] = tuple(dict.fromkeys(kept))
            how[doc.key] = SIMILAR if all(t in known for t in kept) else CLUSTER
    return topics, how


def _members(topics: Mapping[str, tuple[str, ...]], ids: Iterable[str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {topic: [] for topic in ids}
    for key, assigned in topics.items():
        for topic in assigned:
            if topic in groups:
                groups[topic].append(key)
    return groups


# --- keywords ------------------------------------------------------------------------------

_WORD_OR_STOP = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*|[.!?;:]")
_BREAK = "|"


def _phrase_words(text: str) -> tuple[str, ...]:
    """Words as keywords are matched: stemmed, stopwords kept literally, a break at each stop
    so that a phrase never spans two sentences."""
    words: list[str] = []
    for match in _WORD_OR_STOP.findall(text.lower()):
        if match in ".!?;:":
            words.append(_BREAK)
        else:
            words.extend(tokenize(match) or [match])
    return tuple(words)


class _LazyWords:
    """A text's phrase words, worked out only when a phrase keyword needs them."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._words: tuple[str, ...] | None = None

    def get(self) -> tuple[str, ...]:
        if self._words is None:
            self._words = _phrase_words(self._text)
        return self._words


def _keyword_matcher(
    keywords: Sequence[str],
) -> Callable[[Mapping[str, int], _LazyWords], bool]:
    """Whole words, any case, inflections folded: "interest rate" finds "Interest rates"."""
    single: set[str] = set()
    phrases: list[tuple[tuple[str, ...], frozenset[str]]] = []
    for keyword in keywords:
        words = _phrase_words(keyword)
        terms = frozenset(tokenize(keyword))
        if len(words) == 1 and words[0] in terms:
            single.add(words[0])
        elif words:
            phrases.append((words, terms))

    def matches(terms: Mapping[str, int], text: _LazyWords) -> bool:
        if any(term in terms for term in single):
            return True
        return any(
            required.issubset(terms.keys()) and _contains(text.get(), words)
            for words, required in phrases
        )

    return matches


def _contains(words: Sequence[str], phrase: Sequence[str]) -> bool:
    first, size = phrase[0], len(phrase)
    return any(
        word == first and tuple(words[i : i + size]) == tuple(phrase)
        for i, word in enumerate(words)
    )


# --- vectors -------------------------------------------------------------------------------


class _VectorSpace:
    """TF-IDF unit vectors of a collection (sublinear tf), on terms at least two articles share:
    a term of one article makes it resemble nothing, it only shrinks its cosines."""

    def __init__(self, docs: Sequence[TopicDoc]) -> None:
        counted = [doc for doc in docs if doc.terms]
        frequency: Counter[str] = Counter()
        for doc in counted:
            frequency.update(doc.terms.keys())
        size = len(counted)
        self.terms = {doc.key: doc.terms for doc in counted}
        self.idf = {term: math.log((size + 1) / df) for term, df in frequency.items()}
        vectors: dict[str, Vector] = {}
        self.vectors = vectors
        for doc in counted:
            weights = {
                term: (1.0 + math.log(count)) * math.log(size / frequency[term])
                for term, count in doc.terms.items()
                if frequency[term] > 1
            }
            vectors[doc.key] = _unit(weights)
        total = _sum(vectors.values())
        nonzero = sum(1 for vector in self.vectors.values() if vector)
        pairs = nonzero * (nonzero - 1)
        # The mean cosine over all pairs, in linear time: |sum of vectors|^2 counts each pair
        # twice and each vector once with itself.
        self.mean_similarity = (_norm(total) ** 2 - nonzero) / pairs if pairs else 0.0

    def weights(self, key: str) -> Vector:
        """All of an article's terms, its own rare ones included: what a name is made of."""
        return {
            term: (1.0 + math.log(count)) * self.idf[term]
            for term, count in self.terms.get(key, {}).items()
        }


def _norm(vector: Mapping[str, float]) -> float:
    return math.sqrt(sum(value * value for value in vector.values()))


def _unit(vector: Mapping[str, float]) -> Vector:
    norm = _norm(vector)
    return {term: value / norm for term, value in vector.items()} if norm else {}


def _sum(vectors: Iterable[Mapping[str, float]]) -> Vector:
    total: Vector = {}
    get = total.get
    for vector in vectors:
        for term, value in vector.items():
            total[term] = get(term, 0.0) + value
    return total


def _dot(left: Mapping[str, float], right: Mapping[str, float]) -> float:
    """In the smaller vector's own order, so that a build adds in the same order every time."""
    if len(left) > len(right):
        left, right = right, left
    return sum(value * right[term] for term, value in left.items() if term in right)


def _heaviest(vector: Mapping[str, float], count: int) -> list[tuple[str, float]]:
    return sorted(vector.items(), key=lambda item: (-item[1], item[0]))[:count]


def _nearest_groups(
    keys: Sequence[str],
    groups: Mapping[str, Sequence[str]],
    space: _VectorSpace,
    known_sums: Mapping[str, Vector] | None = None,
) -> dict[str, tuple[str, float, float]]:
    """Each key's most similar group: (group, cosine with its centroid, average cosine with its
    members). Keys that are members are left out of the average; the first group wins a tie.
    ``known_sums`` are the groups' vector sums when the caller keeps them."""
    names = [name for name, members in groups.items() if members]
    sums = [
        known_sums[name] if known_sums else _sum(space.vectors[key] for key in groups[name])
        for name in names
    ]
    index: dict[str, list[tuple[int, float]]] = {}
    scale: list[float] = []
    for number, total in enumerate(sums):
        norm = _norm(total)
        scale.append(norm)
        for term, value in _heaviest(total, _CENTROID_TERMS):
            index.setdefault(term, []).append((number, value / norm))
    member_of = {key: number for number, name in enumerate(names) for key in groups[name]}
    nearest: dict[str, tuple[str, float, float]] = {}
    for key in keys:
        vector = space.vectors.get(key, {})
        scores: dict[int, float] = {}
        for term, value in vector.items():
            for number, weight in index.get(term, ()):
                scores[number] = scores.get(number, 0.0) + value * weight
        if not scores:
            continue
        # The index holds each centroid's heaviest terms only: it finds the candidates, and
        # full dot products decide among them.
        candidates = sorted(scores, key=lambda number: (-scores[number], number))[:_CANDIDATES]
        exact = {number: _dot(vector, sums[number]) for number in candidates}
        best = min(exact, key=lambda number: (-exact[number], number))
        link, size = exact[best], len(groups[names[best]])
        if member_of.get(key) == best:
            link, size = link - 1.0, size - 1
        nearest[key] = (names[best], exact[best] / scale[best], link / size if size else 0.0)
    return nearest


# --- clustering ----------------------------------------------------------------------------


def cluster_leftovers(keys: Sequence[str], space: _VectorSpace) -> list[list[str]]:
    """Groups of the articles no topic took, each sorted, in the order of their first key; an
    article like no other is a group of its own."""
    merge = space.mean_similarity * _MERGE_RATIO
    clusters: list[list[str]] = []
    remaining = sorted(keys)
    for _ in range(_ROUNDS):
        sample = remaining
        if len(sample) > _SAMPLE:
            sample = sorted(remaining, key=lambda key: (zlib.crc32(key.encode()), key))[:_SAMPLE]
        vectors = [space.vectors[key] for key in sample]
        merged = _agglomerate([1] * len(sample), _pairwise(vectors, [1.0] * len(sample)), merge)
        groups = [[sample[i] for i in group] for group in merged if len(group) > 1]
        if not groups:
            break
        sums = [_sum(space.vectors[key] for key in members) for members in groups]
        for _ in range(_PASSES):
            groups, sums = _reassign(remaining, groups, sums, space)
        groups = _merge_close(groups, sums, merge)
        clusters.extend(groups)
        placed = {key for members in groups for key in members}
        remaining = [key for key in remaining if key not in placed]
    clusters.extend([key] for key in remaining)
    return sorted((sorted(members) for members in clusters), key=lambda members: members[0])


def _reassign(
    keys: Sequence[str], groups: Sequence[list[str]], sums: Sequence[Vector], space: _VectorSpace
) -> tuple[list[list[str]], list[Vector]]:
    """One k-means pass: each key to its nearest group, unless it resembles that group's
    members less than two articles of the collection do on average (times ``_JOIN_RATIO``).
    The groups' sums are updated by the keys that moved, not summed again."""
    join = space.mean_similarity * _JOIN_RATIO
    named = {str(number): members for number, members in enumerate(groups)}
    totals = {str(number): dict(total) for number, total in enumerate(sums)}
    was = {key: name for name, members in named.items() for key in members}
    fresh: dict[str, list[str]] = {name: [] for name in named}
    for key, (name, _, average) in _nearest_groups(keys, named, space, totals).items():
        if average >= join:
            fresh[name].append(key)
    now = {key: name for name, members in fresh.items() for key in members}
    for key in sorted(was.keys() | now.keys()):
        if was.get(key) != now.get(key):
            for moved, sign in ((was.get(key), -1.0), (now.get(key), 1.0)):
                if moved is not None:
                    total = totals[moved]
                    for term, value in space.vectors[key].items():
                        total[term] = total.get(term, 0.0) + sign * value
    kept = [name for name in fresh if fresh[name]]
    return [fresh[name] for name in kept], [totals[name] for name in kept]


def _merge_close(
    groups: Sequence[list[str]], sums: Sequence[Vector], floor: float
) -> list[list[str]]:
    """Clusters whose members, now all placed, turn out to hold together as well as a cluster
    must: the sample alone may have split a topic."""
    scales = [1.0 / len(members) for members in groups]
    merged = _agglomerate([len(g) for g in groups], _pairwise(sums, scales), floor)
    return [[key for number in group for key in groups[number]] for group in merged]


def _pairwise(vectors: Sequence[Vector], scales: Sequence[float]) -> dict[int, dict[int, float]]:
    """Positive similarities of all pairs: dot products times both scales."""
    similarity: dict[int, dict[int, float]] = {i: {} for i in range(len(vectors))}
    for i, left in enumerate(vectors):
        for j in range(i + 1, len(vectors)):
            value = _dot(left, vectors[j]) * scales[i] * scales[j]
            if value > 0.0:
                similarity[i][j] = similarity[j][i] = value
    return similarity


def _agglomerate(
    sizes: Sequence[int], similarity: dict[int, dict[int, float]], floor: float
) -> list[list[int]]:
    """Average-link agglomeration of items of the given sizes while the two closest clusters'
    mean pairwise similarity is at least ``floor``; the earlier pair wins a tie."""
    heap = [
        (-value, i, j)
        for i, row in similarity.items()
        for j, value in row.items()
        if i < j and value >= floor
    ]
    heapq.heapify(heap)
    members = {i: [i] for i in range(len(sizes))}
    size = dict(enumerate(sizes))
    merged = len(sizes)
    while heap:
        _, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue
        merged += 1
        size[merged] = size[a] + size[b]
        links: dict[int, float] = {}
        for other in similarity[a].keys() | similarity[b].keys():
            if other in members and other not in (a, b):
                total = size[a] * similarity[a].get(other, 0.0)
                total += size[b] * similarity[b].get(other, 0.0)
                links[other] = similarity[other][merged] = total / size[merged]
                if links[other] >= floor:
                    heapq.heappush(heap, (-links[other], min(other, merged), max(other, merged)))
        similarity[merged] = links
        members[merged] = members.pop(a) + members.pop(b)
    return sorted((sorted(group) for group in members.values()), key=lambda group: group[0])


# --- names ---------------------------------------------------------------------------------


def _name_topic(
    topic_id: str,
    members: Sequence[str],
    space: _VectorSpace,
    texts: Mapping[str, str],
    taken: set[str],
) -> NewTopic:
    """Named by its top terms, written as its members write them; a fresh id (when ``topic_id``
    is empty) avoids ``taken``, a kept one stays as it was."""
    terms = _top_terms(members, space)
    words = [
        _written(term, [texts.get(key, "") for key in _using(term, members, space)])
        for term in terms
    ]
    if not topic_id:
        slugs = ["-".join(re.findall(r"[^\W_]+", word)) for word in words] or ["article"]
        topic_id = UNSORTED_PREFIX + "-".join(slugs[:2])
        longer = UNSORTED_PREFIX + "-".join(slugs)
        topic_id = longer if topic_id in taken else topic_id
        number = 2
        while topic_id in taken:
            topic_id = f"{longer}-{number}"
            number += 1
    return NewTopic(topic_id, "Unsorted: " + ", ".join(words), terms)


def _top_terms(members: Sequence[str], space: _VectorSpace) -> tuple[str, ...]:
    """A group is named by the terms most of its members use and few other articles do (how
    many members use a term times its idf); an article alone by its own heaviest terms."""
    if len(members) == 1:
        weights = space.weights(members[0])
    else:
        spread: Counter[str] = Counter()
        for key in members:
            spread.update(space.terms.get(key, {}).keys())
        weights = {term: n * space.idf[term] for term, n in spread.items() if n > 1}
    return tuple(term for term, _ in _heaviest(weights, _NAME_TERMS))


def _using(term: str, members: Sequence[str], space: _VectorSpace) -> list[str]:
    """A few members that use ``term``: where the word behind the stem is looked for."""
    found = [key for key in members if term in space.terms.get(key, {})]
    return found[:_NAMING_TEXTS]


def _written(term: str, texts: Sequence[str]) -> str:
    """The commonest word in ``texts`` whose stem is ``term`` ("economi" -> "economy")."""
    start = re.compile(r"\b" + re.escape(term[:-1] if len(term) > 2 else term) + r"[^\W_]*")
    found = Counter(
        word for text in texts for word in start.findall(text.lower()) if tokenize(word) == [term]
    )
    return min(found, key=lambda word: (-found[word], word)) if found else term
