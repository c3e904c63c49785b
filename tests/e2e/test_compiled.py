"""The compiled wheel (``pip install .``: setup.py, build_support/backend.py) makes the site
the Python source makes, byte for byte, and reads the cache the other one wrote.

The wheel is built the way pip builds it for a user (a new environment, an isolated build
environment with the pinned mypyc from the package registry), once for this module: about a
minute.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, load_benchmark, site_snapshot

EPOCH = "1735689600"  # 2025-01-01: after every generated article


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel pip builds from this checkout, in a new environment (as the README's build
    command does: without the stubs and tools of the test environment)."""
    out = tmp_path_factory.mktemp("wheel")
    venv = out / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = [str(venv / "bin" / "python"), "-m", "pip"]
    made = subprocess.run(
        [*pip, "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert made.returncode == 0, made.stderr[-3000:]
    (found,) = out.glob("briefgen-*.whl")
    return found


@pytest.fixture(scope="module")
def compiled(wheel: Path) -> Path:
    """The wheel unpacked: a folder to put first on PYTHONPATH."""
    unpacked = wheel.parent / "unpacked"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    return unpacked


def briefgen(*args: str, cwd: Path, compiled: Path | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    env.pop("PYTHONPATH", None)
    if compiled is not None:
        env["PYTHONPATH"] = str(compiled)
    return subprocess.run(
        [sys.executable, "-m", "briefgen", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_wheel_compiles_every_module_setup_py_names(wheel: Path, compiled: Path) -> None:
    tree = ast.parse((REPO / "setup.py").read_text(encoding="utf-8"))
    named = next(
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "COMPILED"
    )
    with zipfile.ZipFile(wheel) as archive:
        extensions = {
            name.split(".")[0] + ".py" for name in archive.namelist() if name.endswith(".so")
        }
    assert set(named) <= extensions
    # (not from this checkout: ``python -m`` looks in the working folder first)
    shown = briefgen("--version", cwd=compiled.parent, compiled=compiled)
    assert shown.stdout.strip().endswith("(compiled)"), shown.stdout + shown.stderr


def test_the_compiled_build_makes_the_same_site_and_reads_the_pure_builds_cache(
    compiled: Path, tmp_path: Path
) -> None:
    make_corpus = load_benchmark("make_corpus")
    if not make_corpus.DEFAULT_CORPUS.is_file():
        pytest.skip(f"the corpus the site is made from is missing: {make_corpus.DEFAULT_CORPUS}")
    corpus = make_corpus.load_corpus(make_corpus.DEFAULT_CORPUS)
    pure_root, compiled_root = tmp_path / "pure", tmp_path / "compiled"
    # Stories told by several outlets, quotes, two topics each: every compiled module's work.
    make_corpus.write_briefgen(pure_root, make_corpus.generate(240, corpus, seed=20241205))
    shutil.copytree(pure_root, compiled_root)

    for root, runs in ((pure_root, None), (compiled_root, compiled)):
        built = briefgen("build", "--no-search", "-j", "2", cwd=root, compiled=runs)
        assert built.returncode == 0, built.stdout + built.stderr
    pure_site = site_snapshot(pure_root / "site")
    assert len(pure_site) > 300
    assert site_snapshot(compiled_root / "site") == pure_site

    pure_json = briefgen("analyze", "--json", "content", cwd=pure_root, compiled=None)
    compiled_json = briefgen("analyze", "--json", "content", cwd=compiled_root, compiled=compiled)
    assert pure_json.returncode == 0 and '"speaker": "' in pure_json.stdout
    assert compiled_json.stdout == pure_json.stdout

    # The analyses the pure build cached (quotes, sentences, text blocks: pickled records)
    # are read by the compiled one, which then has nothing to analyse.
    shutil.rmtree(compiled_root / ".briefgen-cache")
    shutil.copytree(pure_root / ".briefgen-cache", compiled_root / ".briefgen-cache")
    shutil.rmtree(compiled_root / "site")
    again = briefgen("build", "--no-search", "-v", cwd=compiled_root, compiled=compiled)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "0 analysed" in again.stderr
    assert site_snapshot(compiled_root / "site") == pure_site

    # One article edited below its lead: each build takes the collection it kept, and the
    # sites are the same.
    edited = sorted((pure_root / "content").rglob("*.md"))[7].relative_to(pure_root)
    for root, runs in ((pure_root, None), (compiled_root, compiled)):
        path = root / edited
        path.write_text(path.read_text() + "\nThe figures were checked twice over.\n")
        built = briefgen("build", "--no-search", "-v", cwd=root, compiled=runs)
        assert built.returncode == 0, built.stdout + built.stderr
        assert "1 analysed" in built.stderr
        assert "stories and editions as the last build made them" in built.stderr
    assert site_snapshot(compiled_root / "site") == site_snapshot(pure_root / "site")


def test_a_compiled_story_keeps_its_merges(compiled: Path) -> None:
    """A story's merged points and quotes are made once and remembered merges are shown
    (a cached_property compiled by mypyc became a plain property: every page merged again,
    and the merges a build keeps for the next were never seen)."""
    check = (
        "import briefgen.collection as c\n"
        "assert c.__file__.endswith('.so'), c.__file__\n"
        "s = c.Story('s', (), ())\n"
        "assert s.merged_points is None\n"
        "s.remember_points(('kept',))\n"
        "assert s.points == ('kept',) and s.merged_points == ('kept',)\n"
        "s.forget_merges()\n"
        "assert s.merged_points is None and s.points == () and s.merged_points == ()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(compiled)}
    ran = subprocess.run(
        [sys.executable, "-c", check], cwd=compiled.parent, env=env, capture_output=True, text=True
    )
    assert ran.returncode == 0, ran.stderr
