"""briefgen serve: a real server on a free loopback port, real requests, real file edits."""

from __future__ import annotations

import http.client
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from briefgen.build import BuildMemory, BuildOptions, BuildResult, build
from briefgen.cache import output_file
from briefgen.preview.session import Preview, ServeOptions, start_preview
from tests.conftest import article, interruptible

MakeSite = Callable[[Mapping[str, str | bytes]], Path]
WAIT = 10.0

FILES: dict[str, str | bytes] = {
    "briefgen.yaml": "title: Desk\nbase_url: https://example.org/\ntopics:\n  economy:\n",
    "content/a.md": article(
        "Rates held", source="One", topics="[economy]", body="The bank held rates on Monday."
    ),
    "content/b.md": article(
        "Harvest down",
        date="2024-10-29",
        source="Two",
        topics="[economy]",
        body="Wheat output fell by a third.",
    ),
    "content/c.md": article("Plan", date="2024-10-27", draft="true", body="A draft plan."),
    "layouts/base.html": '{% extends "theme/base.html" %}',
}


class Events:
    """The build events the preview sends one open page."""

    def __init__(self, url: str) -> None:
        host, port = url.split("//")[1].rstrip("/").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=WAIT)
        self.connection.request("GET", "/__briefgen/events")
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream"
        self.queue: queue.Queue[dict[str, list[str]]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        event = ""
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event == "build":
                    self.queue.put(json.loads(line[6:]))
        except (OSError, ValueError):
            return

    def next(self) -> dict[str, list[str]]:
        return self.queue.get(timeout=WAIT)

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Events:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@pytest.fixture
def preview(make_site: MakeSite) -> Iterator[tuple[Preview, Path, list[BuildResult]]]:
    root = make_site(FILES)
    builds: list[BuildResult] = []
    running = start_preview(root, ServeOptions(port=0, drafts=True), builds.append)
    try:
        yield running, root, builds
    finally:
        running.stop()


def get(
    url: str, path: str, headers: Mapping[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    host, port = url.split("//")[1].rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=WAIT)
    connection.request("GET", path, headers=dict(headers or {}))
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def raw_request(url: str, data: bytes) -> bytes:
    host, port = url.split("//")[1].rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=WAIT) as conn:
        conn.sendall(data)
        return conn.recv(200)


def test_serves_the_site_with_the_live_script_and_never_touches_site_folder(
    preview: tuple[Preview, Path, list[BuildResult]],
) -> None:
    running, root, _ = preview
    status, headers, body = get(running.url, "/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "no-store" and "access-control-allow-origin" not in headers
    assert b"Harvest down" in body and b'src="/__briefgen/live.js"' in body
    assert b"Plan" in get(running.url, "/articles/c/")[2]  # --drafts shows drafts
    status, headers, _ = get(running.url, "/assets/style.css")
    assert status == 200 and headers["content-type"].startswith("text/css")
    status, _, body = get(running.url, "/no/such/page/")
    assert status == 404 and b"__briefgen/live.js" in body  # the site's own 404 page
    assert not (root / "site").exists()
    built = (running.output_dir / "index.html").read_bytes()
    assert b"__briefgen" not in built  # the files on disk are the plain build


def test_hostile_requests_are_refused_and_the_server_goes_on(
    preview: tuple[Preview, Path, list[BuildResult]],
) -> None:
    running, root, _ = preview
    (root / "secret.txt").write_text("secret")
    for path in ("/../../secret.txt", "/%2e%2e/%2e%2e/secret.txt", "/%252e%252e/x", "/a%5cb"):
        status, _, body = get(running.url, path)
        assert status in (400, 404) and b"secret" not in body, path
    assert get(running.url, "/", {"Host": "evil.example:80"})[0] == 403
    events = get(running.url, "/__briefgen/events", {"Origin": "https://evil.example"})
    assert events[0] == 403
    assert raw_request(running.url, b"NONSENSE\r\n\r\n").startswith(b"HTTP/1.1 400")
    huge = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX: " + b"a" * 70000 + b"\r\n\r\n"
    assert raw_request(running.url, huge).startswith(b"HTTP/1.1 400")
    assert raw_request(running.url, b"GET /\xff\xfe HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")[:12] in (
        b"HTTP/1.1 400",
    )
    assert get(running.url, "/")[0] == 200


def test_a_save_rebuilds_and_tells_the_open_pages_what_changed(
    preview: tuple[Preview, Path, list[BuildResult]],
) -> None:
    running, root, _ = preview
    with Events(running.url) as events:
        assert events.next()["errors"] == []  # the state when the page connected
        (root / "content/a.md").write_text(
            article("Rates held", source="One", topics="[economy]", body="The bank cut rates.")
        )
        changed = events.next()
        assert "articles/a/index.html" in changed["changed"] and changed["errors"] == []
        assert "articles/b/index.html" not in changed["changed"]  # that page need not reload
        assert b"The bank cut rates." in get(running.url, "/articles/a/")[2]
        # The reloaded page connects again: it hears the state, not the changes it has seen
        # already (else it would reload for ever).
        again = Events(running.url)
        assert again.next() == {**changed, "changed": []}
        again.close()


@pytest.mark.parametrize("pattern", ["rename", "delete-create", "burst", "new-folder"])
def test_every_way_editors_save_is_seen(
    preview: tuple[Preview, Path, list[BuildResult]], pattern: str
) -> None:
    running, root, builds = preview
    with Events(running.url) as events:
        events.next()
        target = root / "content/b.md"
        text = article("Harvest up", date="2024-10-29", source="Two", body="Output rose.")
        if pattern == "rename":  # vim, JetBrains, VS Code: a temporary file renamed over
            (root / "content/.b.md.swp").write_text("swap")
            temp = root / "content/b.md___jb_tmp___"
            temp.write_text(text)
            os.replace(temp, target)
            (root / "content/.b.md.swp").unlink()
        elif pattern == "delete-create":
            target.unlink()
            time.sleep(0.01)
            target.write_text(text)
        elif pattern == "burst":
            before = len(builds)
            for n in range(10):
                target.write_text(text.replace("rose", f"rose {n} times"))
            text = text.replace("rose", "rose 9 times")
        else:
            target = root / "content/2024/new/d.md"
            target.parent.mkdir(parents=True)
            target.write_text(article("Harvest up", date="2024-10-29", body="Output rose."))
        deadline = time.monotonic() + WAIT
        page = "/articles/2024/new/d/" if pattern == "new-folder" else "/articles/b/"
        while b"Harvest up" not in get(running.url, page)[2]:
            assert time.monotonic() < deadline, f"{pattern}: the change never showed"
            events.next()
        if pattern == "burst":
            time.sleep(0.3)
            assert len(builds) - before <= 3  # debounced: not one build per save
            assert b"rose 9 times" in get(running.url, "/articles/b/")[2]


def test_a_broken_template_is_shown_and_the_last_good_site_stays_until_fixed(
    preview: tuple[Preview, Path, list[BuildResult]],
) -> None:
    running, root, _ = preview
    with Events(running.url) as events:
        events.next()
        (root / "layouts/base.html").write_text('{% extends "theme/base.html" %}\n{% block x %}')
        failed = events.next()
        assert failed["errors"] and failed["errors"][0].startswith("layouts/base.html:2:")
        assert b"Rates held" in get(running.url, "/articles/a/")[2]  # the last good site
        # A page opened now learns the error at once.
        late = Events(running.url)
        assert late.next()["errors"] == failed["errors"]
        late.close()
        (root / "layouts/base.html").write_text('{% extends "theme/base.html" %}')
        assert events.next()["errors"] == []


def test_serve_stops_cleanly_on_ctrl_c_and_says_when_the_port_is_taken(
    make_site: MakeSite,
) -> None:
    root = make_site(FILES)
    command = [sys.executable, "-m", "briefgen", "serve", str(root), "--port", "0"]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, preexec_fn=interruptible)
    try:
        assert server.stderr is not None
        line = ""
        while "serving" not in line:
            line = server.stderr.readline()
            assert line, "serve ended before serving"
        url = line.split("serving ")[1].split()[0]
        port = url.rstrip("/").rsplit(":", 1)[1]
        assert get(url, "/")[0] == 200
        taken = subprocess.run([*command[:-1], port], capture_output=True, text=True, timeout=60)
        assert taken.returncode == 1 and "is in use" in taken.stderr and "--port 0" in taken.stderr
        started = time.monotonic()
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=5) == 0
        assert time.monotonic() - started < 2
    finally:
        server.kill()
        server.wait()
    assert not list(root.parent.glob("tmp*"))


