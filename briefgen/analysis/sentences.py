"""Sentence splitting for news copy.

A sentence ends at ``.``, ``!`` or ``?`` (and any closing quotation marks or brackets after it)
when whitespace and the start of a new sentence follow, except after abbreviations (``Mr.``,
``Oct. 28``, ``No. 10``), initials (``J. K. Rowling``) and dotted acronyms before a name
(``U.S. President``). A line break is always a boundary: the plain text made by the content
stage puts one between paragraphs, list items and headings, and never inside them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Sentence:
    """A sentence as it stands in the text: ``text == plain_text[start:end]``."""

    text: str
    start: int
    end: int
    paragraph: int  # index of the paragraph (line-separated block) it belongs to


# Titles and short forms that are followed by a period but do not end a sentence.
_TITLES = frozenset(
    "mr mrs ms mx dr prof gen lt col maj capt cmdr adm sgt cpl pte sen rep gov pres supt insp "
    "rev fr sr jr st mt ft messrs hon det".split()
)
# Short forms that end a sentence only if nothing continues it.
_ABBREVIATIONS = frozenset(
    "inc ltd co corp plc bros est approx dept univ assn vs etc al cf e.g i.e a.m p.m".split()
)
_MONTHS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
# Abbreviations that only abbreviate before a number: "No. 10", "Vol. 2", "pp. 4".
_BEFORE_NUMBER = frozenset("no nos vol vols pp p art fig ch sec".split())
# Words that usually open a sentence: after "U.S." they mean the acronym ended it.
_SENTENCE_OPENERS = frozenset(
    "the a an he she it they we i but and this that these those there in on at his her its "
    "their our officials however meanwhile some many".split()
)

_CLOSERS = "\"'”’)]»"
_OPENERS = "\"'“‘([«"
# A possible end: the stops and closing marks, then (looked at, not taken) the white space
# after them and the first character after that, if any.
_BOUNDARY = re.compile(r"[.!?]+[" + re.escape(_CLOSERS) + r"]*(?=\s+(\S)?)")
_WORD_CHARS = re.compile(r"[\w.&'-]*")
_NEXT_WORD = re.compile(r"[\w'’-]+")
_DOTTED_ACRONYM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with their offsets; blank stretches are dropped."""
    sentences: list[Sentence] = []
    paragraph = 0
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            for start, end in _split_line(line):
                sentences.append(Sentence(line[start:end], pos + start, pos + end, paragraph))
            paragraph += 1
        pos += len(line) + 1
    return sentences


def _split_line(line: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(line):
        end = match.end()
        if _is_boundary(line, match.start(), end, match.group(1)):
            spans.append((start, end))
            start = end
    spans.append((start, len(line)))
    return [trimmed for s, e in spans if (trimmed := _trim(line, s, e))]


def _trim(line: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _word_before(line: str, mark: int) -> str:
    """The word ending at ``mark`` (dots included: "U.S"). Usually a space comes before it, so
    the stretch from the last space is tried first; a paragraph is never rescanned."""
    space = line.rfind(" ", 0, mark) + 1
    if _WORD_CHARS.fullmatch(line, space, mark):
        return line[space:mark]
    start = mark
    while start > 0 and _WORD_CHARS.fullmatch(line, start - 1, start):
        start -= 1
    return line[start:mark]


def _next_word(line: str, end: int) -> str:
    """The word that opens what follows ``end``, past white space and opening marks."""
    at = end
    while at < len(line) and line[at].isspace():
        at += 1
    while at < len(line) and line[at] in _OPENERS:
        at += 1
    word = _NEXT_WORD.match(line, at)
    return word.group() if word else ""


def _is_boundary(line: str, mark: int, end: int, first: str | None) -> bool:
    """Whether the stops at ``mark`` end a sentence; ``first`` is the first character after
    the white space that follows them (None at the end of the line)."""
    if first is None:
        return True
    if not (first.isupper() or first.isdigit() or first in _OPENERS):
        return False  # "?" or "." followed by lower case: the sentence goes on
    if line[mark] != ".":
        return True
    word = _word_before(line, mark)
    if not word:
        return True
    bare = word.lower().rstrip(".")
    if bare in _TITLES:
        return False
    if bare in _MONTHS or bare in _BEFORE_NUMBER:
        return not first.isdigit()
    if bare in _ABBREVIATIONS:
        return _next_word(line, end).lower() in _SENTENCE_OPENERS
    if len(word) == 1 and word.isupper():
        return False  # an initial: "J. K. Rowling"
    if _DOTTED_ACRONYM.fullmatch(word):
        # A dotted acronym (U.S., U.K.): ends the sentence only before a usual opener.
        return _next_word(line, end).lower() in _SENTENCE_OPENERS
    return True
