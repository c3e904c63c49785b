from __future__ import annotations

import posixpath
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


@given(
    here=st.lists(st.sampled_from(["a", "b", "topics", "x y"]), max_size=3),
    page=st.sampled_from(["", "index.html", "feed.xml"]),
    there=st.lists(st.sampled_from(["a", "b", "topics", "é"]), max_size=3),
    leaf=st.sampled_from(["", "style.css", "x/"]),
    fragment=st.sampled_from(["", "#q-1"]),
    links=st.sampled_from(["directories", "files"]),
)
def test_a_relative_link_leads_where_the_target_is(
    here: list[str], page: str, there: list[str], leaf: str, fragment: str, links: str
) -> None:
    from_url = "".join(f"{folder}/" for folder in here) + page
    to_url = "".join(f"{folder}/" for folder in there) + leaf + fragment
    link = relative_url(from_url, to_url, links)
    target, _, tail = to_url.partition("#")
    if links == "files" and (target == "" or target.endswith("/")):
        target += "index.html"
    path, _, link_tail = link.partition("#")
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(from_url), unquote(path)))
    assert resolved == (posixpath.normpath(target) if target else ".")
    assert link_tail == tail
    assert not link.startswith("/")
