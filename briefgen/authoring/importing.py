"""``briefgen import FILE...``: scraped text and saved web pages into article files.

Plain text goes through ``scraped_text`` (the story without the page around it); a saved
HTML page through trafilatura, which finds the main text and the page's metadata (title,
author, date, site name, canonical address). Each story becomes
``content/YYYY/MM/<slug>.md``. A story already in the site — the same address, or the same
text — is skipped unless ``--update``; an existing file is never overwritten otherwise.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import yaml

from briefgen.authoring.new_article import AuthoringError, free_path, front_matter, title_slug
from briefgen.authoring.scraped_text import PROMO, RELATED, read_scraped_text
from briefgen.config import Config
from briefgen.content import split_front_matter
from briefgen.errors import ContentError

HTML_SUFFIXES = (".html", ".htm")
TEXT_SUFFIXES = (".txt", ".text")


@dataclass(frozen=True)
class Story:
    title: str
    body: str  # Markdown: paragraphs, headings and lists
    published: datetime | date | None = None
    source: str = ""
    author: str = ""
    url: str = ""


@dataclass(frozen=True)
class Outcome:
    input: Path
    written: Path | None = None  # (with --dry-run: where it would be written)
    duplicate_of: Path | None = None
    problem: str = ""
    updated: bool = False


def read_story(path: Path) -> Story:
    """The story in a scraped text or saved page; AuthoringError when there is none."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AuthoringError(f"cannot read it: {exc.strerror or exc}", "check the path") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES or text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        story = story_from_html(text)
    elif suffix in TEXT_SUFFIXES or not suffix:
        story = story_from_text(text)
    else:
        raise AuthoringError(
            f"'{suffix}' files are not read", "import .txt (scraped text) or .html pages"
        )
    if story is None or not story.body.strip():
        raise AuthoringError("no story text found in it", "is it a news page or its text?")
    return story


def story_from_text(text: str) -> Story | None:
    scraped = read_scraped_text(text)
    if scraped is None:
        return None
    return Story(
        scraped.title,
        "\n\n".join(scraped.paragraphs),
        scraped.published,
        scraped.source,
        scraped.author,
    )


def story_from_html(html: str) -> Story | None:
    import trafilatura

    body = trafilatura.extract(
        html,
        output_format="markdown",
        include_formatting=True,
        include_comments=False,
        include_images=False,
        include_tables=True,
        include_links=False,
        favor_precision=True,
    )
    if not body:
        return None
    meta = trafilatura.extract_metadata(html)
    found = _PageFacts(html)
    title = (found.headline or (meta.title if meta else "") or "").strip()
    body = _with_quotes_marked(_without_heading(body, title), found.quotations)
    author = found.author or (meta.author if meta and meta.author else "")
    return Story(
        title or body.split("\n", 1)[0][:120],
        body,
        found.published or _day(meta.date if meta else None),
        found.site_name or (meta.sitename if meta and meta.sitename else ""),
        author.replace("; ", " and "),
        found.canonical or (meta.url if meta and meta.url else ""),
    )


def _without_heading(body: str, title: str) -> str:
    """trafilatura's Markdown without the headline (it is the title) and without the boxes it
    may keep inside the story ("Read more: ...", a newsletter promotion)."""
    lines = body.strip().split("\n")
    if lines and lines[0].lstrip("# ").strip() == title.strip():
        lines = lines[1:]
    blocks = [block for block in "\n".join(lines).strip().split("\n\n") if not _boxed(block)]
    return "\n\n".join(blocks)


def _with_quotes_marked(body: str, quotations: list[str]) -> str:
    """Mark as Markdown block quotes the paragraphs that the page sets as ``<blockquote>``
    (trafilatura's Markdown gives them as plain paragraphs)."""
    if not quotations:
        return body
    blocks = body.split("\n\n")
    return "\n\n".join(
        f"> {block}" if " ".join(re.sub(r"[*_]", "", block).split()) in quotations else block
        for block in blocks
    )


def _boxed(block: str) -> bool:
    plain = re.sub(r"[*_`]", "", block).strip()
    return bool(RELATED.match(plain)) or (bool(PROMO.search(plain)) and len(plain.split()) <= 30)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


