"""Quotation marks in plain text, and the spans of quoted words between them.

Curly marks and guillemets say which way they face; straight marks are told apart by what
touches them (an opening mark follows a space and precedes a word, a closing one the reverse).
French quotes open with « and close with », often with (non-breaking) spaces inside; German
ones open with „ and close with “, which elsewhere opens a quotation. Single marks
count only in a headline-like line: in body text they are apostrophes or quotations inside
quotations. A paragraph may leave a quotation open and the next carry it on with a fresh
opening mark, as news copy does for a quotation over several paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARK = re.compile(r"[\"“”«»„]")
_SINGLE_MARK = re.compile(r"['‘’‹›]")
# Every white space character: the thin or non-breaking space French puts inside « », a tab.
_SPACES = "".join(chr(code) for code in range(0x3001) if chr(code).isspace())
_OPENS_AFTER = frozenset(" \t([{—–-/")
_CLOSES_BEFORE = frozenset(" \t,.;:!?)]}—–-")
_TRAILING = _SPACES + ",.!?;:\"'“”‘’«»‹›„"  # and opening marks: German »so« closes with «
_HAS_WORD = re.compile(r"\w")


@dataclass(slots=True)
class QuoteSpan:
    """Quoted words as found between their marks, before anyone is credited with them."""

    outer_start: int  # the opening mark
    outer_end: int  # just after the closing mark, or where an unclosed quotation stops
    start: int  # the quoted words, trimmed
    end: int
    paragraph: int
    sentence_like: bool  # a capitalised sentence ending inside the marks, not a term
    continues: bool  # opens a paragraph that carries on a quotation left open before it
    left_open: bool  # runs to the end of its paragraph without a closing mark


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """The spans between quotation marks, paragraph by paragraph, in text order.

    Straight marks are told apart by what touches them: an opening mark follows a space and
    precedes a word, a closing one the reverse.
    """
    spans: list[QuoteSpan] = []
    paragraph = pos = 0
    left_open = False
    for line in text.split("\n"):
        if line.strip():
            if '"' in line or "“" in line or "”" in line or "«" in line or "„" in line:
                pairs, still_open = _pair_marks(line, _MARK)
            else:
                pairs, still_open = [], False
            if _is_headline(line) and _SINGLE_MARK.search(line):
                pairs = _outermost(sorted(pairs + _pair_marks(line, _SINGLE_MARK)[0]))
                still_open = still_open and pairs[-1][1] == len(line)
            for n, (opening, closing, outer_end) in enumerate(pairs, 1):
                span = _trimmed_span(text, pos + opening, pos + closing)
                if span is not None:
                    start, end, sentence_like = span
                    continues = left_open and opening == 0
                    runs_on = still_open and n == len(pairs)
                    spans.append(
                        QuoteSpan(
                            pos + opening,
                            pos + outer_end,
                            start,
                            end,
                            paragraph,
                            sentence_like,
                            continues,
                            runs_on,
                        )
                    )
            left_open = still_open
            paragraph += 1
        pos += len(line) + 1
    return spans


def _pair_marks(line: str, marks: re.Pattern[str]) -> tuple[list[tuple[int, int, int]], bool]:
    """(opening mark, closing mark, end) of each quotation, and whether the last is left open.

    An unclosed quotation stops at the next opening mark or at the end of the paragraph.
    """
    pairs: list[tuple[int, int, int]] = []
    open_at = -1
    for match in marks.finditer(line):
        kind = _mark_kind(line, match.start())
        if kind == "open" and open_at >= 0 and line[open_at] == "„" and match.group() == "“":
            kind = "close"  # German: „so“
        if kind == "open" or (kind == "either" and open_at < 0):
            if open_at >= 0:
                pairs.append((open_at, match.start(), match.start()))
            open_at = match.start()
        elif kind in ("close", "either") and open_at >= 0:
            pairs.append((open_at, match.start(), match.end()))
            open_at = -1
    if open_at >= 0:
        pairs.append((open_at, len(line), len(line)))
    return pairs, open_at >= 0


def _outermost(pairs: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The pairs not inside another: in a headline, 'a "quotation" inside a quotation' is
    part of it, not a quote of its own (in body text single marks never pair)."""
    kept: list[tuple[int, int, int]] = []
    for pair in pairs:
        if not kept or pair[0] >= kept[-1][2]:
            kept.append(pair)
    return kept


def _mark_kind(line: str, i: int) -> str:
    mark = line[i]
    if mark in "“‘«‹„":
        return "open"
    if mark in "”»›":
        return "close"
    before = line[i - 1] if i else " "
    after = line[i + 1] if i + 1 < len(line) else " "
    if mark in "'’" and before.isalnum() and after.isalnum():
        return "apostrophe"  # Russia's, don't
    opens = before in _OPENS_AFTER and not after.isspace()
    closes = before not in " \t" and after in _CLOSES_BEFORE
    if opens != closes:
        return "open" if opens else "close"
    return "either" if mark == '"' else "apostrophe"


def _is_headline(line: str) -> bool:
    """Single quotes mark quotations only in headlines; in body text they are apostrophes."""
    stripped = line.rstrip().rstrip("'’\"”")
    return not stripped.endswith((".", "!", "?", ":", ";", ",")) and len(line.split()) <= 25


def _trimmed_span(text: str, outer_start: int, closing: int) -> tuple[int, int, bool] | None:
    """(start, end, sentence_like) of the words between two marks, without the closing , . ! ?"""
    # Marks of either kind, not ’ (’Tis): a quotation opened twice, or one in a headline's
    # single marks that opens with a stray closing mark ('»so').
    words = text[outer_start + 1 : closing].lstrip(_SPACES + "\"'“”‘«»‹›„")
    start = closing - len(words)
    end = start + len(words.rstrip(_TRAILING))
    if start >= end or not _HAS_WORD.search(text, start, end):
        return None
    return start, end, words[0].isupper() and words.rstrip()[-1] in ".!?"


def is_nickname(text: str, span: QuoteSpan) -> bool:
    """A short capitalised quotation between a given name and a surname."""
    words = text[span.start : span.end].split()
    if len(words) > 3 or not all(word[:1].isupper() for word in words):
        return False
    before = text[max(0, span.outer_start - 2) : span.outer_start]
    after = text[span.outer_end : span.outer_end + 2]
    if not (
        len(before) == 2
        and before[0].isalpha()
        and before[1] == " "
        and after[:1] == " "
        and after[1:2].isupper()
    ):
        return False
    # The word before: walked back to, as splitting all the text before each quotation made a
    # long article quadratic.
    word = span.outer_start - 2
    while word > 0 and not text[word - 1].isspace():
        word -= 1
    return text[word].isupper()
