"""Who is speaking: whom a name, surname, title or pronoun stands for, and whom a speaking
verb gives words to.

Two jobs, in two halves of this module:

- `SpeakerRegistry` (names). News copy introduces a person once in full, usually with a role
  ("NATO chief Mark Rutte"), then refers back with the surname ("Rutte"), the role ("the NATO
  chief", "the secretary-general") or a pronoun ("he"). A quote's speaker must be the one
  canonical name as first introduced, so the registry reads an article's names in order and
  keeps what maps those references back: the people met so far, the roles each was introduced
  with, and who was recently the subject of a clause (the usual antecedent of "he said").
- `speaking_verbs` (grammar). In a sentence whose quotations are masked into single tokens,
  find each speaking verb ("said", "adding that", "according to", "Rutte: ...") and its
  subject: before it ("Rutte said"), after it (""...," said Greene"), across an aside ("Rutte,
  the NATO chief, said") or shared with the verb before ("said ... and called for").

Both work on tokens rather than raw text, so words inside quotation marks can never look like
a name or a verb. Everything is per article and pure; nothing is kept between articles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
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


# --- words of names and roles

# The last word of a role said before a name: "NATO chief", "Prime Minister", "England striker".
_ROLE_WORDS = _words(
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
_HONORIFICS = _words("mr mrs ms miss mx dr prof sir lord lady dame rev")
_PRONOUNS = _words("he she")
_UNNAMED_SUBJECTS = _words("they we i it you who which this that there one")
# Capitalised only because they open a sentence; never the start of a name.
_STOPWORDS = _words(
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
    "europe european america american africa african asia asian hong kong lanka saudi "
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
# Capitalised only at the start of a sentence ("Officials said"): people, but no name.
_COMMON_SUBJECTS = _words(
    "officials police analysts critics experts sources witnesses residents researchers "
    "scientists doctors ministers lawmakers protesters campaigners investors economists "
    "observers diplomats authorities officers troops soldiers voters fans parents teachers "
    "students workers unions prosecutors judges organisers organizers engineers staff "
    "spokesmen spokeswomen reports britons americans europeans"
)
# Adjectives that do not narrow a role: "the former president" is still a president.
_LOOSE_MODIFIERS = _words("former new current outgoing incoming top senior then acting")
_CONNECTORS = _words("de da del van von der den bin al la le du of")
_RECENT = 300  # references looked back over for "he" or "the chief": a long article stays linear

# --- words of the grammar of speaking

SPEAKING_VERBS = _words(
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
# Verbs that can come before their subject: "...," said Greene. Not "told": in "..., told
# the BBC's Focus programme" what follows is its object.
_INVERTIBLE = _words(
    "said says added adds asked asks warned warns wrote writes explained explains insisted "
    "insists noted notes stated states declared argued argues stressed stresses continued "
    "continues replied replies responded recalled recalls admitted admits conceded concedes "
    "claimed claims commented remarked joked quipped concluded"
)
# "saying", "adding that": the speaker is whoever the clause is about.
_PARTICIPLES = _words(
    "saying adding insisting warning noting explaining arguing stressing claiming calling "
    "describing urging declaring telling writing asking accusing promising vowing announcing "
    "admitting suggesting"
)
# Also nouns ("the claims", "phone calls"): they count only with a subject in front.
_NOUN_LIKE = _words("calls claims claim comments notes promises states say believe")
_ALL_SPEAKING_WORDS = SPEAKING_VERBS | _PARTICIPLES | {"according"}
_VERB_OR_MARK = _ALL_SPEAKING_WORDS | {":"}  # lower-case as written: "Said" opens a name
# Between a subject and its verb: "Rutte has also said", "Rutte on Monday said".
_AUXILIARIES = _words(
    "also later then earlier previously once again recently repeatedly reportedly publicly "
    "privately today yesterday tonight subsequently simply only just already never always "
    "often has had have will would could should may might must can did does do not"
)
_TIMES = _words(
    "monday tuesday wednesday thursday friday saturday sunday morning afternoon evening night "
    "week month year weekend"
)
_OCCASIONS = _words("statement interview letter speech post tweet message briefing")
_BE = _words("was were is are been being be")
_DETERMINERS = _words("a an the his her their its")
# A sentence opening with one of these has its subject after the first comma.
_INTRO_WORDS = _words(
    "after before during following in on at as when while speaking asked earlier later despite "
    "although though since with without under by for from amid if once until addressing "
    "writing last unlike like realising realizing"
)
_NOT_BEFORE_NAME = _words("that was is were are has had it to in on he she they we i there this")
_AFTER_NAME = _words("on in who of at from")
_COMMAS = frozenset(",-–—")
_PREPOSITIONS = _words("of for at from")
_APPOSITION_OPENERS = _words("who whose which the a an former now then himself herself")
_PUNCTUATION_TO_SPACE = str.maketrans({mark: " " for mark in ',.;:!?()"“”'})
# A name in a sentence read only for its names; role words before it are within a few words.
_CAPITALISED_RUN = re.compile(
    r"[A-Z][\w'’.-]*(?:\s(?:(?:of|de|van|von|der|bin|al) )?[A-Z][\w'’.-]*)*"
)
_LAST_WORD = re.compile(r"([\w-]+)\s+$")
_LEADING_CONJUNCTIONS = re.compile(
    r"(?:(?:But|And|So|Yet|However|Meanwhile|Now|Still|Also|Then|Or)\b,?\s+)*"
)
_FIRST_WORD = re.compile(r"[\w'’-]+")


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


def _role_head(word: str) -> str:
    """ "co-chairman" and "ex-president" are chairmen and presidents."""
    if word in _ROLE_WORDS:
        return word
    tail = word.rsplit("-", 1)[-1]
    return tail if tail in _ROLE_WORDS else ""


def _is_namey(token: Token) -> bool:
    if token.kind != WORD:
        return False
    if token.text[0].isupper():
        return token.lower != "i"
    return token.lower in _ROLE_WORDS or ("-" in token.lower and bool(_role_head(token.lower)))


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
        sentence. Callers that need it as a name make it with `_lone_name`.
        """
        mentions: dict[int, Mention] = {}
        count = len(tokens)
        end = 0
        for i in [
            i
            for i, t in enumerate(tokens)
            if t.kind == WORD
            and (t.text[0].isupper() or t.lower in _ROLE_WORDS or ("-" in t.lower and _is_namey(t)))
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
        if token.lower in _STOPWORDS or not _is_namey(token):
            return True
        if token.lower in _HONORIFICS or _role_head(token.lower):
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
            if _role_head(token.lower) or token.lower in _HONORIFICS:
                so_far = []
            elif token.lower not in _STOPWORDS:
                so_far.append(token.text)
        return tokens[j].lower != "of" or not _looks_like_person_name(so_far)

    def _read_run(
        self, tokens: Sequence[Token], i: int, j: int, clause_starts: set[int]
    ) -> Mention | None:
        """One run of capitalised words and role words: "NATO chief Mark Rutte", "The NATO
        chief", "Mr Thomas", "South Korea". The role is what comes up to the last role word."""
        k = i
        while k < j and (tokens[k].lower in _STOPWORDS or tokens[k].lower in _CONNECTORS):
            k += 1
        if k == j:
            return None
        last_role = -1
        for m in range(j - 1, k - 1, -1):
            if tokens[m].lower in _HONORIFICS or _role_head(tokens[m].lower):
                last_role = m
                break
        role = tuple(t.lower for t in tokens[k : last_role + 1] if t.lower not in _HONORIFICS)
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
            honorific = any(tokens[m].lower in _HONORIFICS for m in range(k, j))
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
        for left, right in pairwise(ordered):
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
        """The words before a lower-case role: "Lib Dem constitutional affairs committee"."""
        words: list[str] = []
        m = k - 1
        while m >= 0 and len(words) < 4:
            token = tokens[m]
            if token.kind != WORD or token.possessive or token.lower in _STOPWORDS:
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
            if token.kind != WORD or token.possessive or token.lower in _STOPWORDS:
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
        head = _role_head(role[-1])
        if person is None and definite and head not in self._nameless_heads:
            person = self._antecedent(offset)
        if person is None:
            self._nameless_heads.add(head)
        return person

    def person_with_role(self, role: tuple[str, ...], offset: int) -> Person | None:
        """The most recently mentioned person introduced with a role that ``role`` names."""
        head = _role_head(role[-1])
        wanted = set(role[:-1]) - _LOOSE_MODIFIERS
        matching = [
            person
            for person in self._by_role.get(head, ())
            if any(
                _role_head(known[-1]) == head and wanted <= set(known[:-1])
                for known in person.roles
            )
        ]
        if len(matching) < 2:
            return matching[0] if matching else None
        last_seen = {id(p): at for at, p, _ in self._history[-_RECENT:] if at < offset}
        return max(matching, key=lambda p: last_seen.get(id(p), -1))

    def _add_role(self, person: Person, role: tuple[str, ...]) -> None:
        if role not in person.roles:
            person.roles.append(role)
            people = self._by_role.setdefault(_role_head(role[-1]), [])
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


def _lone_name(tokens: Sequence[Token], i: int) -> Mention | None:
    """The capitalised word at ``i`` as the name of something ("Google said"), when
    `read_mentions` passed it over."""
    token = tokens[i] if 0 <= i < len(tokens) else None
    if token is None or token.kind != WORD or not token.text[0].isupper():
        return None
    if token.lower in _STOPWORDS or token.lower in _COMMON_SUBJECTS:
        return None
    return Mention(i, i, token.start, token.text, False, (), token.possessive)


def _is_unnamed_subject(word: str) -> bool:
    """ "they said", "it said": someone spoke, but not someone the article names."""
    return word in _UNNAMED_SUBJECTS


# --- reading a sentence for who speaks in it ---------------------------------------------


@dataclass
class Subject:
    """Who a speaking verb gives words to: a name, or nobody the article names."""

    speaker: str | None
    person: bool = False
    role: tuple[str, ...] = ()  # a role nobody had been introduced with yet ("NATO chief says")


@dataclass
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
    offsets = {_clause_start(text, start, end) for start, end in sentences}
    clause_starts = [i for i, token in enumerate(tokens) if token.start in offsets]
    # "... won in Madrid, but McIlroy is unfazed": a new clause with its own subject
    clause_starts += [
        c + 1
        for c, token in enumerate(tokens[:-1])
        if token.lower in ("but", ";") and _opens_clause(tokens[c + 1])
    ]
    clause_starts.sort()
    mentions = registry.read_mentions(tokens, set(clause_starts))
    return Reading(tokens, mentions, clause_starts, registry)


def read_names_only(
    text: str, sentences: Sequence[tuple[int, int]], registry: SpeakerRegistry
) -> None:
    """Meet the people some sentences name, reading only the words around each name.

    For sentences with no quotation and no speaking verb: people are introduced there, but
    tokenising every word would cost more than the rest of the article.
    """
    start, end = sentences[0][0], sentences[-1][1]
    offsets = {_clause_start(text, a, b) for a, b in sentences}
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
        registry.read_mentions(tokens, {i for i, t in enumerate(tokens) if t.start in offsets})


def has_speaking_verb(text: str, start: int, end: int) -> bool:
    words = text[start:end].translate(_PUNCTUATION_TO_SPACE).split()
    return not _ALL_SPEAKING_WORDS.isdisjoint(words)


def _end_of_word(text: str, pos: int) -> int:
    while pos < len(text) and not text[pos].isspace():
        pos += 1
    return pos


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


def _may_name_someone(text: str, match: re.Match[str], registry: SpeakerRegistry) -> bool:
    """A lone capitalised word names someone only if it is a name already met ("Rutte") or
    follows a role ("chief Rutte"); "The", "Ukraine" or "Monday" need no closer reading."""
    word = match.group().removesuffix("'s").removesuffix("’s")
    if word.lower() in _STOPWORDS:
        return False
    if registry.knows(word) or word.lower() in _HONORIFICS:
        return True
    before = _LAST_WORD.search(text, max(0, match.start() - 30), match.start())
    return before is not None and bool(_role_head(before.group(1).lower()))


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
            elif token.lower == "according" and _lower(tokens, v + 1) == "to":
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
        by_someone = _lower(tokens, v + 1) == "by"
        return by_someone, _subject_after(reading, v + 2) if by_someone else None
    if tokens[i].lower in ("and", "but", "or") and i + 1 not in reading.clause_starts:
        return True, previous or _clause_subject(reading, v)
    subject = _subject_ending_at(reading, i, allow_apposition=True)
    if tokens[v].lower in _NOUN_LIKE and not _is_named_subject(tokens[i], subject):
        return False, None  # "recent comments in a newspaper", "phone calls"
    return True, subject


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
        elif word in _TIMES and _lower(tokens, i - 1) in ("on", "last", "this", "late"):
            i -= 2
        elif word in _OCCASIONS and _lower(tokens, i - 1) in _DETERMINERS:
            if _lower(tokens, i - 2) != "in":
                break
            i -= 3
        else:
            break
    return i


def _subject_ending_at(reading: Reading, i: int, allow_apposition: bool) -> Subject | None:
    token = reading.tokens[i]
    if token.lower in _PRONOUNS:
        return Subject(reading.registry.resolve_pronoun(token.start), True)
    if token.kind == WORD and _is_unnamed_subject(token.lower):
        return Subject(None)
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
        comma = _apposition_start(reading, i)
        return _subject_ending_at(reading, comma - 1, False) if comma > 0 else None
    if token.kind == WORD and token.text[0].islower():
        return Subject(None)  # "officials said", "the company said"
    return None


def _opening_bracket(tokens: list[Token], i: int) -> int:
    for c in range(i - 1, max(i - 12, -1), -1):
        if tokens[c].text == "(":
            return c
    return -1


def _subject_from_name(reading: Reading, mention: Mention, allow_more: bool) -> Subject | None:
    """The name before a verb, unless it only says where the speaker works: "a spokeswoman
    for Human Rights Watch said", "Colin Asplin, Blackpool Hotel Association said"."""
    before = mention.first - 1
    if _lower(reading.tokens, before) in _DETERMINERS:
        before -= 1
    if allow_more and _lower(reading.tokens, before) in _PREPOSITIONS and before > 0:
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
        if tokens[c].kind == QUOTE:
            break
        if tokens[c].text != mark:
            continue
        nearest = c if nearest < 0 else nearest
        opener = tokens[c + 1].lower
        if opener in _APPOSITION_OPENERS or _role_head(opener) or _role_head(tokens[i - 1].lower):
            fitting.append(c)
            named = reading.mentions.get(c - 1)
            if named is not None and named.person:
                return c
    return fitting[0] if fitting else nearest


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
    k += 1 if _lower(tokens, k) == "the" else 0
    mention = _name_starting_at(reading, k)
    if mention is None:
        return Subject(None)
    after = _lower(tokens, mention.last + 1)
    if after[:1].isalpha() and after == tokens[mention.last + 1].text:
        return Subject(None)  # "according to Ukrainian intelligence": not a name
    return _from_mention(reading, mention)


def _clause_subject(reading: Reading, v: int) -> Subject | None:
    """Who the clause around a participle ("..., adding that") or a second verb is about."""
    k = max((c for c in reading.clause_starts if c <= v), default=0)
    token = reading.tokens[k]
    if token.lower in _PRONOUNS:
        return Subject(reading.registry.resolve_pronoun(token.start), True)
    mention = next((m for m in reading.mentions.values() if m.first <= k <= m.last), None)
    mention = mention or _lone_name(reading.tokens, k)
    if mention is None or mention.possessive:
        return None
    return _from_mention(reading, mention)


def _name_ending_at(reading: Reading, i: int) -> Mention | None:
    return reading.mentions.get(i) or _lone_name(reading.tokens, i)


def _name_starting_at(reading: Reading, k: int) -> Mention | None:
    mention = next((m for m in reading.mentions.values() if m.first == k), None)
    return mention or _lone_name(reading.tokens, k)


def _from_mention(reading: Reading, mention: Mention) -> Subject:
    if mention.name is not None:
        if mention.person:
            reading.registry.note_subject(mention.name, mention.offset)
        return Subject(mention.name, mention.person)
    reading.registry.note_unnamed_subject(mention.offset)
    indefinite = mention.first > 0 and reading.tokens[mention.first - 1].lower in ("a", "an")
    return Subject(None, role=() if indefinite else mention.role)
