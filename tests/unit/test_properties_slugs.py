"""Properties of slugs: the URL path of an article and the file name ``briefgen new`` makes.

An article's slug (its path under content/ without .md, or front matter ``slug``), its aliases
and a story id each become a URL and an output folder, so whatever the reader accepts is a safe
path on Linux, macOS and Windows, and reading the same file again gives the same one. A new
article's file name comes from its title: never empty, always safe, never one already taken.

``HYPOTHESIS_PROFILE=thorough`` runs many more examples (see tests/conftest.py).
"""

from __future__ import annotations

import tempfile
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from briefgen.authoring.new_article import free_path, new_article, title_slug
from briefgen.config import Config
from briefgen.content import Article, read_article
from briefgen.errors import ContentError
from tests.unit.test_properties_content import document, front_matter, read

# --- what safe means ---------------------------------------------------------------------------

# Names Windows keeps for devices, whatever the case or the extension (nul.txt).
WINDOWS_DEVICES = {"con", "prn", "aux", "nul", "conin$", "conout$"} | {
    f"{port}{n}" for port in ("com", "lpt") for n in "123456789¹²³"
}
# Characters that end or escape a URL path (# ? %), or that Windows refuses in a file name.
FORBIDDEN = set('\\#?%<>:"|*')


def why_unsafe(path: str) -> str | None:
    """Why ``path`` is not a safe URL path and relative file path everywhere, or None."""
    if not path or path.startswith("/"):
        return "empty or absolute"
    for char in path:
        if char in FORBIDDEN or unicodedata.category(char) in ("Cc", "Cs"):
            return f"has {char!r}"
        if char.isspace() and char != " ":
            return f"has {char!r}"
    for part in path.split("/"):
        if part in ("", ".", ".."):
            return f"has the segment {part!r}"
        if part.endswith((".", " ")):
            return f"{part!r} ends in a dot or a space (Windows drops them)"
        if part.split(".")[0].rstrip(" ").lower() in WINDOWS_DEVICES:
            return f"{part!r} is a Windows device name"
    return None


SLUG_PIECES = ["a", "Z", "0", "-", "_", ".", "..", "/", "//", " ", "\\", "\n", "\t", "\x00"]
SLUG_PIECES += ["\x7f", "\x85", "\u2028", ":", "?", "#", "%", "*", "|", "<", ">", '"', "é", "$"]
SLUG_PIECES += ["CON", "nul", "Com1", "LPT9", "com¹", "aux.txt", "prn ", "conin$", "a.", "b "]
slug_texts = st.lists(
    st.sampled_from(SLUG_PIECES) | st.text(max_size=3), min_size=1, max_size=8
).map("".join)
# A file path under content/ as a file system may hold it.
file_paths = st.lists(
    st.lists(st.sampled_from(SLUG_PIECES) | st.text(max_size=3), min_size=1, max_size=4)
    .map("".join)
    .filter(lambda name: name not in (".", "..") and "/" not in name and "\x00" not in name),
    min_size=1,
    max_size=3,
).map(lambda parts: "/".join(parts) + ".md")


@given(slug_texts)
# '$' ended the check's pattern, which matches before a final newline: "abc\n" was accepted.
@example("abc\n/")
@example("x.")  # a trailing dot, which Windows drops: x. and x are one folder there
def test_an_accepted_front_matter_slug_is_a_safe_path(slug: str) -> None:
    result = read(document(front_matter(slug=slug)))
    if isinstance(result, Article):
        assert why_unsafe(result.slug) is None, result.slug


@given(st.lists(slug_texts, min_size=1, max_size=3))
@example(["abc\n/"])
def test_accepted_aliases_are_safe_paths(aliases: list[str]) -> None:
    result = read(document(front_matter(aliases=aliases)))
    if isinstance(result, Article):
        assert all(why_unsafe(alias) is None for alias in result.aliases), result.aliases