def test_binding_to_all_interfaces_warns(make_site: MakeSite) -> None:
    root = make_site(FILES)
    command = [sys.executable, "-m", "briefgen", "serve", str(root), "--port", "0"]
    server = subprocess.Popen(
        [*command, "--host", "0.0.0.0"],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=interruptible,
    )
    try:
        assert server.stderr is not None
        said = ""
        while "serving" not in said:
            line = server.stderr.readline()
            assert line
            said += line
        assert "warning: listening on all interfaces" in said
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=5)


def test_a_first_build_that_fails_still_serves_a_page_that_shows_the_error(
    make_site: MakeSite,
) -> None:
    root = make_site({**FILES, "layouts/base.html": "{% block x %}"})
    builds: list[BuildResult] = []
    running = start_preview(root, ServeOptions(port=0), builds.append)
    try:
        assert builds[0].failed()
        status, headers, body = get(running.url, "/")
        assert status == 404 and headers["content-type"].startswith("text/html")
        assert b"/__briefgen/live.js" in body
        events = Events(running.url)
        assert events.next()["errors"][0].startswith("layouts/base.html:1:")
        (root / "layouts/base.html").write_text('{% extends "theme/base.html" %}')
        assert events.next()["errors"] == []
        assert get(running.url, "/")[0] == 200
        events.close()
    finally:
        running.stop()


