"""A build whose collection is the last one's makes only the pages it renders: the model of
some pages and the index of the last build's pages must tell it what the whole model would."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefgen.analysis.article import analyze_text
from briefgen.collection import Collection, collect
from briefgen.config import Config, TopicConfig
from briefgen.content import parse_article
from briefgen.page_keys import PageIndex, keys_from_digests, label_digest
from briefgen.sitemodel import Page, SiteModel, build_site_model

NOW = datetime(2024, 11, 2, 12, tzinfo=UTC)
CONFIG = Config(
    root=Path("/site"),
    base_url="https://example.org/",
    page_size=2,
    about="Who we are.",
    topics=(TopicConfig("economy", "Economy"), TopicConfig("energy", "Energy")),
)
ARTICLES = [
    ("a.md", "2024-10-28T09:00:00+00:00", "[economy]", "One", "story: port\n"),
    ("b.md", "2024-10-28T10:00:00+00:00", "[economy]", "Two", "story: port\n"),
    ("c.md", "2024-10-29T11:00:00+00:00", "[energy]", "One", "aliases: [old/c]\n"),
    ("d.md", "2024-10-30T08:00:00+00:00", "[economy, energy]", "One", ""),
    ("e.md", "2024-10-30T09:00:00+00:00", "[energy]", "Three", ""),
    ("f.md", "2024-10-31T09:00:00+00:00", "[economy]", "Two", ""),
]


def _site(links: str = "") -> tuple[Collection, SiteModel]:
    pairs = []
    for rel, date, topics, source, extra in ARTICLES:
        text = (
            f"---\ntitle: Story {rel}\ndate: {date}\ntopics: {topics}\nsource: {source}\n"
            f"{extra}---\nThe port was sold for $2bn on {rel}. {links if rel == 'd.md' else ''}\n"
        )
        article = parse_article(text.encode(), rel, CONFIG)
        pairs.append((article, analyze_text(article.plain, title=article.title, key_points=3)))
    collection = collect(pairs, CONFIG)
    return collection, build_site_model(collection, CONFIG, NOW, {"assets/x.css": "x.css"})


def _shape(page: Page) -> tuple[object, ...]:
    return (page.url, page.template, page.title, page.depends_on, sorted(page.context))


@given(st.data())
def test_a_model_of_some_pages_makes_those_pages_as_the_whole_model_does(
    data: st.DataObject,
) -> None:
    collection, whole = _site()
    outputs = [page.output for page in whole.pages if page.output != "sitemap.xml"]
    only = set(data.draw(st.lists(st.sampled_from(outputs), min_size=1, unique=True)))
    some = build_site_model(collection, CONFIG, NOW, {"assets/x.css": "x.css"}, only)
    assert [_shape(p) for p in some.pages] == [_shape(p) for p in whole.pages if p.output in only]
    assert some.copies == whole.copies


def test_the_sitemap_lists_every_page_so_asking_for_it_makes_them_all() -> None:
    collection, whole = _site()
    some = build_site_model(collection, CONFIG, NOW, {}, {"sitemap.xml", "about/index.html"})
    assert [_shape(p) for p in some.pages] == [_shape(p) for p in whole.pages]
    sitemap = next(p for p in some.pages if p.url == "sitemap.xml")
    assert "articles/a/" in sitemap.context["urls"]


def test_a_model_of_some_pages_still_reports_every_broken_link() -> None:
    collection, whole = _site(links="See [the deal](gone.md).")
    some = build_site_model(collection, CONFIG, NOW, {}, {"archive/index.html"})
    assert [d.message for d in some.diagnostics] == [d.message for d in whole.diagnostics]
    assert any("gone.md" in d.message for d in some.diagnostics)


def _digests(pages: tuple[Page, ...], seed: int) -> dict[str, int]:
    labels = {label for page in pages for label in page.depends_on}
    labels |= {f"template:{page.template}" for page in pages}
    rng = random.Random(seed)
    return {label: label_digest(label, str(rng.random())) for label in sorted(labels)}


def _index(pages: tuple[Page, ...], keys: dict[str, str]) -> PageIndex:
    index = PageIndex.of(pages, keys)
    assert index is not None
    return index


@pytest.mark.parametrize("seed", range(20))
def test_an_index_gives_each_page_the_key_its_labels_now_make(seed: int) -> None:
    """Whatever labels change (an article's, its story's, a template's, the config's), the
    keys the index works out are those summing every page's labels gives."""
    _, site = _site()
    before = _digests(site.pages, seed)
    index = _index(site.pages, keys_from_digests(site.pages, before))
    rng = random.Random(seed)
    changed = {
        label: label_digest(label, f"edited {seed}")
        for label in rng.sample(sorted(before), rng.randint(1, 4))
    }
    after = {**before, **changed}
    assert index.rekeyed(before, changed).key_map() == keys_from_digests(site.pages, after)
    assert index.key_map() == keys_from_digests(site.pages, before)  # (left as it was)


def test_an_index_knows_its_templates_and_pages_in_the_sites_order() -> None:
    _, site = _site()
    index = _index(site.pages, keys_from_digests(site.pages, _digests(site.pages, 0)))
    assert index.outputs == tuple(page.output for page in site.pages)
    assert index.templates == {page.template for page in site.pages}


def test_a_page_with_a_label_without_a_digest_keeps_rendering() -> None:
    _, site = _site()
    before = _digests(site.pages, 1)
    del before["story:port"]
    index = _index(site.pages, keys_from_digests(site.pages, before))
    port = [p.output for p in site.pages if "story:port" in p.depends_on]
    assert port and all(index.key_map()[output] == "" for output in port)
    later = index.rekeyed(before, {"config": label_digest("config", "new")})
    assert all(later.key_map()[output] == "" for output in port)
    assert later.key_map() == keys_from_digests(
        site.pages, {**before, "config": label_digest("config", "new")}
    )


def test_no_index_is_made_of_a_label_that_would_read_as_two() -> None:
    _, site = _site()
    odd = replace(site.pages[0], depends_on=site.pages[0].depends_on | {"story:a\0b"})
    pages = (odd, *site.pages[1:])
    assert PageIndex.of(pages, keys_from_digests(pages, {})) is None
