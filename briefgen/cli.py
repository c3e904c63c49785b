"""Command line: parse arguments, call one command function, print what it returns."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from briefgen import __version__
from briefgen.analyze import AnalyzedArticle, analyze_paths
from briefgen.build import BuildOptions, build
from briefgen.cache import CACHE_DIR, clear_cache
from briefgen.errors import BriefgenError, Level
from briefgen.output import remove_spare


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        code: int = args.run(args)
    except BriefgenError as exc:
        print(f"briefgen: {exc.diagnostic}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("briefgen: interrupted", file=sys.stderr)
        return 130
    return code


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
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    parser.set_defaults(command=None)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    b = commands.add_parser(
        "build",
        parents=[common],
        help="build the site from content/",
        description="Build PATH/content into a static site.",
    )
    b.add_argument("path", nargs="?", default=".", type=Path, help="site root (default: .)")
    b.add_argument("-o", "--output", type=Path, help="output folder (default: PATH/site)")
    b.add_argument("--config", type=Path, help="config file (default: PATH/briefgen.yaml)")
    b.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    b.add_argument("--future", action="store_true", help="include articles dated in the future")
    b.add_argument("--strict", action="store_true", help="fail on warnings too")
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
    return 1 if result.failed(args.strict) else 0


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
