"""The two Markdown parsers agree: an article markdown-it-pyrs reads (the quick way) gets the
HTML, plain text and text blocks (with their lines) that markdown-it-py's tokens give, and
what the quick way cannot be sure of goes to markdown-it-py."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen import markdown_text
from briefgen.markdown_text import RenderedMarkdown, render_markdown


def by_markdown_it_py(
    source: str, allow_html: bool = False, article_path: str = "a.md", first_line: int = 3
) -> RenderedMarkdown:
    """What ``render_markdown`` makes of ``source`` the markdown-it-py way: highlights that
    mark nothing send it there and change nothing."""
    return render_markdown(
        source,
        article_path=article_path,
        first_line=first_line,
        allow_html=allow_html,
        highlights=[(0, 0, "x")],
    )


READ_QUICKLY = [
    "One paragraph, with *emphasis*, __strong__ and a [link](https://example.org/a).\n",
    "# Heading\n\nFirst paragraph\nwith a soft break.\n\nSecond: hard break  \nhere.\n",
    "Setext heading\n==============\n\nText &amp; entities &copy; &#35; and \\*escapes\\*.\n",
    "- tight one\n- tight **two**\n  - nested *a*\n  - nested b\n- three\n",
    "1. loose one\n\n2. loose two\n\n   its second paragraph\n",
    "Before\n\n    indented code\n\n***\n\nAfter the rule. ![a picture](https://e.org/p.png)\n",
    "Unicode: café — “quoted” ‘single’ ½ 日本語 🎉.\n\nNext: naïve résumé.\n",
    "- [a link in an item](https://e.org) and text\n- # a heading in an item\n",
    "Autolink https://plain.example and <not read quickly>.\n",
]


@pytest.mark.parametrize("source", READ_QUICKLY)
@pytest.mark.parametrize("allow_html", [False, True])
def test_the_quick_way_gives_what_markdown_it_py_gives(source: str, allow_html: bool) -> None:
    quick = markdown_text._render_quickly(source, 3)
    slow = by_markdown_it_py(source, allow_html)
    if "<" in source:
        assert quick is None  # (raw HTML: markdown-it-py's)
        return
    assert quick is not None
    assert (quick.html, quick.plain, quick.blocks) == (slow.html, slow.plain, slow.blocks)
    assert (
        render_markdown(source, article_path="a.md", first_line=3, allow_html=allow_html) == quick
    )


@pytest.mark.parametrize(
    ("source", "plain"),
    [
        (  # a link rewritten, an image copied
            "See [the other article](other.md) and ![a chart](chart.png).\n",
            "See the other article and .",
        ),
        (
            "A `code span` and a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            "A code span and a table:",
        ),
        # markdown-it-pyrs writes <code>  </code>, markdown-it-py the four spaces
        ("A code span of spaces: `    `.\n", "A code span of spaces: ."),
        ("Score |\n---\n", "Score"),  # a table to markdown-it-py, a heading to pyrs
        ("> a block quote\n- \n", "a block quote"),  # (lazy continuation, read apart)
        ("[ref]: https://e.org\n\nA [ref] link.\n", "A ref link."),
        (  # a Rust panic in markdown-it-pyrs 0.4
            "Tabs\tand a [label with `a backtick`](https://e.org).\n",
            "Tabs and a label with a backtick.",
        ),
    ],
)
def test_what_the_quick_way_is_not_sure_of_goes_to_markdown_it_py(source: str, plain: str) -> None:
    assert markdown_text._render_quickly(source, 1) is None
    made = render_markdown(source, article_path="folder/a.md", first_line=1)
    assert made == by_markdown_it_py(source, article_path="folder/a.md", first_line=1)
    assert made.plain.split("\n\n")[0] == plain


def test_links_to_other_articles_are_still_rewritten() -> None:
    made = render_markdown("See [it](other.md).\n", article_path="news/a.md", first_line=4)
    assert 'href="briefgen:article/news/other.md"' in made.html
    assert [(link.target, link.line, link.kind) for link in made.links] == [
        ("news/other.md", 4, "article")
    ]


# Markdown made of the pieces news text is made of, and of the syntax around them.
PIECES = st.sampled_from(
    "word|Word|café|“|—| |  |\n|\n\n|  \n|- |* |+ |1. |2) |# |## |*|_|**|[|]|(|)|"
    "(https://e.org)|![|&amp;|&copy;|\\|\\*|---|===|    |\"|'|(#top)|(/abs)".split("|")
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=40).map("".join), st.booleans())
def test_whatever_the_quick_way_reads_it_reads_as_markdown_it_py(
    source: str, allow_html: bool
) -> None:
    quick = markdown_text._render_quickly(source, 1)
    if quick is not None:
        slow = render_markdown(
            source, article_path="a.md", first_line=1, allow_html=allow_html,
            highlights=[(0, 0, "x")],
        )  # fmt: skip
        assert (quick.html, quick.plain, quick.blocks) == (slow.html, slow.plain, slow.blocks)


def test_lists_nested_past_markdown_it_py_s_limit_go_to_it() -> None:
    source = "".join("  " * depth + "- level\n" for depth in range(400))
    assert markdown_text._render_quickly(source, 1) is None
    made = render_markdown(source, article_path="a.md", first_line=1)
    assert made == by_markdown_it_py(source, first_line=1)
    shallow = "".join("  " * depth + "- level\n" for depth in range(5))
    assert markdown_text._render_quickly(shallow, 1) == by_markdown_it_py(shallow, first_line=1)


def test_text_is_escaped_as_markdown_it_py_escapes_it() -> None:
    # mark_in_html finds a quote in the HTML by how the renderer escaped it.
    from markdown_it.common.utils import escapeHtml

    text = 'Tom & Jerry <3 said "it\'s" — > all'
    assert markdown_text._escape_text(text) == escapeHtml(text)
    assert (
        markdown_text._escape_text(text)
        in render_markdown(text, article_path="a.md", first_line=1).html
    )
