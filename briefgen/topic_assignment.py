"""Pure: the topics of every article, from front matter, keywords or resemblance.

The evidence is taken in order, and the first that speaks decides: the article's front matter,
then the config's topic keywords, then resemblance. An article nothing places joins the
configured topic whose articles it most resembles (cosine of its TF-IDF vector with the topic's
centroid, at least ``threshold``); what resembles no configured topic is grouped with the other
leftovers into new topics named by their top terms ("Unsorted: ..."), never slipped into a
configured topic. Automatic topics an earlier build gave are passed back in and kept, so pages
do not move as articles arrive; a new article may join an "Unsorted" topic it resembles.

All of it is linear in the number of articles but the clustering of leftovers, which
``topic_clustering`` bounds by sampling (see there).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from mypy_extensions import mypyc_attr

from briefgen.analysis.terms import tokenize
from briefgen.config import TopicConfig
from briefgen.topic_clustering import (
    JOIN_RATIO,
    TopicDoc,
    VectorSpace,
    cluster_leftovers,
    heaviest,
    nearest_groups,
)

FRONT_MATTER = "front matter"
KEYWORDS = "keywords"
SIMILAR = "similar"
CLUSTER = "cluster"
NONE = "none"  # an article without a single content word
UNSORTED_PREFIX = "unsorted-"

DEFAULT_THRESHOLD = 0.1  # cosine with a configured topic's centroid

_NAME_TERMS = 3
_NAMING_TEXTS = 3  # member texts searched for the words behind a new topic's stems

Vector = dict[str, float]


__all__ = ["NewTopic", "TopicAssignment", "TopicDoc", "assign_topics"]


@mypyc_attr(native_class=False)  # a Python class even when compiled: see setup.py
@dataclass(frozen=True)
class NewTopic:
    """A topic found by clustering: ``unsorted-<word>-<word>``, "Unsorted: word, word, word"."""

    id: str
    label: str
    terms: tuple[str, ...]  # the stems it is named by, heaviest first


@mypyc_attr(native_class=False)  # a Python class even when compiled: see setup.py
@dataclass(frozen=True)
class TopicAssignment:
    topics: Mapping[str, tuple[str, ...]]  # key -> topic ids, () only for an article of no words
    how: Mapping[str, str]  # key -> FRONT_MATTER, KEYWORDS, SIMILAR, CLUSTER (or NONE)
    new_topics: tuple[NewTopic, ...]  # every "Unsorted" topic in use, by id


def front_matter_topics(
    given: Mapping[str, tuple[str, ...]], configured: Sequence[TopicConfig]
) -> TopicAssignment | None:
    """The assignment when every article names its topics in front matter (``given``: key ->
    topic ids), none of them an automatic one: nothing else to work out, no doc to make.
    None otherwise."""
    known = [topic.id for topic in configured]
    lists = set(given.values())  # (thousands of articles name a few different lists)
    if not all(ids and not any(_automatic(t, known) for t in ids) for ids in lists):
        return None
    unique = {ids: tuple(dict.fromkeys(ids)) for ids in lists}
    topics = {key: unique[ids] for key, ids in given.items()}
    return TopicAssignment(topics, dict.fromkeys(topics, FRONT_MATTER), ())


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
    for doc in ordered:
        if doc.key not in topics and not doc.terms:
            topics[doc.key], how[doc.key] = (), NONE
    rest = [doc.key for doc in ordered if doc.key not in topics]
    if not rest and not any(_automatic(t, configured_ids) for ids in topics.values() for t in ids):
        return TopicAssignment(topics, how, ())  # every article has its topics: no vectors
    space = VectorSpace(ordered)
    texts = {doc.key: doc.text for doc in ordered}

    near = nearest_groups(rest, _members(topics, configured_ids), space)
    for key, (topic, cos, _) in near.items():
        if cos >= threshold:
            topics[key], how[key] = (topic,), SIMILAR
    rest = [key for key in rest if key not in topics]

    used = {t for ids in topics.values() for t in ids}
    # The automatic topics earlier builds named (a topic named in front matter that the
    # config does not know is not one: it keeps its own name).
    unsorted = sorted(t for t in used if _automatic(t, configured_ids))
    join = space.mean_similarity * JOIN_RATIO
    for key, (topic, _, average) in nearest_groups(rest, _members(topics, unsorted), space).items():
        if average >= join:
            topics[key], how[key] = (topic,), CLUSTER
    rest = [key for key in rest if key not in topics]

    taken = {*configured_ids, *used}
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


def _automatic(topic_id: str, configured_ids: Sequence[str]) -> bool:
    """Whether a topic is one clustering named ("unsorted-..."), not the config or front matter."""
    return topic_id.startswith(UNSORTED_PREFIX) and topic_id not in configured_ids


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
        if doc.given:
            topics[doc.key], how[doc.key] = tuple(dict.fromkeys(doc.given)), FRONT_MATTER
            continue
        words = _LazyWords(doc)
        matched = tuple(topic for topic, matches in matchers if matches(doc.terms, words))
        kept = tuple(
            t for t in previous.get(doc.key, ()) if t in known or t.startswith(UNSORTED_PREFIX)
        )
        if matched:
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
    """A doc's phrase words, worked out only when a phrase keyword needs them (and its text
    read only then)."""

    def __init__(self, doc: TopicDoc) -> None:
        self._doc = doc
        self._words: tuple[str, ...] | None = None

    def get(self) -> tuple[str, ...]:
        if self._words is None:
            self._words = _phrase_words(self._doc.text)
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


# --- names ---------------------------------------------------------------------------------


def _name_topic(
    topic_id: str,
    members: Sequence[str],
    space: VectorSpace,
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


def _top_terms(members: Sequence[str], space: VectorSpace) -> tuple[str, ...]:
    """A group is named by the terms most of its members use and few other articles do (how
    many members use a term times its idf); an article alone by its own heaviest terms."""
    if len(members) == 1:
        weights = space.weights(members[0])
    else:
        spread: Counter[str] = Counter()
        for key in members:
            spread.update(space.terms.get(key, {}).keys())
        weights = {term: n * space.idf[term] for term, n in spread.items() if n > 1}
    return tuple(term for term, _ in heaviest(weights, _NAME_TERMS))


def _using(term: str, members: Sequence[str], space: VectorSpace) -> list[str]:
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
