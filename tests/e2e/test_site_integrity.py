"""The built example as a whole: every link and asset of every page resolves (served from a
folder, under any sub-path, and opened from disk with ``links: files``), no page asks for
anything from elsewhere, the feeds and the sitemap are valid, and the front page is light."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

from briefgen.build import BuildOptions, build
from briefgen.checking.built_site import PageLinks, built_pages, check_built_site
from tests.conftest import REPO

NOW = datetime(2024, 11, 2, 12, tzinfo=UTC)
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# Where the pages may point outside the site: the originals of the articles (plain links).
OWN_SITE = "https://briefing.example.org/"


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


def test_every_link_and_asset_of_every_page_resolves(built: Path) -> None:
    files_mode = "links: files" in (built.parent / "briefgen.yaml").read_text()
    findings, pages = check_built_site(
        built, shown="site", links="files" if files_mode else "directories", base_url=OWN_SITE
    )
    assert pages > 30
    assert [str(finding) for finding in findings] == []


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
    for page in built_pages(built):
        rel = page.relative_to(built).as_posix()
        if rel == "404.html" or 'http-equiv="refresh"' in page.read_text():
            continue  # the 404 page and redirects of old addresses are no pages to list
        pages.add(OWN_SITE + rel.removesuffix("index.html"))
    assert listed == pages


def test_the_front_page_weighs_under_60_kb_with_its_styles_and_scripts(built: Path) -> None:
    front = built / "index.html"
    found = PageLinks(front.read_text())
    loaded = [
        link.value
        for link in found.links
        if (link.tag == "link" and link.value.endswith(".css"))
        or (link.tag == "script" and link.attribute == "src")
    ]
    assert loaded, "the page's stylesheet"
    weight = front.stat().st_size + sum((built / value).stat().st_size for value in loaded)
    assert weight < 60_000, weight
    assert not re.search(r"<script(?![^>]*application/ld\+json)", front.read_text())
