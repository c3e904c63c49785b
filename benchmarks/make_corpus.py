"""Write one generated news site three times over: for briefgen, for Pelican and for Hugo.

Usage: python benchmarks/make_corpus.py N OUT [--corpus FILE] [--seed S]

Articles are recombined from ../shared/corpora/bbc100.jsonl within each topic: 3-6 paragraphs
(about 1.8 KB of text), a varied title, one of eight invented outlets, a date within 2023 and
one or two topics. About a third retell an earlier article's event (same lead paragraph and
topics, another outlet, within 2 days), so briefgen's story merging has work to do. The same N
and seed always give the same bytes.

OUT/briefgen/  briefgen.yaml, content/YYYY/MM/<slug>.md, layouts/base.html (a footer override)
OUT/pelican/   pelicanconf.py (feeds on, content cache), content/<slug>.md, theme/ (a copy of
               Pelican's default theme, so a template can be edited)
OUT/hugo/      config.toml (taxonomy "topics"), content/articles/<slug>.md, layouts/ (copied
               from benchmarks/hugo_theme/: article, topic, topic list and home pages)
Hugo reads a front matter `url` as the page's own address, so its files carry the original's
link as `source_url`; every other field is the same.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import re
import shutil
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared/corpora/bbc100.jsonl"
HUGO_LAYOUTS = Path(__file__).resolve().parent / "hugo_theme"
BASE_URL = "https://briefing.example.org/"
TARGET_CHARS = 1500
RETELL_SHARE = 1 / 3
YEAR_START = datetime(2023, 1, 1, tzinfo=UTC)

OUTLETS = [
    ("Northline Wire", "northline"),
    ("The Harbour Ledger", "harbourledger"),
    ("Meridian Post", "meridianpost"),
    ("Cobalt Bay Courier", "cobaltbay"),
    ("Fenwick Daily Bulletin", "fenwickdaily"),
    ("Ashgrove Observer", "ashgrove"),
    ("Tidewater Herald", "tidewater"),
    ("Kestrel News Service", "kestrelnews"),
]
GIVEN = ["Priya", "Tom", "Aisha", "Mateo", "Hannah", "Kwame", "Ingrid", "Luca", "Mei", "Owen"]
FAMILY = ["Nandakumar", "Hale", "Okafor", "Ruiz", "Lindqvist", "Brennan", "Tanaka", "Moreau"]
PREFIXES = ["", "", "", "Update: ", "Analysis: ", "Explainer: ", "Live: ", "Q&A: "]
SUFFIXES = ["", "", "", ", reports say", ", sources say", " - what we know", " as talks go on"]
OFFSETS = [UTC, timezone(timedelta(hours=1)), timezone(timedelta(hours=-5))]
TOPIC_LABELS = {
    "business": "Business",
    "entertainment": "Entertainment",
    "politics": "Politics",
    "sport": "Sport",
    "tech": "Technology",
}


@dataclass(frozen=True)
class Source:
    title: str
    paragraphs: tuple[str, ...]
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    date: datetime
    outlet: str
    outlet_host: str
    author: str
    topics: tuple[str, ...]
    paragraphs: tuple[str, ...]

    @property
    def url(self) -> str:
        return f"https://{self.outlet_host}.example.com/{self.topics[0]}/{self.slug}"

    @property
    def iso_date(self) -> str:
        return self.date.isoformat(timespec="seconds")


def load_corpus(path: Path) -> dict[str, list[Source]]:
    """Topic -> its source articles, each paragraph joined into one line."""
    by_topic: dict[str, list[Source]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        parts = [part.strip() for part in record["text"].split("\n\n") if part.strip()]
        paragraphs = tuple(" ".join(part.split("\n")) for part in parts)
        sentences = tuple(s.strip() for part in parts for s in part.split("\n") if s.strip())
        source = Source(record["title"], paragraphs, sentences)
        by_topic.setdefault(record["topic"], []).append(source)
    return by_topic


def fresh_lead(rng: random.Random, source: Source, pool: list[Source]) -> str:
    """The source's lead plus one sentence from elsewhere in the topic: with only 20 sources a
    topic, bare leads would repeat within days and make stories nobody meant."""
    extra = rng.choice(rng.choice(pool).sentences)
    return f"{source.paragraphs[0]} {extra}"


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


def vary_title(rng: random.Random, title: str) -> str:
    return f"{rng.choice(PREFIXES)}{title}{rng.choice(SUFFIXES)}"


def recombine_body(rng: random.Random, pool: list[Source], lead: str) -> tuple[str, ...]:
    """A lead paragraph, then paragraphs from the topic until about TARGET_CHARS (3-6 in all)."""
    most = rng.randint(3, 6)
    paragraphs = [lead]
    size = len(lead)
    while len(paragraphs) < most and (len(paragraphs) < 3 or size < TARGET_CHARS):
        source = rng.choice(pool)
        paragraph = rng.choice(source.paragraphs[1:] or source.paragraphs)
        if paragraph in paragraphs:
            continue
        paragraphs.append(paragraph)
        size += len(paragraph)
    return tuple(paragraphs)


def generate(n: int, corpus: dict[str, list[Source]], seed: int) -> list[Article]:
    rng = random.Random(seed)
    topics = sorted(corpus)
    articles: list[Article] = []
    originals: list[tuple[Article, str]] = []  # (article, the source title it retells)
    for index in range(n):
        outlet, host = rng.choice(OUTLETS)
        author = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        if originals and rng.random() < RETELL_SHARE:
            original, base_title = rng.choice(originals[-300:])
            outlets = [o for o in OUTLETS if o[0] != original.outlet]
            outlet, host = rng.choice(outlets)
            article_topics = original.topics
            date = original.date + timedelta(seconds=rng.randint(1800, 2 * 86400 - 1800))
            lead = original.paragraphs[0]
            retelling = True
        else:
            primary = rng.choice(topics)
            article_topics = (primary,)
            if rng.random() < 0.3:
                article_topics += (rng.choice([t for t in topics if t != primary]),)
            source = rng.choice(corpus[primary])
            base_title = source.title
            date = YEAR_START + timedelta(seconds=rng.randrange(365 * 86400))
            lead = fresh_lead(rng, source, corpus[primary])
            retelling = False
        date = date.astimezone(rng.choice(OFFSETS)).replace(microsecond=0)
        title = vary_title(rng, base_title)
        body = recombine_body(rng, corpus[article_topics[0]], lead)
        article = Article(
            slug=f"{slugify(title)}-{index:05d}",
            title=title,
            date=date,
            outlet=outlet,
            outlet_host=host,
            author=author,
            topics=article_topics,
            paragraphs=body,
        )
        articles.append(article)
        if not retelling:
            originals.append((article, base_title))
    return articles


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def yaml_front_matter(article: Article, url_key: str) -> str:
    topics = ", ".join(article.topics)
    return (
        "---\n"
        f"title: {quoted(article.title)}\n"
        f"date: {article.iso_date}\n"
        f"source: {quoted(article.outlet)}\n"
        f"{url_key}: {article.url}\n"
        f"author: {quoted(article.author)}\n"
        f"topics: [{topics}]\n"
        "---\n\n"
    )


def body_text(article: Article) -> str:
    return "\n\n".join(article.paragraphs) + "\n"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


BRIEFGEN_BASE = """\
{% extends "theme/base.html" %}
{% block footer %}
{{ super() }}
<p>A generated briefing for benchmarks.</p>
{% endblock %}
"""


def write_briefgen(root: Path, articles: list[Article]) -> None:
    topics = "".join(f"  {tid}:\n    label: {label}\n" for tid, label in TOPIC_LABELS.items())
    write(
        root / "briefgen.yaml",
        f"title: Scale Briefing\nbase_url: {BASE_URL}\ntimezone: UTC\ntopics:\n{topics}",
    )
    write(root / "layouts/base.html", BRIEFGEN_BASE)
    for article in articles:
        rel = f"content/{article.date:%Y/%m}/{article.slug}.md"
        write(root / rel, yaml_front_matter(article, "url") + body_text(article))


PELICANCONF = """\
SITENAME = "Scale Briefing"
SITEURL = ""
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
THEME = "theme"
DEFAULT_PAGINATION = 20
FEED_DOMAIN = "https://briefing.example.org"
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
TAG_FEED_ATOM = "feeds/tag-{slug}.atom.xml"
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
"""


def pelican_theme() -> Path | None:
    spec = importlib.util.find_spec("pelican")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(spec.submodule_search_locations[0]) / "themes" / "notmyidea"


def write_pelican(root: Path, articles: list[Article]) -> None:
    write(root / "pelicanconf.py", PELICANCONF)
    theme = pelican_theme()
    if theme is None:
        print("pelican is not installed: pelicanconf.py uses the default theme by name")
        write(root / "pelicanconf.py", PELICANCONF.replace('"theme"', '"notmyidea"'))
    else:
        shutil.rmtree(root / "theme", ignore_errors=True)
        shutil.copytree(theme, root / "theme")
    for article in articles:
        header = (
            f"Title: {article.title}\n"
            f"Date: {article.iso_date}\n"
            f"Category: {TOPIC_LABELS[article.topics[0]]}\n"
            f"Tags: {', '.join(article.topics)}\n"
            f"Slug: {article.slug}\n"
            f"Authors: {article.author}\n"
            f"Source: {article.outlet}\n"
            f"Url_original: {article.url}\n\n"
        )
        write(root / f"content/{article.slug}.md", header + body_text(article))


HUGO_CONFIG = f"""\
baseURL = "{BASE_URL}"
title = "Scale Briefing"
languageCode = "en"
paginate = 20
disableHugoGeneratorInject = true

