"""The pipeline: config -> content -> analysis -> collection -> site model -> render -> output.

``build()`` gathers and renders everything before writing anything, then replaces the output
in one step. It returns a BuildResult for the CLI to print and for serve and publish to use.
The one exception is ``serve``'s preview folder, where a save of a few articles' text is
taken alone and the pages showing them replace their files one by one (``_build_saves``).
"""

from __future__ import annotations

import gc
import os
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from briefgen.build_fingerprint import (
    Previous,
    code_and_layouts_digest,
    code_digest,
    input_fingerprint,
    load_previous,
    output_listing,
    save_previous,
    sources_stamp,
)
from briefgen.cache import (
    CACHE_DIR,
    TEMPLATES_DIR,
    CachedArticle,
    analysis_settings,
    file_stamps,
    load_cache,
    load_state,
    load_story_points,
    load_template_references,
    save_cache,
    save_state,
    save_story_points,
    save_template_references,
)
from briefgen.collection import Collection, CollectionState, Story, collect
from briefgen.config import Config, load_config
from briefgen.content import (
    Article,
)
from briefgen.edition_notes import read_edition_notes, unused_notes
from briefgen.errors import (
    BriefgenError,
    Diagnostic,
    OutputError,
    TemplateError,
    error,
    has_errors,
    warning,
)
from briefgen.live_site import (
    LiveSite,
    config_state,
    edited_in_place,
    saved_in_place,
    take_edits,
)
from briefgen.output import OUTPUT_MARKER, FolderListing, SiteWriter, replace_files
from briefgen.page_keys import (
    forget_page_keys,
    label_versions,
    layouts_read_globals,
    load_page_keys,
    page_keys,
    page_list_version,
    save_page_keys,
)
from briefgen.parallel import default_jobs
from briefgen.reading import analyze_articles, read_articles
from briefgen.render import Renderer
from briefgen.rendering import render_into
from briefgen.search_index import (
    SEARCH_DIR,
    SearchIndexError,
    index_is_behind,
    make_search_index,
    note_index_behind,
)
from briefgen.site_assets import site_assets
from briefgen.sitemodel import PAGE_LIST, SiteModel, build_site_model
from briefgen.story_points import StoryPoint

BUILD_OUTPUT_VERSION = "1"  # part of the input fingerprint: bump to make every build render


@dataclass(frozen=True)
class BuildOptions:
    output: Path | None = None  # default: <root>/site
    config_file: Path | None = None
    drafts: bool = False
    future: bool = False
    strict: bool = False
    now: datetime | None = None  # default: SOURCE_DATE_EPOCH, else the clock
    rebuild: bool = False  # forget the cache: analyse everything, decide topics and stories anew
    jobs: int | None = None  # worker processes for the analysis; default: the cores there are
    search: bool = True  # make the search index when page text changed (Pagefind)


@dataclass
class BuildMemory:
    """What a long-running process (``serve``) keeps between builds of one site and output,
    instead of reading it back from the cache folder each time. The cache folder is still
    written, so a later ``build`` starts warm."""

    analyses: dict[str, CachedArticle] | None = None
    state: CollectionState | None = None
    page_keys: dict[str, str] | None = None
    spare: FolderListing | None = None  # what the output's spare folder holds
    listing: FolderListing | None = None  # and the output (long-running: its own folder)
    live: LiveSite | None = None  # the last site made, to take the next edits in place
    last: LastBuild | None = None  # and what it was made with, to take saved articles
    # A process that builds on every change (serve) skips the checks that let a later process
    # stop early when nothing changed: it only builds when something did.
    long_running: bool = False
    # What builds that took saved articles in place left to write to the cache folder (they
    # do not wait for it: ``save_memory``): the articles whose cache entries are newer than
    # the cache's files, and whether the page keys are (their file is removed meanwhile).
    unsaved: set[str] = field(default_factory=set)
    keys_unsaved: bool = False

    def make_ahead(self) -> None:
        """Make now, while no save waits, what taking the next saved articles would otherwise
        make first (the stories' check: a fifth of a second at 10,000 articles)."""
        if self.live is not None:
            self.live.story_check()

    def forget(self) -> None:
        """Start afresh (after an unexpected failure): the next build reads the cache folder."""
        self.analyses = self.state = self.page_keys = None
        self.spare = self.listing = self.live = self.last = None
        self.unsaved = set()


