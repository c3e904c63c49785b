"""Quotations: which quoted words are quotes, their spans, and quotations over paragraphs."""

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


@pytest.mark.parametrize(
    "text",
    [
        "Emmanuel Macron said: « We will not give in. »",
        "Emmanuel Macron said: «We will not give in.»",
        "Emmanuel Macron said: «\u00a0We will not give in.\u00a0»",
    ],
)
def test_french_guillemets_are_quotations_with_or_without_spaces_inside(text: str) -> None:
    quote = only_quote(text)
    assert (quote.text, quote.speaker) == ("We will not give in", "Emmanuel Macron")
    assert text[quote.start : quote.end] == quote.text


def test_german_quotes_open_low_and_close_high() -> None:
    text = "Olaf Scholz said: „We stand with Ukraine.“ Then he left."
    quote = only_quote(text)
    assert (quote.text, quote.speaker) == ("We stand with Ukraine", "Olaf Scholz")


def test_single_guillemets_count_in_a_headline() -> None:
    text = "Macron warns of ‹ dangerous escalation › in the Kursk region"
    assert [q.text for q in extract_quotes(text)] == ["dangerous escalation"]


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


def test_quote_continued_over_paragraphs_takes_the_speaker_of_its_last_part() -> None:
    text = (
        "President Yoon Suk Yeol has since said Seoul would not rule out supplying weapons.\n\n"
        "For Aurelio Brandt, director of the Quillfield Institute, the deployment is a "
        "transaction.\n\n"
        "“For Pyongyang, this is a paid apprenticeship in modern war. Its officers will learn "
        "about drones.\n\n"
        "“For Moscow, it is manpower without a new mobilisation order,” he said."
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Aurelio Brandt", "Aurelio Brandt"]


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


@pytest.mark.parametrize(
    "text",
    [
        "Moscow, which still calls its full-scale invasion of Ukraine a "
        '"special military operation", has not confirmed the deployment.',
        "The government says the money is needed to fill what it calls a "
        '"black hole" of £22 billion in this year\'s spending plans.',
    ],
)
def test_what_an_organisation_calls_something_is_not_a_quote(text: str) -> None:
    assert extract_quotes(text) == []


def test_what_a_person_calls_something_is_their_quote() -> None:
    text = 'Mark Rutte called the move a "significant escalation" in the war.'
    assert speakers(text) == {"significant escalation": "Mark Rutte"}


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
