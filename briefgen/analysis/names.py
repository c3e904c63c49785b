"""Who a name, a surname, a title or a pronoun stands for.

News copy introduces a person once in full, usually with a role ("NATO chief Mark Rutte"), then
refers back with the surname ("Rutte"), the role ("the NATO chief", "the secretary-general") or
a pronoun ("he"). A quote's speaker must be the one canonical name as first introduced, so the
`SpeakerRegistry` meets an article's people in reading order and keeps what maps those
references back: the people met so far, the roles each was introduced with, and every later
reference to them (the antecedents of "he said"). Finding the names in a sentence is
`mentions`' job; this module only remembers and resolves.

Everything is per article and pure; nothing is kept between articles.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum

from briefgen.analysis.given_names import FEMALE, MALE, gender_of
from briefgen.analysis.tokens import WORD, Token, word_set

# The last word of a role said before a name: "NATO chief", "Prime Minister", "England striker".
ROLE_WORDS = word_set(
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
    "comedian photographer designer chef historian broadcaster wife husband widow widower son "
    "daughter mother father brother sister"
)
HONORIFICS = word_set("mr mrs ms miss mx dr prof sir lord lady dame rev ayatollah sheikh")
# Capitalised only because they open a sentence; never the start of a name.
STOPWORDS = word_set(
    "the a an but and or so yet however meanwhile now still also then after before during "
    "following in on at as when while speaking asked earlier later despite although though "
    "since with without under by for from amid if once until this that these those there here "
    "his her its their our my your we they he she it i what who why how where which some many "
    "all both each every no not more most other such only even just last next first new one "
    "two three instead indeed today yesterday tonight according ex"
)
# Words that make a capitalised run a place or an organisation rather than a person.
NOT_PERSON = word_set(
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
    "october november december christmas easter centre center studies research economics "
    "securities insights advisory investors observatory alliance commons policy risk data fund "
    "trust society board authority exchange markets management associates consulting solutions "
    "services industries institution academy programme daily herald gazette tribune telegraph "
    "wire ledger bulletin courier"
)
# Words that make a name an organisation's ("Veltrana Motors", "Ministry of Industry"), which
# "the company said" or "it said" may mean later.
ORGANISATION_WORDS = word_set(
    "council ministry service office party committee commission bank group agency department "
    "university college court league club fc corporation corp inc ltd plc company association "
    "institute foundation organisation organization federation parliament assembly senate "
    "museum hospital labs laboratory systems technologies networks media records studios "
    "pictures entertainment airways airlines motors holdings partners telecom software "
    "electronics communications centre center securities alliance trust society board "
    "authority exchange associates consulting solutions services industries academy"
)
# "the company said": the organisation named last.
BODY_NOUNS = word_set(
    "company firm carmaker group bank retailer airline broadcaster network lender insurer "
    "manufacturer operator corporation agency"
)
_NOT_A_BODY = word_set("everyone everybody someone somebody anyone nobody none another")
# Adjectives that do not narrow a role: "the former president" is still a president.
_LOOSE_MODIFIERS = word_set("former new current outgoing incoming top senior then acting")
CONNECTORS = word_set("de da del van von der den bin al la le du of")
_RECENT = 300  # references looked back over for "he" or "the chief": a long article stays linear
_IT_REACH = 3  # sentences back to the body that "it said" means
_OTHER_GENDER = {"he": FEMALE, "she": MALE}


class Salience(IntEnum):
    """How strongly a reference puts its person forward as the one a later "he" means."""

    OWNER = 0  # "Putin's visit": only when nobody else will do
    NAMED = 1  # named in passing: "a film starring Burt Lancaster", "met Olaf Scholz"
    INTRODUCED = 2  # with a role: "For Aurelio Brandt, director of ...", "MP Jane Roe"
    SUBJECT = 3  # the subject of a clause: "Rutte said", "Mr Campbell's e-mail suggested"


@dataclass
class Person:
    name: str  # canonical: the name as first introduced, without title
    roles: list[tuple[str, ...]] = field(default_factory=list)
    gender: str = ""  # FEMALE or MALE where the text makes it evident (`given_names`)


def role_head(word: str) -> str:
    """ "co-chairman" and "ex-president" are chairmen and presidents."""
    if word in ROLE_WORDS:
        return word
    tail = word.rsplit("-", 1)[-1]
    return tail if tail in ROLE_WORDS else ""


def is_namey(token: Token) -> bool:
    """A word that can be part of a name or a role phrase: capitalised, or a role word."""
    if token.kind != WORD:
        return False
    if token.text[0].isupper():
        return token.lower != "i"
    return token.lower in ROLE_WORDS or ("-" in token.lower and bool(role_head(token.lower)))


def looks_like_person_name(words: Sequence[str]) -> bool:
    names = 0
    for word in words:
        if word in CONNECTORS:
            continue
        if not word[0].isupper() or word.isupper() or word.lower() in NOT_PERSON:
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
        # (offset, person, salience) for every reference to a person, in reading order
        self._history: list[tuple[int, Person | None, Salience]] = []
        self._sentence_starts: list[int] = []
        self._nameless_heads: set[str] = set()
        # (offset, canonical name, spoke) for every mention of an organisation, in order
        self._bodies: list[tuple[int, str, bool]] = []

    def knows(self, word: str) -> bool:
        """Whether a single word is the name, surname or first name of someone met."""
        return word in self._by_surname or word in self._by_first_name or word in self._by_name

    def by_surname(self, word: str) -> Person | None:
        return self._by_surname.get(word)

    def note_sentences(self, starts: Iterable[int]) -> None:
        """Where the sentences being read begin: a pronoun looks back sentence by sentence."""
        known = self._sentence_starts
        for start in starts:
            if not known or start > known[-1]:
                known.append(start)

    def note_reference(self, offset: int, person: Person | None, salience: Salience) -> None:
        """A reference to ``person`` at ``offset`` (None for someone the article does not
        name: "a spokeswoman said")."""
        self._history.append((offset, person, salience))

    def person_named(
        self, words: list[str], role: tuple[str, ...], introduces: bool, honorific: str = ""
    ) -> Person | None:
        """The person ``words`` name, introduced now if ``introduces`` (a role or an honorific
        came with them) and not met before."""
        person = self.find_person(words)
        if person is None and introduces:
            person = self._introduce(words)
        elif person is not None and " " not in person.name and len(words) > 1:
            person.name = " ".join(words)  # "Mr Kennedy", then "Charles Kennedy"
            self._by_name[person.name] = person
        if person is not None:
            if role:
                self._add_role(person, role)
            if not person.gender and (honorific or role):
                person.gender = gender_of(person.name.split()[0], (honorific, *role[-1:]))
        return person

    def person_shaped(self, words: list[str]) -> Person | None:
        """Two to four capitalised words that are no place or body: a person, perhaps after an
        affiliation ("Liberal Democrat Sarah Teather")."""
        for size in (len(words), 3, 2):
            if size <= len(words) and looks_like_person_name(words[-size:]):
                name = words[-size:]
                return self.find_person(name) or self._introduce(name)
        return None

    def _introduce(self, words: list[str]) -> Person:
        person = Person(" ".join(words), gender=gender_of(words[0]) if len(words) > 1 else "")
        self._by_name[person.name] = person
        self._by_surname[words[-1]] = person
        if len(words) > 1:
            self._by_first_name.setdefault(words[0], person)  # "Digby Jones", then "Sir Digby"
        return person

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

    def person_for_role(self, role: tuple[str, ...], offset: int, definite: bool) -> Person | None:
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
            if any(
                role_head(known[-1]) == head and wanted <= set(known[:-1]) for known in person.roles
            )
        ]
        if len(matching) < 2:
            return matching[0] if matching else None
        last_seen = {id(p): at for at, p, _ in self._history[-_RECENT:] if at < offset}
        return max(matching, key=lambda p: last_seen.get(id(p), -1))

    def add_role(self, name: str, role: tuple[str, ...]) -> None:
        """``name`` (someone met) has been called ``role``: "Mark Rutte, the NATO chief"."""
        self._add_role(self._by_name[name], role)

    def _add_role(self, person: Person, role: tuple[str, ...]) -> None:
        if role not in person.roles:
            person.roles.append(role)
            people = self._by_role.setdefault(role_head(role[-1]), [])
            if person not in people:
                people.append(person)

    def resolve_pronoun(self, offset: int, pronoun: str = "he") -> str | None:
        """ "he said", "she told": see `_antecedent`."""
        person = self._antecedent(offset, _OTHER_GENDER.get(pronoun, ""))
        if person is not None:
            self._history.append((offset, person, Salience.SUBJECT))
        return person.name if person else None

    def _antecedent(self, offset: int, not_gender: str = "") -> Person | None:
        """Whom "he" (or a role nobody was introduced with) at ``offset`` means.

        The last sentence before it with a subject or someone introduced gives the answer: its
        subject, else the first person it introduces ("For Aurelio Brandt, director of ...,
        the deployment is ..."). The pronoun's own sentence counts only through a subject
        ("Rutte said ... and he added"), not through an opening phrase ("After talks with
        Scholz, he said"). An unnamed subject ("a spokeswoman said") answers None. Someone
        only named in passing, else only as an owner ("Putin's visit"), answers when nobody
        else does. "She" passes over men and "he" over women (``not_gender``), where the text
        says which they are.
        """
        here = self._sentence_of(offset)
        best: tuple[int, int, int] | None = None
        chosen: Person | None = None
        passing: dict[Salience, Person] = {}
        for at, person, salience in self._history[-_RECENT:]:
            if at >= offset or (person is not None and not_gender and person.gender == not_gender):
                continue
            if salience < Salience.INTRODUCED:
                if person is not None:
                    passing[salience] = person
                continue
            sentence = self._sentence_of(at)
            if sentence == here and salience != Salience.SUBJECT:
                continue
            key = (sentence, salience, at if salience == Salience.SUBJECT else -at)
            if best is None or key > best:
                best, chosen = key, person
        if best is not None:
            return chosen
        return passing.get(Salience.NAMED) or passing.get(Salience.OWNER)

    def _sentence_of(self, offset: int) -> int:
        return bisect_right(self._sentence_starts, offset) - 1

    def note_subject(self, name: str, offset: int) -> None:
        """Remember that ``name`` spoke at ``offset``: the antecedent of a later "he"."""
        person = self._by_name.get(name)
        if person is not None:
            self._history.append((offset, person, Salience.SUBJECT))

    def note_unnamed_subject(self, offset: int) -> None:
        """Someone the article does not name spoke ("a spokeswoman said"): a later "she said"
        is them, not the last person named."""
        self._history.append((offset, None, Salience.SUBJECT))

    def person_called(self, name: str) -> str | None:
        """The canonical name of the person ``name`` stands for ("Rutte" first, "Mark Rutte"
        later, is "Mark Rutte"), or None when it is no one met."""
        person = self._by_name.get(name)
        if person is None and " " not in name:
            person = self._by_surname.get(name)
        return person.name if person else None

    def note_body(self, name: str, offset: int, spoke: bool) -> str:
        """An organisation named at ``offset`` ("Veltrana Motors", "Google said"): its name as
        first introduced, which a later short form ("Veltrana") also means."""
        for _, known, _ in reversed(self._bodies):
            if known == name or (" " not in name and known.split()[0] == name):
                name = known
                break
        self._bodies.append((offset, name, spoke))
        return name

    def body_before(self, offset: int, spoke: bool) -> str | None:
        """ "the company said": the organisation named last before ``offset``; "it said"
        (``spoke``): the one that spoke last, a few sentences back at most."""
        here = self._sentence_of(offset)
        for at, name, said in reversed(self._bodies):
            if at >= offset:
                continue
            if not spoke:
                return name
            if here - self._sentence_of(at) > _IT_REACH:
                return None
            if said:
                return name
        return None


def organisation_called(text: str, name: str) -> str | None:
    """An organisation's name as a speaker, unless it is only a capitalised word opening a
    sentence ("Others said", "Everyone agreed"): a one-word name that never stands inside a
    sentence ("firm Google has") must not look like a plural or a pronoun."""
    if " " in name or name.isupper():
        return name
    at = text.find(name)
    while at > 0:
        last = at - 1  # the last character before it but white space (not a copy of the text)
        while last >= 0 and text[last].isspace():
            last -= 1
        if last >= 0 and text[last] not in '.!?"”':
            return name
        at = text.find(name, at + len(name))
    return None if name.endswith("s") or name.lower() in _NOT_A_BODY else name
