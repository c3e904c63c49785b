from __future__ import annotations

import random

from briefgen.analysis.terms import term_counts
from briefgen.config import TopicConfig
from briefgen.topic_assignment import (
    CLUSTER,
    FRONT_MATTER,
    KEYWORDS,
    SIMILAR,
    TopicAssignment,
    TopicDoc,
    assign_topics,
)

ECONOMY = TopicConfig("economy", "Economy")
SPORT = TopicConfig("sport", "Sport")

ECONOMY_TEXTS = [
    "The central bank raised interest rates again as inflation climbed and bond markets fell.",
    "Inflation eased and the bank held rates, lifting bond markets and mortgage lenders.",
    "Bond markets rallied after the central bank signalled lower interest rates and inflation.",
]
SPORT_TEXTS = [
    "The striker scored twice as the club won the league match and the fans cheered the goal.",
    "A late goal won the cup match for the club, and the striker thanked the fans.",
    "The club lost the league match after the goalkeeper let in a goal from the striker.",
]
BAKING_TEXTS = [
    "Knead the dough, let the yeast rise, then bake the loaf in a hot oven with flour.",
    "Sift the flour, add yeast to the dough and bake the bread until the oven crust browns.",
]


def doc(key: str, text: str, given: tuple[str, ...] = ()) -> TopicDoc:
    return TopicDoc(key, term_counts(text), text.lower(), given)


def collection(*extra: TopicDoc) -> list[TopicDoc]:
    """Three economy and three sport articles that say so in front matter, plus ``extra``."""
    return [
        *(doc(f"economy-{n}.md", text, ("economy",)) for n, text in enumerate(ECONOMY_TEXTS)),
        *(doc(f"sport-{n}.md", text, ("sport",)) for n, text in enumerate(SPORT_TEXTS)),
        *extra,
    ]


def assign(docs: list[TopicDoc], *topics: TopicConfig, **kwargs: object) -> TopicAssignment:
    return assign_topics(docs, topics or (ECONOMY, SPORT), **kwargs)  # type: ignore[arg-type]


def test_front_matter_wins_over_keywords_and_resemblance() -> None:
    economy = TopicConfig("economy", "Economy", keywords=("inflation",))
    article = doc("x.md", ECONOMY_TEXTS[0], given=("sport",))
    result = assign(collection(article), economy, SPORT)
    assert result.topics["x.md"] == ("sport",)
    assert result.how["x.md"] == FRONT_MATTER


def test_a_keyword_places_an_article_whatever_its_case() -> None:
    science = TopicConfig("science", "Science", keywords=("Telescope",))
    article = doc("x.md", "A TELESCOPE in Chile watched the comet.")
    result = assign(collection(article), ECONOMY, SPORT, science)
    assert result.topics["x.md"] == ("science",)
    assert result.how["x.md"] == KEYWORDS


def test_a_keyword_phrase_matches_its_plural_but_not_its_words_apart() -> None:
    money = TopicConfig("money", "Money", keywords=("interest rate",))
    near = doc("near.md", "Interest rates are going up, the lender said.")
    apart = doc("apart.md", "Rates of pay rose. Interest in football grew among the fans.")
    result = assign(collection(near, apart), money)
    assert result.topics["near.md"] == ("money",)
    assert result.how["near.md"] == KEYWORDS
    assert result.how["apart.md"] != KEYWORDS


def test_a_keyword_does_not_match_inside_another_word() -> None:
    tech = TopicConfig("tech", "Tech", keywords=("AI",))
    article = doc("x.md", "The air in the stadium was electric as the club won the match.")
    result = assign(collection(article), ECONOMY, SPORT, tech)
    assert result.topics["x.md"] != ("tech",)


def test_an_article_like_a_topics_articles_joins_that_topic() -> None:
    article = doc("x.md", "The bank cut interest rates while inflation slowed and markets rose.")
    result = assign(collection(article))
    assert result.topics["x.md"] == ("economy",)
    assert result.how["x.md"] == SIMILAR


def test_an_unrelated_article_gets_an_unsorted_topic_named_by_its_words() -> None:
    article = doc("x.md", "The telescope saw a comet; astronomers tracked the comet all night.")
    result = assign(collection(article))
    [topic_id] = result.topics["x.md"]
    [new] = result.new_topics
    assert result.how["x.md"] == CLUSTER
    assert topic_id == new.id and topic_id.startswith("unsorted-comet")
    assert new.label.startswith("Unsorted: comet")


