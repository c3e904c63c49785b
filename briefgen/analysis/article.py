"""The whole analysis of one article: the unit the build caches and runs in parallel.

Pure: it sees the article's plain text and a few settings, never files, so the result depends
only on (content hash, ANALYZER_VERSION, key point count) and can be cached by that key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from briefgen.analysis.fingerprint import simhash
from briefgen.analysis.keypoints import select_key_points
from briefgen.analysis.quotes import Quote, extract_quotes
from briefgen.analysis.sentences import split_sentences
from briefgen.analysis.terms import term_counts

ANALYZER_VERSION = "3"


@dataclass(frozen=True)
class KeyPoint:
    """A sentence of the article: ``text == plain[start:end]`` (-1 when an editor wrote it)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Analysis:
    key_points: tuple[KeyPoint, ...]
    quotes: tuple[Quote, ...]
    terms: Mapping[str, int]  # stemmed word counts of title and text, for the collection
    speakers: tuple[str, ...]  # people quoted, in order of first quote
    fingerprint: int  # SimHash of the terms: near-duplicate texts are a few bits apart
    edited: bool = False  # key points or quotes came from front matter


def analyze_text(
    plain: str,
    *,
    title: str,
    key_points: int,
    key_point_override: Sequence[str] | None = None,
    quote_override: Sequence[tuple[str, str | None]] | None = None,
) -> Analysis:
    sentences = split_sentences(plain)
    quotes = (
        tuple(_quote_from_override(plain, text, speaker) for text, speaker in quote_override)
        if quote_override is not None
        else tuple(extract_quotes(plain, sentences))
    )
    if key_point_override is not None:
        points = tuple(_point_from_override(plain, text) for text in key_point_override)
    else:
        chosen = select_key_points(
            sentences,
            key_points,
            title=title,
            quote_spans=[(q.start, q.end) for q in quotes],
        )
        points = tuple(KeyPoint(s.text, s.start, s.end) for s in chosen)
    speakers = tuple(dict.fromkeys(q.speaker for q in quotes if q.speaker))
    terms = term_counts(f"{title}\n{plain}")
    return Analysis(
        key_points=points,
        quotes=quotes,
        terms=terms,
        speakers=speakers,
        fingerprint=simhash(terms),
        edited=key_point_override is not None or quote_override is not None,
    )


def _point_from_override(plain: str, text: str) -> KeyPoint:
    start = plain.find(text)
    return KeyPoint(text, start, start + len(text) if start >= 0 else -1)


def _quote_from_override(plain: str, text: str, speaker: str | None) -> Quote:
    start = plain.find(text)
    return Quote(
        text=text, speaker=speaker, start=start, end=start + len(text) if start >= 0 else -1
    )
