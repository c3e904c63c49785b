"""Which file a preview request may read, and whether the request may be answered at all.

Pure decisions on the request's text plus one look at the file system, so every refusal is
testable alone: a path that is not plainly inside the output folder (``..`` in any encoding,
backslashes, NUL, encoded slashes, a second layer of percent-encoding, bytes that are not
UTF-8) is a 400; a symlink that leads outside the folder is a 404, like a missing file.
A ``Host`` that is not one this server answers to is refused, so that a web page elsewhere
cannot reach the preview through a DNS name of its own pointed at 127.0.0.1 (rebinding).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlsplit

_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


@dataclass(frozen=True)
class Found:
    path: Path  # an existing file inside the output folder


@dataclass(frozen=True)
class Redirect:
    location: str  # a folder asked for without its trailing slash


@dataclass(frozen=True)
class Refused:
    status: int  # 400 (a malformed or hostile path) or 404 (nothing there)
    reason: str


Resolution = Found | Redirect | Refused


def resolve(root: Path, target: str) -> Resolution:
    """The file under ``root`` (the output folder, absolute and resolved) that the request
    target (``/path?query``) names; ``index.html`` for a folder."""
    raw = urlsplit(target).path
    if not raw.startswith("/") or "\\" in raw or "\x00" in raw or not raw.isascii():
        return Refused(400, "malformed path")  # browsers send other bytes percent-encoded
    try:
        decoded = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return Refused(400, "the path is not UTF-8")
    if "\x00" in decoded or "\\" in decoded or _PERCENT_ESCAPE.search(decoded):
        return Refused(400, "malformed path")  # NUL, a backslash, or encoded twice
    parts = decoded.split("/")[1:]
    if any(part in (".", "..") for part in parts):
        return Refused(400, "a path may not climb out of the site")
    if any(part.startswith(".") for part in parts if part):
        return Refused(404, "not found")  # hidden files (the output marker) are not served
    candidate = root.joinpath(*[part for part in parts if part])
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return Refused(404, "not found")
    if real != root and not real.is_relative_to(root):
        return Refused(404, "not found")  # a symlink that leads outside the site
    if real.is_dir():
        if not decoded.endswith("/"):
            query = urlsplit(target).query
            return Redirect(raw + "/" + (f"?{query}" if query else ""))
        index = real / "index.html"
        return Found(index) if index.is_file() else Refused(404, "not found")
    return Found(real) if real.is_file() else Refused(404, "not found")


def host_allowed(host_header: str | None, allowed: frozenset[str]) -> bool:
    """Whether the ``Host`` header names this server: one of ``allowed`` (host names and
    addresses, lower case, without port)."""
    if not host_header:
        return False
    host = host_header.strip().lower()
    if host.startswith("["):  # [::1]:8000
        host = host[1 : host.find("]")] if "]" in host else ""
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host in allowed


def origin_allowed(origin: str | None, allowed: frozenset[str]) -> bool:
    """The reload channel answers only pages of this preview (or requests with no
    ``Origin``, which browsers send for same-origin EventSource requests in some cases)."""
    if origin is None:
        return True
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and (parts.hostname or "") in allowed


def loopback_names(host: str) -> frozenset[str]:
    """The names a server bound to ``host`` answers to on this machine."""
    names = {host.lower(), "localhost", "127.0.0.1", "::1"}
    try:
        if ipaddress.ip_address(host).is_unspecified:
            return frozenset()  # all interfaces: the caller adds the machine's names
    except ValueError:
        pass
    return frozenset(names)