class _PageFacts(HTMLParser):
    """What a page says about itself precisely: its canonical address, its time of
    publication with the zone, its site name, author and headline (meta tags, JSON-LD)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.canonical = self.site_name = self.author = self.headline = ""
        self.published: datetime | date | None = None
        self._json: list[str] | None = None
        self._h1: list[str] | None = None
        self.quotations: list[str] = []  # the text of each <blockquote>
        self._quote: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "link" and "canonical" in found.get("rel", "").split() and found.get("href"):
            self.canonical = self.canonical or found["href"]
        elif tag == "meta":
            key = found.get("property") or found.get("name") or found.get("itemprop") or ""
            value = found.get("content", "").strip()
            if key == "og:url" and not self.canonical:
                self.canonical = value
            elif key == "og:site_name":
                self.site_name = self.site_name or value
            elif key in ("article:published_time", "datePublished") and not self.published:
                self.published = _moment(value)
            elif key in ("author", "article:author") and value and "://" not in value:
                self.author = self.author or value
        elif tag == "script" and found.get("type") == "application/ld+json":
            self._json = []
        elif tag == "h1" and not self.headline:
            self._h1 = []
        elif tag == "blockquote":
            self._quote = []

    def handle_data(self, data: str) -> None:
        if self._json is not None:
            self._json.append(data)
        if self._h1 is not None:
            self._h1.append(data)
        if self._quote is not None:
            self._quote.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._json is not None:
            self._read_json("".join(self._json))
            self._json = None
        elif tag == "h1" and self._h1 is not None:
            self.headline = " ".join("".join(self._h1).split())
            self._h1 = None
        elif tag == "blockquote" and self._quote is not None:
            self.quotations.append(" ".join("".join(self._quote).split()))
            self._quote = None

    def _read_json(self, text: str) -> None:
        try:
            data = json.loads(text)
        except ValueError:
            return
        for item in data if isinstance(data, list) else data.get("@graph", [data]):
            if not isinstance(item, dict) or "Article" not in str(item.get("@type", "")):
                continue
            if not self.published and isinstance(item.get("datePublished"), str):
                self.published = _moment(item["datePublished"])
            author = item.get("author")
            names = [
                a.get("name", "")
                for a in (author if isinstance(author, list) else [author])
                if isinstance(a, dict)
            ]
            if any(names):  # (structured data names every author; a meta tag often one)
                self.author = " and ".join(n for n in names if n)
            publisher = item.get("publisher")
            if isinstance(publisher, dict) and not self.site_name:
                self.site_name = str(publisher.get("name", ""))
            if not self.canonical and isinstance(item.get("url"), str):
                self.canonical = item["url"]


def _moment(value: str) -> datetime | date | None:
    value = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return _day(value[:10])
    return parsed if parsed.tzinfo else parsed.date()


# --- writing --------------------------------------------------------------------------------


@dataclass
class _Known:
    """The articles a site has, by address and by text, to tell a story already imported."""

    by_url: dict[str, Path]
    by_text: dict[str, Path]


def known_articles(content: Path) -> _Known:
    known = _Known({}, {})
    for path in sorted(content.rglob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        meta, body = _split(text)
        url = meta.get("url") if isinstance(meta, dict) else None
        if isinstance(url, str) and url:
            known.by_url.setdefault(_same_url(url), path)
        known.by_text.setdefault(_text_key(body), path)
        imported = meta.get("imported_text") if isinstance(meta, dict) else None
        if isinstance(imported, str) and imported:  # the story as imported, before any edit
            known.by_text.setdefault(imported, path)
    return known


def _split(text: str) -> tuple[object, str]:
    """An article's front matter values and body, as far as they read (a broken article is
    still some text to compare)."""
    try:
        front, body, _ = split_front_matter(text, "")
    except ContentError:
        return {}, text
    try:
        return yaml.safe_load(front) or {}, body
    except yaml.YAMLError:
        return {}, body


def _text_key(body: str) -> str:
    """The same for the same words, whatever the punctuation, case and spacing."""
    words = re.sub(r"[^\w]+", " ", body.lower()).split()
    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:20]


def _same_url(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url.strip()).rstrip("/").split("#")[0]


def import_one(
    source_file: Path,
    config: Config,
    known: _Known,
    now: datetime,
    *,
    into: Path | None = None,
    topics: tuple[str, ...] = (),
    source: str = "",
    dry_run: bool = False,
    update: bool = False,
) -> Outcome:
    try:
        story = read_story(source_file)
    except AuthoringError as exc:
        return Outcome(source_file, problem=str(exc))
    earlier = (known.by_url.get(_same_url(story.url)) if story.url else None) or known.by_text.get(
        _text_key(story.body)
    )
    if earlier is not None and not update:
        return Outcome(source_file, duplicate_of=earlier)
    when = story.published or now.astimezone(config.tz)
    fields: dict[str, object] = {
        "title": story.title,
        "date": when.isoformat() if isinstance(when, datetime) else when,  # (a day: a date)
    }
    for key, value in (
        ("source", source or story.source),
        ("author", story.author),
        ("url", story.url if story.url.startswith(("http://", "https://")) else ""),
    ):
        if value:
            fields[key] = value
    if topics:
        fields["topics"] = list(topics)
    fields["imported_from"] = source_file.name
    fields["imported_text"] = _text_key(story.body)  # tells this story again after edits
    text = front_matter(fields) + "\n" + story.body.strip() + "\n"
    if earlier is not None:  # --update: the same file, rewritten
        target, updated = earlier, True
    else:
        folder = (into or config.content_dir) / f"{when:%Y}" / f"{when:%m}"
        target, updated = free_path(folder, title_slug(story.title)), False
    if not dry_run:
        target.parent.mkdir(parents=True, exist_ok=True)
        if updated:
            target.write_text(text, encoding="utf-8")
        else:
            with target.open("x", encoding="utf-8") as handle:
                handle.write(text)
        known.by_text[_text_key(story.body)] = target
        if story.url:
            known.by_url[_same_url(story.url)] = target
    return Outcome(source_file, written=target, updated=updated)
