"""In the browser: an article full of markup shows it as text, on its pages and in search,
and no script of its runs."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from briefgen.build import BuildOptions, build
from tests.browser.conftest import _QuietHandler
from tests.conftest import write_files
from tests.e2e.test_injection import HOSTILE_SITE


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = write_files(tmp_path_factory.mktemp("hostile"), HOSTILE_SITE)
    assert not build(root, BuildOptions(now=datetime(2024, 11, 2, tzinfo=UTC))).failed()
    handler = functools.partial(_QuietHandler, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.mark.parametrize(
    "path", ["", "articles/evil/", "editions/2024-10-28/", "topics/economy/", "search/?q=Markets"]
)
def test_no_script_of_the_article_runs(browser: Any, hostile_root: str, path: str) -> None:
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(hostile_root + path)
    page.wait_for_load_state("networkidle")
    if path.startswith("search/"):
        page.wait_for_function("/found/.test(document.querySelector('.search-status').textContent)")
        results = page.locator(".search-results")
        assert "Evil </script><script>alert('title')" in results.inner_text()  # as text
        assert results.locator("script, img").count() == 0
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    page.close()
