"""Markdown -> HTML and plain text.

The plain text is made from the parser's tokens or tree (not by stripping HTML): one line per
block (paragraph, heading, list item, table row), blocks separated by a blank line, so sentence
splitting and quote spans work on clean prose. Each block remembers the source line it came
from, which is how an analysis result or a check points back into the file.

Local links are resolved here: a link to another article's ``.md`` file becomes an
``briefgen:article/<path>`` reference that the renderer turns into a relative page URL, and
files the article references by relative path are noted so the build can copy them.

Two parsers of the same rules. markdown-it-pyrs (markdown-it in Rust) parses ten times faster
than markdown-it-py, even twice an article (for its tree and its HTML), and takes the common
article (no relative link, no highlights, none of the constructs the two were found to read
apart): render_markdown went from 0.17 to 0.09 ms an article, compiled, about 0.8 s of a
10,000-article first build's CPU. markdown-it-py, whose tokens can be changed before
rendering, takes the rest: links rewritten, highlighted renders. What the fast one takes,
both make the same HTML, plain text and blocks of (the tests hold them to it, over
hand-picked and generated Markdown).
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import markdown_it_pyrs
from mypy_extensions import mypyc_attr

if TYPE_CHECKING:  # (imported where an article needs it: most never do)
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

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
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": allow_html}).enable("table")


@lru_cache(maxsize=1)
def _fast_parser() -> markdown_it_pyrs.MarkdownIt:
    """markdown-it-py's "commonmark" preset with tables. Whether raw HTML is allowed makes no
    difference to it: the quick way takes no source with a "<", where raw HTML starts."""
    return markdown_it_pyrs.MarkdownIt("commonmark").enable("table")


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
    if not highlights:
        quick = _render_quickly(source, first_line)
        if quick is not None:
            return quick
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
        escaped = _escape_text(words)
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


def _render_quickly(source: str, first_line: int) -> RenderedMarkdown | None:
    """``render_markdown`` with no highlights, by markdown-it-pyrs; None where markdown-it-py
    must take it: it rewrites relative links, or the two parsers may read it apart."""
    if any(char in source for char in _NOT_READ_FAST) or _READ_APART.search("\n" + source):
        return None
    fast = _fast_parser()
    try:
        read = _read_tree(fast.tree(source), source, first_line)
        if read is None:
            return None
        html = fast.render(source)
    except BaseException as exc:
        # A Rust panic comes as pyo3's PanicException, a BaseException: markdown-it-py then.
        if type(exc).__name__ != "PanicException":
            raise
        return None
    plain, blocks = read
    return RenderedMarkdown(html, plain, tuple(blocks), (), ())


def _escape_text(text: str) -> str:
    """A text token as markdown-it (either parser) writes it in the HTML: markdown-it-py's
    escapeHtml, not imported for it (html.escape and markupsafe escape "'" too)."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _plain_text(
    tokens: list[Token], first_line: int
) -> tuple[str, list[TextBlock], list[tuple[Token, int]]]:
    """The plain text, its blocks, and each prose inline token with its block's start."""
    made = _PlainText()
    placed: list[tuple[Token, int]] = []
    context: list[str] = []  # enclosing list items and block quotes
    row: list[str] = []
    row_line = first_line

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
            made.add(" | ".join(row), row_line, "table")
        elif kind == "inline":
            text = _inline_text(token.children or [])
            if previous in ("th_open", "td_open"):
                row.append(text)
                previous = kind
                continue
            block_kind = (
                "heading"
                if previous == "heading_open"
                else (context[-1] if context else "paragraph")
            )
            if made.add(text, line, block_kind):
                placed.append((token, made.blocks[-1].start))
        previous = kind
    return made.text(), made.blocks, placed


