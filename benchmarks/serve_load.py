"""The preview server under load: many clients on loopback for a while, with file edits.

Usage: .venv/bin/python benchmarks/serve_load.py [--articles 500] [--clients 50] [--seconds 20]
                                                 [--streams 5] [--site DIR] [--no-search]

benchmarks/make_corpus.py writes a generated site of --articles articles into a temporary
folder (or --site copies a site there: its files are edited), and ``briefgen serve --port 0``
previews it. Then --clients threads fetch pages for --seconds, each over one kept-alive
connection or, for every third client, a new connection per request: the front page,
editions, topics, stories, articles, stylesheets and scripts, feeds, a folder without its
slash (301), pages that do not exist (404), the live-reload script, and the reload channel
(opened, its first event read, closed: what a page load does). --streams more clients keep
the reload channel open throughout and count the build events. Meanwhile one article file is
saved every 0.5-1 s (in place, or written beside and renamed over it, as editors do); once
its front matter is broken, and the next save mends it.

Printed: requests, requests per second, latency p50/p95/p99/max, errors by kind (connection
errors, 5xx, unexpected statuses, short bodies), the server's memory at start (after its
first build), at most and at the end (VmRSS; and with its forked build workers and Pagefind,
by Pss, since a forked worker's VmRSS counts the pages it shares with the server again), its
threads and open files, the rebuilds it reported and the build events the open channels
heard, and whether, once the load is over, it still answers, shows the last save and stops on
Ctrl-C. The exit code is 1 if any of that went wrong. Linux only (it reads /proc).

The clients share this process's interpreter with the server's two cores: the figures say
what the server does under this load on this machine, not the most it can do.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SERVING = re.compile(r"briefgen: serving (http://\S+)")
BUILT = re.compile(r"briefgen: built in ([0-9.]+) s")
PREVIEW_SITE = Path(".briefgen-cache/serve/site")  # briefgen.preview.session.preview_output
TIMEOUT = 30.0  # a request that takes longer is an error
MIB = 1024 * 1024


@dataclass(frozen=True)
class Target:
    path: str
    kind: str  # what is asked for: "article", "asset", "missing"...
    status: int  # the status it must get


@dataclass
class Figures:
    """What the clients saw; shared by their threads (each adds under ``lock``)."""

    latencies: list[float] = field(default_factory=list)
    by_kind: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)  # an error kind -> its first case
    # Build events each open channel heard, past the state it is told as it connects.
    build_events: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answered(self, target: Target, status: int, seconds: float, problem: str = "") -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.by_kind[target.kind] += 1
            self.statuses[status] += 1
            if problem:
                self.failed(problem, f"{target.path}: {status}")

    def failed(self, kind: str, example: str) -> None:
        with self.lock:
            self.errors[kind] += 1
            self.examples.setdefault(kind, example)


def interruptible() -> None:
    """In the serve process before it starts: Ctrl-C (SIGINT) stops it as in a terminal,
    whatever this process inherited (a shell's background job, a CI runner's, ignores
    SIGINT, and serve would then never hear ``stop``)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Server:
    """``briefgen serve --port 0`` on ``root`` in a process of its own; its stderr is read
    as it comes (a full pipe would stop the server)."""

    def __init__(self, root: Path, search: bool = True) -> None:
        command = [sys.executable, "-m", "briefgen", "serve", str(root), "--port", "0"]
        command += [] if search else ["--no-search"]
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        self.process = subprocess.Popen(
            command, stderr=subprocess.PIPE, text=True, env=env, preexec_fn=interruptible
        )
        self.lines: list[str] = []
        self.builds = 0  # reported on stderr, the first one included
        self.heard = threading.Condition()
        threading.Thread(target=self._read, name="serve-stderr", daemon=True).start()
        with self.heard:
            self.heard.wait_for(self._url_said, timeout=600)
            said = [found for line in self.lines if (found := SERVING.search(line))]
        if not said:
            self.stop()
            raise RuntimeError("serve did not start:\n" + "".join(self.lines[-20:]))
        self.url = said[0].group(1)
        host, port = self.url.split("//")[1].rstrip("/").rsplit(":", 1)
        self.host, self.port = host, int(port)
        self.output = root / PREVIEW_SITE

    def _url_said(self) -> bool:
        return any(SERVING.search(line) for line in self.lines) or self.process.poll() is not None

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self.heard:
                self.lines.append(line)
                self.builds += bool(BUILT.search(line))
                self.heard.notify_all()

    def stop(self) -> bool:
        """Ctrl-C, as in a terminal; whether it stopped by itself within 10 s."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=10)
            return True
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return False


def make_site(articles: int, folder: Path) -> Path:
    """A generated site of ``articles`` articles (benchmarks/make_corpus.py) in ``folder``."""
    script = REPO / "benchmarks" / "make_corpus.py"
    subprocess.run(
        [sys.executable, str(script), str(articles), str(folder)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return folder / "briefgen"


def copy_site(source: Path, folder: Path) -> Path:
    """A copy of a site's sources (not its output or cache), to edit freely."""
    target = folder / "site"
    target.mkdir(parents=True)
    for name in ("briefgen.yaml", "content", "layouts", "static"):
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)
        elif (source / name).is_file():
            shutil.copy2(source / name, target / name)
    return target


