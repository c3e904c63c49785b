"""One story per event, however many outlets told it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build
from briefgen.collection import collect
from briefgen.config import Config
from briefgen.content import discover_articles, read_article
from briefgen.reading import analyze_article
from tests.conftest import REPO, article

NOW = datetime(2024, 11, 2, 12, tzinfo=UTC)
MakeSite = Callable[[Mapping[str, str | bytes]], Path]
FIXTURE = REPO / "tests" / "fixtures" / "stories"
NATO_STORY = "stories/2024-10-nato-chief-north-korean-troops-russia/index.html"


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stories")
    for name in ("briefgen.yaml", "content", "layouts"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, root / name)
    assert not build(root, BuildOptions(now=NOW)).failed()
    return root / "site"


def test_the_seed_event_told_by_three_outlets_is_one_story(example_site: Path) -> None:
    page = (example_site / NATO_STORY).read_text()
    for outlet in ("A News", "Northline Wire", "The Harbour Ledger"):
        assert outlet in page
    edition = (example_site / "editions/2024-10-28/index.html").read_text()
    assert edition.count('href="../../stories/2024-10-nato-chief-north-korean-troops-russia/"') >= 1
    assert edition.count("North Korean units are in Kursk") == 0  # not listed a second time


def test_the_story_page_credits_each_point_and_quote_to_its_outlets(example_site: Path) -> None:
    page = (example_site / NATO_STORY).read_text()
    points = page[page.index('id="key-points"') : page.index('id="quotes"')]
    assert points.count("<li>") >= 6
    assert "— <a href=" in points
    quotes = page[page.index('id="quotes"') : page.index('id="sources"')]
    assert quotes.count("<h3>Mark Rutte</h3>") == 1
    confirm = quotes[quotes.index("I can confirm that North Korean troops") :]
    carried_by = confirm[: confirm.index("</figcaption>")]
    assert carried_by.count("<a href=") >= 2  # the same quote, told by several outlets, once


def test_an_article_page_links_to_its_story(example_site: Path) -> None:
    page = example_site / "articles/2024/10/nato-confirms-north-korean-units-kursk/index.html"
    assert "../../../../stories/2024-10-nato-chief-north-korean-troops-russia/" in page.read_text()


def test_unrelated_articles_of_the_same_day_stay_apart(example_site: Path) -> None:
    assert not (example_site / "stories/2024-10-japan-election-yen-nikkei").exists()


SEED = (
    "NATO Secretary-General Mark Rutte said on Monday that North Korean troops had been sent "
    "to Russia and deployed to the Kursk region, calling it a dangerous expansion of the war."
)
RETELLING = (
    "North Korean soldiers are now in Russia's Kursk region, NATO chief Mark Rutte confirmed "
    "on Monday, warning of a dangerous expansion of Russia's war in Ukraine."
)


def test_front_matter_story_false_keeps_an_article_apart(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/a.md": article(
                "Rutte confirms troops", date="2024-10-28T10:00:00+00:00", source="One", body=SEED
            ),
            "content/b.md": article(
                "Troops in Kursk",
                date="2024-10-28T12:00:00+00:00",
                source="Two",
                body=RETELLING,
                story="false",
            ),
        }
    )
    build(root, BuildOptions(now=NOW))
    assert not list((root / "site").glob("stories/*"))


def _one_story_of_two(make_site: MakeSite) -> Path:
    """b.md and c.md: two outlets' reports of one event, one story ("b")."""
    return make_site(
        {
            "content/b.md": article(
                "Rutte confirms troops in Kursk",
                source="Two",
                date="2024-10-28T12:00:00+00:00",
                body=RETELLING,
            ),
            "content/c.md": article(
                "NATO says North Korean troops in Russia",
                source="Three",
                date="2024-10-28T14:00:00+00:00",
                body=SEED,
            ),
        }
    )


def test_a_story_keeps_its_id_when_an_earlier_report_joins(make_site: MakeSite) -> None:
    root = _one_story_of_two(make_site)
    build(root, BuildOptions(now=NOW))
    assert (root / "site/stories/b/index.html").is_file()
    (root / "content/a.md").write_text(
        article(
            "North Korean troops sent to Russia, Rutte says",
            source="One",
            date="2024-10-28T08:00:00+00:00",
            body=SEED.replace("Monday", "Monday morning"),
        )
    )
    build(root, BuildOptions(now=NOW))
    page = (root / "site/stories/b/index.html").read_text()
    assert "North Korean troops sent to Russia, Rutte says" in page  # joined, id kept
    assert not (root / "site/stories/a").exists()


def test_story_merging_meets_its_targets_on_the_labelled_set() -> None:
    """A quality gate on a fixed set (its README describes the near-misses)."""
    labels = json.loads((FIXTURE / "labels.json").read_text())
    content = FIXTURE / "content"
    config = Config(root=FIXTURE)
    articles = [read_article(content, rel, config, rel) for rel in discover_articles(content)]
    collection = collect([(a, analyze_article(a, config)) for a in articles], config)
    found = {i.article.rel_path: s.id for s in collection.stories for i in s.items}
    same = {frozenset(p) for p in combinations(labels, 2) if labels[p[0]] == labels[p[1]]}
    merged = {frozenset(p) for p in combinations(found, 2) if found[p[0]] == found[p[1]]}
    precision = len(same & merged) / len(merged)
    recall = len(same & merged) / len(same)
    assert precision >= 0.95 and recall >= 0.85, (precision, recall)


def test_a_source_page_counts_the_outlets_on_each_story(example_site: Path) -> None:
    page = (example_site / "sources/northline-wire/index.html").read_text()
    assert "one of 3 outlets</a> on this story" in page


@pytest.mark.parametrize("how", ["rewritten", "story-false"])
def test_an_article_that_leaves_its_story_leaves_it_in_the_next_build_too(
    make_site: MakeSite, how: str
) -> None:
    """The story ids a build remembers never hold two stories together: a report rewritten
    to tell another event, or kept apart by front matter, leaves its story at once, as a
    build from nothing would have it."""
    root = _one_story_of_two(make_site)
    build(root, BuildOptions(now=NOW))
    assert "NATO says North Korean troops" in (root / "site/stories/b/index.html").read_text()
    if how == "rewritten":
        (root / "content/c.md").write_text(
            article(
                "Harvest down in Kansas",
                source="Three",
                date="2024-10-28T14:00:00+00:00",
                body="Wheat output in Kansas fell by a third after the drought, farmers said.",
            )
        )
    else:
        text = (root / "content/c.md").read_text()
        (root / "content/c.md").write_text(text.replace("---\n", "---\nstory: false\n", 1))
    assert not build(root, BuildOptions(now=NOW)).failed()
    assert not list((root / "site").glob("stories/*"))  # two stories of one report each
    page = (root / "site/articles/c/index.html").read_text()
    assert "Rutte confirms troops in Kursk" not in page
