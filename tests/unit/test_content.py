from __future__ import annotations

import pickle
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from briefgen.cache import file_stamps
from briefgen.config import Config
from briefgen.content import discover_articles, is_article_file, parse_article
from briefgen.errors import ContentError
from briefgen.reading import articles_in

CONFIG = Config(root=Path("/site"), timezone="Europe/London")


def parse(text: str, rel: str = "2024/a.md"):  # type: ignore[no-untyped-def]
    return parse_article(text.encode(), rel, CONFIG, f"content/{rel}")


def failure(data: bytes | str) -> tuple[int | None, str]:
    raw = data.encode() if isinstance(data, str) else data
    with pytest.raises(ContentError) as caught:
        parse_article(raw, "bad.md", CONFIG, "content/bad.md")
    diagnostic = caught.value.diagnostic
    assert diagnostic.path == "content/bad.md"
    assert diagnostic.hint, "every error says what to do"
    return diagnostic.line, diagnostic.message


def test_broken_front_matter_names_its_line() -> None:
    line, message = failure("---\ntitle: Fine\ndate: 2024-10-28\nsource: [unclosed\n---\nBody.\n")
    assert line == 4
    assert "YAML" in message


def test_a_colon_in_an_unquoted_title_names_the_title_line() -> None:
    line, _ = failure("---\ndate: 2024-10-28\ntitle: NATO: troops: sent\n---\nBody.\n")
    assert line == 3


def test_missing_title_and_missing_date_are_named() -> None:
    assert "title" in failure("---\ndate: 2024-10-28\n---\nBody.\n")[1]
    assert "date" in failure("---\ntitle: A\n---\nBody.\n")[1]


def test_an_unreadable_date_names_the_date_line() -> None:
    assert failure("---\ntitle: A\nsource: X\ndate: yesterday\n---\nBody.\n") == (
        4,
        "cannot read the date 'yesterday'",
    )


def test_bytes_that_are_not_utf8_name_their_line() -> None:
    line, message = failure(b"---\ntitle: A\ndate: 2024-10-28\n---\nCaf\xe9 society.\n")
    assert line == 5 and "UTF-8" in message


def test_an_empty_body_is_an_error() -> None:
    line, message = failure("---\ntitle: A\ndate: 2024-10-28\n---\n\n  \n")
    assert "no body" in message and line == 5


def test_unsafe_slugs_are_refused() -> None:
    for slug in ("../../x", "a/../b", "CON", "a b", "x/./y"):
        assert "slug" in failure(f"---\ntitle: A\ndate: 2024-10-28\nslug: '{slug}'\n---\nB.\n")[1]


def test_only_http_urls_are_accepted() -> None:
    assert (
        "url" in failure("---\ntitle: A\ndate: 2024-10-28\nurl: javascript:alert(1)\n---\nB.\n")[1]
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [  # naive on purpose: the offset is checked separately
        ("2024-10-28", datetime(2024, 10, 28, 0, 0)),  # noqa: DTZ001
        ("2024-10-30 09:15", datetime(2024, 10, 30, 9, 15)),  # noqa: DTZ001
        ("'2024-10-30T09:15:00'", datetime(2024, 10, 30, 9, 15)),  # noqa: DTZ001
    ],
)
def test_dates_without_offset_are_in_the_config_time_zone(written: str, expected: datetime) -> None:
    article = parse(f"---\ntitle: A\ndate: {written}\n---\nBody.\n")
    assert article.date.replace(tzinfo=None) == expected
    assert article.date.utcoffset() == timedelta(0)  # London is on GMT on these days


def test_a_date_with_an_offset_keeps_it() -> None:
    article = parse("---\ntitle: A\ndate: 2024-10-28T14:05:00+09:00\n---\nBody.\n")
    assert article.date.utcoffset() == timedelta(hours=9)


