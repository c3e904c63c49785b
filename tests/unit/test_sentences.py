from __future__ import annotations

import pytest

from briefgen.analysis.sentences import split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
        (
            "It happened on Oct. 28 in the city. Then rain.",
            ["It happened on Oct. 28 in the city.", "Then rain."],
        ),
        (
            "He lives at No. 10 Downing Street. It is old.",
            ["He lives at No. 10 Downing Street.", "It is old."],
        ),
        ("Growth was 1.5% this year. Prices rose.", ["Growth was 1.5% this year.", "Prices rose."]),
        ("The U.S. Senate voted. It passed.", ["The U.S. Senate voted.", "It passed."]),
        (
            "Troops went to the U.S. The talks ended.",
            ["Troops went to the U.S.", "The talks ended."],
        ),
        ("J. K. Rowling wrote it. Fans cheered.", ["J. K. Rowling wrote it.", "Fans cheered."]),
        (
            "Shares in Acme Inc. fell. The market rose.",
            ["Shares in Acme Inc. fell.", "The market rose."],
        ),
    ],
)
def test_abbreviations_numbers_and_initials_do_not_end_sentences(
    text: str, expected: list[str]
) -> None:
    assert texts(text) == expected


def test_a_quotation_ending_a_sentence_stays_with_it() -> None:
    text = 'He said: "I can confirm it." Then he left.'
    assert texts(text) == ['He said: "I can confirm it."', "Then he left."]


def test_a_question_inside_quotes_followed_by_attribution_is_one_sentence() -> None:
    assert texts('"Is it over?" she asked. Nobody knew.') == [
        '"Is it over?" she asked.',
        "Nobody knew.",
    ]


def test_curly_quotes_close_a_sentence_too() -> None:
    assert texts("He said: “We will stay.” The crowd cheered.") == [
        "He said: “We will stay.”",
        "The crowd cheered.",
    ]


def test_paragraph_breaks_always_end_a_sentence_and_offsets_index_the_text() -> None:
    text = "First paragraph without a stop\n\nSecond one. Third one."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "First paragraph without a stop",
        "Second one.",
        "Third one.",
    ]
    assert [s.paragraph for s in sentences] == [0, 1, 1]
    assert all(text[s.start : s.end] == s.text for s in sentences)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'Shares in Acme Inc. "The deal is done," she said.',
            ["Shares in Acme Inc.", '"The deal is done," she said.'],
        ),
        (
            'Shares in Acme Inc. "Acme rose," she said.',
            ['Shares in Acme Inc. "Acme rose," she said.'],
        ),
        (
            "It came from the U.S. “The talks ended,” he said.",
            ["It came from the U.S.", "“The talks ended,” he said."],
        ),
    ],
)
def test_after_an_abbreviation_the_word_inside_an_opening_quote_decides(
    text: str, expected: list[str]
) -> None:
    assert texts(text) == expected
