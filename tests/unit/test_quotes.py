from __future__ import annotations

import pytest

from briefgen.analysis.quotes import Quote, extract_quotes

# The story paragraphs of ../shared/seeds/nato-north-korea-troops.txt (without the headline,
# the byline, the date and the "Subscribe" and photo-credit lines), one paragraph per line.
NATO_ARTICLE = "\n\n".join(
    [
        "NATO chief Mark Rutte on Monday decried the deployment of North Korean troops to "
        "bolster Russia's war effort in Ukraine as a dangerous expansion of the conflict that "
        'signalled President Vladimir Putin\'s "growing desperation".',
        "The NATO chief on Monday said North Korean troops were deployed in Russia and called "
        'for them to "cease these actions immediately."',
        "Secretary-General Mark Rutte said allies were briefed by a delegation from the Republic "
        "of Korea \"on North Korea's growing involvement in Russia's illegal war of aggression "
        'against Ukraine."',
        "Following the briefing by senior representatives of South Korea's National Intelligence "
        'Service and National Defense Ministry, he said: "I can confirm that North Korean '
        "troops have been sent to Russia, and that North Korean military units have been "
        'deployed to the Kursk region."',
        "This move represents a \"significant escalation in the DPRK's ongoing involvement in "
        'Russia\'s illegal war," and "another breach of UN Security Council resolutions," '
        "Rutte added.",
        'He said it is "a dangerous expansion of Russia\'s war," and called on Russia and North '
        'Korea "to cease these actions immediately."',
        "Rutte said \"the deployment of North Korean troops to Kursk is also a sign of Putin's "
        'growing desperation," adding that Russian President Vladimir Putin was seeking '
        '"foreign support" against Ukraine\'s "courage and resilience."',
        "The secretary-general vowed NATO's continued support for Ukraine and said discussions "
        'are ongoing on "the need to further strengthen military support Ukraine."',
        "During a joint news conference with Rutte earlier this month, Ukrainian President "
        "Volodymyr Zelenskyy claimed 10,000 North Korean soldiers could join Russian forces "
        "fighting in Ukraine.",
        "He said that according to Ukrainian intelligence, it has information that North Korea "
        "sent tactical personnel and officers to occupied Ukrainian territories.",
        "The Ukrainian president's remarks came moments after Rutte said NATO had \"no evidence "
        'that North Korean soldiers are involved in the fight."',
        "South Korea had earlier claimed that Pyongyang sent 1,500 soldiers to Russia aboard "
        'navy ships on Oct. 8-13 to support Moscow\'s "special military operation" in Ukraine '
        "that started in February 2022.",
    ]
)


def speakers(text: str) -> dict[str, str | None]:
    return {quote.text: quote.speaker for quote in extract_quotes(text)}


def only_quote(text: str) -> Quote:
    quotes = extract_quotes(text)
    assert len(quotes) == 1, quotes
    return quotes[0]


# --- the seed article ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "words",
    [
        "I can confirm that North Korean troops have been sent to Russia, and that North "
        "Korean military units have been deployed to the Kursk region",
        "growing desperation",
        "cease these actions immediately",
        "significant escalation in the DPRK's ongoing involvement in Russia's illegal war",
        "a dangerous expansion of Russia's war",
        "foreign support",
        "no evidence that North Korean soldiers are involved in the fight",
    ],
)
def test_seed_article_quotes_are_mark_ruttes(words: str) -> None:
    assert speakers(NATO_ARTICLE)[words] == "Mark Rutte"


def test_seed_article_quote_said_twice_appears_once() -> None:
    texts = [quote.text for quote in extract_quotes(NATO_ARTICLE)]
    assert sum("cease these actions immediately" in text for text in texts) == 1


def test_seed_article_special_military_operation_is_not_a_quote() -> None:
    texts = [quote.text for quote in extract_quotes(NATO_ARTICLE)]
    assert not any("special military operation" in text for text in texts)


def test_seed_article_every_quote_is_a_verbatim_slice_without_marks() -> None:
    quotes = extract_quotes(NATO_ARTICLE)
    assert quotes
    for quote in quotes:
        assert NATO_ARTICLE[quote.start : quote.end] == quote.text
        assert quote.text[0] not in "\"'“”‘’ "
        assert quote.text[-1] not in "\"'“”‘’ ,.!?;:"


def test_seed_article_quotes_come_in_text_order() -> None:
    starts = [quote.start for quote in extract_quotes(NATO_ARTICLE)]
    assert starts == sorted(starts)


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


@pytest.mark.xfail(
    strict=True,
    reason="pronouns are resolved by position only: 'she' is not matched to a woman's name",
)
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


