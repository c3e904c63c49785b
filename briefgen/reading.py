"""Reading and analysing the articles, with the cache: only what changed is parsed or
analysed again, and analysis runs over several processes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from briefgen.analysis.article import Analysis, analyze_text, is_english
from briefgen.cache import (
    LINKED_FOLDER,
    CachedArticle,
    FileStamp,
    analysis_key,
    analysis_settings,
    file_stamp,
    load_shard,
    save_shard,
    shard_of,
)
from briefgen.config import Config
from briefgen.content import (
    Article,
    content_hash,
    discover_articles,
    is_article_file,
    is_set_apart,
    parse_article,
    parse_settings,
    read_article_bytes,
)
from briefgen.errors import BriefgenError, Diagnostic, warning
from briefgen.parallel import iterate_in_processes, map_in_processes


@dataclass
class ReadArticles:
    articles: list[Article] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)  # paths that failed to read or parse
    # (size, mtime, inode) of each file as it was before it was read: an unchanged stamp
    # next time means unchanged bytes, so the file need not even be read.
    stamps: dict[str, FileStamp] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # With ``analyse``: the analyses of the articles parsed afresh, made by the same worker
    # right after parsing (an article then crosses between processes once, not twice, or not
    # at all when the worker wrote it to its cache file: see ``saved``).
    analyses: dict[str, tuple[Article, Analysis]] = field(default_factory=dict)
    # With ``save_to``: the cache entries of those the workers wrote to the cache files
    # themselves (``read_articles``), as the files now hold them.
    saved: dict[str, CachedArticle] = field(default_factory=dict)


@dataclass(frozen=True)
class _Saved:
    """An article a worker wrote to its cache file, under this key."""

    analysis_key: str


# What a worker reads: the files (path, bytes or None to read them there, stamp), and the
# cache file they fill whole (None: not one).
_File = tuple[str, bytes | None, FileStamp | None]
_Unit = tuple[int | None, tuple[_File, ...]]
# What it gives back for each: the article (with its analysis), what is wrong with it, or,
# when it wrote the article's entry to the cache file, the analysis key of that entry.
_Outcome = Article | Diagnostic | tuple[Article, Analysis] | _Saved


def read_articles(
    config: Config,
    cache: dict[str, CachedArticle],
    jobs: int = 1,
    stamps: Mapping[str, FileStamp] | None = None,
    analyse: bool = False,
    only: Iterable[str] | None = None,
    save_to: Path | None = None,
) -> ReadArticles:
    """Every article that reads, and the paths of those that did not; a broken one is
    reported and replaced by its last good version, so its pages stay published. Files whose
    bytes are as cached are not parsed again; the others are parsed over ``jobs`` processes
    (and read there, when the cache has nothing to compare them with: a first build).
    ``stamps`` are the files' stamps taken before this call (``cache.file_stamps`` of the
    content folder: the articles are the ones it lists, ``articles_in``), else the folder is
    walked and each file stamped just before it is read. With ``analyse``, an
    article parsed afresh is analysed too, in the same worker (``ReadArticles.analyses``).
    ``only``: these article paths (say, the files a watcher saw saved), not every article
    under content/. ``save_to``, with ``analyse``: the site root whose cache files the
    workers write, each file whose articles ``cache`` has no entry for (a first build's
    every file) by the worker that read them all (``ReadArticles.saved``): the main
    process then has none of them to write."""
    found = ReadArticles()
    settings = parse_settings(config)
    linked: list[str] = []
    if only is not None:
        order = sorted(only)
    elif stamps is not None:
        order = articles_in(stamps, linked)
    else:
        order = discover_articles(config.content_dir, linked)
    found.diagnostics += [
        warning(
            f"content/{folder}",
            None,
            "is a link to a folder: its articles are not read",
            "move the folder into content/ instead of linking to it",
        )
        for folder in linked
    ]
    by_path: dict[str, Article | Diagnostic] = {}
    # A file with no usable cache entry is read by the worker that parses it (None here).
    to_parse: list[_File] = []
    for rel in order:
        # Taken before reading: a save after it shows as a new stamp next time.
        stamp = stamps[rel] if stamps and rel in stamps else file_stamp(config.content_dir / rel)
        cached = cache.get(rel)
        if stamp is not None:
            found.stamps[rel] = stamp
        if cached is None or cached.parse_settings != settings:
            to_parse.append((rel, None, stamp))
            continue
        if stamp is not None and cached.file_stamp == stamp:
            by_path[rel] = cached.article  # not touched since it was read: not read again
            continue
        try:
            data = read_article_bytes(config.content_dir, rel, f"content/{rel}")
        except BriefgenError as exc:
            by_path[rel] = exc.diagnostic
            continue
        if cached.article.content_hash == content_hash(data):
            by_path[rel] = cached.article  # the same bytes parse the same: skip the parser
        else:
            to_parse.append((rel, data, stamp))
    units = _work_units(to_parse, cache if analyse and save_to is not None else None)
    work = partial(_read_unit, config=config, analyse=analyse, save_to=save_to)
    # Each unit's outcomes are taken as they come, while the workers read on: the cache file
    # a worker wrote is mapped here meanwhile, not after the last one.
    done = iterate_in_processes(work, units, jobs, size=len(to_parse))
    for (shard, files), outcomes in zip(units, done, strict=True):
        entries = load_shard(save_to, shard) if save_to is not None and shard is not None else {}
        for (rel, source, _), outcome in zip(files, outcomes, strict=True):
            if isinstance(outcome, _Saved):
                entry = entries.get(rel)
                if entry is None or entry.analysis_key != outcome.analysis_key:
                    # The file changed since the worker wrote it (another build of this site
                    # at the same time): read the article here; this build saves its entry
                    # with those of the articles it analysed itself.
                    outcome = _parse_and_analyse((rel, source), config)
                else:
                    found.saved[rel] = entry
                    outcome = (entry.article, entry.analysis)
                    # A new article: story grouping reads its words and names next (they
                    # come packed from the file); unpacked now, while the workers go on.
                    entry.analysis.story_terms  # noqa: B018
            if isinstance(outcome, tuple):
                found.analyses[rel] = outcome
                by_path[rel] = outcome[0]
            else:
                by_path[rel] = outcome
    for rel in order:
        outcome = by_path[rel]
        if isinstance(outcome, Article):
            found.diagnostics += outcome.warnings
            found.articles.append(outcome)
        else:
            found.diagnostics.append(outcome)
            found.broken.add(rel)
            found.stamps.pop(rel, None)  # read again next time, and reported again
            if rel in cache:
                found.articles.append(cache[rel].article)
    return found


def _work_units(
    files: list[_File],
    cache: Mapping[str, CachedArticle] | None,
) -> list[_Unit]:
    """The files in units for the workers: those of a cache file ``cache`` has no entry in
    (None: no file is written), whole, and each other file alone."""
    if cache is None:
        return [(None, (file,)) for file in files]
    taken = {shard_of(rel) for rel in cache}
    whole: dict[int, list[_File]] = {}
    alone: list[_Unit] = []
    for file in files:
        shard = shard_of(file[0])
        if shard in taken:
            alone.append((None, (file,)))
        else:
            whole.setdefault(shard, []).append(file)
    return [*((shard, tuple(whole[shard])) for shard in sorted(whole)), *alone]


def _read_unit(unit: _Unit, config: Config, analyse: bool, save_to: Path | None) -> list[_Outcome]:
    """Each file's article (with its analysis, with ``analyse``) or what is wrong with it; a
    whole cache file's articles are written to it here, and only their keys come back: the
    main process maps the file (sending them back pickled took about 0.6 s of the workers'
    CPU and 0.5 s of the main process's at 10,000 articles)."""
    shard, files = unit
    read = _parse_and_analyse if analyse else _parse_or_diagnostic
    outcomes: list[_Outcome] = [read((rel, data), config) for rel, data, _ in files]
    if shard is None or save_to is None:
        return outcomes
    common, settings = analysis_settings(config), parse_settings(config)
    entries = {
        rel: CachedArticle(made[0], made[1], analysis_key(made[0], config, common), settings, stamp)
        for (rel, _, stamp), made in zip(files, outcomes, strict=True)
        if isinstance(made, tuple)
    }
    save_shard(save_to, shard, entries)
    return [
        _Saved(entries[rel].analysis_key) if rel in entries else outcome
        for (rel, _, _), outcome in zip(files, outcomes, strict=True)
    ]


def _parse_or_diagnostic(file: tuple[str, bytes | None], config: Config) -> Article | Diagnostic:
    """The article parsed from its bytes (None: read from its file first), or what is wrong."""
    rel, data = file
    label = f"content/{rel}"
    try:
        if data is None:
            data = read_article_bytes(config.content_dir, rel, label)
        return parse_article(data, rel, config, label)
    except BriefgenError as exc:
        return exc.diagnostic


def _parse_and_analyse(
    file: tuple[str, bytes | None], config: Config
) -> tuple[Article, Analysis] | Diagnostic:
    parsed = _parse_or_diagnostic(file, config)
    return (parsed, analyze_article(parsed, config)) if isinstance(parsed, Article) else parsed


def articles_in(stamps: Mapping[str, FileStamp], linked: list[str]) -> list[str]:
    """``discover_articles`` from the stamps of every file under content/ (``file_stamps``,
    which a build takes first): the article paths, sorted, and the links to folders found
    where articles are looked for added to ``linked``."""
    found = []
    for rel, stamp in stamps.items():
        if stamp[0] == LINKED_FOLDER:
            if not is_set_apart(rel):
                linked.append(rel)
        elif is_article_file(rel):
            found.append(rel)
    found.sort()
    linked.sort()
    return found


def analyze_articles(
    articles: list[Article],
    config: Config,
    cache: dict[str, CachedArticle],
    jobs: int = 1,
    stamps: Mapping[str, FileStamp] | None = None,
    made: Mapping[str, tuple[Article, Analysis]] | None = None,
    saved: Mapping[str, CachedArticle] | None = None,
) -> tuple[dict[str, Analysis], int, list[Diagnostic]]:
    """Every article's analysis, from the cache where the text and settings are unchanged,
    else analysed afresh over ``jobs`` processes; also how many were analysed, and warnings.
    The cache entries record ``stamps`` (``ReadArticles.stamps``). ``made``: analyses made
    while reading (``ReadArticles.analyses``), each used for the very article it was made of;
    ``saved``: the entries of those the cache files hold already (``ReadArticles.saved``),
    which ``cache`` then takes as they are."""
    stamps, made, saved = stamps or {}, made or {}, saved or {}
    analysed: dict[str, Analysis] = {}
    diagnostics: list[Diagnostic] = []
    langs = {article.lang for article in articles}  # (a few: most often one)
    foreign = {lang for lang in langs if not is_english(lang or config.language)}
    for article in articles if foreign else ():
        if article.lang in foreign:
            lang = article.lang or config.language
            diagnostics.append(
                warning(
                    f"content/{article.rel_path}",
                    None,
                    f"the analysis knows English only: key points of this '{lang}' article "
                    "are its first sentences, and its quotes have no speakers",
                    "check them, or give key_points and quotes in the front matter",
                )
            )
    common = analysis_settings(config)
    keys: dict[str, str] = {}  # those of the articles to analyse
    missing = []
    for article in articles:
        key = analysis_key(article, config, common)
        cached = cache.get(article.rel_path)
        if cached is None or cached.analysis_key != key:
            keys[article.rel_path] = key
            missing.append(article)
    ready: list[Article] = []
    to_do: list[Article] = []
    for article in missing:
        done = made.get(article.rel_path)
        (ready if done is not None and done[0] is article else to_do).append(article)
    fresh = [made[a.rel_path][1] for a in ready]
    fresh += map_in_processes(partial(analyze_article, config=config), to_do, jobs)
    settings = parse_settings(config)
    for article, analysis in zip([*ready, *to_do], fresh, strict=True):
        key, stamp = keys[article.rel_path], stamps.get(article.rel_path)
        entry = saved.get(article.rel_path)
        if entry is None or entry.analysis is not analysis or entry.file_stamp != stamp:
            entry = CachedArticle(article, analysis, key, settings, stamp)
        cache[article.rel_path] = entry
    for article in articles:
        cached, stamp = cache[article.rel_path], stamps.get(article.rel_path)
        if (
            cached.article is not article
            or cached.parse_settings != settings
            or cached.file_stamp != stamp
        ):
            cache[article.rel_path] = CachedArticle(
                article, cached.analysis, cached.analysis_key, settings, stamp
            )
        analysed[article.rel_path] = cached.analysis
    return analysed, len(missing), diagnostics


def analyze_article(article: Article, config: Config) -> Analysis:
    return analyze_text(
        article.plain,
        title=article.title,
        key_points=config.key_points,
        lang=article.lang or config.language,
        key_point_override=article.key_points,
        quote_override=(
            [(q.text, q.speaker) for q in article.quotes] if article.quotes is not None else None
        ),
    )