@dataclass(frozen=True)
class LastBuild:
    """What a long-running build made its site with and said about it, for the next build
    to take a few saved articles in place (``_build_saves``)."""

    config: Config
    renderer: Renderer
    diagnostics: tuple[Diagnostic, ...]
    articles_read: int
    articles_held_back: int
    release_at: datetime | None  # when an article held back as future comes due


@dataclass
class BuildResult:
    output_dir: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)
    articles_read: int = 0
    articles_failed: int = 0
    articles_analysed: int = 0  # analysed afresh, not taken from the cache
    articles_held_back: int = 0  # drafts and future articles left out
    pages: int = 0
    files_written: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    changed_files: tuple[str, ...] = ()  # output paths written or removed, sorted
    wrote_output: bool = False
    skipped: bool = False  # nothing the site is made from changed: not rendered again
    pages_rendered: int = 0  # pages whose inputs changed (the others keep their files)
    search_indexed: bool = False  # the search index was made again
    timings: dict[str, float] = field(default_factory=dict)

    def failed(self, strict: bool = False) -> bool:
        return has_errors(self.diagnostics, strict)


def build_clock() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so two builds of one input are identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC)


def build(
    root: Path,
    options: BuildOptions | None = None,
    memory: BuildMemory | None = None,
    saved: Iterable[Path] | None = None,
) -> BuildResult:
    """Build the site at ``root``; ``memory``, when given, carries what one build learned
    over to the next in the same process. ``saved``: every file saved since the last build
    with this memory, as a watcher saw them (``serve``); when these are a few articles' text,
    only they are read again. None: not known, every file is looked at."""
    with _collector_paused():
        return _build(root, options or BuildOptions(), memory or BuildMemory(), saved)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A build makes millions of objects that live until it ends (the cached articles, the
    site model) and few reference cycles; the cycle collector would walk them all again and
    again (a third of a 10,000-article rebuild). It runs as before once the build is done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _build(
    root: Path, options: BuildOptions, memory: BuildMemory, saved: Iterable[Path] | None
) -> BuildResult:
    root = root.absolute()
    output_dir = (options.output or root / "site").absolute()
    result = BuildResult(output_dir)
    now = options.now or build_clock()
    try:
        if saved is not None and memory.long_running:
            taken = _build_saves(root, output_dir, options, memory, saved, now)
            if taken is not None:
                return taken
        # Given back once this build commits: a build that fails (say, on a broken config)
        # leaves nothing the next could take saved articles into.
        live, memory.live, memory.last = memory.live, None, None
        with _phase(result, "config"):
            config, problems = load_config(root, options.config_file)
            result.diagnostics += problems + site_warnings(config)
            _check_output_dir(output_dir, config)
        if result.failed():
            return result
        with _phase(result, "check"):
            assets = site_assets(config)
            statics = assets.files
            variant = f"{BUILD_OUTPUT_VERSION}:search={options.search}"
            switches = f"{variant}:{options.drafts}:{options.future}"
            config_reported = len(result.diagnostics)
            records = not memory.long_running  # what lets the next build stop early
            content = file_stamps(config.content_dir)  # before anything is read
            code = code_and_layouts_digest(config) if records else ""
            sources = sources_stamp(config, code, statics, switches, content) if records else ""
            previous = load_previous(root, output_dir) if records else None
            if (
                previous is not None
                and not options.rebuild
                and previous.sources
                and previous.sources == sources
                and not (previous.release_at and now >= datetime.fromisoformat(previous.release_at))
                and _output_as_left(previous, result)
            ):
                return result  # not one file touched since a build that had nothing to say
        with _phase(result, "read"):
            if options.rebuild:
                cache, state = {}, CollectionState()
            else:
                remembered = memory.analyses
                cache = dict(remembered) if remembered is not None else load_cache(root)
                state = memory.state or load_state(root)
            loaded = dict(cache)
            last_built = dict(cache)  # (``loaded`` takes what this build's workers save)
            jobs = options.jobs or default_jobs()
            found = read_articles(config, cache, jobs, content, analyse=True, save_to=root)
            loaded.update(found.saved)  # (what the cache files hold)
            articles, broken = found.articles, found.broken
            result.diagnostics += found.diagnostics
            result.articles_read, result.articles_failed = len(articles), len(broken)
            selected, release_at = _select(articles, options, now, result)
        with _phase(result, "analyse"):
            analysed, fresh, warnings = analyze_articles(
                selected, config, cache, jobs, found.stamps, found.analyses, found.saved
            )
            for rel, entry in found.saved.items():  # (drafts too: the files hold them)
                cache.setdefault(rel, entry)
            result.articles_analysed, result.diagnostics = fresh, result.diagnostics + warnings
            # Keep what was read, and the last good version of what failed to read.
            memory.analyses = _save_analyses(
                root, cache, loaded, {a.rel_path for a in articles} | broken, memory.unsaved
            )
            memory.unsaved = set()
            if records:
                fingerprint = input_fingerprint(config, selected, variant, statics, code)
                if (
                    previous is not None
                    and not options.rebuild
                    and previous.fingerprint == fingerprint
                    and not result.failed()
                    and _output_as_left(previous, result)
                ):
                    return result  # the same inputs make the same site: it is there already
                save_previous(root, output_dir, None)  # a build killed from here is not "done"
            reported = len(result.diagnostics)
        with _phase(result, "collect"):
            notes, note_problems = read_edition_notes(config)
            pairs = {a.rel_path: (a, analysed[a.rel_path]) for a in selected}
            edited = None
            if live is not None and memory.long_running and not options.rebuild:
                edited = edited_in_place(live, pairs, config, notes, statics, assets.names)
            edited_labels: set[str] = set()
            if live is not None and edited is not None:
                edited_labels = take_edits(live, edited, pairs)
                collection, site = live.collection, live.site
            else:
                live = None
                earlier = {
                    rel: (entry.article, entry.analysis)
                    for rel, entry in last_built.items()
                    if rel in pairs and entry.analysis_key != cache[rel].analysis_key
                }
                collection = collect(pairs.values(), config, notes, state, earlier)
                site = build_site_model(collection, config, now, statics)
            result.diagnostics += note_problems
            result.diagnostics += unused_notes(notes, {e.id for e in collection.editions})
            result.diagnostics += site.diagnostics
            result.pages = len(site.pages)
        with _phase(result, "render"):
            templates = root / CACHE_DIR / TEMPLATES_DIR
            references = {} if options.rebuild else load_template_references(root)
            renderer = Renderer(
                config,
                collection,
                now,
                bytecode_dir=_compiled_templates(templates, code_digest()),
                assets=assets.names,
                references=references,
            )
            versions, keys = _versions_and_keys(
                site,
                collection,
                config,
                renderer,
                assets.names,
                live,
                edited_labels,
                memory.page_keys,
            )
            _remember_references(root, references, renderer.references_used())
            if options.rebuild:
                known = {}
            elif memory.page_keys is not None:
                known = memory.page_keys
            else:
                known = load_page_keys(root, output_dir)
        # Pages go to the writer as they are rendered: they are never all in memory at once.
        spare = memory.spare if memory.long_running or previous is None else previous.spare
        listed = memory.listing if memory.long_running or previous is None else previous.output
        memory.spare = memory.listing = None  # known again once this build commits
        with SiteWriter(output_dir, spare, listed) as writer:
            kept = {
                output
                for output, key in keys.items()
                if key and known.get(output) == key and writer.holds(output)
            }
            with _phase(result, "render", accumulate=True):
                result.pages_rendered = len(site.pages) - len(kept)
                merges = None
                if result.pages_rendered >= _KEEP_MERGES_FROM:
                    merges = _MergedPoints.remembered(root, config, collection, options.rebuild)
                unmerged = merges.unmerged if merges is not None else {}
                render_errors, merged = render_into(writer, site, renderer, jobs, kept, unmerged)
                result.diagnostics += render_errors
            if render_errors:
                return result  # the previous output stays as it was
            with _phase(result, "write"):
                for path, source in _existing_copies(site, config, result).items():
                    writer.add(path, source)
                writer.keep_all(kept)
                writer.add(OUTPUT_MARKER, b"")
            with _phase(result, "search"):
                _update_search_index(writer, root, options.search, result)
            with _phase(result, "write", accumulate=True):
                stats = writer.commit()
        with _phase(result, "write", accumulate=True):
            result.files_written, result.files_unchanged = stats.written, stats.unchanged
            result.files_removed, result.wrote_output = stats.removed, True
            result.changed_files = stats.changed_paths
            # Only once the pages that use it are out, and only when it changed (with
            # --rebuild the file was not read: it is written whatever it holds).
            if collection.state is not memory.state and (
                options.rebuild or collection.state != state
            ):
                save_state(root, collection.state)
            save_page_keys(root, output_dir, keys.items())
            if merges is not None:
                merges.keep(root, merged)
            memory.state, memory.page_keys = collection.state, {o: k for o, k in keys.items() if k}
            memory.keys_unsaved = False
            if memory.long_running:
                state_now = config_state(config, statics, assets.names)
                memory.live = live or LiveSite(
                    state_now,
                    tuple(notes),
                    collection,
                    site,
                    versions,
                    layouts_read_globals(config),
                    timedelta(days=config.story_window_days),
                )
                memory.last = LastBuild(
                    config,
                    renderer,
                    tuple(result.diagnostics),
                    result.articles_read,
                    result.articles_held_back,
                    release_at,
                )
            memory.spare, memory.listing = stats.spare, stats.listing
            if records and len(result.diagnostics) == reported:  # nothing to say if skipped
                quiet = reported == config_reported  # and nothing said while reading either
                previous = Previous(
                    fingerprint,
                    stats.listing.files if stats.listing else output_listing(output_dir),
                    result.pages,
                    sources if quiet else "",
                    release_at.isoformat() if release_at else "",
                    stats.spare,
                    stats.listing,
                )
                save_previous(root, output_dir, previous)
    except BriefgenError as exc:
        result.diagnostics.append(exc.diagnostic)
    except OSError as exc:  # a full disk, a read-only folder: the previous site stays whole
        where = exc.filename or output_dir
        result.diagnostics.append(
            error(
                str(where),
                None,
                f"cannot write: {exc.strerror or exc}",
                "check free space and permissions",
            )
        )
    return result


