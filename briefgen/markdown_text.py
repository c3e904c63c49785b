"""Markdown -> HTML and plain text, from one parse.

The plain text is made from markdown-it-py's tokens (not by stripping HTML): one line per block
(paragraph, heading, list item, table row), blocks separated by a blank line, so sentence
splitting and quote spans work on clean prose. Each block remembers the source line it came
from, which is how an analysis result or a check points back into the file.

Local links are resolved here: a link to another article's ``.md`` file becomes an
``briefgen:article/<path>`` reference that the renderer turns into a relative page URL, and
files the article references by relative path are noted so the build can copy them.
"""

from __future__ import annotations

import posixpath
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mypy_extensions import mypyc_attr

ARTICLE_LINK_SCHEME = "briefgen:article/"


@mypyc_attr(native_class=False)  # a Python class even when compiled: see setup.py
@dataclass(frozen=True)
class TextBlock:
    """One block of the plain text: ``plain[start:end]``, from source ``line`` (1-based)."""

    start: int
    end: int
    line: int
    kind: str  # "paragraph", "heading", "item", "quote", "table"


@mypyc_attr(native_class=False)  # a Python class even when compiled: see setup.py
@dataclass(frozen=True)
class LocalLink:
    """A relative link in the Markdown: to another article (``.md``) or to a file to copy."""

    href: str
    target: str  # path under content/, posix, normalised
    line: int
    kind: str  # "article" or "asset"


@mypyc_attr(native_class=False)  # a Python class even when compiled: see setup.py
@dataclass(frozen=True)
class RenderedMarkdown:
    html: str
    plain: str
    blocks: tuple[TextBlock, ...]
    links: tuple[LocalLink, ...]
    problems: tuple[tuple[int, str], ...]  # (line, message) for links that leave content/


@lru_cache(maxsize=2)
def _parser(allow_html: bool) -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": allow_html}).enable("table")


def render_markdown(
    source: str,
    *,
    article_path: str,
    first_line: int,
    allow_html: bool = False,
    highlights: Sequence[tuple[int, int, str]] = (),
) -> RenderedMarkdown:
    """Render ``source`` (an article body starting at file line ``first_line``).

    ``article_path`` is the article's path under content/, used to resolve relative links.
    ``highlights`` are (start, end, id) spans of the plain text to wrap in ``<mark>``, the
    first piece of each carrying the id, so a quote can link to its place in the article.
    """
    md = _parser(allow_html)
    tokens = md.parse(source)
    links, problems = _resolve_links(tokens, article_path, first_line)
    plain, blocks, placed = _plain_text(tokens, first_line)
    if highlights:
        _mark_spans(placed, highlights)
    html = md.renderer.render(tokens, md.options, {})
    return RenderedMarkdown(html, plain, tuple(blocks), tuple(links), tuple(problems))


def mark_in_html(html: str, plain: str, highlights: Sequence[tuple[int, int, str]]) -> str | None:
    """What ``render_markdown`` with ``highlights`` gives, made without parsing the Markdown
    again, where that is certain: every span's text occurs once in the plain text and once in
    the HTML, as text (not in a tag), and no two spans overlap. None where it is not (a quote
    across emphasis or a line break, or said twice): render again then."""
    ordered = sorted(highlights)
    if any(a[1] > b[0] for a, b in pairwise(ordered)):
        return None
    found: list[tuple[int, int, str]] = []
    for start, end, ident in ordered:
        words = plain[start:end]
        if not words or plain.count(words) != 1:
            return None
        escaped = escapeHtml(words)  # as the renderer writes a text token
        at = html.find(escaped)
        if (
            at < 0
            or html.find(escaped, at + 1) >= 0
            or html.rfind("<", 0, at) > html.rfind(">", 0, at)
        ):
            return None
        found.append((at, at + len(escaped), ident))
    found.sort()
    pieces: list[str] = []
    last = 0
    for at, stop, ident in found:
        if at < last:
            return None
        pieces += [html[last:at], f'<mark id="{ident}" class="quoted">', html[at:stop], "</mark>"]
        last = stop
    pieces.append(html[last:])
    return "".join(pieces)


