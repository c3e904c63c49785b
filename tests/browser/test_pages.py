"""Every kind of page as a reader meets it in Chromium: on a phone and on a wide screen, in
light and dark mode, with a screen reader's checker (axe-core) and with the keyboard only.

A failing check saves a screenshot of the page under ``test-artifacts/`` (not in git).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import REPO

AXE = REPO / "node_modules/axe-core/axe.min.js"
ARTIFACTS = REPO / "test-artifacts"
PAGES = {
    "front": "",
    "edition": "editions/2024-10-28/",
    "topic": "topics/security/",
    "story": "stories/2024-10-nato-chief-north-korean-troops-russia/",
    "article": "articles/2024/10/nato-chief-north-korean-troops-russia/",
    "archive": "archive/",
    "search": "search/?q=Kursk",
    "404": "404.html",
}
WIDTHS = (320, 375, 1280)

# Text boxes that overlap by more than this many square pixels are drawn over each other.
OVERLAP = 4
FIND_OVERLAPS = """() => {
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const style = getComputedStyle(node.parentElement);
    const hidden = node.parentElement.closest("[hidden], .visually-hidden, .skip");
    if (style.visibility === "hidden" || hidden) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      const text = node.textContent.trim().slice(0, 40);
      if (r.width > 0 && r.height > 0) boxes.push({r, text});
    }
  }
  const found = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i].r, b = boxes[j].r;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 0 && h > 0 && w * h > OVERLAP) found.push(boxes[i].text + " / " + boxes[j].text);
    }
  }
  return found.slice(0, 5);
}""".replace("OVERLAP", str(OVERLAP))


@contextmanager
def page_at(browser: Any, url: str, name: str, **options: Any) -> Iterator[Any]:
    """A page open at ``url``; a screenshot of it in test-artifacts/ if the checks fail."""
    context = browser.new_context(**options)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.requests = requests
    try:
        yield page
    except AssertionError:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        raise
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", PAGES)
def test_every_page_fits_the_screen_with_nothing_drawn_over_anything(
    browser: Any, served_root: str, kind: str, width: int
) -> None:
    url = served_root + PAGES[kind]
    with page_at(browser, url, f"{kind}-{width}", viewport={"width": width, "height": 800}) as page:
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate(FIND_OVERLAPS) == []
        heading = page.locator("main h1, main .edition-title").first
        assert heading.is_visible()
        box = heading.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
        assert page.locator("header.masthead .brand").is_visible()
        origin = urlsplit(served_root).netloc
        assert [u for u in page.requests if urlsplit(u).netloc != origin] == []


def _axe(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => v.id + ": " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "))"""
    )
    return list(violations)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", PAGES)
def test_no_serious_accessibility_problem_on_any_page(
    browser: Any, served_root: str, kind: str, scheme: str
) -> None:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (npm install --no-save axe-core); .ci/run does")
    url = served_root + PAGES[kind]
    with page_at(browser, url, f"axe-{kind}-{scheme}", color_scheme=scheme) as page:
        assert _axe(page) == []
        levels = page.evaluate(
            "[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])"
        )
        assert levels.count(1) == 1 and levels[0] == 1, levels
        assert all(b - a <= 1 for a, b in pairwise(levels)), levels
        for landmark in ("header.masthead", "main#main", "nav", "footer"):
            assert page.locator(landmark).count() >= 1, landmark


def test_the_keyboard_reaches_every_control_and_shows_where_it_is(
    browser: Any, served_root: str
) -> None:
    with page_at(browser, served_root, "keyboard", viewport={"width": 1280, "height": 800}) as page:
        page.keyboard.press("Tab")
        first = page.evaluate("document.activeElement.className")
        assert first == "skip"
        assert page.locator("a.skip").is_visible()  # the skip link shows when focused
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"
        page.goto(served_root)  # from the top again, through every control in order
        controls = page.evaluate(
            """[...document.querySelectorAll('a[href], input, select, button')]
                .filter(e => e.offsetParent !== null || e.classList.contains('skip')).length"""
        )
        seen = set()
        for _ in range(controls + 2):
            page.keyboard.press("Tab")
            focused = page.evaluate(
                """() => {
                    const e = document.activeElement;
                    const all = [...document.querySelectorAll('a[href], input, select, button')];
                    const s = getComputedStyle(e);
                    const r = e.getBoundingClientRect();
                    return {at: all.indexOf(e), what: e.outerHTML.slice(0, 80),
                            outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
                            visible: r.width > 0 && r.height > 0};
                }"""
            )
            if focused["at"] < 0:
                break  # past the last control
            assert focused["visible"] and focused["outline"], focused
            seen.add(focused["at"])
        assert len(seen) == controls  # every control, each once


def test_search_says_it_needs_http_when_opened_from_disk(
    browser: Any, example_output: Path
) -> None:
    page = browser.new_page()
    page.goto((example_output / "search/index.html").as_uri() + "?q=Kursk")
    status = page.locator(".search-status")
    page.wait_for_function("document.querySelector('.search-status').textContent.includes('HTTP')")
    assert "served over HTTP" in status.inner_text()
    assert page.locator(".search-results li").count() == 0
    page.close()
