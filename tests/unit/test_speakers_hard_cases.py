"""The hard cases of the quote gold set (tests/fixtures/quotes/), one behaviour each."""

from __future__ import annotations

from tests.unit.test_quotes import only_quote, speakers


def test_quote_split_by_its_attribution_gives_both_halves_to_the_speaker() -> None:
    text = (
        "Prime Minister Elena Marsh met the opposition leader, Tomas Brandt, on Thursday.\n\n"
        '"We have agreed to meet again," the prime minister said, "and that is real progress."'
    )
    assert speakers(text) == {
        "We have agreed to meet again": "Elena Marsh",
        "and that is real progress": "Elena Marsh",
    }


def test_said_before_the_name_credits_the_name() -> None:
    text = (
        "Tomas Brandt led the talks.\n\n"
        '"If nothing changes, we will vote against it," said Brandt, who leads the party.'
    )
    assert only_quote(text).speaker == "Tomas Brandt"


def test_she_passes_over_the_man_who_is_the_subject() -> None:
    text = (
        "Deputy leader Owen Pryce left the meeting with Finance Secretary Ingrid Halvorsen.\n\n"
        'She said: "Nobody gets everything they want in a budget."'
    )
    assert only_quote(text).speaker == "Ingrid Halvorsen"


def test_he_passes_over_a_woman_named_by_her_honorific() -> None:
    text = 'Ms Okafor met Peter Lindqvist in Oslo.\n\nHe said: "The deal is done."'
    assert only_quote(text).speaker == "Peter Lindqvist"


def test_quote_over_two_paragraphs_keeps_the_speaker_named_after_it() -> None:
    text = (
        'Finance Secretary Ingrid Halvorsen defended the plan. "It asks the most of those who '
        "can give.\n\n"
        '"We have protected schools, and we will not apologise for that," she said.'
    )
    assert list(speakers(text).values()) == ["Ingrid Halvorsen", "Ingrid Halvorsen"]


def test_the_company_is_the_company_named_before() -> None:
    text = (
        "Veltrana Motors cut its profit forecast on Tuesday.\n\n"
        'The company said demand had been "weaker than we planned for".'
    )
    assert only_quote(text).speaker == "Veltrana Motors"


def test_it_said_is_the_organisation_that_spoke_last() -> None:
    text = (
        'Google said the feature "adds useful links".\n\n'
        'It said: "The user can choose never to click on the button."'
    )
    assert set(speakers(text).values()) == {"Google"}


def test_it_said_far_from_any_organisation_gives_no_speaker() -> None:
    text = (
        'Google said the feature "adds useful links".\n\n'
        "Users were unsure.\n\nSome wrote to the firm.\n\nOthers did not.\n\nMost waited.\n\n"
        'It said: "Nothing will change."'
    )
    assert speakers(text)["Nothing will change"] is None


def test_according_to_an_organisation_gives_its_name_without_the() -> None:
    text = 'Car sales will fall "for a third year", according to the Bank of England.'
    assert only_quote(text).speaker == "Bank of England"


def test_according_to_a_role_and_a_name_gives_the_name() -> None:
    text = 'The challenger had "nothing left", according to his coach, Pavel Rusev.'
    assert only_quote(text).speaker == "Pavel Rusev"


def test_organisation_in_apposition_is_the_speaker() -> None:
    text = 'Okoye\'s publisher, Finch & Harlow, said the prize would "bring her readers".'
    assert only_quote(text).speaker == "Finch & Harlow"


def test_a_capitalised_plural_opening_a_sentence_is_not_an_organisation() -> None:
    text = 'Others said the plan was "a betrayal of the workforce".'
    assert only_quote(text).speaker is None


def test_unnamed_officials_give_no_speaker() -> None:
    text = 'Union officials said the cuts were "a betrayal of the workforce".'
    assert only_quote(text).speaker is None


def test_nickname_inside_a_name_is_not_a_quote_and_the_name_is_whole() -> None:
    text = (
        'Jonas "The Hammer" Petrov retained his title on Saturday.\n\n'
        '"I told you he would not last," Petrov said.'
    )
    assert speakers(text) == {"I told you he would not last": "Jonas Petrov"}


def test_titles_inside_an_aside_do_not_hide_the_speaker() -> None:
    text = (
        "The novelist Hannah Okoye won the prize.\n\n"
        'Okoye, whose novels include "Harbour Lights" and "A Quiet Year", said she was '
        '"completely stunned".'
    )
    assert speakers(text) == {"completely stunned": "Hannah Okoye"}


def test_the_same_person_under_several_names_is_one_speaker() -> None:
    text = (
        "NATO chief Mark Rutte arrived in Kyiv.\n\n"
        '"We are ready," Rutte said.\n\n'
        'The NATO chief added that allies were "united".\n\n'
        'He said: "Ukraine will win."'
    )
    assert set(speakers(text).values()) == {"Mark Rutte"}