def site_targets(output: Path, most: int = 300) -> list[Target]:
    """What the clients ask for, from the built preview: its pages by kind (up to ``most``
    of each), its assets and feeds, and requests that must get a 301 or a 404."""

    def pages(pattern: str, kind: str) -> list[Target]:
        found = sorted(output.glob(pattern))[:most]
        return [Target(f"/{p.parent.relative_to(output).as_posix()}/", kind, 200) for p in found]

    targets = [Target("/", "front", 200), Target("/__briefgen/live.js", "script", 200)]
    targets += pages("editions/*/index.html", "edition")
    targets += pages("topics/**/index.html", "topic")
    targets += pages("stories/*/index.html", "story")
    targets += pages("articles/**/index.html", "article")
    for path in sorted(output.glob("assets/**/*")):
        if path.is_file():
            targets.append(Target(f"/{path.relative_to(output).as_posix()}", "asset", 200))
    for name in ("feed.xml", "sitemap.xml", "robots.txt", "404.html"):
        if (output / name).is_file():
            targets.append(Target(f"/{name}", "feed", 200))
    if (output / "archive").is_dir():
        targets.append(Target("/archive", "redirect", 301))
    targets += [Target(f"/no/such/page-{n}/", "missing", 404) for n in range(20)]
    targets += [Target(f"/articles/gone-{n}.html", "missing", 404) for n in range(20)]
    return targets


# How often each kind is asked for, as in a reader's clicks (and a page's own requests).
WEIGHTS = {
    "article": 35,
    "asset": 15,
    "front": 8,
    "edition": 8,
    "topic": 8,
    "story": 6,
    "feed": 3,
    "missing": 6,
    "redirect": 2,
    "script": 4,
    "events": 5,
}


def choose(rng: random.Random, targets: dict[str, list[Target]]) -> Target:
    kinds = [kind for kind in WEIGHTS if targets.get(kind)]
    kind = rng.choices(kinds, weights=[WEIGHTS[k] for k in kinds])[0]
    return rng.choice(targets[kind])


def fetch(
    connection: http.client.HTTPConnection, target: Target
) -> tuple[int, dict[str, str], bytes]:
    connection.request("GET", target.path, headers={"Accept-Encoding": "identity"})
    response = connection.getresponse()
    if target.kind == "events":  # read the first event, then close, as a page that goes
        body = response.fp.readline() if response.status == 200 else response.read()
        connection.close()
    else:
        body = response.read()  # (http.client raises IncompleteRead on a short body)
    headers = {k.lower(): v for k, v in response.getheaders()}
    if response.will_close:
        connection.close()
    return response.status, headers, body


