"""Checks of one article that read well, beyond what reading it already reports.

None of these stops a build, so each is a warning (an error under ``--strict``): the build
holds a future article back, makes an unknown topic a topic of its own, publishes an editor's
key points and quotes as written, and leaves an image that is not there out of the page. A
warning says what the build will do with it, and the hint how to get what was meant.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from briefgen.checking.front_matter import FrontMatterLines
from briefgen.config import Config
from briefgen.content import Article
from briefgen.errors import Diagnostic, warning

_TOPIC_CLOSENESS = 0.7  # names of topics are short: one letter is a bigger share
_TOPICS_LISTED = 8  # a hint names the configured topics when there are no more than this


@dataclass(frozen=True)
class ArticleRules:
    """What the checks of an article depend on besides the article."""

    config: Config
    now: datetime  # the build clock: later dates are in the future
    drafts: bool = False  # drafts are published (--drafts)
    future: bool = False  # future articles are published (--future)

    def publishes(self, article: Article) -> bool:
        """Whether a build with these switches publishes the article (as ``build`` selects)."""
        return (self.drafts or not article.draft) and (self.future or article.date <= self.now)


def check_article(
    article: Article, rules: ArticleRules, lines: Callable[[], FrontMatterLines]
) -> list[Diagnostic]:
    """The findings about one article; ``lines`` reads its front matter's lines, called only
    when there is something to point at."""
    label = f"content/{article.rel_path}"
    return [
        *_held_back_as_future(article, label, rules, lines),
        *_topics_not_configured(article, label, rules.config, lines),
        *_overrides_not_in_text(article, label, lines),
        *_missing_local_files(article, label, rules.config.content_dir),
    ]


def _held_back_as_future(
    article: Article, label: str, rules: ArticleRules, lines: Callable[[], FrontMatterLines]
) -> list[Diagnostic]:
    if rules.publishes(article) or (article.draft and not rules.drafts):
        return []
    when = article.date.astimezone(rules.config.tz).isoformat(sep=" ", timespec="minutes")
    return [
        warning(
            label,
            lines().of_key("date"),
            f"dated in the future ({when}): it is held back until then",
            "use --future to include it, or fix the date",
        )
    ]


def _topics_not_configured(
    article: Article, label: str, config: Config, lines: Callable[[], FrontMatterLines]
) -> list[Diagnostic]:
    """Front matter topics the config does not name (by id, label or alias). A site without
    configured topics takes any name as a topic, so there is nothing to check then."""
    configured = {topic.id for topic in config.topics}
    if not configured:
        return []
    names = {
        name.lower(): topic.id
        for topic in config.topics
        for name in (topic.id, topic.label, *topic.aliases)
    }
    shown = config.path.name if config.path else "briefgen.yaml"
    findings = []
    for index, name in enumerate(article.topics):
        if config.topic_id(name) in configured:
            continue
        close = difflib.get_close_matches(name.lower(), names, 1, _TOPIC_CLOSENESS)
        if close:
            hint = f"did you mean '{names[close[0]]}'? Else add it under topics: in {shown}"
        elif len(configured) <= _TOPICS_LISTED:
            hint = f"use one of {', '.join(sorted(configured))}, or add it under topics: in {shown}"
        else:
            hint = f"add it under topics: in {shown}, or as an alias of a topic there"
        findings.append(
            warning(
                label,
                lines().of_entry("topics", index, len(article.topics)),
                f"topic '{name}' is not in {shown}: it becomes a topic of its own",
                hint,
            )
        )
    return findings


def _overrides_not_in_text(
    article: Article, label: str, lines: Callable[[], FrontMatterLines]
) -> list[Diagnostic]:
    """An editor's key points and quotes are published as given; one that is not word for
    word in the article puts words in its mouth, and has no place in the text to link to."""
    findings = []
    points = article.key_points or ()
    for index, point in enumerate(points):
        if point not in article.plain:
            findings.append(
                warning(
                    label,
                    lines().of_entry("key_points", index, len(points)),
                    f"key point not found word for word in the article: '{_shortened(point)}'",
                    "copy the sentence as the article reads, without Markdown marks; "
                    "as written it is published as if the article said it",
                )
            )
    quotes = article.quotes or ()
    for index, quote in enumerate(quotes):
        if quote.text not in article.plain:
            findings.append(
                warning(
                    label,
                    lines().of_entry("quotes", index, len(quotes)),
                    f"quote not found word for word in the article: '{_shortened(quote.text)}'",
                    "copy the words as the article reads, without the quotation marks; "
                    "as written it is published as a quotation with no place in the text",
                )
            )
    return findings


def _missing_local_files(article: Article, label: str, content_dir: Path) -> list[Diagnostic]:
    """Images and files the Markdown links by relative path that are not there (the build
    says the same, without the line). Links to other articles are the site model's to check:
    whether the target is an article depends on the whole build."""
    return [
        warning(
            label,
            link.line,
            f"'content/{link.target}' does not exist",
            "fix the image or file path in the article",
        )
        for link in article.links
        if link.kind == "asset" and not (content_dir / link.target).is_file()
    ]


def _shortened(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
