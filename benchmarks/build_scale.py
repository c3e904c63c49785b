"""Build times and memory of briefgen, Pelican and Hugo on the same generated site.

Usage: python benchmarks/build_scale.py [--sizes 1000 10000] [--runs 3] [--work DIR]
                                        [--tools briefgen,pelican,hugo] [--scenarios ...]

For each size, benchmarks/make_corpus.py writes the site three times (into a temporary folder
or --work), then each tool, run after run, goes through four scenarios:
  cold      output and caches moved out of the way (briefgen site/ and .briefgen-cache/, Pelican
            output/ and cache/ with --ignore-cache, Hugo public/ and resources/), into a trash
            folder deleted when the benchmark ends: on ext4 without a journal (this machine's
            disk), making a file or folder in the minutes after thousands were deleted costs
            several times more system time (the kernel skips each recently freed inode, one by
            one), so deleting an output just before timing its rebuild would charge each tool
            for what it deleted, not for what it builds
  nochange  the same build again (Pelican loads its content cache)
  article   one sentence appended to one article (the same article for every tool)
  article2  the same, to another article, in the build after that: briefgen's first build
            after a cold one may wait for the spare copy of the output (which it updates from
            then on) that the cold build left to a process of its own
  template  the footer of the base template changed (briefgen: layouts/base.html, which extends
            theme/base.html; Pelican: theme/templates/base.html in its copied default theme;
            Hugo: layouts/_default/baseof.html): every page renders again, from warm caches
  search    briefgen only: the same build with its search index on (every scenario above runs
            with --no-search, as the targets say): no page changes, so this is what making
            the Pagefind index of every article page costs
Printed: the median seconds of the runs and their median CPU seconds (user and system, with
the children each tool waited for: steadier than wall time on a shared machine), the largest
process's max RSS (from the kernel, over
all runs), the sampled peak of the summed RSS of the tool's whole process tree (differs when a
tool forks workers), the output file count after the cold build; then briefgen's ratios to
Pelican and Hugo. Pelican needs `pip install '.[bench]'` (which also installs briefgen compiled,
as users run it: the first line printed says which briefgen is timed) and Hugo Debian's `hugo`
package.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from make_corpus import DEFAULT_CORPUS, make_corpus

SCENARIOS = ("cold", "nochange", "article", "article2", "template", "search")
SAMPLE_SECONDS = 0.05


@dataclass(frozen=True)
class Run:
    seconds: float
    max_rss_mib: float
    tree_rss_mib: float
    exit_code: int
    # User and system CPU of the process and the children it waited for: the work done,
    # steadier than wall time on a shared machine (Hugo's threads make it more than wall).
    cpu_seconds: float = 0.0


@dataclass(frozen=True)
class Tool:
    name: str
    site: Path
    output: Path
    caches: tuple[Path, ...]
    command: Callable[[bool], list[str]]  # cold -> argv
    content: Path
    template: Path
    footer_marker: str
    search_command: list[str] | None = None  # briefgen with its search index on


@dataclass
class Results:
    runs: dict[tuple[str, str], list[Run]] = field(default_factory=dict)
    output_files: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def process_tree_rss_kib(root: int) -> int:
    """Summed VmRSS of a process and its descendants, read from /proc (Linux only)."""
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            match = re.search(r"^VmRSS:\s+(\d+)", status, re.MULTILINE)
            total += int(match.group(1)) if match else 0
            for task in Path(f"/proc/{pid}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def measure(argv: list[str], cwd: Path, log: Path) -> Run:
    """Wall time, CPU time, the kernel's max RSS of the largest process, and the sampled tree
    sum."""
    peak = 0
    done = threading.Event()
    with log.open("wb") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT)

        def sample() -> None:
            nonlocal peak
            while not done.wait(SAMPLE_SECONDS):
                peak = max(peak, process_tree_rss_kib(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    max_rss = usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, max_rss, max(peak / 1024, max_rss), proc.returncode, cpu)


def count_files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


def set_aside(path: Path, trash: Path) -> None:
    """Move ``path`` (if there) into a new folder under ``trash``, on the same file system."""
    if path.exists() or path.is_symlink():
        trash.mkdir(parents=True, exist_ok=True)
        path.rename(Path(tempfile.mkdtemp(dir=trash)) / path.name)


def change_article(path: Path, run: int) -> None:
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(f"{text} Officials gave further details in update {run}.\n", "utf-8")


def change_template(tool: Tool, run: int) -> None:
    text = tool.template.read_text(encoding="utf-8")
    pattern = f"({re.escape(tool.footer_marker)})( \\(revision \\d+\\))?"
    changed, count = re.subn(pattern, f"\\1 (revision {run})", text, count=1)
    if not count:
        raise SystemExit(f"{tool.template}: footer text {tool.footer_marker!r} not found")
    tool.template.write_text(changed, encoding="utf-8")


def briefgen_argv(extra: list[str]) -> list[str]:
    exe = Path(sys.executable).with_name("briefgen")
    return [str(exe) if exe.exists() else "briefgen", "build", "-q", *extra]


def make_tools(out: Path, names: list[str], briefgen_extra: list[str]) -> list[Tool]:
    tools = []
    if "briefgen" in names:
        site = out / "briefgen"
        tools.append(
            Tool(
                "briefgen",
                site,
                site / "site",
                (site / ".briefgen-cache", site / ".site.spare", site / ".site.lock"),
                lambda cold: [*briefgen_argv(briefgen_extra), "--no-search"],
                site / "content",
                site / "layouts/base.html",
                "A generated briefing for benchmarks",
                briefgen_argv(briefgen_extra),
            )
        )
    if "pelican" in names:
        site = out / "pelican"
        pelican = [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py"]
        pelican += ["-o", "output", "-q"]
        tools.append(
            Tool(
                "pelican",
                site,
                site / "output",
                (site / "cache", site / "__pycache__"),
                lambda cold: [*pelican, "--ignore-cache"] if cold else pelican,
                site / "content",
                site / "theme/templates/base.html",
                "Proudly powered by",
            )
        )
    if "hugo" in names:
        site = out / "hugo"
        tools.append(
            Tool(
                "hugo",
                site,
                site / "public",
                (site / "resources", site / ".hugo_build.lock"),
                lambda cold: ["hugo", "--quiet", "-d", "public"],
                site / "content/articles",
                site / "layouts/_default/baseof.html",
                "A generated briefing for benchmarks",
            )
        )
    return tools


def available(names: list[str]) -> list[str]:
    """The tools that can run here; say how to install the others."""
    usable = []
    for name in names:
        if (
            name == "pelican"
            and subprocess.run(
                [sys.executable, "-c", "import pelican, markdown"], capture_output=True
            ).returncode
        ):
            print("pelican skipped: install it with .venv/bin/pip install -e '.[bench]'")
        elif name == "hugo" and shutil.which("hugo") is None:
            print("hugo skipped: install Debian's package with apt-get install -y hugo")
        else:
            usable.append(name)
    if "briefgen" in usable:
        # "(compiled)": the wheel pip builds (`pip install .`), as users run it; "(pure
        # Python)": an editable install, the source as written (slower).
        version = [briefgen_argv([])[0], "--version"]
        print(subprocess.run(version, capture_output=True, text=True).stdout.strip())
    if "hugo" in usable:
        print(subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip())
    if "pelican" in usable:
        version = [sys.executable, "-m", "pelican", "--version"]
        print("pelican", subprocess.run(version, capture_output=True, text=True).stdout.strip())
    return usable


def bench_size(
    n: int, out: Path, trash: Path, args: argparse.Namespace, names: list[str]
) -> Results:
    start = time.perf_counter()
    make_corpus(n, out, args.corpus, args.seed)
    print(f"\n{n} articles generated in {out} ({time.perf_counter() - start:.1f} s)")
    tools = make_tools(out, names, args.briefgen_arg)
    slugs = sorted(p.stem for p in (out / "hugo/content/articles").glob("*.md"))
    changed_slug, other_slug = slugs[len(slugs) // 2], slugs[len(slugs) // 3]
    results = Results()
    for run in range(1, args.runs + 1):
        for tool in tools:
            article = next(tool.content.rglob(f"{changed_slug}.md"))
            other = next(tool.content.rglob(f"{other_slug}.md"))
            for scenario in args.scenarios:
                command = tool.command(scenario == "cold")
                if scenario == "search":
                    if tool.search_command is None:
                        continue
                    command = tool.search_command
                if scenario == "cold":
                    for path in (tool.output, *tool.caches):
                        set_aside(path, trash)
                elif scenario == "article":
                    change_article(article, run)
                elif scenario == "article2":
                    change_article(other, run)
                elif scenario == "template":
                    change_template(tool, run)
                log = out / f"{tool.name}-{scenario}-{run}.log"
                result = measure(command, tool.site, log)
                results.runs.setdefault((tool.name, scenario), []).append(result)
                if result.exit_code:
                    tail = log.read_text(errors="replace")[-600:]
                    results.failures.append(
                        f"{tool.name} {scenario} run {run}: exit {result.exit_code}\n{tail}"
                    )
                if scenario == "cold":
                    results.output_files[tool.name] = count_files(tool.output)
                print(
                    f"  run {run} {tool.name:8} {scenario:8} {result.seconds:7.2f} s "
                    f"{result.cpu_seconds:7.2f} cpu s {result.max_rss_mib:6.0f} MiB",
                    flush=True,
                )
    return results


def median_seconds(results: Results, tool: str, scenario: str) -> float | None:
    runs = results.runs.get((tool, scenario))
    return statistics.median(r.seconds for r in runs) if runs else None


def print_table(n: int, results: Results, names: list[str], scenarios: list[str]) -> None:
    header = "".join(f"{s + ' s':>11}" for s in scenarios)
    print(f"\nN = {n}: median of runs")
    print(f"{'tool':10}{header}{'max RSS':>10}{'tree RSS':>10}{'files':>8}")
    for tool in names:
        runs = [r for (t, _), rs in results.runs.items() if t == tool for r in rs]
        if not runs:
            continue
        cells = ""
        for scenario in scenarios:
            seconds = median_seconds(results, tool, scenario)
            cells += f"{seconds:11.2f}" if seconds is not None else f"{'-':>11}"
        # The targets are for builds without search: its indexer (its own process) apart.
        builds = [
            r for (t, s), rs in results.runs.items() if t == tool and s != "search" for r in rs
        ]
        max_rss = max(r.max_rss_mib for r in builds)
        tree_rss = max(r.tree_rss_mib for r in builds)
        files = results.output_files.get(tool, 0)
        print(f"{tool:10}{cells}{max_rss:10.0f}{tree_rss:10.0f}{files:8d}")
    print("CPU seconds (user + system, with the waited-for children), median of runs:")
    for tool in names:
        cpu = [
            f"{s} {statistics.median(r.cpu_seconds for r in runs):.2f}"
            for s in scenarios
            if (runs := results.runs.get((tool, s)))
        ]
        if cpu:
            print(f"  {tool}: {', '.join(cpu)}")
    searches = results.runs.get(("briefgen", "search"), [])
    if searches:
        print(
            "briefgen search (Pagefind) max RSS "
            f"{max(r.max_rss_mib for r in searches):.0f} MiB (not in the columns above)"
        )
    print_ratios(results, scenarios)
    for failure in results.failures:
        print(f"FAILED {failure}")


def print_ratios(results: Results, scenarios: list[str]) -> None:
    def ratio(ours: str, tool: str, theirs: str) -> str:
        a = median_seconds(results, "briefgen", ours)
        b = median_seconds(results, tool, theirs)
        return f"{a / b:.2f}x" if a is not None and b else "-"

    for tool in ("pelican", "hugo"):
        same = ", ".join(f"{s} {ratio(s, tool, s)}" for s in scenarios)
        print(f"briefgen/{tool}: {same}")
    if "template" in scenarios and "cold" in scenarios:
        print(
            "briefgen warm full re-render (template changed) / hugo cold: "
            f"{ratio('template', 'hugo', 'cold')}; "
            f"briefgen one article changed / hugo cold: {ratio('article', 'hugo', 'cold')}"
        )
    print_cold_floor(results)


def print_cold_floor(results: Results) -> None:
    """What briefgen's cold build would take with its CPU work spread perfectly over every
    core and nothing left serial: no schedule does better without doing less work, so this
    says how much of a gap to the targets is the work itself rather than waiting."""
    runs = results.runs.get(("briefgen", "cold"))
    if not runs:
        return
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cpu = statistics.median(r.cpu_seconds for r in runs)
    floor = cpu / (cores or 1)
    against = [
        f"{floor / seconds:.2f}x {tool}"
        for tool in ("pelican", "hugo")
        if (seconds := median_seconds(results, tool, "cold"))
    ]
    print(
        f"briefgen cold: {cpu:.2f} CPU s over {cores} cores, at best {floor:.2f} s with no "
        f"serial part{' (' + ', '.join(against) + ')' if against else ''}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, help="folder for the generated sites (kept)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--seed", type=int, default=20241028)
    parser.add_argument("--tools", default="briefgen,pelican,hugo")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument(
        "--briefgen-arg",
        action="append",
        default=[],
        help="extra argument for briefgen build, e.g. --briefgen-arg=--jobs=2 (repeatable)",
    )
    args = parser.parse_args()
    args.scenarios = [s for s in args.scenarios.split(",") if s]
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios {sorted(unknown)}; choose from {', '.join(SCENARIOS)}")
    names = available([t for t in args.tools.split(",") if t])
    print(f"{os.cpu_count()} CPUs; {args.runs} run(s) per size; briefgen args: {args.briefgen_arg}")
    with tempfile.TemporaryDirectory(prefix="briefgen-scale-") as temp:
        trash = (args.work or Path(temp)) / "set-aside"
        try:
            for n in args.sizes:
                out = (args.work or Path(temp)) / f"n{n}"
                results = bench_size(n, out, trash, args, names)
                print_table(n, results, names, args.scenarios)
        finally:
            shutil.rmtree(trash, ignore_errors=True)


if __name__ == "__main__":
    main()