def problem_with(target: Target, status: int, headers: dict[str, str], body: bytes) -> str:
    """What is wrong with an answer ("" if nothing)."""
    if status >= 500:
        return "5xx"
    if status != target.status:
        return f"unexpected {status}"
    if target.kind == "events":
        return "" if body.startswith(b"event: ") else "bad event stream"
    content_type = headers.get("content-type", "")
    if status == 200 and content_type.startswith("text/html") and b"</html>" not in body.lower():
        return "short body"
    return ""


def client(
    server: Server,
    targets: dict[str, list[Target]],
    figures: Figures,
    until: float,
    seed: int,
    keep_alive: bool,
) -> None:
    """Requests one after another until ``until`` (monotonic)."""
    rng = random.Random(seed)
    connection: http.client.HTTPConnection | None = None
    while time.monotonic() < until:
        target = choose(rng, targets)
        if connection is None or not keep_alive or target.kind == "events":
            if connection is not None:
                connection.close()
            connection = http.client.HTTPConnection(server.host, server.port, timeout=TIMEOUT)
        started = time.perf_counter()
        try:
            status, headers, body = fetch(connection, target)
        except (OSError, http.client.HTTPException) as exc:
            figures.failed("connection error", f"{target.path}: {type(exc).__name__}: {exc}")
            connection.close()
            connection = None
            continue
        seconds = time.perf_counter() - started
        figures.answered(target, status, seconds, problem_with(target, status, headers, body))
        if connection.sock is None:  # closed by either side
            connection = None
    if connection is not None:
        connection.close()


def open_channel(server: Server, figures: Figures, until: float) -> None:
    """A page left open: the reload channel, its build events counted until ``until``."""
    events = 0
    request = f"GET /__briefgen/events HTTP/1.1\r\nHost: {server.host}:{server.port}\r\n\r\n"
    while time.monotonic() < until:
        heard, closed = b"", False
        try:
            with socket.create_connection((server.host, server.port), timeout=TIMEOUT) as sock:
                sock.sendall(request.encode())
                sock.settimeout(0.5)
                while time.monotonic() < until and not closed:
                    try:
                        chunk = sock.recv(65536)
                    except TimeoutError:
                        continue
                    closed = not chunk  # the server closed it: a page connects again
                    heard += chunk
        except OSError as exc:
            figures.failed("connection error", f"/__briefgen/events: {type(exc).__name__}: {exc}")
            continue
        if (heard or closed) and not heard.startswith(b"HTTP/1.1 200 "):
            figures.failed("unexpected status", f"/__briefgen/events: {heard[:40]!r}")
        events += max(0, heard.count(b"\nevent: build\n") - 1)
    with figures.lock:
        figures.build_events.append(events)


class Editor:
    """Saves one article again and again, as an editor does; once with broken front matter,
    mended by the next save. ``last`` is the sentence the last good save added."""

    def __init__(self, article: Path, seed: int) -> None:
        self.article = article
        self.original = article.read_text(encoding="utf-8")
        self.rng = random.Random(seed)
        self.saves = 0
        self.broken_once = False
        self.last = ""

    def run(self, until: float, break_at: float) -> None:
        while time.monotonic() < until:
            time.sleep(self.rng.uniform(0.5, 1.0))
            self.saves += 1
            if not self.broken_once and time.monotonic() >= break_at:
                self.broken_once = True
                # The front matter never closes: an error shown in the pages, the last good
                # page kept.
                self.save(self.original.replace("\n---\n", "\n", 1))
                continue
            self.last = f"Edit number {self.saves} of the load test came in at this point."
            self.save(f"{self.original.rstrip()}\n\n{self.last}\n")

    def save(self, text: str) -> None:
        if self.rng.random() < 0.5:
            self.article.write_text(text, encoding="utf-8")
        else:  # written beside it, then renamed over it (vim, VS Code, JetBrains)
            beside = self.article.with_name(f".{self.article.name}.tmp")
            beside.write_text(text, encoding="utf-8")
            os.replace(beside, self.article)


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Pagefind, while the preview indexes)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending += children.get(current, [])
    return found


