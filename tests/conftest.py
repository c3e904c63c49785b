from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED_ARTICLE = "2024/10/nato-chief-north-korean-troops-russia.md"


def write_files(root: Path, files: Mapping[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def article(
    title: str, date: str = "2024-10-28", body: str = "Some text here.", **fields: str
) -> str:
    """A small article file: front matter from the arguments, then the body."""
    lines = ["---", f'title: "{title}"', f"date: {date}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "\n".join([*lines, "---", "", body, ""])


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[[Mapping[str, str | bytes]], Path]:
    """Build a site folder from a dict of files: the test shows its whole input."""

    def make(files: Mapping[str, str | bytes]) -> Path:
        root = tmp_path / "site-src"
        root.mkdir(exist_ok=True)
        return write_files(root, files)

    return make
