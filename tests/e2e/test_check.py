"""``briefgen check`` as a user runs it: each finding names its file and line and says what to
do, the exit code fails a CI on errors (and on warnings with --strict), and nothing is
written."""

from __future__ import annotations

import json
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
TOPICS = (
    "title: Desk\nbase_url: https://example.org/\n"
    "topics:\n  security: {label: Security, aliases: [defence]}\n  economy: {}\n"
)


@pytest.fixture
def make_site(make_site: MakeSite) -> MakeSite:
    """Sites with a base_url, unless the test gives its own config: else each would also get
    the warning that feeds and sitemap are left out."""

    def make(files: Mapping[str, str | bytes]) -> Path:
        return make_site({"briefgen.yaml": "base_url: https://example.org/\n", **files})

    return make


@pytest.fixture(autouse=True)
def build_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI reads the clock from SOURCE_DATE_EPOCH, as a reproducible build does."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    """Run ``briefgen check`` in this process: its exit code and the lines it printed."""
    capsys.readouterr()
    code = main(["check", *args])
    return code, capsys.readouterr().out.splitlines()


def listing(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every file and folder under ``root`` with its size, modification time and inode."""
    return {
        path.relative_to(root).as_posix(): (
            path.stat().st_size,
            path.stat().st_mtime_ns,
            path.stat().st_ino,
        )
        for path in root.rglob("*")
    }


