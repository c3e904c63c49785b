"""What machines read of the pages: titles, descriptions, canonical links, Open Graph and
Twitter cards, JSON-LD; and the two settings for briefings that are not for everyone:
``article_text: none`` and ``robots: noindex``."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

from briefgen.build import BuildOptions, build
from tests.conftest import article

NOW = datetime(2024, 11, 2, 12, tzinfo=UTC)
MakeSite = Callable[[Mapping[str, str | bytes]], Path]
BODY = (
    'The central bank cut its main rate to 4.75% on Thursday. "We acted because inflation has '
    'fallen faster than we expected," governor Ana Ruiz told reporters. Markets had priced in '
    "the move for weeks.\n\nA quiet afternoon followed at the exchange, where the tea trolley "
    "arrived at four as it always does."
)
FILES: dict[str, str | bytes] = {
    "briefgen.yaml": "title: Desk\nbase_url: https://example.org/desk/\n",
    "content/rates.md": article(
        "Bank cuts rates",
        source="Northline Wire",
        topics="[economy]",
        body=BODY,
        author="Jo Bloggs",
        url="https://news.example.com/rates",
    ),
}


class Head(HTMLParser):
    """The <head>'s meta tags, links and JSON-LD."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.data: list[dict[str, object]] = []
        self._in_json = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("name" in found or "property" in found):
            self.meta[found.get("name") or found["property"]] = found["content"]
        elif tag == "link":
            self.links[found["rel"]] = found["href"]
        self._in_json = tag == "script" and found.get("type") == "application/ld+json"

    def handle_data(self, data: str) -> None:
        if self._in_json:
            self.data.append(json.loads(data))
            self._in_json = False


def test_an_article_page_describes_itself_to_search_engines_and_share_cards(
    make_site: MakeSite,
) -> None:
    root = make_site(FILES)
    assert not build(root, BuildOptions(now=NOW)).failed()
    head = Head((root / "site/articles/rates/index.html").read_text())
    assert head.meta["og:title"] == head.meta["twitter:title"] == "Bank cuts rates"
    assert head.meta["og:type"] == "article" and head.meta["twitter:card"] == "summary"
    assert head.meta["description"].startswith("The central bank cut its main rate")
    assert (
        head.links["canonical"] == head.meta["og:url"] == "https://example.org/desk/articles/rates/"
    )
    assert head.links["alternate"] == "../../feed.xml"
    (data,) = head.data
    assert data["@type"] == "NewsArticle" and data["headline"] == "Bank cuts rates"
    assert data["datePublished"] == "2024-10-28T00:00:00+00:00"
    assert data["author"] == {"@type": "Person", "name": "Jo Bloggs"}
    assert data["publisher"] == {"@type": "Organization", "name": "Northline Wire"}
    assert data["isBasedOn"] == "https://news.example.com/rates"


def test_an_edition_is_an_item_list_of_its_stories(make_site: MakeSite) -> None:
    root = make_site(FILES)
    build(root, BuildOptions(now=NOW))
    head = Head((root / "site/editions/2024-10-28/index.html").read_text())
    (data,) = head.data
    assert data["@type"] == "ItemList" and data["numberOfItems"] == 1
    assert data["itemListElement"] == [
        {
            "@type": "ListItem",
            "position": 1,
            "name": "Bank cuts rates",
            "url": "https://example.org/desk/articles/rates/",
        }
    ]


def test_a_title_cannot_break_out_of_the_json_ld(make_site: MakeSite) -> None:
    root = make_site(
        {"content/x.md": article("</script><script>alert(1)</script>", body="Some text here.")}
    )
    build(root, BuildOptions(now=NOW))
    page = (root / "site/articles/x/index.html").read_text()
    assert "<script>alert(1)" not in page
    assert Head(page).data[0]["headline"] == "</script><script>alert(1)</script>"


def test_article_text_none_shows_points_quotes_and_the_link_but_never_the_text(
    make_site: MakeSite,
) -> None:
    root = make_site({**FILES, "briefgen.yaml": "title: Desk\narticle_text: none\nkey_points: 1\n"})
    assert not build(root, BuildOptions(now=NOW)).failed()
    page = (root / "site/articles/rates/index.html").read_text()
    assert "Key points" in page
    assert "We acted because inflation has fallen faster than we expected" in page
    assert 'href="https://news.example.com/rates"' in page
    assert "Full text" not in page
    points = re.findall(r"<li>([^<]+)</li>", page.split('class="key-points"')[1].split("</ul>")[0])
    unshown = [
        sentence
        for sentence in re.findall(r"[A-Z][^.]{20,}\.", BODY.replace('"', ""))
        if not any(sentence[:30] in point for point in points) and "acted" not in sentence
    ]
    assert unshown  # sentences of the text that are neither a key point nor a quote
    for path in (p for p in (root / "site").rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.parent.name == "fragment":
            data = gzip.decompress(data)
        for sentence in unshown:  # the text reaches no page, feed or search index
            assert sentence[:30].encode() not in data, (sentence, path)
    # A listing's link to the quote lands on it, on the article page.
    front = (root / "site/index.html").read_text()
    (anchor,) = re.findall(r'href="articles/rates/#(quote-\d+)"', front)
    assert f'<figure class="quote" id="{anchor}">' in page


def test_robots_noindex_asks_every_page_and_robots_txt_to_stay_out(make_site: MakeSite) -> None:
    root = make_site({**FILES, "briefgen.yaml": "title: Desk\nrobots: noindex\n"})
    build(root, BuildOptions(now=NOW))
    for page in ("index.html", "articles/rates/index.html", "search/index.html"):
        assert Head((root / "site" / page).read_text()).meta["robots"] == "noindex, nofollow"
    assert "Disallow: /" in (root / "site/robots.txt").read_text()
    (root / "briefgen.yaml").write_text("title: Desk\n")
    build(root, BuildOptions(now=NOW))
    assert "robots" not in Head((root / "site/index.html").read_text()).meta
    assert "Allow: /" in (root / "site/robots.txt").read_text()
