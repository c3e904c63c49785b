"""The built example as a whole: every link and asset of every page resolves (served from a
folder, under any sub-path, and opened from disk with ``links: files``), no page asks for
anything from elsewhere, the feeds and the sitemap are valid, and the front page is light."""

from __future__ import annotations

import posixpath
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest

from briefgen.build import BuildOptions, build
from tests.conftest import REPO

NOW = datetime(2024, 11, 2, 12, tzinfo=UTC)
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# Where the pages may point outside the site: the originals of the articles (plain links).
OWN_SITE = "https://briefing.example.org/"


class Links(HTMLParser):
    """Every address a page links or loads, and every id it has."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            elif name in ("href", "src", "action", "data-index"):
                self.links.append((tag, name, value))


@pytest.fixture(scope="module", params=["directories", "files"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp(f"integrity-{request.param}")
    for name in ("briefgen.yaml", "content", "layouts"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, root / name)
    if request.param == "files":
        config = root / "briefgen.yaml"
        config.write_text(config.read_text() + "\nlinks: files\n")
    assert not build(root, BuildOptions(now=NOW)).failed()
    return root / "site"


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def test_every_link_and_asset_of_every_page_resolves(built: Path) -> None:
    files_mode = "links: files" in (built.parent / "briefgen.yaml").read_text()
    parsed = {page: Links(page.read_text(encoding="utf-8")) for page in _pages(built)}
    broken: list[str] = []
    for page, found in parsed.items():
        here = page.parent.relative_to(built).as_posix()
        for tag, attribute, value in found.links:
            parts = urlsplit(value)
            if parts.scheme in ("http", "https"):
                # A reader may follow a link anywhere (an article's original); the site's own
                # absolute address is only for machines (canonical link, feeds); nothing is
                # loaded from elsewhere.
                if not (tag == "a" or (tag == "link" and value.startswith(OWN_SITE))):
                    broken.append(f"{page.relative_to(built)}: {tag} {attribute}={value}")
                continue
            assert not parts.scheme and not parts.netloc, f"{page}: {value}"
            target = posixpath.normpath(posixpath.join(here, unquote(parts.path)))
            if target.startswith(".."):
                broken.append(f"{page.relative_to(built)}: {value} leaves the site")
                continue
            path = built / target
            if parts.path == "" and parts.fragment:
                path = page
            elif path.is_dir():
                if files_mode:  # opened from disk there is no index page for a folder
                    broken.append(f"{page.relative_to(built)}: {value} is a folder")
                    continue
                path = path / "index.html"
            if not path.is_file():
                broken.append(f"{page.relative_to(built)}: {value} not found")
            elif parts.fragment and path.suffix == ".html":
                ids = parsed[path].ids if path in parsed else Links(path.read_text()).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(built)}: {value} has no such anchor")
    assert broken == []


def test_the_feeds_are_valid_atom_listing_the_articles(built: Path) -> None:
    feeds = sorted(built.rglob("feed.xml"))
    assert len(feeds) >= 5  # the site's and each topic's
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10" and parsed.entries
        for entry in parsed.entries:
            assert entry.link.startswith(OWN_SITE + "articles/")
            assert entry.title and entry.published_parsed and entry.summary
    everything = feedparser.parse((built / "feed.xml").read_bytes())
    assert len(everything.entries) == 14


def test_the_sitemap_lists_every_page_and_nothing_else(built: Path) -> None:
    root = ET.parse(built / "sitemap.xml").getroot()
    listed = {loc.text for loc in root.iter(f"{SITEMAP}loc")}
    pages = set()
    for page in _pages(built):
        rel = page.relative_to(built).as_posix()
        if rel == "404.html" or 'http-equiv="refresh"' in page.read_text():
            continue  # the 404 page and redirects of old addresses are no pages to list
        pages.add(OWN_SITE + rel.removesuffix("index.html"))
    assert listed == pages


def test_the_front_page_weighs_under_60_kb_with_its_styles_and_scripts(built: Path) -> None:
    front = built / "index.html"
    found = Links(front.read_text())
    loaded = [
        value
        for tag, attribute, value in found.links
        if (tag == "link" and value.endswith(".css")) or (tag == "script" and attribute == "src")
    ]
    assert loaded, "the page's stylesheet"
    weight = front.stat().st_size + sum((built / value).stat().st_size for value in loaded)
    assert weight < 60_000, weight
    assert not re.search(r"<script(?![^>]*application/ld\+json)", front.read_text())
