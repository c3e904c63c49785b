"""Script injection: markup in any field of an article reaches no page, feed, sitemap or
search index as live markup, and a url must be http(s)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

from briefgen.build import BuildOptions, build

NOW = datetime(2024, 11, 2, 12, tzinfo=UTC)
MakeSite = Callable[[Mapping[str, str | bytes]], Path]
HOSTILE = "\n".join(
    [
        "---",
        "title: \"Evil </script><script>alert('title')</script> <img src=x onerror=alert('t2')>\"",
        "date: 2024-10-28",
        "source: \"<script>alert('source')</script>Evil Wire\"",
        "author: \"<img src=x onerror=alert('author')>\"",
        'url: "https://example.com/a?x=<script>alert(1)</script>&y=\\"onerror=alert(2)"',
        'topics: ["<script>alert(\'topic\')</script>", "economy"]',
        "---",
        "",
        "Markets fell on Monday after the report <script>alert('body')</script> and",
        "<img src=x onerror=alert('img')>.",
        "",
        "A [link](javascript:alert('link')) and <a href=\"javascript:alert(2)\">raw link</a>",
        "and [another](JaVaScRiPt:alert(3)).",
        "",
        "\"We will not <script>alert('quote')</script> retreat from this,\" said Ana Ruiz.",
        "",
    ]
)
HOSTILE_SITE: dict[str, str | bytes] = {
    "briefgen.yaml": "title: Desk\nbase_url: https://example.org/\n",
    "content/evil.md": HOSTILE,
    "content/fine.md": "---\ntitle: Calm day\ndate: 2024-10-29\n---\n\nNothing happened today.\n",
}
# The scripts the theme itself puts in pages.
OWN_SCRIPTS = ("assets/search.",)


class Markup(HTMLParser):
    """Every element a page really has, with its attributes."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k.lower(): v or "" for k, v in attrs}))


def live_markup(page: str) -> list[str]:
    """Elements and attributes in ``page`` that would run or load something of the
    article's: scripts but the theme's, images the article named, event handlers, and
    javascript: or data: addresses."""
    found = []
    for tag, attrs in Markup(page).elements:
        theirs = not any(own in attrs.get("src", "") for own in OWN_SCRIPTS)
        if tag == "script" and attrs.get("type") != "application/ld+json" and theirs:
            found.append(f"<script {attrs}>")
        if tag in ("iframe", "object", "embed") or (tag == "img" and attrs.get("src") == "x"):
            found.append(f"<{tag} {attrs}>")
        found += [f"{tag} {name}=" for name in attrs if name.startswith("on")]
        for name in ("href", "src", "action", "formaction", "data"):
            if attrs.get(name, "").strip().lower().startswith(("javascript:", "data:text")):
                found.append(f"{tag} {name}={attrs[name]}")
    return found


def test_markup_in_every_field_reaches_no_page_feed_sitemap_or_index_alive(
    make_site: MakeSite,
) -> None:
    root = make_site(HOSTILE_SITE)
    result = build(root, BuildOptions(now=NOW))
    assert not result.failed(), [str(d) for d in result.diagnostics]
    site = root / "site"
    pages = list(site.rglob("*.html"))
    assert len(pages) > 8
    for page in pages:
        assert live_markup(page.read_text(encoding="utf-8")) == [], page
    article = (site / "articles/evil/index.html").read_text()
    assert "Evil &lt;/script&gt;&lt;script&gt;" in article  # shown, as text
    data = article.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert json.loads(data)["headline"].startswith("Evil </script><script>")  # whole
    for xml in [site / "sitemap.xml", *site.rglob("feed.xml")]:
        tree = ET.parse(xml)  # well-formed: nothing broke out of an element
        assert not [e for e in tree.iter() if e.tag.rsplit("}", 1)[-1] in ("script", "img")]
    feed = (site / "feed.xml").read_text()
    assert "<script>" not in feed.replace("&lt;script&gt;", "")
    robots = (site / "robots.txt").read_text()
    assert "<script" not in robots


def test_a_url_that_is_not_http_is_refused_by_name(make_site: MakeSite) -> None:
    line = next(line for line in HOSTILE.split("\n") if line.startswith("url:"))
    for url in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "file:///etc/x"):
        root = make_site({**HOSTILE_SITE, "content/evil.md": HOSTILE.replace(line, f"url: {url}")})
        messages = [str(d) for d in build(root, BuildOptions(now=NOW)).diagnostics]
        expected = "content/evil.md:6: error: url must start with http"
        assert any(m.startswith(expected) for m in messages), (url, messages)
        assert (root / "site/articles/fine/index.html").is_file()  # the others still build
        assert url not in "".join(p.read_text() for p in (root / "site").rglob("*.html"))