def test_articles_with_one_offset_share_one_time_zone_in_the_cache_too() -> None:
    dates = ("2024-10-28T14:05:00+09:00", "2024-10-29T08:00:00+09:00", "2024-10-29T08:00:00-05:00")
    a, b, c = (parse(f"---\ntitle: A\ndate: {d}\nupdated: {d}\n---\nB.\n") for d in dates)
    assert b.updated is not None and a.date.tzinfo is b.date.tzinfo is b.updated.tzinfo
    assert c.date.utcoffset() == timedelta(hours=-5) and c.date.tzinfo is not a.date.tzinfo
    a_back, b_back, _ = pickle.loads(pickle.dumps((a, b, c)))
    assert a_back.date.tzinfo is b_back.date.tzinfo
    assert [x.date.isoformat() for x in (a_back, b_back)] == [
        a.date.isoformat(),
        b.date.isoformat(),
    ]


def test_unknown_fields_are_kept_for_templates() -> None:
    article = parse("---\ntitle: A\ndate: 2024-10-28\nregion: Europe\n---\nBody.\n")
    assert article.extra == {"region": "Europe"}


def test_plain_text_comes_from_markdown_with_lines_of_each_block() -> None:
    article = parse(
        "---\ntitle: A\ndate: 2024-10-28\n---\n\nFirst *para*\ngoes on.\n\n"
        "## Heading\n\n- item [link](https://example.com)\n"
    )
    assert article.plain == "First para goes on.\n\nHeading\n\nitem link"
    assert [(b.line, b.kind) for b in article.blocks] == [
        (6, "paragraph"),
        (9, "heading"),
        (11, "item"),
    ]
    assert article.line_of(article.plain.index("item")) == 11


def test_raw_html_is_escaped_unless_the_config_allows_it() -> None:
    article = parse("---\ntitle: A\ndate: 2024-10-28\n---\n\n<script>alert(1)</script> text\n")
    assert "<script>" not in article.html
    assert "&lt;script&gt;" in article.html


def test_links_to_other_articles_and_files_are_noted() -> None:
    article = parse(
        "---\ntitle: A\ndate: 2024-10-28\n---\n\nSee [b](b.md) and ![c](img/c.png).\n",
        rel="2024/10/a.md",
    )
    assert [(link.target, link.kind, link.line) for link in article.links] == [
        ("2024/10/b.md", "article", 6),
        ("2024/10/img/c.png", "asset", 6),
    ]


def test_the_default_slug_is_the_path_without_md() -> None:
    assert (
        parse("---\ntitle: A\ndate: 2024-10-28\n---\nB.\n", rel="2024/10/x.md").slug == "2024/10/x"
    )


def test_readme_and_underscore_or_dot_files_are_not_articles(tmp_path: Path) -> None:
    for rel in (
        "a.md",
        "README.md",
        "_draft.md",
        ".hidden.md",
        "_parts/b.md",
        "sub/c.md",
        "notes.txt",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    assert discover_articles(tmp_path) == ["a.md", "sub/c.md"]
    assert not is_article_file("sub/readme.md")


def test_a_build_finds_the_articles_in_its_stamps_as_a_walk_of_content_does(tmp_path: Path) -> None:
    """A build stamps every file under content/ first and takes the articles from there:
    the same articles, and the same links to folders reported, as ``discover_articles``."""
    content, outside = tmp_path / "content", tmp_path / "outside"
    for rel in ("a.md", "README.md", "_notes/x.md", ".git/y.md", "sub/deep/c.md", "x.md/d.md"):
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text("x")
    (outside / "e.md").parent.mkdir()
    (outside / "e.md").write_text("x")
    (content / "linked").symlink_to(outside)  # reported, not read
    (content / "_notes/linked").symlink_to(outside)  # set apart: neither
    (content / "sub/linked.md").symlink_to(outside)  # a folder, whatever its name
    (content / "sub/e.md").symlink_to(outside / "e.md")  # a file: read (and checked) as one
    (content / "sub/gone.md").symlink_to(outside / "gone.md")  # read, to say it is not there
    walked: list[str] = []
    stamped: list[str] = []
    found = articles_in(file_stamps(content), stamped)
    assert found == discover_articles(content, walked)
    assert found == ["a.md", "sub/deep/c.md", "sub/e.md", "sub/gone.md", "x.md/d.md"]
    assert stamped == walked == ["linked", "sub/linked.md"]
