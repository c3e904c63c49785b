"""The whole analysis of one article: the unit the build caches and runs in parallel.

Pure: it sees the article's plain text and a few settings, never files, so the result depends
only on (content hash, ANALYZER_VERSION, key point count) and can be cached by that key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

from briefgen.analysis.entities import find_entities
from briefgen.analysis.fingerprint import simhash
from briefgen.analysis.keypoints import select_key_points, select_lead_points
from briefgen.analysis.quotation_marks import find_quote_spans
from briefgen.analysis.quotes import Quote, extract_quotes
from briefgen.analysis.sentences import split_sentences
from briefgen.analysis.terms import counted, tokenize
from briefgen.lazy_fields import LazyFields

LEAD_SENTENCES = 2  # the lead of a news article: what two outlets' versions share most


@dataclass(frozen=True)
class KeyPoint:
    """A sentence of the article: ``text == plain[start:end]`` (-1 when an editor wrote it)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Analysis(LazyFields):
    # Read back from the cache only when a page that shows them is rendered (or the topics
    # of articles without any are worked out, or the stories grouped again).
    # Read apart: key points and quotes by the pages, terms by topic assignment, story terms
    # and names by story grouping.
    _lazy = (("key_points", "quotes"), ("terms",), ("story_terms", "names"))

    key_points: tuple[KeyPoint, ...]
    quotes: tuple[Quote, ...]
    terms: Mapping[str, int]  # stemmed word counts of title and text, for the collection
    speakers: tuple[str, ...]  # people quoted, in order of first quote
    # stemmed words of the headline and the first sentences: what the news is
    story_terms: Mapping[str, int]
    names: Mapping[str, int]  # people, places and organisations named near the top
    # A digest of story_terms and names: what story grouping reads of the text, so that a
    # build can tell that no grouping changed without reading them all again.
    story_digest: str = ""
    edited: bool = False  # key points or quotes came from front matter

    @property
    def fingerprint(self) -> int:
        """SimHash of the terms: near-duplicate texts are a few bits apart. Made when asked
        for, not kept: no stage of a build reads it (21-32 us of an article's analysis, 2-3%)."""
        return simhash(self.terms)


def is_english(lang: str) -> bool:
    """Whether the word features (English stopwords, stemming, speaking verbs) apply."""
    return lang.lower().replace("_", "-").split("-")[0] in ("en", "")


def analyze_text(
    plain: str,
    *,
    title: str,
    key_points: int,
    lang: str = "en",
    key_point_override: Sequence[str] | None = None,
    quote_override: Sequence[tuple[str, str | None]] | None = None,
) -> Analysis:
    """Key points, quotes and word features of one article's plain text.

    For a language other than English the word features do not apply: key points are chosen
    by position under the same rules, and quotes are found without their speakers.
    """
    english = is_english(lang)
    sentences = split_sentences(plain)
    sentence_terms = [tokenize(sentence.text) for sentence in sentences]
    if quote_override is not None:
        quotes = tuple(_quote_from_override(plain, text, who) for text, who in quote_override)
    elif english:
        quotes = tuple(extract_quotes(plain, sentences))
    else:
        quotes = _quotes_without_speakers(plain)
    if key_point_override is not None:
        points = tuple(_point_from_override(plain, text) for text in key_point_override)
    else:
        spans = [(q.start, q.end) for q in quotes]
        chosen = (
            select_key_points(
                sentences,
                key_points,
                title=title,
                quote_spans=spans,
                sentence_terms=sentence_terms,
            )
            if english
            else select_lead_points(sentences, key_points, quote_spans=spans)
        )
        points = tuple(KeyPoint(s.text, s.start, s.end) for s in chosen)
    speakers = tuple(dict.fromkeys(q.speaker for q in quotes if q.speaker))
    terms = counted(chain(tokenize(title), *sentence_terms))
    story_terms = counted(chain(tokenize(title), *sentence_terms[:LEAD_SENTENCES]))
    names = dict(find_entities(plain))
    features = repr((sorted(story_terms.items()), sorted(names.items())))
    return Analysis(
        key_points=points,
        quotes=quotes,
        terms=terms,
        speakers=speakers,
        story_terms=story_terms,
        names=names,
        story_digest=hashlib.sha256(features.encode()).hexdigest(),
        edited=key_point_override is not None or quote_override is not None,
    )


def _quotes_without_speakers(plain: str) -> tuple[Quote, ...]:
    """Every closed quotation of a few words or more, as written: without the English grammar
    of attribution there is no telling speech from a scare quote by the words around it."""
    quotes: dict[str, Quote] = {}
    for span in find_quote_spans(plain):
        text = plain[span.start : span.end].rstrip(",.;:!?")
        if not span.left_open and len(text.split()) >= _MIN_UNATTRIBUTED_WORDS:
            quotes.setdefault(text, Quote(text, None, span.start, span.start + len(text)))
    return tuple(quotes.values())


_MIN_UNATTRIBUTED_WORDS = 3


def _point_from_override(plain: str, text: str) -> KeyPoint:
    start = plain.find(text)
    return KeyPoint(text, start, start + len(text) if start >= 0 else -1)


def _quote_from_override(plain: str, text: str, speaker: str | None) -> Quote:
    start = plain.find(text)
    return Quote(
        text=text, speaker=speaker, start=start, end=start + len(text) if start >= 0 else -1
    )
