"""Properties of the sentence splitter and the quote extractor, over any text.

Both read whatever an article holds, so they must never raise, and what they return must point
back into the text exactly: a page highlights a quote by its span and a reader checks it
against the source. The texts come from a small grammar of news copy that makes many quotes
(speakers, speaking verbs, straight, curly, low and French marks, left open or nested, over
paragraphs) and from arbitrary characters. ``HYPOTHESIS_PROFILE=thorough`` runs many more
examples (see tests/conftest.py).
"""

from __future__ import annotations

import re
from itertools import pairwise

from hypothesis import example, given
from hypothesis import strategies as st

from briefgen.analysis.quotes import Quote, extract_quotes
from briefgen.analysis.sentences import Sentence, split_sentences

# --- texts -------------------------------------------------------------------------------------

NAMES = [
    "Mark Rutte",
    "Secretary-General Mark Rutte",
    "NATO chief",
    "Rutte",
    "President Vladimir Putin",
    "Putin's",
    'Jonas "The Hammer" Petrov',
    "Google",
    "the company",
    "the Bank of England",
    "a spokeswoman for Human Rights Watch",
    "officials",
    "Dr. Jane O'Neil",
    "J. K. Rowling",
    "He",
    "he",
    "she",
    "it",
    "they",
    "I",
    "Zelenskyy",
    "Acme Inc.",
]
VERBS = ["said", "says", "told reporters", "added", "warned", "asked", "recalled", "claimed"]
WORDS = [
    "we",
    "will",
    "not",
    "back",
    "down",
    "Russia's",
    "war",
    "U.S.",
    "Mr.",
    "No.",
    "10",
    "1.5%",
    "growing desperation",
    "he said",
    "so-called",
    "It's",
    "cease these actions immediately",
    "Ukraine",
    "the film",
    "called",
    "—",
    "...",
    "",
]
MARKS = [('"', '"'), ("“", "”"), ("„", "“"), ("«", "»"), ("« ", " »"), ("‘", "’"), ("'", "'")]
STOPS = ["", ".", ",", "?", "!", ":", ";", ".”", ",'", "…"]

names = st.sampled_from(NAMES)
verbs = st.sampled_from(VERBS)
stops = st.sampled_from(STOPS)
phrases = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)


@st.composite
def quoted(draw: st.DrawFn) -> str:
    """Words between marks: paired, left open, closed twice, or with a quotation inside."""
    opening, closing = draw(st.sampled_from(MARKS))
    words = draw(phrases)
    inner = draw(st.sampled_from(["", "'{}'", "“{}”", '"{}"', "‘{}’"]))
    if inner:
        words = f"{words} {inner.format(draw(phrases))} {draw(phrases)}"
    words += draw(stops)
    shape = draw(st.sampled_from(["{o}{w}{c}", "{o}{w}{c}", "{o}{w}", "{w}{c}", "{o}{w}{c}{c}"]))
    return shape.format(o=opening, w=words, c=closing)


@st.composite
def sentences_with_quotes(draw: st.DrawFn) -> str:
    name, verb, quote = draw(names), draw(verbs), draw(quoted())
    template = draw(
        st.sampled_from(
            [
                "{n} {v} {q}",
                "{n} {v}: {q}",
                "{q} {n} {v}.",
                "{q}, {v} {n}.",
                "According to {n}, {q}.",
                "{n}: {q}",
                "{n} {v} that {p} {q}.",
                "{p} {q} {p}.",
                "{q}",
                "{q} {q}",
                "{p}.",
                "The {p} called it a {q}.",
            ]
        )
    )
    return template.format(n=name, v=verb, q=quote, p=draw(phrases))


news_copy = st.lists(
    st.tuples(sentences_with_quotes(), st.sampled_from([" ", " ", "", "\n\n", "\n", "\n \n"])),
    max_size=12,
).map(lambda parts: "".join(sentence + gap for sentence, gap in parts))

QUOTE_AND_SPACE_CHARS = "\"'“”‘’«»‹›„ \n\t\u00a0\u202f.,!?;:—-()"
dense_marks = st.text(
    alphabet=st.sampled_from(QUOTE_AND_SPACE_CHARS) | st.sampled_from("aZ é'sHhe said"),
    max_size=80,
)
any_text = st.text(max_size=300)
texts = st.one_of(news_copy, dense_marks, any_text)

# Inputs that once broke something or sit on an edge: always run.
EDGE_TEXTS = [
    "",
    "\n\n\n",
    '"',
    '""',
    "“”",
    "«»",
    "...",
    "?!.",
    "a" * 5000,
    "x." * 2000,
    '\x00\x1f\x85\u2028\u2029 said "\x0b"',
    '"He said." "She said." "It said," it said.',
    'Mark Rutte said: "We are ready.\n\n"And able.\n\n"Yes," he said.',
    'Jonas "The Hammer" Petrov said „so“ and «non».',
]