def _build_saves(
    root: Path,
    output_dir: Path,
    options: BuildOptions,
    memory: BuildMemory,
    saved: Iterable[Path],
    now: datetime,
) -> BuildResult | None:
    """``serve``'s way with a few saved articles (``saved`` holds nothing else: no config,
    note, layout or static file, no article new or gone): only they are read and analysed,
    the last build's site takes them in place (``live_site``), the pages that show them
    render and replace their files one by one, and the cache is written later
    (``save_memory``). None, having changed nothing that matters, where the whole way must
    be taken."""
    if options.rebuild or options.search:  # (serve makes the search index apart)
        return None
    live, last, cache, keys = memory.live, memory.last, memory.analyses, memory.page_keys
    if live is None or last is None or cache is None or keys is None:
        return None
    if last.release_at is not None and now >= last.release_at:
        return None  # an article held back comes due
    config = last.config
    changed = _saved_articles(saved, config, live)
    if changed is None:
        return None
    result = BuildResult(output_dir, list(last.diagnostics))
    result.articles_read, result.articles_held_back = last.articles_read, last.articles_held_back
    with _phase(result, "read"):
        found = read_articles(config, cache, 1, analyse=True, only=changed)
        items = live.items_by_path()
        if (
            found.broken
            or found.diagnostics  # (an article's warnings are part of the last build's)
            or any(items[rel].article.warnings for rel in changed)
            or not all(_published(article, options, now) for article in found.articles)
        ):
            return None
        selected = found.articles
    with _phase(result, "analyse"):
        was = {rel: _language(items[rel].article, config) for rel in changed}
        if any(_language(article, config) != was[article.rel_path] for article in selected):
            return None  # (the warning for an article the analysis cannot read)
        analysed, result.articles_analysed, _ = analyze_articles(
            selected, config, cache, 1, found.stamps, found.analyses
        )
        memory.unsaved |= changed  # (written when serve is idle: save_memory)
    with _phase(result, "collect"):
        pairs = {a.rel_path: (a, analysed[a.rel_path]) for a in selected}
        edited = saved_in_place(live, pairs)
        if edited is None:
            return None
    try:
        with _phase(result, "collect", accumulate=True):
            labels = take_edits(live, edited, pairs)
        with _phase(result, "render"):
            affected = [live.site.pages[n] for n in sorted(live.pages_using(labels))]
            new_keys = page_keys(affected, live.versions)
            renderer = last.renderer.at(now)
            pages = {}
            for page in affected:
                key = new_keys[page.output]
                if not key or keys.get(page.output) != key:
                    pages[page.output] = renderer.render(page).content
            result.pages, result.pages_rendered = len(live.site.pages), len(pages)
        with _phase(result, "write"):
            if not memory.keys_unsaved:  # never a stale key on disk: it would keep a page
                forget_page_keys(root, output_dir)
                memory.keys_unsaved = True
            written, memory.listing = replace_files(output_dir, pages, memory.listing)
            for output, key in new_keys.items():
                if key:
                    keys[output] = key
                else:
                    keys.pop(output, None)
    except TemplateError:  # the whole way reports every page's error, each once
        memory.live = memory.last = None
        return None
    except BaseException:
        memory.live = memory.last = None  # taken in part: the next build takes the whole way
        raise
    result.files_written, result.files_unchanged = len(written), len(pages) - len(written)
    result.changed_files, result.wrote_output = written, True
    return result


