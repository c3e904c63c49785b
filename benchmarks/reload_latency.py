"""How long a save takes to show in an open browser tab under ``briefgen serve``.

Usage: .venv/bin/python benchmarks/reload_latency.py [--articles 1000] [--edits 20]
                                                     [--work DIR] [--chromium PATH]

benchmarks/make_corpus.py writes a generated site of --articles articles (into a temporary
folder, or --work), ``briefgen serve --port 0`` previews it, and Chromium (through Playwright)
opens one article's page. Then, --edits times, one unique sentence is appended to that
article's Markdown file, and two times are taken:
  reload   from just before the write until the sentence is in the open page's text (the
           watcher's quiet time, the rebuild, the build event, the page's update: its new body
           swapped in, or a reload), measured in this process;
  rebuild  the build alone, as serve reports it on stderr ("briefgen: built in X s").
Printed: p50 and p95 of both in milliseconds, against the targets (reload p50 under 300 ms,
p95 under 600 ms), and the number of edits. Needs Playwright (`pip install -e '.[test]'`) and
Debian's Chromium.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from make_corpus import DEFAULT_CORPUS, make_corpus
from playwright.sync_api import sync_playwright
from serve_load import interruptible

REPO = Path(__file__).resolve().parent.parent
TARGET_P50_MS = 300.0
TARGET_P95_MS = 600.0
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BUILT = re.compile(r"briefgen: built in ([0-9.]+) s")


class Server:
    """``briefgen serve --port 0`` on ``root``, with its stderr lines as they come."""

    def __init__(self, root: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        command = [sys.executable, "-m", "briefgen", "serve", str(root), "--port", "0"]
        self.process = subprocess.Popen(
            command, stderr=subprocess.PIPE, text=True, env=env, preexec_fn=interruptible
        )
        self.lines: list[str] = []
        self.heard = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for(re.compile(r"briefgen: serving (http://\S+)"), 0, 600).group(1)

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self.heard:
                self.lines.append(line.rstrip("\n"))
                self.heard.notify_all()
        with self.heard:
            self.heard.notify_all()

    def wait_for(self, pattern: re.Pattern[str], start: int, timeout: float) -> re.Match[str]:
        """The first stderr line from index ``start`` on that matches ``pattern``."""

        def found() -> re.Match[str] | None:
            return next(filter(None, map(pattern.search, self.lines[start:])), None)

        with self.heard:
            self.heard.wait_for(lambda: found() or self.process.poll() is not None, timeout)
            if match := found():
                return match
        sys.exit(f"serve said no {pattern.pattern!r} in {timeout} s:\n" + "\n".join(self.lines))

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return -9


def percentile(values: list[float], share: float) -> float:
    """Linear interpolation between the closest ranks (as numpy's default)."""
    ordered = sorted(values)
    at = share * (len(ordered) - 1)
    low = int(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def measure(root: Path, edits: int, chromium: str) -> tuple[list[float], list[float], int]:
    """Reload and rebuild seconds of each edit to one article of the site at ``root``, and
    how many times the page loaded meanwhile (once an edit when all is well)."""
    articles = sorted((root / "content").rglob("*.md"))
    source = articles[len(articles) // 2]
    server = Server(root)
    reloads: list[float] = []
    rebuilds: list[float] = []
    loads: list[float] = []
    try:
        output = root / ".briefgen-cache/serve/site"
        built = next(output.glob(f"articles/**/{source.stem}/index.html"))
        url = server.url + built.parent.relative_to(output).as_posix() + "/"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("load", lambda _: loads.append(time.perf_counter()))
            page.goto(url)
            page.wait_for_timeout(1000)  # the reload channel opens
            loads.clear()
            token = f"{time.time_ns():x}"
            for number in range(edits):
                sentence = f"Benchmark sentence {number} of run {token} was added."
                start_line = len(server.lines)
                began = time.perf_counter()
                with source.open("a", encoding="utf-8") as file:
                    file.write(f"\n{sentence}\n")
                page.wait_for_function(
                    "s => document.body !== null && document.body.innerText.includes(s)",
                    arg=sentence,
                    timeout=30_000,
                )
                reloads.append(time.perf_counter() - began)
                rebuilds.append(float(server.wait_for(BUILT, start_line, 30).group(1)))
                page.wait_for_timeout(300)  # let the page settle before the next save
            browser.close()
    finally:
        code = server.stop()
        if code != 0:
            print(f"warning: serve exited with {code}", file=sys.stderr)
    return reloads, rebuilds, len(loads)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--work", type=Path, help="folder for the generated site (kept)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--seed", type=int, default=20241028)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    if args.edits < 1:
        parser.error("--edits must be at least 1")
    with tempfile.TemporaryDirectory(prefix="briefgen-reload-") as temporary:
        work = args.work or Path(temporary)
        make_corpus(args.articles, work, args.corpus, args.seed)
        reloads, rebuilds, loads = measure(work / "briefgen", args.edits, args.chromium)
    print(f"{args.articles} articles, {len(reloads)} edits to one article, {loads} page loads")
    print(f"{'':10} {'p50 ms':>8} {'p95 ms':>8}")
    for name, seconds in (("reload", reloads), ("rebuild", rebuilds)):
        p50, p95 = (percentile(seconds, share) * 1000 for share in (0.5, 0.95))
        print(f"{name:10} {p50:8.0f} {p95:8.0f}")
    p50, p95 = (percentile(reloads, share) * 1000 for share in (0.5, 0.95))
    verdict = "met" if p50 < TARGET_P50_MS and p95 < TARGET_P95_MS else "NOT met"
    print(
        f"target: reload p50 under {TARGET_P50_MS:.0f} ms, p95 under {TARGET_P95_MS:.0f} ms: "
        f"{verdict}"
    )


if __name__ == "__main__":
    main()
