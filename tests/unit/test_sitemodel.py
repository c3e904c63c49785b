from __future__ import annotations

import pytest

from briefgen.sitemodel import relative_url


@pytest.mark.parametrize(
    ("here", "target", "expected"),
    [
        ("", "topics/economy/", "topics/economy/"),
        ("", "", "./"),
        ("articles/2024/10/x/", "", "../../../../"),
        ("articles/2024/10/x/", "topics/economy/", "../../../../topics/economy/"),
        ("articles/2024/10/x/", "assets/style.css", "../../../../assets/style.css"),
        ("editions/2024-10-28/", "editions/2024-10-27/", "../2024-10-27/"),
        ("404.html", "archive/", "archive/"),
        ("topics/a/", "topics/a/#story-1", "./#story-1"),
    ],
)
def test_links_are_relative_so_the_site_works_under_any_path(
    here: str, target: str, expected: str
) -> None:
    assert relative_url(here, target) == expected


def test_files_mode_makes_every_page_link_end_in_index_html() -> None:
    assert relative_url("", "topics/economy/", "files") == "topics/economy/index.html"
    assert relative_url("archive/", "", "files") == "../index.html"
    assert relative_url("archive/", "assets/style.css", "files") == "../assets/style.css"
