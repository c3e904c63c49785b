"""Analysis over several processes gives the same site, byte for byte."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from briefgen.build import BuildOptions, build
from tests.conftest import REPO

NOW = datetime(2024, 11, 2, 12, tzinfo=UTC)
MakeSite = Callable[[Mapping[str, str | bytes]], Path]


def test_jobs_do_not_change_a_single_byte(make_site: MakeSite, tmp_path: Path) -> None:
    examples = sorted((REPO / "content").rglob("*.md"))
    files: dict[str, str | bytes] = {"briefgen.yaml": (REPO / "briefgen.yaml").read_text()}
    for copy in range(6):  # enough articles for several workers
        for source in examples:
            if source.name != "README.md":
                files[f"content/copy{copy}/{source.name}"] = source.read_bytes()
    root = make_site(files)
    one = build(root, BuildOptions(now=NOW, jobs=1, rebuild=True, output=tmp_path / "one"))
    two = build(root, BuildOptions(now=NOW, jobs=2, rebuild=True, output=tmp_path / "two"))
    assert not one.failed() and not two.failed()
    assert one.articles_analysed == two.articles_analysed > 64
    first = {
        p.relative_to(tmp_path / "one"): p.read_bytes()
        for p in (tmp_path / "one").rglob("*")
        if p.is_file()
    }
    second = {
        p.relative_to(tmp_path / "two"): p.read_bytes()
        for p in (tmp_path / "two").rglob("*")
        if p.is_file()
    }
    assert first == second
