"""Whom a speaking verb gives words to: reading a sentence for who speaks in it.

In a sentence whose quotations are masked into single tokens, find each speaking verb ("said",
"adding that", "according to", "Rutte: ...") and its subject: before it ("Rutte said"), after
it (""...," said Greene"), across an aside ("Rutte, the NATO chief, said") or shared with the
verb before ("said ... and called for"). Names are read by `mentions` and resolved to people by
the `SpeakerRegistry`; a pronoun subject ("he said") is resolved there too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.analysis.mentions import (
    DETERMINERS,
    Mention,
    clause_start,
    lone_name,
    read_mentions,
)
from briefgen.analysis.names import BODY_NOUNS, SpeakerRegistry, role_head
from briefgen.analysis.tokens import QUOTE, WORD, Token, lower_at, word_set

_PRONOUNS = word_set("he she")
_UNNAMED_SUBJECTS = word_set("they we i it you who which this that there one")

# --- words of the grammar of speaking

SPEAKING_VERBS = word_set(
    "said says say told tells added adds warned warns warn stated states insisted insists "
    "insist claimed claims claim noted notes wrote writes asked asks urged urges urge called "
    "calls vowed vows decried decries explained explains argued argues stressed stresses "
    "declared declares announced announces admitted admits commented comments remarked "
    "replied replies responded conceded concedes suggested suggests acknowledged confirmed "
    "confirms predicted predicts promised promises pledged complained complains condemned "
    "condemns described describes recalled recalls joked quipped tweeted maintained maintains "
    "reiterated cautioned demanded accused criticised criticized praised hailed welcomed "
    "dismissed denied denies believes believe remembered accuse accuses"
)
# Verbs that can come before their subject: "...," said Greene. Not "told": in "..., told
# the BBC's Focus programme" what follows is its object.
_INVERTIBLE = word_set(
    "said says added adds asked asks warned warns wrote writes explained explains insisted "
    "insists noted notes stated states declared argued argues stressed stresses continued "
    "continues replied replies responded recalled recalls admitted admits conceded concedes "
    "claimed claims commented remarked joked quipped concluded"
)
# "saying", "adding that": the speaker is whoever the clause is about.
_PARTICIPLES = word_set(
    "saying adding insisting warning noting explaining arguing stressing claiming calling "
    "describing urging declaring telling writing asking accusing promising vowing announcing "
    "admitting suggesting"
)
# Also nouns ("the claims", "phone calls"): they count only with a subject in front.
_NOUN_LIKE = word_set("calls claims claim comments notes promises states say believe")
_ALL_SPEAKING_WORDS = SPEAKING_VERBS | _PARTICIPLES | {"according"}
_VERB_OR_MARK = _ALL_SPEAKING_WORDS | {":"}  # lower-case as written: "Said" opens a name
# Between a subject and its verb: "Rutte has also said", "Rutte on Monday said".
_AUXILIARIES = word_set(
    "also later then earlier previously once again recently repeatedly reportedly publicly "
    "privately today yesterday tonight subsequently simply only just already never always "
    "often has had have will would could should may might must can did does do not"
)
_TIMES = word_set(
    "monday tuesday wednesday thursday friday saturday sunday morning afternoon evening night "
    "week month year weekend"
)
_OCCASIONS = word_set("statement interview letter speech post tweet message briefing")
_BE = word_set("was were is are been being be")
_NOT_BEFORE_NAME = word_set("that was is were are has had it to in on he she they we i there this")
_AFTER_NAME = word_set("on in who of at from")
_COMMAS = frozenset(",-–—")
_PREPOSITIONS = word_set("of for at from")
_SPEAKING_FOR = word_set("spokeswoman spokesman spokesperson")  # "a spokeswoman for X": X's words
_APPOSITION_OPENERS = word_set("who whose which the a an former now then himself herself")
_PUNCTUATION_TO_SPACE = str.maketrans({mark: " " for mark in ',.;:!?()"“”'})


@dataclass(slots=True)
class Subject:
    """Who a speaking verb gives words to: a name, or nobody the article names."""

    speaker: str | None
    person: bool = False
    role: tuple[str, ...] = ()  # a role nobody had been introduced with yet ("NATO chief says")


@dataclass(slots=True)
class Reading:
    """A stretch of sentences read word by word, quotations masked into single tokens."""

    tokens: list[Token]
    mentions: dict[int, Mention]  # by the index of a name's last token
    clause_starts: list[int]
    registry: SpeakerRegistry


def read_sentences(
    text: str, tokens: list[Token], sentences: Sequence[tuple[int, int]], registry: SpeakerRegistry
) -> Reading:
    """Read ``tokens`` (the words of ``sentences``, as (start, end) offsets in ``text``): meet
    the people named in them and note where each clause begins."""
    registry.note_sentences(start for start, _ in sentences)
    offsets = {clause_start(text, start, end) for start, end in sentences}
    clause_starts: list[int] = []
    after_but = False  # "... won in Madrid, but McIlroy is unfazed": a clause of its own
    for i, token in enumerate(tokens):
        if token.start in offsets or (after_but and _opens_clause(token)):
            clause_starts.append(i)
        after_but = token.lower == "but" or token.lower == ";"
    mentions = read_mentions(tokens, set(clause_starts), registry)
    return Reading(tokens, mentions, clause_starts, registry)


def has_speaking_verb(text: str, start: int, end: int) -> bool:
    words = text[start:end].translate(_PUNCTUATION_TO_SPACE).split()
    return not _ALL_SPEAKING_WORDS.isdisjoint(words)


def _opens_clause(token: Token) -> bool:
    return token.lower in _PRONOUNS or (token.kind == WORD and token.text[0].isupper())


def speaking_verbs(reading: Reading) -> list[tuple[int, Subject | None]]:
    """Each speaking verb (or ``Name: "..."``) read, as (token index, whom it gives words to).

    A verb with no subject of its own ("... and called for", "adding that") shares the one
    before it; a subject found but unnamed ("officials said") is a `Subject` with no speaker.
    """
    tokens = reading.tokens
    verbs: list[tuple[int, Subject | None]] = []
    previous: Subject | None = None
    candidates = [v for v, t in enumerate(tokens) if t.text in _VERB_OR_MARK or t.kind == QUOTE]
    for v in candidates:
        token = tokens[v]
        found, subject = False, None
        if token.kind == WORD:
            if token.lower in _PARTICIPLES:
                found, subject = True, previous or _clause_subject(reading, v)
            elif token.lower in SPEAKING_VERBS:
                found, subject = _finite_verb_subject(reading, v, previous)
            elif token.lower == "according" and lower_at(tokens, v + 1) == "to":
                found, subject = True, _subject_after(reading, v + 2)
        elif (token.kind == QUOTE or token.text == ":") and _names_speaker_directly(reading, v):
            named = _name_ending_at(reading, v - 1)
            found, subject = True, _from_mention(reading, named) if named else None
        if found:
            verbs.append((v, subject))
            previous = subject or previous
    return verbs


def _names_speaker_directly(reading: Reading, v: int) -> bool:
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
    reading: Reading, v: int, previous: Subject | None
) -> tuple[bool, Subject | None]:
    """(is it a speaking verb here, whom it gives words to) for a finite verb at ``v``."""
    tokens = reading.tokens
    inverted = _inverted_subject(reading, v)
    if inverted is not None:
        return True, inverted
    i = _skip_adverbials(tokens, v - 1)
    if i < 0:
        return tokens[v].lower not in _NOUN_LIKE, None
    if tokens[i].lower in _BE:  # passive: "he was asked by journalists", "she was told"
        by_someone = lower_at(tokens, v + 1) == "by"
        return by_someone, _subject_after(reading, v + 2) if by_someone else None
    if tokens[i].lower in ("and", "but", "or") and i + 1 not in reading.clause_starts:
        return True, previous or _clause_subject(reading, v)
    subject = _subject_ending_at(reading, i, allow_apposition=True)
    if tokens[v].lower in _NOUN_LIKE and not _is_named_subject(tokens[i], subject):
        return False, None  # "recent comments in a newspaper", "phone calls"
    return True, subject


def _is_unnamed_subject(word: str) -> bool:
    """ "they said", "it said": someone spoke, but not someone the article names."""
    return word in _UNNAMED_SUBJECTS


def _is_named_subject(token: Token, subject: Subject | None) -> bool:
    if subject is None:
        return False
    if subject.speaker is not None or subject.role:
        return True
    return token.lower in _PRONOUNS or _is_unnamed_subject(token.lower)


def _skip_adverbials(tokens: list[Token], i: int) -> int:
    """Step back over "had earlier", "on Monday", "in a statement" between subject and verb."""
    while i >= 0:
        word = tokens[i].lower
        if word in _AUXILIARIES:
            i -= 1
        elif word in _TIMES and lower_at(tokens, i - 1) in ("on", "last", "this", "late"):
            i -= 2
        elif word in _OCCASIONS and lower_at(tokens, i - 1) in DETERMINERS:
            if lower_at(tokens, i - 2) != "in":
                break
            i -= 3
        else:
            break
    return i


def _subject_ending_at(reading: Reading, i: int, allow_apposition: bool) -> Subject | None:
    token = reading.tokens[i]
    if token.lower in _PRONOUNS:
        return Subject(reading.registry.resolve_pronoun(token.start, token.lower), True)
    if token.lower == "it" and token.kind == WORD:  # the organisation that spoke last
        return _body_subject(reading, token, spoke=True)
    if token.kind == WORD and _is_unnamed_subject(token.lower):
        return Subject(None)
    if token.lower in BODY_NOUNS and lower_at(reading.tokens, i - 1) == "the":
        return _body_subject(reading, token, spoke=False)  # "the company": the one named last
    mention = _name_ending_at(reading, i)
    if mention is not None and not mention.possessive:
        return _subject_from_name(reading, mention, allow_apposition)
    if token.text == ")":  # "Senator Bernie Sanders (I-Vt.) said"
        opening = _opening_bracket(reading.tokens, i)
        return _subject_ending_at(reading, opening - 1, False) if opening > 0 else None
    if token.text in _COMMAS and allow_apposition:
        named = reading.mentions.get(i - 1)
        if named is not None and named.person and not named.possessive:
            return _from_mention(reading, named)  # "the play's organiser, Sarah Mukasa, told"
        if named is not None and named.name and _follows_common_noun(reading.tokens, named.first):
            return _from_mention(reading, named)  # "Okoye's publisher, Finch & Harlow, said"
        comma = _apposition_start(reading, i)
        return _subject_ending_at(reading, comma - 1, False) if comma > 0 else None
    if token.kind == WORD and token.text[0].islower():
        return Subject(None)  # "officials said", "the company said"
    return None


def _body_subject(reading: Reading, token: Token, spoke: bool) -> Subject:
    registry = reading.registry
    body = registry.body_before(token.start, spoke)
    return Subject(registry.note_body(body, token.start, spoke=True) if body else None)


def _follows_common_noun(tokens: list[Token], first: int) -> bool:
    before = tokens[first - 2] if first > 1 else None
    return tokens[first - 1].text == "," and before is not None and before.text.islower()


def _opening_bracket(tokens: list[Token], i: int) -> int:
    for c in range(i - 1, max(i - 12, -1), -1):
        if tokens[c].text == "(":
            return c
    return -1


def _subject_from_name(reading: Reading, mention: Mention, allow_more: bool) -> Subject | None:
    """The name before a verb, unless it only says where the speaker works: "a spokeswoman
    for Human Rights Watch said", "Colin Asplin, Blackpool Hotel Association said"."""
    before = mention.first - 1
    if lower_at(reading.tokens, before) in DETERMINERS:
        before -= 1
    if allow_more and lower_at(reading.tokens, before) in _PREPOSITIONS and before > 0:
        if role_head(lower_at(reading.tokens, before - 1)) in _SPEAKING_FOR and mention.name:
            return _from_mention(reading, mention)  # "a spokeswoman for Human Rights Watch"
        return _subject_ending_at(reading, before - 1, allow_apposition=False)
    if allow_more and not mention.person and mention.name is not None:
        named = _person_before_comma(reading, mention.first)
        if named is not None:
            return _from_mention(reading, named)
    return _from_mention(reading, mention)


