"""The preview server under load: a short run of benchmarks/serve_load.py (20 clients for 4 s
on the example site, with saves, one of them breaking the front matter) must see no error,
and the server must still answer and stay within a memory bound afterwards. The figures are
printed (``pytest -s``); timings are not asserted. Before it, the three faults the full
benchmark found, each shown on a server in this process: connections dropped from a listen
queue of 5, answers held back by Nagle's algorithm, and closed reload channels that held a
thread each until the next build."""

from __future__ import annotations

import contextlib
import http.client
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefgen.preview.server import Broadcaster, PreviewServer
from tests.conftest import REPO, load_benchmark

MIB = 1024 * 1024


serve_load = load_benchmark("serve_load")


@contextlib.contextmanager
def serving(
    folder: Path, server_class: type[PreviewServer] = PreviewServer
) -> Iterator[tuple[str, int]]:
    """A preview server of ``folder`` in this process: its address."""
    server = server_class(("127.0.0.1", 0), folder, frozenset({"127.0.0.1"}), Broadcaster())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield "127.0.0.1", int(server.server_address[1])
    finally:
        server.stop()
        thread.join()


def test_a_burst_of_connections_waits_for_the_server_instead_of_being_dropped(
    tmp_path: Path,
) -> None:
    """A page and its assets come over several connections at once, and every open tab
    reloads at once after a save. Connections the server has not accepted yet wait in the
    listen queue; socketserver's default queue of 5 dropped the rest, and a dropped
    connection tries again only after a second (or 3, 7, 15...)."""
    server = PreviewServer(("127.0.0.1", 0), tmp_path, frozenset({"127.0.0.1"}), Broadcaster())
    address = ("127.0.0.1", int(server.server_address[1]))
    with contextlib.ExitStack() as connections:
        try:
            for _ in range(64):  # nothing accepts them: the server is not serving yet
                connection = socket.create_connection(address, timeout=0.5)
                connections.enter_context(connection)
        finally:
            server.server_close()


def test_answers_are_sent_at_once_on_a_kept_alive_connection(tmp_path: Path) -> None:
    """With Nagle's algorithm on, an answer's body waited for the client's delayed
    acknowledgement of its headers: 40 ms for every request after the first on a connection
    a browser keeps alive."""
    (tmp_path / "index.html").write_text("<!doctype html><title>x</title><p>Hello</p>")
    no_delay: list[int] = []

    class Recording(PreviewServer):
        def finish_request(self, request: Any, client_address: Any) -> None:
            super().finish_request(request, client_address)  # (the connection is still open)
            no_delay.append(request.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

    with serving(tmp_path, Recording) as (host, port):
        connection = http.client.HTTPConnection(host, port, timeout=10)
        for _ in range(3):
            connection.request("GET", "/")
            assert connection.getresponse().read().startswith(b"<!doctype html>")
        connection.close()
        deadline = time.monotonic() + 10
        while not no_delay and time.monotonic() < deadline:
            time.sleep(0.01)
    assert len(no_delay) == 1 and no_delay[0] != 0


def test_a_closed_reload_channel_frees_its_thread_without_waiting_for_a_build(
    tmp_path: Path,
) -> None:
    """Each page load opens the reload channel and each reload closes it. The server only
    noticed a closed channel when it next wrote to it (a build, or the keep-alive every 15 s),
    so a burst of reloads with no save between held a thread per load for up to 30 s."""
    before = threading.active_count()
    with serving(tmp_path) as address:
        serving_threads = threading.active_count()
        for _ in range(20):
            with socket.create_connection(address, timeout=10) as page:
                page.sendall(b"GET /__briefgen/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                heard = b""
                while b"event: ready" not in heard:
                    heard += page.recv(4096)
        deadline = time.monotonic() + 10
        while threading.active_count() > serving_threads and time.monotonic() < deadline:
            time.sleep(0.05)
        assert threading.active_count() == serving_threads
    assert threading.active_count() == before


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for memory")
def test_the_preview_keeps_answering_under_load_while_articles_are_saved(
    tmp_path: Path,
) -> None:
    site = serve_load.copy_site(REPO, tmp_path)  # the example site: its files are edited
    outcome = serve_load.run_load(site, clients=20, seconds=4.0, streams=3, search=False)
    print("\n" + "\n".join(serve_load.report(outcome, 20, 3)))
    figures = outcome.figures
    assert dict(figures.errors) == {}, figures.examples
    assert set(figures.statuses) <= {200, 301, 304, 404}
    assert figures.by_kind["article"] and figures.by_kind["missing"] and figures.by_kind["events"]
    assert outcome.saves >= 3 and outcome.rebuilds >= 1
    assert len(figures.build_events) == 3 and all(figures.build_events)  # pages hear builds
    assert outcome.answers_after and outcome.shows_last_save and outcome.stopped_cleanly
    # Memory after the load: what the first build left, twice over, and room for the
    # allocator's arenas and the threads' stacks.
    assert outcome.rss_end <= 2 * outcome.rss_start + 100 * MIB
