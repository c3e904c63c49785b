"""What only a browser shows: navigation under a sub-path, styles, layout on a phone."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from typing import Any

from briefgen.build import BuildOptions, build
from tests.conftest import REPO


def open_page(browser: Any, url: str, width: int = 1280) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 900})
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(url)
    page.failed_requests = failed
    return page


def test_reader_goes_from_front_page_to_the_seed_article_and_sees_rutte_quoted(
    browser: Any, served_root: str
) -> None:
    page = open_page(browser, served_root)
    assert page.locator("h2.edition-title").inner_text() == "Friday 1 November 2024"
    page.get_by_role("link", name="Archive").click()
    page.get_by_role("link", name="Monday 28 October 2024").click()
    page.get_by_role(
        "link", name="NATO chief says North Korean troops deployed in Russia", exact=False
    ).first.click()
    assert "/sub/path/stories/" in page.url  # three outlets told it: one story
    sources = page.locator("section", has=page.locator("h2#sources"))
    assert sources.locator("li").count() == 3
    sources.get_by_role("link", name="NATO chief says North Korean troops", exact=False).click()
    assert "/sub/path/articles/2024/10/nato-chief-north-korean-troops-russia/" in page.url
    quote = page.locator("figure.quote", has_text="I can confirm that North Korean troops")
    assert quote.locator("figcaption").inner_text().startswith("— Mark Rutte")
    assert page.failed_requests == []


def test_a_quote_links_to_its_highlighted_place_in_the_article(
    browser: Any, served_root: str
) -> None:
    page = open_page(
        browser, served_root + "articles/2024/10/nato-chief-north-korean-troops-russia/"
    )
    quote = page.locator("figure.quote", has_text="I can confirm that North Korean troops")
    quote.get_by_role("link", name="in context").click()
    target = page.locator("mark.quoted:target")
    assert target.inner_text().startswith("I can confirm that North Korean troops")
    assert target.evaluate("e => e.closest('.full-text') !== null")
    background = target.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert target.is_visible()


def test_the_stylesheet_loads_under_a_sub_path(browser: Any, served_root: str) -> None:
    page = open_page(browser, served_root + "topics/economy/")
    border = page.evaluate(
        "getComputedStyle(document.querySelector('.masthead')).borderBottomStyle"
    )
    assert border == "solid"
    assert page.failed_requests == []


def test_pages_fit_a_320_pixel_phone_without_sideways_scrolling(
    browser: Any, served_root: str
) -> None:
    for path in (
        "",
        "articles/2024/10/employers-national-insurance-gilts/",
        "archive/",
        "stories/2024-10-nato-chief-north-korean-troops-russia/",
        "sources/northline-wire/",
    ):
        page = open_page(browser, served_root + path, width=320)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 320, path


def test_each_page_has_landmarks_and_one_h1(browser: Any, served_root: str) -> None:
    for path in (
        "",
        "editions/2024-10-28/",
        "topics/security/",
        "articles/2024/10/reeves-budget-tax-rises/",
        "archive/",
        "stories/2024-10-nato-chief-north-korean-troops-russia/",
        "sources/northline-wire/",
    ):
        page = open_page(browser, served_root + path)
        assert page.locator("main").count() == 1, path
        assert page.locator("header.masthead nav").count() == 1, path
        assert page.locator("h1").count() == 1, path


def test_an_edition_prints_as_a_briefing_without_navigation_and_with_its_sources(
    browser: Any, served_root: str
) -> None:
    page = open_page(browser, served_root + "editions/2024-10-28/")
    page.emulate_media(media="print")
    for chrome in (".masthead", ".site-footer", ".pager", ".section-index"):
        assert not page.locator(chrome).first.is_visible(), chrome
    assert page.locator("h1.edition-title").is_visible()
    source = page.locator("a[data-original]").first
    shown = source.evaluate("e => getComputedStyle(e, '::after').content")
    assert source.get_attribute("data-original") in shown and shown.startswith('" (')
    page.emulate_media(media="screen")
    assert page.locator(".masthead").is_visible()
    assert source.evaluate("e => getComputedStyle(e, '::after').content") == "none"


def test_with_links_files_the_site_is_read_from_disk_page_to_page(
    browser: Any, tmp_path_factory: Any
) -> None:
    root = tmp_path_factory.mktemp("from-disk")
    for name in ("briefgen.yaml", "content", "layouts"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, root / name)
    (root / "briefgen.yaml").write_text((root / "briefgen.yaml").read_text() + "\nlinks: files\n")
    assert not build(root, BuildOptions(now=datetime(2024, 11, 2, tzinfo=UTC))).failed()
    page = open_page(browser, (root / "site/index.html").as_uri())
    styled = "getComputedStyle(document.querySelector('.masthead')).borderBottomStyle"
    assert page.evaluate(styled) == "solid"
    page.get_by_role("link", name="Archive").click()
    page.get_by_role("link", name="Monday 28 October 2024").click()
    assert page.url.endswith("/editions/2024-10-28/index.html")
    page.locator("h3.story-title a").first.click()
    page.wait_for_load_state("load")  # (a click waits for the navigation, not the stylesheet)
    assert page.url.startswith("file://") and page.url.endswith("/index.html")
    assert page.evaluate(styled) == "solid" and page.locator("main h1").is_visible()
    assert page.failed_requests == []
