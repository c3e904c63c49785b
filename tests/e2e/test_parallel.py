"""Analysis over several processes gives the same site, byte for byte."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from briefgen.build import BuildOptions, build
from tests.conftest import REPO, site_snapshot

NOW = datetime(2024, 11, 2, 12, tzinfo=UTC)
MakeSite = Callable[[Mapping[str, str | bytes]], Path]


def test_jobs_do_not_change_a_single_byte(make_site: MakeSite, tmp_path: Path) -> None:
    examples = sorted((REPO / "content").rglob("*.md"))
    files: dict[str, str | bytes] = {"briefgen.yaml": (REPO / "briefgen.yaml").read_text()}
    for copy in range(6):  # enough articles for several workers
        for source in examples:
            if source.name != "README.md":
                files[f"content/copy{copy}/{source.name}"] = source.read_bytes()
    files["content/copy3/broken.md"] = "---\ntitle: [unclosed\ndate: 2024-10-30\n---\nText.\n"
    root = make_site(files)
    one = build(root, BuildOptions(now=NOW, jobs=1, rebuild=True, output=tmp_path / "one"))
    two = build(root, BuildOptions(now=NOW, jobs=2, rebuild=True, output=tmp_path / "two"))
    # Parsed in workers or not, the broken article is reported alike and the rest build.
    assert [str(d) for d in one.diagnostics] == [str(d) for d in two.diagnostics]
    assert any(str(d).startswith("content/copy3/broken.md:2: error:") for d in two.diagnostics)
    assert one.articles_analysed == two.articles_analysed > 64
    assert site_snapshot(tmp_path / "one") == site_snapshot(tmp_path / "two")
