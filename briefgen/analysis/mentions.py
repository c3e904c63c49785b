"""The names and role phrases in a stretch of tokens, read in article order.

"NATO chief Mark Rutte", "the secretary-general", "Mr Thomas", "Rutte's": each run of
capitalised words and role words is read as a `Mention` and handed to the `SpeakerRegistry`
(`names`), which introduces the people and resolves the references back to them. Sentences
with no quotation and no speaking verb are read only around their names (`read_names_only`):
people are introduced there, but reading every word would cost more than the rest of the
article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from briefgen.analysis.names import (
    CONNECTORS,
    HONORIFICS,
    NOT_PERSON,
    ORGANISATION_WORDS,
    ROLE_WORDS,
    STOPWORDS,
    Salience,
    SpeakerRegistry,
    is_namey,
    looks_like_person_name,
    role_head,
)
from briefgen.analysis.tokens import WORD, Token, lower_at, tokenize, word_set

# Capitalised only at the start of a sentence ("Officials said"): people, but no name.
_COMMON_SUBJECTS = word_set(
    "officials police analysts critics experts sources witnesses residents researchers "
    "scientists doctors ministers lawmakers protesters campaigners investors economists "
    "observers diplomats authorities officers troops soldiers voters fans parents teachers "
    "students workers unions prosecutors judges organisers organizers engineers staff "
    "spokesmen spokeswomen reports britons americans europeans"
)
DETERMINERS = word_set("a an the his her their its")
# A sentence opening with one of these has its subject after the first comma.
_INTRO_WORDS = word_set(
    "after before during following in on at as when while speaking asked earlier later despite "
    "although though since with without under by for from amid if once until addressing "
    "writing last unlike like realising realizing"
)
# A name in a sentence read only for its names; role words before it are within a few words.
_CAPITALISED_RUN = re.compile(
    r"[A-Z][\w'’.-]*(?:\s(?:(?:of|de|van|von|der|bin|al) )?[A-Z][\w'’.-]*)*"
)
_WORD_OR_HYPHEN = re.compile(r"[\w-]+")
_LEADING_CONJUNCTIONS = re.compile(
    r"(?:(?:But|And|So|Yet|However|Meanwhile|Now|Still|Also|Then|Or)\b,?\s+)*"
)
_JOINERS = CONNECTORS | {"&", "for"}
_PRONOUN_SUBJECT = re.compile(r"(?:[Hh]e|[Ss]he)\b")
_FIRST_WORD = re.compile(r"[\w'’-]+")


@dataclass(slots=True)
class Mention:
    """A capitalised name or a role phrase, as tokens ``first..last`` (inclusive)."""

    first: int
    last: int
    offset: int
    name: str | None  # canonical name, when the phrase names someone or something
    person: bool
    role: tuple[str, ...]  # role words said with it, lower case
    possessive: bool


def read_mentions(
    tokens: Sequence[Token], clause_starts: set[int], registry: SpeakerRegistry
) -> dict[int, Mention]:
    """The names and role phrases in ``tokens``, keyed by the index of their last token.

    A lone capitalised word that is nobody's known name ("Ukraine", "Monday") is passed
    over: it cannot be a person, and reading every one costs more than the rest of the
    sentence. Callers that need it as a name make it with `lone_name`.
    """
    mentions: dict[int, Mention] = {}
    count = len(tokens)
    end = 0
    for i in [
        i
        for i, t in enumerate(tokens)
        if t.kind == WORD
        and (t.text[0].isupper() or t.lower in ROLE_WORDS or ("-" in t.lower and is_namey(t)))
    ]:
        if i < end:
            continue  # inside the run just read
        end = i + 1
        while end < count and not tokens[end - 1].possessive:
            token = tokens[end]
            if not (is_namey(token) or (token.lower in _JOINERS and _joins_name(tokens, i, end))):
                break
            end += 1
        if end == i + 1:
            known = _known_by_one_word(tokens, i, clause_starts, registry)
            if known is not None:
                mentions[i] = known
                continue
            if _says_nothing(tokens, i, registry):
                continue
        mention = _read_run(tokens, i, end, clause_starts, registry)
        if mention is not None:
            mentions[end - 1] = mention
    if len(mentions) > 1:
        _link_appositions(tokens, mentions, registry)
    return mentions


def _known_by_one_word(
    tokens: Sequence[Token], i: int, clause_starts: set[int], registry: SpeakerRegistry
) -> Mention | None:
    """ "Rutte", "Putin's": the common case, a surname met before, read the short way."""
    token = tokens[i]
    person = registry.by_surname(token.text)
    if person is None:
        return None
    salience = _salience(tokens, i + 1, i in clause_starts, introduced=False)
    registry.note_reference(token.start, person, salience)
    return Mention(i, i, token.start, person.name, True, (), token.possessive)


def _salience(tokens: Sequence[Token], j: int, subject: bool, introduced: bool) -> Salience:
    """How a name ending before token ``j`` puts its person forward for a later "he".

    A name the clause starts at (or at words just before it: "But Rutte", "The NATO chief")
    is its subject, even as an owner ("Mr Campbell's e-mail suggested"). Elsewhere a name
    said with a role ("opposition leader Keir Starmer", "Aurelio Brandt, director of ...")
    introduces someone; a bare one is named in passing, an owner ("Putin's visit") less.
    """
    if subject:
        return Salience.SUBJECT
    if tokens[j - 1].possessive:
        return Salience.OWNER
    if introduced or _has_apposition(tokens, j):
        return Salience.INTRODUCED
    return Salience.NAMED


def _has_apposition(tokens: Sequence[Token], j: int) -> bool:
    """ "Aurelio Brandt, director of ...", "Trevor Beattie, TBWA's boss," "Greene, who"."""
    if lower_at(tokens, j) != ",":
        return False
    for k in range(j + 1, min(j + 5, len(tokens))):
        token = tokens[k]
        if token.kind != WORD:
            return False
        if token.lower == "who" or role_head(token.lower):
            return True
    return False


def _says_nothing(tokens: Sequence[Token], i: int, registry: SpeakerRegistry) -> bool:
    """A lone word that names nobody: "The", "He" (capitalised because a sentence starts
    there), or a word that is not a name of anyone met nor follows a role ("his wife,
    Sheila")."""
    token = tokens[i]
    if token.lower in STOPWORDS or not is_namey(token):
        return True
    if token.lower in HONORIFICS or role_head(token.lower) or _follows_role(tokens, i):
        return False
    return not registry.knows(token.text)


def _follows_role(tokens: Sequence[Token], i: int) -> bool:
    """ "said his wife, Sheila": a name in apposition to a role is a person's."""
    return lower_at(tokens, i - 1) == "," and bool(role_head(lower_at(tokens, i - 2)))


def _joins_name(tokens: Sequence[Token], i: int, j: int) -> bool:
    """ "Republic of Korea", "Ludwig van Beethoven": a small word between capitals; "for"
    and "&" only in the name of a body ("Centre for Strategic Studies", "Finch & Harlow").

    Not the "of" in "Nick Van den Brul of BNP Paribas": after a person's name it starts
    where they work.
    """
    if j + 1 >= len(tokens) or not (tokens[j + 1].kind == WORD and tokens[j + 1].text[0].isupper()):
        return False
    if tokens[j].lower in ("&", "for"):  # "Brenner & Vasquez", "Institute for Climate Risk"
        return tokens[j].lower == "&" or tokens[j - 1].lower in NOT_PERSON
    if tokens[j].lower not in CONNECTORS:
        return False
    so_far: list[str] = []
    for token in tokens[i:j]:
        if role_head(token.lower) or token.lower in HONORIFICS:
            so_far = []
        elif token.lower not in STOPWORDS:
            so_far.append(token.text)
    return tokens[j].lower != "of" or not looks_like_person_name(so_far)


def _read_run(
    tokens: Sequence[Token], i: int, j: int, clause_starts: set[int], registry: SpeakerRegistry
) -> Mention | None:
    """One run of capitalised words and role words: "NATO chief Mark Rutte", "The NATO
    chief", "Mr Thomas", "South Korea". The role is what comes up to the last role word."""
    k = i
    while k < j and (tokens[k].lower in STOPWORDS or tokens[k].lower in CONNECTORS):
        k += 1
    if k == j:
        return None
    last_role = -1
    for m in range(j - 1, k - 1, -1):
        if tokens[m].lower in HONORIFICS or role_head(tokens[m].lower):
            last_role = m
            break
    role = tuple(t.lower for t in tokens[k : last_role + 1] if t.lower not in HONORIFICS)
    if role and not tokens[k].text[0].isupper():
        role = _role_modifiers_before(tokens, k) + role
    words = [t.text for t in tokens[max(k, last_role + 1) : j]]
    if role and words and words[0] in CONNECTORS:  # "the Bishop of Durham": all role
        role = role[:-1] + tuple(w.lower() for w in words) + role[-1:]
        words = []
    possessive = tokens[j - 1].possessive
    offset = tokens[k].start
    if words:
        honorific = next(
            (tokens[m].lower for m in range(k, j) if tokens[m].lower in HONORIFICS), ""
        )
        after_the = lower_at(tokens, k - 1 if k > i else i - 1) == "the"
        introduces = bool(honorific) or bool(role) or _follows_role(tokens, i)
        person = registry.person_named(words, role, introduces, honorific)
        if person is None and not after_the:
            person = registry.person_shaped(words)
        if person is None:
            body = " ".join(words)
            if not ORGANISATION_WORDS.isdisjoint(word.lower() for word in words):
                body = registry.note_body(body, offset, spoke=False)  # "the company" later
            return Mention(i, j - 1, offset, body, False, role, possessive)
        subject = any(m in clause_starts for m in range(i, k + 1))
        salience = _salience(tokens, j, subject, introduced=bool(role))
        registry.note_reference(offset, person, salience)
        return Mention(i, j - 1, offset, person.name, True, role, possessive)
    if not role:
        return None
    if lower_at(tokens, j) == "," and _is_namey_after(tokens, j + 1):
        return Mention(i, j - 1, offset, None, False, role, possessive)  # named just after
    person = registry.person_for_role(role, offset, definite=_is_definite(tokens, k))
    if person is not None:
        subject = any(m in clause_starts for m in range(i, k + 1))
        registry.note_reference(offset, person, _salience(tokens, j, subject, introduced=False))
    name = person.name if person else None
    return Mention(i, j - 1, offset, name, person is not None, role, possessive)


def _link_appositions(
    tokens: Sequence[Token], mentions: dict[int, Mention], registry: SpeakerRegistry
) -> None:
    """ "The Bishop of Durham, the Rt Rev Dr Tom Wright," and "Mark Rutte, the NATO
    chief,": the role and the name are one person, and the role is theirs from now on."""
    ordered = sorted(mentions.values(), key=lambda m: m.first)
    for left, right in pairwise(ordered):
        between = tokens[left.last + 1 : right.first]
        if not between or between[0].text != ",":
            continue
        if any(t.lower not in DETERMINERS for t in between[1:]):
            continue
        named, role_only = (
            (left, right)
            if right.name is None or not right.person
            else (
                right,
                left,
            )
        )
        if not named.person or named.name is None or role_only.possessive:
            continue
        if (role_only.name is not None and role_only.person) or not role_only.role:
            continue
        registry.add_role(named.name, role_only.role)
        mentions[role_only.last] = Mention(
            role_only.first,
            role_only.last,
            role_only.offset,
            named.name,
            True,
            role_only.role,
            False,
        )


def _role_modifiers_before(tokens: Sequence[Token], k: int) -> tuple[str, ...]:
    """The words before a lower-case role: "Lib Dem constitutional affairs committee"."""
    words: list[str] = []
    m = k - 1
    while m >= 0 and len(words) < 4:
        token = tokens[m]
        if token.kind != WORD or token.possessive or token.lower in STOPWORDS:
            break
        if token.lower[0].isdigit():
            break
        words.append(token.lower)
        m -= 1
    return tuple(reversed(words))


def _is_definite(tokens: Sequence[Token], k: int) -> bool:
    """ "the NATO chief", "the world indoor champion", "the European cross-country
    champion": "the" a few describing words before the role."""
    for m in range(k - 1, max(k - 5, -1), -1):
        token = tokens[m]
        if token.lower == "the":
            return True
        if token.kind != WORD or token.possessive or token.lower in STOPWORDS:
            return False
    return False


def lone_name(tokens: Sequence[Token], i: int) -> Mention | None:
    """The capitalised word at ``i`` as the name of something ("Google said"), when
    `read_mentions` passed it over."""
    token = tokens[i] if 0 <= i < len(tokens) else None
    if token is None or token.kind != WORD or not token.text[0].isupper():
        return None
    if token.lower in STOPWORDS or token.lower in _COMMON_SUBJECTS:
        return None
    return Mention(i, i, token.start, token.text, False, (), token.possessive)


def _is_namey_after(tokens: Sequence[Token], i: int) -> bool:
    if lower_at(tokens, i) in DETERMINERS:
        i += 1
    return i < len(tokens) and is_namey(tokens[i])


def read_names_only(
    text: str, sentences: Sequence[tuple[int, int]], registry: SpeakerRegistry
) -> None:
    """Meet the people some sentences name, reading only the words around each name.

    For sentences whose speaking verbs, if any, credit no quotation: people are introduced
    there, but tokenising every word would cost more than the rest of the article. A "he" or
    "she" opening a clause is resolved too, so that the next "he said" follows it.
    """
    start, end = sentences[0][0], sentences[-1][1]
    registry.note_sentences(start for start, _ in sentences)
    offsets = {clause_start(text, a, b) for a, b in sentences}
    windows: list[list[int]] = []
    for match in _CAPITALISED_RUN.finditer(text, start, end):
        if " " not in match.group() and not _may_name_someone(text, match, registry):
            continue
        window = [max(start, match.start() - 40), min(end, match.end() + 3)]
        if windows and window[0] <= windows[-1][1]:
            windows[-1][1] = window[1]
        else:
            windows.append(window)
    for left, right in windows:
        if left > start and not text[left - 1].isspace():
            left = _end_of_word(text, left)
        tokens = tokenize(text, left, min(_end_of_word(text, right), end))
        clause_starts = {i for i, t in enumerate(tokens) if t.start in offsets}
        read_mentions(tokens, clause_starts, registry)
    for offset in sorted(offsets):  # "He arrived in Kyiv": he is still the one to follow
        pronoun = _PRONOUN_SUBJECT.match(text, offset)
        if pronoun:
            registry.resolve_pronoun(offset, pronoun.group().lower())


def _end_of_word(text: str, pos: int) -> int:
    while pos < len(text) and not text[pos].isspace():
        pos += 1
    return pos


def clause_start(text: str, start: int, end: int) -> int:
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


def _may_name_someone(text: str, match: re.Match[str], registry: SpeakerRegistry) -> bool:
    """A lone capitalised word names someone only if it is a name already met ("Rutte") or
    follows a role ("chief Rutte"); "The", "Ukraine" or "Monday" need no closer reading."""
    word = match.group()
    if word.lower() in STOPWORDS:
        return False  # the common case: a sentence's first word
    word = word.removesuffix("'s").removesuffix("’s")
    lower = word.lower()
    if lower in STOPWORDS:
        return False
    if registry.knows(word) or lower in HONORIFICS:
        return True
    at = match.start()
    if at == 0 or not text[at - 1].isspace():
        return False
    before = _last_word(text, max(0, at - 30), at)
    return bool(before) and bool(role_head(before.lower()))


def _last_word(text: str, start: int, end: int) -> str:
    """The word just before the white space that ends ``text[start:end]``: what a search for
    ``([\\w-]+)\\s+$`` finds, without trying every position."""
    piece = (text[start:end].rsplit(None, 1) or [""])[-1]
    cut = len(piece)
    while cut > 0 and _WORD_OR_HYPHEN.fullmatch(piece, cut - 1, cut):
        cut -= 1
    return piece[cut:]
