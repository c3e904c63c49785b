"""Jinja environment (the site's layouts/ over the built-in theme) and page -> bytes.

A site's ``layouts/`` overrides any theme template by name; an override can extend the
original as ``theme/<name>``. ``StrictUndefined`` makes a typo in a layout fail with its
template and line instead of rendering blank.
"""

from __future__ import annotations

import functools
import hashlib
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import markupsafe
from markupsafe import Markup

from briefgen.collection import Collection, Item, Topic, source_id
from briefgen.config import THEME_DIR, Config
from briefgen.errors import Diagnostic, TemplateError, error
from briefgen.sitemodel import (
    Deferred,
    Page,
    article_url,
    edition_url,
    has_story_page,
    quote_url,
    relative_url,
    source_url,
    story_anchor,
    story_url,
    topic_section,
    topic_url,
    url_path,
)
from briefgen.topic_assignment import UNSORTED_PREFIX

try:  # markupsafe's escaping of a str (C): what its ``escape`` calls before making the Markup
    from markupsafe._speedups import _escape_inner

    _QUICK_ESCAPE = True
except ImportError:  # (no compiled speedups, or another markupsafe: its ``escape`` as it is)
    _QUICK_ESCAPE = False

    def _escape_inner(text: str, /) -> str:
        return str(markupsafe.escape(text))


_new_str = str.__new__


def _escape(value: Any) -> Markup:
    """``markupsafe.escape(value)``, as the compiled templates call it for every ``{{ }}``:
    the same Markup, without a call of ``Markup.__new__`` (Python) for a str or a Markup,
    which are nearly all it is given (225 against 610 ns; an article's page escapes some
    seventy values)."""
    if type(value) is str:
        return _new_str(Markup, _escape_inner(value))
    if type(value) is Markup:
        return value  # (immutable: markupsafe makes a copy)
    return markupsafe.escape(value)


class _Template(jinja2.Template):
    """A template whose compiled code escapes with ``_escape``: its module's ``escape`` (which
    the code imports from Jinja's runtime, markupsafe's) is rebound once it is loaded."""

    @classmethod
    def from_code(
        cls,
        environment: jinja2.Environment,
        code: Any,
        globals: Any,
        uptodate: Callable[[], bool] | None = None,
    ) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        if _QUICK_ESCAPE:
            template.root_render_func.__globals__["escape"] = _escape
        return template


@dataclass(frozen=True)
class _Fragment:
    output: Any  # what the macro gave (Markup)
    args: tuple[Any, ...]  # what it was given (kept alive: the memo's key holds their ids)
    links: tuple[tuple[str, str], ...]  # each target it linked, as linked from its page


@dataclass(frozen=True)
class RenderedPage:
    output: str
    content: bytes
    templates: frozenset[str]  # every template the page used: what a layout edit affects


# Pure functions of their arguments that give a page's path or a story's: templates have
# them as functions and as filters.
_PATH_HELPERS: dict[str, Callable[..., Any]] = {
    "article_url": article_url,
    "edition_url": edition_url,
    "topic_url": topic_url,
    "topic_section": topic_section,
    "story_anchor": story_anchor,
    "story_url": story_url,
    "has_story_page": has_story_page,
    "quote_url": quote_url,
    "source_url": source_url,
    "source_id": source_id,
}


