"""``briefgen check``: the build's stages up to the site model, the content checks, and the
links of the site already built; nothing written.

The stages are the build's own functions, called the way ``build._build`` calls them, so a
message a build would print comes out the same here. The analysis cache is read (an article
analysed before is not analysed again) but never written, nor is the collection's state.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from briefgen.build import build_clock, site_warnings
from briefgen.cache import CachedArticle, load_cache, load_state
from briefgen.checking.articles import ArticleRules, check_article
from briefgen.checking.built_site import check_built_site
from briefgen.checking.front_matter import (
    FrontMatterLines,
    front_matter_lines,
    may_be_misspelled,
    misspelled_fields,
)
from briefgen.collection import collect
from briefgen.config import Config, load_config
from briefgen.content import Article, read_article_bytes
from briefgen.edition_notes import read_edition_notes, unused_notes
from briefgen.errors import BriefgenError, Diagnostic, Level, has_errors, warning
from briefgen.output import OUTPUT_MARKER
from briefgen.parallel import default_jobs
from briefgen.reading import analyze_articles, read_articles
from briefgen.site_assets import site_assets
from briefgen.sitemodel import build_site_model


@dataclass(frozen=True)
class CheckOptions:
    output: Path | None = None  # the built site to check; default: <root>/site
    config_file: Path | None = None
    drafts: bool = False
    future: bool = False
    now: datetime | None = None  # default: SOURCE_DATE_EPOCH, else the clock
    jobs: int | None = None  # worker processes for articles not analysed before


@dataclass(frozen=True)
class CheckReport:
    findings: tuple[Diagnostic, ...] = ()
    articles: int = 0  # article files found, whether they read or not
    pages: int = 0  # pages of the built site checked; 0 when there was no build to check
    site: str = ""  # the built site checked, as findings name it; "" when none

    @property
    def errors(self) -> int:
        return sum(1 for finding in self.findings if finding.level is Level.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for finding in self.findings if finding.level is Level.WARNING)

    def failed(self, strict: bool = False) -> bool:
        return has_errors(self.findings, strict)

    def as_json(self) -> dict[str, object]:
        return {
            "findings": [finding.as_dict() for finding in self.findings],
            "errors": self.errors,
            "warnings": self.warnings,
            "articles": self.articles,
            "pages": self.pages,
        }


def check_site(root: Path, options: CheckOptions | None = None) -> CheckReport:
    """Every finding about the site at ``root``: its config, its articles, the site they
    make, and the site last built into the output folder (when there is one)."""
    options = options or CheckOptions()
    root = root.absolute()
    try:
        config, problems = load_config(root, options.config_file)
        if has_errors(problems):
            return CheckReport(tuple(problems))  # a build stops here too
        problems += site_warnings(config)
        rules = ArticleRules(config, options.now or build_clock(), options.drafts, options.future)
        content, articles = _check_content(config, rules, options.jobs or default_jobs())
    except BriefgenError as exc:
        return CheckReport((exc.diagnostic,))
    output_dir = (options.output or root / "site").absolute()
    # Named as the content is, from the site's root: site/articles/x/index.html
    shown = output_dir.relative_to(root).as_posix() if output_dir.is_relative_to(root) else ""
    shown = shown or str(output_dir)
    built, pages = _check_output(config, output_dir, shown, options.output)
    findings = (*_in_file_order([*problems, *content]), *_in_file_order(built))
    return CheckReport(findings, articles, pages, shown if pages else "")


def _check_content(config: Config, rules: ArticleRules, jobs: int) -> tuple[list[Diagnostic], int]:
    """The findings about the articles, and how many article files there are."""
    if not config.content_dir.is_dir():
        # A build makes an empty site of it; a check run in the wrong folder should say so.
        return [
            warning(
                "content",
                None,
                f"there is no content folder in {config.root}: no articles to check",
                "run briefgen check in the site's folder, or give its path",
            )
        ], 0
    cache = load_cache(config.root)
    found = read_articles(config, cache, jobs)
    findings = list(found.diagnostics)
    for article in found.articles:
        if article.rel_path not in found.broken:  # else it is the last good version
            lines = _lines_reader(config, article.rel_path)
            findings += check_article(article, rules, lines)
            if may_be_misspelled(article.extra.keys()):
                findings += misspelled_fields(f"content/{article.rel_path}", lines())
    for rel in sorted(found.broken):  # a misspelled title is often why it did not read
        findings += misspelled_fields(f"content/{rel}", _lines_reader(config, rel)())
    findings += _check_site_model(config, found.articles, rules, cache, jobs)
    return findings, len({a.rel_path for a in found.articles} | found.broken)


def _check_site_model(
    config: Config,
    articles: list[Article],
    rules: ArticleRules,
    cache: dict[str, CachedArticle],
    jobs: int,
) -> list[Diagnostic]:
    """What the build says once it has all the articles: analysis warnings, edition notes,
    two articles claiming one URL, links to files that are not articles of the build. Made
    from the same selection of articles as a build with the same switches."""
    selected = [article for article in articles if rules.publishes(article)]
    analysed, _, findings = analyze_articles(selected, config, dict(cache), jobs)
    notes, note_problems = read_edition_notes(config)
    collection = collect(
        ((a, analysed[a.rel_path]) for a in selected), config, notes, load_state(config.root)
    )
    site = build_site_model(collection, config, rules.now, site_assets(config).files)
    findings += note_problems
    findings += unused_notes(notes, {edition.id for edition in collection.editions})
    findings += site.diagnostics
    return findings


def _check_output(
    config: Config, output_dir: Path, shown: str, given: Path | None
) -> tuple[list[Diagnostic], int]:
    """The built site's findings and page count. A folder without a build in it is left
    alone, and said to be only when it was named with -o."""
    if (output_dir / OUTPUT_MARKER).is_file():
        return check_built_site(
            output_dir, shown=shown, links=config.links, base_url=config.base_url
        )
    if given is None:
        return [], 0
    return [
        warning(
            shown,
            None,
            "holds no site built by briefgen: its links are not checked",
            "run briefgen build first, or give -o the folder it builds into",
        )
    ], 0


def _lines_reader(config: Config, rel: str) -> Callable[[], FrontMatterLines]:
    """Reads the article's front matter lines the first time a finding needs them."""
    label = f"content/{rel}"

    @functools.cache
    def lines() -> FrontMatterLines:
        try:
            data = read_article_bytes(config.content_dir, rel, label)
        except BriefgenError:
            return FrontMatterLines()  # the reader has said why
        return front_matter_lines(data, label)

    return lines


def _in_file_order(findings: Iterable[Diagnostic]) -> list[Diagnostic]:
    """By file, then line (a file's own findings first); otherwise in the order found."""
    return sorted(findings, key=lambda d: (d.path, d.line or 0))
