"""Story grouping is stable: its own result fed back gives it again, and a build may skip it
while nothing it reads has changed."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.collection import Item, _story_doc, collect
from briefgen.config import Config
from briefgen.content import discover_articles, read_article
from briefgen.reading import analyze_article
from briefgen.story_grouping import StoryDoc, group_stories, grouping_digest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stories" / "content"
WINDOW = timedelta(days=3)


@pytest.fixture(scope="module")
def docs() -> list[StoryDoc]:
    config = Config(root=FIXTURES.parent)
    articles = [read_article(FIXTURES, rel, config, rel) for rel in discover_articles(FIXTURES)]
    return [_story_doc(Item(a, analyze_article(a, config), ())) for a in articles]


def test_the_grouping_given_its_own_result_gives_it_again(docs: list[StoryDoc]) -> None:
    first = group_stories(docs, window=WINDOW)
    assert len(set(first.values())) < len(docs)  # the fixture set has stories of several
    assert group_stories(docs, window=WINDOW, previous=first) == first
    assert group_stories(list(reversed(docs)), window=WINDOW, previous=first) == first


def test_the_digest_moves_with_what_grouping_reads_and_only_that(docs: list[StoryDoc]) -> None:
    digest = grouping_digest(docs, WINDOW)
    assert grouping_digest(list(reversed(docs)), WINDOW) == digest
    worded = docs[0]._replace(words={**docs[0].words, "strike": 1}, features="")
    assert grouping_digest([worded, *docs[1:]], WINDOW) != digest
    moved = [docs[0]._replace(date=docs[0].date + timedelta(days=1)), *docs[1:]]
    assert grouping_digest(moved, WINDOW) != digest
    assert grouping_digest(docs, timedelta(days=5)) != digest


def test_a_headline_edit_moves_the_digest_through_the_analysis() -> None:
    config = Config(root=FIXTURES.parent)
    articles = [read_article(FIXTURES, rel, config, rel) for rel in discover_articles(FIXTURES)]
    docs = [_story_doc(Item(a, analyze_article(a, config), ())) for a in articles]
    retitled = dataclasses.replace(articles[0], title=articles[0].title + " strike")
    again = [_story_doc(Item(retitled, analyze_article(retitled, config), ())), *docs[1:]]
    assert grouping_digest(again, WINDOW) != grouping_digest(docs, WINDOW)


def test_a_body_edit_below_the_lead_keeps_the_stories_without_grouping_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = Config(root=FIXTURES.parent)
    articles = [read_article(FIXTURES, rel, config, rel) for rel in discover_articles(FIXTURES)]
    first = collect([(a, analyze_article(a, config)) for a in articles], config)
    edited = dataclasses.replace(articles[0], plain=articles[0].plain + "\n\nmore text here.")
    again_pairs = [
        (edited, analyze_article(edited, config)),
        *[(a, analyze_article(a, config)) for a in articles[1:]],
    ]
    monkeypatch.setattr("briefgen.collection.group_stories", pytest.fail)
    again = collect(again_pairs, config, state=first.state)  # no grouping: pytest.fail unused
    assert again.state.story_ids == first.state.story_ids


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_what_an_earlier_build_remembers_names_stories_but_never_joins_or_splits_them(
    docs: list[StoryDoc], data: st.DataObject
) -> None:
    """Whatever ids the articles had before (stories since split, merged, renamed, or ids
    now taken by front matter), the grouping makes the same stories as from nothing, each
    with an id of its own."""
    keys = [d.key for d in docs]
    names = st.sampled_from([*(d.slug_id for d in docs[:4]), "x", "y"])
    previous = data.draw(st.dictionaries(st.sampled_from(keys), names))
    forced = data.draw(st.dictionaries(st.sampled_from(keys), st.sampled_from([False, "x"])))
    docs = [d._replace(forced=forced.get(d.key, d.forced)) for d in docs]
    fresh = group_stories(docs, window=WINDOW)
    again = group_stories(docs, window=WINDOW, previous=previous)

    def stories(ids: dict[str, str]) -> set[frozenset[str]]:
        members: dict[str, set[str]] = {}
        for key, story in ids.items():
            members.setdefault(story, set()).add(key)
        return {frozenset(keys) for keys in members.values()}

    assert stories(again) == stories(fresh)
    assert all(again[k] == "x" for k, f in forced.items() if f == "x")
