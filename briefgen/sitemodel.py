"""Pure: collection -> pages, each with its URL, template, data and what it was made from.

URLs are decided here and only here, so URL collisions (two articles claiming one page) are
found before anything renders. Links between pages are made relative by ``relative_url``,
which lets the same output work at a domain root, under a sub-path, or opened from disk.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote as percent_encode

from briefgen.analysis.quotes import Quote
from briefgen.collection import Collection, Edition, Item, Source, Story, Topic
from briefgen.config import Config
from briefgen.errors import Diagnostic, error, warning
from briefgen.markdown_text import ARTICLE_LINK_SCHEME, mark_in_html, render_markdown

FEED_SIZE = 50
PAGE_LIST = "pages"  # the label of the list of every page's URL (page_keys.page_list_version)


@dataclass(frozen=True)
class Page:
    url: str  # path under the site root: "" (front), "articles/x/", "feed.xml"
    template: str
    title: str
    context: Mapping[str, Any]
    depends_on: frozenset[str]  # "article:<path>", "story:<id>", "config", "editions", ...

    @property
    def output(self) -> str:
        """The file this page becomes, under the output folder."""
        return output_of(self.url)


def output_of(url: str) -> str:
    """The file the page at ``url`` becomes, under the output folder."""
    return url + "index.html" if url == "" or url.endswith("/") else url


@dataclass(frozen=True)
class Deferred:
    """A context value worked out only when its page renders: an article's body HTML costs a
    Markdown render, which pages skipped by an incremental build never need (and which a
    full build runs in the render workers)."""

    make: Callable[[], Any]


@dataclass(frozen=True)
class Copy:
    """A file copied into the output as it is (an article's image, a static file)."""

    source: str  # path under the site root, posix
    output: str
    depends_on: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SiteModel:
    pages: tuple[Page, ...]
    copies: tuple[Copy, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())


def article_url(item: Item) -> str:
    return f"articles/{item.article.slug}/"


def has_story_page(story: Story) -> bool:
    """A story told by one article is that article's page; several get a page of their own."""
    return len(story.items) > 1


def story_url(story: Story) -> str:
    """Where a listing links a story."""
    return f"stories/{story.id}/" if has_story_page(story) else article_url(story.lead)


def source_url(source: Source | str, page: int = 1) -> str:
    source_id = source if isinstance(source, str) else source.id
    return f"sources/{source_id}/" if page == 1 else f"sources/{source_id}/page/{page}/"


def edition_url(edition: Edition) -> str:
    return f"editions/{edition.id}/"


def topic_url(topic: Topic | str, page: int = 1) -> str:
    topic_id = topic if isinstance(topic, str) else topic.id
    return f"topics/{topic_id}/" if page == 1 else f"topics/{topic_id}/page/{page}/"


def topic_section(url: str) -> str:
    """The URL of the topic a page at ``url`` belongs to ("topics/x/" for "topics/x/page/2/"),
    or "" for a page of no topic: the navigation marks that topic as the current one."""
    if not url.startswith("topics/"):
        return ""
    return url[: url.find("/", len("topics/")) + 1]


def quote_anchor(number: int, quote: Quote) -> str | None:
    """The id of a quote's place in its article's text (quotes are numbered from 1)."""
    return f"quote-{number}" if 0 <= quote.start < quote.end else None


def quote_url(item: Item, quote: Quote) -> str:
    """Where a listing links a quote: its highlighted place in the article."""
    number = item.analysis.quotes.index(quote) + 1
    anchor = quote_anchor(number, quote)
    return article_url(item) + (f"#{anchor}" if anchor else "")


def story_anchor(story: Story) -> str:
    return "story-" + re.sub(r"[^A-Za-z0-9_-]+", "-", story.id)


def relative_url(from_url: str, to_url: str, links: str = "directories") -> str:
    """``to_url`` as seen from the page at ``from_url`` (both site-relative).

    Plain string work on "/"-separated parts: a big site asks this hundreds of thousands of
    times, mostly for links that share no folder with the page (the navigation, the assets,
    topics from an article), which depend only on how deep the page is.
    """
    slash = from_url.find("/")
    if slash < 0 or not to_url.startswith(from_url[: slash + 1]):
        return _down_from(from_url.count("/"), to_url, links)
    here = from_url.split("/")[:-1]  # the folders of the page ("a/b/" and "a/b/x.xml": a, b)
    target, mark, fragment = to_url.partition("#")
    parts = target.split("/")
    folders = parts[:-1]
    common = 0
    while common < len(here) and common < len(folders) and here[common] == folders[common]:
        common += 1
    return _down_from(len(here) - common, "/".join(parts[common:]) + mark + fragment, links)


@functools.lru_cache(maxsize=65536)
def _down_from(ups: int, path: str, links: str) -> str:
    """The link to ``path`` (and its #fragment) from ``ups`` folders below where it starts."""
    target, _, fragment = path.partition("#")
    if links == "files" and (target == "" or target.endswith("/")):
        target += "index.html"
    return url_path("../" * ups + target or "./") + (f"#{fragment}" if fragment else "")


_NOT_URL_SAFE = re.compile(r"[^A-Za-z0-9/._~!$&'()*+,;=:@-]")


def url_path(path: str) -> str:
    """A site path as it goes into a link: a slug made from a file name may hold spaces and
    letters beyond ASCII (``Budget day.md``, ``café.md``), which a URL carries
    percent-encoded; the folder on disk keeps the name (servers decode it)."""
    return percent_encode(path, safe="/!$&'()*+,;=:@~") if _NOT_URL_SAFE.search(path) else path


def build_site_model(
    collection: Collection,
    config: Config,
    now: datetime,
    site_files: Mapping[str, str],
    only: Set[str] | None = None,
) -> SiteModel:
    """``site_files``: extra files to copy, output path -> source path (theme and static).
    ``only``: the outputs of the pages to make (None: every page). A model of some pages has
    every copy and every broken link's diagnostic, but is not checked for URL collisions,
    which only the whole page list shows: a build that knows its page list is the one of a
    model found without collisions makes only the pages it renders (``page_keys.PageIndex``).
    The sitemap lists every page: where it is wanted, every page is made."""
    problems: list[Diagnostic] = []
    pages: list[Page] = []
    if only is not None and "sitemap.xml" in only:
        only = None

    def wanted(url: str) -> bool:
        return only is None or output_of(url) in only

    def add(made: Iterable[Page]) -> None:
        pages.extend(made if only is None else (page for page in made if page.output in only))

    by_path = {item.article.rel_path: item for item in collection.items}
    story_of = {item.article.rel_path: s for s in collection.stories for item in s.items}
    latest = collection.editions[0] if collection.editions else None
    before_latest = collection.editions[1] if len(collection.editions) > 1 else None

    if wanted(""):
        pages.append(
            Page(
                "",
                "index.html",
                config.title,
                {"edition": latest, "older": before_latest},
                frozenset({"config"} | _edition_keys(latest, before_latest) | _story_keys(latest)),
            )
        )
    editions = collection.editions
    for index, edition in enumerate(editions):
        if not wanted(edition_url(edition)):
            continue
        newer = editions[index - 1] if index > 0 else None
        older = editions[index + 1] if index + 1 < len(editions) else None
        pages.append(
            Page(
                edition_url(edition),
                "edition.html",
                edition.label,
                {"edition": edition, "newer": newer, "older": older},
                frozenset({"config"} | _edition_keys(edition, newer, older) | _story_keys(edition)),
            )
        )
    for topic in collection.topics:
        pages.extend(_topic_pages(topic, config, wanted))
    for story in collection.stories:
        if has_story_page(story) and wanted(story_url(story)):
            pages.append(
                Page(
                    story_url(story),
                    "story.html",
                    story.title,
                    {"story": story, "by_path": {i.article.rel_path: i for i in story.items}},
                    frozenset(
                        {"config", f"story:{story.id}"}
                        | {f"article:{i.article.rel_path}" for i in story.items}
                    ),
                )
            )
    for source in collection.sources:
        pages.extend(_source_pages(source, story_of, config, wanted))
    for item in collection.items:
        if wanted(article_url(item)):
            pages.append(_article_page(item, story_of[item.article.rel_path], by_path, config))
        if item.article.links:
            problems.extend(_broken_article_links(item, by_path))
        if item.article.aliases:
            add(_redirect_pages(item))
    config_only = frozenset({"config"})
    add(
        [
            Page(
                "archive/",
                "archive.html",
                "Archive",
                {"editions": editions},
                frozenset({"config", "editions"}),
            ),
            *([Page("about/", "about.html", "About", {}, config_only)] if config.about else []),
            Page("search/", "search.html", "Search", {}, config_only),
            Page("404.html", "404.html", "Page not found", {}, config_only),
            Page("robots.txt", "robots.txt", "robots.txt", {}, config_only),
        ]
    )
    if config.base_url:
        # A feed shows its entries' articles (their labels hold what the entries show, and
        # which entries there are and in what order follows from them: a change of entries
        # changes the labels), the sitemap the list of pages.
        if wanted("feed.xml"):
            listed = [i for i in collection.items if not i.article.hide][:FEED_SIZE]
            pages.append(
                Page(
                    "feed.xml",
                    "feed.xml",
                    config.title,
                    {"entries": listed, "topic": None, "updated": now},
                    _entry_keys(listed),
                )
            )
        for topic in collection.topics:
            if not wanted(f"{topic_url(topic)}feed.xml"):
                continue
            entries = [s.lead for s in topic.stories][:FEED_SIZE]
            pages.append(
                Page(
                    f"{topic_url(topic)}feed.xml",
                    "feed.xml",
                    f"{config.title}: {topic.config.label}",
                    {"entries": entries, "topic": topic, "updated": now},
                    _entry_keys(entries) | {f"topic:{topic.id}"},
                )
            )
        if only is None:
            sitemap_urls = [
                p.url for p in pages if p.template.endswith(".html") and p.template != "404.html"
            ]
            pages.append(
                Page(
                    "sitemap.xml",
                    "sitemap.xml",
                    "sitemap",
                    {"urls": sitemap_urls},
                    frozenset({"config", PAGE_LIST}),
                )
            )
    copies = [*_article_copies(collection), *(Copy(src, out) for out, src in site_files.items())]
    if only is None:
        problems.extend(_collisions(pages, copies, collection))
    return SiteModel(tuple(pages), tuple(copies), tuple(problems))


@dataclass(frozen=True)
class QuoteGroup:
    """An article's quotes by one speaker (None: not attributed), each with its anchor in the
    article text."""

    speaker: str | None
    quotes: tuple[tuple[Quote, str | None], ...]


def _article_page(item: Item, story: Story, by_path: Mapping[str, Item], config: Config) -> Page:
    article = item.article
    # Made when the page is rendered: an article read back from the cache keeps its quotes
    # packed unless its page is rendered again.
    context = {
        "item": item,
        "story": story,
        "body_html": Deferred(
            lambda: article_body_html(item, _quote_anchors(item), by_path, config)
        ),
        "quote_groups": Deferred(lambda: _quote_groups(item)),
    }
    depends = frozenset(("config", f"article:{article.rel_path}", f"story:{story.id}"))
    if article.links:
        depends |= {f"article:{link.target}" for link in article.links if link.kind == "article"}
    return Page(article_url(item), "article.html", article.title, context, depends)


def _quote_anchors(item: Item) -> list[str | None]:
    return [
        quote_anchor(number, quote) for number, quote in enumerate(item.analysis.quotes, start=1)
    ]


def _quote_groups(item: Item) -> list[QuoteGroup]:
    """The article's quotes by speaker, in order of each speaker's first quote."""
    groups: dict[str | None, list[tuple[Quote, str | None]]] = {}
    for quote, anchor in zip(item.analysis.quotes, _quote_anchors(item), strict=True):
        groups.setdefault(quote.speaker, []).append((quote, anchor))
    return [QuoteGroup(speaker, tuple(quotes)) for speaker, quotes in groups.items()]


def article_body_html(
    item: Item, anchors: list[str | None], by_path: Mapping[str, Item], config: Config
) -> str:
    """The article's text as HTML, its quotations highlighted with their ``anchors`` and its
    links to other articles' files turned into links to their pages."""
    article = item.article
    highlights = [
        (quote.start, quote.end, anchor)
        for quote, anchor in zip(item.analysis.quotes, anchors, strict=True)
        if anchor
    ]
    html = article.html
    if highlights:
        html = (
            mark_in_html(html, article.plain, highlights)
            or render_markdown(
                article.body,
                article_path=article.rel_path,
                first_line=article.body_line,
                allow_html=config.markdown_html,
                highlights=highlights,
            ).html
        )
    return resolve_article_links(item, by_path, html, config.links)


def _redirect_pages(item: Item) -> list[Page]:
    """Front matter ``aliases``: old URLs of the article that lead to its page."""
    pages = []
    for alias in item.article.aliases:
        url = alias if posixpath.splitext(alias)[1] else alias.rstrip("/") + "/"
        pages.append(
            Page(
                url,
                "redirect.html",
                item.article.title,
                {"target": article_url(item)},
                frozenset({"config", f"article:{item.article.rel_path}"}),
            )
        )
    return pages


def _entry_keys(entries: Sequence[Item]) -> frozenset[str]:
    return frozenset({"config", *(f"article:{i.article.rel_path}" for i in entries)})


def _edition_keys(*editions: Edition | None) -> frozenset[str]:
    """The labels of the editions a page shows, whole or as a link by label: an article
    added to one edition renders its page and its neighbours', not every edition's."""
    return frozenset(f"edition:{edition.id}" for edition in editions if edition is not None)


def _story_keys(holder: Edition | Topic | None) -> frozenset[str]:
    return frozenset(f"story:{s.id}" for s in holder.stories) if holder else frozenset()


def _pagination(number: int, total: int, url: Callable[[int], str]) -> dict[str, Any]:
    return {
        "number": number,
        "total": total,
        "newer": url(number - 1) if number > 1 else None,
        "older": url(number + 1) if number < total else None,
    }


def _source_pages(
    source: Source, story_of: Mapping[str, Story], config: Config, wanted: Callable[[str], bool]
) -> list[Page]:
    """An outlet's articles, newest first, ``page_size`` a page: a page a reader can take in,
    and one edit renders one page of an outlet with thousands of articles, not all of them
    (unless it moves the articles from page to page)."""
    size = config.page_size
    chunks = [source.items[i : i + size] for i in range(0, len(source.items), size)] or [()]
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        if not wanted(source_url(source, number)):
            continue
        pages.append(
            Page(
                source_url(source, number),
                "source.html",
                source.name,
                {
                    "source": source,
                    "items": chunk,
                    "story_of": story_of,
                    "pagination": _pagination(number, len(chunks), lambda n: source_url(source, n)),
                },
                frozenset(
                    {"config", f"source:{source.id}"}
                    | {f"article:{i.article.rel_path}" for i in chunk}
                    | {f"story:{story_of[i.article.rel_path].id}" for i in chunk}
                ),
            )
        )
    return pages


def _topic_pages(topic: Topic, config: Config, wanted: Callable[[str], bool]) -> list[Page]:
    size = config.page_size
    chunks = [topic.stories[i : i + size] for i in range(0, len(topic.stories), size)] or [()]
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        if not wanted(topic_url(topic, number)):
            continue
        pagination = _pagination(number, len(chunks), lambda n: topic_url(topic, n))
        pages.append(
            Page(
                topic_url(topic, number),
                "topic.html",
                topic.config.label,
                {"topic": topic, "stories": chunk, "pagination": pagination},
                frozenset({"config", f"topic:{topic.id}"} | {f"story:{s.id}" for s in chunk}),
            )
        )
    return pages


_ARTICLE_LINK = re.compile(r'href="' + re.escape(ARTICLE_LINK_SCHEME) + r'([^"#]*)(#[^"]*)?"')


def resolve_article_links(
    item: Item, by_path: Mapping[str, Item], html: str, links: str = "directories"
) -> str:
    """Turn the body's links to other articles' .md files into links to their pages; a link
    to a file that is not an article of this build keeps pointing at the file (and
    ``_broken_article_links`` reports it)."""
    here = article_url(item)

    def replace(match: re.Match[str]) -> str:
        target, fragment = match.group(1), match.group(2) or ""
        linked = by_path.get(target)
        if linked is None:
            return f'href="{posixpath.relpath(target, posixpath.dirname(item.article.rel_path))}"'
        return f'href="{relative_url(here, article_url(linked), links)}{fragment}"'

    return _ARTICLE_LINK.sub(replace, html)


def _broken_article_links(item: Item, by_path: Mapping[str, Item]) -> list[Diagnostic]:
    return [
        error(
            f"content/{item.article.rel_path}",
            link.line,
            f"link to '{link.target}', which is not an article of this build",
            "fix the path, or check that the target is not a draft or broken",
        )
        for link in item.article.links
        if link.kind == "article" and link.target not in by_path
    ]


def _article_copies(collection: Collection) -> list[Copy]:
    copies = []
    for item in collection.items:
        if not item.article.links:
            continue
        folder = posixpath.dirname(item.article.rel_path)
        for link in item.article.links:
            if link.kind == "asset":
                beside = posixpath.relpath(link.target, folder or ".")
                copies.append(
                    Copy(
                        f"content/{link.target}",
                        posixpath.normpath(posixpath.join(article_url(item), beside)),
                        frozenset({f"article:{item.article.rel_path}"}),
                    )
                )
    return copies


def _collisions(pages: list[Page], copies: list[Copy], collection: Collection) -> list[Diagnostic]:
    """Two things writing one output file is an error naming both. Who writes a file is
    worked out only where two claim it (or claim names that differ only in letter case)."""
    outputs = [p.output for p in pages] + [c.output for c in copies]
    distinct = set(outputs)
    if (
        len(distinct) == len(outputs)
        and len({output.casefold() for output in distinct}) == len(distinct)
        and not any(output.startswith(("../", "/")) for output in distinct)
    ):
        return []  # (the common case, found in a few set operations)
    articles = {f"article:{i.article.rel_path}" for i in collection.items}

    def owner_of(deps: frozenset[str]) -> str:
        named = deps & articles
        return f"content/{min(named).removeprefix('article:')}" if named else "the site"

    claims = [(p.output, p.depends_on) for p in pages]
    claims += [(c.output, c.depends_on or frozenset({c.source})) for c in copies]
    problems = []
    first: dict[str, int] = {}  # output -> the claim that keeps it
    for index, (output, deps) in enumerate(claims):
        if output.startswith("../") or posixpath.isabs(output):
            problems.append(
                error(
                    owner_of(deps),
                    None,
                    f"'{output}' would be written outside the output",
                    "use a slug without '..'",
                )
            )
            continue
        kept = first.setdefault(output, index)
        if kept != index and (owner := owner_of(deps)) != (other := owner_of(claims[kept][1])):
            problems.append(
                error(
                    owner,
                    None,
                    f"{owner} and {other} both claim the URL /{output}",
                    "give one of them another slug",
                )
            )
    return problems + _case_collisions(first, lambda output: owner_of(claims[first[output]][1]))


def _case_collisions(outputs: Iterable[str], owner_of: Callable[[str], str]) -> list[Diagnostic]:
    """Outputs that differ only in letter case: one folder on macOS and Windows (and in a
    copy of the site there), where one would replace the other."""
    first: dict[str, str] = {}
    problems = []
    for output in outputs:  # (in the order of the pages)
        other = first.setdefault(output.casefold(), output)
        if other != output and (owner := owner_of(output)) != (before := owner_of(other)):
            problems.append(
                warning(
                    owner,
                    None,
                    f"{owner} and {before} claim URLs that differ only in "
                    f"letter case (/{output} and /{other}): on macOS and Windows one would "
                    "replace the other",
                    "give one of them another slug",
                )
            )
    return problems