def _person_before_comma(reading: Reading, i: int) -> Mention | None:
    start = max((c for c in reading.clause_starts if c <= i), default=0)
    for c in range(i - 1, max(start, i - 15), -1):
        token = reading.tokens[c]
        if token.kind == QUOTE:
            return None
        if token.text in _COMMAS:
            named = reading.mentions.get(c - 1)
            return named if named is not None and named.person and not named.possessive else None
    return None


def _apposition_start(reading: Reading, i: int) -> int:
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
        if tokens[c].kind == QUOTE and not _is_title_like(tokens[c]):
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


def _is_title_like(token: Token) -> bool:
    """ "whose novels include "Harbour Lights" and ...": a short capitalised quotation names
    something inside an aside, and the aside goes on past it."""
    words = token.text.split()
    return len(words) <= 4 and all(word[:1].isupper() for word in words)


def _inverted_subject(reading: Reading, v: int) -> Subject | None:
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
        if (token.kind != WORD and token.text != ",") or token.lower in _NOT_BEFORE_NAME:
            return None
    return None


def _ends_clause(tokens: list[Token], last: int) -> bool:
    after = tokens[last + 1] if last + 1 < len(tokens) else None
    return after is None or after.kind != WORD or after.lower in _AFTER_NAME


def _subject_after(reading: Reading, k: int) -> Subject | None:
    """ "according to X", "asked by X"."""
    tokens = reading.tokens
    k += 1 if lower_at(tokens, k) in DETERMINERS else 0  # "according to his coach, Pavel Rusev"
    mention = _name_starting_at(reading, k)
    if mention is None:
        return Subject(None)
    after = lower_at(tokens, mention.last + 1)
    if after[:1].isalpha() and after == tokens[mention.last + 1].text:
        return Subject(None)  # "according to Ukrainian intelligence": not a name
    return _from_mention(reading, mention)