def status_field(pid: int, name: str) -> int:
    """A number from /proc/PID/status (VmRSS in kB, Threads), 0 if the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{name}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def proportional_size(pid: int) -> int:
    """A process's proportional set size in bytes (its VmRSS where Pss is not given)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return status_field(pid, "VmRSS") * 1024


@dataclass
class Usage:
    """The server's resources, sampled: memory of it and its children, threads, files."""

    rss: list[int] = field(default_factory=list)  # bytes (VmRSS), the server alone
    # Bytes, the server and its children: forked build workers and Pagefind. By proportional
    # set size (Pss), where the kernel gives it: a forked worker's VmRSS counts again every
    # page it still shares with the server.
    tree: list[int] = field(default_factory=list)
    threads: list[int] = field(default_factory=list)
    files: list[int] = field(default_factory=list)

    def sample(self, pid: int) -> None:
        self.rss.append(status_field(pid, "VmRSS") * 1024)
        self.tree.append(sum(proportional_size(p) for p in process_tree(pid)))
        self.threads.append(status_field(pid, "Threads"))
        try:
            self.files.append(sum(1 for _ in Path(f"/proc/{pid}/fd").iterdir()))
        except OSError:
            self.files.append(0)


def watch_usage(pid: int, usage: Usage, stop: threading.Event) -> None:
    while not stop.wait(0.2):
        usage.sample(pid)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@dataclass
class Outcome:
    figures: Figures
    seconds: float
    usage: Usage
    rss_start: int  # the server's, in bytes, after the first build, before any load
    rss_end: int  # once the load is over and the last save is built
    rebuilds: int  # builds serve reported during the load
    saves: int
    answers_after: bool  # the front page, once the load is over
    shows_last_save: bool  # the edited article's page has its last good save
    stopped_cleanly: bool = False

    @property
    def errors(self) -> int:
        return (
            sum(self.figures.errors.values())
            + (not self.answers_after)
            + (not self.shows_last_save)
        )


def run_load(
    site: Path, clients: int, seconds: float, streams: int, search: bool = True
) -> Outcome:
    """Serve ``site`` (its files are edited), load it, and stop it."""
    server = Server(site, search)
    try:
        outcome = _load(server, site, clients, seconds, streams)
    except BaseException:
        server.stop()
        raise
    outcome.stopped_cleanly = server.stop()
    return outcome


def _load(server: Server, site: Path, clients: int, seconds: float, streams: int) -> Outcome:
    by_kind: dict[str, list[Target]] = {}
    for target in site_targets(server.output):
        by_kind.setdefault(target.kind, []).append(target)
    by_kind["events"] = [Target("/__briefgen/events", "events", 200)]
    articles = sorted((site / "content").rglob("*.md"))
    edited = articles[len(articles) // 2]
    editor = Editor(edited, seed=7)
    usage, stop_watching = Usage(), threading.Event()
    time.sleep(0.5)  # the first build's garbage settles
    usage.sample(server.process.pid)
    rss_start = usage.rss[-1]
    watcher = threading.Thread(
        target=watch_usage, args=(server.process.pid, usage, stop_watching), daemon=True
    )
    watcher.start()
    figures = Figures()
    started = time.monotonic()
    until = started + seconds
    threads = [
        threading.Thread(
            target=client,
            args=(server, by_kind, figures, until, seed, seed % 3 != 2),
            name=f"client-{seed}",
        )
        for seed in range(clients)
    ]
    threads += [
        threading.Thread(target=open_channel, args=(server, figures, until), name=f"open-{n}")
        for n in range(streams)
    ]
    threads.append(
        threading.Thread(target=editor.run, args=(until, started + seconds * 0.4), name="editor")
    )
    builds_before = server.builds
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    rebuilds = server.builds - builds_before
    shows = _shows(server, edited, editor.last)
    answers = _answers(server)
    time.sleep(1.0)
    stop_watching.set()
    watcher.join()
    usage.sample(server.process.pid)
    return Outcome(
        figures=figures,
        seconds=elapsed,
        usage=usage,
        rss_start=rss_start,
        rss_end=usage.rss[-1],
        rebuilds=rebuilds,
        saves=editor.saves,
        answers_after=answers,
        shows_last_save=shows,
    )


def _answers(server: Server) -> bool:
    try:
        connection = http.client.HTTPConnection(server.host, server.port, timeout=5)
        connection.request("GET", "/")
        ok = connection.getresponse().status == 200
        connection.close()
        return ok
    except (OSError, http.client.HTTPException):
        return False


def _shows(server: Server, article: Path, sentence: str, wait: float = 20.0) -> bool:
    """Whether the article's page comes to show ``sentence`` (the last save is built)."""
    if not sentence:
        return True
    rel = article.relative_to(server.output.parents[2] / "content").with_suffix("")
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(server.host, server.port, timeout=5)
            connection.request("GET", f"/articles/{rel.as_posix()}/")
            body = connection.getresponse().read()
            connection.close()
            if sentence.encode() in body:
                return True
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.2)
    return False


