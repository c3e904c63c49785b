"""Named people, places and organisations, found fast by their capitals: the evidence that two
articles from different outlets tell the same event.

A name is a run of capitalised words (joined by "of", "de", "&" and the like: "Bank of
England", "Brenner & Vasquez") or an acronym ("NATO", "DPRK"). The first word of a sentence is
left out when it is a common word ("The", "But", "Officials"), and possessives are trimmed.
No statistical model: this has to cost microseconds, and it only has to find the same names
in two texts, not to classify them.
"""

from __future__ import annotations

import re
from collections import Counter

from briefgen.analysis.names import HONORIFICS, ROLE_WORDS
from briefgen.analysis.terms import STOPWORDS

_CAPITALISED = r"(?:(?:[A-Z]\.){2,}|[A-Z][\w’'&-]*)"
# The same, not inside a word (nothing word-like just before its capital). Written to start
# with the capital, so that the regular expression engine skips to the next capital letter
# without trying a match at every character (a lookbehind first made it try each: the
# search took half as long again).
_FIRST_CAPITALISED = r"(?:[A-Z](?<![\w’'].)(?:(?:\.[A-Z])+\.|[\w’'&-]*))"
_CONNECTOR = r"(?:of|de|da|del|der|van|von|for|al|bin|la|le|du|y|&)"
# A run of capitalised words, possibly joined by connectors; a possessive ends it.
_RUN = re.compile(rf"({_FIRST_CAPITALISED}(?:\s+(?:{_CONNECTOR}\s+)?{_CAPITALISED})*)")
_COMMON_CAPITALISED = frozenset(
    """the a an and but or so yet if as at by for from in into of on to with this that these
    those there here he she it we they i you his her its our their my your who what when where
    why how while after before during since until although though however meanwhile also
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december mr mrs ms dr sir officials analysts
    experts critics residents some many most several both all each every no not one two three
    last next earlier later today yesterday tomorrow according following""".split()
)
# Adjectives of nationality before a title ("Russian President Vladimir Putin"): dropped with
# the title, so both spellings of a name meet. Only a hint list; others stay in the run.
_NATIONALITIES = frozenset(
    "russian ukrainian american british french german chinese korean japanese israeli "
    "iranian spanish italian indian european".split()
)


def find_entities(text: str) -> Counter[str]:
    """Names in ``text`` with how often each occurs, folded to lower case."""
    found: Counter[str] = Counter()
    for match in _RUN.finditer(text, 0, READ_CHARACTERS):
        run = match.group(1)
        if " " not in run:  # most names are one word: "Russia", "NATO", "Rutte"
            word = run.rstrip("'’-")
            if word.endswith(("'s", "’s")):
                word = word[:-2]
            lowered = word.lower()
            if lowered not in _NOT_A_NAME and len(lowered) > 1:
                found[lowered] += 1
        elif "s" in run and ("'s" in run or "’s" in run):
            for words in _split_at_possessives(run.split()):
                _count(words, found)
        else:
            _count(run.split(), found)
    return found


def _split_at_possessives(words: list[str]) -> list[list[str]]:
    """ "South Korea's National Intelligence Service" names two things."""
    parts: list[list[str]] = [[]]
    for word in words:
        if word.endswith(("'s", "’s")):
            parts[-1].append(word[:-2])
            parts.append([])
        else:
            parts[-1].append(word)
    return parts


def _count(words: list[str], found: Counter[str]) -> None:
    words = [w.rstrip("'’-") for w in words]
    while words and words[0].lower() in _LEADING_NOT_NAME:
        words.pop(0)  # "The", "Secretary-General Mark Rutte", "President Putin"
    while words and words[-1].lower() in _CONNECTOR_WORDS:
        words.pop()
    if words:
        name = " ".join(words).lower()
        if len(name) > 1 and name not in STOPWORDS:
            found[name] += 1
            if len(words) > 1 and words[-1][:1].isupper():
                found[words[-1].lower()] += 1  # "Mark Rutte" is also the "Rutte" of later lines


# Names are read from the opening of an article: its news and its people are there, and a
# ten-megabyte article costs no more than a long one.
READ_CHARACTERS = 2000

_LEADING_NOT_NAME = _COMMON_CAPITALISED | ROLE_WORDS | HONORIFICS | _NATIONALITIES
_NOT_A_NAME = _LEADING_NOT_NAME | STOPWORDS

_CONNECTOR_WORDS = frozenset("of de da del der van von for al bin la le du y &".split())
