from __future__ import annotations

import os
import shutil
from pathlib import Path
from unittest.mock import ANY

import pytest

from briefgen import output
from briefgen.errors import OutputError
from briefgen.output import FolderListing, SiteWriter, WriteStats, write_site


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
    assert not abandoned.exists()


def test_an_unchanged_site_is_not_swapped_or_touched(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"a.html": b"one", "b/c.html": b"two"}, {})
    folder = out.stat().st_ino
    stats = write_site(out, {"a.html": b"one", "b/c.html": b"two"}, {})
    assert (stats.written, stats.unchanged, stats.removed) == (0, 2, 0)
    assert out.stat().st_ino == folder


def _site_of(count: int) -> dict[str, bytes]:
    return {f"p{n}/index.html": f"page {n}".encode() for n in range(count)}


def test_a_small_change_is_swapped_in_without_relinking_the_unchanged_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    write_site(out, {**_site_of(30), "gone/old.html": b"old"}, {})
    write_site(out, {**_site_of(30), "gone/old.html": b"old", "p1/index.html": b"one"}, {})
    kept = (out / "p2/index.html").stat().st_ino
    links: list[str] = []
    real_link = os.link

    def counted(source: str, target: str) -> None:
        links.append(str(target))
        real_link(source, target)

    monkeypatch.setattr(os, "link", counted)
    files = {
        **_site_of(30),
        "p0/index.html": b"changed",
        "p1/index.html": b"one",
        "new/page.html": b"new",
    }
    stats = write_site(out, files, {})
    assert (stats.written, stats.unchanged, stats.removed) == (2, 29, 1)
    assert stats.changed_paths == ("gone/old.html", "new/page.html", "p0/index.html")
    assert (out / "p2/index.html").stat().st_ino == kept  # the same file, not rewritten
    assert (out / "p0/index.html").read_bytes() == b"changed"
    assert (out / "new/page.html").read_bytes() == b"new"
    assert not (out / "gone").exists()
    # Only what differed between the spare (one build behind) and the new site was linked:
    # the page the build before changed.
    assert links == [str(tmp_path / ".site.spare/p1/index.html")]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", ".site.spare", "site"]


def test_a_build_killed_before_the_exchange_leaves_the_previous_site_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    write_site(out, _site_of(30), {})
    write_site(out, {**_site_of(30), "p1/index.html": b"one"}, {})
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    real_write = output._write_and_close

    def killed_on_second_write(fd: int, data: bytes) -> int:
        if getattr(killed_on_second_write, "done", False):
            os.close(fd)
            raise KeyboardInterrupt
        killed_on_second_write.done = True  # type: ignore[attr-defined]
        return real_write(fd, data)

    monkeypatch.setattr(output, "_write_and_close", killed_on_second_write)
    with pytest.raises(KeyboardInterrupt):
        write_site(out, {**_site_of(30), "p0/index.html": b"x", "p9/index.html": b"y"}, {})
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    # The half-updated spare is no harm: the next build brings it up to date.
    write_site(out, {**_site_of(30), "p0/index.html": b"x"}, {})
    assert (out / "p0/index.html").read_bytes() == b"x"
    assert (out / "p1/index.html").read_bytes() == b"page 1"
    assert (out / "p9/index.html").read_bytes() == b"page 9"
    spare = tmp_path / ".site.spare"
    assert (spare / "p1/index.html").read_bytes() == b"one"  # one build behind


def test_a_file_where_a_folder_is_now_needed_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {**_site_of(3), "x": b"a file"}, {})
    write_site(out, {**_site_of(3), "x/index.html": b"a page"}, {})
    write_site(out, {**_site_of(3), "x": b"a file again"}, {})
    assert (out / "x").read_bytes() == b"a file again"


def test_a_spare_file_shared_with_the_output_is_never_written_through(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"a.html": b"one"}, {})
    write_site(out, {"a.html": b"one", "b.html": b"two"}, {})  # spare: a.html linked to output
    write_site(out, {"a.html": b"ONE", "b.html": b"two"}, {})
    assert (out / "a.html").read_bytes() == b"ONE"
    assert (tmp_path / ".site.spare/a.html").read_bytes() == b"one"


