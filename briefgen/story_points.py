"""Pure: one story's key points and quotes, merged from all the outlets that carry it.

The same fact told by two outlets is shown once, crediting both: a point joins an earlier one
when their words are alike (``SAME_FACT``, lower than the bar within one article, because two
outlets word one fact differently). A story shows at most ``MAX_POINTS`` points: first those
that most outlets carry, then the lead article's order. The same quotation carried by two
outlets is one quote with two sources.

Both merges are pure functions of their (hashable) inputs and remembered: a long-running
preview rebuilds the same stories again and again, and only the edited one changes.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from mypy_extensions import mypyc_attr

from briefgen.analysis.keypoints import cosine
from briefgen.analysis.quotes import Quote
from briefgen.analysis.terms import term_counts

SAME_FACT = 0.4  # cosine of two points' word counts
MAX_POINTS = 6
_REMEMBERED = 65536  # stories whose merges are kept
_PUNCTUATION = re.compile(r"[^\w\s]")  # what two outlets' copies of a quotation may differ by


@mypyc_attr(native_class=False)  # a Python class even when compiled: see setup.py
@dataclass(frozen=True)
class StoryPoint:
    text: str  # as the first outlet carrying it wrote it
    sources: tuple[str, ...]  # the rel_paths of the articles that carry it


@mypyc_attr(native_class=False)  # a Python class even when compiled: see setup.py
@dataclass(frozen=True)
class StoryQuote:
    quote: Quote  # as the first outlet carrying it gave it
    sources: tuple[str, ...]  # rel_paths


@mypyc_attr(native_class=False)  # a Python class even when compiled: see setup.py
@dataclass(frozen=True)
class SpeakerQuotes:
    speaker: str | None
    quotes: tuple[StoryQuote, ...]


@functools.lru_cache(maxsize=_REMEMBERED)
def merge_points(reports: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[StoryPoint, ...]:
    """``reports``: (rel_path, key point texts) per article, the lead first."""
    if len(reports) == 1:  # one outlet: its points are already distinct (key point selection)
        rel_path, points = reports[0]
        return tuple(StoryPoint(text, (rel_path,)) for text in points[:MAX_POINTS])
    merged: list[tuple[str, dict[str, float], list[str]]] = []
    for rel_path, points in reports:
        for text in points:
            vector = _unit(term_counts(text))
            terms = vector.keys()
            match = next(
                (
                    entry
                    for entry in merged
                    # (most points of a story share no term: told apart without a sum)
                    if not terms.isdisjoint(entry[1]) and cosine(vector, entry[1]) >= SAME_FACT
                ),
                None,
            )
            if match is None:
                merged.append((text, vector, [rel_path]))
            elif rel_path not in match[2]:
                match[2].append(rel_path)
    ranked = sorted(range(len(merged)), key=lambda i: (-len(merged[i][2]), i))[:MAX_POINTS]
    return tuple(StoryPoint(merged[i][0], tuple(merged[i][2])) for i in sorted(ranked))


@functools.lru_cache(maxsize=_REMEMBERED)
def merge_quotes(reports: tuple[tuple[str, tuple[Quote, ...]], ...]) -> tuple[SpeakerQuotes, ...]:
    """Quotes by speaker (in order of first appearance), each once with all its sources."""
    seen: dict[tuple[str | None, str], tuple[Quote, list[str]]] = {}
    for rel_path, quotes in reports:
        for quote in quotes:
            key = (quote.speaker, _normalise(quote.text))
            entry = seen.setdefault(key, (quote, []))
            if rel_path not in entry[1]:
                entry[1].append(rel_path)
    groups: dict[str | None, list[StoryQuote]] = {}
    for (speaker, _), (quote, sources) in seen.items():
        groups.setdefault(speaker, []).append(StoryQuote(quote, tuple(sources)))
    return tuple(SpeakerQuotes(speaker, tuple(quotes)) for speaker, quotes in groups.items())


def _normalise(text: str) -> str:
    return " ".join(_PUNCTUATION.sub("", text.casefold()).split())


def _unit(counts: dict[str, int]) -> dict[str, float]:
    norm = math.sqrt(sum(c * c for c in counts.values())) or 1.0
    return {term: count / norm for term, count in counts.items()}
