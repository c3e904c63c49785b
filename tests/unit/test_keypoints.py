"""Key points: central, early and novel sentences; never boilerplate, fragments or quotes."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from briefgen.analysis.keypoints import (
    DUPLICATE_SIMILARITY,
    cosine,
    select_key_points,
    select_lead_points,
    tfidf_vectors,
)
from briefgen.analysis.sentences import Sentence, split_sentences

# Eight sentences about one budget, each adding a fact; the base of most tests.
BUDGET = (
    "Turkey's parliament approved the 2026 budget on Tuesday after a week of debate.\n\n"
    "The budget raises spending on pensions and schools while cutting the deficit.\n"
    "Finance Minister Mehmet Simsek said the budget would bring inflation down next year.\n\n"
    "Opposition parties voted against the budget, calling the pension rise too small.\n"
    "The deficit is expected to fall to 3% of national output under the new budget.\n\n"
    "Economists welcomed the deficit target but doubted the inflation forecast.\n"
    "The central bank has kept interest rates high to fight inflation.\n"
    "Markets in Istanbul rose slightly after the budget vote."
)
BUDGET_TITLE = "Turkey approves 2026 budget"


def _points(
    text: str, count: int, *, title: str = "", quote_spans: Sequence[tuple[int, int]] = ()
) -> list[str]:
    chosen = select_key_points(split_sentences(text), count, title=title, quote_spans=quote_spans)
    return [sentence.text for sentence in chosen]


def _sentence_texts(text: str) -> list[str]:
    return [sentence.text for sentence in split_sentences(text)]


def test_returns_count_sentences_in_article_order() -> None:
    points = _points(BUDGET, 4, title=BUDGET_TITLE)

    order = _sentence_texts(BUDGET)
    assert len(points) == 4
    assert points == sorted(points, key=order.index)


def test_prefers_central_sentences_to_an_opening_anecdote() -> None:
    text = (
        "The morning was cold and grey as visitors queued outside an old theatre.\n"
        "A street musician played a familiar tune for passing commuters.\n"
        "Pigeons circled above the square while a tram rattled past.\n\n"
        "The city council approved a new budget for public libraries on Tuesday.\n"
        "The library budget doubles council funding for reading rooms across the city.\n"
        "Public libraries closed in earlier cuts will reopen under the council budget.\n"
        "Council members said longer library opening hours would follow in spring.\n"
        "Librarians welcomed the budget but warned that staff numbers remain low."
    )

    points = _points(text, 3, title="Council doubles library budget")

    assert points != _sentence_texts(text)[:3]
    assert all("librar" in point.lower() for point in points)


def test_never_picks_a_photo_credit() -> None:
    credit = "Photo by Umit Bektas of Reuters, taken at the budget debate in Ankara."
    text = f"{BUDGET}\n\n{credit}"

    points = _points(text, 20, title=BUDGET_TITLE)

    assert credit not in points


def test_never_picks_the_caption_of_a_photo() -> None:
    caption = "Deputies applaud in Ankara as the budget vote ends late on Tuesday evening."
    text = BUDGET.replace("\n\nOpposition", f"\n\n{caption} (AA Photo)\n\nOpposition")

    points = _points(text, 20, title=BUDGET_TITLE)

    assert caption not in points


def test_never_picks_a_subscribe_line() -> None:
    notice = "Subscribe now for the budget, pension and inflation news every morning."
    text = f"{BUDGET}\n\n{notice}"

    points = _points(text, 20, title=BUDGET_TITLE)

    assert notice not in points


def test_never_picks_a_follow_us_notice() -> None:
    notice = "Follow us on X for budget, pension and inflation news from Ankara."
    text = f"{BUDGET}\n\n{notice}"

    points = _points(text, 20, title=BUDGET_TITLE)

    assert notice not in points


def test_never_picks_a_dateline() -> None:
    dateline = "Published on 3 May 2025 at 10:42 and updated 5 hours ago."
    text = f"{dateline}\n\n{BUDGET}"

    points = _points(text, 20, title=BUDGET_TITLE)

    assert dateline not in points


def test_keeps_a_sentence_that_opens_with_updated() -> None:
    lead = "Updated forecasts show the budget deficit falling faster than parliament expected."
    text = f"{lead}\n\nThe budget raises pensions and cuts the deficit, parliament was told."

    assert lead in _points(text, 2)


def test_never_picks_a_byline() -> None:
    byline = "By Ayse Yilmaz and Can Demir, economics correspondents in Ankara."
    text = f"{byline}\n\n{BUDGET}"

    points = _points(text, 20, title=BUDGET_TITLE)

    assert byline not in points


def test_keeps_a_sentence_that_opens_with_by_and_a_capitalised_word() -> None:
    lead = "By December, Parliament had approved the budget after a long debate on pensions."
    text = f"{lead}\n\nThe budget raises pensions and cuts the deficit, parliament was told."

    assert lead in _points(text, 2)


def test_never_picks_a_heading_fragment() -> None:
    heading = "Budget deficit and pensions in parliament"
    text = BUDGET.replace("\n\nEconomists", f"\n\n{heading}\n\nEconomists")

    points = _points(text, 8, title=BUDGET_TITLE)

    assert heading not in points


def test_never_picks_two_near_duplicate_sentences() -> None:
    repeat = "Turkey's parliament approved the 2026 budget on Tuesday after a long debate."
    text = f"{BUDGET}\n\n{repeat}"

    points = _points(text, 5, title=BUDGET_TITLE)

    first = _sentence_texts(BUDGET)[0]
    assert not (first in points and repeat in points)


def test_skips_a_bare_quotation_covered_by_quote_spans() -> None:
    quoted = "the budget will bring inflation down and protect every pension in Turkey"
    sentence = f"Simsek promised that {quoted}."
    text = f"{sentence}\n\n{BUDGET}"
    start = text.index(quoted)

    with_spans = _points(text, 3, title=BUDGET_TITLE, quote_spans=[(start, start + len(quoted))])

    assert sentence in _points(text, 3, title=BUDGET_TITLE)  # it would be chosen on its merits
    assert sentence not in with_spans


def test_skips_a_sentence_that_opens_with_a_long_quotation() -> None:
    quotation = '"The budget will bring inflation down and protect every pension," Simsek said.'
    text = f"{quotation}\n\n{BUDGET}"

    points = _points(text, 5, title=BUDGET_TITLE)

    assert quotation not in points


def test_returns_only_the_eligible_sentences_when_fewer_than_count() -> None:
    text = (
        "Photo: Reuters\n\n"
        "Turkey's parliament approved the 2026 budget on Tuesday after a week of debate.\n"
        "Read more\n"
        "The budget raises spending on pensions and schools while cutting the deficit."
    )

    points = _points(text, 5, title=BUDGET_TITLE)

    assert points == _sentence_texts(text)[1:2] + _sentence_texts(text)[3:4]


def test_article_without_eligible_sentences_has_no_key_points() -> None:
    assert select_key_points([Sentence("Photo: Reuters", 0, 14, 0)], 3) == []


def test_skips_the_first_sentence_of_a_quote_that_runs_on() -> None:
    text = (
        "Workers at the plant voted on Monday to accept a new contract after a long strike. "
        'Roesler said: "We gave up the pension in 2014. We will not give up anything else." '
        "The company said production would restart within two weeks of the vote. "
        "Analysts expect deliveries of the aircraft to recover slowly over the next year."
    )
    chosen = [s.text for s in select_key_points(split_sentences(text), 3)]
    assert not any(point.startswith("Roesler said") for point in chosen)
    assert len(chosen) == 3


# Two pairs of sentences that say one thing twice, among sentences that each say something new.
REPEATS = (
    "Turkey's parliament approved the 2026 budget on Tuesday after a week of debate.\n"
    "The budget raises spending on pensions and schools while cutting the deficit.\n"
    "On Tuesday Turkey's parliament approved the 2026 budget after a week of debate.\n\n"
    "Opposition parties voted against the budget, calling the pension rise too small.\n"
    "The budget raises spending on schools and pensions while it cuts the deficit.\n"
    "Markets in Istanbul rose slightly after the vote on the new spending plan."
)


def test_no_two_points_are_as_alike_as_the_duplicate_threshold() -> None:
    sentences = split_sentences(REPEATS)
    vectors = dict(zip(sentences, tfidf_vectors([s.text for s in sentences]), strict=True))
    alike = [
        (a, b)
        for a, b in combinations(sentences, 2)
        if cosine(vectors[a], vectors[b]) >= DUPLICATE_SIMILARITY
    ]
    assert len(alike) == 2  # the input holds the repeats the rule is about

    points = select_key_points(sentences, len(sentences), title="Turkey approves budget")

    assert len(points) == len(sentences) - 2
    assert all(
        cosine(vectors[a], vectors[b]) < DUPLICATE_SIMILARITY for a, b in combinations(points, 2)
    )


def test_prefers_the_word_the_article_keeps_returning_to_over_a_shared_aside() -> None:
    text = (
        "It was a quiet weekend until the rain came down over the hills.\n"
        "Volunteers from nearby farms brought tractors and ropes on Sunday.\n"
        "The flood cut the only road into the valley late on Saturday night.\n"
        "Farms lent tractors and ropes to the rescuers.\n"
        "Helicopters joined the search once the flood began to fall at dawn.\n"
        "The flood was the worst the region had seen in fifty years, officials said.\n"
        "Insurers expect claims from the flood to take months to settle.\n"
        "Schools closed by the flood will reopen next week, the council said.\n"
        "Flood defences built in 2010 held along the lower river banks."
    )

    [point] = _points(text, 1)

    assert "flood" in point.lower()


def test_lead_points_are_the_first_eligible_sentences() -> None:
    byline = "By Ayse Yilmaz and Can Demir, economics correspondents in Ankara."
    text = f"{byline}\n\n{BUDGET}"

    points = [s.text for s in select_lead_points(split_sentences(text), 3)]

    assert points == _sentence_texts(BUDGET)[:3]


def test_lead_points_skip_a_bare_quotation() -> None:
    quoted = "the budget will bring inflation down and protect every pension in Turkey"
    sentence = f"Simsek promised that {quoted}."
    text = f"{sentence}\n\n{BUDGET}"
    start = text.index(quoted)

    chosen = select_lead_points(
        split_sentences(text), 2, quote_spans=[(start, start + len(quoted))]
    )

    assert [s.text for s in chosen] == _sentence_texts(BUDGET)[:2]


def test_lead_points_skip_a_repeat() -> None:
    points = [s.text for s in select_lead_points(split_sentences(REPEATS), 3)]

    assert points == _sentence_texts(REPEATS)[:2] + _sentence_texts(REPEATS)[3:4]


def test_lead_points_accept_a_script_without_case() -> None:
    text = "يقول المسؤولون إن البرلمان وافق على الميزانية الجديدة يوم الثلاثاء بعد نقاش طويل."

    assert [s.text for s in select_lead_points(split_sentences(text), 1)] == [text]


def test_lead_points_accept_lower_case_words_outside_ascii() -> None:
    text = "Парламент Турции утвердил новый бюджет во вторник после долгих дебатов."

    assert [s.text for s in select_lead_points(split_sentences(text), 1)] == [text]


def test_no_lead_points_when_count_is_zero() -> None:
    assert select_lead_points(split_sentences(BUDGET), 0) == []
