"""Which sentences may be key points at all.

Not fragments or headings; not boilerplate (photo credits and the captions they close, bylines,
datelines, "Subscribe", "Read more"); not bare quotations, which the quotes section already
shows with their speaker. Linear in the article: quote spans are merged once and found by
bisection.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from operator import itemgetter

from briefgen.analysis.sentences import Sentence

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
_FINAL_STOPS = (".", "!", "?", "…", "。", "！", "？", "।", "؟")
_CLOSING_MARKS = "\"'”’)]» "
# Two lower-case letters in a row, in any script with case.
_LOWERCASE_WORD = re.compile(r"[^\W\d_A-Z]{2,}")
# Scripts written without spaces between words (Chinese, Japanese): two characters a word.
_UNSPACED_CHARACTERS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
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
# The letters the openings above start with: one match that fails for most sentences ("The
# ...", "He ...") spares the three.
_OPENING_LETTER = re.compile(r"\W*[srcawlmpibu]", re.IGNORECASE)


def eligible_sentences(
    sentences: Sequence[Sentence], quote_spans: Sequence[tuple[int, int]]
) -> list[tuple[int, Sentence]]:
    """The sentences that may be key points, with their positions in the article."""
    may_have_boilerplate = _mentions_boilerplate(sentences)
    photo_lines = _photo_credits_and_captions(sentences) if may_have_boilerplate else set()
    quoted = _merge_spans(quote_spans)
    return [
        (index, sentence)
        for index, sentence in enumerate(sentences)
        if index not in photo_lines and _can_be_key_point(sentence, quoted, may_have_boilerplate)
    ]


def _merge_spans(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The quoted stretches of the text, sorted and without overlaps, so that the spans a
    sentence meets can be found by bisection (a long article has thousands of quotations)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


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
    sentence: Sentence, quoted: Sequence[tuple[int, int]], may_have_notices: bool
) -> bool:
    text = sentence.text.strip()
    return not (
        _is_fragment(text)
        or _is_boilerplate(text, may_have_notices)
        or _is_bare_quotation(sentence, quoted)
    )


def _is_fragment(text: str) -> bool:
    """Too short, no final stop, or no lower-case word: a heading, a label or a cut-off line.
    Scripts without case (Arabic, Chinese) need no lower-case word."""
    words = len(text.split())
    if words < _MIN_WORDS:  # the characters are counted only when the words are too few
        words = max(words, len(_UNSPACED_CHARACTERS.findall(text)) // 2)
    return (
        words < _MIN_WORDS
        or text.rstrip(_CLOSING_MARKS)[-1:] not in _FINAL_STOPS
        or not (_LOWERCASE_WORD.search(text) or _is_caseless(text))
    )


def _is_caseless(text: str) -> bool:
    """Letters, none of them upper or lower case: a script without case."""
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and not any(char.isupper() or char.islower() for char in letters)


def _is_boilerplate(text: str, may_have_notices: bool) -> bool:
    if _OPENING_LETTER.match(text) and (
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


def _is_bare_quotation(sentence: Sentence, quoted: Sequence[tuple[int, int]]) -> bool:
    """Mostly quoted words: by the quote finder's spans, or, failing those, by its own marks."""
    length = sentence.end - sentence.start
    if length <= 0:
        return False
    covered = 0
    # The first stretch that could reach into the sentence: ends are sorted, as stretches are.
    position = bisect_right(quoted, sentence.start, key=itemgetter(1))
    while position < len(quoted) and quoted[position][0] < sentence.end:
        start, end = quoted[position]
        covered += min(end, sentence.end) - max(start, sentence.start)
        position += 1
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