@pytest.mark.parametrize("change", ["delete", "rename"])
def test_an_article_deleted_or_renamed_leaves_the_preview(
    preview: tuple[Preview, Path, list[BuildResult]], change: str
) -> None:
    running, root, _ = preview
    with Events(running.url) as events:
        events.next()
        if change == "delete":
            (root / "content/b.md").unlink()
        else:
            (root / "content/b.md").rename(root / "content/harvest.md")
        changed = events.next()["changed"]
        assert "articles/b/index.html" in changed
        assert get(running.url, "/articles/b/")[0] == 404
        if change == "rename":
            assert b"Harvest down" in get(running.url, "/articles/harvest/")[2]


def test_a_broken_article_is_shown_and_its_last_good_page_stays(
    preview: tuple[Preview, Path, list[BuildResult]],
) -> None:
    running, root, _ = preview
    with Events(running.url) as events:
        events.next()
        (root / "content/a.md").write_text("---\ntitle: [unclosed\ndate: 2024-10-28\n---\nText.\n")
        errors = events.next()["errors"]
        assert errors and errors[0].startswith("content/a.md:2: error:")
        assert b"Rates held" in get(running.url, "/articles/a/")[2]
        (root / "content/a.md").write_text(
            article("Rates held", source="One", topics="[economy]", body="Held again.")
        )
        assert events.next()["errors"] == []