def test_a_misspelled_title_is_a_warning_naming_its_line(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site({"content/a.md": "---\ntitel: Budget day\ndate: 2024-10-28\n---\n\nText.\n"})
    code, lines = check(capsys, str(root))
    assert code == 1  # the article has no title: the build's own error
    assert "content/a.md:1: error: front matter has no title (add a line 'title: ...')" in lines
    assert (
        "content/a.md:2: warning: unknown field 'titel': did you mean 'title'? "
        "(rename it to 'title'; as written it only reaches the templates)"
    ) in lines
    assert lines[-1] == "briefgen: 1 articles checked: 1 errors, 1 warnings"


def test_other_unknown_fields_are_allowed(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    fields = {"subtitle": "More", "updated_by": "desk", "image_credit": "AP"}
    root = make_site({"content/a.md": article("Budget day", **fields)})
    assert check(capsys, str(root)) == (0, ["briefgen: 1 articles checked: 0 errors, 0 warnings"])


def test_strict_makes_a_warning_fail(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site({"content/a.md": article("Budget day", tag="budget")})
    code, lines = check(capsys, str(root))
    assert code == 0
    assert lines[0].startswith("content/a.md:4: warning: unknown field 'tag': did you mean 'tags'?")
    assert check(capsys, str(root), "--strict")[0] == 1


def test_json_output_is_one_document_listing_the_findings(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site({"content/a.md": article("Budget day", data="2024-10-29")})
    code, lines = check(capsys, str(root), "--format", "json")
    assert code == 0
    report = json.loads("\n".join(lines))
    assert report == {
        "findings": [
            {
                "path": "content/a.md",
                "line": 4,
                "level": "warning",
                "message": "unknown field 'data': did you mean 'date'?",
                "hint": "rename it to 'date'; as written it only reaches the templates",
            }
        ],
        "errors": 0,
        "warnings": 1,
        "articles": 1,
        "pages": 0,
    }


def test_an_article_dated_in_the_future_is_reported_unless_future(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site({"content/a.md": article("Next year", date="2025-03-01")})
    code, lines = check(capsys, str(root))
    assert code == 0
    assert lines[0] == (
        "content/a.md:3: warning: dated in the future (2025-03-01 00:00+00:00): it is held back "
        "until then (use --future to include it, or fix the date)"
    )
    assert check(capsys, str(root), "--future")[1] == [
        "briefgen: 1 articles checked: 0 errors, 0 warnings"
    ]


def test_a_topic_the_config_does_not_define_is_reported_with_the_one_meant(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "---\ntitle: Talks\ndate: 2024-10-28\ntopics:\n  - defence\n  - securty\n---\n\nText.\n"
    root = make_site({"briefgen.yaml": TOPICS, "content/a.md": body})
    code, lines = check(capsys, str(root))
    assert code == 0  # "defence" is an alias of security: fine
    assert lines[:-1] == [
        "content/a.md:6: warning: topic 'securty' is not in briefgen.yaml: it becomes a topic of "
        "its own (did you mean 'security'? Else add it under topics: in briefgen.yaml)"
    ]


def test_a_key_point_or_quote_not_in_the_text_is_reported_at_its_entry(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    body = (
        "---\ntitle: Talks\ndate: 2024-10-28\nkey_points:\n"
        "  - The talks resumed on Monday.\n"
        "  - The talks collapsed.\n"
        "quotes:\n"
        "  - {text: We made progress, speaker: Anna Berg}\n"
        "  - {text: We made great progress, speaker: Anna Berg}\n"
        "---\n\n"
        'The talks resumed on Monday. "We made progress," said Anna Berg.\n'
    )
    root = make_site({"content/a.md": body})
    code, lines = check(capsys, str(root))
    assert code == 0
    assert [line.split(" (")[0] for line in lines[:-1]] == [
        "content/a.md:6: warning: key point not found word for word in the article: "
        "'The talks collapsed.'",
        "content/a.md:9: warning: quote not found word for word in the article: "
        "'We made great progress'",
    ]


def test_a_link_to_a_missing_article_and_a_missing_image_name_their_markdown_line(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "First paragraph.\n\nSee [the other report](other.md).\n\n![A chart](chart.png)\n"
    root = make_site({"content/news/a.md": article("Talks", body=body)})
    code, lines = check(capsys, str(root))
    assert code == 1
    assert lines[:-1] == [
        "content/news/a.md:8: error: link to 'news/other.md', which is not an article of this "
        "build (fix the path, or check that the target is not a draft or broken)",
        "content/news/a.md:10: warning: 'content/news/chart.png' does not exist "
        "(fix the image or file path in the article)",
    ]


def test_two_articles_claiming_one_url_are_reported(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site(
        {"content/a.md": article("A", slug="same"), "content/b.md": article("B", slug="same")}
    )
    code, lines = check(capsys, str(root))
    assert code == 1
    assert "content/b.md and content/a.md both claim the URL /articles/same/index.html" in lines[0]


def test_a_broken_article_gets_the_message_build_gives(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site({"content/a.md": "---\ntitle: [unclosed\ndate: 2024-10-28\n---\nText.\n"})
    built = build(root, BuildOptions(now=NOW, search=False))
    [from_build] = [str(d) for d in built.diagnostics if d.path == "content/a.md"]
    code, lines = check(capsys, str(root))
    assert code == 1
    assert lines[0] == from_build
    assert from_build.startswith("content/a.md:2: error: front matter is not valid YAML")


def test_a_built_site_missing_a_file_is_reported(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site(
        {
            "content/a.md": article("Talks", body="Text.\n\n![A chart](chart.svg)\n"),
            "content/chart.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        }
    )
    assert not build(root, BuildOptions(now=NOW, search=False)).failed()
    assert check(capsys, str(root))[0] == 0  # the search index is missing: only a warning
    (root / "site/articles/a/chart.svg").unlink()
    code, lines = check(capsys, str(root))
    assert code == 1
    [broken] = [line for line in lines if ": error: " in line]
    assert (
        broken.startswith("site/articles/a/index.html:")
        and "error: broken link 'chart.svg': there is no articles/a/chart.svg" in broken
    )
    assert lines[-1].startswith("briefgen: 1 articles and ")


def test_check_writes_nothing(make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_site(
        {
            "content/a.md": article("Talks", body="Text.\n\n![A chart](missing.png)\n"),
            "content/b.md": article("Later", date="2025-01-01", tag="x"),
        }
    )
    assert not build(root, BuildOptions(now=NOW, search=False)).failed()
    (root / "content/c.md").write_text(article("New since the build"))
    before = listing(root)
    code, lines = check(capsys, str(root))
    assert code == 1 and len(lines) > 3  # the image is missing from the site too
    assert listing(root) == before


def test_the_example_site_checks_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("briefgen.yaml", "content", "layouts"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, tmp_path / name)
    code, lines = check(capsys, str(tmp_path), "--strict")
    assert (code, lines) == (0, ["briefgen: 15 articles checked: 0 errors, 0 warnings"])


def test_an_empty_base_url_is_the_warning_build_gives(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site({"briefgen.yaml": "title: Desk\n", "content/a.md": article("Budget day")})
    code, lines = check(capsys, str(root), "--strict")
    assert code == 1
    assert lines[0] == (
        "briefgen.yaml: warning: base_url is empty: no feeds, sitemap or canonical links are "
        "written (set base_url: https://your.site/ in briefgen.yaml)"
    )
