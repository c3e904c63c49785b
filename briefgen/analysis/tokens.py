"""Words and marks of a stretch of plain text, each with its offset: what the readers of names
(`mentions`) and of speaking verbs (`attribution`) work on.

Tokens rather than raw text, so a quotation masked into one `QUOTE` token can never look like a
name or a verb.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

WORD, PUNCT, QUOTE = "w", "p", "q"

# Words run up to a space or a mark that cannot be inside a word; "1,500" stays whole. A
# character class, not \w alternatives: tokenising is most of the time an article takes. The
# spaces before each token are matched too, so that offsets come from lengths, not match objects.
_TOKEN = re.compile(r"(\s*)(\d+(?:,\d\d\d)+|[^\s,.;:!?\"“”()\[\]]+|\S)")


@dataclass(slots=True)
class Token:
    """A word, a punctuation mark, or a whole quotation (``kind == QUOTE``).

    A class, not a named tuple, as are the other records of the analysis (`Mention`,
    `QuoteSpan`, `Sentence`): compiled, each is a native class, whose fields compiled code
    reads as a C struct's rather than by attribute lookup (2.7% less CPU an article).
    """

    text: str  # for a word: without a possessive 's
    lower: str
    start: int  # offset in the article's plain text
    kind: str
    possessive: bool = False
    quote: int = -1  # for a quotation: its index in the caller's list


def tokenize(text: str, start: int, end: int) -> list[Token]:
    """The words and marks of ``text[start:end]``, with offsets into ``text``."""
    tokens: list[Token] = []
    pos = start
    for space, word in _TOKEN.findall(text, start, end):
        pos += len(space)
        if not word[0].isalnum():  # dashes too
            tokens.append(Token(word, word, pos, PUNCT))
        elif "'" in word or "’" in word:
            tokens.append(_word_with_apostrophe(word, pos))
        else:
            tokens.append(Token(word, word.lower(), pos, WORD))
        pos += len(word)
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


def word_set(text: str) -> frozenset[str]:
    """A word list written as one string."""
    return frozenset(text.split())


def lower_at(tokens: Sequence[Token], i: int) -> str:
    """The lower-case word at ``i``, or "" outside the tokens."""
    return tokens[i].lower if 0 <= i < len(tokens) else ""
