"""Quotations in an article's plain text, each credited to the person who said it.

Three steps: find the spans between quotation marks (`find_quote_spans`); credit each one by
reading the sentences around it in article order (`_credit_quotes`, with the grammar of who
speaks in `speakers`); drop what is quoted but not said — scare quotes, titles of works,
nicknames — and repeats.

Decisions worth knowing:

- The words inside quotation marks are masked into one token before a sentence is read, so a
  quoted "he said" or a name inside a quotation never credits anyone.
- A quotation that runs over several paragraphs (a paragraph that opens a quotation and leaves
  it open, the next opening with a mark again) is returned as one `Quote` per paragraph, all
  with the same speaker: each stays a verbatim slice (``text == plain[start:end]``) that a page
  can show and a reader can find in the source.
- Quoted sentences with no verb of their own ("It was my mistake.") take the speaker of the
  quotation they run with, or of whoever spoke just before, as news copy intends.
- Single quotes count only in a headline-like line; in body text they are apostrophes or
  quotations inside quotations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefgen.analysis.sentences import Sentence, split_sentences
from briefgen.analysis.speakers import (
    QUOTE,
    SPEAKING_VERBS,
    WORD,
    Reading,
    SpeakerRegistry,
    Subject,
    Token,
    has_speaking_verb,
    read_names_only,
    read_sentences,
    speaking_verbs,
    tokenize,
)


@dataclass(frozen=True)
class Quote:
    text: str  # the quoted words, without the marks and a closing , . ! ? ; : inside them
    speaker: str | None  # canonical full name, or None when the article does not say who spoke
    start: int  # text == plain_text[start:end], always
    end: int


@dataclass(frozen=True)
class QuoteSpan:
    """Quoted words as found between their marks, before anyone is credited with them."""

    outer_start: int  # the opening mark
    outer_end: int  # just after the closing mark, or where an unclosed quotation stops
    start: int  # the quoted words, trimmed
    end: int
    paragraph: int
    sentence_like: bool  # a capitalised sentence ending inside the marks, not a term
    continues: bool  # opens a paragraph that carries on a quotation left open before it


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NAMING_WORDS = _words(
    "called dubbed titled entitled nicknamed named billed branded labelled labeled codenamed "
    "code-named renamed"
)
_WORKS = _words(
    "film movie book novel memoir song single album series show programme program play musical "
    "opera poem painting documentary sitcom drama track record column game episode study "
    "report paper survey exhibition campaign slogan motto headline"
)
_SMALL_WORDS = _words("a an the and or of in on at to for with by from vs")
_SHORT = 4  # a quoted term of this many words or fewer needs a speaker to count as speech
_MARK = re.compile(r"[\"“”]")
_SINGLE_MARK = re.compile(r"['‘’]")
_OPENS_AFTER = frozenset(" \t([{—–-/")
_CLOSES_BEFORE = frozenset(" \t,.;:!?)]}—–-")
_TRAILING = " \t,.!?;:\"'“”‘’"
_HAS_WORD = re.compile(r"\w")
# A sentence that only says who spoke, cut off from its quotation by the sentence splitter:
# "I was a rusty wartime pilot..." Hailey later recalled.
_ATTRIBUTION_TAIL = re.compile(r"(?:[A-Z][\w'’-]*|he|she|they)(?: [\w'’-]+){0,3} ([a-z]+)\.?")


def extract_quotes(text: str, sentences: Sequence[Sentence] | None = None) -> list[Quote]:
    """All quotations in the article's plain text, in text order, each once.

    ``sentences`` are ``split_sentences(text)`` when the caller has them already.
    """
    spans = find_quote_spans(text)
    if not spans:
        return []
    if sentences is None:
        sentences = split_sentences(text)
    credits = _credit_quotes(text, spans, list(sentences))
    quotes: list[Quote] = []
    seen: set[str] = set()
    recent: list[str] = []
    for span, credit in zip(spans, credits, strict=True):
        key = " " + " ".join(text[span.start : span.end].casefold().split()) + " "
        if credit.not_speech or key in seen or any(_is_repeat(key, k) for k in recent[-50:]):
            continue
        seen.add(key)
        recent.append(key)
        quotes.append(Quote(text[span.start : span.end], credit.speaker, span.start, span.end))
    return quotes


def _is_repeat(key: str, earlier: str) -> bool:
    """The same words quoted again, perhaps with a word or two more ("to cease ...")."""
    if key in earlier or earlier in key:
        return abs(key.count(" ") - earlier.count(" ")) <= 2
    return False


# --- finding the quoted spans --------------------------------------------------------------


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
            pairs, still_open = _pair_marks(line, _MARK)
            if _is_headline(line) and _SINGLE_MARK.search(line):
                pairs = sorted(pairs + _pair_marks(line, _SINGLE_MARK)[0])
            for opening, closing, outer_end in pairs:
                span = _trimmed_span(text, pos + opening, pos + closing)
                if span is not None:
                    start, end, sentence_like = span
                    continues = left_open and opening == 0
                    spans.append(
                        QuoteSpan(
                            pos + opening,
                            pos + outer_end,
                            start,
                            end,
                            paragraph,
                            sentence_like,
                            continues,
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


def _mark_kind(line: str, i: int) -> str:
    mark = line[i]
    if mark in "“‘":
        return "open"
    if mark == "”":
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
    words = text[outer_start + 1 : closing].lstrip(" \t\"'“‘")
    start = closing - len(words)
    end = start + len(words.rstrip(_TRAILING))
    if start >= end or not _HAS_WORD.search(text, start, end):
        return None
    return start, end, words[0].isupper() and words.rstrip()[-1] in ".!?"


# --- crediting speakers --------------------------------------------------------------------


@dataclass
class _Credit:
    speaker: str | None = None
    attributed: bool = False  # its own sentence gives it to someone, named or not
    not_speech: bool = False
    standalone: bool = False  # the quotation is its whole sentence
    role: tuple[str, ...] = ()  # a role still waiting for the person it names
    last_speaker: tuple[str | None, int] | None = None  # (who spoke last, paragraph) before it


@dataclass
class _Unit:
    """Sentences joined by the quotations that run across them, read as one."""

    start: int
    end: int
    paragraph: int
    sentences: list[tuple[int, int]] = field(default_factory=list)
    spans: list[int] = field(default_factory=list)


def _credit_quotes(text: str, spans: list[QuoteSpan], sentences: list[Sentence]) -> list[_Credit]:
    """Read the article's sentences in order, crediting each quotation as it comes.

    Only sentences with a quotation or a speaking verb are read word by word; elsewhere only
    the names are read (that is where people are introduced), which is most of the time saved.
    After the last quotation nothing more is needed, unless a role ("NATO chief says" in a
    headline) still waits for the person it names.
    """
    registry = SpeakerRegistry()
    credits = [_Credit() for _ in spans]
    last_speaker: tuple[str | None, int] | None = None
    last_span = spans[-1].outer_start
    for unit in _group_into_units(sentences, spans):
        after_quotes = unit.start > last_span
        if after_quotes and not any(c.role and c.speaker is None for c in credits):
            break
        if not unit.spans and (after_quotes or not has_speaking_verb(text, unit.start, unit.end)):
            read_names_only(text, unit.sentences, registry)
            continue
        reading = _read_unit(text, unit, spans, registry)
        verbs = speaking_verbs(reading)
        for q, token in enumerate(reading.tokens):
            if token.kind == QUOTE:
                credit = credits[token.quote]
                credit.last_speaker = last_speaker
                _credit_from_sentence(reading, q, verbs, credit, spans[token.quote])
        main = next((subject for _, subject in verbs if subject is not None), None)
        if main is not None:
            last_speaker = (main.speaker, unit.paragraph)
    _carry_over_unattributed(spans, credits)
    for credit in credits:
        if credit.speaker is None and credit.role:
            person = registry.person_with_role(credit.role, len(text))
            credit.speaker = person.name if person else None
        if credit.speaker is not None:
            credit.speaker = registry.canonical(credit.speaker)
    return credits


def _group_into_units(sentences: list[Sentence], spans: list[QuoteSpan]) -> list[_Unit]:
    units: list[_Unit] = []
    next_span = 0
    for sentence in sentences:
        if units and (units[-1].end > sentence.start or _is_attribution_tail(units[-1], sentence)):
            unit = units[-1]
            unit.end = max(unit.end, sentence.end)
        else:
            unit = _Unit(sentence.start, sentence.end, sentence.paragraph)
            units.append(unit)
        unit.sentences.append((sentence.start, sentence.end))
        while next_span < len(spans) and spans[next_span].outer_start < sentence.end:
            unit.spans.append(next_span)
            unit.end = max(unit.end, spans[next_span].outer_end)
            next_span += 1
    return units


def _is_attribution_tail(unit: _Unit, sentence: Sentence) -> bool:
    if not unit.spans or unit.paragraph != sentence.paragraph:
        return False
    match = _ATTRIBUTION_TAIL.fullmatch(sentence.text)
    return match is not None and match.group(1) in SPEAKING_VERBS


def _read_unit(
    text: str, unit: _Unit, spans: list[QuoteSpan], registry: SpeakerRegistry
) -> Reading:
    """The unit's words, each quotation in it masked into one `QUOTE` token."""
    tokens: list[Token] = []
    pos = unit.start
    for index in unit.spans:
        span = spans[index]
        tokens += tokenize(text, pos, span.outer_start)
        words = text[span.start : span.end]
        tokens.append(Token(words, words.lower(), span.outer_start, QUOTE, quote=index))
        pos = max(pos, span.outer_end)
    tokens += tokenize(text, pos, unit.end)
    return read_sentences(text, tokens, unit.sentences, registry)


