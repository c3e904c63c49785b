from __future__ import annotations

from pathlib import Path

from briefgen.analysis.article import analyze_text
from briefgen.collection import collect, edition_key
from briefgen.config import Config, EditionConfig, TopicConfig
from briefgen.content import parse_article

CONFIG = Config(
    root=Path("/site"),
    timezone="Europe/Berlin",
    topics=(
        TopicConfig("security", "Security", aliases=("defence",)),
        TopicConfig("economy", "Economy"),
    ),
)


def pair(rel: str, date: str, topics: str = "[]", extra: str = "", config: Config = CONFIG):  # type: ignore[no-untyped-def]
    text = f"---\ntitle: {rel}\ndate: {date}\ntopics: {topics}\n{extra}---\nSome text here.\n"
    article = parse_article(text.encode(), rel, config)
    return article, analyze_text(article.plain, title=article.title, key_points=3)


def test_topics_come_from_front_matter_through_aliases() -> None:
    collection = collect([pair("a.md", "2024-10-28", "[Defence, economy]")], CONFIG)
    assert collection.items[0].topics == ("security", "economy")
    assert [len(t.stories) for t in collection.topics] == [1, 1]


def test_editions_are_cut_at_midnight_in_the_config_time_zone() -> None:
    collection = collect(
        [
            pair("late.md", "2024-10-28T23:30:00+00:00"),  # already 29 October in Berlin
            pair("early.md", "2024-10-28T08:00:00+00:00"),
        ],
        CONFIG,
    )
    assert [e.id for e in collection.editions] == ["2024-10-29", "2024-10-28"]


def test_an_article_like_no_configured_topic_goes_to_an_unsorted_topic() -> None:
    collection = collect([pair("a.md", "2024-10-28")], CONFIG)
    [section] = collection.editions[0].sections
    assert section.topic is not None and section.topic.label.startswith("Unsorted: ")
    assert section.topic.id not in ("security", "economy")


def test_weekly_editions_use_iso_weeks_from_the_configured_first_day() -> None:
    monday = Config(root=Path("/"), edition=EditionConfig("weekly", "monday"))
    sunday = Config(root=Path("/"), edition=EditionConfig("weekly", "sunday"))
    from datetime import date

    assert edition_key(date(2024, 10, 27), monday)[0] == "2024-W43"  # a Sunday
    assert edition_key(date(2024, 10, 27), sunday)[0] == "2024-W44"
    assert edition_key(date(2024, 10, 27), sunday)[1] == date(2024, 10, 27)


def test_every_article_is_a_story_of_one_unless_front_matter_joins_them() -> None:
    collection = collect(
        [
            pair("a.md", "2024-10-28T09:00:00+00:00", extra="story: nato\n"),
            pair("b.md", "2024-10-28T10:00:00+00:00", extra="story: nato\n"),
            pair("c.md", "2024-10-28T11:00:00+00:00"),
        ],
        CONFIG,
    )
    assert sorted(s.id for s in collection.stories) == ["c", "nato"]
    nato = next(s for s in collection.stories if s.id == "nato")
    assert [i.article.rel_path for i in nato.items] == ["a.md", "b.md"]  # first one leads


def test_hidden_articles_have_pages_but_no_listing() -> None:
    collection = collect([pair("a.md", "2024-10-28", extra="hide: true\n")], CONFIG)
    assert len(collection.items) == 1 and collection.editions == ()


def test_the_order_is_total_and_newest_first() -> None:
    pairs = [pair(f"{name}.md", "2024-10-28") for name in ("b", "a", "c")]
    collection = collect(pairs, CONFIG)
    assert [i.article.rel_path for i in collection.items] == ["a.md", "b.md", "c.md"]


def test_an_automatic_topic_stays_when_the_collection_grows() -> None:
    first = collect([pair("a.md", "2024-10-28")], CONFIG)
    [topic] = first.items[0].topics
    assert topic.startswith("unsorted-")
    later = collect(
        [pair("a.md", "2024-10-28"), pair("b.md", "2024-10-29"), pair("c.md", "2024-10-30")],
        CONFIG,
        state=first.state,
    )
    assert next(i for i in later.items if i.article.rel_path == "a.md").topics == (topic,)


def test_a_front_matter_topic_the_config_does_not_name_keeps_its_own_name() -> None:
    """Not an "Unsorted: ..." topic named by its articles' words, with one alone beside an
    unrelated article that does get one."""
    collection = collect(
        [
            pair("a.md", "2024-10-28", "[climate-policy]"),
            pair("b.md", "2024-10-29", "[climate-policy]"),
            pair("c.md", "2024-10-30"),
        ],
        CONFIG,
    )
    topic = next(t for t in collection.topics if t.id == "climate-policy")
    assert topic.config.label == "Climate Policy"
    assert sorted(i.article.rel_path for s in topic.stories for i in s.items) == ["a.md", "b.md"]
    assert collection.items[0].topics[0].startswith("unsorted-")  # c.md: no topic of its own