def _plain_text(
    tokens: list[Token], first_line: int
) -> tuple[str, list[TextBlock], list[tuple[Token, int]]]:
    """The plain text, its blocks, and each prose inline token with its block's start."""
    parts: list[str] = []
    blocks: list[TextBlock] = []
    placed: list[tuple[Token, int]] = []
    pos = 0
    context: list[str] = []  # enclosing list items and block quotes
    row: list[str] = []
    row_line = first_line

    def emit(text: str, line: int, kind: str) -> None:
        nonlocal pos
        text = " ".join(text.split())
        if not text:
            return
        if parts:
            parts.append("\n\n")
            pos += 2
        blocks.append(TextBlock(pos, pos + len(text), line, kind))
        parts.append(text)
        pos += len(text)

    previous = ""
    for token in tokens:
        kind = token.type
        line = first_line + (token.map[0] if token.map else 0)
        if kind in ("bullet_list_open", "ordered_list_open"):
            context.append("item")
        elif kind == "blockquote_open":
            context.append("quote")
        elif kind in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            context.pop()
        elif kind == "tr_open":
            row, row_line = [], line
        elif kind == "tr_close":
            emit(" | ".join(row), row_line, "table")
        elif kind == "inline":
            text = _inline_text(token.children or [])
            if previous in ("th_open", "td_open"):
                row.append(text)
                previous = kind
                continue
            count = len(blocks)
            emit(
                text,
                line,
                "heading"
                if previous == "heading_open"
                else (context[-1] if context else "paragraph"),
            )
            if len(blocks) > count:
                placed.append((token, blocks[-1].start))
        previous = kind
    return "".join(parts), blocks, placed


def _collapsed_offsets(raw: str) -> list[int]:
    """For each index of ``raw`` (and its end), the offset in ``" ".join(raw.split())``."""
    offsets = []
    out = 0
    pending_space = False
    for char in raw:
        if char.isspace():
            pending_space = out > 0
            offsets.append(out)
            continue
        if pending_space:
            out += 1
            pending_space = False
        offsets.append(out)
        out += 1
    offsets.append(out)
    return offsets


def _mark_spans(placed: list[tuple[Token, int]], spans: Sequence[tuple[int, int, str]]) -> None:
    """Wrap the text of each span in ``<mark>``; a span may cross emphasis and links."""
    opened: set[str] = set()
    for token, block_start in placed:
        children = token.children or []
        raw = _inline_text(children)
        collapsed = " ".join(raw.split())
        block_end = block_start + len(collapsed)
        relevant = [s for s in spans if s[0] < block_end and s[1] > block_start]
        if not relevant:
            continue
        # Usually the text has no runs of white space, and offsets map one to one.
        offsets = list(range(len(raw) + 1)) if raw == collapsed else _collapsed_offsets(raw)
        rebuilt: list[Token] = []
        at = 0  # index into raw
        for child in children:
            width = len(_inline_text([child]))
            if child.type != "text":
                rebuilt.append(child)
                at += width
                continue
            rebuilt += _split_text(
                child.content,
                [block_start + offsets[at + i] for i in range(width)],
                relevant,
                opened,
            )
            at += width
        token.children = rebuilt


def _split_text(
    text: str, positions: list[int], spans: list[tuple[int, int, str]], opened: set[str]
) -> list[Token]:
    """Cut ``text`` at the span boundaries; ``positions`` (non-decreasing) are the plain-text
    offsets of its characters, so each boundary is found by bisection."""
    cuts: list[tuple[int, int, str]] = []
    for start, end, ident in sorted(spans):
        first, last = bisect_left(positions, start), bisect_left(positions, end)
        if first < last:
            cuts.append((first, last, ident))
    pieces: list[Token] = []
    index = 0
    for first, last, ident in cuts:
        first = max(first, index)
        if first >= last:
            continue
        if index < first:
            pieces.append(Token("text", "", 0, content=text[index:first]))
        attribute = "" if ident in opened else f' id="{ident}"'
        opened.add(ident)
        pieces += [
            Token("html_inline", "", 0, content=f'<mark{attribute} class="quoted">'),
            Token("text", "", 0, content=text[first:last]),
            Token("html_inline", "", 0, content="</mark>"),
        ]
        index = last
    if index < len(text):
        pieces.append(Token("text", "", 0, content=text[index:]))
    return pieces


def _inline_text(children: list[Token]) -> str:
    out: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out)


def _resolve_links(
    tokens: list[Token], article_path: str, first_line: int
) -> tuple[list[LocalLink], list[tuple[int, str]]]:
    links: list[LocalLink] = []
    problems: list[tuple[int, str]] = []
    folder = posixpath.dirname(article_path)
    for block in tokens:
        if block.type != "inline" or not block.children:
            continue
        line = first_line + (block.map[0] if block.map else 0)
        for child in block.children:
            attr = {"link_open": "href", "image": "src"}.get(child.type)
            href = str(child.attrs.get(attr, "")) if attr else ""
            parts = urlsplit(href)
            if not href or parts.scheme or parts.netloc or href.startswith(("/", "#")):
                continue
            target = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
            if target.startswith("../") or target == "..":
                problems.append((line, f"link '{href}' points outside content/"))
                continue
            if child.type == "link_open" and target.endswith(".md"):
                fragment = f"#{parts.fragment}" if parts.fragment else ""
                child.attrs["href"] = f"{ARTICLE_LINK_SCHEME}{target}{fragment}"
                links.append(LocalLink(href, target, line, "article"))
            else:
                links.append(LocalLink(href, target, line, "asset"))
    return links, problems