@given(slug_texts)
# A story id became the URL stories/<id>/ unchecked: the build then refused to write the whole
# site, naming no article.
@example("../../x")
@example("a#b")
def test_an_accepted_story_id_is_a_safe_path(story: str) -> None:
    result = read(document(front_matter(story=story)))
    if isinstance(result, Article) and isinstance(result.story, str) and result.story:
        assert why_unsafe(result.story) is None, result.story


@given(file_paths)
# The slug made from the file's path was not checked: a#b.md, 100%.md and what?.md made broken
# links, CON.md a folder Windows cannot hold.
@example("a#b.md")
@example("2024/CON.md")
@example("what?.md")
def test_the_slug_made_from_the_file_path_is_a_safe_path_or_refused(rel_path: str) -> None:
    result = read(document(front_matter()), rel_path)
    if isinstance(result, Article):
        assert why_unsafe(result.slug) is None, result.slug
    else:
        assert "slug" in result.diagnostic.hint, result.diagnostic


@given(st.lists(file_paths, min_size=2, max_size=2, unique=True))
def test_two_files_without_a_slug_line_get_two_slugs(rel_paths: list[str]) -> None:
    read_back = [read(document(front_matter()), rel_path) for rel_path in rel_paths]
    slugs = {result.slug for result in read_back if isinstance(result, Article)}
    assert len(slugs) == sum(isinstance(result, Article) for result in read_back)


@given(file_paths, st.none() | slug_texts)
def test_reading_a_file_again_gives_the_same_slug(rel_path: str, slug: str | None) -> None:
    data = document(front_matter() if slug is None else front_matter(slug=slug))
    first, again = read(data, rel_path), read(data, rel_path)
    if isinstance(first, Article):
        assert isinstance(again, Article) and again.slug == first.slug
    else:
        assert isinstance(again, ContentError) and again.diagnostic == first.diagnostic


# --- briefgen new ------------------------------------------------------------------------------

titles = st.text(max_size=100) | st.lists(
    st.sampled_from([*SLUG_PIECES, "Mayor's", "’", "NATO", "中文", "Ærø", "😀", "  "]), max_size=12
).map(" ".join)


@given(titles)
@example("CON")  # con.md: a device name on Windows, and a slug the reader refuses
@example("Nul")
@example("com1")
def test_a_title_slug_is_a_safe_file_name(title: str) -> None:
    slug = title_slug(title)
    assert why_unsafe(slug) is None and why_unsafe(f"{slug}.md") is None, slug


@given(titles)
def test_a_title_slug_is_short_lowercase_ascii_words(title: str) -> None:
    slug = title_slug(title)
    assert 0 < len(slug) <= 60
    assert all(word and word.isascii() and word.isalnum() for word in slug.split("-")), slug
    assert slug == slug.lower()


@given(titles)
def test_a_title_always_gives_the_same_slug(title: str) -> None:
    assert title_slug(title) == title_slug(title)


@given(st.lists(st.sampled_from(["a", "a-2", "a-3", "a-2-2", "b"]) | st.builds(title_slug, titles)))
def test_free_path_never_gives_a_path_already_taken(slugs: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        made = []
        for slug in slugs:
            path = free_path(Path(folder), slug)
            assert not path.exists()
            path.touch()
            made.append(path)
        assert len(set(made)) == len(slugs)


@given(titles.filter(str.strip))
# PyYAML wrote U+0085 (and U+2028, U+2029) as a line break, read back as a space.
@example("0\x850")
@example("Talks\u2028resume")
@example("a\r\nb\rc\n\nd\t\ufeff")
def test_a_new_article_reads_back_with_its_title(title: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = Config(root=Path(folder))
        path = new_article(config, title, datetime(2024, 10, 28, 9, 15, tzinfo=UTC))
        rel_path = path.relative_to(config.content_dir).as_posix()
        article = read_article(config.content_dir, rel_path, config, rel_path)
    assert article.title == title.strip()
    assert why_unsafe(article.slug) is None
