"""Pages escape what they show exactly as Jinja and markupsafe do: the renderer's templates
escape with a quicker function of their own (``render._escape``), which must give the same
Markup for every value a layout may show."""

from __future__ import annotations

from typing import Any

import jinja2
import markupsafe
import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefgen import render


class _Shown:
    def __str__(self) -> str:
        return "<b>a & b</b>"


class _Html:
    def __html__(self) -> str:
        return "<em>kept</em>"


class _Text(str):
    pass


VALUES: list[Any] = [
    "plain",
    "",
    "<script>alert('x')</script> & \"quoted\"",
    "café — “quoted” 日本語 &amp; already",
    markupsafe.Markup("<em>safe</em> &amp;"),
    _Text("<sub>class</sub>"),
    _Shown(),
    _Html(),
    12,
    3.5,
    None,
    False,
    ["<a>", "b"],
]


def _environments() -> tuple[jinja2.Environment, jinja2.Environment]:
    stock = jinja2.Environment(autoescape=True)
    ours = jinja2.Environment(autoescape=True)
    ours.template_class = render._Template
    return stock, ours


SOURCE = "<p title='{{ v }}'>{{ v }}</p>{% macro m(x) %}<i>{{ x }}</i>{% endmacro %}{{ m(v) }}"


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_a_page_shows_every_kind_of_value_as_jinja_would(value: Any) -> None:
    stock, ours = _environments()
    expected = stock.from_string(SOURCE).render(v=value)
    assert ours.from_string(SOURCE).render(v=value) == expected
    made = render._escape(value)
    assert made == markupsafe.escape(value) and type(made) is markupsafe.Markup


@given(st.text())
def test_any_text_is_escaped_as_markupsafe_escapes_it(text: str) -> None:
    made = render._escape(text)
    assert made == markupsafe.escape(text) and type(made) is markupsafe.Markup


def test_hostile_text_comes_out_inert() -> None:
    _, ours = _environments()
    shown = ours.from_string("<p>{{ v }}</p>").render(v="<img src=x onerror='go()'>&")
    assert shown == "<p>&lt;img src=x onerror=&#39;go()&#39;&gt;&amp;</p>"


def test_the_templates_escape_the_quick_way() -> None:
    """(Where markupsafe has its compiled speedups, as its wheels do: else its own escape.)"""
    _, ours = _environments()
    template = ours.from_string("{{ v }}")
    expected = render._escape if render._QUICK_ESCAPE else markupsafe.escape
    assert template.root_render_func.__globals__["escape"] is expected
