"""Properties of the front matter reader: whatever an article file holds, reading it gives an
Article or a ContentError that names the file and a line inside it, never another exception,
so one broken file can neither stop a build nor reach the user as a traceback.

``HYPOTHESIS_PROFILE=thorough`` runs many more examples (see tests/conftest.py).
"""

from __future__ import annotations

from datetime import UTC, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from briefgen.config import Config
from briefgen.content import KNOWN_FIELDS, Article, parse_article
from briefgen.errors import ContentError

CONFIG = Config(root=Path("/site"), timezone="Europe/London")
LABEL = "content/fuzz.md"
BOM = b"\xef\xbb\xbf"


def read(data: bytes, rel_path: str = "fuzz.md") -> Article | ContentError:
    """The article, or the ContentError that refuses it; any other exception fails the test."""
    try:
        return parse_article(data, rel_path, CONFIG, LABEL)
    except ContentError as refused:
        return refused


def line_count(data: bytes) -> int:
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1


def assert_read_or_refused_with_a_line_in_the_file(data: bytes) -> None:
    result = read(data)
    if isinstance(result, Article):
        assert result.title
        for when in (result.date, result.updated or result.date):
            # A date the site can place: in UTC, in its time zone and in a week's edition.
            when.astimezone(UTC)
            local = when.astimezone(CONFIG.tz).date()
            assert local - timedelta(days=7) < local < local + timedelta(days=7)
        return
    diagnostic = result.diagnostic
    assert diagnostic.path == LABEL
    assert diagnostic.message and diagnostic.hint, "every error says what is wrong and what to do"
    assert diagnostic.line is None or 1 <= diagnostic.line <= line_count(data), diagnostic


def document(front: str, body: str = "Body.\n") -> bytes:
    return f"---\n{front}---\n{body}".encode()


def front_matter(**fields: Any) -> str:
    return yaml.safe_dump({"title": "A", "date": "2024-10-28", **fields}, allow_unicode=True)


# --- documents ---------------------------------------------------------------------------------

offsets = st.builds(
    timezone, st.timedeltas(min_value=-timedelta(hours=23), max_value=timedelta(hours=23))
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.binary(max_size=6),
    st.dates(),
    st.datetimes(timezones=st.none() | st.just(UTC) | offsets),
    st.sampled_from(["2024-10-28", "2024-02-30", "2024-10-28T25:00", "0001-01-01T00:00-05:00"]),
    st.sampled_from(["../../x", "CON", "a\nb", "a\x00b", "x.", "/", "", "a/./b", "nul.txt"]),
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["text", "speaker"]) | st.text(max_size=6), children, max_size=4
        )
    ),
    max_leaves=12,
)
keys = st.sampled_from(sorted(KNOWN_FIELDS)) | st.text(max_size=8)
field_sets = st.fixed_dictionaries(
    {}, optional={"title": st.text(max_size=30) | values, "date": scalars | values}
).flatmap(lambda base: st.dictionaries(keys, values, max_size=6).map(lambda more: base | more))

YAML_PIECES = [*":-[]{}&*!|>'\"%@`#?,. \t\nab12\\\x07\x85\u2028é", "&a ", "*a", "<<: "]
YAML_PIECES += ["!!bool ", "!!timestamp ", "!!int ", "!!binary ", "!!set ", "!!str ", "2024-10-28"]
raw_lines = st.lists(
    st.tuples(keys, st.lists(st.sampled_from(YAML_PIECES), max_size=8).map("".join)),
    max_size=6,
).map(lambda pairs: "".join(f"{key}: {value}\n" for key, value in pairs))

MARKDOWN = ["# H", "- item", "1. one", "> quoted", "[b](b.md)", "![i](../../x.png)", "<b>x</b>"]
MARKDOWN += ["```", "| a | b |", "|---|---|", "Text.", "    code", "***", "*em*", "[x]: /y", ""]
bodies = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(MARKDOWN) | st.text(max_size=10), max_size=8).map("\n".join),
)