def _credit_from_sentence(
    reading: Reading,
    q: int,
    verbs: list[tuple[int, Subject | None]],
    credit: _Credit,
    span: QuoteSpan,
) -> None:
    """The nearest speaking verb before the quotation gives it a speaker, else the next one."""
    before = [verb for verb in verbs if verb[0] <= q]
    after = [verb for verb in verbs if verb[0] > q]
    chosen = before[-1] if before else (after[0] if after else None)
    subject = chosen[1] if chosen else None
    credit.attributed = chosen is not None
    credit.speaker = subject.speaker if subject else None
    credit.role = subject.role if subject else ()
    credit.standalone = all(t.kind != WORD for t in reading.tokens)
    speaker_is_person = subject is not None and subject.person
    credit.not_speech = _is_not_speech(reading.tokens, q, span, credit, speaker_is_person)


def _carry_over_unattributed(spans: list[QuoteSpan], credits: list[_Credit]) -> None:
    """Quoted sentences with no verb of their own belong to the speaker of the quotation they
    run with: the one before them in the same paragraph (or the paragraph they carry on),
    else the next one in their run, else whoever spoke last nearby."""
    for i, (span, credit) in enumerate(zip(spans, credits, strict=True)):
        if credit.attributed or credit.not_speech:
            continue
        source = None
        if i > 0 and (span.continues or _same_run(spans, i - 1, i)) and credits[i - 1].attributed:
            source = credits[i - 1]
        else:
            j = i + 1
            while source is None and j < len(spans) and _same_run(spans, j - 1, j):
                source = credits[j] if credits[j].attributed else None
                j += 1
        if source is not None:
            credit.speaker, credit.role, credit.attributed = source.speaker, source.role, True
        elif credit.last_speaker is not None:
            speaker, paragraph = credit.last_speaker
            nearby = span.paragraph - paragraph <= (1 if credit.standalone else 0)
            sentence = credit.standalone or span.sentence_like
            credit.speaker = speaker if nearby and sentence else None