[taxonomies]
  topic = "topics"
"""


def write_hugo(root: Path, articles: list[Article]) -> None:
    write(root / "config.toml", HUGO_CONFIG)
    shutil.rmtree(root / "layouts", ignore_errors=True)
    shutil.copytree(HUGO_LAYOUTS, root / "layouts")
    for tid, label in TOPIC_LABELS.items():
        write(root / f"content/topics/{tid}/_index.md", f"---\ntitle: {label}\n---\n")
    for article in articles:
        text = yaml_front_matter(article, "source_url") + body_text(article)
        write(root / f"content/articles/{article.slug}.md", text)


def make_corpus(n: int, out: Path, corpus_path: Path, seed: int) -> list[Article]:
    articles = generate(n, load_corpus(corpus_path), seed)
    for tool in ("briefgen", "pelican", "hugo"):
        shutil.rmtree(out / tool / "content", ignore_errors=True)
    write_briefgen(out / "briefgen", articles)
    write_pelican(out / "pelican", articles)
    write_hugo(out / "hugo", articles)
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("out", type=Path, help="folder for the three sites")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--seed", type=int, default=20241028)
    args = parser.parse_args()
    articles = make_corpus(args.n, args.out, args.corpus, args.seed)
    chars = sum(len(body_text(a)) for a in articles) / max(len(articles), 1)
    retold = len(articles) - len({a.paragraphs[0] for a in articles})
    print(
        f"{len(articles)} articles ({chars:.0f} characters of text on average, "
        f"{retold} retelling another's event) in {args.out}/briefgen, pelican, hugo"
    )


if __name__ == "__main__":
    main()
