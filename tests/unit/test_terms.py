"""Word features: the terms key points, topics and stories compare texts by."""

from __future__ import annotations

from briefgen.analysis.terms import STOPWORDS, term_counts, tokenize


def test_stopwords_are_dropped() -> None:
    assert tokenize("It was the best of times and they said so") == ["best"]


def test_reporting_words_and_titles_are_stopwords() -> None:
    assert {"said", "says", "told", "mr", "mrs"} <= STOPWORDS


def test_words_are_lower_cased() -> None:
    assert tokenize("Parliament PARLIAMENT parliament") == ["parliament"] * 3


def test_plural_shares_the_stem_of_the_singular() -> None:
    assert tokenize("market markets") == tokenize("market") * 2
    assert tokenize("company companies") == tokenize("company") * 2


def test_ing_form_shares_the_stem_of_the_verb() -> None:
    assert tokenize("running runs") == tokenize("run") * 2
    assert tokenize("hoping hopes") == tokenize("hope") * 2


def test_ed_form_shares_the_stem_of_the_verb() -> None:
    assert tokenize("approved approves") == tokenize("approve") * 2


def test_numbers_are_dropped() -> None:
    assert tokenize("Profits rose 76% to $1.13bn in 2004") == tokenize("Profits rose")


def test_possessive_ending_is_dropped() -> None:
    assert tokenize("AOL's subscribers") == tokenize("AOL subscribers")


def test_hyphenated_word_gives_its_parts() -> None:
    assert tokenize("high-speed internet") == tokenize("high speed internet")


def test_non_english_letters_are_kept_as_words() -> None:
    assert tokenize("Erdoğan in Türkiye") == ["erdoğan", "türkiye"]


def test_term_counts_counts_each_stem() -> None:
    assert term_counts("Markets fell as the market feared rates") == {
        "market": 2,
        "fell": 1,
        "fear": 1,
        "rate": 1,
    }
