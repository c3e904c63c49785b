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

# Words run up to a space or a mark that cannot be inside a word; "1,500" stays whole. A
# character class, not \w alternatives: tokenising is most of the time an article takes.
_TOKEN = re.compile(r"\d+(?:,\d\d\d)+|[^\s,.;:!?\"“”()\[\]]+|\S")
_DASHES = frozenset("-–—")


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
    append, new = tokens.append, tuple.__new__  # Token(...) costs twice as much, per word
    for match in _TOKEN.finditer(text, start, end):
        word = match.group()
        at = match.start()
        if not word[0].isalnum() or word in _DASHES:
            append(new(Token, (word, word, at, PUNCT, False, -1)))
        elif "'" not in word and "’" not in word:
            append(new(Token, (word, word.lower(), at, WORD, False, -1)))
        else:
            append(_word_with_apostrophe(word, at))
    return tokens


def _word_with_apostrophe(word: str, at: int) -> Token:
    """ "Putin's" and "Kenteris'" are possessive; "don't" and "O'Malley" are just words."""
    if len(word) > 2 and word[-1] in "sS" and word[-2] in "'’":
        owner, possessive = word[:-2], True
    elif word[-1] in "'’" and len(word) > 1:
        owner = word[:-1]
        possessive = owner[-1] == "s"
    else:
        owner, possessive = word, False
    return Token(owner, owner.lower(), at, WORD, possessive)


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
    "campaigner adviser advisor spokesperson secretary mp mep msp bishop archbishop cardinal "
    "rabbi imam priest vicar novelist poet playwright artist musician composer rapper dancer "
    "comedian photographer designer chef historian broadcaster"
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
    "liberal democrat democrats conservative conservatives labour tory tories republican "
    "republicans socialist green greens russian ukrainian british french german italian "
    "spanish chinese japanese korean indian irish scottish welsh english australian canadian "
    "kenyan greek dutch swedish norwegian polish turkish iranian iraqi israeli palestinian "
    "syrian egyptian brazilian mexican nigerian ethiopian jamaican pakistani afghan belgian "
    "swiss austrian portuguese danish finnish czech labs lab laboratory systems technologies "
    "networks media records studios pictures films entertainment airways airlines motors "
    "holdings partners capital energy telecom software electronics communications "
    "arabia los angeles san francisco aires tel aviv costa rica monday tuesday wednesday "
    "thursday friday saturday sunday january february march april june july august september "
    "october november december christmas easter"
)
# Adjectives that do not narrow a role: "the former president" is still a president.
_LOOSE_MODIFIERS = _words("former new current outgoing incoming top senior then acting")
_CONNECTORS = _words("de da del van von der den bin al la le du of")
_DETERMINERS = _words("the a an")
_RECENT = 300  # references looked back over for "he" or "the chief": a long article stays linear


@dataclass
class Person:
    name: str  # canonical: the name as first introduced, without title
    roles: list[tuple[str, ...]] = field(default_factory=list)


class Mention(NamedTuple):
    """A capitalised name or a role phrase, as tokens ``first..last`` (inclusive).

    A named tuple rather than a frozen dataclass: an article makes dozens, and a frozen
    dataclass costs several times as much to build.
    """

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
    if token.kind != WORD:
        return False
    if token.text[0].isupper():
        return token.lower != "i"
    return token.lower in ROLE_WORDS or "-" in token.lower and bool(role_head(token.lower))


def _lower(tokens: Sequence[Token], i: int) -> str:
    return tokens[i].lower if 0 <= i < len(tokens) else ""


def _is_namey_after(tokens: Sequence[Token], i: int) -> bool:
    if _lower(tokens, i) in _DETERMINERS:
        i += 1
    return i < len(tokens) and _is_namey(tokens[i])


def _looks_like_person_name(words: Sequence[str]) -> bool:
    names = 0
    for word in words:
        if word in _CONNECTORS:
            continue
        if not word[0].isupper() or word.isupper() or word.lower() in _NOT_PERSON:
            return False
        names += 1
    return 2 <= names <= 4


