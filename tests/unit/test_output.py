from __future__ import annotations

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