@st.composite
def files(draw: st.DrawFn, fronts: st.SearchStrategy[str]) -> bytes:
    """A whole file: fences of each kind, any line ending, with or without a BOM."""
    opening = draw(st.sampled_from(["---\n", "--- \n", "---\t\n", "\n---\n"]))
    closing = draw(st.sampled_from(["---\n", "...\n", "--- \n", "---", ""]))
    text = opening + draw(fronts) + closing + draw(bodies)
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return draw(st.sampled_from([b"", BOM])) + text.replace("\n", newline).encode()


def dumped(fields: dict[str, Any], flow: bool | None) -> str:
    return yaml.safe_dump(fields, allow_unicode=True, default_flow_style=flow)


yaml_fronts = st.builds(dumped, field_sets, st.sampled_from([False, True, None]))


# --- reading any file --------------------------------------------------------------------------


@given(st.binary(max_size=200) | st.binary(max_size=200).map(lambda data: b"---\n" + data))
@example(b"\xef\xbb\xbf---\n\xff")
@example(b"---\x00\n")
def test_any_bytes_give_an_article_or_an_error_naming_a_line_of_the_file(data: bytes) -> None:
    assert_read_or_refused_with_a_line_in_the_file(data)


@given(st.text(max_size=200) | st.text(max_size=200).map(lambda text: "---\n" + text))
def test_any_text_gives_an_article_or_an_error_naming_a_line_of_the_file(text: str) -> None:
    assert_read_or_refused_with_a_line_in_the_file(text.encode())


@given(files(yaml_fronts))
# A file that ends at its closing --- named the line after it for its empty body.
@example(b"---\ntitle: A\ndate: 2024-10-28\n---")
# A title of white space only was taken, as an empty title.
@example(b'---\ndate: 2000-01-01\ntitle: "\\r"\n---\n0')
@example(b"---\ndate: 2000-01-01\ntitle: ' '\n---\nBody.\n")
# A date the site cannot place in UTC or its time zone stopped the build with OverflowError.
@example(b"---\ndate: 0001-01-01T00:00-05:00\ntitle: '0'\n---\n0")
@example(b"---\ntitle: A\ndate: 2024-10-28\nupdated: 9999-12-31 23:00:00-05:00\n---\nB.\n")
def test_front_matter_of_any_shape_gives_an_article_or_an_error_naming_a_line(data: bytes) -> None:
    assert_read_or_refused_with_a_line_in_the_file(data)


@given(files(raw_lines))
# A control character YAML does not allow raised PyYAML's ReaderError.
@example(b"---\ntitle: A\x07\ndate: 2024-10-28\n---\nBody.\n")
@example(b"---\ntitle: A\ndate: 2024-10-28\nx: \x85\x01\n---\nBody.\n")
# An explicit tag on a value it cannot make raised KeyError or AttributeError from PyYAML.
@example(document("draft: !!bool maybe\n"))
@example(document("x: !!timestamp soon\n"))
@example(document("x: " + "[" * 5000 + "]" * 5000 + "\n"))
@example(document("x: &a [*a, *a]\ntopics: &b [*b]\n"))
@example(document("date: 2024-13-45\nx: &a 1\ny: *a\n"))
@example(document("? [a]\n: b\n"))
def test_broken_yaml_gives_an_article_or_an_error_naming_a_line(data: bytes) -> None:
    assert_read_or_refused_with_a_line_in_the_file(data)


@given(
    st.lists(
        st.text(
            st.characters(exclude_characters="\r\n\x00", exclude_categories=["Cs"]), max_size=12
        ),
        max_size=6,
    ),
    st.integers(0, 6),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.sampled_from([b"", BOM]),
)
@example(["a", "b"], 2, "\n", BOM)  # after a BOM the bad byte's line was counted without it
@example(["a", "b"], 2, "\r", b"")  # with \r line endings every bad byte was on line 1
def test_a_byte_that_is_not_utf8_is_named_on_its_line(
    lines: list[str], bad_line: int, newline: str, bom: bytes
) -> None:
    bad_line = min(bad_line, len(lines))
    encoded = [line.encode() for line in lines]
    encoded.insert(bad_line, b"x\xffy")
    result = read(bom + newline.encode().join(encoded))
    assert isinstance(result, ContentError)
    assert result.diagnostic.line == bad_line + 1, result.diagnostic
