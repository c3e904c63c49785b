"""Who a quotation is credited to: the grammar of speaking and the references to people."""

from __future__ import annotations

import pytest

from tests.unit.test_quotes import only_quote, speakers

# --- attribution patterns --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        'Mark Rutte said "we stand with Ukraine".',
        'Mark Rutte said: "We stand with Ukraine."',
        '"We stand with Ukraine," Mark Rutte said.',
        '"We stand with Ukraine," said Mark Rutte.',
        'Mark Rutte told reporters "we stand with Ukraine".',
        'Mark Rutte: "We stand with Ukraine."',
        'Mark Rutte warned that "we stand with Ukraine and will not waver".',
        'Mark Rutte on Monday insisted "we stand with Ukraine".',
        '"We stand with Ukraine," said Mark Rutte, who leads the alliance.',
        'Mark Rutte, the NATO chief, said: "We stand with Ukraine."',
    ],
)
def test_speaker_named_with_a_speaking_verb_is_credited(text: str) -> None:
    assert only_quote(text).speaker == "Mark Rutte"


def test_asked_after_a_question_credits_the_name_after_it() -> None:
    assert only_quote('"Why now?" asked Mark Rutte.').speaker == "Mark Rutte"


def test_told_credits_its_subject_not_its_object() -> None:
    text = '"We are ready," Mark Rutte told the BBC\'s Newsnight programme.'
    assert only_quote(text).speaker == "Mark Rutte"


def test_according_to_credits_the_name_after_it() -> None:
    text = 'The alliance is "ready for anything", according to Mark Rutte.'
    assert only_quote(text).speaker == "Mark Rutte"


def test_added_credits_a_quote_before_it() -> None:
    text = (
        "Mark Rutte met ministers in Brussels.\n\n"
        '"The alliance has never been more united," Rutte added.'
    )
    assert only_quote(text).speaker == "Mark Rutte"


def test_partial_quote_belongs_to_who_says_it_not_to_who_is_named_in_it() -> None:
    text = 'Mark Rutte said President Vladimir Putin was seeking "foreign support" for the war.'
    assert only_quote(text).speaker == "Mark Rutte"


def test_partial_quote_belongs_to_the_subject_of_the_speaking_verb() -> None:
    text = (
        "NATO chief Mark Rutte decried the deployment as an escalation that signalled "
        'President Vladimir Putin\'s "growing desperation".'
    )
    assert only_quote(text).speaker == "Mark Rutte"


# --- resolving who a reference means ---------------------------------------------------------


def test_pronoun_means_the_last_person_named() -> None:
    text = 'Olaf Scholz arrived in Kyiv on Monday.\n\nHe said: "We will keep helping."'
    assert only_quote(text).speaker == "Olaf Scholz"


def test_pronoun_means_a_person_not_an_organisation() -> None:
    text = (
        "Mark Rutte spoke after meeting officials of the European Union.\n\n"
        'He said: "The alliance is ready."'
    )
    assert only_quote(text).speaker == "Mark Rutte"


def test_pronoun_prefers_the_subject_over_a_person_named_in_passing() -> None:
    text = (
        'Mark Rutte met Olaf Scholz in Berlin on Monday.\n\nHe said: "Germany is a steadfast ally."'
    )
    assert only_quote(text).speaker == "Mark Rutte"


def test_pronoun_she_means_the_last_woman_named() -> None:
    text = 'Mark Rutte met Kaja Kallas in Brussels.\n\nShe said: "Europe must do more."'
    assert only_quote(text).speaker == "Kaja Kallas"


def test_title_means_the_person_introduced_with_it() -> None:
    text = (
        "NATO chief Mark Rutte arrived in Kyiv with Olaf Scholz.\n\n"
        'The NATO chief said: "Ukraine will win."'
    )
    assert only_quote(text).speaker == "Mark Rutte"


def test_title_means_the_person_introduced_with_that_title() -> None:
    text = (
        "Secretary-General Mark Rutte met Ukrainian President Volodymyr Zelenskyy.\n\n"
        'The Ukrainian president said: "We need more air defence."\n\n'
        'The secretary-general said: "You will have it."'
    )
    assert speakers(text) == {
        "We need more air defence": "Volodymyr Zelenskyy",
        "You will have it": "Mark Rutte",
    }


