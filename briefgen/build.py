"""The pipeline: config -> content -> analysis -> collection -> site model -> render -> output.

``build()`` gathers and renders everything before writing anything, then replaces the output
in one step. It returns a BuildResult for the CLI to print and for serve and publish to use.
The one exception is ``serve``'s preview folder, where a save of a few articles' text is
taken alone and the pages showing them replace their files one by one
(``build_steps.take_saves``). A build imports the pipeline (``build_steps``) only once its
check finds that something changed.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

# What a build that finds nothing changed needs, and no more: the rest of the pipeline (the
# Markdown parser, the analysis, Jinja) is imported by ``build_steps`` once a build has work.
from briefgen.build_fingerprint import (
    Previous,
    code_and_layouts_digest,
    load_previous,
    output_listing,
    sources_stamp,
)
from briefgen.cache import FileStamp, file_stamps
from briefgen.config import Config, load_config
from briefgen.errors import (
    BriefgenError,
    Diagnostic,
    OutputError,
    error,
    has_errors,
    warning,
)
from briefgen.output import OUTPUT_MARKER, FolderListing
from briefgen.site_assets import SiteAssets, site_assets

if TYPE_CHECKING:
    from briefgen.cache import CachedArticle
    from briefgen.collection import CollectionState
    from briefgen.live_site import LiveSite
    from briefgen.render import Renderer

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
    to take a few saved articles in place (``build_steps.take_saves``)."""

    config: Config
    renderer: Renderer
    diagnostics: tuple[Diagnostic, ...]
    articles_read: int
    articles_held_back: int
    release_at: datetime | None  # when an article held back as future comes due


@dataclass(frozen=True)
class CheckedInputs:
    """What a build's check found, for the rest of the build (``build_steps``)."""

    config: Config
    assets: SiteAssets
    live: LiveSite | None  # what the last build in this process made, to take edits into
    previous: Previous | None  # what the last build recorded (None: not known, or serve)
    variant: str  # the build options that change every page
    code: str  # briefgen's code and the layouts, digested ("" in serve)
    sources: str  # sources_stamp ("" in serve)
    records: bool  # whether this build records what lets the next one stop early
    content: Mapping[str, FileStamp]  # the articles' stamps, taken before any is read
    config_reported: int  # how many diagnostics the config gave


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
    collection_kept: bool = False  # the last build's topics, stories and editions served again
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
            from briefgen.build_steps import take_saves  # (serve's: the pipeline is loaded)

            taken = take_saves(root, output_dir, options, memory, saved, now)
            if taken is not None:
                return taken
        # Given back once this build commits: a build that fails (say, on a broken config)
        # leaves nothing the next could take saved articles into.
        live, memory.live, memory.last = memory.live, None, None
        with phase(result, "config"):
            config, problems = load_config(root, options.config_file)
            result.diagnostics += problems + site_warnings(config)
            _check_output_dir(output_dir, config)
        if result.failed():
            return result
        with phase(result, "check"):
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
                and output_as_left(previous, result)
            ):
                return result  # not one file touched since a build that had nothing to say
        # The rest of the pipeline (the Markdown parser, the analysis, Jinja) is imported only
        # now: a build that found nothing changed never loads it.
        from briefgen.build_steps import build_out_of_date

        checked = CheckedInputs(
            config,
            assets,
            live,
            previous,
            variant,
            code,
            sources,
            records,
            content,
            config_reported,
        )
        build_out_of_date(root, options, memory, now, result, checked)
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


def output_as_left(previous: Previous, result: BuildResult) -> bool:
    """Whether the output holds the files the last build left (by name and inode); if so the
    result says the site is up to date."""
    if output_listing(result.output_dir) != previous.listing:
        return False
    result.pages, result.skipped = previous.pages, True
    result.files_unchanged = len(previous.listing)
    return True


def _shown_config(config: Config) -> str:
    return config.path.name if config.path else "briefgen.yaml"


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


@contextmanager
def phase(result: BuildResult, name: str, accumulate: bool = False) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        spent = time.perf_counter() - start
        result.timings[name] = spent + (result.timings.get(name, 0.0) if accumulate else 0.0)
