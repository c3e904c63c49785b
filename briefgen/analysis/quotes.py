"""Quotations in an article's plain text, each with the person who said it.

Three steps, each a plain function: find the spans between quotation marks (`find_quote_spans`),
credit each to a speaker by reading the sentences around it (`_credit_quotes`), and drop what
is not speech — scare quotes, titles of works, nicknames — and repeats.

The words inside quotation marks are masked into one token before the surrounding sentence is
read, so a quoted "he said" can never credit anyone. A quotation that runs over several
paragraphs is returned as one `Quote` per paragraph, all with the same speaker: each then stays
a verbatim slice of the text (``text == plain[start:end]``) that a page can show on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefgen.analysis.sentences import Sentence, split_sentences
from briefgen.analysis.speakers import (
    HONORIFICS,
    PRONOUNS,
    STOPWORDS,
    QUOTE,
    WORD,
    Mention,
    SpeakerRegistry,
    Token,
    is_unnamed_subject,
    lone_name,
    role_head,
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


_SPEAKING_VERBS = _words(
    "said says say told tells added adds warned warns warn stated states insisted insists "
    "insist claimed claims claim noted notes wrote writes asked asks urged urges urge called "
    "calls vowed vows decried decries explained explains argued argues stressed stresses "
    "declared declares announced announces admitted admits commented comments remarked "
    "replied replies responded conceded concedes suggested suggests acknowledged confirmed "
    "confirms predicted predicts promised promises pledged complained complains condemned "
    "condemns described describes recalled recalls joked quipped tweeted maintained maintains "
    "reiterated cautioned demanded accused criticised criticized praised hailed welcomed "
    "dismissed denied denies believes believe remembered"
)
# Verbs that can come before their subject: "...," said Greene.
_INVERTIBLE = _words(
    "said says added adds asked asks warned warns wrote writes explained explains insisted "
    "insists noted "
    "notes stated states declared argued argues stressed stresses continued continues replied "
    "replies responded recalled recalls admitted admits conceded concedes claimed claims "
    "commented remarked joked quipped concluded"
)
# "saying", "adding that": the speaker is whoever the clause is about.
_PARTICIPLES = _words(
    "saying adding insisting warning noting explaining arguing stressing claiming calling "
    "describing urging declaring telling writing asking accusing promising vowing announcing "
    "admitting suggesting"
)
# Also nouns ("the claims", "phone calls"): they count only with a subject in front.
_NOUN_LIKE = _words("calls claims claim comments notes promises states say believe")
_AUXILIARIES = _words(
    "also later then earlier previously once again recently repeatedly reportedly publicly "
    "privately today yesterday tonight subsequently simply only just already never always "
    "often has had have will would could should may might must can did does do not"
)
_BE = _words("was were is are been being be")
_TIMES = _words(
    "monday tuesday wednesday thursday friday saturday sunday morning afternoon evening night "
    "week month year weekend"
)
_OCCASIONS = _words("statement interview letter speech post tweet message briefing")
_DETERMINERS = _words("a an the his her their its")
# A sentence opening with one of these has its subject after the first comma.
_INTRO_WORDS = _words(
    "after before during following in on at as when while speaking asked earlier later despite "
    "although though since with without under by for from amid if once until addressing "
    "writing last unlike like realising realizing in"
)
_NAMING_WORDS = _words(
    "called dubbed titled entitled nicknamed named billed branded labelled labeled codenamed "
    "code-named renamed"
)
_WORKS = _words(
    "film movie book novel memoir song single album series show programme program play musical "
    "opera poem painting documentary sitcom drama track record column game episode study "
    "report paper survey exhibition campaign slogan motto headline"
)
_NOT_BEFORE_NAME = _words("that was is were are has had it to in on he she they we i there this")
_AFTER_NAME = _words("on in who of at from")
_COMMAS = frozenset(",-–—")
_PREPOSITIONS = _words("of for at from")
_APPOSITION_OPENERS = _words("who whose which the a an former now then himself herself")
_ALL_SPEAKING_WORDS = _SPEAKING_VERBS | _PARTICIPLES | {"according"}
_VERB_OR_MARK = _ALL_SPEAKING_WORDS | {":"}  # lower-case as written: "Said" opens a name
_PUNCTUATION_TO_SPACE = str.maketrans({mark: " " for mark in ',.;:!?()"“”'})
# A name, in a sentence with nothing quoted: role words before it are within a few words.
_CAPITALISED_RUN = re.compile(
    r"[A-Z][\w'’.-]*(?:\s(?:(?:of|de|van|von|der|bin|al) )?[A-Z][\w'’.-]*)*"
)
_WORD_REST = re.compile(r"\S*")
_LAST_WORD = re.compile(r"([\w-]+)\s+$")
_LEADING_CONJUNCTIONS = re.compile(
    r"(?:(?:But|And|So|Yet|However|Meanwhile|Now|Still|Also|Then|Or)\b,?\s+)*"
)
_FIRST_WORD = re.compile(r"[\w'’-]+")
_SMALL_WORDS = _words("a an the and or of in on at to for with by from vs")
_SHORT = 4  # a quoted term of this many words or fewer needs a speaker to count as speech
_MARK = re.compile(r"[\"“”]")
_SINGLE_MARK = re.compile(r"['‘’]")
_OPENS_AFTER = frozenset(" \t([{—–-/")
_CLOSES_BEFORE = frozenset(" \t,.;:!?)]}—–-")
_TRAILING = " \t,.!?;:\"'“”‘’"
_HAS_WORD = re.compile(r"\w")


def extract_quotes(text: str) -> list[Quote]:
    """All quotations in the article's plain text, in text order, each once."""
    spans = find_quote_spans(text)
    if not spans:
        return []
    credits = _credit_quotes(text, spans, split_sentences(text))
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


