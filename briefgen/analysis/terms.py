"""Word features shared by key points, topic clustering and story merging.

All three compare texts by the words that carry their subject, so they must agree on what a
word is: lower case, no stopwords, no numbers (figures differ between two reports of the same
event and say nothing about the topic), and inflections folded together so that "markets" and
"market", "rising" and "rise" count as one term. The stemmer is steps 1 and 5a of Porter's
algorithm (plurals, -ed, -ing, final -y and -e): it catches the inflections news copy is full
of while leaving derivations alone, and it is cheap enough to run on every word of every
article. Terms are cached by word, as news vocabulary repeats across a collection.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

# Function words, reporting verbs and honorifics: frequent in every article, so they would
# make unrelated sentences and articles look alike.
_STOPWORD_TEXT = """
    a about above across after afterwards again against ago all almost alone along already also
    although always am among amongst an and another any anybody anyhow anyone anything anyway
    anywhere are aren around as at back be became because become becomes becoming been before
    beforehand behind being below beside besides between beyond both but by can cannot could
    couldn did didn do does doesn doing don done down due during each eg either else elsewhere
    enough etc even ever every everybody everyone everything everywhere except few first for
    former formerly from further get gets getting give given gives go goes going gone got had
    hadn has hasn have haven having he hence her here hereafter hereby herein hers herself him
    himself his how however i ie if in indeed instead into is isn it its itself just last
    latter least less let like ll made make makes many may maybe me meanwhile might mine more
    moreover most mostly much must my myself namely neither never nevertheless next no nobody
    none noone nor not nothing now nowhere of off often on once one only onto or other others
    otherwise our ours ourselves out over own per perhaps put rather re really same see seem
    seemed seeming seems several she should shouldn since so some somehow someone something
    sometime sometimes somewhere still such take than that the their theirs them themselves then
    thence there thereafter thereby therefore therein thereupon these they this those though
    through throughout thru thus to together too toward towards under unless until up upon us
    use used using ve very via was wasn way we well were weren what whatever when whence
    whenever where whereafter whereas whereby wherein whereupon wherever whether which while
    whither who whoever whole whom whose why will with within without would wouldn yet you
    your yours yourself yourselves
    said say says saying told tell tells telling added adding according asked
    mr mrs ms dr prof sir st
    one two three four five six seven eight nine ten hundred thousand million billion bn
    dont doesnt didnt cant couldnt wont wouldnt shouldnt isnt arent wasnt werent hasnt havent
    hadnt im ive id youre youve theyre theyve weve hes shes thats theres whats lets
    year years week weeks day days today yesterday tomorrow time times
    monday tuesday wednesday thursday friday saturday sunday
    new also just including people
"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORD_TEXT.split())

# A word: letters, possibly joined by apostrophes or hyphens ("don't", "o'neill", "e-mail").
# Tokens with digits are matched too (so "mp3" is not split into "mp") and then dropped.
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s\b")
_VOWELS = frozenset("aeiou")


def tokenize(text: str) -> list[str]:
    """Stemmed content words of ``text``, in order, repeats kept (counts matter for TF-IDF).

    Splitting at white space and caching each piece's terms ("budget," and "(AA" included) is
    twice as fast as a regular expression over the whole text; words never span white space,
    so the terms are the same. The cache is a plain dict emptied when full: an lru_cache's
    bookkeeping on every hit made this a third slower (4.7 against 2.8 us a sentence,
    compiled).
    """
    terms: list[str] = []
    known = _PIECE_TERMS
    for piece in text.lower().split():
        found = known.get(piece)
        if found is None:
            if len(known) >= _PIECES_KEPT:
                known.clear()
            found = known[piece] = _terms_of_piece(piece)
        if found:
            terms.extend(found)
    return terms


# Each white-space-separated piece of lower-case text seen, with its terms; news vocabulary
# repeats, so nearly every piece is found here.
_PIECE_TERMS: dict[str, tuple[str, ...]] = {}
_PIECES_KEPT = 65536


def term_counts(text: str) -> dict[str, int]:
    """How often each stemmed content word occurs in ``text``."""
    return counted(tokenize(text))


