"""Extractive key points: the few sentences of an article that tell its news.

A sentence earns its place three ways. It is *central*: its words are the article's words
(TF-IDF cosine with the rest of the article, which is TextRank's degree centrality without
building the sentence graph), it holds the words the article keeps coming back to (keyword
coverage, below), and the headline's words. It stands *early*: news copy is written
as an inverted pyramid, so the lead paragraph and the first sentences carry the most. And it is
*new*: points are picked greedily, each time discounting a candidate by its likeness to the
points already picked (maximal marginal relevance), so two points never say the same thing.

Sentences that cannot be points are removed first (``eligibility``): fragments and headings,
boilerplate, and bare quotations, which the quotes section already shows with their speaker.

Every part is linear in the number of sentences (no sentence-by-sentence matrix), so a 10 MB
article costs ten times a 1 MB one. Everything is deterministic: equal scores fall to the
earlier sentence.

`select_lead_points` is the position-only choice for articles in languages the word features
do not know (stopwords and stemming are English): the first eligible sentences, under the same
rules.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import mul

from briefgen.analysis.eligibility import eligible_sentences
from briefgen.analysis.sentences import Sentence
from briefgen.analysis.terms import counted, term_counts, tokenize

# Weights of the score parts, chosen on the first half (articles 001-010) of each topic of the
# BBC corpus only (benchmarks/keypoints.py), where the two centralities do best together;
# position and the title stay as tie-breakers that matter when centrality is flat (short
# articles, articles that drift into background). Results were flat for title 0-0.2, position
# 0.05-0.2, lead 0-0.1, redundancy 0.1-0.4, coverage 0.5-1 with exponent 2-2.5.
_CENTRALITY_WEIGHT = 1.0
_COVERAGE_WEIGHT = 0.75
_COVERAGE_EXPONENT = 2.0
_TITLE_WEIGHT = 0.1
_POSITION_WEIGHT = 0.1
_LEAD_BONUS = 0.05
# How much likeness (TF-IDF cosine) to a chosen point costs.
_REDUNDANCY_WEIGHT = 0.2
# Two points never have a TF-IDF cosine (over the article's eligible sentences) at or above
# this: the later one would repeat the earlier.
DUPLICATE_SIMILARITY = 0.5


@dataclass(slots=True)
class _Candidate:
    """An eligible sentence with what the selection needs to know about it."""

    order: int  # position in the article's sentences: ties go to the earlier one
    sentence: Sentence
    vector: dict[str, float]
    score: float


def select_key_points(
    sentences: Sequence[Sentence],
    count: int,
    *,
    title: str = "",
    quote_spans: Sequence[tuple[int, int]] = (),
    sentence_terms: Sequence[Sequence[str]] | None = None,
) -> list[Sentence]:
    """``count`` sentences (fewer only if the article has fewer eligible ones), in article order.

    ``sentence_terms`` are ``tokenize(sentence.text)`` for each sentence when the caller has
    them already (the analysis needs them for the article's word counts too).

    ``quote_spans`` are the character spans of the quotations found in the same text as the
    sentence offsets; a sentence that is mostly one of them is left to the quotes section.
    """
    if count <= 0:
        return []
    eligible = eligible_sentences(sentences, quote_spans)
    terms = [
        sentence_terms[index] if sentence_terms is not None else tokenize(sentence.text)
        for index, sentence in eligible
    ]
    candidates = _score_candidates(eligible, terms, len(sentences), title)
    chosen = _pick_novel(candidates, count)
    return [candidate.sentence for candidate in sorted(chosen, key=lambda c: c.order)]


def select_lead_points(
    sentences: Sequence[Sentence],
    count: int,
    *,
    quote_spans: Sequence[tuple[int, int]] = (),
) -> list[Sentence]:
    """The first ``count`` eligible sentences, skipping repeats of those already taken: for
    articles whose language the word features do not know, where position is what is left.
    News puts the news first, so this is the lead-k summary under the key point rules."""
    if count <= 0:
        return []
    eligible = eligible_sentences(sentences, quote_spans)
    vectors = tfidf_vectors([sentence.text for _, sentence in eligible])
    chosen: list[dict[str, float]] = []
    points: list[Sentence] = []
    for (_, sentence), vector in zip(eligible, vectors, strict=True):
        if len(points) == count:
            break
        if all(cosine(vector, point) < DUPLICATE_SIMILARITY for point in chosen):
            chosen.append(vector)
            points.append(sentence)
    return points


def tfidf_vectors(texts: Sequence[str]) -> list[dict[str, float]]:
    """Unit TF-IDF vectors of ``texts``, the texts themselves serving as the documents: what
    likeness between two sentences of one article (``cosine``) is measured on."""
    counts_each = [term_counts(text) for text in texts]
    idf = _inverse_document_frequencies(_document_frequencies(counts_each), len(counts_each))
    unseen = math.log(len(counts_each) + 1) + 1.0
    return [_unit_vector(counts, idf, unseen) for counts in counts_each]


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two unit vectors: their sparse dot product, walking the shorter one."""
    if len(a) > len(b):
        a, b = b, a
    return sum([weight * b[term] for term, weight in a.items() if term in b])


def _score_candidates(
    eligible: Sequence[tuple[int, Sentence]],
    terms: Sequence[Sequence[str]],
    total: int,
    title: str,
) -> list[_Candidate]:
    """Score every eligible sentence by centrality, keyword coverage, likeness to the title and
    position."""
    if not eligible:
        return []
    counts_each = [counted(words) for words in terms]
    document_frequency = _document_frequencies(counts_each)
    idf = _inverse_document_frequencies(document_frequency, len(counts_each))
    unseen = math.log(len(counts_each) + 1) + 1.0
    vectors = [_unit_vector(counts, idf, unseen) for counts in counts_each]
    centroid = dict.fromkeys(document_frequency, 0.0)
    for vector in vectors:
        for term, weight in vector.items():
            centroid[term] += weight
    centralities = [_centrality(vector, centroid, len(eligible)) for vector in vectors]
    top_centrality = max(centralities) or 1.0
    coverages = _keyword_coverages(counts_each, document_frequency)
    top_coverage = max(coverages) or 1.0
    title_vector = _unit_vector(term_counts(title), idf, unseen)
    first_paragraph = eligible[0][1].paragraph  # the lead, even below a dropped byline
    candidates = []
    for (index, sentence), vector, centrality, coverage in zip(
        eligible, vectors, centralities, coverages, strict=True
    ):
        score = (
            _CENTRALITY_WEIGHT * centrality / top_centrality
            + _COVERAGE_WEIGHT * coverage / top_coverage
            + _TITLE_WEIGHT * cosine(vector, title_vector)
            + _POSITION_WEIGHT * _position_weight(index, total)
            + (_LEAD_BONUS if sentence.paragraph == first_paragraph else 0.0)
        )
        candidates.append(_Candidate(index, sentence, vector, score))
    return candidates


def _document_frequencies(counts_each: Sequence[dict[str, int]]) -> Counter[str]:
    """In how many sentences each term occurs."""
    return Counter(chain.from_iterable(counts_each))


def _inverse_document_frequencies(
    document_frequency: Counter[str], sentences: int
) -> dict[str, float]:
    """Sentences as documents: a term in every sentence is no help in telling them apart."""
    documents = sentences + 1
    # Once for each frequency, not each term: most terms share the few small ones.
    by_frequency = {df: math.log(documents / df) + 1.0 for df in set(document_frequency.values())}
    idfs = map(by_frequency.__getitem__, document_frequency.values())
    return dict(zip(document_frequency, idfs, strict=True))


def _keyword_coverages(
    counts_each: Sequence[dict[str, int]], document_frequency: Counter[str]
) -> list[float]:
    """How much of what the article keeps returning to each sentence holds.

    TextRank joins two sentences by the words they share over the logs of their lengths; the
    words sentence i shares with all the others number sum(df(t) - 1) over its terms t, so the
    sum of its edges needs no graph. Squaring (df - 1) favours the article's few recurring
    subject words over words two sentences happen to share; the log of a sentence's length
    (plus the article's mean, as each edge has two ends) keeps long sentences from winning by
    size alone while still letting a full sentence beat a terse one, as TextRank does.
    """
    logs = [math.log(max(sum(counts.values()), 2)) for counts in counts_each]
    mean_log = math.fsum(logs) / len(logs)
    exponent = _COVERAGE_EXPONENT
    # Once a term, not once a sentence it is in; fsum is exact, so the order is no matter.
    shared = {term: (df - 1) ** exponent for term, df in document_frequency.items()}
    return [
        math.fsum(map(shared.__getitem__, counts)) / (log + mean_log)
        for counts, log in zip(counts_each, logs, strict=True)
    ]


def _unit_vector(counts: dict[str, int], idf: dict[str, float], unseen: float) -> dict[str, float]:
    """TF-IDF weights scaled to length 1, so that long sentences are not central by size.

    A term the sentences never use (a title word) weighs ``unseen``, like the rarest term.
    """
    if not counts:
        return {}
    weights = list(map(mul, counts.values(), map(idf.get, counts, repeat(unseen))))
    scale = 1.0 / math.hypot(*weights)
    return dict(zip(counts, map(scale.__mul__, weights), strict=True))


def _centrality(vector: dict[str, float], centroid: dict[str, float], sentences: int) -> float:
    """Mean cosine with the other sentences: the sum of a sentence's graph edges, in O(words)."""
    if sentences <= 1:
        return 0.0
    self_similarity = 1.0 if vector else 0.0
    # Every term of the sentence is in the centroid, so no membership test is needed.
    with_all: float = sum(map(mul, vector.values(), map(centroid.__getitem__, vector)))
    return (with_all - self_similarity) / (sentences - 1)


def _position_weight(index: int, total: int) -> float:
    """1 for the first sentence, falling off quickly, then slowly, towards 0 at the end."""
    return 1.0 / math.sqrt(1.0 + index) * (1.0 - 0.5 * index / max(total, 1))


def _pick_novel(candidates: list[_Candidate], count: int) -> list[_Candidate]:
    """Greedy maximal marginal relevance; near repeats of a chosen point are never chosen.

    Likeness to the chosen points only grows, so a candidate's own score bounds its value:
    walking the candidates best score first, a round stops at the first one whose score cannot
    beat the best value found, and likeness is brought up to date only for those it reaches.
    The result is the same as comparing every candidate with every point.
    """
    pending = sorted(candidates, key=lambda candidate: (-candidate.score, candidate.order))
    likeness = dict.fromkeys((candidate.order for candidate in candidates), 0.0)
    compared = dict.fromkeys(likeness, 0)  # how many of the chosen points each was compared with
    chosen: list[_Candidate] = []
    while pending and len(chosen) < count:
        best: _Candidate | None = None
        best_value = -math.inf
        kept: list[_Candidate] = []
        for position, candidate in enumerate(pending):
            if candidate.score < best_value:
                kept.extend(pending[position:])
                break
            for point in chosen[compared[candidate.order] :]:
                similarity = cosine(candidate.vector, point.vector)
                likeness[candidate.order] = max(likeness[candidate.order], similarity)
            compared[candidate.order] = len(chosen)
            if likeness[candidate.order] >= DUPLICATE_SIMILARITY:
                continue
            kept.append(candidate)
            value = candidate.score - _REDUNDANCY_WEIGHT * likeness[candidate.order]
            if value > best_value or (
                value == best_value and best is not None and candidate.order < best.order
            ):
                best, best_value = candidate, value
        if best is None:
            break
        chosen.append(best)
        pending = [candidate for candidate in kept if candidate is not best]
    return chosen
