"""The search index: made with the site when page text changed, from article pages only, with
filters by topic and source; kept as it is when nothing changed; never the reason a build
fails."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build
from briefgen.cli import main
from tests.conftest import REPO, article

NOW = datetime(2024, 11, 2, 12, tzinfo=UTC)
MakeSite = Callable[[Mapping[str, str | bytes]], Path]


def _example(tmp_path: Path) -> Path:
    for name in ("briefgen.yaml", "content", "layouts"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, tmp_path / name)
    return tmp_path


def _indexed_pages(site: Path) -> int:
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text())
    return sum(language["page_count"] for language in entry["languages"].values())


def _inodes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()
    }


def test_the_example_is_searchable_by_its_articles_topics_and_sources(tmp_path: Path) -> None:
    root = _example(tmp_path)
    result = build(root, BuildOptions(now=NOW))
    assert not result.failed() and result.search_indexed
    site = root / "site"
    articles = list((site / "articles").rglob("index.html"))
    assert _indexed_pages(site) == len(articles) == 14  # articles only, not listings
    assert (site / "pagefind/pagefind.js").is_file()
    assert not list((site / "pagefind").glob("pagefind-ui*"))  # the theme has its own page
    nato = (site / "articles/2024/10/nato-confirms-north-korean-units-kursk/index.html").read_text()
    assert "data-pagefind-body" in nato
    assert re.search(r'data-pagefind-filter="topic">Security<', nato)
    assert re.search(r'data-pagefind-filter="source">[^<]+<', nato)
    search = (site / "search/index.html").read_text()
    assert 'data-index="../pagefind/pagefind.js"' in search
    assert re.search(r'<script src="../assets/search\.[0-9a-f]{10}\.js" defer>', search)
    front = (site / "index.html").read_text()
    assert (
        '<form class="site-search" role="search" aria-label="Search the site" action="search/">'
        in front
    )


def test_the_index_is_made_again_only_when_page_text_changed(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/a.md": article("Port strike ends", body="Dockers voted to return."),
            "content/b.md": article("Rates cut", source="Two", body="The bank cut rates."),
        }
    )
    assert build(root, BuildOptions(now=NOW)).search_indexed
    before = _inodes(root / "site/pagefind")
    (root / "static").mkdir()
    (root / "static/logo.txt").write_text("a new file, but no page changed")
    again = build(root, BuildOptions(now=NOW))
    assert again.files_written == 1 and (root / "site/logo.txt").is_file()
    assert not again.search_indexed and _inodes(root / "site/pagefind") == before
    (root / "content/b.md").write_text(
        article("Rates cut again", source="Two", body="The bank cut rates once more.")
    )
    changed = build(root, BuildOptions(now=NOW))
    assert changed.search_indexed
    fragments = "".join(
        p.read_bytes().hex() for p in sorted((root / "site/pagefind/fragment").iterdir())
    )
    assert fragments  # the index was remade from the pages as they are now
    assert _indexed_pages(root / "site") == 2


def test_a_build_without_search_leaves_the_index_behind_and_the_next_one_remakes_it(
    make_site: MakeSite,
) -> None:
    root = make_site({"content/a.md": article("Port strike ends", body="Dockers voted.")})
    assert build(root, BuildOptions(now=NOW)).search_indexed
    (root / "content/b.md").write_text(article("Rates cut", body="The bank cut rates."))
    quiet = build(root, BuildOptions(now=NOW, search=False))
    assert not quiet.search_indexed and _indexed_pages(root / "site") == 1  # behind
    caught_up = build(root, BuildOptions(now=NOW))  # nothing else changed
    assert caught_up.search_indexed and _indexed_pages(root / "site") == 2


def test_without_pagefind_the_build_warns_and_publishes_the_rest(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site({"content/a.md": article("Port strike ends", body="Dockers voted.")})
    monkeypatch.setattr("briefgen.search_index._pagefind_binary", lambda: None)
    assert main(["build", str(root)]) == 0
    said = capsys.readouterr().err
    assert "warning: Pagefind is not installed" in said and "--no-search" in said
    assert (root / "site/articles/a/index.html").is_file()
    assert not (root / "site/pagefind").exists()
    assert main(["build", str(root), "--strict"]) == 1  # a CI that wants search notices


def test_a_failing_indexer_keeps_the_previous_index(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = make_site({"content/a.md": article("Port strike ends", body="Dockers voted.")})
    assert build(root, BuildOptions(now=NOW)).search_indexed
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'index: out of cheese' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setattr("briefgen.search_index._pagefind_binary", lambda: broken)
    (root / "content/b.md").write_text(article("Rates cut", body="The bank cut rates."))
    result = build(root, BuildOptions(now=NOW))
    assert "Pagefind failed (index: out of cheese)" in [d.message for d in result.diagnostics]
    assert (root / "site/articles/b/index.html").is_file()
    assert _indexed_pages(root / "site") == 1  # the old index, not none
