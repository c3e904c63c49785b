"""Analysis over several processes gives the same site, byte for byte."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build
from tests.conftest import REPO, site_snapshot

NOW = datetime(2024, 11, 2, 12, tzinfo=UTC)
MakeSite = Callable[[Mapping[str, str | bytes]], Path]


def test_jobs_do_not_change_a_single_byte(make_site: MakeSite, tmp_path: Path) -> None:
    broken = "---\ntitle: [unclosed\ndate: 2024-10-30\n---\nText.\n"
    root = _copies(make_site, 6, {"content/copy3/broken.md": broken})
    one = build(root, BuildOptions(now=NOW, jobs=1, rebuild=True, output=tmp_path / "one"))
    two = build(root, BuildOptions(now=NOW, jobs=2, rebuild=True, output=tmp_path / "two"))
    # Parsed in workers or not, the broken article is reported alike and the rest build.
    assert [str(d) for d in one.diagnostics] == [str(d) for d in two.diagnostics]
    assert any(str(d).startswith("content/copy3/broken.md:2: error:") for d in two.diagnostics)
    assert one.articles_analysed == two.articles_analysed > 64
    assert site_snapshot(tmp_path / "one") == site_snapshot(tmp_path / "two")


def _copies(
    make_site: MakeSite, copies: int, more: Mapping[str, str | bytes] | None = None
) -> Path:
    """The example site's articles ``copies`` times over (enough for several workers), and
    ``more`` files."""
    files: dict[str, str | bytes] = {"briefgen.yaml": (REPO / "briefgen.yaml").read_text()}
    for copy in range(copies):
        for source in sorted((REPO / "content").rglob("*.md")):
            if source.name != "README.md":
                files[f"content/copy{copy}/{source.name}"] = source.read_bytes()
    return make_site({**files, **(more or {})})


def test_the_cache_of_a_build_over_several_processes_is_whole(
    make_site: MakeSite, tmp_path: Path
) -> None:
    root = _copies(make_site, 6)
    first = build(root, BuildOptions(now=NOW, jobs=2, output=tmp_path / "site"))
    assert not first.failed() and first.articles_analysed > 64
    # Another process (no memory of the first build) finds every analysis in the cache.
    (root / "content/copy0/added.md").write_text(
        "---\ntitle: Added later\ndate: 2024-10-30\n---\nA short article added later.\n"
    )
    again = build(root, BuildOptions(now=NOW, jobs=2, output=tmp_path / "site"))
    assert again.articles_analysed == 1


def test_cache_files_another_build_replaced_meanwhile_cost_only_time(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _copies(make_site, 6)
    one = build(root, BuildOptions(now=NOW, jobs=1, rebuild=True, output=tmp_path / "one"))
    reading = sys.modules["briefgen.reading"]
    load_shard = reading.load_shard
    replaced: list[int] = []

    def replaced_by_another_build(root: Path, shard: int) -> dict[str, object]:
        # Every other file, just after the worker wrote it: another build's, without (or
        # with other versions of) this build's entries.
        if shard % 2:
            replaced.append(shard)
            return {}
        return load_shard(root, shard)

    monkeypatch.setattr(reading, "load_shard", replaced_by_another_build)
    two = build(root, BuildOptions(now=NOW, jobs=2, rebuild=True, output=tmp_path / "two"))
    assert replaced and not two.failed()
    assert two.articles_read == one.articles_read and two.articles_analysed > 64
    assert site_snapshot(tmp_path / "one") == site_snapshot(tmp_path / "two")
    # What this build read again it saved itself: the next finds every article cached.
    monkeypatch.undo()
    again = build(root, BuildOptions(now=NOW, jobs=2, output=tmp_path / "two"))
    assert again.articles_analysed == 0


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("rebuild", [True, False])
def test_a_cache_that_cannot_be_written_fails_the_build_and_keeps_the_site(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int, rebuild: bool
) -> None:
    root = _copies(make_site, 6)
    out = tmp_path / "site"
    assert not build(root, BuildOptions(now=NOW, jobs=jobs, output=out)).failed()
    before = site_snapshot(out)

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device", str(root / ".briefgen-cache/articles"))

    # (Whether the main process writes the cache files or, in a build from nothing, the
    # workers that read their articles.)
    monkeypatch.setattr(sys.modules["briefgen.cache"], "write_atomically", disk_full)
    article = next((root / "content/copy2").glob("*.md"))
    article.write_text(article.read_text() + "\nOne more sentence for this build.\n")
    # Everything analysed and rendered again (over two processes with two jobs), the cache
    # written by the workers; or the one article, its cache file written after.
    failed = build(root, BuildOptions(now=NOW, jobs=jobs, output=out, rebuild=rebuild))
    assert failed.failed()
    assert [str(d) for d in failed.diagnostics if "cannot write" in str(d)] == [
        f"{root / '.briefgen-cache/articles'}: error: cannot write: No space left on device"
        " (check free space and permissions)"
    ]
    assert site_snapshot(out) == before  # not half a site: the last one, whole
