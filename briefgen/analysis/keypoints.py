"""Extractive key points: the few sentences of an article that tell its news.

A sentence earns its place three ways. It is *central*: its words are the article's words
(TF-IDF cosine with the rest of the article, which is TextRank's degree centrality without
building the sentence graph) and the headline's words. It stands *early*: news copy is written
as an inverted pyramid, so the lead paragraph and the first sentences carry the most. And it is
*new*: points are picked greedily, each time discounting a candidate by its likeness to the
points already picked (maximal marginal relevance), so two points never say the same thing.

Sentences that cannot be points are removed first: fragments and headings, boilerplate (photo
credits and the captions they close, bylines, datelines, "Subscribe", "Read more"), and bare
quotations, which the quotes section already shows with their speaker.

Everything here is deterministic: equal scores fall to the earlier sentence.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from itertools import chain
from typing import NamedTuple

from briefgen.analysis.sentences import Sentence
from briefgen.analysis.terms import tokenize

# Weights of the score parts, chosen on the first half of each topic of the BBC corpus, where
# centrality alone does best; position and the title stay as tie-breakers that matter when
# centrality is flat (short articles, articles that drift into background).
_CENTRALITY_WEIGHT = 1.0
_TITLE_WEIGHT = 0.1
_POSITION_WEIGHT = 0.1
_LEAD_BONUS = 0.05
# How much likeness (cosine) to a chosen point costs, and the likeness that makes a repeat.
_REDUNDANCY_WEIGHT = 0.2
_DUPLICATE_SIMILARITY = 0.5

_MIN_WORDS = 6
_QUOTED_SHARE = 0.7
_OPENING_QUOTE_SHARE = 0.6

# Each opening mark with the mark that closes it; a closing single quote is told from an
# apostrophe ("it’s") by the letter that follows an apostrophe.
_MATCHING_QUOTE = {
    '"': re.compile(r'"'),
    "“": re.compile(r"[”“]"),
    "„": re.compile(r"[“”]"),
    "«": re.compile(r"»"),
    "‘": re.compile(r"’(?![A-Za-z])"),
}
_FINAL_STOPS = (".", "!", "?", "…")
_CLOSING_MARKS = "\"'”’)]» "
_LOWERCASE_WORD = re.compile(r"\b[a-z]{2,}")
# Boilerplate that opens a line: "Subscribe ...", "Read more", "Watch: ...".
_BOILERPLATE_OPENING = re.compile(
    r"""\W*(?:
        subscribe | sign\ up | read\ more | contact\ us | share\ this | advertisement
      | related(?:\s*:|\s+(?:stories|articles|coverage|content|news)\b)
      | (?:watch|listen|more|source|photo|image|picture|credit)s?\s*:
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Photo credits anywhere in a line, matched on lower case: "(AA Photo)", "Photo: Reuters".
# Each pattern opens with a literal rather than \b: Python's regex engine scans those far faster.
_PHOTO_CREDITS = (
    re.compile(r"\((?:[^()]{0,40}\s)?(?:photo|photograph|picture|image|file)s?\b[^()]{0,40}\)"),
    re.compile(r"(?:photo|picture|image)(?:graph)?s?\s*(?:by\b|:|/)|credit\s*:|getty images"),
)
# Site notices anywhere in a line, matched on lower case.
_NOTICE = re.compile(
    r"all rights reserved|copyright|©|follow us\b|click here|subscribe to|newsletter"
)
# Words without which the patterns above cannot match: plain substring tests are much faster
# than the patterns' alternatives, and most lines (most articles) have none of them.
_PHOTO_WORDS = ("photo", "picture", "image", "credit", "getty")
_NOTICE_WORDS = (
    "rights reserved",
    "copyright",
    "©",
    "follow us",
    "click here",
    "subscribe",
    "newsletter",
)
_BOILERPLATE_WORDS = _PHOTO_WORDS + _NOTICE_WORDS
# "By Jane Doe", "By JANE DOE, Reuters"; see _BYLINE_WORDS for what may follow the name.
_BYLINE = re.compile(
    r"\W*by\s+(?-i:[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})\s*(?:[,|/–-]|and\b|$)",
    re.IGNORECASE,
)
# "Updated: 3 May 2025, 10:42 GMT", "Published 2 hours ago"; not "Updated figures show ...".
_DATELINE = re.compile(r"\W*(?:last\s+)?(?:published|updated|posted)\b", re.IGNORECASE)
_DATELINE_WORDS = frozenset(
    "and last updated ago hour hours minute minutes day days gmt utc bst".split()
)
# Lower-case words a byline may go on with ("By Jane Doe, staff writer in Paris"); any other
# means a sentence that merely opens with "By" and a name.
_BYLINE_WORD_TEXT = (
    "and the for with from our staff writer writers reporter reporters correspondent "
    "correspondents editor editors contributor contributors contributing news chief senior "
    "deputy special foreign political politics business economics economy sport sports "
    "science health technology culture arts diplomatic security defence defense bureau desk"
)
_BYLINE_WORDS = frozenset(_BYLINE_WORD_TEXT.split())
_LOWERCASE_WORDS = re.compile(r"\b[a-z]{3,}\b")


class _Candidate(NamedTuple):
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
) -> list[Sentence]:
    """``count`` sentences (fewer only if the article has fewer eligible ones), in article order.

    ``quote_spans`` are the character spans of the quotations found in the same text as the
    sentence offsets; a sentence that is mostly one of them is left to the quotes section.
    """
    if count <= 0:
        return []
    eligible = _eligible_sentences(sentences, quote_spans)
    candidates = _score_candidates(eligible, len(sentences), title)
    chosen = _pick_novel(candidates, count)
    return [candidate.sentence for candidate in sorted(chosen, key=lambda c: c.order)]