def _same_run(spans: list[QuoteSpan], a: int, b: int) -> bool:
    """Quotations only whitespace apart: "It hurts." "It was my mistake." """
    same_paragraph = spans[a].paragraph == spans[b].paragraph
    return same_paragraph and spans[b].outer_start - spans[a].outer_end <= 1


# --- what is quoted but not said -----------------------------------------------------------


def _is_not_speech(
    tokens: list[Token], q: int, span: QuoteSpan, credit: _Credit, speaker_is_person: bool
) -> bool:
    """Scare quotes, titles and nicknames: quoted, but nobody is saying them.

    A short quoted term (up to `_SHORT` words) counts as speech only when its sentence gives it
    to someone; after a possessive ("Moscow's "special military operation"") only when that
    someone is a person ("Putin's "growing desperation"", says Rutte).
    """
    before = tokens[q - 1] if q > 0 else None
    before2 = tokens[q - 2] if q > 1 else None
    before3 = tokens[q - 3] if q > 2 else None
    after = tokens[q + 1] if q + 1 < len(tokens) else None
    words = tokens[q].text.split()
    if words[0].lower() == "so-called" or (before is not None and before.lower == "so-called"):
        return True
    capitalised = words[0][:1].isupper() or words[0][:1].isdigit()
    if capitalised and len(words) <= 10 and _names_a_work(before, before2, before3):
        return True
    if credit.standalone or span.sentence_like:
        return False
    if len(words) > 1 and all(w[:1].isupper() or w in _SMALL_WORDS for w in words):
        return True  # "Free Mojtaba and Arash Day": a name, whoever uses it
    if len(words) > _SHORT:
        return False
    if capitalised and _is_capitalised_word(before) and _is_capitalised_word(after):
        return True  # Donald "The Don" Smith
    if not credit.attributed:
        return True
    return before is not None and before.possessive and not speaker_is_person


def _names_a_work(before: Token | None, before2: Token | None, before3: Token | None) -> bool:
    """ "the film "Gladiator II"", "a song called "Hey"", "his book, "Tides""."""
    if before is None:
        return False
    if before.lower in _NAMING_WORDS or before.lower in _WORKS:
        return True
    if before2 is not None and before2.lower in _WORKS | _NAMING_WORDS:
        return before.text == "," or before.kind == WORD
    return before3 is not None and before3.lower in _NAMING_WORDS  # called all women "Betty"


def _is_capitalised_word(token: Token | None) -> bool:
    return token is not None and token.kind == WORD and token.text[:1].isupper()
