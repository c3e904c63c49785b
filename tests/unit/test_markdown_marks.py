"""Quotations marked in an article's HTML: the quick way (patching the HTML already made)
gives exactly what rendering the Markdown again with the marks gives, or steps aside."""

from __future__ import annotations

import pytest

from briefgen.markdown_text import mark_in_html, render_markdown


def both(body: str, *quoted: str) -> tuple[str | None, str]:
    plain = render_markdown(body, article_path="a.md", first_line=1).plain
    spans = []
    for number, words in enumerate(quoted, start=1):
        start = plain.index(words)
        spans.append((start, start + len(words), f"quote-{number}"))
    first = render_markdown(body, article_path="a.md", first_line=1)
    again = render_markdown(body, article_path="a.md", first_line=1, highlights=spans).html
    return mark_in_html(first.html, first.plain, spans), again


@pytest.mark.parametrize(
    ("body", "quoted"),
    [
        ('She said "we will not retreat" on Monday.', ["we will not retreat"]),
        ("# A heading\n\nHe said: 'Tom & Jerry <3' was \"fine\".", ["Tom & Jerry <3' was \"fine"]),
        (
            "One \"first words\" and then\n\nanother 'second words' here.",
            ["first words", "second words"],
        ),
        ("- a list item, 'quoted in a list', ends", ["quoted in a list"]),
    ],
)
def test_the_quick_marks_are_the_marks_a_new_render_makes(body: str, quoted: list[str]) -> None:
    quick, again = both(body, *quoted)
    assert quick == again
    assert 'id="quote-1" class="quoted"' in again


@pytest.mark.parametrize(
    ("body", "quoted"),
    [
        ('He said "we will *not* retreat" today.', "we will not retreat"),  # across emphasis
        ('He said "we will not\nretreat" today.', "we will not retreat"),  # across a line break
        ("Twice: 'no deal' and again 'no deal'.", "no deal"),  # which one?
        ('[a link](https://x.example "no deal") and "no deal".', "no deal"),  # in a title
    ],
)
def test_where_the_quick_way_cannot_be_sure_it_steps_aside(body: str, quoted: str) -> None:
    quick, again = both(body, quoted)
    assert quick is None
    assert 'class="quoted"' in again