class Renderer:
    def __init__(
        self,
        config: Config,
        collection: Collection,
        now: datetime,
        bytecode_dir: Path | None = None,
        assets: Mapping[str, str] | None = None,
        references: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        """``bytecode_dir`` keeps compiled templates between runs (in the build cache);
        ``assets`` maps stylesheets and scripts to their names with a content hash;
        ``references``: the templates each template source names, by ``source_digest``,
        as an earlier build found them (``references_used`` gives this build's)."""
        self.config = config
        self.assets = dict(assets or {})
        theme = jinja2.FileSystemLoader(THEME_DIR / "templates")
        loaders: list[jinja2.BaseLoader] = []
        if config.layouts_dir.is_dir():
            loaders.append(jinja2.FileSystemLoader(config.layouts_dir))
        loaders += [jinja2.PrefixLoader({"theme": theme}), theme]
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # A template once loaded is not looked at on disk again (a stat for every page):
            # each build that may follow a layout edit makes a Renderer of its own.
            auto_reload=False,
            bytecode_cache=(
                jinja2.FileSystemBytecodeCache(str(bytecode_dir)) if bytecode_dir else None
            ),
        )
        self.env.template_class = _Template
        self._memo: dict[tuple[Any, ...], _Fragment] = {}
        self._recording: list[list[str]] = []  # the links of the fragments being made

        @jinja2.pass_context
        def url(context: jinja2.runtime.Context, target: str) -> str:
            return self._link(context["page"].url, target)

        # (Of the context, so never worked out at compile time: the compiled template, kept
        # in the build cache, outlives a change of base_url.)
        @jinja2.pass_context
        def absolute(context: jinja2.runtime.Context, target: str) -> str:
            return self.absolute_url(target)

        # The link helpers are filters as well as functions (``{{ story|story_url|url }}``,
        # as the theme writes them): a filter is a plain call in the compiled template, a
        # function goes through Jinja's Context.call (a microsecond each, a million times
        # in a build of 10,000 articles). Only pure ones: Jinja works out a filter of a
        # constant once, when it compiles the template (kept in the build cache).
        self.env.filters.update(
            longdate=long_date,
            shortdate=short_date,
            shorttime=short_time,
            isodate=lambda d: d.isoformat(),
            absolute=absolute,
            local=lambda d: d.astimezone(config.tz),
            url=url,
            **_PATH_HELPERS,
        )
        self.env.globals.update(
            site=config,
            topics=collection.topics,
            nav_topics=navigation_topics(collection),
            latest_edition=collection.editions[0] if collection.editions else None,
            now=now,
            topic_label=self.topic_label,
            article_structured_data=self.article_structured_data,
            memo=self._memoized,
            asset=lambda path: self.assets.get(path, path),
            **_PATH_HELPERS,
        )
        self._topic_labels = {t.id: t.config.label for t in collection.topics}
        self._dependencies: dict[str, frozenset[str]] = {}
        self._direct: dict[str, frozenset[str]] = {}
        self._known_references = dict(references or {})
        self._used_references: dict[str, tuple[str, ...]] = {}

    def at(self, now: datetime) -> Renderer:
        """This renderer, for a build at ``now`` (what a layout reads as ``now``), of a site
        that may have changed since its last page (the fragments it made are forgotten)."""
        self.env.globals["now"] = now
        self._memo.clear()
        return self

    @jinja2.pass_context
    def _memoized(
        self, context: jinja2.runtime.Context, macro: jinja2.runtime.Macro, *args: Any
    ) -> Any:
        """``macro(*args)``, made once per build for the same arguments and taken again by
        any page on which its links (made with ``url``) come out the same."""
        here = context["page"].url
        links = self.config.links
        key = (getattr(getattr(macro, "_func", None), "__code__", macro), *map(_memo_key, args))
        made = self._memo.get(key)
        if made is None or any(
            relative_url(here, target, links) != link for target, link in made.links
        ):
            self._recording.append([])
            try:
                output = macro(*args)
            finally:
                targets = self._recording.pop()
            made = self._memo[key] = _Fragment(
                output, args, tuple((t, relative_url(here, t, links)) for t in targets)
            )
        if self._recording:  # (a fragment's links, made now or before, are its container's too)
            self._recording[-1].extend(target for target, _ in made.links)
        return made.output

    def _link(self, from_url: str, target: str) -> str:
        """``target`` as linked from the page at ``from_url`` (noted for the fragments being
        made: ``memo`` checks a fragment's links on each page that takes it again)."""
        if self._recording:
            self._recording[-1].append(target)
        return relative_url(from_url, target, self.config.links)

    def absolute_url(self, url: str) -> str:
        return self.config.base_url.rstrip("/") + "/" + url_path(url)

    def topic_label(self, topic_id: str) -> str:
        return self._topic_labels.get(topic_id, topic_id)

    @jinja2.pass_context
    def article_structured_data(
        self, context: jinja2.runtime.Context, item: Item, description: str
    ) -> dict[str, Any]:
        """The schema.org NewsArticle an article's page describes it with (as JSON-LD): made
        here, it costs 4% less of the page's render than built by Jinja's calls."""
        article = item.article
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "datePublished": article.date.isoformat(),
            "dateModified": (article.updated or article.date).isoformat(),
            "inLanguage": article.lang or self.config.language,
            "description": description,
            "articleSection": [self.topic_label(topic_id) for topic_id in item.topics],
        }
        if article.author:
            data["author"] = {"@type": "Person", "name": article.author}
        if article.source:
            data["publisher"] = {"@type": "Organization", "name": article.source}
        if article.url:
            data["isBasedOn"] = article.url
        if self.config.base_url:
            data["url"] = data["mainEntityOfPage"] = self.absolute_url(context["page"].url)
        return data

    def render(self, page: Page) -> RenderedPage:
        def url(target: str) -> str:
            return self._link(page.url, target)

        try:
            template = self.env.get_template(page.template)
            context = {
                name: value.make() if isinstance(value, Deferred) else value
                for name, value in page.context.items()
            }
            text = template.render(page=page, url=url, **context)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                error(
                    _template_label(exc.filename, exc.name, self.config.root),
                    exc.lineno,
                    f"template syntax error: {exc.message}",
                    "fix the template's Jinja syntax",
                )
            ) from exc
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(
                error(
                    f"layouts/{exc.name}",
                    None,
                    "template not found",
                    "add the template or fix the name that includes it",
                )
            ) from exc
        except Exception as exc:  # a layout can raise anything: say where
            raise TemplateError(_runtime_error(exc, page, self.config.root)) from exc
        return RenderedPage(page.output, text.encode("utf-8"), self.dependencies(page.template))

    def dependencies(self, name: str) -> frozenset[str]:
        """The template and everything it extends, includes or imports, by file path."""
        if name not in self._dependencies:
            self._dependencies[name] = frozenset(self._walk(name, set()))
        return self._dependencies[name]

    def _walk(self, name: str, seen: set[str]) -> set[str]:
        if name not in seen:
            seen.add(name)
            for child in self._references(name):
                self._walk(child, seen)
        return seen

    def template_version(self, name: str) -> str:
        """A hash of the sources of the template and of everything it extends, includes or
        imports: what a page made with it looks like, as far as layouts go. Empty when a
        template cannot be read (the page then renders, and reports the problem)."""
        try:
            sources = [(child, self._source(child)) for child in sorted(self.dependencies(name))]
        except (jinja2.TemplateError, OSError):
            return ""
        return hashlib.sha256(repr(sources).encode()).hexdigest()

    def _source(self, name: str) -> str:
        assert self.env.loader is not None
        return self.env.loader.get_source(self.env, name)[0]

    def _references(self, name: str) -> frozenset[str]:
        """The templates one template names directly (its source is parsed for them only
        when no earlier build had parsed the same source)."""
        if name not in self._direct:
            source = self._source(name)
            digest = source_digest(source)
            found = self._known_references.get(digest)
            if found is None:
                found = tuple(sorted(_referenced_templates(source)))
            self._used_references[digest] = found
            self._direct[name] = frozenset(found)
        return self._direct[name]

    def references_used(self) -> dict[str, tuple[str, ...]]:
        """What the templates this renderer looked at name, by ``source_digest``: for the
        next build's ``references``."""
        return dict(self._used_references)