def _saved_articles(saved: Iterable[Path], config: Config, live: LiveSite) -> set[str] | None:
    """The paths under content/ of ``saved``, if each is an article of ``live``'s site and
    they are a few (a branch checked out saves thousands: the whole way reads them over
    every core)."""
    items = live.items_by_path()
    changed: set[str] = set()
    for path in saved:
        if len(changed) >= _SAVES_TAKEN_ALONE:
            return None
        try:
            rel = path.relative_to(config.content_dir).as_posix()
        except ValueError:
            return None
        if rel not in items or not (config.content_dir / rel).is_file():
            return None
        changed.add(rel)
    return changed


_SAVES_TAKEN_ALONE = 100  # articles saved at once that one process reads and analyses


def _language(article: Article, config: Config) -> str:
    return article.lang or config.language


def _versions_and_keys(
    site: SiteModel,
    collection: Collection,
    config: Config,
    renderer: Renderer,
    assets: Mapping[str, str],
    live: LiveSite | None,
    edited_labels: set[str],
    last_keys: Mapping[str, str] | None,
) -> tuple[dict[str, str], dict[str, str]]:
    """Every label's version and every page's key (page_keys). After edits taken in place
    (``live``), only the pages that use the edited labels get new keys, unless a layout
    changed too. ``last_keys``: the keys the last build in this process recorded."""
    layouts = {
        f"template:{template}": renderer.template_version(template)
        for template in {page.template for page in site.pages}
    }
    if live is not None and all(live.versions.get(k) == v for k, v in layouts.items()):
        last = last_keys or {}
        keys = {page.output: last.get(page.output, "") for page in site.pages}
        affected = [site.pages[n] for n in live.pages_using(edited_labels)]
        keys.update(page_keys(affected, live.versions))
        return live.versions, keys
    versions = label_versions(config, collection, code_digest(), assets)
    versions[PAGE_LIST] = page_list_version(site.pages)
    versions.update(layouts)
    if live is not None:  # (edits taken in place, and a layout changed)
        live.versions = versions
    return versions, page_keys(site.pages, versions)


