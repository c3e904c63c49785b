from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefgen.errors import OutputError
from briefgen.output import write_site


def test_unchanged_files_keep_their_inode_and_changed_ones_are_new(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"a.html": b"one", "b.html": b"two"}, {})
    kept = (out / "a.html").stat().st_ino
    stats = write_site(out, {"a.html": b"one", "b.html": b"TWO"}, {})
    assert (stats.written, stats.unchanged, stats.removed) == (1, 1, 0)
    assert (out / "a.html").stat().st_ino == kept
    assert (out / "b.html").read_bytes() == b"TWO"


def test_files_no_longer_in_the_site_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"a.html": b"one", "old/b.html": b"two"}, {})
    stats = write_site(out, {"a.html": b"one"}, {})
    assert stats.removed == 1 and not (out / "old").exists()


@pytest.mark.parametrize("path", ["../escape.html", "/etc/x", "a/../../x", "nul\x00.html"])
def test_no_path_can_write_outside_the_output(tmp_path: Path, path: str) -> None:
    out = tmp_path / "site"
    with pytest.raises(OutputError):
        write_site(out, {path: b"x"}, {})
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_staging_folder_left_by_a_killed_build_is_cleaned_up(tmp_path: Path) -> None:
    abandoned = tmp_path / ".site.staging-999999999"
    abandoned.mkdir()
    (abandoned / "half.html").write_text("half")
    write_site(tmp_path / "site", {"a.html": b"one"}, {})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_an_unchanged_site_is_not_swapped_or_touched(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"a.html": b"one", "b/c.html": b"two"}, {})
    folder = out.stat().st_ino
    stats = write_site(out, {"a.html": b"one", "b/c.html": b"two"}, {})
    assert (stats.written, stats.unchanged, stats.removed) == (0, 2, 0)
    assert out.stat().st_ino == folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def _site_of(count: int) -> dict[str, bytes]:
    return {f"p{n}/index.html": f"page {n}".encode() for n in range(count)}


def test_a_small_change_is_written_in_place_without_a_temporary_file_left(
    tmp_path: Path,
) -> None:
    out = tmp_path / "site"
    write_site(out, {**_site_of(30), "gone/old.html": b"old"}, {})
    folder, kept = out.stat().st_ino, (out / "p1/index.html").stat().st_ino
    files = {**_site_of(30), "p0/index.html": b"changed", "new/page.html": b"new"}
    stats = write_site(out, files, {})
    assert (stats.written, stats.unchanged, stats.removed) == (2, 29, 1)
    assert out.stat().st_ino == folder  # updated, not swapped
    assert (out / "p1/index.html").stat().st_ino == kept
    assert (out / "p0/index.html").read_bytes() == b"changed"
    assert (out / "new/page.html").read_bytes() == b"new"
    assert not (out / "gone").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert not [p for p in out.rglob("*") if p.name.startswith(".")]


def test_a_killed_small_update_leaves_new_pages_before_the_pages_linking_to_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    write_site(out, {**_site_of(60), "zz/old.html": b"old"}, {})
    replaced: list[str] = []
    real_replace = os.replace

    def killed_after_one(source: str, target: str) -> None:
        if replaced:
            raise KeyboardInterrupt  # the build is stopped here
        replaced.append(str(target))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", killed_after_one)
    files = {**_site_of(60), "p0/index.html": b'<a href="../new/">new</a>', "new/index.html": b"n"}
    files.pop("p5/index.html")
    with pytest.raises(KeyboardInterrupt):
        write_site(out, files, {})
    # The new page landed whole; the page that links to it and the removals wait.
    assert (out / "new/index.html").read_bytes() == b"n"
    assert (out / "p0/index.html").read_bytes() == b"page 0"
    assert (out / "p5/index.html").exists() and (out / "zz/old.html").exists()
    assert not [p for p in out.rglob("*") if p.name.startswith(".")]


def test_a_file_where_a_folder_is_now_needed_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {**_site_of(30), "x": b"a file"}, {})
    write_site(out, {**_site_of(30), "x/index.html": b"a page"}, {})
    assert (out / "x/index.html").read_bytes() == b"a page"
