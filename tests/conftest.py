from __future__ import annotations

import importlib.util
import json
import os
import sys
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, settings

# Property tests (tests/unit/test_properties_*.py) run the same 100 examples each on every run,
# so CI is deterministic, and take seconds. To hunt for bugs, run many more from a fresh random
# seed each time:  HYPOTHESIS_PROFILE=thorough pytest tests/unit/test_properties_*.py
# (about 5 minutes here); make each failure it prints an @example on its test. Neither profile
# keeps an example database in the working tree.
settings.register_profile("briefgen", derandomize=True, deadline=None, max_examples=100)
settings.register_profile(
    "thorough",
    max_examples=2500,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "briefgen"))

REPO = Path(__file__).resolve().parent.parent
SEED_ARTICLE = "2024/10/nato-chief-north-korean-troops-russia.md"


def site_snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes; the search index by its pages' fragments, word index and page count:
    Pagefind writes its filter and metadata files differently from run to run over the same
    pages (its issue 638), so those are not compared byte for byte."""
    files = {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }
    kept = {
        path: data
        for path, data in files.items()
        if not path.startswith("pagefind/")
        or path.startswith(("pagefind/fragment/", "pagefind/index/"))
    }
    if "pagefind/pagefind-entry.json" in files:
        entry = json.loads(files["pagefind/pagefind-entry.json"])
        kept["(search pages)"] = repr(
            sorted((lang, found["page_count"]) for lang, found in entry["languages"].items())
        ).encode()
    return kept


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


def interruptible() -> None:
    """For a subprocess a test stops with Ctrl-C (SIGINT): as in a terminal, whatever the
    test run itself inherited (a shell's background job ignores SIGINT)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def load_benchmark(name: str) -> ModuleType:
    """A script of benchmarks/ as a module, for tests that reuse its parts."""
    path = REPO / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # (its dataclasses look their module up)
    spec.loader.exec_module(module)
    return module