def test_a_bug_in_a_rebuild_is_shown_and_the_preview_goes_on(
    preview: tuple[Preview, Path, list[BuildResult]], monkeypatch: pytest.MonkeyPatch
) -> None:
    running, root, _ = preview
    session = sys.modules["briefgen.preview.session"]
    real_build = session.build
    calls: list[int] = []

    def fails_once(*args: object, **kwargs: object) -> BuildResult:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("boom")
        return real_build(*args, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(session, "build", fails_once)
    with Events(running.url) as events:
        events.next()
        (root / "content/a.md").write_text(article("Rates held", body="First try."))
        assert "internal error: RuntimeError: boom" in events.next()["errors"][0]
        assert get(running.url, "/")[0] == 200  # the last good site is still served
        (root / "content/a.md").write_text(article("Rates held", body="Second try."))
        assert events.next()["errors"] == []
        assert b"Second try." in get(running.url, "/articles/a/")[2]


def _index_mentions(output_dir: Path, word: str) -> bool:
    """Whether an indexed page's text holds ``word`` (Pagefind's fragments are gzip JSON)."""
    import gzip

    fragments = (output_dir / "pagefind/fragment").iterdir()
    return any(word in gzip.decompress(f.read_bytes()).decode() for f in fragments)


def test_the_search_index_follows_the_edits_in_the_background(make_site: MakeSite) -> None:
    root = make_site(FILES)
    running = start_preview(root, ServeOptions(port=0), lambda result: None)
    try:
        assert running.search is not None and running.search.installed.wait(WAIT)
        assert _index_mentions(running.output_dir, "Wheat output")
        running.search.installed.clear()
        with Events(running.url) as events:
            events.next()  # the state when the page connected
            (root / "content/b.md").write_text(
                article(
                    "Harvest down",
                    date="2024-10-29",
                    source="Two",
                    topics="[economy]",
                    body="Wheat output fell by a third, and zebrafinch counts too.",
                )
            )
            assert "articles/b/index.html" in events.next()["changed"]  # pages first
        assert running.search.installed.wait(WAIT)  # then the index, without a build
        assert _index_mentions(running.output_dir, "zebrafinch")
    finally:
        running.stop()


def test_stopping_the_preview_ends_an_index_being_made(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    slow = tmp_path / "pagefind"
    slow.write_text("#!/bin/sh\nexec sleep 60\n")  # (an index of a large site takes a while)
    slow.chmod(0o755)
    monkeypatch.setattr("briefgen.search_index._pagefind_binary", lambda: slow)
    root = make_site(FILES)
    running = start_preview(root, ServeOptions(port=0), lambda result: None)
    search = running.search
    assert search is not None
    deadline = time.monotonic() + WAIT
    while search.running is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert search.running is not None  # indexing in the background
    began = time.monotonic()
    running.stop()
    assert time.monotonic() - began < 5  # not once the indexer is done
    assert not search.running.is_alive()
    assert not list((root / ".briefgen-cache").glob("search-*"))  # its work folder is gone


def test_serve_without_search_makes_no_index(make_site: MakeSite) -> None:
    root = make_site(FILES)
    running = start_preview(root, ServeOptions(port=0, search=False), lambda result: None)
    try:
        assert running.search is None
        time.sleep(0.5)  # idle time in which an index would have been started
        assert not (running.output_dir / "pagefind").exists()
    finally:
        running.stop()


def test_a_text_edit_is_taken_alone_and_the_cache_is_written_once_the_preview_is_idle(
    make_site: MakeSite,
) -> None:
    lead = "The bank held rates on Monday. Analysts had expected it."
    fields = {"source": "One", "topics": "[economy]"}
    root = make_site({**FILES, "content/a.md": article("Rates held", body=lead, **fields)})
    builds: list[BuildResult] = []
    running = start_preview(root, ServeOptions(port=0, search=False), builds.append)
    keys = output_file(root, running.output_dir, "pages")
    try:
        with Events(running.url) as events:
            events.next()  # the state when the page connected
            assert keys.is_file()
            (root / "content/a.md").write_text(
                article("Rates held", body=f"{lead}\n\nThe markets fell sharply.", **fields)
            )
            assert "articles/a/index.html" in events.next()["changed"]
            assert b"The markets fell sharply." in get(running.url, "/articles/a/")[2]
            assert "check" not in builds[-1].timings  # no other file looked at
        deadline = time.monotonic() + WAIT
        while not keys.is_file() and time.monotonic() < deadline:  # written once idle
            time.sleep(0.05)
        assert keys.is_file()
    finally:
        running.stop()
    # What serve wrote to the cache folder is all a later build needs.
    options = BuildOptions(output=running.output_dir, search=False)
    later = build(root, options, BuildMemory(long_running=True))
    assert later.pages_rendered == 0 and later.articles_analysed == 0


def test_a_cache_that_cannot_be_written_while_idle_is_said_once_a_save_and_serve_goes_on(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead = "The bank held rates on Monday. Analysts had expected it."
    fields = {"source": "One", "topics": "[economy]"}
    root = make_site({**FILES, "content/a.md": article("Rates held", body=lead, **fields)})
    warnings: list[str] = []

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device", str(root / ".briefgen-cache/articles"))

    running = start_preview(
        root, ServeOptions(port=0, search=False), lambda r: None, lambda d: warnings.append(str(d))
    )
    monkeypatch.setattr(sys.modules["briefgen.build_steps"], "save_cache", full_disk)  # from now
    try:
        with Events(running.url) as events:
            events.next()
            for words in ("The markets fell.", "The markets rose."):
                (root / "content/a.md").write_text(
                    article("Rates held", body=f"{lead}\n\n{words}", **fields)
                )
                assert "articles/a/index.html" in events.next()["changed"]
                assert words.encode() in get(running.url, "/articles/a/")[2]
                time.sleep(0.6)  # idle: the cache is written, and fails
    finally:
        running.stop()
    said = [w for w in warnings if "cannot write the cache: No space left on device" in w]
    assert len(said) == 2 and all(w.startswith(f"{root}/.briefgen-cache") for w in said)