def test_a_page_that_changes_build_after_build_is_rewritten_in_the_spare_in_place(
    tmp_path: Path,
) -> None:
    out, spare = tmp_path / "site", tmp_path / ".site.spare"
    write_site(out, {"a.html": b"one"}, {})
    write_site(out, {"a.html": b"two, longer"}, {})
    with (spare / "a.html").open("rb") as held:  # the spare's own copy, holding "one"
        write_site(out, {"a.html": b"three"}, {})
        assert os.fstat(held.fileno()).st_nlink == 1  # not freed: it is the output's file now
        assert held.read() == b"three"
    kept = (out / "a.html").stat().st_ino
    assert (out / "a.html").read_bytes() == b"three"
    assert (spare / "a.html").read_bytes() == b"two, longer"  # the site before, untouched
    write_site(out, {"a.html": b"four"}, {})
    assert (out / "a.html").read_bytes() == b"four"
    assert (spare / "a.html").read_bytes() == b"three"
    assert (spare / "a.html").stat().st_ino == kept


def test_a_spare_file_linked_or_pointing_elsewhere_is_never_written_through(
    tmp_path: Path,
) -> None:
    out, spare = tmp_path / "site", tmp_path / ".site.spare"
    outside, linked = tmp_path / "outside.txt", tmp_path / "linked.txt"
    write_site(out, {"a.html": b"one", "b.html": b"one"}, {})
    write_site(out, {"a.html": b"two", "b.html": b"two"}, {})
    outside.write_bytes(b"mine")
    (spare / "a.html").unlink()
    (spare / "a.html").symlink_to(outside)
    os.link(spare / "b.html", linked)  # someone else's second name for the spare's file
    write_site(out, {"a.html": b"three", "b.html": b"three"}, {})
    assert (out / "a.html").read_bytes() == (out / "b.html").read_bytes() == b"three"
    assert outside.read_bytes() == b"mine"
    assert linked.read_bytes() == b"one"


def test_any_sequence_of_sites_is_written_exactly(tmp_path: Path) -> None:
    import random

    rng = random.Random(7)
    out = tmp_path / "site"
    # A file in one site is a folder in another ("c", "f", "f/g").
    names = ["a", "b", "c", "c/d", "c/e", "f", "f/g", "f/g/h", "f/g/i", "j/k/l/m"]
    for _ in range(80):
        chosen = {n for n in names if rng.random() < 0.5}
        chosen = {n for n in chosen if not any(n.startswith(f"{o}/") for o in chosen)}
        files = {path: rng.choice([b"1", b"2", b"3"]) for path in sorted(chosen)}
        write_site(out, files, {})
        found = {
            p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()
        }
        assert found == files


def test_files_added_and_dropped_after_the_site_is_staged_land_with_it(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"a.html": b"one", "index/old.bin": b"x", "index/same.bin": b"s"}, {})
    unchanged = (out / "index/same.bin").stat().st_ino
    with SiteWriter(out) as writer:
        writer.add("a.html", b"two")
        for path in writer.held_under("index"):
            writer.keep(path)
        staged = writer.prepare()  # the whole new site, for a step that reads it
        assert (staged / "a.html").read_bytes() == b"two"
        assert (staged / "index/old.bin").read_bytes() == b"x"
        writer.add("index/same.bin", b"s")
        writer.add("index/new.bin", b"n")
        writer.drop("index/old.bin")
        stats = writer.commit()
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "a.html",
        "index/new.bin",
        "index/same.bin",
    ]
    assert (out / "index/same.bin").stat().st_ino == unchanged
    assert (stats.written, stats.removed) == (2, 1)


def _written(
    out: Path,
    files: dict[str, bytes],
    spare: FolderListing | None = None,
    output: FolderListing | None = None,
) -> WriteStats:
    with SiteWriter(out, spare, output) as writer:
        for path, data in files.items():
            writer.add(path, data)
        return writer.commit()


def _inodes_on_disk(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.lstat().st_ino
        for p in folder.rglob("*")
        if not p.is_dir()
    }


