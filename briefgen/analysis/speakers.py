"""Who a name, a surname, a title or a pronoun stands for, read in article order.

News copy introduces a person once in full, usually with a role ("NATO chief Mark Rutte"),
then refers back with the surname ("Rutte"), the role ("the NATO chief", "the
secretary-general") or a pronoun ("he"). A quote's speaker must be the one canonical name as
first introduced, so this module reads an article's words in order and keeps just enough to map
those references back: the people met so far, the roles each was introduced with, and which of
them were recently the subject of a sentence (the usual antecedent of "he said").

It works on tokens rather than raw text so that the words inside quotation marks, which are
masked into a single token by the caller, can never look like a name or a speaking verb.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

WORD, PUNCT, QUOTE = "w", "p", "q"

_TOKEN = re.compile(r"\d[\d,.:]*\d|\w+(?:[-'’.]\w+)*|[^\w\s]")


class Token(NamedTuple):
    """A word, a punctuation mark, or a whole quotation (``kind == QUOTE``)."""

    text: str  # for a word: without a possessive 's
    lower: str
    start: int  # offset in the article's plain text
    kind: str
    possessive: bool = False
    quote: int = -1  # for a quotation: its index in the caller's list


def tokenize(text: str, start: int, end: int) -> list[Token]:
    """The words and marks of ``text[start:end]``, with offsets into ``text``."""
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text, start, end):
        word = match.group()
        if not (word[0].isalnum() or word[0] == "_"):
            tokens.append(Token(word, word, match.start(), PUNCT))
        elif word.endswith(("'s", "’s")) and len(word) > 2:
            tokens.append(Token(word[:-2], word[:-2].lower(), match.start(), WORD, True))
        else:
            tokens.append(Token(word, word.lower(), match.start(), WORD))
    return tokens


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The last word of a role said before a name: "NATO chief", "Prime Minister", "England striker".
ROLE_WORDS = _words(
    "president vice-president chancellor minister premier secretary secretary-general chief "
    "leader spokesman spokeswoman spokesperson chairman chairwoman chair co-chairman director "
    "governor senator congressman congresswoman mayor general admiral colonel commander "
    "captain king queen prince princess pope commissioner ambassador envoy judge prosecutor "
    "coach manager boss executive founder attorney-general officer inspector detective "
    "professor analyst economist editor journalist correspondent presenter actor actress "
    "singer star player striker midfielder defender goalkeeper champion author writer "
    "producer chairperson deputy head lawyer attorney solicitor barrister strategist trader "
    "banker consultant researcher scientist expert chancellor commentator critic activist "
    "campaigner adviser advisor spokesperson secretary"
)
HONORIFICS = _words("mr mrs ms miss mx dr prof sir lord lady dame rev")
PRONOUNS = _words("he she")
_UNNAMED_SUBJECTS = _words("they we i it you who which this that there one")
# Capitalised only because they open a sentence; never the start of a name.
STOPWORDS = _words(
    "the a an but and or so yet however meanwhile now still also then after before during "
    "following in on at as when while speaking asked earlier later despite although though "
    "since with without under by for from amid if once until this that these those there here "
    "his her its their our my your we they he she it i what who why how where which some many "
    "all both each every no not more most other such only even just last next first new one "
    "two three instead indeed today yesterday tonight according ex"
)
# Words that make a capitalised run a place or an organisation rather than a person.
_NOT_PERSON = _words(
    "north south east west northern southern eastern western new united republic kingdom "
    "states union council ministry service office party committee commission inquiry act bank "
    "group agency department government house street road university college school court "
    "league cup club fc city county island islands sea river airport news times post journal "
    "corporation corp inc ltd plc company association institute foundation organisation "
    "organization federation forces army navy police parliament assembly senate congress "
    "theatre theater museum hospital church festival awards prize games championship olympics "
    "grand prix world national international security intelligence defence defense affairs "
    "europe european america american africa african asia asian hong kong sri lanka saudi "
    "arabia los angeles san francisco aires tel aviv costa rica monday tuesday wednesday "
    "thursday friday saturday sunday january february march april june july august september "
    "october november december christmas easter"
)
# Adjectives that do not narrow a role: "the former president" is still a president.
_LOOSE_MODIFIERS = _words("former new current outgoing incoming top senior then acting")
_CONNECTORS = _words("de da del van von der den bin al la le du of")
_DETERMINERS = _words("the a an")


@dataclass
class Person:
    name: str  # canonical: the name as first introduced, without title
    roles: list[tuple[str, ...]] = field(default_factory=list)


@dataclass(frozen=True)
class Mention:
    """A capitalised name or a role phrase, as tokens ``first..last`` (inclusive)."""

    first: int
    last: int
    offset: int
    name: str | None  # canonical name, when the phrase names someone or something
    person: bool
    role: tuple[str, ...]  # role words said with it, lower case
    possessive: bool


def role_head(word: str) -> str:
    """ "co-chairman" and "ex-president" are chairmen and presidents."""
    if word in ROLE_WORDS:
        return word
    tail = word.rsplit("-", 1)[-1]
    return tail if tail in ROLE_WORDS else ""


def _is_namey(token: Token) -> bool:
    if token.kind != WORD or token.lower == "i":
        return False
    return token.text[0].isupper() or bool(role_head(token.lower))


def _lower(tokens: Sequence[Token], i: int) -> str:
    return tokens[i].lower if 0 <= i < len(tokens) else ""


def _is_namey_after(tokens: Sequence[Token], i: int) -> bool:
    if _lower(tokens, i) in _DETERMINERS:
        i += 1
    return i < len(tokens) and _is_namey(tokens[i])


def _looks_like_person_name(words: Sequence[str]) -> bool:
    names = [word for word in words if word not in _CONNECTORS]
    return 2 <= len(names) <= 4 and all(
        word[0].isupper() and not word.isupper() and word.lower() not in _NOT_PERSON
        for word in names
    )


class SpeakerRegistry:
    """The people of one article, met in reading order."""

    def __init__(self) -> None:
        self._by_name: dict[str, Person] = {}
        self._by_surname: dict[str, Person] = {}
        self._people: list[Person] = []
        # (offset, person, was the subject of its clause) for every reference to a person
        self._history: list[tuple[int, Person, bool]] = []
        self._nameless_heads: set[str] = set()

    def read_mentions(self, tokens: Sequence[Token], clause_starts: set[int]) -> dict[int, Mention]:
        """Every name and role phrase in ``tokens``, keyed by the index of its last token."""
        mentions: dict[int, Mention] = {}
        i, count = 0, len(tokens)
        while i < count:
            if not _is_namey(tokens[i]):
                i += 1
                continue
            j = i
            while j < count and (_is_namey(tokens[j]) or self._joins_name(tokens, i, j)):
                j += 1
                if tokens[j - 1].possessive:
                    break
            mention = self._read_run(tokens, i, j, clause_starts)
            if mention is not None:
                mentions[j - 1] = mention
            i = j
        self._link_appositions(tokens, mentions)
        return mentions

    @staticmethod
    def _joins_name(tokens: Sequence[Token], i: int, j: int) -> bool:
        """ "Republic of Korea", "Ludwig van Beethoven": a small word between capitals.

        Not the "of" in "Nick Van den Brul of BNP Paribas": after a person's name it starts
        where they work.
        """
        if tokens[j].lower not in _CONNECTORS or j + 1 >= len(tokens):
            return False
        if not (tokens[j + 1].kind == WORD and tokens[j + 1].text[0].isupper()):
            return False
        so_far: list[str] = []
        for token in tokens[i:j]:
            if role_head(token.lower) or token.lower in HONORIFICS:
                so_far = []
            elif token.lower not in STOPWORDS:
                so_far.append(token.text)
        return tokens[j].lower != "of" or not _looks_like_person_name(so_far)

    def _read_run(
        self, tokens: Sequence[Token], i: int, j: int, clause_starts: set[int]
    ) -> Mention | None:
        """One run of capitalised words and role words: "NATO chief Mark Rutte", "The NATO
        chief", "Mr Thomas", "South Korea". The role is what comes up to the last role word."""
        k = i
        while k < j and (tokens[k].lower in STOPWORDS or tokens[k].lower in _CONNECTORS):
            k += 1
        if k == j:
            return None
        last_role = max(
            (m for m in range(k, j) if role_head(tokens[m].lower) or tokens[m].lower in HONORIFICS),
            default=-1,
        )
        role = tuple(t.lower for t in tokens[k : last_role + 1] if t.lower not in HONORIFICS)
        if role and not tokens[k].text[0].isupper():
            role = self._role_modifiers_before(tokens, k) + role
        words = [t.text for t in tokens[max(k, last_role + 1) : j]]
        if role and words and words[0] in _CONNECTORS:  # "the Bishop of Durham": all role
            role = role[:-1] + tuple(w.lower() for w in words) + role[-1:]
            words = []
        possessive = tokens[j - 1].possessive
        offset = tokens[k].start
        subject = not possessive and any(m in clause_starts for m in range(i, k + 1))
        if words:
            honorific = any(tokens[m].lower in HONORIFICS for m in range(k, j))
            after_the = _lower(tokens, k - 1 if k > i else i - 1) == "the"
            person = self._person_named(words, role, honorific or not after_the and bool(role))
            if person is None and not after_the and _looks_like_person_name(words):
                person = self._introduce(words)
            if person is None:
                return Mention(i, j - 1, offset, " ".join(words), False, role, possessive)
            self._history.append((offset, person, subject))
            return Mention(i, j - 1, offset, person.name, True, role, possessive)
        if not role:
            return None
        if _lower(tokens, j) == "," and _is_namey_after(tokens, j + 1):
            return Mention(i, j - 1, offset, None, False, role, possessive)  # named just after
        person = self._person_for_role(role, offset, definite=self._is_definite(tokens, i, k))
        if person is not None:
            self._history.append((offset, person, subject))
        name = person.name if person else None
        return Mention(i, j - 1, offset, name, person is not None, role, possessive)

    def _person_named(
        self, words: list[str], role: tuple[str, ...], introduces: bool
    ) -> Person | None:
        person = self.find_person(words)
        if person is None and introduces:
            person = self._introduce(words)
        if person is not None and role and role not in person.roles:
            person.roles.append(role)
        return person

    def _introduce(self, words: list[str]) -> Person:
        person = Person(" ".join(words))
        self._people.append(person)
        self._by_name[person.name] = person
        self._by_surname[words[-1]] = person
        return person

    def _link_appositions(self, tokens: Sequence[Token], mentions: dict[int, Mention]) -> None:
        """ "The Bishop of Durham, the Rt Rev Dr Tom Wright," and "Mark Rutte, the NATO
        chief,": the role and the name are one person, and the role is theirs from now on."""
        ordered = sorted(mentions.values(), key=lambda m: m.first)
        for left, right in zip(ordered, ordered[1:], strict=False):
            between = tokens[left.last + 1 : right.first]
            if not between or between[0].text != ",":
                continue
            if any(t.lower not in _DETERMINERS for t in between[1:]):
                continue
            named, role_only = (left, right) if right.name is None or not right.person else (
                right,
                left,
            )
            if not named.person or named.name is None or role_only.possessive:
                continue
            if role_only.name is not None and role_only.person or not role_only.role:
                continue
            person = self._by_name[named.name]
            if role_only.role not in person.roles:
                person.roles.append(role_only.role)
            mentions[role_only.last] = Mention(
                role_only.first,
                role_only.last,
                role_only.offset,
                person.name,
                True,
                role_only.role,
                False,
            )

    @staticmethod
    def _role_modifiers_before(tokens: Sequence[Token], k: int) -> tuple[str, ...]:
        """ "Lib Dem constitutional affairs committee chairman": the words before a lower-case role."""
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

    @staticmethod
    def _is_definite(tokens: Sequence[Token], i: int, k: int) -> bool:
        before = tokens[k - 1] if k > i else (tokens[i - 1] if i > 0 else None)
        return before is not None and before.lower == "the" and not before.possessive

    def find_person(self, words: Sequence[str]) -> Person | None:
        """The person a full name or a bare surname refers to, if introduced already."""
        person = self._by_name.get(" ".join(words))
        if person is not None:
            return person
        known = self._by_surname.get(words[-1])
        if known is None:
            return None
        if len(words) == 1 or known.name.split()[0] == words[0] or " " not in known.name:
            return known
        return None

    def _person_for_role(self, role: tuple[str, ...], offset: int, definite: bool) -> Person | None:
        """ "the NATO chief" is the person introduced as "NATO chief Mark Rutte".

        A definite role phrase that matches no introduced role ("the Ballymena-born actor")
        usually means the person the article is about, so it resolves like a pronoun, unless
        the article has already used that role for someone it never named ("a spokeswoman").
        """
        person = self.person_with_role(role, offset)
        head = role_head(role[-1])
        if person is None and definite and head not in self._nameless_heads:
            person = self._antecedent(offset)
        if person is None:
            self._nameless_heads.add(head)
        return person

    def person_with_role(self, role: tuple[str, ...], offset: int) -> Person | None:
        """The most recently mentioned person introduced with a role that ``role`` names."""
        head = role_head(role[-1])
        wanted = set(role[:-1]) - _LOOSE_MODIFIERS
        matching = [
            person
            for person in self._people
            if any(
                role_head(known[-1]) == head and wanted <= set(known[:-1]) for known in person.roles
            )
        ]
        if not matching:
            return None
        last_seen = {id(p): at for at, p, _ in self._history if at < offset}
        return max(matching, key=lambda p: last_seen.get(id(p), -1))

    def resolve_pronoun(self, offset: int) -> str | None:
        """ "he said": the last person who was the subject of a clause, else the last one named."""
        person = self._antecedent(offset)
        if person is not None:
            self._history.append((offset, person, True))
        return person.name if person else None

    def _antecedent(self, offset: int) -> Person | None:
        subject: tuple[int, Person] | None = None
        anyone: tuple[int, Person] | None = None
        for at, person, was_subject in self._history:
            if at >= offset:
                continue
            if anyone is None or at > anyone[0]:
                anyone = (at, person)
            if was_subject and (subject is None or at > subject[0]):
                subject = (at, person)
        chosen = subject or anyone
        return chosen[1] if chosen else None

    def note_subject(self, name: str, offset: int) -> None:
        """Remember that ``name`` spoke at ``offset``: the antecedent of a later "he"."""
        person = self._by_name.get(name)
        if person is not None:
            self._history.append((offset, person, True))

    def canonical(self, name: str) -> str:
        """A bare surname first seen before the full name ("Rutte ... Mark Rutte") made whole."""
        if " " in name:
            return name
        person = self._by_surname.get(name)
        return person.name if person else name


def is_unnamed_subject(word: str) -> bool:
    """ "they said", "it said": someone spoke, but not someone the article names."""
    return word in _UNNAMED_SUBJECTS