def site_warnings(config: Config) -> list[Diagnostic]:
    """What a build says of the config as a whole (``check`` says it too)."""
    if config.base_url:
        return []
    return [
        warning(
            _shown_config(config),
            None,
            "base_url is empty: no feeds, sitemap or canonical links are written",
            "set base_url: https://your.site/ in briefgen.yaml",
        )
    ]


def _update_search_index(writer: SiteWriter, root: Path, wanted: bool, result: BuildResult) -> None:
    """Make the search index again if a page changed (or the one there is behind), from the
    site as it is about to be; else keep the one there is. A failure is a warning: the rest
    of the site is published, with the index it had."""
    index = writer.held_under(SEARCH_DIR)
    writer.keep_all(index)
    pages_changed = any(p.endswith(".html") for p in writer.changed_so_far())
    behind = index_is_behind(root, result.output_dir)
    if not wanted or not (pages_changed or behind or not index):
        note_index_behind(root, result.output_dir, behind or (pages_changed and bool(index)))
        return
    try:
        made, work = make_search_index(writer.prepare(), root / CACHE_DIR)
    except SearchIndexError as exc:
        result.diagnostics.append(warning(str(result.output_dir), None, exc.message, exc.hint))
        note_index_behind(root, result.output_dir, bool(index))
        return
    try:
        for path, source in made.items():
            writer.add(path, source)
        for path in index:
            if path not in made:
                writer.drop(path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result.search_indexed = True
    note_index_behind(root, result.output_dir, False)


def _compiled_templates(templates: Path, code: str) -> Path:
    """The folder where Jinja keeps the compiled templates for this version of briefgen's
    ``code``: a compiled template calls the filters the way the code it was compiled with
    defined them, and Jinja checks only the template's own source. Those compiled by other
    versions are removed."""
    current = templates / f"compiled-{code[:16]}"
    if not current.is_dir():
        for old in templates.glob("compiled-*"):
            shutil.rmtree(old, ignore_errors=True)
        for old in templates.glob("__jinja2_*.cache"):  # (where versions before kept them)
            old.unlink(missing_ok=True)
        current.mkdir(parents=True, exist_ok=True)
    return current


def _remember_references(
    root: Path, known: Mapping[str, tuple[str, ...]], used: Mapping[str, tuple[str, ...]]
) -> None:
    """Keep what the templates name for the next build (a few hundred sources at most: past
    that, only those this build used)."""
    kept = {**known, **used}
    if len(kept) > _REFERENCES_KEPT:
        kept = dict(used)
    if kept != known:
        save_template_references(root, kept)


# A build that renders this many pages takes the story merges the last one kept (most of a
# full re-render's stories need theirs), and keeps its own; one that renders a few merges
# what they show.
_KEEP_MERGES_FROM = 100


@dataclass
class _MergedPoints:
    """Stories' merged key points kept from one build to the next: a full re-render (a
    layout edit) merged every story with more than one article again, in each render worker
    that showed it (a tenth of its time at 10,000 articles)."""

    version: str  # briefgen's code and the analysis settings: what else the merges follow
    kept: dict[str, tuple[StoryPoint, ...]]  # by Story.points_key, as the last build left them
    stories: dict[str, tuple[str, Story]]  # (points_key, story) of those with two articles or more
    unmerged: dict[str, Story]  # those of them still to merge, by id

    @classmethod
    def remembered(
        cls, root: Path, config: Config, collection: Collection, rebuild: bool
    ) -> _MergedPoints:
        """The stories given the points kept for them (none with ``rebuild``)."""
        version = f"{code_digest()}:{analysis_settings(config)}"
        kept = {} if rebuild else load_story_points(root, version)
        memory = cls(version, kept, {}, {})
        for story in collection.stories:
            if len(story.items) > 1:
                key = story.points_key
                memory.stories[story.id] = (key, story)
                if story.merged_points is None and (points := kept.get(key)) is not None:
                    story.remember_points(points)
                if story.merged_points is None:
                    memory.unmerged[story.id] = story
        return memory

    def keep(self, root: Path, merged: Mapping[str, tuple[StoryPoint, ...]]) -> None:
        """Save the merges of this build's stories (``merged``: those its render workers
        made, by story id), if they are not what the last build kept."""
        points = {}
        for story_id, (key, story) in self.stories.items():
            made = story.merged_points
            if made is None:
                made = merged.get(story_id)
            if made is not None:
                points[key] = made
        if points != self.kept:
            save_story_points(root, self.version, points)


_REFERENCES_KEPT = 256


def _save_analyses(
    root: Path,
    cache: dict[str, CachedArticle],
    loaded: dict[str, CachedArticle],
    keep: set[str],
    unsaved: set[str],
) -> dict[str, CachedArticle]:
    """Write the analysis cache, without the articles that are gone, only if it changed
    (``unsaved``: entries of ``loaded`` that its files do not hold yet); return what it
    holds."""
    kept = {rel: entry for rel, entry in cache.items() if rel in keep}
    if unsaved or kept.keys() != loaded.keys() or any(kept[k] is not loaded[k] for k in kept):
        save_cache(root, kept, loaded, unsaved)
    return kept


def save_memory(root: Path, output_dir: Path, memory: BuildMemory) -> None:
    """Write what builds that took saved articles in place left for later (``serve`` calls
    this when no save is waiting, and when it stops): their cache entries and page keys."""
    root, output_dir = root.absolute(), output_dir.absolute()
    # Tried once: what fails to be written costs time only (an analysis is made again, a
    # page whose key is not on disk renders again).
    unsaved, memory.unsaved = memory.unsaved, set()
    keys_unsaved, memory.keys_unsaved = memory.keys_unsaved, False
    if unsaved and memory.analyses is not None:
        save_cache(root, memory.analyses, memory.analyses, unsaved)
    if keys_unsaved and memory.page_keys is not None:
        save_page_keys(root, output_dir, memory.page_keys.items())


def _output_as_left(previous: Previous, result: BuildResult) -> bool:
    """Whether the output holds the files the last build left (by name and inode); if so the
    result says the site is up to date."""
    if output_listing(result.output_dir) != previous.listing:
        return False
    result.pages, result.skipped = previous.pages, True
    result.files_unchanged = len(previous.listing)
    return True


def _shown_config(config: Config) -> str:
    return config.path.name if config.path else "briefgen.yaml"


@contextmanager
def _phase(result: BuildResult, name: str, accumulate: bool = False) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        spent = time.perf_counter() - start
        result.timings[name] = spent + (result.timings.get(name, 0.0) if accumulate else 0.0)


def _check_output_dir(output_dir: Path, config: Config) -> None:
    """Refuse an output folder that would replace the site's sources or someone's files."""
    root = config.root.absolute()
    protected = [root, config.content_dir, config.layouts_dir, config.static_dir]
    if any(
        output_dir == p or p.is_relative_to(output_dir) or output_dir.is_relative_to(p)
        for p in protected[1:]
    ) or root.is_relative_to(output_dir):
        raise OutputError(
            error(
                str(output_dir),
                None,
                "the output folder overlaps the site's own files",
                "choose another -o folder, such as site/",
            )
        )
    if (
        output_dir.is_dir()
        and any(output_dir.iterdir())
        and not (output_dir / OUTPUT_MARKER).exists()
    ):
        raise OutputError(
            error(
                str(output_dir),
                None,
                "the output folder holds files briefgen did not write",
                "empty it, or choose another -o folder",
            )
        )


def _select(
    articles: list[Article], options: BuildOptions, now: datetime, result: BuildResult
) -> tuple[list[Article], datetime | None]:
    """The articles this build publishes, and when the first one held back as future comes
    due (a build from then on publishes more)."""
    kept = []
    due = []
    for article in articles:
        if _published(article, options, now):
            kept.append(article)
        elif not article.draft or options.drafts:
            due.append(article.date)
    result.articles_held_back = len(articles) - len(kept)
    return kept, (min(due) if due else None)


def _published(article: Article, options: BuildOptions, now: datetime) -> bool:
    """Whether this build publishes the article: not a draft (unless drafts are wanted), not
    dated after now (unless future articles are)."""
    return (options.drafts or not article.draft) and (options.future or article.date <= now)


def _existing_copies(site: SiteModel, config: Config, result: BuildResult) -> dict[str, Path]:
    copies: dict[str, Path] = {}
    for copy in site.copies:
        source = Path(copy.source) if Path(copy.source).is_absolute() else config.root / copy.source
        if source.is_file():
            copies[copy.output] = source
        else:
            owner = next((d.removeprefix("article:") for d in copy.depends_on), copy.source)
            result.diagnostics.append(
                warning(
                    f"content/{owner}",
                    None,
                    f"'{copy.source}' does not exist",
                    "fix the image or file path in the article",
                )
            )
    return copies