def test_speaker_for_an_organisation_is_not_the_organisation() -> None:
    text = 'A spokeswoman for Human Rights Watch said it was "a basic principle of justice".'
    assert only_quote(text).speaker is None


def test_name_in_an_aside_before_the_verb_is_the_speaker() -> None:
    text = '"I am outraged," the play\'s organiser in Uganda, Sarah Mukasa, told the BBC.'
    assert only_quote(text).speaker == "Sarah Mukasa"


def test_quote_with_nobody_speaking_has_no_speaker() -> None:
    text = 'A banner over the road read: "Welcome home to all our brave soldiers."'
    assert only_quote(text).speaker is None


# --- quotation marks and spans ---------------------------------------------------------------


def test_curly_quotes_are_quotations() -> None:
    text = "“We will not back down,” said Mark Rutte."
    quote = only_quote(text)
    assert (quote.text, quote.speaker) == ("We will not back down", "Mark Rutte")


def test_apostrophes_do_not_open_quotations() -> None:
    text = "Russia's army didn't stop. Mark Rutte said: \"It's Putin's war.\""
    assert only_quote(text).text == "It's Putin's war"


def test_single_quotes_count_in_a_headline() -> None:
    text = "NATO chief calls on Russia to 'cease these actions immediately'"
    assert [q.text for q in extract_quotes(text)] == ["cease these actions immediately"]


def test_single_quotes_in_body_text_are_ignored() -> None:
    text = "The so-called 'grey zone' tactics went on, the report said."
    assert extract_quotes(text) == []


def test_quote_over_several_sentences_is_one_quote() -> None:
    text = '"We are ready. We are united. We will act," said Mark Rutte.'
    quote = only_quote(text)
    assert (quote.text, quote.speaker) == ("We are ready. We are united. We will act", "Mark Rutte")


def test_quote_over_two_paragraphs_gives_one_quote_per_paragraph_with_one_speaker() -> None:
    text = (
        'Mark Rutte said: "We are ready to help Ukraine for as long as it takes.\n\n'
        '"Nobody should doubt our resolve."'
    )
    quotes = extract_quotes(text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("We are ready to help Ukraine for as long as it takes", "Mark Rutte"),
        ("Nobody should doubt our resolve", "Mark Rutte"),
    ]
    assert all(text[q.start : q.end] == q.text for q in quotes)


def test_quoted_sentences_in_a_row_share_the_speaker_named_after_them() -> None:
    text = '"It really hurts." "It was my mistake." "I lost the race," said Maurice Greene.'
    assert set(speakers(text).values()) == {"Maurice Greene"}


def test_quoted_paragraph_without_a_verb_belongs_to_the_speaker_before_it() -> None:
    text = (
        'Mark Rutte said: "We are ready."\n\n'
        '"Nobody should doubt that the alliance will defend every inch of its territory."'
    )
    assert set(speakers(text).values()) == {"Mark Rutte"}


# --- what is not a quotation -----------------------------------------------------------------


def test_scare_quote_is_not_a_quote() -> None:
    text = 'Troops were sent to support Moscow\'s "special military operation" in Ukraine.'
    assert extract_quotes(text) == []


def test_so_called_term_is_not_a_quote() -> None:
    text = 'Mark Rutte said the so-called "shadow fleet" was a threat to shipping in the Baltic.'
    assert extract_quotes(text) == []


def test_film_title_is_not_a_quote() -> None:
    text = 'The film "Gladiator II" opened in cinemas across Europe on Friday.'
    assert extract_quotes(text) == []


def test_book_title_is_not_a_quote_even_in_a_speaking_sentence() -> None:
    text = 'Mark Rutte said his book "Lessons From The Hague" would be out in spring.'
    assert extract_quotes(text) == []


def test_nickname_is_not_a_quote() -> None:
    text = 'Donald "The Don" Smith was arrested in Miami on Tuesday.'
    assert extract_quotes(text) == []


def test_short_partial_quote_with_a_speaker_is_kept() -> None:
    text = 'Mark Rutte said it was "a dangerous expansion" of the war.'
    assert speakers(text) == {"a dangerous expansion": "Mark Rutte"}


def test_same_quote_twice_appears_once_at_its_first_place() -> None:
    text = (
        'Mark Rutte called for Russia to "stop the war now."\n\n'
        'Later he repeated that Russia must "stop the war now."'
    )
    quotes = extract_quotes(text)
    assert [(q.text, q.start) for q in quotes] == [("stop the war now", text.index("stop"))]


def test_text_without_quotation_marks_has_no_quotes() -> None:
    assert extract_quotes("Mark Rutte said the alliance was ready.") == []
