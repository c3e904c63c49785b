"""How well `briefgen import` separates a story from the page around it.

Usage: python benchmarks/import_quality.py [FIXTURES]   (default: tests/fixtures/import)

Each fixture is a scraped text (NAME.txt) or a saved page (NAME.html) with the article it
should give (NAME.expected.md). For every fixture:
  story kept     the share of the expected paragraphs that the imported article has, verbatim
  noise removed  the share of the page's other text lines (menus, credits, bylines, related
                 headlines, comments...) that the imported article's body does not have
For a saved page the "lines" are its visible text blocks (paragraphs, list items, headings,
captions, and the text of other elements that hold text directly). Printed per fixture, then
over all lines of all fixtures, against the targets (noise removed >= 0.95, story kept >= 0.99).
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import yaml

from briefgen.authoring.importing import read_story

REPO = Path(__file__).resolve().parents[1]


class _Blocks(HTMLParser):
    """The visible text of a page, one entry per element that holds text directly."""

    SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "svg"})

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._stack: list[str] = []
        self._text: list[str] = []
        self.feed(html)
        self._flush()

    VOID = frozenset({"meta", "link", "img", "br", "hr", "input", "source", "wbr", "area"})

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        if tag in (
            "p",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "figcaption",
            "div",
            "span",
            "a",
            "button",
            "td",
            "blockquote",
            "time",
            "small",
            "label",
            "section",
        ):
            self._flush()
        self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "li", "h1", "h2", "h3", "h4", "figcaption", "div", "blockquote"):
            self._flush()
        if tag in self._stack:  # (and any element left open inside it)
            while self._stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not any(tag in self.SKIP for tag in self._stack):
            self._text.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            self.blocks.append(text)
        self._text = []


def _expected(path: Path) -> tuple[str, list[str]]:
    _, head, body = path.read_text(encoding="utf-8").split("---", 2)
    meta = yaml.safe_load(head) or {}
    return str(meta.get("title", "")), [b.strip() for b in body.strip().split("\n\n") if b.strip()]


def _plain(block: str) -> str:
    """A Markdown block as text: without heading marks, list dashes and quote marks."""
    lines = [line.lstrip("#>- ").strip() for line in block.split("\n")]
    text = re.sub(r"(\*\*|\*|__)(\S(?:.*?\S)?)\1", r"\2", " ".join(lines))  # emphasis
    return " ".join(text.split())


def measure(fixture: Path) -> tuple[int, int, int, int]:
    """(story lines kept, story lines, noise lines removed, noise lines)."""
    title, expected = _expected(fixture.with_suffix(".expected.md"))
    story = read_story(fixture)
    got = {_plain(block) for block in story.body.split("\n\n")}
    got_text = " ".join(got)
    wanted = [_plain(block) for block in expected]
    kept = sum(1 for block in wanted if block in got)
    source = fixture.read_text(encoding="utf-8")
    if fixture.suffix == ".html":
        lines = _Blocks(source).blocks
    else:
        lines = [" ".join(line.split()) for line in source.splitlines() if line.strip()]
    story_text = set(wanted) | {title}
    noise = [line for line in lines if line not in story_text and not _inside(line, wanted)]
    removed = sum(1 for line in noise if line not in got and line not in got_text)
    return kept, len(wanted), removed, len(noise)


def _inside(line: str, wanted: list[str]) -> bool:
    """A piece of a story paragraph (a page splits a paragraph at its links and emphasis)."""
    return len(line) < 200 and any(line in block for block in wanted)


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "tests/fixtures/import"
    fixtures = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".html"))
    if not fixtures:
        raise SystemExit(f"no fixtures in {folder}")
    totals = [0, 0, 0, 0]
    print(f"{'fixture':36} {'story kept':>12} {'noise removed':>15}")
    for fixture in fixtures:
        kept, story, removed, noise = measure(fixture)
        totals = [a + b for a, b in zip(totals, (kept, story, removed, noise), strict=True)]
        print(
            f"{fixture.name:36} {kept:>5}/{story:<4} {kept / story:4.2f} "
            f"{removed:>6}/{noise:<4} {removed / noise if noise else 1:4.2f}"
        )
    kept, story, removed, noise = totals
    print(
        f"\nall {len(fixtures)} fixtures: story kept {kept / story:.3f} (target >= 0.99), "
        f"noise removed {removed / noise:.3f} (target >= 0.95)"
    )


if __name__ == "__main__":
    main()
