"""briefgen import: the seed gives the article the example holds by hand; fixtures of real
page shapes give their expected articles; nothing is duplicated or overwritten."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from briefgen.cli import main
from briefgen.config import Config
from briefgen.content import parse_article
from tests.conftest import REPO

SEED = REPO.parent / "shared/seeds/nato-north-korea-troops.txt"
BY_HAND = REPO / "content/2024/10/nato-chief-north-korean-troops-russia.md"
FIXTURES = REPO / "tests/fixtures/import"


def _article(path: Path) -> tuple[dict[str, object], list[str]]:
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---", 2)
    meta = yaml.safe_load(head)
    return meta, [block.strip() for block in body.strip().split("\n\n")]


def _site(tmp_path: Path) -> Path:
    (tmp_path / "briefgen.yaml").write_text("title: Desk\n")
    (tmp_path / "content").mkdir()
    return tmp_path


@pytest.mark.skipif(not SEED.is_file(), reason="the seed is in ../shared/seeds")
def test_the_seed_imports_as_the_article_the_example_holds_by_hand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _site(tmp_path)
    assert main(["import", str(SEED), "--site", str(root), "--topic", "security"]) == 0
    (written,) = (root / "content").rglob("*.md")
    assert written.parent.relative_to(root / "content").as_posix() == "2024/10"
    meta, paragraphs = _article(written)
    expected_meta, expected = _article(BY_HAND)
    for key in ("title", "date", "source", "topics"):
        assert str(meta[key]) == str(expected_meta[key]), key
    assert paragraphs == expected  # every paragraph, in order, and nothing else
    assert meta["imported_from"] == SEED.name
    noise = [
        "Contact Us",
        "Agencies and A News WORLD",
        "Published October",
        "Subscribe",
        "(AA Photo)",
    ]
    text = written.read_text()
    assert not any(line in text for line in noise)
    parse_article(written.read_bytes(), "x.md", Config(root=root), "x.md")  # a valid article


@pytest.mark.skipif(not SEED.is_file(), reason="the seed is in ../shared/seeds")
def test_importing_a_story_again_skips_it_unless_update(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _site(tmp_path)
    assert main(["import", str(SEED), "--site", str(root)]) == 0
    (written,) = (root / "content").rglob("*.md")
    written.write_text(written.read_text() + "\nAn editor's addition.\n")
    copy = tmp_path / "again.txt"
    copy.write_text(SEED.read_text())
    capsys.readouterr()
    assert main(["import", str(copy), "--site", str(root)]) == 0
    assert "already imported as" in capsys.readouterr().err
    assert len(list((root / "content").rglob("*.md"))) == 1
    assert "An editor's addition." in written.read_text()  # not overwritten
    assert main(["import", str(copy), "--site", str(root), "--update"]) == 0
    assert "An editor's addition." not in written.read_text()
    assert len(list((root / "content").rglob("*.md"))) == 1


def test_a_dry_run_writes_nothing_and_a_bad_file_does_not_stop_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _site(tmp_path)
    good = tmp_path / "story.txt"
    good.write_text(
        "Home\nWorld\n\nPort reopens after two-week strike ends in deal\n\nBy Jane Doe\n\n"
        "Published: 3 November 2024 14:05 GMT\n\n"
        "The port reopened on Sunday after a two-week strike, and the first ships docked at "
        "dawn, officials said.\n\n"
        '"We won a fair deal," said Ali Kaya, who led the union through the talks.\n\n'
        "Share\nFacebook\nTwitter\n\n© 2024 Kestrel News. All rights reserved.\n"
    )
    empty = tmp_path / "empty.txt"
    empty.write_text("Home\nSubscribe\n")
    missing = tmp_path / "gone.html"
    assert (
        main(["import", str(empty), str(missing), str(good), "--site", str(root), "--dry-run"]) == 1
    )
    said = capsys.readouterr().err
    assert f"{empty}: error: no story text found" in said
    assert f"{missing}: error: cannot read it" in said
    slug = "port-reopens-after-two-week-strike-ends-in-deal"
    assert f"{good}: would write {root}/content/2024/11/{slug}.md" in said
    assert list((root / "content").rglob("*.md")) == []
    assert main(["import", str(good), "--site", str(root)]) == 0
    (written,) = (root / "content").rglob("*.md")
    meta, paragraphs = _article(written)
    assert meta["author"] == "Jane Doe" and str(meta["date"]) == "2024-11-03T14:05:00+00:00"
    assert len(paragraphs) == 2 and paragraphs[1].startswith('"We won a fair deal,"')


FIXTURE_INPUTS = sorted(
    p for p in FIXTURES.glob("*") if p.suffix in (".txt", ".html") if FIXTURES.is_dir()
)


@pytest.mark.parametrize("source", FIXTURE_INPUTS, ids=[p.stem for p in FIXTURE_INPUTS])
def test_each_fixture_imports_as_its_expected_article(source: Path, tmp_path: Path) -> None:
    root = _site(tmp_path)
    assert main(["import", str(source), "--site", str(root)]) == 0
    (written,) = (root / "content").rglob("*.md")
    meta, paragraphs = _article(written)
    expected_meta, expected = _article(source.with_suffix(".expected.md"))
    for key, value in expected_meta.items():
        assert _value(meta.get(key)) == _value(value), key
    assert [_words(p) for p in paragraphs] == [_words(p) for p in expected]


def _words(block: str) -> str:
    """A block without inline emphasis marks (a page's italics may stay or go)."""
    return re.sub(r"(\*\*|\*|__)(\S(?:.*?\S)?)\1", r"\2", block)


def _value(value: object) -> str:
    """A front matter value as text: dates in ISO form, a list of names joined by 'and'."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list):
        return " and ".join(str(v) for v in value)
    return str(value)