# --- finding the quoted spans -----------------------------------------------------------


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """The spans between quotation marks, paragraph by paragraph, in text order.

    Straight marks are told apart by what touches them (an opening mark follows a space and
    precedes a word). A paragraph that opens a quotation and never closes it, followed by one
    that opens with a mark, is the news convention for a quotation running on.
    """
    spans: list[QuoteSpan] = []
    paragraph = pos = 0
    left_open = False
    for line in text.split("\n"):
        if line.strip():
            pairs, still_open = _pair_marks(line, _MARK)
            if _is_headline(line):
                pairs = sorted(pairs + _pair_marks(line, _SINGLE_MARK)[0])
            for opening, closing, outer_end in pairs:
                continues = left_open and opening == 0
                span = _trimmed_span(text, pos + opening, pos + closing, pos + outer_end)
                if span is not None:
                    spans.append(_with(span, paragraph, continues))
            left_open = still_open
            paragraph += 1
        pos += len(line) + 1
    return spans


def _with(span: tuple[int, int, int, int, bool], paragraph: int, continues: bool) -> QuoteSpan:
    outer_start, start, end, outer_end, sentence_like = span
    return QuoteSpan(outer_start, outer_end, start, end, paragraph, sentence_like, continues)


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


def _trimmed_span(
    text: str, outer_start: int, closing: int, outer_end: int
) -> tuple[int, int, int, int, bool] | None:
    inner = text[outer_start + 1 : closing]
    words = inner.lstrip(" \t\"'“‘")
    start = closing - len(words)
    end = start + len(words.rstrip(_TRAILING))
    if start >= end or not _HAS_WORD.search(text, start, end):
        return None
    spoken = words.rstrip()
    sentence_like = words[0].isupper() and spoken[-1] in ".!?"
    return outer_start, start, end, outer_end, sentence_like


# --- crediting speakers -----------------------------------------------------------------


@dataclass
class _Subject:
    speaker: str | None
    person: bool = False
    role: tuple[str, ...] = ()  # a role nobody had been introduced with yet ("NATO chief says")