def _eligible_sentences(
    sentences: Sequence[Sentence], quote_spans: Sequence[tuple[int, int]]
) -> list[tuple[int, Sentence]]:
    """The sentences that may be key points, with their positions in the article."""
    may_have_boilerplate = _mentions_boilerplate(sentences)
    photo_lines = _photo_credits_and_captions(sentences) if may_have_boilerplate else set()
    return [
        (index, sentence)
        for index, sentence in enumerate(sentences)
        if index not in photo_lines
        and _can_be_key_point(sentence, quote_spans, may_have_boilerplate)
    ]


def _mentions_boilerplate(sentences: Sequence[Sentence]) -> bool:
    """Whether any line could hold a credit or a notice; one search for the whole article is
    far cheaper than one for each sentence, and most articles have none."""
    text = "\n".join([sentence.text for sentence in sentences]).lower()
    return any(word in text for word in _BOILERPLATE_WORDS)


def _photo_credits_and_captions(sentences: Sequence[Sentence]) -> set[int]:
    """Positions of photo credits and of their captions: a sentence followed in its paragraph
    by a credit describes the photo, not the news ("Simsek presents the budget in Ankara.
    (AA Photo)" splits into caption and credit)."""
    found: set[int] = set()
    for index, sentence in enumerate(sentences):
        if _is_photo_credit(sentence.text):
            found.add(index)
            if index > 0 and sentences[index - 1].paragraph == sentence.paragraph:
                found.add(index - 1)
    return found


def _is_photo_credit(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in _PHOTO_WORDS) and any(
        pattern.search(lowered) for pattern in _PHOTO_CREDITS
    )


def _can_be_key_point(
    sentence: Sentence, quote_spans: Sequence[tuple[int, int]], may_have_notices: bool
) -> bool:
    text = sentence.text.strip()
    return not (
        _is_fragment(text)
        or _is_boilerplate(text, may_have_notices)
        or _is_bare_quotation(sentence, quote_spans)
    )


def _is_fragment(text: str) -> bool:
    """Too short, no final stop, or no lower-case word: a heading, a label or a cut-off line."""
    return (
        len(text.split()) < _MIN_WORDS
        or text.rstrip(_CLOSING_MARKS)[-1:] not in _FINAL_STOPS
        or not _LOWERCASE_WORD.search(text)
    )


def _is_boilerplate(text: str, may_have_notices: bool) -> bool:
    if (
        _BOILERPLATE_OPENING.match(text)
        or _opens_with_only(_BYLINE, _BYLINE_WORDS, text)
        or _opens_with_only(_DATELINE, _DATELINE_WORDS, text)
    ):
        return True
    if not may_have_notices:
        return False
    lowered = text.lower()
    return any(word in lowered for word in _NOTICE_WORDS) and _NOTICE.search(lowered) is not None


def _opens_with_only(opening: re.Pattern[str], allowed: frozenset[str], text: str) -> bool:
    """A line that opens with ``opening`` and has no lower-case word but ``allowed`` ones after
    it: "By Jane Doe, staff writer", and not "By Friday, the firm had ..."."""
    match = opening.match(text)
    if not match:
        return False
    rest = text[match.end() :]
    return all(word in allowed for word in _LOWERCASE_WORDS.findall(rest))


