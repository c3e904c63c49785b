"""The part of a build that reads, analyses, collects, renders and writes: what ``build``
runs once its check finds the site out of date, and what ``serve`` runs to take a few saved
articles in place. Apart from ``build`` so that a build with nothing to do never imports it,
nor the Markdown parser, the analysis and Jinja with it (at 10,000 articles such a build took
0.44 s instead of 0.56).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from briefgen.build import (
    BuildMemory,
    BuildOptions,
    BuildResult,
    CheckedInputs,
    LastBuild,
    output_as_left,
    phase,
)
from briefgen.build_fingerprint import (
    Previous,
    code_digest,
    input_fingerprint,
    output_listing,
    save_previous,
)
from briefgen.cache import (
    CACHE_DIR,
    TEMPLATES_DIR,
    CachedArticle,
    analysis_settings,
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
from briefgen.config import Config
from briefgen.content import (
    Article,
)
from briefgen.edition_notes import read_edition_notes, unused_notes
from briefgen.errors import (
    TemplateError,
    warning,
)
from briefgen.kept_collection import KeptCollection, keep_collection, kept_collection
from briefgen.live_site import (
    LiveSite,
    config_state,
    edited_in_place,
    saved_in_place,
    take_edits,
)
from briefgen.output import OUTPUT_MARKER, SiteWriter, replace_files
from briefgen.page_keys import (
    PageIndex,
    config_version,
    forget_page_keys,
    keys_from_digests,
    label_digest,
    label_digests,
    label_versions,
    layouts_read_globals,
    load_page_keys,
    page_keys,
    page_list_version,
    save_page_keys,
    story_versions,
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
from briefgen.sitemodel import PAGE_LIST, SiteModel, build_site_model
from briefgen.story_points import StoryPoint


def build_out_of_date(
    root: Path,
    options: BuildOptions,
    memory: BuildMemory,
    now: datetime,
    result: BuildResult,
    checked: CheckedInputs,
) -> None:
    """The rest of ``build``, from reading the articles to committing the output, into
    ``result`` (a BriefgenError or OSError goes to ``build``, which reports it)."""
    output_dir = result.output_dir
    config, assets, live, previous = checked.config, checked.assets, checked.live, checked.previous
    statics, variant, code = assets.files, checked.variant, checked.code
    records, content, config_reported = checked.records, checked.content, checked.config_reported
    sources = checked.sources
    with phase(result, "read"):
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
    with phase(result, "analyse"):
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
                and output_as_left(previous, result)
            ):
                return  # the same inputs make the same site: it is there already
            save_previous(root, output_dir, None)  # a build killed from here is not "done"
        reported = len(result.diagnostics)
    with phase(result, "collect"):
        notes, note_problems = read_edition_notes(config)
        pairs = {a.rel_path: (a, analysed[a.rel_path]) for a in selected}
        edited = None
        if live is not None and memory.long_running and not options.rebuild:
            edited = edited_in_place(live, pairs, config, notes, statics, assets.names)
        edited_labels: set[str] = set()
        reused: KeptCollection | None = None
        site: SiteModel | None = None  # made once the pages to render are known, if kept
        if live is not None and edited is not None:
            edited_labels = take_edits(live, edited, pairs)
            collection, site = live.collection, live.site
        else:
            live = None
            reused = (
                None
                if options.rebuild
                else kept_collection(root, config, notes, state, pairs, last_built)
            )
            result.collection_kept = reused is not None
            if reused is not None:
                collection = reused.collection
            else:
                earlier = {
                    rel: (entry.article, entry.analysis)
                    for rel, entry in last_built.items()
                    if rel in pairs and entry.analysis_key != cache[rel].analysis_key
                }
                collection = collect(pairs.values(), config, notes, state, earlier)
        wide = layouts_read_globals(config)
        index = reused.index if reused is not None and records and not wide else None
        result.diagnostics += note_problems
        result.diagnostics += unused_notes(notes, {e.id for e in collection.editions})
        if index is not None:
            result.pages = len(index.outputs)
        else:
            if site is None:
                site = build_site_model(collection, config, now, statics)
            result.diagnostics += site.diagnostics
            result.pages = len(site.pages)
    with phase(result, "render"):
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
        if options.rebuild:
            known = {}
        elif memory.page_keys is not None:
            known = memory.page_keys
        else:
            known = load_page_keys(root, output_dir)

        def work_out_keys() -> tuple[dict[str, str] | None, dict[str, str]]:
            """The labels' versions and the pages' keys; what this build keeps of them for
            the next is written."""
            made = _versions_and_keys(
                site,
                collection,
                config,
                renderer,
                assets.names,
                live,
                edited_labels,
                memory.page_keys,
                reused if records and not wide else None,
                index if site is None else None,
                wide,
            )
            if records and live is None:  # (what the next build takes, if no article moved)
                if made.index is None and site is not None and not site.diagnostics:
                    made.index = PageIndex.of(site.pages, made.keys)
                if reused is None:
                    keep_collection(
                        root, config, notes, collection, pairs, made.digests, made.index
                    )
                elif reused.edited:
                    reused.record(made.digests, made.index)
            _remember_references(root, references, renderer.references_used())
            return made.versions, made.keys

        # With no keys of the last build to compare (a first build, --rebuild), every page
        # renders: the keys are worked out while the workers render, on a core that would
        # wait for them (but where only the pages to render are made: their keys first).
        later: list[tuple[dict[str, str] | None, dict[str, str]]] = []
        if known or site is None:
            versions, keys = work_out_keys()
    # Pages go to the writer as they are rendered: they are never all in memory at once.
    spare = memory.spare if memory.long_running or previous is None else previous.spare
    listed = memory.listing if memory.long_running or previous is None else previous.output
    memory.spare = memory.listing = None  # known again once this build commits
    with SiteWriter(output_dir, spare, listed) as writer:
        kept = (
            writer.holding(o for o, key in keys.items() if key and known.get(o) == key)
            if known
            else set()
        )
        with phase(result, "render", accumulate=True):
            if site is None:
                site = _pages_to_render(collection, config, now, statics, keys.keys() - kept)
                result.diagnostics += site.diagnostics
            result.pages_rendered = result.pages - len(kept)
            merges = None
            if result.pages_rendered >= _KEEP_MERGES_FROM:
                merges = _MergedPoints.remembered(root, config, collection, options.rebuild)
            unmerged = merges.unmerged if merges is not None else {}
            render_errors, merged = render_into(
                writer,
                site,
                renderer,
                jobs,
                kept,
                unmerged,
                meanwhile=None if known else lambda: later.append(work_out_keys()),
            )
            if not known:
                versions, keys = later[0]
            result.diagnostics += render_errors
        if render_errors:
            return  # the previous output stays as it was
        with phase(result, "write"):
            for path, source in _existing_copies(site, config, result).items():
                writer.add(path, source)
            writer.keep_all(kept)
            writer.add(OUTPUT_MARKER, b"")
        with phase(result, "search"):
            _update_search_index(writer, root, options.search, result)
        with phase(result, "write", accumulate=True):
            stats = writer.commit()
    with phase(result, "write", accumulate=True):
        result.files_written, result.files_unchanged = stats.written, stats.unchanged
        result.files_removed, result.wrote_output = stats.removed, True
        result.changed_files = stats.changed_paths
        # Only once the pages that use it are out, and only when it changed (with
        # --rebuild the file was not read: it is written whatever it holds).
        if collection.state is not memory.state and (options.rebuild or collection.state != state):
            save_state(root, collection.state)
        save_page_keys(root, output_dir, keys.items())
        if merges is not None:
            merges.keep(root, merged)
        memory.state, memory.page_keys = collection.state, {o: k for o, k in keys.items() if k}
        memory.keys_unsaved = False
        if memory.long_running and versions is not None:  # (it takes no kept collection)
            state_now = config_state(config, statics, assets.names)
            memory.live = live or LiveSite(
                state_now,
                tuple(notes),
                collection,
                site,
                versions,
                wide,
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


def take_saves(
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
    with phase(result, "read"):
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
    with phase(result, "analyse"):
        was = {rel: _language(items[rel].article, config) for rel in changed}
        if any(_language(article, config) != was[article.rel_path] for article in selected):
            return None  # (the warning for an article the analysis cannot read)
        analysed, result.articles_analysed, _ = analyze_articles(
            selected, config, cache, 1, found.stamps, found.analyses
        )
        memory.unsaved |= changed  # (written when serve is idle: save_memory)
    with phase(result, "collect"):
        pairs = {a.rel_path: (a, analysed[a.rel_path]) for a in selected}
        edited = saved_in_place(live, pairs)
        if edited is None:
            return None
    try:
        with phase(result, "collect", accumulate=True):
            labels = take_edits(live, edited, pairs)
        with phase(result, "render"):
            affected = [live.site.pages[n] for n in sorted(live.pages_using(labels))]
            new_keys = page_keys(affected, live.versions)
            renderer = last.renderer.at(now)
            pages = {}
            for page in affected:
                key = new_keys[page.output]
                if not key or keys.get(page.output) != key:
                    pages[page.output] = renderer.render(page).content
            result.pages, result.pages_rendered = len(live.site.pages), len(pages)
        with phase(result, "write"):
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


@dataclass
class _Keys:
    """What ``_versions_and_keys`` works out."""

    versions: dict[str, str] | None  # every label's, where worked out
    keys: dict[str, str]  # every page's, by its output file
    digests: dict[str, int]  # the labels' (``page_keys.label_digests``)
    index: PageIndex | None = None  # the pages by label, with these keys, where it was kept


def _versions_and_keys(
    site: SiteModel | None,
    collection: Collection,
    config: Config,
    renderer: Renderer,
    assets: Mapping[str, str],
    live: LiveSite | None,
    edited_labels: set[str],
    last_keys: Mapping[str, str] | None,
    kept: KeptCollection | None,
    index: PageIndex | None,
    wide: bool,
) -> _Keys:
    """Every label's version (None where ``kept`` spared working them out), every page's
    key (page_keys) and the labels' digests. After edits taken in place (``live``), only the
    pages that use the edited labels get new keys, unless a layout changed too.
    ``last_keys``: the keys the last build in this process recorded. ``kept``: the collection
    this build took again, with the digests its pages had (a site layout that reads the
    globals that may show any story on any page takes the whole way: no ``kept``): only the
    labels of its edited articles and their stories, the config's (the assets, the latest
    edition), the page list's and the templates' are worked out again. ``index``: the kept
    collection's pages, where the site model is not made (no ``site``): the page list is the
    one kept, and the keys are the index's with the differences of those labels' digests.
    ``wide``: a site layout reads those globals (``layouts_read_globals``)."""
    if kept is not None and index is not None:
        made = _fresh_digests(collection, config, renderer, assets, kept, index.templates)
        index = index.rekeyed(kept.digests, made)
        return _Keys(None, index.key_map(), {**kept.digests, **made}, index)
    assert site is not None  # (made wherever no index serves)
    if kept is not None:
        made = _fresh_digests(
            collection, config, renderer, assets, kept, {page.template for page in site.pages}
        )
        made[PAGE_LIST] = label_digest(PAGE_LIST, page_list_version(site.pages))
        digests = {**kept.digests, **made}
        return _Keys(None, keys_from_digests(site.pages, digests), digests)
    layouts = {
        f"template:{template}": renderer.template_version(template)
        for template in {page.template for page in site.pages}
    }
    if live is not None and all(live.versions.get(k) == v for k, v in layouts.items()):
        last = last_keys or {}
        keys = {page.output: last.get(page.output, "") for page in site.pages}
        affected = [site.pages[n] for n in live.pages_using(edited_labels)]
        digests = label_digests(live.versions)
        keys.update(keys_from_digests(affected, digests))
        return _Keys(live.versions, keys, digests)
    versions = label_versions(config, collection, code_digest(), assets, reads_globals=wide)
    versions[PAGE_LIST] = page_list_version(site.pages)
    versions.update(layouts)
    if live is not None:  # (edits taken in place, and a layout changed)
        live.versions = versions
    digests = label_digests(versions)
    return _Keys(versions, keys_from_digests(site.pages, digests), digests)


def _fresh_digests(
    collection: Collection,
    config: Config,
    renderer: Renderer,
    assets: Mapping[str, str],
    kept: KeptCollection,
    templates: Iterable[str],
) -> dict[str, int]:
    """The digests of the labels a kept collection's build works out again: the config's,
    the templates' and those of the edited articles and their stories."""
    fresh = {
        "config": config_version(config, collection, code_digest(), assets),
        **{f"template:{name}": renderer.template_version(name) for name in templates},
    }
    for story in collection.stories:
        if any(item.article.rel_path in kept.edited for item in story.items):
            fresh.update(story_versions(story))
    return {label: label_digest(label, version) for label, version in fresh.items()}


def _pages_to_render(
    collection: Collection,
    config: Config,
    now: datetime,
    statics: Mapping[str, str],
    only: set[str],
) -> SiteModel:
    """The site model of the pages ``only`` names, where the kept collection's index gave
    the keys (``PageIndex``: its pages are the model's). Should the model not hold each of
    them, every page is made: a page neither rendered nor kept would be gone from the
    output."""
    site = build_site_model(collection, config, now, statics, only)
    if not only <= {page.output for page in site.pages}:
        return build_site_model(collection, config, now, statics)
    return site


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
