"""``briefgen serve``: build, serve, watch, rebuild, tell the open pages.

The preview builds into its own folder under the cache (never ``site/``: drafts shown here
must not reach a published build). Each burst of saves is one incremental build; the open
pages hear which output files changed, and each reloads only if it is one of them (a
stylesheet is swapped in place). A failed build leaves the last good site served and shows
its errors over every open page until a build succeeds.
"""

from __future__ import annotations

import ipaddress
import queue
import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.build import BuildMemory, BuildOptions, BuildResult, build
from briefgen.build_steps import save_memory
from briefgen.cache import CACHE_DIR
from briefgen.config import load_config
from briefgen.errors import Diagnostic, Level, error, warning
from briefgen.preview.requests import loopback_names
from briefgen.preview.search_refresh import BackgroundIndex
from briefgen.preview.server import Broadcaster, PreviewServer
from briefgen.preview.watcher import SourceWatcher

PREVIEW_DIR = "serve"
BUG_HINT = "this is a bug in briefgen; the traceback is in the terminal: please report it"


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    drafts: bool = False
    config_file: Path | None = None
    allow_hosts: tuple[str, ...] = ()
    quiet_seconds: float = 0.025
    search: bool = True  # keep a search index, made in the background after each change


@dataclass
class Preview:
    """A running preview: its URL, and what it needs to stop."""

    url: str
    output_dir: Path
    server: PreviewServer
    watcher: SourceWatcher
    builds: queue.Queue[frozenset[Path]] = field(default_factory=queue.Queue)
    threads: list[threading.Thread] = field(default_factory=list)
    search: BackgroundIndex | None = None

    def stop(self) -> None:
        self.watcher.stop()
        self.server.stop()
        for thread in self.threads:
            thread.join(timeout=2)
        if self.search is not None:
            self.search.stop()


def preview_output(root: Path) -> Path:
    return root.absolute() / CACHE_DIR / PREVIEW_DIR / "site"


def preview_binds_everywhere(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def allowed_hosts(host: str, extra: tuple[str, ...]) -> frozenset[str]:
    """The names a request's ``Host`` may give: the bound name, the loopback names, and with
    all interfaces the machine's own names and addresses."""
    names = set(loopback_names(host)) | {name.lower() for name in extra}
    if preview_binds_everywhere(host):
        names |= {"localhost", "127.0.0.1", "::1"}
        for name in {socket.gethostname(), socket.getfqdn()}:
            names.add(name.lower())
            try:
                for info in socket.getaddrinfo(name, None):
                    names.add(str(info[4][0]).lower())
            except OSError:
                pass
    return frozenset(names)


def start_preview(
    root: Path,
    options: ServeOptions,
    report: Callable[[BuildResult], None],
    warn: Callable[[Diagnostic], None] = print,
) -> Preview:
    """Build once, then serve and watch (in threads); ``report`` hears every build, ``warn``
    what goes wrong apart from one (the search index). Raises OSError when the address
    cannot be bound."""
    root = root.absolute()
    output_dir = preview_output(root)
    build_options = BuildOptions(
        output=output_dir,
        config_file=options.config_file,
        drafts=options.drafts,
        search=False,  # made apart from the builds, in the background: BackgroundIndex
    )
    broadcaster = Broadcaster()
    output_dir.mkdir(parents=True, exist_ok=True)  # served even if the first build fails
    server = PreviewServer(  # bound before the first build: a port in use is said at once
        (options.host, options.port),
        output_dir,
        allowed_hosts(options.host, options.allow_hosts),
        broadcaster,
    )
    memory = BuildMemory(long_running=True)  # what one build learnt serves the next
    search = BackgroundIndex(root, output_dir, warn) if options.search else None
    first = _build_safely(root, build_options, memory, report)
    broadcaster.publish("build", _event(first))
    if search is not None:
        search.built(first)
    config, _ = load_config(root, options.config_file)
    config_file = options.config_file or root / "briefgen.yaml"
    builds: queue.Queue[frozenset[Path]] = queue.Queue()
    watcher = SourceWatcher(
        [config.content_dir, config.layouts_dir, config.static_dir],
        [config_file.absolute()],
        builds.put,
        quiet=options.quiet_seconds,
    )
    host, port = str(server.server_address[0]), int(server.server_address[1])
    shown = f"[{host}]" if ":" in host else host
    if preview_binds_everywhere(host):
        shown = "localhost"
    preview = Preview(f"http://{shown}:{port}/", output_dir, server, watcher, builds)
    preview.search = search

    def rebuild_forever() -> None:
        while not server.stopping.is_set():
            try:
                saved = set(builds.get(timeout=0.2))
            except queue.Empty:  # no save for a while: the open pages have reloaded
                _idle_safely(root, output_dir, memory, warn)
                if search is not None:
                    search.idle()
                continue
            while not builds.empty():  # saves made during the last build: one more build
                saved |= builds.get_nowait()
            result = _build_safely(root, build_options, memory, report, saved)
            broadcaster.publish("build", _event(result))
            if search is not None:
                search.built(result)
        _idle_safely(root, output_dir, memory, warn)

    serving = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.1},
        name="briefgen-http",
        daemon=True,
    )
    rebuilding = threading.Thread(target=rebuild_forever, name="briefgen-rebuild", daemon=True)
    preview.threads += [serving, rebuilding]
    watcher.start()
    serving.start()
    rebuilding.start()
    return preview


def _build_safely(
    root: Path,
    options: BuildOptions,
    memory: BuildMemory,
    report: Callable[[BuildResult], None],
    saved: set[Path] | None = None,
) -> BuildResult:
    """A build whose every failure, a bug in briefgen included, is a result to show, never
    the end of the preview. ``saved``: the files the watcher saw saved since the last."""
    try:
        result = build(root, options, memory, saved)
    except Exception as exc:  # noqa: BLE001  (a bug: shown in the pages; the last good site stays)
        traceback.print_exc()
        result = BuildResult(options.output or root / "site")
        result.diagnostics.append(
            error("briefgen", None, f"internal error: {type(exc).__name__}: {exc}", BUG_HINT)
        )
        memory.forget()  # start afresh next time
    report(result)
    return result


def _idle_safely(
    root: Path, output_dir: Path, memory: BuildMemory, warn: Callable[[Diagnostic], None]
) -> None:
    """While no save waits: write what the last builds left to the cache folder, and make
    ahead what the next will need. A failure is said, never the end of the preview."""
    try:
        save_memory(root, output_dir, memory)
        memory.make_ahead()
    except OSError as exc:
        warn(
            warning(
                str(exc.filename or root / CACHE_DIR),
                None,
                f"cannot write the cache: {exc.strerror or exc}",
                "check free space and permissions; the preview goes on",
            )
        )
    except Exception:  # noqa: BLE001  (a bug: the preview goes on, afresh)
        traceback.print_exc()
        memory.forget()


def _event(result: BuildResult) -> dict[str, object]:
    return {
        "changed": [f for f in result.changed_files if not f.rsplit("/", 1)[-1].startswith(".")],
        "errors": [str(d) for d in result.diagnostics if d.level is Level.ERROR],
        "time": time.time(),
    }
