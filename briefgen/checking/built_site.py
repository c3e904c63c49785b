"""Links in a built site: every address a page links or loads leads to a file of the site.

Read from the output as it is on disk, so it also catches what the content checks cannot see:
a layout's link to a page that is not made, a static file deleted after the build, an anchor
a template no longer writes. Addresses on other sites are not followed (no network), but a
page that loads something from another site (a font, a script) is noted: the theme works
offline, and the page would not.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

from briefgen.errors import Diagnostic, Level

LINK_ATTRIBUTES = frozenset({"href", "src", "action", "data-index"})
SEARCH_DIR = "pagefind/"  # made by Pagefind; a build with --no-search has none
_TOP = "top"  # "#top" goes to the top of any page, with or without such an id

Problem = tuple[Level, str, str]  # level, message, hint


@dataclass(frozen=True)
class PageLink:
    tag: str
    attribute: str
    value: str
    line: int


class PageLinks(HTMLParser):
    """Every address a page links or loads (with its line), and every id it has."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.links: list[PageLink] = []
        self.ids: set[str] = set()
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            elif name in LINK_ATTRIBUTES:
                self.links.append(PageLink(tag, name, value, line))


def built_pages(output_dir: Path) -> list[Path]:
    """The site's HTML pages, without the search index's own files."""
    return sorted(
        path
        for path in output_dir.rglob("*.html")
        if path.is_file() and path.relative_to(output_dir).parts[0] != SEARCH_DIR.rstrip("/")
    )


@dataclass
class _Site:
    """The output folder being checked, and the pages read so far."""

    root: Path
    shown: str  # how findings name the output folder, e.g. "site"
    folder_links: bool  # a link to a folder finds its index.html (served, not from disk)
    base_url: str
    parsed: dict[Path, PageLinks] = field(default_factory=dict)

    def ids_of(self, page: Path) -> set[str]:
        if page not in self.parsed:
            self.parsed[page] = PageLinks(page.read_text(encoding="utf-8", errors="replace"))
        return self.parsed[page].ids


def check_built_site(
    output_dir: Path, *, shown: str, links: str = "directories", base_url: str = ""
) -> tuple[list[Diagnostic], int]:
    """Findings about every link of every page under ``output_dir``, and how many pages there
    were. ``links`` is the config's: with ``files`` a link to a folder is broken (a page
    opened from disk has no server to find its index.html). ``base_url``: the site's own
    absolute address, which canonical and feed links may use."""
    site = _Site(output_dir, shown.rstrip("/"), links != "files", base_url)
    pages = built_pages(output_dir)
    for page in pages:
        site.ids_of(page)
    findings = []
    for page in pages:
        label = f"{site.shown}/{page.relative_to(output_dir).as_posix()}"
        for link in site.parsed[page].links:
            problem = _check_link(site, page, link)
            if problem is not None:
                findings.append(Diagnostic(label, link.line, *problem))
    return findings, len(pages)


def _check_link(site: _Site, page: Path, link: PageLink) -> Problem | None:
    """What is wrong with the link, if anything."""
    parts = urlsplit(link.value)
    if parts.scheme or parts.netloc:
        return _check_elsewhere(site, link, parts)
    if not parts.path:
        if parts.fragment and parts.fragment != _TOP:
            return _check_anchor(site, page, link.value, unquote(parts.fragment))
        return None
    if parts.path.startswith("/"):
        return (
            Level.WARNING,
            f"link '{link.value}' starts at the domain's root",
            "make it relative (the theme's url() does): it breaks under a sub-path and from disk",
        )
    here = page.parent.relative_to(site.root).as_posix()
    target = posixpath.normpath(posixpath.join(here, unquote(parts.path)))
    if target == ".." or target.startswith("../"):
        return (Level.ERROR, f"link '{link.value}' leads outside the site", "fix the link")
    path = site.root / target
    if path.is_dir():
        if not site.folder_links:
            return (
                Level.ERROR,
                f"link '{link.value}' is a folder, which a page opened from disk cannot show",
                "end the link with index.html (links: files wants every link to)",
            )
        path = path / "index.html"
    if not path.is_file():
        return _missing(link.value, path.relative_to(site.root).as_posix())
    if parts.fragment and parts.fragment != _TOP and path.suffix == ".html":
        return _check_anchor(site, path, link.value, unquote(parts.fragment))
    return None


def _check_elsewhere(site: _Site, link: PageLink, parts: SplitResult) -> Problem | None:
    """A reader may follow a link anywhere (an article's original); the site's own address
    is for machines (canonical link, feeds). Anything else an http(s) address loads."""
    if parts.scheme not in ("http", "https"):
        return None  # mailto:, tel:, data: ...
    own = bool(site.base_url) and link.value.startswith(site.base_url)
    if link.tag == "a" or (link.tag == "link" and own):
        return None
    return (
        Level.WARNING,
        f"<{link.tag} {link.attribute}> loads '{link.value}' from another site",
        "copy the file into static/: the page then works offline and tells no one who reads it",
    )


def _check_anchor(site: _Site, target: Path, value: str, fragment: str) -> Problem | None:
    if fragment in site.ids_of(target):
        return None
    page = target.relative_to(site.root).as_posix()
    return (
        Level.ERROR,
        f"broken link '{value}': {page} has no id '{fragment}'",
        "fix the anchor, or the template that should write it",
    )


def _missing(value: str, target: str) -> Problem:
    if target.startswith(SEARCH_DIR):
        return (
            Level.WARNING,
            f"the search index is missing ('{value}')",
            "build without --no-search to make it",
        )
    return (
        Level.ERROR,
        f"broken link '{value}': there is no {target}",
        "fix the link in the article or layout, or build again if a file was deleted",
    )