def _is_bare_quotation(sentence: Sentence, quote_spans: Sequence[tuple[int, int]]) -> bool:
    """Mostly quoted words: by the quote finder's spans, or, failing those, by its own marks."""
    length = sentence.end - sentence.start
    if length <= 0:
        return False
    covered = sum(
        max(0, min(end, sentence.end) - max(start, sentence.start)) for start, end in quote_spans
    )
    if covered > _QUOTED_SHARE * length:
        return True
    return _opening_quote_share(sentence.text) > _OPENING_QUOTE_SHARE or _ends_inside_quotation(
        sentence.text
    )


def _ends_inside_quotation(text: str) -> bool:
    """A quotation opens and the sentence ends before it closes: the start of a quote that
    goes on over several sentences, which reads as a fragment on its own."""
    straight = text.count('"')
    return straight % 2 == 1 or text.count("“") > text.count("”")


def _opening_quote_share(text: str) -> float:
    """Share of a sentence taken by a quotation it opens with (all of it if it never closes:
    the quotation goes on into the next sentence)."""
    stripped = text.lstrip()
    if not stripped or stripped[0] not in _MATCHING_QUOTE:
        return 0.0
    closing = _MATCHING_QUOTE[stripped[0]].search(stripped, 1)
    end = closing.end() if closing else len(stripped)
    return end / len(stripped)


def _score_candidates(
    eligible: Sequence[tuple[int, Sentence]], total: int, title: str
) -> list[_Candidate]:
    """Score every eligible sentence by centrality, likeness to the title and position."""
    if not eligible:
        return []
    term_counts = [Counter(tokenize(sentence.text)) for _, sentence in eligible]
    idf = _inverse_document_frequencies(term_counts)
    unseen = math.log(len(term_counts) + 1) + 1.0
    vectors = [_unit_vector(counts, idf, unseen) for counts in term_counts]
    centroid: dict[str, float] = {}
    for vector in vectors:
        for term, weight in vector.items():
            centroid[term] = centroid.get(term, 0.0) + weight
    centralities = [_centrality(vector, centroid, len(eligible)) for vector in vectors]
    top_centrality = max(centralities) or 1.0
    title_vector = _unit_vector(Counter(tokenize(title)), idf, unseen)
    first_paragraph = eligible[0][1].paragraph  # the lead, even below a dropped byline
    candidates = []
    for (index, sentence), vector, centrality in zip(eligible, vectors, centralities, strict=True):
        score = (
            _CENTRALITY_WEIGHT * centrality / top_centrality
            + _TITLE_WEIGHT * _dot(vector, title_vector)
            + _POSITION_WEIGHT * _position_weight(index, total)
            + (_LEAD_BONUS if sentence.paragraph == first_paragraph else 0.0)
        )
        candidates.append(_Candidate(index, sentence, vector, score))
    return candidates


def _inverse_document_frequencies(term_counts: Sequence[Counter[str]]) -> dict[str, float]:
    """Sentences as documents: a term in every sentence is no help in telling them apart."""
    document_frequency = Counter(chain.from_iterable(term_counts))
    documents = len(term_counts) + 1
    log = math.log
    return {term: log(documents / df) + 1.0 for term, df in document_frequency.items()}


def _unit_vector(counts: Counter[str], idf: dict[str, float], unseen: float) -> dict[str, float]:
    """TF-IDF weights scaled to length 1, so that long sentences are not central by size.

    A term the sentences never use (a title word) weighs ``unseen``, like the rarest term.
    """
    if not counts:
        return {}
    vector = {term: tf * idf.get(term, unseen) for term, tf in counts.items()}
    scale = 1.0 / math.hypot(*vector.values())
    return {term: weight * scale for term, weight in vector.items()}


def _centrality(vector: dict[str, float], centroid: dict[str, float], sentences: int) -> float:
    """Mean cosine with the other sentences: the sum of a sentence's graph edges, in O(words)."""
    if sentences <= 1:
        return 0.0
    self_similarity = 1.0 if vector else 0.0
    # Every term of the sentence is in the centroid, so no membership test is needed.
    with_all = sum([weight * centroid[term] for term, weight in vector.items()])
    return (with_all - self_similarity) / (sentences - 1)


def _position_weight(index: int, total: int) -> float:
    """1 for the first sentence, falling off quickly, then slowly, towards 0 at the end."""
    return 1.0 / math.sqrt(1.0 + index) * (1.0 - 0.5 * index / max(total, 1))


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    """Sparse dot product, walking the shorter vector."""
    if len(a) > len(b):
        a, b = b, a
    return sum([weight * b[term] for term, weight in a.items() if term in b])


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
                similarity = _dot(candidate.vector, point.vector)
                likeness[candidate.order] = max(likeness[candidate.order], similarity)
            compared[candidate.order] = len(chosen)
            if likeness[candidate.order] >= _DUPLICATE_SIMILARITY:
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