def test_a_commit_says_what_the_output_and_the_spare_hold_without_listing_them(
    tmp_path: Path,
) -> None:
    out = tmp_path / "site"
    spare = tmp_path / ".site.spare"
    _written(out, {**_site_of(5), ".briefgen-output": b""})
    first = _written(out, {**_site_of(5), ".briefgen-output": b"", "p1/index.html": b"new"})
    assert first.listing is not None and first.listing.files == _inodes_on_disk(out)
    assert first.spare is not None and first.spare.files == _inodes_on_disk(spare)
    # The next build takes the spare as recorded, and the site it makes is the same.
    second = _written(
        out, {**_site_of(5), ".briefgen-output": b"", "p2/index.html": b"other"}, first.spare
    )
    assert second.listing is not None and second.listing.files == _inodes_on_disk(out)
    assert (out / "p1/index.html").read_bytes() == b"page 1"
    assert (out / "p2/index.html").read_bytes() == b"other"
    assert second.spare is not None and second.spare.files == _inodes_on_disk(spare)


def test_a_spare_made_again_since_its_record_is_listed_afresh(tmp_path: Path) -> None:
    out = tmp_path / "site"
    _written(out, {**_site_of(5), ".briefgen-output": b""})
    record = _written(out, {**_site_of(5), ".briefgen-output": b"", "p1/index.html": b"x"}).spare
    shutil.rmtree(tmp_path / ".site.spare")  # someone tidied the hidden folders away
    (tmp_path / ".site.spare").mkdir()
    stats = _written(out, {**_site_of(5), ".briefgen-output": b"", "p2/index.html": b"y"}, record)
    expected = {**_site_of(5), ".briefgen-output": b"", "p2/index.html": b"y"}
    found = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert found == expected
    assert stats.listing is not None and stats.listing.files == _inodes_on_disk(out)


def test_a_writer_given_the_output_as_last_committed_does_not_list_it_again(
    tmp_path: Path,
) -> None:
    out = tmp_path / "site"
    site = {**_site_of(5), ".briefgen-output": b""}
    first = _written(out, site)
    last = _written(out, {**site, "p0/index.html": b"changed"}, first.spare)
    assert last.spare is not None and last.listing is not None
    (out / "p3/index.html").unlink()  # by hand: the spare shares this file
    (out / "p0/index.html").unlink()  # and this one the last build wrote: looked at again
    with SiteWriter(out, last.spare, last.listing) as writer:
        # p3 as recorded, not as listed; p0 as listed
        assert writer.holding(["p3/index.html", "p0/index.html"]) == {"p3/index.html"}
        for path, data in {**site, "p0/index.html": b"changed"}.items():
            if writer.holding([path]):
                writer.keep(path)
            else:
                writer.add(path, data)
        writer.commit()
    assert (out / "p3/index.html").read_bytes() == b"page 3"  # both are back
    assert (out / "p0/index.html").read_bytes() == b"changed"
    shutil.rmtree(out)
    _written(out, {"a.html": b"a", ".briefgen-output": b""})
    with SiteWriter(out, last.spare, last.listing) as writer:  # another folder now: listed
        assert writer.holding(["p3/index.html", "a.html"]) == {"a.html"}


def test_after_a_first_build_a_large_site_gets_its_spare_folder_from_a_process_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output, "_LINK_AT_ONCE", 0)  # (as for a site of ten thousand pages)
    out = tmp_path / "site"
    site = {**_site_of(300), ".briefgen-output": b""}
    first = _written(out, site)
    copying = output.SPARE_COPIES[-1]
    # The next build does not wait for it to finish by itself: it waits for the lock.
    second = _written(out, {**site, "p1/index.html": b"new"}, first.spare)
    assert copying.wait(timeout=60) == 0
    assert second.written == 1 and (out / "p1/index.html").read_bytes() == b"new"
    assert {p: (out / p).read_bytes() for p in site} == {**site, "p1/index.html": b"new"}
    spare = tmp_path / ".site.spare"
    assert second.spare is not None and second.spare.describes(spare)
    assert _inodes_on_disk(spare) == {**_inodes_on_disk(out), "p1/index.html": ANY}


