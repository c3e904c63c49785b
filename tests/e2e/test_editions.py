"""Editions as editors shape them: notes, pinned and hidden stories, sources, the archive."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from briefgen.build import BuildOptions, build
from tests.conftest import article

NOW = datetime(2024, 11, 2, tzinfo=UTC)
MakeSite = Callable[[Mapping[str, str | bytes]], Path]
CONFIG = "title: T\nbase_url: https://example.org/\ntopics:\n  economy:\n  climate:\n"
SITE = {
    "briefgen.yaml": CONFIG,
    "content/markets.md": article(
        "Markets rally",
        date="2024-10-28T09:00:00+00:00",
        source="Northline Wire",
        topics="[economy]",
    ),
    "content/floods.md": article(
        "Floods hit the coast",
        date="2024-10-28T11:00:00+00:00",
        source="Meridian Post",
        topics="[climate]",
        pin="true",
    ),
    "content/jobs.md": article(
        "Jobs report", date="2024-10-27T10:00:00+00:00", source="Northline Wire", topics="[economy]"
    ),
    "content/secret.md": article(
        "Internal memo", date="2024-10-28T12:00:00+00:00", topics="[economy]", hide="true"
    ),
}


def body_of(page: Path) -> str:
    """A page's body: what readers see, in order (the head describes the page too)."""
    text = page.read_text()
    return text[text.index("<body>") :]


def built(make_site: MakeSite, extra: Mapping[str, str] | None = None) -> Path:
    root = make_site({**SITE, **(extra or {})})
    result = build(root, BuildOptions(now=NOW))
    assert not result.failed(), [str(d) for d in result.diagnostics]
    return root / "site"


def test_an_editors_note_is_shown_at_the_top_of_its_edition(make_site: MakeSite) -> None:
    site = built(make_site, {"content/_editions/2024-10-28.md": "Markets *and* floods today.\n"})
    edition = body_of(site / "editions/2024-10-28/index.html")
    assert "Markets <em>and</em> floods today." in edition
    assert edition.index("edition-note") < edition.index("Markets rally")
    assert "floods today" not in (site / "editions/2024-10-27/index.html").read_text()


def test_a_note_for_a_missing_edition_is_a_warning(make_site: MakeSite) -> None:
    root = make_site({**SITE, "content/_editions/2024-09-01.md": "Nothing that day.\n"})
    result = build(root, BuildOptions(now=NOW))
    assert any("2024-09-01" in str(d) for d in result.diagnostics)


def test_a_pinned_story_leads_its_edition(make_site: MakeSite) -> None:
    edition = body_of(built(make_site) / "editions/2024-10-28/index.html")
    assert edition.index("Floods hit the coast") < edition.index("Markets rally")


def test_a_hidden_article_keeps_its_page_but_is_in_no_edition(make_site: MakeSite) -> None:
    site = built(make_site)
    assert (site / "articles/secret/index.html").is_file()
    for page in ("index.html", "editions/2024-10-28/index.html", "topics/economy/index.html"):
        assert "Internal memo" not in (site / page).read_text(), page


def test_edition_pages_count_stories_per_topic(make_site: MakeSite) -> None:
    edition = body_of(built(make_site) / "editions/2024-10-28/index.html")
    assert '<a href="#section-economy">Economy</a> <span class="meta">1</span>' in edition


def test_the_front_page_links_the_previous_edition(make_site: MakeSite) -> None:
    front = (built(make_site) / "index.html").read_text()
    assert (
        '<a rel="prev" href="editions/2024-10-27/">Previous edition: Sunday 27 October 2024'
        in front
    )


def test_each_outlet_has_a_page_of_its_articles_newest_first(make_site: MakeSite) -> None:
    site = built(make_site)
    northline = body_of(site / "sources/northline-wire/index.html")
    assert northline.index("Markets rally") < northline.index("Jobs report")
    assert "Floods hit the coast" not in northline
    article_page = (site / "articles/markets/index.html").read_text()
    assert 'href="../../sources/northline-wire/"' in article_page


def test_the_archive_lists_editions_by_month_with_counts(make_site: MakeSite) -> None:
    archive = (built(make_site) / "archive/index.html").read_text()
    assert "October 2024" in archive and "2 editions" in archive
    assert "2 stories" in archive and "1 story" in archive