def with_edge_cases(test):  # type: ignore[no-untyped-def]
    for text in EDGE_TEXTS:
        test = example(text)(test)
    return test


# --- sentences ---------------------------------------------------------------------------------


def sentences_of(text: str) -> list[Sentence]:
    sentences = split_sentences(text)
    assert all(isinstance(sentence, Sentence) for sentence in sentences)
    return sentences


@with_edge_cases
@given(texts)
def test_each_sentence_is_the_text_at_its_span(text: str) -> None:
    for sentence in sentences_of(text):
        assert 0 <= sentence.start < sentence.end <= len(text)
        assert text[sentence.start : sentence.end] == sentence.text


@with_edge_cases
@given(texts)
def test_sentences_are_trimmed_and_never_blank(text: str) -> None:
    for sentence in sentences_of(text):
        assert sentence.text.strip() == sentence.text != ""


@with_edge_cases
@given(texts)
def test_sentences_come_in_text_order_without_overlapping(text: str) -> None:
    sentences = sentences_of(text)
    for before, after in pairwise(sentences):
        assert before.end <= after.start
        assert before.paragraph <= after.paragraph


@with_edge_cases
@given(texts)
def test_a_line_break_always_ends_a_sentence(text: str) -> None:
    assert not any("\n" in sentence.text for sentence in sentences_of(text))


@with_edge_cases
@given(texts)
def test_only_blank_stretches_are_left_out_of_the_sentences(text: str) -> None:
    covered = [False] * len(text)
    for sentence in sentences_of(text):
        covered[sentence.start : sentence.end] = [True] * (sentence.end - sentence.start)
    assert all(char.isspace() for char, inside in zip(text, covered, strict=True) if not inside)


@with_edge_cases
@given(texts)
def test_each_non_blank_line_is_one_paragraph(text: str) -> None:
    paragraphs = {sentence.paragraph for sentence in sentences_of(text)}
    assert paragraphs == set(range(sum(1 for line in text.split("\n") if line.strip())))


# --- quotes ------------------------------------------------------------------------------------

CLOSING_PUNCTUATION = ",.!?;:"
QUOTATION_MARKS = "\"'“”‘’«»‹›„"
PRONOUNS = {"he", "she", "it", "they", "i", "we", "you", "him", "her", "them"}


def quotes_of(text: str) -> list[Quote]:
    quotes = extract_quotes(text)
    assert quotes == extract_quotes(text, split_sentences(text)), "the sentences given change it"
    return quotes


@with_edge_cases
@example('"a ' * 3000)  # a long run of quotations with no speaker took seconds (quadratic)
@given(texts)
def test_each_quote_is_the_text_at_its_span(text: str) -> None:
    for quote in quotes_of(text):
        assert 0 <= quote.start < quote.end <= len(text)
        assert text[quote.start : quote.end] == quote.text


@with_edge_cases
# A headline's single marks around words that open with a closing mark kept that mark.
@example("Merkel: '»Wir schaffen das«'")
@example("'»a")
# White space other than a space or a tab stayed at the ends (a non-breaking one inside “ ”).
@example("Macron: “\u00a0Nous gagnerons\u00a0”, dit-il.")
@example("«0\x1f")
@given(texts)
def test_a_quote_has_no_marks_around_it_and_no_closing_punctuation(text: str) -> None:
    for quote in quotes_of(text):
        assert quote.text == quote.text.strip()
        assert quote.text[0] not in QUOTATION_MARKS.replace("’", "")  # ’Tis keeps its mark
        assert quote.text[-1] not in QUOTATION_MARKS + CLOSING_PUNCTUATION


@with_edge_cases
# A quotation inside a quotation in a headline was listed again on its own, inside the first.
@example("Rutte says 'we are \"ready\" to act' in Kursk")
@example("':\"a")
@given(texts)
def test_quotes_come_in_text_order_each_once(text: str) -> None:
    quotes = quotes_of(text)
    for before, after in pairwise(quotes):
        assert before.end <= after.start
    said = [" ".join(quote.text.casefold().split()) for quote in quotes]
    assert len(said) == len(set(said))


@with_edge_cases
@given(texts)
def test_a_speaker_is_a_name_from_the_text_or_none(text: str) -> None:
    for quote in quotes_of(text):
        if quote.speaker is None:
            continue
        assert quote.speaker == quote.speaker.strip() != ""
        assert quote.speaker.casefold() not in PRONOUNS
        assert all(word in text.casefold() for word in re.findall(r"\w+", quote.speaker.casefold()))