def _memo_key(value: Any) -> Any:
    """What ``memo`` knows an argument by: a string or number by its value (a page works it
    out anew), anything else by its identity (the collection's objects last the build)."""
    if value is None or isinstance(value, str | int | float):
        return value
    return (id(value),)


def source_digest(source: str) -> str:
    """What a template source's references are remembered by (with the parse's version)."""
    return hashlib.sha256(f"{_REFERENCES_VERSION}\0{source}".encode()).hexdigest()


# Parses template sources for their references only: the syntax is the renderer's (no custom
# delimiters or extensions), and the parse is remembered by source across builds (in this
# process, and in the build cache: ``references``). A change to how references are found
# changes the version, so that no build takes an older parse's word.
_PARSER = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)
_REFERENCES_VERSION = f"1:{jinja2.__version__}"


@functools.lru_cache(maxsize=256)
def _referenced_templates(source: str) -> frozenset[str]:
    found = jinja2.meta.find_referenced_templates(_PARSER.parse(source))
    return frozenset(child for child in found if child)


# Dates as the pages show them, in English whatever the machine's locale (as strftime gives
# them in the C locale Python starts in), without strftime: a site shows its dates a hundred
# thousand times.
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def long_date(d: datetime) -> str:
    """ "Sunday 19 March 2023"."""
    return f"{_DAYS[d.weekday()]} {d.day} {_MONTHS[d.month - 1]} {d.year}"


def short_date(d: datetime) -> str:
    """ "19 Mar 2023"."""
    return f"{d.day} {_MONTHS[d.month - 1][:3]} {d.year}"


def short_time(d: datetime) -> str:
    """ "19 Mar 21:57"."""
    return f"{d.day} {_MONTHS[d.month - 1][:3]} {d.hour:02d}:{d.minute:02d}"


NAV_TOPICS = 8


def navigation_topics(collection: Collection) -> tuple[Topic, ...]:
    """The topics every page's navigation links: the configured ones with stories, then the
    largest others, at most ``NAV_TOPICS`` (a site of automatic topics can have hundreds;
    the front page lists them all)."""
    shown = [t for t in collection.topics if t.stories]
    configured = [t for t in shown if not t.id.startswith(UNSORTED_PREFIX)]
    others = sorted(
        (t for t in shown if t not in configured), key=lambda t: (-len(t.stories), t.id)
    )
    return tuple((configured + others)[:NAV_TOPICS])


def _template_label(filename: str | None, name: str | None, root: Path) -> str:
    if filename:
        path = Path(filename).resolve()
        for base, label in ((THEME_DIR / "templates", "theme"), (root.resolve(), "")):
            if path.is_relative_to(base):
                rel = path.relative_to(base).as_posix()
                return f"{label}/{rel}" if label else rel
        return filename
    return name or "<template>"


def _runtime_error(exc: Exception, page: Page, root: Path) -> Diagnostic:
    """The innermost template frame of a render error names the file and line."""
    frames = traceback.extract_tb(exc.__traceback__)
    for frame in reversed(frames):
        if frame.filename.endswith((".html", ".xml", ".txt")):
            return error(
                _template_label(frame.filename, None, root),
                frame.lineno,
                f"{type(exc).__name__}: {exc}",
                f"first seen rendering /{page.url}; fix the layout",
            )
    return error(
        f"/{page.url}",
        None,
        f"{type(exc).__name__}: {exc}",
        "fix the layout, or the article data it expects",
    )
