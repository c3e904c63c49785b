"""Story grouping is stable: its own result fed back gives it again, and a build may skip it
while nothing it reads has changed."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.collection import Item, _digest_row, collect, story_doc
from briefgen.config import Config
from briefgen.content import discover_articles, read_article
from briefgen.reading import analyze_article
from briefgen.story_grouping import (
    StoryCheck,
    StoryDoc,
    group_stories,
    grouping_digest,
    grouping_digest_of,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stories" / "content"
WINDOW = timedelta(days=3)


@pytest.fixture(scope="module")
def docs() -> list[StoryDoc]:
    config = Config(root=FIXTURES.parent)
    articles = [read_article(FIXTURES, rel, config, rel) for rel in discover_articles(FIXTURES)]
    return [story_doc(Item(a, analyze_article(a, config), ())) for a in articles]


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
    docs = [story_doc(Item(a, analyze_article(a, config), ())) for a in articles]
    retitled = dataclasses.replace(articles[0], title=articles[0].title + " strike")
    again = [story_doc(Item(retitled, analyze_article(retitled, config), ())), *docs[1:]]
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


def _stories(ids: Mapping[str, str]) -> set[frozenset[str]]:
    members: dict[str, set[str]] = {}
    for key, story in ids.items():
        members.setdefault(story, set()).add(key)
    return {frozenset(keys) for keys in members.values()}


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_a_story_check_says_the_stories_stay_exactly_when_grouping_again_keeps_them(
    docs: list[StoryDoc], data: st.DataObject
) -> None:
    """Edits add, drop and repeat words and names (the collection's own, which move other
    articles' weights, and new ones), over a few rounds: a round the check takes must keep
    every story, and a round it refuses must move one."""
    words = sorted({t for d in docs for t in d.words})
    names = [*sorted({n for d in docs for n in d.names}), "zorblat quixano"]
    forced = data.draw(st.dictionaries(st.sampled_from([d.key for d in docs]), st.just(False)))
    docs = [d._replace(forced=forced.get(d.key, d.forced)) for d in docs]
    ids = group_stories(docs, window=WINDOW)
    check = StoryCheck(docs, ids, WINDOW)
    for _ in range(3):
        edited = []
        for position in data.draw(st.sets(st.integers(0, len(docs) - 1), min_size=1, max_size=2)):
            doc = docs[position]
            bags = []
            for bag, pool in ((dict(doc.words), words), (dict(doc.names), names)):
                for term in data.draw(st.lists(st.sampled_from(pool), max_size=3)):
                    bag[term] = bag.get(term, 0) + 1
                for term in data.draw(st.lists(st.sampled_from(sorted(bag) or [""]), max_size=2)):
                    bag.pop(term, None)
                bags.append(bag)
            edited.append(doc._replace(words=bags[0], names=bags[1], features=""))
        after = [next((e for e in edited if e.key == d.key), d) for d in docs]
        regrouped = group_stories(after, window=WINDOW, previous=ids)
        kept = _stories(regrouped) == _stories(ids)
        assert check.same_stories(edited) == kept
        if kept:
            check.take(edited)
        else:
            check = StoryCheck(after, regrouped, WINDOW)  # as a whole build would
        docs, ids = after, regrouped


def test_a_new_name_far_down_keeps_the_stories_and_a_retold_lead_joins_one(
    docs: list[StoryDoc],
) -> None:
    ids = group_stories(docs, window=WINDOW)
    check = StoryCheck(docs, ids, WINDOW)
    named = docs[0]._replace(names={**docs[0].names, "zorblat quixano": 1}, features="")
    assert check.same_stories([named])
    # A lone report rewritten with another story's lead and names joins that story.
    stories = _stories(ids)
    lone = next(d for d in docs if frozenset([d.key]) in stories and not d.forced)
    told = next(
        d
        for d in docs
        if d.source != lone.source
        and abs(d.date - lone.date) < WINDOW
        and not any(d.key in s and len(s) == 1 for s in stories)
    )
    retold = lone._replace(words=dict(told.words), names=dict(told.names), features="")
    assert not check.same_stories([retold])


def test_an_edit_far_away_that_makes_a_shared_name_commoner_is_checked_where_it_counts() -> None:
    """Two reports join on the rare name they share; a third, months later, mentions it
    too: it is rarer no more, and the two now stay apart. The check looks where the name
    is, not only around the edited article."""
    day = datetime(2024, 10, 1, tzinfo=UTC)
    a = StoryDoc("a", "a", day, "One", {"strike": 1, "port": 1}, {"rutte": 1, "ana": 1})
    b = StoryDoc(
        "b", "b", day + timedelta(hours=2), "Two", {"strike": 1, "dock": 1}, {"rutte": 1, "bo": 1}
    )
    other = StoryDoc("f", "f", day + timedelta(days=30), "Three", {"rain": 1}, {"rutte": 1})
    far = StoryDoc("c", "c", day + timedelta(days=160), "Four", {"harvest": 1}, {"kansas": 1})
    docs = [a, b, other, far]
    ids = group_stories(docs, window=WINDOW)
    assert ids["a"] == ids["b"]
    named = far._replace(names={"kansas": 1, "rutte": 1})
    assert group_stories([a, b, other, named], window=WINDOW)["b"] != ids["a"]
    assert not StoryCheck(docs, ids, WINDOW).same_stories([named])


def test_a_build_reads_the_digest_from_its_articles_as_grouping_reads_their_docs() -> None:
    """The collection takes the digest from rows, without a StoryDoc per article: the same
    digest, whether or not the analysis carries its words' own digest."""
    config = Config(root=FIXTURES.parent)
    articles = [read_article(FIXTURES, rel, config, rel) for rel in discover_articles(FIXTURES)]
    items = [Item(a, analyze_article(a, config), ()) for a in articles]
    items[0] = dataclasses.replace(
        items[0], analysis=dataclasses.replace(items[0].analysis, story_digest="")
    )
    rows = [_digest_row(item) for item in items]
    assert grouping_digest_of(rows, WINDOW) == grouping_digest(map(story_doc, items), WINDOW)
    assert grouping_digest_of(rows[1:], WINDOW) != grouping_digest_of(rows, WINDOW)
