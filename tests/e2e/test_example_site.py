"""The bundled example, built into a temporary folder: the model, then a few key strings."""

from __future__ import annotations

import html
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, BuildResult, build
from tests.conftest import REPO, SEED_ARTICLE

NOW = datetime(2024, 11, 2, 12, tzinfo=UTC)
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    root = tmp_path_factory.mktemp("example")
    for name in ("briefgen.yaml", "content", "layouts"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    result = build(root, BuildOptions(now=NOW))
    return root, result


def page(example: tuple[Path, BuildResult], url: str) -> str:
    return (example[0] / "site" / url / "index.html").read_text(encoding="utf-8")


def test_the_example_builds_without_errors(example: tuple[Path, BuildResult]) -> None:
    _, result = example
    assert not result.failed(), [str(d) for d in result.diagnostics]
    assert result.articles_read == 15 and result.articles_held_back == 1  # the draft


def test_seed_article_page_shows_key_points_and_rutte_quote(
    example: tuple[Path, BuildResult],
) -> None:
    text = html.unescape(page(example, "articles/" + SEED_ARTICLE.removesuffix(".md")))
    assert "Key points" in text
    quote = "I can confirm that North Korean troops have been sent to Russia"
    figure = text[text.index(quote) :]
    assert figure.index("— Mark Rutte") < figure.index("</figure>")
    assert "special military operation</p></blockquote>" not in text


def test_front_page_links_every_topic_and_the_latest_edition(
    example: tuple[Path, BuildResult],
) -> None:
    front = page(example, "")
    for topic in ("security", "economy", "climate", "technology"):
        assert f'href="topics/{topic}/"' in front
    assert 'href="editions/2024-11-01/"' in front
    assert "Friday 1 November 2024" in front


def test_every_edition_has_a_page_linked_from_the_archive(
    example: tuple[Path, BuildResult],
) -> None:
    archive = page(example, "archive")
    for day in ("2024-10-27", "2024-10-28", "2024-10-30", "2024-10-31", "2024-11-01"):
        assert f'href="../editions/{day}/"' in archive
        assert (example[0] / "site" / "editions" / day / "index.html").is_file()


def test_the_draft_is_left_out(example: tuple[Path, BuildResult]) -> None:
    assert not (example[0] / "site/articles/2024/10/apple-intelligence-ios-18-1").exists()


def test_topic_aliases_put_articles_in_configured_topics(
    example: tuple[Path, BuildResult],
) -> None:
    security = page(example, "topics/security")
    assert "Rutte" in security  # the Harbour Ledger article is tagged 'defence'
    assert "Harbour Ledger" in security


def test_the_feed_parses_and_lists_the_articles(example: tuple[Path, BuildResult]) -> None:
    feed = ET.parse(example[0] / "site" / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 14
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert any(t and t.startswith("NATO chief says North Korean troops") for t in titles)
    links = [e.find(f"{ATOM}link").get("href") for e in entries]  # type: ignore[union-attr]
    assert all(link.startswith("https://briefing.example.org/articles/") for link in links)


def test_sitemap_robots_and_404_exist(example: tuple[Path, BuildResult]) -> None:
    site = example[0] / "site"
    urls = ET.parse(site / "sitemap.xml").getroot()
    assert len(urls) > 20
    assert "Sitemap: https://briefing.example.org/sitemap.xml" in (site / "robots.txt").read_text()
    assert "Page not found" in (site / "404.html").read_text()


def test_the_layout_override_replaces_the_theme_footer(example: tuple[Path, BuildResult]) -> None:
    assert "the outlets and most people quoted are invented" in page(example, "")


def test_an_article_image_is_copied_beside_its_page(example: tuple[Path, BuildResult]) -> None:
    folder = example[0] / "site/articles/2024/10/employers-national-insurance-gilts"
    assert (folder / "budget-chart.svg").is_file()
    assert 'src="budget-chart.svg"' in (folder / "index.html").read_text()


def test_a_link_to_another_articles_md_file_becomes_its_page(
    example: tuple[Path, BuildResult],
) -> None:
    text = page(example, "articles/2024/10/nato-confirms-north-korean-units-kursk")
    assert 'href="../nato-chief-north-korean-troops-russia/"' in text
    assert '.md"' not in text


def test_a_second_build_rewrites_nothing_and_is_byte_identical(
    example: tuple[Path, BuildResult],
) -> None:
    root, _ = example
    front = root / "site" / "index.html"
    before = front.stat()
    snapshot = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    again = build(root, BuildOptions(now=NOW))
    assert again.files_written == 0 and again.articles_analysed == 0
    assert front.stat().st_ino == before.st_ino and front.stat().st_mtime == before.st_mtime
    after = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == snapshot


def test_quotes_are_grouped_by_speaker_and_link_to_their_place_in_the_text(
    example: tuple[Path, BuildResult],
) -> None:
    text = page(example, "articles/2024/10/rutte-north-korea-dangerous-expansion")
    quotes = text[text.index('<h2 id="quotes"') : text.index('<h2 id="full-text"')]
    assert quotes.count("<h3>Mark Rutte</h3>") == 1
    assert quotes.count("<h3>Aurelio Brandt</h3>") == 1
    assert quotes.index("Mark Rutte") < quotes.index("Aurelio Brandt")
    anchors = re.findall(r'href="#(quote-\d+)"', quotes)
    assert len(anchors) >= 8
    body = text[text.index('<h2 id="full-text"') :]
    for anchor in anchors:
        assert f'<mark id="{anchor}" class="quoted">' in body


def test_a_quote_on_the_front_page_links_to_its_place_in_the_article(
    example: tuple[Path, BuildResult],
) -> None:
    front = page(example, "")
    links = re.findall(r'<a href="(articles/[^"#]+/)#(quote-\d+)">in context</a>', front)
    assert links
    for article_path, anchor in links:
        assert f'<mark id="{anchor}" class="quoted">' in page(example, article_path)