def counted(terms: Iterable[str]) -> dict[str, int]:
    """How often each term occurs, in order of first occurrence: Counter's counts without
    its constructor's checks, which cost more than the counting for a sentence's dozen terms
    (done some twenty times an article: 0.7 against 1.6 us compiled, 1.0 against 1.7 as
    Python)."""
    counts: dict[str, int] = {}
    for term in terms:
        counts[term] = counts.get(term, 0) + 1
    return counts


def _terms_of_piece(piece: str) -> tuple[str, ...]:
    return tuple(term for word in _WORD.findall(piece) for term in _terms_of_word(word))


@lru_cache(maxsize=32768)
def _terms_of_word(word: str) -> tuple[str, ...]:
    """The terms one lower-case word contributes; cached, as news vocabulary repeats."""
    if word in STOPWORDS:
        return ()
    if not word.isalpha():
        return tuple(_split_compound(word))
    stem = stem_word(word)
    return () if stem in STOPWORDS else (stem,)


def _split_compound(word: str) -> list[str]:
    """Terms of a word with an apostrophe, hyphen or digit: "high-speed" is "high" and "speed",
    "AOL's" is "aol", "O'Neill" is "oneill", and "2004" or "mp3" is nothing."""
    word = _POSSESSIVE.sub("", word).replace("'", "").replace("’", "")
    parts = word.split("-")
    return [
        stem_word(part)
        for part in parts
        if len(part) > 1 and part.isalpha() and part not in STOPWORDS
    ]


def stem_word(word: str) -> str:
    """Porter's steps 1 and 5a: fold plurals, -ed, -ing, final -y and -e; derivations stay."""
    if len(word) <= 3 or not word.isascii():
        return word
    word = _strip_plural(word)
    word = _strip_ed_ing(word)
    if word.endswith("y") and _has_vowel(word[:-1]):
        word = word[:-1] + "i"
    return _strip_final_e(word)


def _strip_final_e(word: str) -> str:
    """Porter's step 5a, so that "approve" meets "approved" at "approv"; "hope" keeps its e,
    as "hop" would be another word."""
    if not word.endswith("e"):
        return word
    base = word[:-1]
    measure = _measure(base)
    if measure > 1 or (measure == 1 and not _ends_cvc(base)):
        return base
    return word


def _strip_plural(word: str) -> str:
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("ies"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _strip_ed_ing(word: str) -> str:
    if word.endswith("eed"):
        return word[:-1] if _measure(word[:-3]) > 0 else word
    for suffix in ("ed", "ing"):
        if word.endswith(suffix):
            base = word[: -len(suffix)]
            return _repair_base(base) if _has_vowel(base) else word
    return word


def _repair_base(base: str) -> str:
    """Undo the spelling changes -ed and -ing made: "hoping" -> "hope", "running" -> "run"."""
    if base.endswith(("at", "bl", "iz")):
        return base + "e"
    if len(base) > 1 and base[-1] == base[-2] and _is_consonant(base, -1) and base[-1] not in "lsz":
        return base[:-1]
    if _measure(base) == 1 and _ends_cvc(base):
        return base + "e"
    return base


def _is_consonant(word: str, i: int) -> bool:
    i %= len(word)
    char = word[i]
    if char in _VOWELS:
        return False
    if char == "y":
        return i == 0 or not _is_consonant(word, i - 1)
    return True


def _has_vowel(word: str) -> bool:
    return any(not _is_consonant(word, i) for i in range(len(word)))


def _measure(word: str) -> int:
    """Porter's m: the number of vowel-consonant sequences in ``word``."""
    count = 0
    previous_vowel = False
    for i in range(len(word)):
        vowel = not _is_consonant(word, i)
        if previous_vowel and not vowel:
            count += 1
        previous_vowel = vowel
    return count


def _ends_cvc(word: str) -> bool:
    """Consonant-vowel-consonant ending, last not w, x or y: where a final e was dropped."""
    return (
        len(word) >= 3
        and _is_consonant(word, -3)
        and not _is_consonant(word, -2)
        and _is_consonant(word, -1)
        and word[-1] not in "wxy"
    )
