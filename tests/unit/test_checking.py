"""The parts of ``briefgen check`` that decide alone: which unknown fields look misspelled, and
which links of a built page lead nowhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.checking.built_site import check_built_site
from briefgen.checking.front_matter import front_matter_lines, meant_field


@pytest.mark.parametrize(
    ("key", "meant"),
    [
        ("titel", "title"),
        ("tittle", "title"),
        ("Title", "title"),
        ("data", "date"),
        ("topic", "topics"),
        ("categories", "topics"),
        ("key-points", "key_points"),
        ("keypoints", "key_points"),
        ("quote", "quotes"),
        ("auther", "author"),
        ("pinned", "pin"),
    ],
)
def test_a_misspelled_field_is_taken_for_the_one_meant(key: str, meant: str) -> None:
    assert meant_field(key, frozenset()) == meant


@pytest.mark.parametrize("key", ["subtitle", "summary", "updated_by", "source_url", "story_id"])
def test_a_field_of_the_sites_own_is_no_misspelling(key: str) -> None:
    assert meant_field(key, frozenset()) is None


def test_a_guess_by_likeness_is_not_made_for_a_field_that_is_there() -> None:
    assert meant_field("titles", frozenset()) == "title"
    assert meant_field("titles", frozenset({"title"})) is None


def test_front_matter_lines_name_keys_and_list_entries() -> None:
    text = b"---\ntitle: T\ntopics:\n  - a\n  - b\ntags: [x, y]\n---\n\nBody.\n"
    lines = front_matter_lines(text, "content/a.md")
    assert lines.keys == {"title": 2, "topics": 3, "tags": 6}
    assert lines.of_entry("topics", 1, 2) == 5
    assert lines.of_entry("topics", 1, 3) == 3  # not the list as read: the key's line


def write_site(root: Path, pages: dict[str, str]) -> Path:
    for rel, html in pages.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(html)
    return root


def test_every_kind_of_broken_link_in_a_built_page_is_named_with_its_line(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {
            "index.html": (
                '<a href="a/">fine</a> <a href="a/#top">top</a> <a href="#here" id="here">x</a>\n'
                '<a href="a/#nowhere">anchor</a>\n'
                '<img src="gone.png">\n'
                '<a href="/a/">rooted</a>\n'
                '<script src="https://cdn.example.com/x.js"></script>\n'
                '<a href="https://elsewhere.example.com/">a reader may go</a>\n'
                '<a href="../up.html">up</a> <a href="mailto:desk@example.org">mail</a>\n'
            ),
            "a/index.html": '<p id="p">A</p>',
        },
    )
    findings, pages = check_built_site(site, shown="site")
    assert pages == 2
    assert [(f.path, f.line, f.level.value, f.message) for f in findings] == [
        (
            "site/index.html",
            2,
            "error",
            "broken link 'a/#nowhere': a/index.html has no id 'nowhere'",
        ),
        ("site/index.html", 3, "error", "broken link 'gone.png': there is no gone.png"),
        ("site/index.html", 4, "warning", "link '/a/' starts at the domain's root"),
        (
            "site/index.html",
            5,
            "warning",
            "<script src> loads 'https://cdn.example.com/x.js' from another site",
        ),
        ("site/index.html", 7, "error", "link '../up.html' leads outside the site"),
    ]


def test_with_links_files_a_link_to_a_folder_is_broken(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"index.html": '<a href="a/">a</a>', "a/index.html": "<p>A</p>"})
    [finding] = check_built_site(site, shown="site", links="files")[0]
    assert finding.message.startswith("link 'a/' is a folder")
    assert check_built_site(site, shown="site", links="directories")[0] == []
