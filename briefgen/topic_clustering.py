"""Pure: the vector space of a collection's articles and the clustering of articles that fit
no configured topic (used by ``topic_assignment``).

Average-link agglomeration compares pairs, so above ``_SAMPLE`` leftovers it runs on a
deterministic sample and every leftover then joins its nearest cluster in a few k-means passes
(the Buckshot method of Scatter/Gather). A cluster must hold together ``_MERGE_RATIO`` times
better than two articles of the collection do on average: relative, because absolute cosines
fall as a collection, and its vocabulary, grows.
"""

from __future__ import annotations

import functools
import heapq
import math
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from mypy_extensions import mypyc_attr

_MERGE_RATIO = 1.1  # a cluster's average link, in multiples of the collection's mean similarity
JOIN_RATIO = 0.5  # an article's average link to the cluster it joins, likewise
_SAMPLE = 300  # at most this many leftovers are compared pairwise
_PASSES = 2  # k-means passes over all leftovers
_ROUNDS = 3  # rounds of clustering what the round before fitted nowhere
_CENTROID_TERMS = 100  # a centroid's heaviest terms, indexed to find its likely members
_CANDIDATES = 2  # likely groups compared in full

Vector = dict[str, float]


# --- vectors -------------------------------------------------------------------------------


@mypyc_attr(native_class=False)  # a Python class even when compiled: see setup.py
@dataclass(frozen=True)
class TopicDoc:
    """What topic assignment needs of one article."""

    key: str  # the article's path, its identity
    terms: Mapping[str, int]  # stemmed term counts of title and text (Analysis.terms)
    # Title and plain text (keyword phrases are found here, new topics named), or what makes
    # it when first needed: most builds never need the text of most articles.
    text_of: str | Callable[[], str] = ""
    given: tuple[str, ...] = ()  # topic ids from front matter, through the config's aliases

    @functools.cached_property
    def text(self) -> str:
        return self.text_of() if callable(self.text_of) else self.text_of


class VectorSpace:
    """TF-IDF unit vectors of a collection (sublinear tf), on terms at least two articles share:
    a term of one article makes it resemble nothing, it only shrinks its cosines."""

    def __init__(self, docs: Sequence[TopicDoc]) -> None:
        counted = [doc for doc in docs if doc.terms]
        frequency: Counter[str] = Counter()
        for doc in counted:
            frequency.update(doc.terms.keys())
        size = len(counted)
        self.terms = {doc.key: doc.terms for doc in counted}
        self.frequency = frequency
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

    def like_all_others(self, key: str) -> bool:
        """Whether the article's vector is empty because each term it shares with others is
        in every article (not because all its terms are its own): nothing sets it apart."""
        terms = self.terms.get(key, {})
        return not self.vectors.get(key) and any(self.frequency[t] > 1 for t in terms)

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


def heaviest(vector: Mapping[str, float], count: int) -> list[tuple[str, float]]:
    return sorted(vector.items(), key=lambda item: (-item[1], item[0]))[:count]


def nearest_groups(
    keys: Sequence[str],
    groups: Mapping[str, Sequence[str]],
    space: VectorSpace,
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
        for term, value in heaviest(total, _CENTROID_TERMS):
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


def cluster_leftovers(keys: Sequence[str], space: VectorSpace) -> list[list[str]]:
    """Groups of the articles no topic took, each sorted, in the order of their first key; an
    article like no other is a group of its own."""
    merge = space.mean_similarity * _MERGE_RATIO
    clusters: list[list[str]] = []
    remaining = sorted(keys)
    # Notes that share all their words with the whole collection (a site of near-identical
    # short notes) have nothing to cluster by: together they are one group, not one each.
    alike = [key for key in remaining if space.like_all_others(key)]
    if len(alike) > 1:
        clusters.append(alike)
        placed = set(alike)
        remaining = [key for key in remaining if key not in placed]
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
    keys: Sequence[str], groups: Sequence[list[str]], sums: Sequence[Vector], space: VectorSpace
) -> tuple[list[list[str]], list[Vector]]:
    """One k-means pass: each key to its nearest group, unless it resembles that group's
    members less than two articles of the collection do on average (times ``JOIN_RATIO``).
    The groups' sums are updated by the keys that moved, not summed again."""
    join = space.mean_similarity * JOIN_RATIO
    named = {str(number): members for number, members in enumerate(groups)}
    totals = {str(number): dict(total) for number, total in enumerate(sums)}
    was = {key: name for name, members in named.items() for key in members}
    fresh: dict[str, list[str]] = {name: [] for name in named}
    for key, (name, _, average) in nearest_groups(keys, named, space, totals).items():
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