@dataclass
class _Credit:
    speaker: str | None = None
    attributed: bool = False  # its own sentence gives it to someone, named or not
    not_speech: bool = False
    standalone: bool = False  # the quotation is its whole sentence
    role: tuple[str, ...] = ()
    last_speaker: tuple[str | None, int] | None = None  # who spoke last when it was read


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
    the names are read (people are introduced there), which keeps an article under a
    millisecond. After the last quotation nothing more is needed, unless a role ("NATO chief
    says" in a headline) waits for the person it names.
    """
    registry = SpeakerRegistry()
    credits = [_Credit() for _ in spans]
    last_speaker: tuple[str | None, int] | None = None
    last_span = spans[-1].outer_start
    for unit in _group_into_units(sentences, spans):
        if unit.start > last_span and not any(c.role and c.speaker is None for c in credits):
            break
        if not unit.spans and (unit.start > last_span or not _has_speaking_verb(text, unit)):
            _read_names_only(text, unit, registry)
            continue
        reading = _read_unit(text, unit, spans, registry)
        verbs = _speaking_verbs(reading)
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


_TAIL = re.compile(r"(?:[A-Z][\w'’-]*|he|she|they)(?: [\w'’-]+){0,3} ([a-z]+)\.?")


def _is_attribution_tail(unit: _Unit, sentence: Sentence) -> bool:
    """ "I was a rusty wartime pilot..." Hailey later recalled.: the splitter cut before the
    speaker, since the quotation ended in an ellipsis or a full stop."""
    if not unit.spans or unit.paragraph != sentence.paragraph:
        return False
    match = _TAIL.fullmatch(sentence.text)
    return match is not None and match.group(1) in _SPEAKING_VERBS


@dataclass
class _Reading:
    tokens: list[Token]
    mentions: dict[int, Mention]  # by the index of a name's last token
    clause_starts: list[int]
    registry: SpeakerRegistry


def _read_unit(
    text: str, unit: _Unit, spans: list[QuoteSpan], registry: SpeakerRegistry
) -> _Reading:
    tokens: list[Token] = []
    pos = unit.start
    for index in unit.spans:
        span = spans[index]
        tokens += tokenize(text, pos, span.outer_start)
        words = text[span.start : span.end]
        tokens.append(Token(words, words.lower(), span.outer_start, QUOTE, quote=index))
        pos = max(pos, span.outer_end)
    tokens += tokenize(text, pos, unit.end)
    offsets = {_clause_start(text, start, end) for start, end in unit.sentences}
    clause_starts = [i for i, token in enumerate(tokens) if token.start in offsets]
    # "... won in Madrid, but McIlroy is unfazed": a new clause with its own subject
    clause_starts += [
        c + 1
        for c, token in enumerate(tokens[:-1])
        if token.lower in ("but", ";") and _opens_clause(tokens[c + 1])
    ]
    clause_starts.sort()
    mentions = registry.read_mentions(tokens, set(clause_starts))
    return _Reading(tokens, mentions, clause_starts, registry)


def _clause_start(text: str, start: int, end: int) -> int:
    """Where a sentence's main clause begins: after "But", after "In it," and the like."""
    match = _LEADING_CONJUNCTIONS.match(text, start, end)
    pos = match.end() if match else start
    word = _FIRST_WORD.match(text, pos, end)
    if word is not None and word.group().lower() in _INTRO_WORDS:
        comma = text.find(",", pos, end)
        if comma >= 0:
            pos = comma + 1
            while pos < end and text[pos] == " ":
                pos += 1
    return pos


def _has_speaking_verb(text: str, unit: _Unit) -> bool:
    words = text[unit.start : unit.end].translate(_PUNCTUATION_TO_SPACE).split()
    return not _ALL_SPEAKING_WORDS.isdisjoint(words)


def _may_name_someone(text: str, match: re.Match[str], registry: SpeakerRegistry) -> bool:
    """A lone capitalised word names someone only if it is a name already met ("Rutte") or
    follows a role ("chief Rutte"); "The", "Ukraine" or "Monday" need no closer reading."""
    word = match.group().removesuffix("'s").removesuffix("’s")
    if word.lower() in STOPWORDS:
        return False
    if registry.knows(word) or word.lower() in HONORIFICS:
        return True
    before = _LAST_WORD.search(text, max(0, match.start() - 30), match.start())
    return before is not None and bool(role_head(before.group(1).lower()))


def _read_names_only(text: str, unit: _Unit, registry: SpeakerRegistry) -> None:
    """Meet the people a sentence names, reading only the words around each name."""
    offsets = {_clause_start(text, start, end) for start, end in unit.sentences}
    windows: list[list[int]] = []
    for match in _CAPITALISED_RUN.finditer(text, unit.start, unit.end):
        if " " not in match.group() and not _may_name_someone(text, match, registry):
            continue
        start, end = max(unit.start, match.start() - 40), min(unit.end, match.end() + 3)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    for start, end in windows:
        if start > unit.start and not text[start - 1].isspace():
            start = _WORD_REST.match(text, start).end()  # type: ignore[union-attr]
        end = _WORD_REST.match(text, end).end()  # type: ignore[union-attr]
        tokens = tokenize(text, start, min(end, unit.end))
        clause_starts = {i for i, token in enumerate(tokens) if token.start in offsets}
        registry.read_mentions(tokens, clause_starts)


def _opens_clause(token: Token) -> bool:
    return token.lower in PRONOUNS or token.kind == WORD and token.text[0].isupper()


def _speaking_verbs(reading: _Reading) -> list[tuple[int, _Subject | None]]:
    """Each speaking verb (or ``Name: "..."``) in the unit, with whoever it gives words to."""
    tokens = reading.tokens
    verbs: list[tuple[int, _Subject | None]] = []
    previous: _Subject | None = None
    candidates = [v for v, t in enumerate(tokens) if t.text in _VERB_OR_MARK or t.kind == QUOTE]
    for v in candidates:
        token = tokens[v]
        found, subject = False, None
        if token.kind == WORD:
            if token.lower in _PARTICIPLES:
                found, subject = True, previous or _clause_subject(reading, v)
            elif token.lower in _SPEAKING_VERBS:
                found, subject = _finite_verb_subject(reading, v, previous)
            elif token.lower == "according" and _lower_at(tokens, v + 1) == "to":
                found, subject = True, _subject_after(reading, v + 2)
        elif (token.kind == QUOTE or token.text == ":") and _names_speaker_directly(reading, v):
            named = _name_ending_at(reading, v - 1)
            found, subject = True, _from_mention(reading, named) if named else None
        if found:
            verbs.append((v, subject))
            previous = subject or previous
    return verbs


def _names_speaker_directly(reading: _Reading, v: int) -> bool:
    """``Rutte: "..."`` and ``Richard Thomas "totally condemned" ...``."""
    tokens, mention = reading.tokens, _name_ending_at(reading, v - 1)
    if mention is None or mention.possessive or mention.name is None:
        return False
    if mention.first not in reading.clause_starts:
        return False  # "Dr Fox told BBC Radio: ...": BBC Radio is not the speaker
    if tokens[v].text == ":":
        return v + 1 < len(tokens) and tokens[v + 1].kind == QUOTE
    return tokens[v].kind == QUOTE and tokens[v].text[:1].islower() and mention.person


def _finite_verb_subject(
    reading: _Reading, v: int, previous: _Subject | None
) -> tuple[bool, _Subject | None]:
    tokens = reading.tokens
    inverted = _inverted_subject(reading, v)
    if inverted is not None:
        return True, inverted
    i = _skip_adverbials(tokens, v - 1)
    if i < 0:
        return tokens[v].lower not in _NOUN_LIKE, None
    if tokens[i].lower in _BE:  # passive: "was asked by journalists"
        return (
            (True, _subject_after(reading, v + 2))
            if _lower_at(tokens, v + 1) == "by"
            else (
                False,
                None,
            )
        )
    if tokens[i].lower in ("and", "but", "or") and i + 1 not in reading.clause_starts:
        return True, previous or _clause_subject(reading, v)
    subject = _subject_ending_at(reading, i, allow_apposition=True)
    if tokens[v].lower in _NOUN_LIKE and not _is_named_subject(tokens[i], subject):
        return False, None  # "recent comments in a newspaper", "phone calls"
    return True, subject


def _is_named_subject(token: Token, subject: _Subject | None) -> bool:
    if subject is None:
        return False
    if subject.speaker is not None or subject.role:
        return True
    return token.lower in PRONOUNS or is_unnamed_subject(token.lower)


def _skip_adverbials(tokens: list[Token], i: int) -> int:
    """Step back over "had earlier", "on Monday", "in a statement" between subject and verb."""
    while i >= 0:
        word = tokens[i].lower
        if word in _AUXILIARIES:
            i -= 1
        elif word in _TIMES and _lower_at(tokens, i - 1) in ("on", "last", "this", "late"):
            i -= 2
        elif word in _OCCASIONS and _lower_at(tokens, i - 1) in _DETERMINERS:
            if _lower_at(tokens, i - 2) != "in":
                break
            i -= 3
        else:
            break
    return i


def _lower_at(tokens: list[Token], i: int) -> str:
    return tokens[i].lower if 0 <= i < len(tokens) else ""


def _subject_ending_at(reading: _Reading, i: int, allow_apposition: bool) -> _Subject | None:
    token = reading.tokens[i]
    if token.lower in PRONOUNS:
        return _Subject(reading.registry.resolve_pronoun(token.start), True)
    if token.kind == WORD and is_unnamed_subject(token.lower):
        return _Subject(None)
    mention = _name_ending_at(reading, i)
    if mention is not None and not mention.possessive:
        return _subject_from_name(reading, mention, allow_apposition)
    if token.text in _COMMAS and allow_apposition:
        named = reading.mentions.get(i - 1)
        if named is not None and named.person and not named.possessive:
            return _from_mention(reading, named)  # "the play's organiser, Sarah Mukasa, told"
        comma = _apposition_start(reading, i)
        return _subject_ending_at(reading, comma - 1, False) if comma > 0 else None
    if token.kind == WORD and token.text[0].islower():
        return _Subject(None)  # "officials said", "the company said"
    return None


def _subject_from_name(reading: _Reading, mention: Mention, allow_more: bool) -> _Subject | None:
    """The name before a verb, unless it only says where the speaker works: "a spokeswoman
    for Human Rights Watch said", "Colin Asplin, Blackpool Hotel Association said"."""
    before = mention.first - 1
    if _lower_at(reading.tokens, before) in _DETERMINERS:
        before -= 1
    if allow_more and _lower_at(reading.tokens, before) in _PREPOSITIONS and before > 0:
        return _subject_ending_at(reading, before - 1, allow_apposition=False)
    if allow_more and not mention.person and mention.name is not None:
        named = _person_before_comma(reading, mention.first)
        if named is not None:
            return _from_mention(reading, named)
    return _from_mention(reading, mention)


def _person_before_comma(reading: _Reading, i: int) -> Mention | None:
    start = max((c for c in reading.clause_starts if c <= i), default=0)
    for c in range(i - 1, max(start, i - 15), -1):
        token = reading.tokens[c]
        if token.kind == QUOTE:
            return None
        if token.text in _COMMAS:
            named = reading.mentions.get(c - 1)
            return named if named is not None and named.person and not named.possessive else None
    return None


def _apposition_start(reading: _Reading, i: int) -> int:
    """The comma opening ", who races in Birmingham," or ", the NATO chief," before a verb.

    Commas inside the aside ("whose films include Schindler's List, Michael Collins and ...")
    are passed over: the opening one is the farthest that starts an aside, and the first whose
    name before it is a person's.
    """
    tokens = reading.tokens
    mark = tokens[i].text
    nearest = -1
    fitting: list[int] = []
    for c in range(i - 1, max(i - 30, 0), -1):
        if tokens[c].kind == QUOTE:
            break
        if tokens[c].text != mark:
            continue
        nearest = c if nearest < 0 else nearest
        opener = tokens[c + 1].lower
        if opener in _APPOSITION_OPENERS or role_head(opener) or role_head(tokens[i - 1].lower):
            fitting.append(c)
            named = reading.mentions.get(c - 1)
            if named is not None and named.person:
                return c
    return fitting[0] if fitting else nearest


def _inverted_subject(reading: _Reading, v: int) -> _Subject | None:
    """ "...," said Greene, who ... / "...," said economy minister Heizo Takenaka.

    The name may come a few words after the verb ("said Gartner's principal analyst Kobita
    Desai"), but it must end the clause: in "..., said Putin was", Putin is not the speaker.
    """
    tokens = reading.tokens
    if tokens[v].lower not in _INVERTIBLE:
        return None  # "..., told the BBC's Focus on Africa programme": an object, not a subject
    if v > 0 and tokens[v - 1].text != "," and tokens[v - 1].kind != QUOTE:
        return None
    for k in range(v + 1, min(v + 7, len(tokens))):
        token = tokens[k]
        mention = _name_starting_at(reading, k)
        if mention is not None and not mention.possessive and _ends_clause(tokens, mention.last):
            return _from_mention(reading, mention)
        if token.kind != WORD and token.text != "," or token.lower in _NOT_BEFORE_NAME:
            return None
    return None


def _ends_clause(tokens: list[Token], last: int) -> bool:
    after = tokens[last + 1] if last + 1 < len(tokens) else None
    return after is None or after.kind != WORD or after.lower in _AFTER_NAME


def _subject_after(reading: _Reading, k: int) -> _Subject | None:
    """ "according to X", "asked by X"."""
    tokens = reading.tokens
    k += 1 if _lower_at(tokens, k) == "the" else 0
    mention = _name_starting_at(reading, k)
    if mention is None:
        return _Subject(None)
    after = _lower_at(tokens, mention.last + 1)
    if after[:1].isalpha() and after == tokens[mention.last + 1].text:
        return _Subject(None)  # "according to Ukrainian intelligence": not a name
    return _from_mention(reading, mention)


def _clause_subject(reading: _Reading, v: int) -> _Subject | None:
    """Who the clause around a participle ("..., adding that") or a second verb is about."""
    k = max((c for c in reading.clause_starts if c <= v), default=0)
    token = reading.tokens[k]
    if token.lower in PRONOUNS:
        return _Subject(reading.registry.resolve_pronoun(token.start), True)
    mention = next((m for m in reading.mentions.values() if m.first <= k <= m.last), None)
    mention = mention or lone_name(reading.tokens, k)
    if mention is None or mention.possessive:
        return None
    return _from_mention(reading, mention)


def _name_ending_at(reading: _Reading, i: int) -> Mention | None:
    return reading.mentions.get(i) or lone_name(reading.tokens, i)


def _name_starting_at(reading: _Reading, k: int) -> Mention | None:
    mention = next((m for m in reading.mentions.values() if m.first == k), None)
    return mention or lone_name(reading.tokens, k)


def _from_mention(reading: _Reading, mention: Mention) -> _Subject:
    if mention.name is not None:
        if mention.person:
            reading.registry.note_subject(mention.name, mention.offset)
        return _Subject(mention.name, mention.person)
    reading.registry.note_unnamed_subject(mention.offset)
    indefinite = mention.first > 0 and reading.tokens[mention.first - 1].lower in ("a", "an")
    return _Subject(None, role=() if indefinite else mention.role)


def _credit_from_sentence(
    reading: _Reading,
    q: int,
    verbs: list[tuple[int, _Subject | None]],
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
    return (
        spans[a].paragraph == spans[b].paragraph and spans[b].outer_start - spans[a].outer_end <= 1
    )


# --- what is not speech -------------------------------------------------------------------


def _is_not_speech(
    tokens: list[Token], q: int, span: QuoteSpan, credit: _Credit, speaker_is_person: bool
) -> bool:
    """Scare quotes, titles and nicknames: quoted, but nobody is saying them."""
    before = tokens[q - 1] if q > 0 else None
    before2 = tokens[q - 2] if q > 1 else None
    after = tokens[q + 1] if q + 1 < len(tokens) else None
    words = tokens[q].text.split()
    if before is not None and before.lower == "so-called":
        return True
    capitalised = words[0][:1].isupper() or words[0][:1].isdigit()
    before3 = tokens[q - 3] if q > 2 else None
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
