"""``briefgen serve`` in a browser: the open pages follow the files as they are saved."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, interruptible

expect = pytest.importorskip("playwright.sync_api").expect

WAIT_MS = 10_000
BOEING = "content/2024/11/boeing-machinists-vote-offer.md"  # on the front page (1 November)
BOEING_PAGE = "articles/2024/11/boeing-machinists-vote-offer/"
UNRELATED = "topics/technology/"  # Boeing is economy news: this page never lists it


class Serve:
    """``briefgen serve --port 0`` on a copy of the example site, and the pages it opened."""

    def __init__(self, root: Path, browser: Any) -> None:
        self.root, self.browser = root, browser
        self.pages: list[Any] = []
        self.lines: list[str] = []
        self.heard = threading.Condition()
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        command = [sys.executable, "-m", "briefgen", "serve", str(root), "--port", "0"]
        self.process = subprocess.Popen(
            command, stderr=subprocess.PIPE, text=True, env=env, preexec_fn=interruptible
        )
        threading.Thread(target=self._read, daemon=True).start()
        found = self.wait_for_line(r"briefgen: serving (http://\S+)")
        self.url = found.group(1)

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self.heard:
                self.lines.append(line.rstrip("\n"))
                self.heard.notify_all()

    def wait_for_line(self, pattern: str, start: int = 0) -> re.Match[str]:
        """The first stderr line from ``start`` on that matches ``pattern``."""

        def found() -> re.Match[str] | None:
            return next(filter(None, (re.search(pattern, x) for x in self.lines[start:])), None)

        with self.heard:
            self.heard.wait_for(lambda: found() or self.process.poll() is not None, WAIT_MS / 1000)
            if match := found():
                return match
        raise AssertionError(f"no {pattern!r} on stderr: {self.lines}")

    def open(self, path: str = "", height: int = 900) -> Any:
        """A tab on ``path`` once its reload channel is open; ``page.loads`` counts its loads."""
        page = self.browser.new_page(viewport={"width": 1000, "height": height})
        page.loads = 0

        def loaded(_: object) -> None:
            page.loads += 1

        page.on("load", loaded)
        self.pages.append(page)
        page.goto(self.url + path)
        try:
            expect(page.locator("html")).to_have_attribute(
                "data-briefgen-live", "connected", timeout=WAIT_MS
            )
        except AssertionError:
            message = f"/{path}: no open reload channel seen; the page loaded {page.loads} times"
            raise AssertionError(message) from None
        return page

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            assert self.process.wait(timeout=5) == 0, self.lines
        finally:
            if self.process.poll() is None:
                self.process.kill()
            for page in self.pages:
                page.context.close()


@pytest.fixture
def serve(browser: Any, tmp_path: Path) -> Iterator[Serve]:
    for name in ("briefgen.yaml", "content", "layouts"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, tmp_path / name)
    server = Serve(tmp_path, browser)
    try:
        yield server
    finally:
        server.stop()


def stays_loaded(page: Any) -> None:
    """The page is not reloaded again and again: one more second passes without a load."""
    before = page.loads
    page.wait_for_timeout(1000)
    assert page.loads == before, f"{page.url} reloaded {page.loads - before} times on its own"


def test_a_save_shows_on_the_open_pages_and_keeps_the_reader_scrolled_where_they_were(
    serve: Serve,
) -> None:
    front = serve.open()
    front.get_by_role("link", name="Boeing machinists to vote on improved offer").first.click()
    article = front  # the reader follows the link; the front page stays open in another tab
    expect(article).to_have_url(re.compile(BOEING_PAGE + "$"))
    expect(article.locator("html")).to_have_attribute("data-briefgen-live", "connected")
    front = serve.open(height=500)
    stays_loaded(article)

    article.set_viewport_size({"width": 1000, "height": 400})
    article.evaluate("window.scrollTo(0, 600)")
    scrolled = article.evaluate("window.scrollY")
    assert scrolled > 500
    article.evaluate("window.__marker = 1")
    serve.edit(BOEING, "since mid-September.", "since mid-September. Picket lines stayed calm.")
    expect(article.locator("main")).to_contain_text("Picket lines stayed calm.", timeout=WAIT_MS)
    # The new body took the old one's place: no reload, the reader stays where they were.
    assert article.evaluate("window.__marker") == 1
    article.wait_for_function("y => Math.abs(window.scrollY - y) <= 5", arg=scrolled, timeout=2000)
    stays_loaded(article)

    serve.edit(BOEING, 'title: "Boeing machinists to vote', 'title: "Boeing workers to vote')
    expect(article.locator("h1")).to_contain_text("Boeing workers to vote", timeout=WAIT_MS)
    expect(front.locator("main")).to_contain_text("Boeing workers to vote", timeout=WAIT_MS)
    expect(front.locator("main")).not_to_contain_text("Boeing machinists to vote")
    stays_loaded(front)


def test_a_broken_template_is_shown_over_the_last_good_page_until_it_is_fixed(
    serve: Serve,
) -> None:
    page = serve.open(BOEING_PAGE)
    overlay = page.locator("#briefgen-error-overlay")
    expect(overlay).to_have_count(0)
    base = serve.root / "layouts/base.html"
    good = base.read_text(encoding="utf-8")
    lines = good.count("\n")
    base.write_text(good + "{% block x %}\n", encoding="utf-8")

    expect(overlay).to_be_visible(timeout=WAIT_MS)
    assert overlay.get_attribute("role") == "alert"
    expect(overlay).to_contain_text(re.compile(r"layouts/base\.html:\d+"))
    where = re.search(r"base\.html:(\d+)", overlay.inner_text())  # the unclosed block's line
    assert where and lines < int(where.group(1)) <= lines + 2
    expect(overlay).to_contain_text("endblock")
    under = page.locator("main h1")
    assert under.inner_text().startswith("Boeing machinists to vote")  # the last good page
    later = serve.open(BOEING_PAGE)  # a page opened while the build is broken says so too
    expect(later.locator("#briefgen-error-overlay")).to_be_visible(timeout=WAIT_MS)
    assert later.locator("main h1").inner_text().startswith("Boeing machinists to vote")

    base.write_text(good, encoding="utf-8")
    expect(overlay).to_have_count(0, timeout=WAIT_MS)
    expect(later.locator("#briefgen-error-overlay")).to_have_count(0, timeout=WAIT_MS)
    expect(page.locator("main h1")).to_contain_text("Boeing machinists to vote")


def test_a_page_the_save_did_not_change_is_not_reloaded(serve: Serve) -> None:
    unrelated = serve.open(UNRELATED)
    changed = serve.open(BOEING_PAGE)
    stays_loaded(unrelated)
    unrelated.evaluate("window.__marker = 1")
    # A second channel in the unrelated page, to know when the build's news reached it.
    unrelated.evaluate(
        """() => {
            window.__builds = [];
            const events = new EventSource("/__briefgen/events");
            events.addEventListener("build", (e) => window.__builds.push(JSON.parse(e.data)));
        }"""
    )
    unrelated.wait_for_function("window.__builds.length >= 1")  # the state on connecting
    serve.edit(BOEING, "since mid-September.", "since mid-September. Talks ran late.")

    mine = BOEING_PAGE + "index.html"
    news = unrelated.wait_for_function(
        "p => window.__builds.slice(1).find(b => b.changed.includes(p)) || null",
        arg=mine,
        timeout=WAIT_MS,
    ).json_value()
    assert UNRELATED + "index.html" not in news["changed"]
    expect(changed.locator("main")).to_contain_text("Talks ran late.", timeout=WAIT_MS)
    unrelated.wait_for_timeout(300)
    assert unrelated.evaluate("window.__marker") == 1
    assert unrelated.loads == 1
    assert unrelated.locator("html").get_attribute("data-briefgen-refreshed") is None
    assert changed.locator("html").get_attribute("data-briefgen-refreshed")


def test_a_save_by_writing_a_new_file_and_renaming_it_over_the_article_is_seen(
    serve: Serve,
) -> None:
    page = serve.open(BOEING_PAGE)
    path = serve.root / BOEING
    temporary = path.with_name(path.name + ".new")
    temporary.write_text(
        path.read_text(encoding="utf-8").replace(
            "since mid-September.", "since mid-September. A vote is due on Monday night."
        ),
        encoding="utf-8",
    )
    os.replace(temporary, path)
    expect(page.locator("main")).to_contain_text("A vote is due on Monday night.", timeout=WAIT_MS)
    stays_loaded(page)


def test_a_stylesheet_change_is_swapped_in_without_a_reload(serve: Serve) -> None:
    page = serve.open(BOEING_PAGE)
    page.evaluate("window.__marker = 1")
    theme_css = REPO / "briefgen/theme/static/assets/style.css"
    override = serve.root / "static/assets/style.css"
    override.parent.mkdir(parents=True)
    override.write_text(
        theme_css.read_text(encoding="utf-8") + "\nh1 { letter-spacing: 7px; }\n",
        encoding="utf-8",
    )
    page.wait_for_function(
        "getComputedStyle(document.querySelector('h1')).letterSpacing === '7px'",
        timeout=WAIT_MS,
    )
    assert page.evaluate("window.__marker") == 1  # the same page: not reloaded, not swapped
    assert page.locator("html").get_attribute("data-briefgen-refreshed") is None
    stays_loaded(page)
    # The swapped stylesheet does not count as a new head: a text edit still swaps the body.
    serve.edit(BOEING, "since mid-September.", "since mid-September. Pickets thinned.")
    expect(page.locator("main")).to_contain_text("Pickets thinned.", timeout=WAIT_MS)
    assert page.evaluate("window.__marker") == 1