def report(outcome: Outcome, clients: int, streams: int) -> Iterator[str]:
    figures, usage = outcome.figures, outcome.usage
    count = len(figures.latencies)
    ms = [s * 1000 for s in figures.latencies]
    yield (
        f"{clients} clients and {streams} open reload channels for {outcome.seconds:.1f} s: "
        f"{count} requests, {count / outcome.seconds:.0f} requests/s"
    )
    yield (
        f"latency: p50 {percentile(ms, 0.5):.1f} ms, p95 {percentile(ms, 0.95):.1f} ms, "
        f"p99 {percentile(ms, 0.99):.1f} ms, max {max(ms, default=0):.1f} ms"
    )
    kinds = ", ".join(f"{kind} {n}" for kind, n in figures.by_kind.most_common())
    yield f"asked for: {kinds}"
    yield "statuses: " + ", ".join(f"{s} {n}" for s, n in sorted(figures.statuses.items()))
    errors = ", ".join(f"{kind} {n}" for kind, n in figures.errors.most_common()) or "none"
    yield f"errors: {errors}"
    for kind, example in figures.examples.items():
        yield f"  first {kind}: {example}"
    yield (
        f"server memory (VmRSS): {outcome.rss_start / MIB:.0f} MiB at start, "
        f"{max(usage.rss) / MIB:.0f} MiB at most, {outcome.rss_end / MIB:.0f} MiB at the end; "
        f"with its build workers and Pagefind (Pss): {usage.tree[0] / MIB:.0f}, "
        f"{max(usage.tree) / MIB:.0f}, {usage.tree[-1] / MIB:.0f} MiB"
    )
    yield (
        f"server threads: {usage.threads[0]} at start, {max(usage.threads)} at most, "
        f"{usage.threads[-1]} at the end; open files: {usage.files[0]}, {max(usage.files)}, "
        f"{usage.files[-1]}"
    )
    heard = ", ".join(map(str, figures.build_events)) or "no channel"
    yield (
        f"saves: {outcome.saves} (one with broken front matter); rebuilds serve reported: "
        f"{outcome.rebuilds}; build events heard by each open reload channel: {heard}"
    )
    yield (
        f"after the load: answers {'yes' if outcome.answers_after else 'NO'}, shows the last "
        f"save {'yes' if outcome.shows_last_save else 'NO'}, stopped on Ctrl-C "
        f"{'yes' if outcome.stopped_cleanly else 'NO'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--streams", type=int, default=5, help="reload channels kept open")
    parser.add_argument("--site", type=Path, help="a site to copy and serve instead")
    parser.add_argument("--no-search", action="store_true", help="serve without Pagefind")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-load-") as scratch:
        folder = Path(scratch)
        site = copy_site(args.site, folder) if args.site else make_site(args.articles, folder)
        outcome = run_load(site, args.clients, args.seconds, args.streams, not args.no_search)
    for line in report(outcome, args.clients, args.streams):
        print(line)
    return 1 if outcome.errors or not outcome.stopped_cleanly else 0


if __name__ == "__main__":
    sys.exit(main())
