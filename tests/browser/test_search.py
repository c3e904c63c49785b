"""Search in a real browser, under a sub-path, with nothing fetched from elsewhere."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from tests.browser.test_reading import open_page


def _results(page: Any) -> list[str]:
    page.wait_for_function(
        "/found|No article/.test(document.querySelector('.search-status').textContent)"
    )
    return page.locator(".search-results li h2").all_inner_texts()


def test_typing_kursk_finds_the_nato_article_with_its_date_source_and_excerpt(
    browser: Any, served_root: str
) -> None:
    page = open_page(browser, served_root + "search/")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.locator("#search-query").fill("Kursk")
    titles = _results(page)
    assert any("NATO" in title and "Kursk" in title for title in titles), titles
    first = page.locator(".search-results li").first
    assert " · " in first.locator(".meta").inner_text()  # date · source
    assert first.locator(".excerpt mark").first.inner_text().lower() == "kursk"
    first.locator("h2 a").click()
    page.wait_for_url("**/sub/path/articles/**")
    assert page.locator("h1").inner_text() in titles
    origin = urlsplit(served_root).netloc
    assert requests and all(urlsplit(url).netloc == origin for url in requests)
    assert page.failed_requests == []


def test_a_topic_filter_narrows_the_results_and_stays_in_the_address(
    browser: Any, served_root: str
) -> None:
    page = open_page(browser, served_root + "search/?q=said")
    everything = _results(page)
    assert len(everything) > 3
    page.select_option("#search-topic", "Climate")
    page.wait_for_function(
        f"document.querySelectorAll('.search-results li').length < {len(everything)}"
    )
    narrowed = page.locator(".search-results li h2").all_inner_texts()
    assert 0 < len(narrowed) < len(everything) and set(narrowed) <= set(everything)
    assert "topic=Climate" in page.url and "q=said" in page.url


def test_the_header_search_box_leads_to_the_results(browser: Any, served_root: str) -> None:
    page = open_page(browser, served_root + "topics/economy/")
    page.locator("#site-search").fill("budget")
    page.locator("#site-search").press("Enter")
    page.wait_for_url("**/sub/path/search/?q=budget")
    assert _results(page)
