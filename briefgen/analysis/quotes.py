"""Quotations in an article's plain text, each credited to the person who said it.

Three steps: find the spans between quotation marks (`find_quote_spans`, in
`quotation_marks`); credit each one by reading the sentences around it in article order
(`_credit_quotes`: the grammar of who speaks is `attribution`'s, the people met so far are the
`SpeakerRegistry`'s in `names`); drop what is quoted but not said — scare quotes, titles of
works, nicknames — and repeats.

Decisions worth knowing:

- The words inside quotation marks are masked into one token before a sentence is read, so a
  quoted "he said" or a name inside a quotation never credits anyone.
- A quotation that runs over several paragraphs (a paragraph that opens a quotation and leaves
  it open, the next opening with a mark again) is returned as one `Quote` per paragraph, all
  with the speaker the last part names (usually by "he said" after the closing mark): each
  stays a verbatim slice (``text == plain[start:end]``) that a page can show and a reader can
  find in the source.
- Quoted sentences with no verb of their own ("It was my mistake.") take the speaker of the
  quotation they run with, or of whoever spoke just before, as news copy intends.
- A speaker is a person or an organisation. A body that is the subject of the speaking verb
  ("Google said", "according to the Bank of England", "a spokeswoman for Human Rights Watch
  said") is the speaker under its name as introduced (without "the"); "the company said" is
  the company named last, "it said" the body that spoke a few sentences before. Unnamed people
  ("a spokeswoman said", "officials said") give no speaker. A short term a body gives a name
  to ("what it calls a "black hole"") is still a scare quote and dropped.
- A nickname between a given name and a surname (Jonas "The Hammer" Petrov) is read as if
  absent, so the name is whole, and is not a quote.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from mypy_extensions import mypyc_attr

from briefgen.analysis.attribution import (
    SPEAKING_VERBS,
    Reading,
    Subject,
    has_speaking_verb,
    read_sentences,
    speaking_verbs,
)
from briefgen.analysis.mentions import read_names_only
from briefgen.analysis.names import SpeakerRegistry, organisation_called
from briefgen.analysis.quotation_marks import QuoteSpan, find_quote_spans, is_nickname
from briefgen.analysis.sentences import Sentence, split_sentences
from briefgen.analysis.tokens import QUOTE, WORD, Token, tokenize, word_set


@mypyc_attr(native_class=False)  # a Python class even when compiled: see setup.py
@dataclass(frozen=True)
class Quote:
    text: str  # the quoted words, without the marks and a closing , . ! ? ; : inside them
    speaker: str | None  # canonical full name, or None when the article does not say who spoke
    start: int  # text == plain_text[start:end], always
    end: int


_NAMING_WORDS = word_set(
    "called dubbed titled entitled nicknamed named billed branded labelled labeled codenamed "
    "code-named renamed"
)
_WORKS = word_set(
    "film movie book novel memoir song single album series show programme program play musical "
    "opera poem painting documentary sitcom drama track record column game episode study "
    "report paper survey exhibition campaign slogan motto headline"
)
_CALLING = word_set("call calls called calling dub dubs dubbed term terms termed")
_BEFORE_VERB = word_set("still also now often long has have had")
_PRONOUNS = word_set("he she i we they you")
_SMALL_WORDS = word_set("a an the and or of in on at to for with by from vs")
_SHORT = 4  # a quoted term of this many words or fewer needs a speaker to count as speech
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


# --- crediting speakers --------------------------------------------------------------------


@dataclass(slots=True)
class _Credit:
    speaker: str | None = None
    attributed: bool = False  # its own sentence gives it to someone, named or not
    not_speech: bool = False
    standalone: bool = False  # the quotation is its whole sentence
    role: tuple[str, ...] = ()  # a role still waiting for the person it names
    last_speaker: tuple[str | None, int] | None = None  # (who spoke last, paragraph) before it


@dataclass(slots=True)
class _Unit:
    """Sentences joined by the quotations that run across them, read as one."""

    start: int
    end: int
    paragraph: int
    sentences: list[tuple[int, int]] = field(default_factory=list)
    spans: list[int] = field(default_factory=list)


def _credit_quotes(text: str, spans: list[QuoteSpan], sentences: list[Sentence]) -> list[_Credit]:
    """Read the article's sentences in order, crediting each quotation as it comes.

    Only sentences with a quotation, or with a speaking verb whose subject a quoted sentence
    without a verb may take (the same paragraph or the one before it), are read word by word;
    elsewhere only the names are read (that is where people are introduced), which is most of
    the time saved.
    After the last quotation nothing more is needed, unless a role ("NATO chief says" in a
    headline) still waits for the person it names.
    """
    registry = SpeakerRegistry()
    credits = [_Credit() for _ in spans]
    last_speaker: tuple[str | None, int] | None = None
    last_span = spans[-1].outer_start
    # Paragraphs whose speaker a quoted sentence with no verb of its own may take (see
    # `_carry_over_unattributed`): only there does a sentence without quotes need a full read.
    near_quotes = {
        span.paragraph - d
        for span in spans
        if span.sentence_like or span.outer_start == 0 or text[span.outer_start - 1] == "\n"
        for d in (0, 1)
    }
    for unit in _group_into_units(sentences, spans):
        after_quotes = unit.start > last_span
        if after_quotes and not any(c.role and c.speaker is None for c in credits):
            break
        if not unit.spans and (
            after_quotes
            or unit.paragraph not in near_quotes
            or not has_speaking_verb(text, unit.start, unit.end)
        ):
            read_names_only(text, unit.sentences, registry)
            continue
        nicknames: list[int] = []
        reading, quoted_at = _read_unit(text, unit, spans, registry, nicknames)
        for index in nicknames:
            credits[index].not_speech = True
        verbs = speaking_verbs(reading)
        standalone = bool(quoted_at) and all(t.kind != WORD for t in reading.tokens)
        for q in quoted_at:
            index = reading.tokens[q].quote
            credit = credits[index]
            credit.last_speaker = last_speaker
            credit.standalone = standalone
            _credit_from_sentence(reading, q, verbs, credit, spans[index])
        main = next((subject for _, subject in verbs if subject is not None), None)
        if main is not None:
            last_speaker = (main.speaker, unit.paragraph)
    _share_speaker_across_paragraphs(spans, credits)
    _carry_over_unattributed(spans, credits)
    for credit in credits:
        if credit.speaker is None and credit.role:
            person = registry.person_with_role(credit.role, len(text))
            credit.speaker = person.name if person else None
        if credit.speaker is not None:
            credit.speaker = registry.person_called(credit.speaker) or organisation_called(
                text, credit.speaker
            )
    return credits


def _group_into_units(sentences: list[Sentence], spans: list[QuoteSpan]) -> Iterator[_Unit]:
    """The units in text order, each once complete; lazily, as reading usually stops early."""
    unit: _Unit | None = None
    next_span = 0
    for sentence in sentences:
        if unit is not None and (unit.end > sentence.start or _is_attribution_tail(unit, sentence)):
            unit.end = max(unit.end, sentence.end)
        else:
            if unit is not None:
                yield unit
            unit = _Unit(sentence.start, sentence.end, sentence.paragraph)
        unit.sentences.append((sentence.start, sentence.end))
        while next_span < len(spans) and spans[next_span].outer_start < sentence.end:
            unit.spans.append(next_span)
            unit.end = max(unit.end, spans[next_span].outer_end)
            next_span += 1
    if unit is not None:
        yield unit


def _is_attribution_tail(unit: _Unit, sentence: Sentence) -> bool:
    if not unit.spans or unit.paragraph != sentence.paragraph:
        return False
    match = _ATTRIBUTION_TAIL.fullmatch(sentence.text)
    return match is not None and match.group(1) in SPEAKING_VERBS


def _read_unit(
    text: str,
    unit: _Unit,
    spans: list[QuoteSpan],
    registry: SpeakerRegistry,
    nicknames: list[int],
) -> tuple[Reading, list[int]]:
    """The unit's words, each quotation in it masked into one `QUOTE` token, and where those
    tokens are; nicknames inside a name are left out, their indexes added to ``nicknames``."""
    tokens: list[Token] = []
    quoted_at: list[int] = []
    pos = unit.start
    for index in unit.spans:
        span = spans[index]
        tokens += tokenize(text, pos, span.outer_start)
        if is_nickname(text, span):  # read as if absent: Jonas "The Hammer" Petrov
            nicknames.append(index)
            pos = max(pos, span.outer_end)
            continue
        words = text[span.start : span.end]
        quoted_at.append(len(tokens))
        tokens.append(Token(words, words.lower(), span.outer_start, QUOTE, quote=index))
        pos = max(pos, span.outer_end)
    tokens += tokenize(text, pos, unit.end)
    return read_sentences(text, tokens, unit.sentences, registry), quoted_at


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
    speaker_is_person = subject is not None and subject.person
    credit.not_speech = _is_not_speech(reading, q, span, credit, speaker_is_person)


def _share_speaker_across_paragraphs(spans: list[QuoteSpan], credits: list[_Credit]) -> None:
    """A quotation left open at the end of a paragraph and carried on by the next is one
    quotation: all its parts take the speaker of the last part that names one (usually the
    "he said" after the closing mark)."""
    first = 0
    while first < len(spans):
        last = first
        while last + 1 < len(spans) and spans[last].left_open and spans[last + 1].continues:
            last += 1
        source = next(
            (credits[k] for k in range(last, first - 1, -1) if credits[k].attributed),
            None,
        )
        if last > first and source is not None:
            for credit in credits[first : last + 1]:
                if not credit.not_speech:
                    credit.speaker, credit.role, credit.attributed = (
                        source.speaker,
                        source.role,
                        True,
                    )
        first = last + 1


def _carry_over_unattributed(spans: list[QuoteSpan], credits: list[_Credit]) -> None:
    """Quoted sentences with no verb of their own belong to the speaker of the quotation they
    run with: the one before them in the same paragraph (or the paragraph they carry on),
    else the next one in their run, else whoever spoke last nearby."""
    # The next attributed quotation in each one's run, found in one pass from the end: a scan
    # ahead from each took quadratic time over a long run ('"a "a "a ...': seconds at 30 kB).
    next_attributed: list[_Credit | None] = [None] * len(spans)
    for i in range(len(spans) - 2, -1, -1):
        if _same_run(spans, i, i + 1):
            after = credits[i + 1]
            next_attributed[i] = after if after.attributed else next_attributed[i + 1]
    for i, (span, credit) in enumerate(zip(spans, credits, strict=True)):
        if credit.attributed or credit.not_speech:
            continue
        source = None
        if i > 0 and (span.continues or _same_run(spans, i - 1, i)) and credits[i - 1].attributed:
            source = credits[i - 1]
        else:
            source = next_attributed[i]
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
    reading: Reading, q: int, span: QuoteSpan, credit: _Credit, speaker_is_person: bool
) -> bool:
    """Scare quotes, titles and nicknames: quoted, but nobody is saying them.

    A short quoted term (up to `_SHORT` words) counts as speech only when its sentence gives it
    to someone; after a possessive ("Moscow's "special military operation"") only when that
    someone is a person ("Putin's "growing desperation"", says Rutte), and not when it is a
    body's name for something ("what it calls a "black hole"").
    """
    tokens = reading.tokens
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
    if not credit.attributed or _named_by_a_body(reading, q):
        return True
    return before is not None and before.possessive and not speaker_is_person


def _named_by_a_body(reading: Reading, q: int) -> bool:
    """ "what it calls a "black hole"", "Moscow, which still calls its invasion a "special
    military operation"": a government's or a company's name for something. When a person
    calls it so, the words are theirs: Rutte called the move a "significant escalation"."""
    tokens = reading.tokens
    for k in range(q - 1, max(q - 12, 0), -1):
        if tokens[k].kind != WORD:
            return False
        if tokens[k].lower in _CALLING:
            s = k - 1
            while s >= 0 and tokens[s].lower in _BEFORE_VERB:
                s -= 1
            if s < 0:
                return False
            subject, mention = tokens[s], reading.mentions.get(s)
            if subject.lower in ("it", "which"):
                return True
            named = mention is not None and (mention.person or bool(mention.role))
            return subject.text[0].isupper() and not named and subject.lower not in _PRONOUNS
    return False


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
