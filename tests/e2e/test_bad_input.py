"""Every kind of bad input in one site: each gets a clear message naming its file (and line
where there is one) or a correct page; the good articles always build; nothing is written
outside the output folder."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from briefgen.build import BuildOptions, build

NOW = datetime(2024, 11, 2, 12, tzinfo=UTC)
MakeSite = Callable[[Mapping[str, str | bytes]], Path]


def art(title: str, body: str = "Some text here for the article body.", extra: str = "") -> str:
    return f'---\ntitle: "{title}"\ndate: 2024-10-28\n{extra}---\n\n{body}\n'


BAD: dict[str, tuple[str | bytes, str]] = {
    # file: (content, the start of the message it gets)
    "broken-yaml.md": (
        "---\ntitle: [unclosed\ndate: 2024-10-28\n---\nText.\n",
        ":2: error: front matter is not valid YAML",
    ),
    "not-closed.md": (
        "---\ntitle: Open\ndate: 2024-10-28\nNo closing line.\n",
        ":1: error: front matter is not closed",
    ),
    "list-title.md": (
        "---\ntitle: [a, b]\ndate: 2024-10-28\n---\nText here.\n",
        ":2: error: title must be text",
    ),
    "no-title.md": (
        "---\ndate: 2024-10-28\n---\nText here.\n",
        ":1: error: front matter has no title",
    ),
    "no-date.md": ("---\ntitle: No date\n---\nText here.\n", ":1: error: front matter has no date"),
    "yesterday.md": (
        "---\ntitle: Y\ndate: yesterday\n---\nText.\n",
        ":3: error: cannot read the date 'yesterday'",
    ),
    "latin1.md": (
        "---\ntitle: Café\ndate: 2024-10-28\n---\nCafé.\n".encode("latin-1"),
        ":2: error: not valid UTF-8",
    ),
    "binary.md": (bytes(range(256)) * 40, ": error: this is a binary file"),
    "empty.md": ("", ":1: error: no front matter"),
    "dotdot.md": (
        art("Dotdot", extra="slug: ../../etc/x\n"),
        ":4: error: slug: '../../etc/x' is not a safe URL path",
    ),
    "con.md": (art("Con", extra="slug: CON\n"), ":4: error: slug: 'CON' is not a safe URL path"),
    "nul.md": (
        art("Nul", extra='slug: "a\\0b"\n'),
        ":4: error: slug: 'a\\x00b' is not a safe URL path",
    ),
    "dup-b.md": (
        art("Dup B", extra="slug: same\n"),
        ": error: content/dup-b.md and content/dup-a.md both claim",
    ),
}
GOOD: dict[str, tuple[str | bytes, str]] = {
    # file: (content, what its page shows)
    "good.md": (art("A good article"), "A good article"),
    "bom.md": (b"\xef\xbb\xbf" + art("With a BOM").encode(), "With a BOM"),
    "crlf.md": (
        art("With CRLF", "First line.\n\nSecond paragraph.").replace("\n", "\r\n").encode(),
        "Second paragraph.",
    ),
    "long-title.md": (art("T" * 5000), "T" * 5000),
    "emoji-rtl.md": (
        art("Emoji 🎉 and مرحبا بالعالم", "نص عربي هنا. English 🎉 too, and more words here."),
        "مرحبا بالعالم",
    ),
    "nested-lists.md": (
        art("Nested lists", "\n".join("  " * i + "- item" for i in range(1000))),
        "Nested lists",
    ),
    "brackets.md": (
        art("Brackets", "[" * 1000 + "x" + "]" * 1000 + " and " + "(" * 1000),
        "Brackets",
    ),
    "deep-quotes.md": (art("Deep quotes", "> " * 1000 + "deep"), "Deep quotes"),
    "dup-a.md": (art("Dup A", extra="slug: same\n"), "Dup A"),
}


def test_every_bad_input_is_named_and_every_good_article_builds(
    make_site: MakeSite, tmp_path: Path
) -> None:
    files: dict[str, str | bytes] = {"briefgen.yaml": "title: Desk\n"}
    files |= {f"content/{name}": content for name, (content, _) in {**BAD, **GOOD}.items()}
    root = make_site(files)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(art("Secret outside"))
    (root / "content/link-out.md").symlink_to(outside / "secret.md")
    (root / "content/folder-link").symlink_to(outside)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = build(root, BuildOptions(now=NOW, search=False))
    said = [str(d) for d in result.diagnostics]
    for name, (_, message) in BAD.items():
        assert any(line.startswith(f"content/{name}{message}") for line in said), (name, said)
    assert any(
        line.startswith("content/link-out.md: error: is a link to a file outside") for line in said
    )
    assert any(
        line.startswith("content/folder-link: warning: is a link to a folder") for line in said
    )
    pages = {
        p.relative_to(root / "site").as_posix(): p for p in (root / "site").rglob("index.html")
    }
    for name, (_, shown) in GOOD.items():
        slug = "same" if name == "dup-a.md" else name.removesuffix(".md")
        assert shown in pages[f"articles/{slug}/index.html"].read_text(encoding="utf-8"), name
    assert "Secret outside" not in "".join(p.read_text() for p in pages.values())
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written beside
    assert sorted(p.name for p in outside.iterdir()) == ["secret.md"]


def test_a_ten_megabyte_article_builds(make_site: MakeSite) -> None:
    sentence = 'The council met again today and said "we will decide soon", officials said. '
    root = make_site({"content/big.md": art("A big article", sentence * 130_000)})
    result = build(root, BuildOptions(now=NOW, search=False))
    assert not result.failed()
    assert (root / "content/big.md").stat().st_size > 9_500_000
    page = (root / "site/articles/big/index.html").read_text()
    assert "A big article" in page and "Key points" in page


def test_five_thousand_tiny_articles_build(make_site: MakeSite) -> None:
    files: dict[str, str | bytes] = {
        f"content/n{n:04d}.md": art(f"Note {n}", f"Item {n} happened today, it was said.")
        for n in range(5000)
    }
    root = make_site(files)
    result = build(root, BuildOptions(now=NOW, search=False))
    assert not result.failed() and result.articles_read == 5000
    # Near-identical notes make one big story and thousands of automatic topics: a page
    # lists at most a few of them (else every page would list every other one).
    page = (root / "site/articles/n0042/index.html").read_text()
    assert len(page) < 20_000, len(page)
    assert page.count('class="tag"') <= 2
