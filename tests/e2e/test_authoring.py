"""briefgen init and briefgen new: a site that builds at once, articles that read back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build
from briefgen.cli import main
from briefgen.config import load_config
from briefgen.content import discover_articles, read_article


def test_init_makes_a_site_that_builds_with_its_example_article(tmp_path: Path) -> None:
    folder = tmp_path / "city-desk"
    assert main(["init", str(folder)]) == 0
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert names[0] == ".gitignore" and "briefgen.yaml" in names and "layouts/README.md" in names
    assert any(name.startswith("content/") and name.endswith(".md") for name in names)
    assert "site/" in (folder / ".gitignore").read_text()
    config, problems = load_config(folder)
    assert problems == [] and config.title == "City Desk Briefing"
    assert "# base_url:" in (folder / "briefgen.yaml").read_text()  # commented settings
    result = build(folder, BuildOptions())
    assert not result.failed(strict=False) and result.articles_read == 1
    page = next((folder / "site/articles").rglob("index.html")).read_text()
    assert "Council approves protected cycle lanes" in page
    assert "— Mara Lind" in page  # the example shows a quote with its speaker


def test_init_refuses_a_folder_with_files_and_force_adds_only_what_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "briefgen.yaml").write_text("title: Mine\n")
    assert main(["init", str(tmp_path)]) == 1
    assert "is not empty" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefgen.yaml", "notes.txt"]
    assert main(["init", str(tmp_path), "--force"]) == 0
    assert (tmp_path / "briefgen.yaml").read_text() == "title: Mine\n"  # not overwritten
    assert (tmp_path / "layouts/README.md").is_file()


def test_new_writes_an_article_that_reads_back_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "briefgen.yaml").write_text("title: Desk\ntimezone: Asia/Tokyo\n")
    (tmp_path / "content").mkdir()
    monkeypatch.chdir(tmp_path / "content")  # the nearest briefgen.yaml names the site
    monkeypatch.setenv(
        "SOURCE_DATE_EPOCH", str(int(datetime(2024, 10, 28, 20, tzinfo=UTC).timestamp()))
    )
    title = "Mayor’s plan: 500 new homes — «a start»"
    args = ["new", title, "--topic", "city", "--topic", "housing", "--source", "Desk"]
    assert main([*args, "--url", "https://news.example.com/homes"]) == 0
    first = capsys.readouterr().out.strip()
    assert first.endswith("2024/10/mayors-plan-500-new-homes-a-start.md")
    assert main(args) == 0
    second = capsys.readouterr().out.strip()
    assert second.endswith("mayors-plan-500-new-homes-a-start-2.md")
    config, _ = load_config(tmp_path)
    rels = discover_articles(config.content_dir)
    articles = [read_article(config.content_dir, rel, config, rel) for rel in rels]
    one = next(a for a in articles if a.url)
    assert one.title == title and one.source == "Desk" and one.topics == ("city", "housing")
    assert one.date == datetime(2024, 10, 28, 20, tzinfo=UTC)  # now,
    assert one.date.isoformat() == "2024-10-29T05:00:00+09:00"  # in the site's time zone
    assert one.url == "https://news.example.com/homes"


def test_new_takes_a_date_and_refuses_a_bad_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "briefgen.yaml").write_text("title: Desk\n")
    assert main(["new", "Late news", "--site", str(tmp_path), "--date", "2024-10-28 09:15"]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert "2024/10/late-news.md" in path.as_posix()
    assert main(["new", "Late news", "--site", str(tmp_path), "--date", "yesterday"]) == 1
    assert "cannot read the date 'yesterday'" in capsys.readouterr().err