class SpeakerRegistry:
    """The people of one article, met in reading order."""

    def __init__(self) -> None:
        self._by_name: dict[str, Person] = {}
        self._by_surname: dict[str, Person] = {}
        self._by_first_name: dict[str, Person] = {}
        self._by_role: dict[str, list[Person]] = {}  # by the role's last word: "chief"
        # (offset, person, was the subject of its clause) for every reference to a person
        self._history: list[tuple[int, Person | None, bool]] = []
        self._nameless_heads: set[str] = set()

    def read_mentions(self, tokens: Sequence[Token], clause_starts: set[int]) -> dict[int, Mention]:
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
            and (t.text[0].isupper() or t.lower in ROLE_WORDS or "-" in t.lower and _is_namey(t))
        ]:
            if i < end:
                continue  # inside the run just read
            end = i + 1
            while end < count and not tokens[end - 1].possessive:
                if not (_is_namey(tokens[end]) or self._joins_name(tokens, i, end)):
                    break
                end += 1
            if end == i + 1:
                known = self._known_by_one_word(tokens, i, clause_starts)
                if known is not None:
                    mentions[i] = known
                    continue
                if self._says_nothing(tokens[i]):
                    continue
            mention = self._read_run(tokens, i, end, clause_starts)
            if mention is not None:
                mentions[end - 1] = mention
        if len(mentions) > 1:
            self._link_appositions(tokens, mentions)
        return mentions

    def knows(self, word: str) -> bool:
        """Whether a single word is the name, surname or first name of someone met."""
        return word in self._by_surname or word in self._by_first_name or word in self._by_name

    def _known_by_one_word(
        self, tokens: Sequence[Token], i: int, clause_starts: set[int]
    ) -> Mention | None:
        """ "Rutte", "Putin's": the common case, a surname met before, read the short way."""
        token = tokens[i]
        person = self._by_surname.get(token.text)
        if person is None:
            return None
        subject = i in clause_starts and not token.possessive
        self._history.append((token.start, person, subject))
        return Mention(i, i, token.start, person.name, True, (), token.possessive)

    def _says_nothing(self, token: Token) -> bool:
        """A lone word that names nobody: "The", "He" (capitalised because a sentence starts
        there), or a word that is not a name of anyone met."""
        if token.lower in STOPWORDS or not _is_namey(token):
            return True
        if token.lower in HONORIFICS or role_head(token.lower):
            return False
        return token.text not in self._by_surname and token.text not in self._by_first_name

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
        last_role = -1
        for m in range(j - 1, k - 1, -1):
            if tokens[m].lower in HONORIFICS or role_head(tokens[m].lower):
                last_role = m
                break
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
            person = self._person_named(words, role, honorific or bool(role))
            if person is None and not after_the:
                person = self._person_shaped(words)
            if person is None:
                return Mention(i, j - 1, offset, " ".join(words), False, role, possessive)
            self._history.append((offset, person, subject))
            return Mention(i, j - 1, offset, person.name, True, role, possessive)
        if not role:
            return None
        if _lower(tokens, j) == "," and _is_namey_after(tokens, j + 1):
            return Mention(i, j - 1, offset, None, False, role, possessive)  # named just after
        person = self._person_for_role(role, offset, definite=self._is_definite(tokens, k))
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
        elif person is not None and " " not in person.name and len(words) > 1:
            person.name = " ".join(words)  # "Mr Kennedy", then "Charles Kennedy"
            self._by_name[person.name] = person
        if person is not None and role:
            self._add_role(person, role)
        return person

    def _person_shaped(self, words: list[str]) -> Person | None:
        """Two to four capitalised words that are no place or body: a person, perhaps after an
        affiliation ("Liberal Democrat Sarah Teather")."""
        for size in (len(words), 3, 2):
            if size <= len(words) and _looks_like_person_name(words[-size:]):
                name = words[-size:]
                return self.find_person(name) or self._introduce(name)
        return None

    def _introduce(self, words: list[str]) -> Person:
        person = Person(" ".join(words))
        self._by_name[person.name] = person
        self._by_surname[words[-1]] = person
        if len(words) > 1:
            self._by_first_name.setdefault(words[0], person)  # "Digby Jones", then "Sir Digby"
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
            person = self._by_name[named.name]
            self._add_role(person, role_only.role)
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

    def find_person(self, words: Sequence[str]) -> Person | None:
        """The person a full name or a bare surname refers to, if introduced already."""
        person = self._by_name.get(" ".join(words))
        if person is not None:
            return person
        known = self._by_surname.get(words[-1])
        if known is None:
            return self._by_first_name.get(words[0]) if len(words) == 1 else None
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
            for person in self._by_role.get(head, ())
            if any(role_head(known[-1]) == head and wanted <= set(known[:-1]) for known in person.roles)
        ]
        if len(matching) < 2:
            return matching[0] if matching else None
        last_seen = {id(p): at for at, p, _ in self._history[-_RECENT:] if at < offset}
        return max(matching, key=lambda p: last_seen.get(id(p), -1))

    def _add_role(self, person: Person, role: tuple[str, ...]) -> None:
        if role not in person.roles:
            person.roles.append(role)
            people = self._by_role.setdefault(role_head(role[-1]), [])
            if person not in people:
                people.append(person)

    def resolve_pronoun(self, offset: int) -> str | None:
        """ "he said": the last person who was the subject of a clause, else the last one named."""
        person = self._antecedent(offset)
        if person is not None:
            self._history.append((offset, person, True))
        return person.name if person else None

    def _antecedent(self, offset: int) -> Person | None:
        """The last subject before ``offset`` (None if it was "a spokeswoman" nobody named),
        else the last person named at all."""
        subject: tuple[int, Person | None] | None = None
        anyone: tuple[int, Person] | None = None
        for at, person, was_subject in self._history[-_RECENT:]:
            if at >= offset:
                continue
            if person is not None and (anyone is None or at > anyone[0]):
                anyone = (at, person)
            if was_subject and (subject is None or at > subject[0]):
                subject = (at, person)
        if subject is not None:
            return subject[1]
        return anyone[1] if anyone else None

    def note_subject(self, name: str, offset: int) -> None:
        """Remember that ``name`` spoke at ``offset``: the antecedent of a later "he"."""
        person = self._by_name.get(name)
        if person is not None:
            self._history.append((offset, person, True))

    def note_unnamed_subject(self, offset: int) -> None:
        """Someone the article does not name spoke ("a spokeswoman said"): a later "she said"
        is them, not the last person named."""
        self._history.append((offset, None, True))

    def canonical(self, name: str) -> str:
        """A bare surname first seen before the full name ("Rutte ... Mark Rutte") made whole."""
        if " " in name:
            return name
        person = self._by_surname.get(name)
        return person.name if person else name


def lone_name(tokens: Sequence[Token], i: int) -> Mention | None:
    """The capitalised word at ``i`` as the name of something ("Google said"), when
    `read_mentions` passed it over."""
    token = tokens[i] if 0 <= i < len(tokens) else None
    if token is None or token.kind != WORD or not token.text[0].isupper():
        return None
    if token.lower in STOPWORDS:
        return None
    return Mention(i, i, token.start, token.text, False, (), token.possessive)


def is_unnamed_subject(word: str) -> bool:
    """ "they said", "it said": someone spoke, but not someone the article names."""
    return word in _UNNAMED_SUBJECTS
