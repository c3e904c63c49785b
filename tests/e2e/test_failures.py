"""Builds that meet bad input: every good article still builds, nothing is lost or escapes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build
from briefgen.cache import CACHE_DIR
from briefgen.checking.built_site import check_built_site
from briefgen.errors import Level
from tests.conftest import article

NOW = datetime(2024, 11, 2, tzinfo=UTC)
MakeSite = Callable[[Mapping[str, str | bytes]], Path]
CONFIG = "title: Test Briefing\nbase_url: https://example.org/\n"
GOOD = {
    "briefgen.yaml": CONFIG,
    "content/a.md": article("Alpha story", body='Officials met. "We agree," Ann Lee said.'),
    "content/b.md": article("Beta story", date="2024-10-29", body="Markets rose on Tuesday."),
}


def errors_of(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(d) for d in result.diagnostics if d.level is Level.ERROR]


def test_a_broken_article_is_named_with_its_line_and_the_others_build(make_site: MakeSite) -> None:
    root = make_site({**GOOD, "content/broken.md": "---\ntitle: Bad\ndate: [2024\n---\nText.\n"})
    result = build(root, BuildOptions(now=NOW))
    assert result.failed()
    [message] = errors_of(result)
    assert message.startswith("content/broken.md:3: error:")
    assert (root / "site/articles/a/index.html").is_file()
    assert (root / "site/articles/b/index.html").is_file()
    assert not (root / "site/articles/broken").exists()


def test_a_broken_article_keeps_its_previously_published_page(make_site: MakeSite) -> None:
    root = make_site(GOOD)
    assert not build(root, BuildOptions(now=NOW)).failed()
    published = (root / "site/articles/a/index.html").read_text()
    (root / "content/a.md").write_text("---\ntitle: Alpha story\n---\nNo date now.\n")
    result = build(root, BuildOptions(now=NOW))
    assert result.failed() and "content/a.md:" in errors_of(result)[0]
    assert (root / "site/articles/a/index.html").read_text() == published
    assert (
        "Alpha story" in (root / "site/index.html").read_text()
        or "Alpha story" in (root / "site/editions/2024-10-28/index.html").read_text()
    )


def test_a_template_error_leaves_the_previous_output_untouched(make_site: MakeSite) -> None:
    root = make_site(GOOD)
    build(root, BuildOptions(now=NOW))
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    (root / "layouts").mkdir()
    (root / "layouts/article.html").write_text(
        '{% extends "theme/article.html" %}\n{% block main %}\n{{ item.no_such_field }}\n'
        "{% endblock %}\n"
    )
    (root / "content/c.md").write_text(article("Gamma story", body="New text here."))
    result = build(root, BuildOptions(now=NOW))
    assert result.failed() and not result.wrote_output
    [message] = errors_of(result)
    assert message.startswith("layouts/article.html:3: error:")
    after = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == before


def test_a_template_syntax_error_names_its_file_and_line(make_site: MakeSite) -> None:
    root = make_site({**GOOD, "layouts/index.html": "{% extends 'base.html' %}\n{% block main %\n"})
    result = build(root, BuildOptions(now=NOW))
    assert [m.split(": error")[0] for m in errors_of(result)] == ["layouts/index.html:2"]
    assert not (root / "site").exists()


def test_pages_of_deleted_articles_disappear(make_site: MakeSite) -> None:
    root = make_site(GOOD)
    build(root, BuildOptions(now=NOW))
    (root / "content/b.md").unlink()
    result = build(root, BuildOptions(now=NOW))
    assert not result.failed()
    assert not (root / "site/articles/b").exists()
    assert result.files_removed >= 1


def test_two_articles_claiming_one_url_is_an_error_naming_both(make_site: MakeSite) -> None:
    root = make_site({**GOOD, "content/c.md": article("Gamma", slug="a")})
    result = build(root, BuildOptions(now=NOW))
    [message] = errors_of(result)
    assert "content/a.md" in message and "content/c.md" in message


def test_a_slug_cannot_write_outside_the_output(make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site({**GOOD, "content/evil.md": article("Evil", slug="'../../../escape'")})
    result = build(root, BuildOptions(now=NOW))
    assert result.failed()
    assert "content/evil.md:4" in errors_of(result)[0]
    assert not list(tmp_path.rglob("escape*"))


def test_drafts_and_future_articles_are_held_back_unless_asked(make_site: MakeSite) -> None:
    root = make_site(
        {
            **GOOD,
            "content/d.md": article("Draft", draft="true"),
            "content/f.md": article("Future", date="2030-01-01"),
        }
    )
    result = build(root, BuildOptions(now=NOW))
    assert result.articles_held_back == 2
    assert not (root / "site/articles/d").exists() and not (root / "site/articles/f").exists()
    build(root, BuildOptions(now=NOW, drafts=True, future=True))
    assert (root / "site/articles/d").is_dir() and (root / "site/articles/f").is_dir()


def test_a_link_to_a_missing_article_is_an_error_with_its_line(make_site: MakeSite) -> None:
    root = make_site({**GOOD, "content/c.md": article("Gamma", body="See [this](nowhere.md).")})
    result = build(root, BuildOptions(now=NOW))
    assert errors_of(result)[0].startswith("content/c.md:6: error:")


def test_an_output_folder_with_foreign_files_is_not_replaced(
    make_site: MakeSite, tmp_path: Path
) -> None:
    root = make_site(GOOD)
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    result = build(root, BuildOptions(now=NOW, output=precious))
    assert result.failed()
    assert (precious / "thesis.txt").read_text() == "years of work"


def test_an_empty_base_url_leaves_feed_and_sitemap_out_with_a_warning(make_site: MakeSite) -> None:
    root = make_site({**GOOD, "briefgen.yaml": "title: T\n"})
    result = build(root, BuildOptions(now=NOW))
    assert not result.failed() and result.failed(strict=True)
    assert any("base_url" in d.message for d in result.diagnostics)
    assert not (root / "site/feed.xml").exists() and not (root / "site/sitemap.xml").exists()


def test_a_config_with_a_wrong_type_stops_the_build(make_site: MakeSite) -> None:
    root = make_site({**GOOD, "briefgen.yaml": CONFIG + "key_points: many\n"})
    result = build(root, BuildOptions(now=NOW))
    assert errors_of(result) and errors_of(result)[0].startswith(str(root / "briefgen.yaml") + ":3")
    assert not (root / "site").exists()


def test_article_text_is_escaped(make_site: MakeSite) -> None:
    root = make_site(
        {
            **GOOD,
            "content/x.md": article(
                "<script>alert(1)</script>", body='He said "<img src=x onerror=alert(1)>" loudly.'
            ),
        }
    )
    build(root, BuildOptions(now=NOW))
    for page in (root / "site").rglob("*.html"):
        text = page.read_text()
        assert "<script>alert" not in text and "<img src=x" not in text, page


@pytest.mark.parametrize("when", ["commit", "add"])
def test_a_full_disk_is_reported_and_the_previous_site_stays(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    root = make_site(GOOD)
    build(root, BuildOptions(now=NOW))
    before = (root / "site/index.html").read_bytes()

    def no_space(*args: object) -> None:
        raise OSError(28, "No space left on device", str(root / "site"))

    monkeypatch.setattr(sys.modules["briefgen.output"].SiteWriter, when, no_space)
    (root / "content/b.md").write_text(article("Beta story", date="2024-10-29", body="Changed."))
    result = build(root, BuildOptions(now=NOW))
    assert result.failed() and "No space left on device" in errors_of(result)[0]
    assert (root / "site/index.html").read_bytes() == before


def test_a_link_outside_content_is_a_warning_and_the_article_builds(make_site: MakeSite) -> None:
    root = make_site({**GOOD, "content/c.md": article("Gamma", body="See [x](../../secret.txt).")})
    result = build(root, BuildOptions(now=NOW))
    assert not result.failed() and result.failed(strict=True)
    assert any(str(d).startswith("content/c.md:6: warning:") for d in result.diagnostics)
    assert (root / "site/articles/c/index.html").is_file()
    assert not list((root / "site").rglob("secret.txt"))


def test_temporary_files_a_killed_build_left_in_the_cache_are_cleared(make_site: MakeSite) -> None:
    root = make_site(GOOD)
    options = BuildOptions(now=NOW, search=False)
    assert not build(root, options).failed()
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    dead = int(gone.stdout)  # a process that has ended
    cache = root / CACHE_DIR
    left = [cache / f".tmp-{dead}-x1", cache / "articles" / f".tmp-{dead}-x2"]
    running = cache / "articles" / f".tmp-{os.getpid()}-x3"  # a build still writing it
    for path in [*left, running]:
        path.write_bytes(b"half a cache file")
    (root / "content/a.md").write_text(article("Alpha again"))
    assert not build(root, options).failed()
    assert [p.exists() for p in left] == [False, False]
    assert running.exists()


def test_file_names_with_spaces_and_accents_make_working_links(make_site: MakeSite) -> None:
    root = make_site(
        {
            **GOOD,
            "content/Budget day.md": article(
                "Budget day", body="Rates held. See [the café](café.md)."
            ),
            "content/café.md": article("Café owners react", body="Owners spoke on Monday."),
        }
    )
    result = build(root, BuildOptions(now=NOW, search=False))
    assert not result.failed(), [str(d) for d in result.diagnostics]
    site = root / "site"
    assert (site / "articles/Budget day/index.html").is_file()
    page = (site / "articles/Budget day/index.html").read_text()
    assert 'href="../caf%C3%A9/"' in page  # percent-encoded, as a URL carries it
    sitemap = (site / "sitemap.xml").read_text()
    assert "https://example.org/articles/Budget%20day/" in sitemap
    assert "Budget day/" not in sitemap
    findings, _ = check_built_site(site, shown="site", base_url="https://example.org/")
    assert [str(f) for f in findings if f.level is Level.ERROR] == []  # every link resolves


def test_slugs_that_differ_only_in_case_are_a_warning_naming_both(make_site: MakeSite) -> None:
    root = make_site(
        {**GOOD, "content/Rates.md": article("Rates up"), "content/rates.md": article("Rates")}
    )
    result = build(root, BuildOptions(now=NOW, search=False))
    warnings = [str(d) for d in result.diagnostics if d.level is Level.WARNING]
    assert any(
        "content/rates.md and content/Rates.md claim URLs that differ only in letter case" in w
        or "content/Rates.md and content/rates.md claim URLs that differ only in letter case" in w
        for w in warnings
    ), warnings