def test_unrelated_articles_that_resemble_each_other_share_one_unsorted_topic() -> None:
    baking = [doc(f"bake-{n}.md", text) for n, text in enumerate(BAKING_TEXTS)]
    result = assign(collection(*baking))
    assert result.topics["bake-0.md"] == result.topics["bake-1.md"]
    assert result.topics["bake-0.md"][0] not in ("economy", "sport")
    assert [t.label for t in result.new_topics] == ["Unsorted: bake, dough, flour"]


def test_a_high_threshold_sends_a_similar_article_to_unsorted_not_to_the_topic() -> None:
    article = doc("x.md", "The bank cut interest rates while inflation slowed and markets rose.")
    result = assign(collection(article), threshold=0.99)
    assert result.topics["x.md"][0].startswith("unsorted-")


def test_automatic_topics_of_an_earlier_build_are_kept() -> None:
    article = doc("x.md", "The bank cut interest rates while inflation slowed and markets rose.")
    lone = doc("lone.md", "The telescope saw a comet; astronomers tracked the comet all night.")
    previous = {"x.md": ("sport",), "lone.md": ("unsorted-sky-watch",)}
    result = assign(collection(article, lone), previous=previous)
    assert result.topics["x.md"] == ("sport",)
    assert result.topics["lone.md"] == ("unsorted-sky-watch",)
    assert [t.id for t in result.new_topics] == ["unsorted-sky-watch"]


def test_keywords_now_matching_replace_an_earlier_automatic_topic() -> None:
    economy = TopicConfig("economy", "Economy", keywords=("inflation",))
    article = doc("x.md", "Inflation slowed.")
    result = assign(collection(article), economy, SPORT, previous={"x.md": ("sport",)})
    assert result.topics["x.md"] == ("economy",)


def test_a_new_article_joins_an_unsorted_topic_an_earlier_build_made() -> None:
    first, second = (doc(f"bake-{n}.md", text) for n, text in enumerate(BAKING_TEXTS))
    before = assign(collection(first))
    previous = {"bake-0.md": before.topics["bake-0.md"]}
    after = assign(collection(first, second), previous=previous)
    assert after.topics["bake-1.md"] == before.topics["bake-0.md"]


def test_the_same_articles_in_any_order_get_the_same_topics() -> None:
    baking = [doc(f"bake-{n}.md", text) for n, text in enumerate(BAKING_TEXTS)]
    lone = doc("lone.md", "The telescope saw a comet; astronomers tracked the comet all night.")
    docs = collection(*baking, lone, doc("x.md", "The bank cut rates as inflation slowed."))
    shuffled = list(docs)
    random.Random(7).shuffle(shuffled)
    assert assign(docs) == assign(list(docs))
    assert assign(shuffled) == assign(docs)


def test_many_leftovers_are_clustered_through_a_sample_into_their_groups() -> None:
    words = {
        "space": "telescope comet orbit planet astronomer rocket galaxy star moon launch",
        "garden": "tomato compost seed soil flower weed hedge spade lawn shrub",
    }
    rng = random.Random(3)
    docs = [
        TopicDoc(f"{group}-{n:03d}.md", term_counts(" ".join(rng.sample(vocabulary.split(), 6))))
        for group, vocabulary in words.items()
        for n in range(400)
    ]
    result = assign_topics(docs, ())
    found = {
        group: {result.topics[d.key] for d in docs if d.key.startswith(group)} for group in words
    }
    assert all(len(topics) == 1 for topics in found.values())
    assert found["space"] != found["garden"]


def test_near_identical_notes_share_one_automatic_topic_not_one_each() -> None:
    notes = [
        doc(f"note-{n:02d}.md", f"Note {n}. Short note about the harbour works.") for n in range(30)
    ]
    result = assign_topics(notes, ())
    assert len({result.topics[note.key] for note in notes}) == 1
    assert len(result.new_topics) == 1


def test_an_article_like_no_other_still_gets_a_topic_of_its_own() -> None:
    notes = [doc(f"note-{n:02d}.md", "Short note about the harbour works.") for n in range(5)]
    odd = doc("odd.md", "Volcanic ash grounded gliders above Iceland's glaciers.")
    result = assign_topics([*notes, odd], ())
    assert result.topics["odd.md"] != result.topics["note-00.md"]