def test_surname_means_the_full_name_introduced_earlier() -> None:
    text = 'Mark Rutte arrived in Kyiv.\n\n"We are here to stay," Rutte said.'
    assert only_quote(text).speaker == "Mark Rutte"


def test_honorific_and_surname_mean_the_full_name() -> None:
    text = 'Richard Thomas wrote to ministers.\n\nMr Thomas said: "The law is clear."'
    assert only_quote(text).speaker == "Richard Thomas"


def test_speaker_name_is_given_without_its_title() -> None:
    text = 'Prime Minister Keir Starmer said: "We will act."'
    assert only_quote(text).speaker == "Keir Starmer"


def test_unnamed_speaker_gives_no_name() -> None:
    text = 'A Cabinet Office spokeswoman said the change was "routine housekeeping".'
    assert only_quote(text).speaker is None


def test_spokeswoman_for_an_organisation_gives_the_organisation() -> None:
    text = 'A spokeswoman for Human Rights Watch said it was "a basic principle of justice".'
    assert only_quote(text).speaker == "Human Rights Watch"


def test_name_in_an_aside_before_the_verb_is_the_speaker() -> None:
    text = '"I am outraged," the play\'s organiser in Uganda, Sarah Mukasa, told the BBC.'
    assert only_quote(text).speaker == "Sarah Mukasa"


def test_quote_with_nobody_speaking_has_no_speaker() -> None:
    text = 'A banner over the road read: "Welcome home to all our brave soldiers."'
    assert only_quote(text).speaker is None


def test_pronoun_means_the_person_introduced_after_the_last_subject() -> None:
    text = (
        "President Yoon Suk Yeol has since said Seoul would not rule out supplying weapons.\n\n"
        "For Aurelio Brandt, director of the Quillfield Institute for Defence Policy, the "
        "deployment is a transaction.\n\n"
        '"For Moscow, it is manpower without a new mobilisation order," he said.'
    )
    assert only_quote(text).speaker == "Aurelio Brandt"


def test_pronoun_passes_over_a_person_named_only_as_an_owner() -> None:
    text = (
        "Mark Rutte said the alliance was ready.\n\n"
        "The deployment followed Vladimir Putin's visit to Pyongyang in June.\n\n"
        '"We are watching closely," he said.'
    )
    assert only_quote(text).speaker == "Mark Rutte"


def test_pronoun_after_an_opening_phrase_does_not_mean_the_person_named_in_it() -> None:
    text = (
        "Mark Rutte arrived in Berlin on Monday.\n\n"
        'After talks with Olaf Scholz, he said: "We are united."'
    )
    assert only_quote(text).speaker == "Mark Rutte"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('Google said the feature, available only in the US, "adds useful links".', "Google"),
        ('The Tories dismissed the maternity pay plan as "desperate".', "Tories"),
        (
            "The official Xinhua News Agency said the crackdown was carried out to create a "
            '"safer environment for young people in China".',
            "Xinhua News Agency",
        ),
        ('The idea, says BT, is to shape a "21st Century model" for the arts.', "BT"),
    ],
)
def test_an_organisation_subject_of_the_speaking_verb_is_the_speaker(
    text: str, speaker: str
) -> None:
    assert only_quote(text).speaker == speaker


def test_words_of_an_organisation_name_are_not_a_person() -> None:
    text = (
        "Marisol Echevarría, a climate scientist at the Iberian Institute for Climate Risk, said "
        "the pattern was consistent with the models.\n\n"
        '"A warmer sea is effectively a bigger fuel tank," she said.'
    )
    assert only_quote(text).speaker == "Marisol Echevarría"


def test_religious_title_is_not_part_of_the_name() -> None:
    text = (
        "Iran's Supreme Leader Ayatollah Ali Khamenei said the strikes "
        '"should not be exaggerated nor downplayed".'
    )
    assert only_quote(text).speaker == "Ali Khamenei"


def test_pronoun_carries_through_a_sentence_it_is_the_subject_of() -> None:
    text = (
        "Palaniappan Chidambaram spoke in London on Friday.\n\n"
        "At a conference hosted by finance minister Gordon Brown, he backed floating rates.\n\n"
        '"A flexible exchange rate is one more channel for absorbing shocks," he told the '
        "conference."
    )
    assert only_quote(text).speaker == "Palaniappan Chidambaram"