class _PlainText:
    """The plain text being made, block by block: each with its white space collapsed, the
    blocks a blank line apart."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.blocks: list[TextBlock] = []
        self.pos = 0

    def add(self, text: str, line: int, kind: str) -> bool:
        """Add a block of ``text`` (from source ``line``); False if it is empty: none added."""
        text = " ".join(text.split())
        if not text:
            return False
        if self.parts:
            self.parts.append("\n\n")
            self.pos += 2
        self.blocks.append(TextBlock(self.pos, self.pos + len(text), line, kind))
        self.parts.append(text)
        self.pos += len(text)
        return True

    def text(self) -> str:
        return "".join(self.parts)


# Sources the two parsers are not held to read the same: with code spans (a backtick in a
# link's label even stops markdown-it-pyrs 0.4 with a Rust panic), table pipes, raw HTML or
# tabs, where a random search found their HTML or plain text apart; with what markdown-it-py
# replaces before parsing (NUL, carriage returns: the tree's byte offsets would be off); and
# with the lines the search found them reading apart: block quotes and list items with
# nothing in them (lazy continuation), link reference definitions.
_NOT_READ_FAST = ("`", "|", "<", "\t", "\0", "\r")
_READ_APART = re.compile(r"\n *(?:>|(?:[-+*]|\d{1,9}[.)]) *(?=\n|$)|\[[^\]]*\]:)")  # after "\n"
# What ``_read_tree`` knows of markdown-it-pyrs's tree: the blocks that hold others (and the
# kind of text block they make of what they hold), the blocks with no text, and the inline
# nodes, those whose text counts as a text token's does in ``_inline_text`` and those read
# through.
_HOLDERS = {"bullet_list": "item", "ordered_list": "item", "blockquote": "quote"}
_TEXTLESS = frozenset({"hr", "code_block", "fence", "html_block", "definition"})
_INLINE_TEXT = frozenset({"text", "text_special"})
_INLINE_INSIDE = frozenset({"em", "strong", "code_inline", "link"})
_INLINE = _INLINE_TEXT | _INLINE_INSIDE | {"softbreak", "hardbreak", "image", "html_inline"}
# Lists and quotes nested deeper than this: markdown-it-py's limit (its maxNesting, 20 in the
# commonmark preset) is not markdown-it-pyrs's, and this reads them by recursion.
_DEEPEST = 16


def _read_tree(
    root: markdown_it_pyrs.Node, source: str, first_line: int
) -> tuple[str, list[TextBlock]] | None:
    """What ``_plain_text`` makes of markdown-it-py's tokens of ``source`` (which holds none
    of ``_NOT_READ_FAST``), from markdown-it-pyrs's tree of it; None where the tree holds a
    relative link or image (its target is rewritten or copied: markdown-it-py's tokens take
    it), or a node where the two parsers' HTML may differ or this does not know."""
    encoded = source.encode()
    line_starts = [0]
    at = encoded.find(b"\n")
    while at >= 0:
        line_starts.append(at + 1)
        at = encoded.find(b"\n", at + 1)
    made = _PlainText()

    def emit(text: str, node: markdown_it_pyrs.Node, kind: str) -> bool:
        """Add the block; False where the node does not say where it stands."""
        if node.srcmap is None:
            return False
        made.add(text, first_line + bisect_right(line_starts, node.srcmap[0]) - 1, kind)
        return True

    def read(holder: markdown_it_pyrs.Node, kind: str, depth: int) -> bool:
        if depth > _DEEPEST:
            return False
        inline: list[markdown_it_pyrs.Node] = []  # a tight list item's text, before a block
        for node in holder.children:
            name = node.name
            if name in _INLINE:  # (only a tight list item holds inline nodes, not in a paragraph)
                inline.append(node)
                continue
            if inline:
                # A block right after a tight item's text: markdown-it-py writes no line
                # break between them in the HTML (but before a list), markdown-it-pyrs does.
                if name not in ("bullet_list", "ordered_list") or not _flush(inline, kind):
                    return False
                inline = []
            if name in ("paragraph", "heading", "lheading"):
                text = _tree_text(node.children)
                if text is None or not emit(text, node, kind if name == "paragraph" else "heading"):
                    return False
            elif name in _HOLDERS:
                # (An empty one, or one of link definitions only: markdown-it-pyrs writes a
                # line break inside, markdown-it-py does not.)
                if all(child.name == "definition" for child in node.children):
                    return False
                if not read(node, _HOLDERS[name], depth + 1):
                    return False
            elif name == "list_item":
                if not read(node, kind, depth + 1):
                    return False
            elif name not in _TEXTLESS:  # (a table, say: its pipes sent it to markdown-it-py)
                return False
        return not inline or _flush(inline, kind)

    def _flush(nodes: list[markdown_it_pyrs.Node], kind: str) -> bool:
        text = _tree_text(nodes)
        return text is not None and emit(text, nodes[0], kind)

    if not read(root, "paragraph", 0):
        return None
    return made.text(), made.blocks


def _tree_text(nodes: Sequence[markdown_it_pyrs.Node]) -> str | None:
    """``_inline_text`` of the tokens these inline nodes stand for (a link's text counts, an
    image's does not); None at a relative link or image, or a node not known here."""
    out: list[str] = []
    pending = list(reversed(nodes))
    while pending:
        node = pending.pop()
        name = node.name
        if name in _INLINE_TEXT:
            out.append(str(node.meta.get("content", "")))
            continue
        if name in ("softbreak", "hardbreak"):
            out.append(" ")
            continue
        if name in ("link", "image") and _is_relative(str(node.meta.get("url", ""))):
            return None
        if name == "image" and any(child.name != "text" for child in node.children):
            return None  # (markdown-it-pyrs leaves an entity out of the alt text)
        if name in _INLINE_INSIDE:
            pending.extend(reversed(node.children))
        elif name not in ("image", "html_inline"):
            return None
    return "".join(out)


def _is_relative(href: str) -> bool:
    """A link ``_resolve_links`` rewrites or notes: to a file beside the article."""
    parts = urlsplit(href)
    return bool(href) and not (parts.scheme or parts.netloc or href.startswith(("/", "#")))


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
    from markdown_it.token import Token

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
            if not _is_relative(href):
                continue
            parts = urlsplit(href)
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