def test_a_spare_copy_stopped_before_it_finished_is_not_taken_for_a_whole_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output, "_LINK_AT_ONCE", 0)
    out = tmp_path / "site"
    site = {**_site_of(3000), ".briefgen-output": b""}
    first = _written(out, site)
    copying = output.SPARE_COPIES[-1]
    copying.kill()
    copying.wait(timeout=60)
    assert not (tmp_path / ".site.spare" / ".briefgen-output").exists()  # (it linked it last)
    _written(out, {**site, "p1/index.html": b"new"}, first.spare)
    assert {p: (out / p).read_bytes() for p in site} == {**site, "p1/index.html": b"new"}


def test_keeping_many_files_at_once_keeps_them_and_still_refuses_a_path_outside(
    tmp_path: Path,
) -> None:
    out = tmp_path / "site"
    site = {**_site_of(20), ".briefgen-output": b""}
    first = _written(out, site)
    before = _inodes_on_disk(out)
    with SiteWriter(out, first.spare, first.listing) as writer:
        writer.keep_all(path for path in site if path != "p0/index.html")
        writer.add("p0/index.html", b"new")
        stats = writer.commit()
    assert stats.written == 1 and (out / "p0/index.html").read_bytes() == b"new"
    assert {p: i for p, i in _inodes_on_disk(out).items() if p != "p0/index.html"} == {
        p: i for p, i in before.items() if p != "p0/index.html"
    }
    with SiteWriter(out) as writer, pytest.raises(OutputError):
        writer.keep_all(["p1/index.html", "../outside.html"])


def test_a_page_whose_place_holds_a_link_to_the_same_bytes_becomes_a_file_of_its_own(
    tmp_path: Path,
) -> None:
    out = tmp_path / "site"
    site = {**_site_of(3), ".briefgen-output": b""}
    _written(out, site)
    twin = tmp_path / "twin.html"
    twin.write_bytes(b"page 1")  # what p1 holds, but not the output's own file
    (out / "p1/index.html").unlink()
    (out / "p1/index.html").symlink_to(twin)
    stats = _written(out, site)
    assert stats.changed_paths == ("p1/index.html",)
    assert not (out / "p1/index.html").is_symlink()
    assert (out / "p1/index.html").read_bytes() == b"page 1"
    assert twin.read_bytes() == b"page 1"


def test_a_preview_replaces_a_few_files_one_by_one_and_the_next_commit_still_makes_the_site(
    tmp_path: Path,
) -> None:
    out = tmp_path / "site"
    site = {**_site_of(5), ".briefgen-output": b""}
    _written(out, site)
    last = _written(out, {**site, "p0/index.html": b"changed"})
    assert last.listing is not None and last.spare is not None
    outside = tmp_path / "outside.html"
    outside.write_bytes(b"not ours")
    (out / "p4/index.html").unlink()
    (out / "p4/index.html").symlink_to(outside)  # never written through
    untouched = (out / "p1/index.html").stat()
    files = {"p1/index.html": b"page 1", "p2/index.html": b"new 2", "p4/index.html": b"new 4"}
    files["new/index.html"] = b"a page of its own"
    written, listing = output.replace_files(out, files, last.listing)
    assert written == ("new/index.html", "p2/index.html", "p4/index.html")
    assert (out / "p1/index.html").stat().st_mtime_ns == untouched.st_mtime_ns  # same bytes
    assert {path: (out / path).read_bytes() for path in files} == files
    assert outside.read_bytes() == b"not ours" and not (out / "p4/index.html").is_symlink()
    assert listing is not None and listing.files == _inodes_on_disk(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".site.lock",
        ".site.spare",
        "outside.html",
        "site",
    ]
    with pytest.raises(OutputError):
        output.replace_files(out, {"../escape.html": b"x"}, listing)
    # The next whole build, given these records, makes exactly its site.
    final = {**site, "p2/index.html": b"final"}
    stats = _written(out, final, last.spare, listing)
    found = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert found == final and stats.listing is not None
    assert stats.listing.files == _inodes_on_disk(out)
