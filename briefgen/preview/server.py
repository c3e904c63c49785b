"""The preview's HTTP server: the built site, the live-reload script, and the reload channel.

Standard library only (``http.server``, a thread per connection): a preview serves one
editor's browser tabs. Every response says ``Cache-Control: no-store`` and none carries
``Access-Control-Allow-Origin``, so other sites cannot read the preview.
"""

from __future__ import annotations

import json
import mimetypes
import queue
import select
import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from typing import Any

from briefgen.preview.requests import (
    Found,
    Redirect,
    host_allowed,
    origin_allowed,
    resolve,
)

EVENTS_PATH = "/__briefgen/events"
SCRIPT_PATH = "/__briefgen/live.js"
_SCRIPT_TAG = f'<script src="{SCRIPT_PATH}" defer></script>'.encode()
_KEEPALIVE_SECONDS = 15.0
_LOOK_SECONDS = 1.0  # how often a quiet reload channel looks whether its page is still there
_NO_PAGE = (
    b"<!doctype html><html lang=en><meta charset=utf-8><title>Not found</title>"
    b"<body><p>No page here (yet). briefgen serve shows the page as soon as a build makes it."
    b"</body></html>"
)
_TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml; charset=utf-8"}


class Broadcaster:
    """Build events for every open page; a page that connects gets the latest at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[queue.Queue[str | None]] = []
        self._latest: str | None = None

    def publish(self, event: str, data: dict[str, Any]) -> None:
        message = f"event: {event}\ndata: {json.dumps(data)}\n\n"
        with self._lock:
            if event == "build":
                # A page that connects later was loaded after these changes: it needs only
                # to know whether the site is broken (else it would reload for ever).
                state = {**data, "changed": []}
                self._latest = f"event: {event}\ndata: {json.dumps(state)}\n\n"
            for listener in self._listeners:
                listener.put(message)

    def listen(self) -> queue.Queue[str | None]:
        listener: queue.Queue[str | None] = queue.Queue()
        with self._lock:
            self._listeners.append(listener)
            if self._latest is not None:
                listener.put(self._latest)
        return listener

    def forget(self, listener: queue.Queue[str | None]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def close(self) -> None:
        """Ends every open reload channel (the server is stopping)."""
        with self._lock:
            for listener in self._listeners:
                listener.put(None)
            self._listeners.clear()


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    # A page and its assets come over several connections at once, and every open tab
    # reloads at once after a save: connections not accepted yet wait in the listen queue.
    # socketserver's default queue of 5 drops the rest, and a dropped connection is tried
    # again only a second later (then 3, 7, 15...).
    request_queue_size = socket.SOMAXCONN

    def __init__(
        self,
        address: tuple[str, int],
        root: Path,
        allowed_hosts: frozenset[str],
        broadcaster: Broadcaster,
    ) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.root = root.absolute().resolve()
        self.allowed_hosts = allowed_hosts
        self.broadcaster = broadcaster
        self.stopping = threading.Event()
        super().__init__(address, _Handler)

    def stop(self) -> None:
        self.stopping.set()
        self.broadcaster.close()
        self.shutdown()
        self.server_close()


def live_script() -> bytes:
    return files("briefgen.preview").joinpath("client.js").read_bytes()


def inject_script(html: bytes) -> bytes:
    """The page with the live-reload script before its closing ``</body>`` (or at its end)."""
    at = html.lower().rfind(b"</body>")
    return html + _SCRIPT_TAG if at < 0 else html[:at] + _SCRIPT_TAG + html[at:]


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    default_request_version = "HTTP/1.0"  # a garbled request line still gets a status line
    server_version = "briefgen-preview"
    # Headers and body go out as two writes: with Nagle's algorithm the body waited for the
    # client's delayed acknowledgement of the headers, 40 ms on every request after the first
    # on a kept-alive connection (as a browser's are).
    disable_nagle_algorithm = True

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # An over-long request line or header is a malformed request like any other.
        if code in (HTTPStatus.REQUEST_URI_TOO_LONG, HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE):
            code = HTTPStatus.BAD_REQUEST
        self.close_connection = True
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a preview's requests are not news

    def _answer(self, send_body: bool) -> None:
        if not host_allowed(self.headers.get("Host"), self.server.allowed_hosts):
            self._send(HTTPStatus.FORBIDDEN, b"unknown host\n", "text/plain", send_body)
            return
        path = self.path.split("?", 1)[0]
        if path == EVENTS_PATH:
            self._events()
            return
        if path == SCRIPT_PATH:
            self._send(HTTPStatus.OK, live_script(), "text/javascript; charset=utf-8", send_body)
            return
        found = resolve(self.server.root, self.path)
        if isinstance(found, Redirect):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", found.location)
            self.send_header("Content-Length", "0")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
        elif isinstance(found, Found):
            self._send_file(HTTPStatus.OK, found.path, send_body)
        elif found.status == HTTPStatus.NOT_FOUND:
            self._not_found(send_body)
        else:
            self._send(found.status, f"{found.reason}\n".encode(), "text/plain", send_body)

    def _not_found(self, send_body: bool) -> None:
        page = self.server.root / "404.html"
        if page.is_file():
            self._send_file(HTTPStatus.NOT_FOUND, page, send_body)
        else:  # no site yet (the first build failed): a page that can show the errors
            body = inject_script(_NO_PAGE)
            self._send(HTTPStatus.NOT_FOUND, body, "text/html; charset=utf-8", send_body)

    def _send_file(self, status: int, path: Path, send_body: bool) -> None:
        try:
            body = path.read_bytes()
        except OSError:  # replaced between resolving and reading: a rebuild is swapping it
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, b"try again\n", "text/plain", send_body)
            return
        kind = _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
        kind = kind or "application/octet-stream"
        if kind.startswith("text/html"):
            body = inject_script(body)
        self._send(status, body, kind, send_body)

    def _send(self, status: int, body: bytes, kind: str, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _events(self) -> None:
        if not origin_allowed(self.headers.get("Origin"), self.server.allowed_hosts):
            self._send(HTTPStatus.FORBIDDEN, b"unknown origin\n", "text/plain", True)
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        listener = self.server.broadcaster.listen()
        try:
            self.wfile.write(b"event: ready\ndata: {}\n\n")
            self.wfile.flush()
            quiet = 0.0
            while not self.server.stopping.is_set():
                try:
                    message = listener.get(timeout=_LOOK_SECONDS)
                except queue.Empty:
                    # A page that was closed or reloaded is let go now, not at the next write:
                    # a burst of reloads with no save between would hold a thread each.
                    if _peer_gone(self.connection):
                        return
                    quiet += _LOOK_SECONDS
                    if quiet < _KEEPALIVE_SECONDS:
                        continue
                    message = ": keep-alive\n\n"
                quiet = 0.0
                if message is None:
                    return
                self.wfile.write(message.encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return  # the page was closed or reloaded
        finally:
            self.server.broadcaster.forget(listener)


def _peer_gone(connection: socket.socket) -> bool:
    """Whether the other end closed ``connection`` (a page's EventSource never sends)."""
    try:
        readable, _, _ = select.select([connection], [], [], 0)
        return bool(readable) and not connection.recv(1, socket.MSG_PEEK)
    except (OSError, ValueError):
        return True
