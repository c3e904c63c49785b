"""Which files the preview may serve, and to whom."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.preview.requests import Found, Redirect, Refused, host_allowed, resolve
from briefgen.preview.server import inject_script
from briefgen.preview.watcher import is_editor_scratch


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "articles/a").mkdir(parents=True)
    (root / "index.html").write_text("front")
    (root / "articles/a/index.html").write_text("article")
    (root / "assets").mkdir()
    (root / "assets/style.css").write_text("body{}")
    (root / ".briefgen-output").write_text("")
    (tmp_path / "secret.txt").write_text("secret")
    return root.resolve()


def test_pages_and_folders_resolve_to_their_files(site: Path) -> None:
    assert resolve(site, "/") == Found(site / "index.html")
    assert resolve(site, "/articles/a/") == Found(site / "articles/a/index.html")
    assert resolve(site, "/articles/a/index.html?x=1") == Found(site / "articles/a/index.html")
    assert resolve(site, "/assets/style.css?briefgen-reload=1") == Found(site / "assets/style.css")
    assert resolve(site, "/articles/a?x=1") == Redirect("/articles/a/?x=1")


@pytest.mark.parametrize(
    "target",
    [
        "/../secret.txt",
        "/articles/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/%252e%252e/secret.txt",  # encoded twice
        "/articles%5c..%5c..%5csecret.txt",  # backslashes, encoded
        "/articles\\..\\..\\secret.txt",
        "/index.html%00.css",
        "/index.html\x00",
        "/%ff%fe",  # not UTF-8
        "/\xff\xfe",  # raw bytes, read as Latin-1 by the HTTP parser
        "secret.txt",  # not absolute
        "//etc/passwd",
    ],
)
def test_every_form_of_climbing_out_is_refused(site: Path, target: str) -> None:
    outcome = resolve(site, target)
    assert isinstance(outcome, Refused) and outcome.status in (400, 404), outcome
    if target == "//etc/passwd":
        assert outcome.status == 404  # read as a path inside the site, where it is missing


def test_a_symlink_leading_outside_is_not_followed(site: Path) -> None:
    (site / "leak.txt").symlink_to(site.parent / "secret.txt")
    (site / "up").symlink_to(site.parent)
    assert resolve(site, "/leak.txt") == Refused(404, "not found")
    assert resolve(site, "/up/secret.txt") == Refused(404, "not found")


def test_hidden_files_and_missing_ones_are_not_found(site: Path) -> None:
    assert isinstance(resolve(site, "/.briefgen-output"), Refused)
    assert resolve(site, "/nope/") == Refused(404, "not found")


@pytest.mark.parametrize(
    ("header", "allowed"),
    [
        ("127.0.0.1:8000", True),
        ("localhost:8000", True),
        ("[::1]:8000", True),
        ("LOCALHOST", True),
        ("evil.example:8000", False),  # a rebinding name pointed at 127.0.0.1
        ("127.0.0.1.evil.example", False),
        ("", False),
        (None, False),
    ],
)
def test_only_requests_naming_this_server_are_answered(header: str | None, allowed: bool) -> None:
    names = frozenset({"127.0.0.1", "localhost", "::1"})
    assert host_allowed(header, names) is allowed


def test_the_live_script_goes_before_the_closing_body_tag() -> None:
    page = inject_script(b"<html><body><p>x</p></body></html>")
    assert page.index(b"/__briefgen/live.js") < page.index(b"</body>")
    assert b"/__briefgen/live.js" in inject_script(b"<p>no body tag</p>")


@pytest.mark.parametrize(
    ("name", "scratch"),
    [
        (".story.md.swp", True),
        ("story.md~", True),
        (".#story.md", True),
        ("4913", True),
        ("story.md___jb_tmp___", True),
        ("#story.md#", True),
        ("story.md", False),
        ("base.html", False),
        ("briefgen.yaml", False),
    ],
)
def test_editor_scratch_files_are_told_apart(name: str, scratch: bool) -> None:
    assert is_editor_scratch(name) is scratch


def test_on_all_interfaces_the_machines_own_names_and_allowed_hosts_are_answered() -> None:
    import socket

    from briefgen.preview.session import allowed_hosts

    names = allowed_hosts("0.0.0.0", ("Phone-Preview.lan",))
    assert {"localhost", "127.0.0.1", socket.gethostname().lower(), "phone-preview.lan"} <= names
    assert "evil.example" not in names
    assert allowed_hosts("127.0.0.1", ()) == frozenset({"127.0.0.1", "localhost", "::1"})
