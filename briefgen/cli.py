"""Command line: parse arguments, call one command function, print what it returns."""

from __future__ import annotations

import argparse
import errno
import gc
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import __version__
from briefgen.build import BuildOptions, BuildResult, build, build_clock
from briefgen.cache import CACHE_DIR, clear_cache
from briefgen.config import load_config
from briefgen.errors import BriefgenError, Level, Refused
from briefgen.output import remove_spare

if TYPE_CHECKING:
    from briefgen.analyze import AnalyzedArticle


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    # A command that runs once and ends has no use for the cycle collector: it would walk
    # every object a build made (half a second at 10,000 articles) only for the process to
    # drop them all. The preview runs for hours and keeps it.
    collecting = gc.isenabled()
    if args.command != "serve":
        gc.disable()
    try:
        code: int = args.run(args)
        gc.freeze()  # what is left goes with the process (or, called in-process, stays)
    except BriefgenError as exc:
        print(f"briefgen: {exc.diagnostic}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("briefgen: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `briefgen check | head`: the reader has seen enough
        # Python would complain again flushing stdout at exit: point it at nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    finally:
        if collecting:
            gc.enable()
    return code


def build_kind() -> str:
    """How this briefgen was installed: "compiled" (a wheel: the modules setup.py names are C
    extensions) or "pure Python" (an editable install, or where compiling failed)."""
    from briefgen.analysis import quotes  # (one of them)

    return "pure Python" if quotes.__file__.endswith(".py") else "compiled"


class _ShowVersion(argparse.Action):
    """``--version``, with how briefgen was installed: worked out only when asked for (it
    imports a module of the analysis, which a build with nothing to do never needs)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS) -> None:
        super().__init__(
            option_strings,
            dest,
            nargs=0,
            default=argparse.SUPPRESS,
            help="show program's version number and exit",
        )

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"briefgen {__version__} ({build_kind()})")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    noise = common.add_mutually_exclusive_group()
    noise.add_argument("-v", "--verbose", action="store_true", help="say more (phase timings)")
    noise.add_argument("-q", "--quiet", action="store_true", help="print only problems")

    parser = argparse.ArgumentParser(
        prog="briefgen",
        description="Build a briefing website from news articles.",
        parents=[common],
    )
    parser.add_argument("--version", action=_ShowVersion)
    parser.set_defaults(command=None)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    # What names the site and its articles, for the commands that read it.
    articles = argparse.ArgumentParser(add_help=False)
    articles.add_argument("path", nargs="?", default=".", type=Path, help="site root (default: .)")
    articles.add_argument("--config", type=Path, help="config file (default: PATH/briefgen.yaml)")
    articles.add_argument(
        "--drafts", action="store_true", help="include articles marked draft: true"
    )
    # ... for the commands that build it.
    site = argparse.ArgumentParser(add_help=False, parents=[articles])
    site.add_argument(
        "--no-search", action="store_true", help="do not make the search index (Pagefind)"
    )
    # ... for the commands that judge one build into PATH/site (or -o).
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument("-o", "--output", type=Path, help="output folder (default: PATH/site)")
    output.add_argument(
        "--future", action="store_true", help="include articles dated in the future"
    )
    output.add_argument("--strict", action="store_true", help="fail on warnings too")

    b = commands.add_parser(
        "build",
        parents=[common, site, output],
        help="build the site from content/",
        description="Build PATH/content into a static site.",
    )
    b.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="worker processes for the analysis (default: the number of cores)",
    )
    b.add_argument(
        "--rebuild",
        action="store_true",
        help="ignore the cache: analyse every article, decide topics and stories anew",
    )
    b.set_defaults(command="build", run=_run_build)

    k = commands.add_parser(
        "check",
        parents=[common, articles, output],
        help="validate the content and the built site, writing nothing",
        description="Check PATH without building: front matter, duplicate URLs, future "
        "articles, unknown topics, key points and quotes not in the text, links to files that "
        "are not there; and, when PATH/site (or -o) holds a build, every link of its pages. "
        "Exits 1 on errors (with --strict, on warnings too).",
    )
    k.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: one finding a line and a summary; json: one document, for CI",
    )
    k.set_defaults(command="check", run=_run_check)

    s = commands.add_parser(
        "serve",
        parents=[common, site],
        help="preview the site with live reload while you edit",
        description="Build PATH into a preview folder under its cache, serve it, and rebuild "
        "and reload the open pages on every save. Never writes PATH/site.",
    )
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0: any free)")
    s.add_argument("--open", action="store_true", help="open the preview in a web browser")
    s.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="another host name the preview answers to (repeatable; e.g. behind a proxy)",
    )
    s.set_defaults(command="serve", run=_run_serve)

    p = commands.add_parser(
        "publish",
        parents=[common],
        help="build, then put the site on static hosting",
        description="Build PATH, then move what changed to TARGET: a name under publish: in "
        "briefgen.yaml (default: the first) or git:REMOTE[#BRANCH], dir:PATH. Files briefgen "
        "did not put there are left alone unless --delete.",
    )
    p.add_argument("path", nargs="?", default=".", type=Path, help="site root (default: .)")
    p.add_argument("target", nargs="?", help="where to publish (default: the config's first)")
    p.add_argument("--config", type=Path, help="config file (default: PATH/briefgen.yaml)")
    p.add_argument("--dry-run", action="store_true", help="change nothing; list what would move")
    p.add_argument("--no-build", action="store_true", help="publish the site as it is built")
    p.add_argument(
        "--delete", action="store_true", help="also delete files briefgen did not put there"
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="go on after a failed build, past the deletion guards, onto a foreign target",
    )
    p.add_argument("-m", "--message", default="", help="the commit message (git targets)")
    p.set_defaults(command="publish", run=_run_publish)

    i = commands.add_parser(
        "init",
        parents=[common],
        help="start a new briefing site",
        description="Write a new site into DIR: briefgen.yaml (commented), content/ with one "
        "example article, layouts/ with a README, .gitignore. Builds at once.",
    )
    i.add_argument("dir", nargs="?", default=".", type=Path, help="folder (default: .)")
    i.add_argument(
        "--force", action="store_true", help="add the missing files to a folder with files"
    )
    i.set_defaults(command="init", run=_run_init)

    # What the commands that write articles share.
    authoring = argparse.ArgumentParser(add_help=False)
    authoring.add_argument("--topic", action="append", default=[], help="a topic (repeatable)")
    authoring.add_argument("--source", default="", help="the publication, if the file does not say")
    authoring.add_argument(
        "--site", type=Path, help="site root (default: the nearest briefgen.yaml's folder, else .)"
    )

    n = commands.add_parser(
        "new",
        parents=[common, authoring],
        help="write a new article file",
        description="Write content/YYYY/MM/<slug>.md with its front matter filled in (the "
        "date: now, in the config's time zone) and print its path. Never overwrites.",
    )
    n.add_argument("title")
    n.add_argument("--url", default="", help="the original article's address")
    n.add_argument("--date", help="2024-10-28 or 2024-10-28 09:15 (default: now)")
    n.set_defaults(command="new", run=_run_new)

    m = commands.add_parser(
        "import",
        parents=[common, authoring],
        help="turn scraped text and saved web pages into articles",
        description="Read scraped text (.txt) and saved web pages (.html): each story becomes "
        "content/YYYY/MM/<slug>.md with title, date, source, author and address found in it. "
        "A story already in the site (same address or same text) is skipped.",
    )
    m.add_argument("files", nargs="+", type=Path, metavar="FILE")
    m.add_argument("--into", type=Path, help="the folder to write into (default: content/)")
    m.add_argument("--dry-run", action="store_true", help="write nothing; say what would be")
    m.add_argument("--update", action="store_true", help="rewrite stories already imported")
    m.set_defaults(command="import", run=_run_import)

    c = commands.add_parser(
        "clean",
        parents=[common],
        help="empty the build cache",
        description="Remove PATH/.briefgen-cache (analyses, compiled templates, story ids) "
        "and the spare copy of PATH/site kept beside it for fast updates.",
    )
    c.add_argument("path", nargs="?", default=".", type=Path, help="site root (default: .)")
    c.set_defaults(command="clean", run=_run_clean)

    a = commands.add_parser(
        "analyze",
        parents=[common],
        help="print key points, quotes and topics of articles",
        description="Analyse article files (or every article in folders).",
    )
    a.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    a.add_argument("--json", action="store_true", help="one JSON object per article and line")
    a.add_argument("--key-points", type=int, metavar="N", help="how many key points")
    a.set_defaults(command="analyze", run=_run_analyze)
    return parser


def _run_build(args: argparse.Namespace) -> int:
    if args.jobs is not None and args.jobs < 1:
        print("briefgen build: --jobs must be 1 or more", file=sys.stderr)
        return 2
    options = BuildOptions(
        output=args.output,
        config_file=args.config,
        drafts=args.drafts,
        future=args.future,
        strict=args.strict,
        rebuild=args.rebuild,
        jobs=args.jobs,
        search=not args.no_search,
    )
    result = build(args.path, options)
    for diagnostic in result.diagnostics:
        if diagnostic.level is Level.ERROR or not args.quiet:
            print(diagnostic, file=sys.stderr)
    total = sum(result.timings.values())
    if not args.quiet and result.skipped:
        print(
            f"briefgen: nothing changed; {_shown(result.output_dir)} is up to date "
            f"({result.pages} pages, {total:.2f} s)",
            file=sys.stderr,
        )
    elif not args.quiet:
        failed = f" ({result.articles_failed} failed)" if result.articles_failed else ""
        held = f", {result.articles_held_back} held back" if result.articles_held_back else ""
        print(
            f"briefgen: {result.articles_read} articles read{failed}{held}, "
            f"{result.articles_analysed} analysed, {result.pages} pages"
            f"{f' ({result.pages_rendered} rendered)' if result.wrote_output else ''}",
            file=sys.stderr,
        )
        if result.wrote_output:
            print(
                f"briefgen: {result.files_written} files written, {result.files_unchanged} "
                f"unchanged, {result.files_removed} removed in {total:.2f} s "
                f"-> {_shown(result.output_dir)}",
                file=sys.stderr,
            )
        else:
            print(
                f"briefgen: nothing written; {_shown(result.output_dir)} is as it was",
                file=sys.stderr,
            )
    if args.verbose:
        phases = ", ".join(f"{name} {secs * 1000:.0f} ms" for name, secs in result.timings.items())
        print(f"briefgen: {phases}", file=sys.stderr)
        if result.collection_kept:
            print(
                "briefgen: topics, stories and editions as the last build made them "
                "(no article moved)",
                file=sys.stderr,
            )
    return 1 if result.failed(args.strict) else 0


def _run_check(args: argparse.Namespace) -> int:
    from briefgen.checking.run import CheckOptions, check_site  # (only `check` needs it)

    options = CheckOptions(
        output=args.output,
        config_file=args.config,
        drafts=args.drafts,
        future=args.future,
    )
    report = check_site(args.path, options)
    if args.format == "json":
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        for finding in report.findings:
            print(finding)
        if not args.quiet:
            pages = f" and {report.pages} pages of {report.site}" if report.site else ""
            print(
                f"briefgen: {report.articles} articles{pages} checked: "
                f"{report.errors} errors, {report.warnings} warnings"
            )
    return 1 if report.failed(args.strict) else 0


def _run_serve(args: argparse.Namespace) -> int:
    # Imported here: the HTTP server and the file watcher are of no use to other commands.
    from briefgen.preview.session import ServeOptions, preview_binds_everywhere, start_preview

    if not 0 <= args.port <= 65535:
        print("briefgen serve: --port must be from 0 to 65535", file=sys.stderr)
        return 2
    options = ServeOptions(
        host=args.host,
        port=args.port,
        drafts=args.drafts,
        config_file=args.config,
        allow_hosts=tuple(args.allow_host),
        search=not args.no_search,
    )

    def report(result: BuildResult) -> None:
        for diagnostic in result.diagnostics:
            if diagnostic.level is Level.ERROR or args.verbose:
                print(diagnostic, file=sys.stderr)
        if not args.quiet:
            total = sum(result.timings.values())
            state = "failed" if result.failed() else f"{len(result.changed_files)} files changed"
            print(f"briefgen: built in {total:.2f} s, {state}", file=sys.stderr)

    try:
        preview = start_preview(
            args.path, options, report, lambda problem: print(problem, file=sys.stderr)
        )
    except OSError as exc:
        busy = exc.errno == errno.EADDRINUSE
        reason = "is in use" if busy else f"cannot be used: {exc.strerror or exc}"
        print(
            f"briefgen serve: {args.host}:{args.port} {reason} "
            "(choose another with --port, or --port 0 for any free port)",
            file=sys.stderr,
        )
        return 1
    if preview_binds_everywhere(args.host):
        print(
            f"briefgen serve: warning: listening on all interfaces ({args.host}): "
            "anyone on your network can read the preview, drafts included",
            file=sys.stderr,
        )
    print(f"briefgen: serving {preview.url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    if args.open:
        import webbrowser

        webbrowser.open(preview.url)
    try:
        while True:
            time.sleep(0.2)
    except KeyboardInterrupt:
        print("briefgen: stopping", file=sys.stderr)
    finally:
        preview.stop()
    return 0


def _run_publish(args: argparse.Namespace) -> int:
    from briefgen.publish.plan import PublishRefused
    from briefgen.publish.run import PublishOptions, publish

    if args.target is None and not args.path.is_dir():  # "briefgen publish pages"
        args.target, args.path = str(args.path), Path()
    options = PublishOptions(
        target=args.target,
        config_file=args.config,
        build=not args.no_build,
        dry_run=args.dry_run,
        delete=args.delete,
        force=args.force,
        message=args.message,
    )
    try:
        done = publish(args.path, options)
    except PublishRefused as exc:
        return _refused("publish", exc)
    except OSError as exc:  # a full disk, a folder not writable: stopped midway, site whole
        print(
            f"briefgen publish: error: {exc.strerror or exc}: {exc.filename or ''} (what landed "
            "is whole; fix the cause and publish again to complete it)",
            file=sys.stderr,
        )
        return 1
    if done.build is not None:
        for diagnostic in done.build.diagnostics:
            if diagnostic.level is Level.ERROR or not args.quiet:
                print(diagnostic, file=sys.stderr)
    report = done.report
    if args.dry_run or args.verbose:
        verb = "would " if args.dry_run else ""
        for path in report.uploads:
            print(f"{verb}upload  {path}")
        for path in report.deletions:
            print(f"{verb}delete  {path}")
    if not args.quiet:
        how = "dry run, nothing changed: " if args.dry_run else ""
        detail = f"; {report.detail}" if report.detail and not args.dry_run else ""
        print(
            f"briefgen: {how}{done.target}: {len(report.uploads)} files uploaded "
            f"({report.bytes_up:,} bytes), {report.unchanged} unchanged, "
            f"{len(report.deletions)} deleted, {report.foreign} not briefgen's left as they "
            f"are{detail} in {done.seconds:.2f} s",
            file=sys.stderr,
        )
    return 0


def _run_init(args: argparse.Namespace) -> int:
    from briefgen.authoring.new_article import AuthoringError
    from briefgen.authoring.new_site import new_site

    try:
        written = new_site(args.dir, build_clock(), force=args.force)
    except AuthoringError as exc:
        return _refused("init", exc)
    if not args.quiet:
        for path in written:
            print(f"  {_shown(path)}", file=sys.stderr)
        where = _shown(args.dir.absolute())
        print(
            f"briefgen: a new briefing in {where}. Next: "
            f"{'' if where == '.' else f'cd {where} && '}briefgen serve",
            file=sys.stderr,
        )
    return 0


def _run_new(args: argparse.Namespace) -> int:
    from briefgen.authoring.new_article import AuthoringError, new_article

    config, problems = load_config(_site_root(args.site))
    for diagnostic in problems:
        print(diagnostic, file=sys.stderr)
    try:
        path = new_article(
            config,
            args.title,
            build_clock(),
            topics=tuple(args.topic),
            source=args.source,
            url=args.url,
            date=args.date,
        )
    except AuthoringError as exc:
        return _refused("new", exc)
    print(_shown(path))
    return 0


def _site_root(given: Path | None) -> Path:
    from briefgen.config import find_config

    if given is not None:
        return given
    found = find_config(Path.cwd())
    return found.parent if found else Path.cwd()


def _run_import(args: argparse.Namespace) -> int:
    from briefgen.authoring.importing import import_one, known_articles

    config, problems = load_config(_site_root(args.site))
    for diagnostic in problems:
        print(diagnostic, file=sys.stderr)
    known = known_articles(config.content_dir)
    now = build_clock()
    failed = 0
    verb = "would write" if args.dry_run else "wrote"
    for path in args.files:
        done = import_one(
            path,
            config,
            known,
            now,
            into=args.into,
            topics=tuple(args.topic),
            source=args.source,
            dry_run=args.dry_run,
            update=args.update,
        )
        if done.problem:
            failed += 1
            print(f"{path}: error: {done.problem}", file=sys.stderr)
        elif done.duplicate_of is not None:
            print(
                f"{path}: already imported as {_shown(done.duplicate_of)}; skipped "
                "(--update rewrites it)",
                file=sys.stderr,
            )
        elif done.written is not None:
            print(
                f"{path}: {'would update' if args.dry_run and done.updated else verb} "
                f"{_shown(done.written)}",
                file=sys.stderr,
            )
    return 1 if failed else 0


def _refused(command: str, exc: Refused) -> int:
    print(f"briefgen {command}: error: {exc}", file=sys.stderr)
    return 1


def _run_clean(args: argparse.Namespace) -> int:
    removed = clear_cache(args.path)
    remove_spare(args.path / "site")
    if not args.quiet:
        folder = _shown(args.path / CACHE_DIR)
        print(f"briefgen: {'removed' if removed else 'no cache at'} {folder}", file=sys.stderr)
    return 0


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _run_analyze(args: argparse.Namespace) -> int:
    from briefgen.analyze import analyze_paths  # (the analysis: a build with work imports it)

    if args.key_points is not None and not 1 <= args.key_points <= 10:
        print("briefgen analyze: --key-points must be from 1 to 10", file=sys.stderr)
        return 2
    results, problems = analyze_paths(args.paths, key_points=args.key_points)
    for diagnostic in problems:
        if diagnostic.level is Level.ERROR or not args.quiet:
            print(diagnostic, file=sys.stderr)
    for entry in results:
        if args.json:
            print(json.dumps(entry.as_json(), ensure_ascii=False))
        else:
            print(_as_text(entry))
    return 1 if any(entry.error for entry in results) else 0


def _as_text(entry: AnalyzedArticle) -> str:
    if entry.error:
        return f"{entry.path}\n  error: {entry.error}\n"
    lines = [f"{entry.title}", f"  ({entry.path})", "  Key points:"]
    lines += [f"  - {point}" for point in entry.key_points]
    lines.append("  Quotes:" if entry.quotes else "  Quotes: none")
    lines += [f'  - "{q.text}" — {q.speaker or "(unattributed)"}' for q in entry.quotes]
    lines.append(f"  Topics: {', '.join(entry.topics) or 'none'}")
    return "\n".join(lines) + "\n"