def _clause_subject(reading: Reading, v: int) -> Subject | None:
    """Who the clause around a participle ("..., adding that") or a second verb is about."""
    k = max((c for c in reading.clause_starts if c <= v), default=0)
    token = reading.tokens[k]
    if token.lower in _PRONOUNS:
        return Subject(reading.registry.resolve_pronoun(token.start, token.lower), True)
    mention = next((m for m in reading.mentions.values() if m.first <= k <= m.last), None)
    mention = mention or lone_name(reading.tokens, k)
    if mention is None or mention.possessive:
        return None
    return _from_mention(reading, mention)


def _name_ending_at(reading: Reading, i: int) -> Mention | None:
    return reading.mentions.get(i) or lone_name(reading.tokens, i)


def _name_starting_at(reading: Reading, k: int) -> Mention | None:
    mention = next((m for m in reading.mentions.values() if m.first == k), None)
    return mention or lone_name(reading.tokens, k)


def _from_mention(reading: Reading, mention: Mention) -> Subject:
    if mention.name is not None:
        if mention.person:
            reading.registry.note_subject(mention.name, mention.offset)
            return Subject(mention.name, True)
        return Subject(reading.registry.note_body(mention.name, mention.offset, spoke=True))
    reading.registry.note_unnamed_subject(mention.offset)
    indefinite = mention.first > 0 and reading.tokens[mention.first - 1].lower in ("a", "an")
    return Subject(None, role=() if indefinite else mention.role)
