"""Imports flow one way: a module may import its own layer and the layers to its left."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "briefgen"
LAYERS = [
    {"errors", "lazy_fields", "link_copy", "processes", "version"},
    {"config"},
    {"markdown_text", "content", "edition_notes"},
    {"analysis"},
    {"collection", "topic_assignment", "topic_clustering", "story_grouping", "story_points"},
    {"sitemodel"},
    {"render"},
    {"output"},
    {"cache"},
    {"parallel", "reading", "rendering", "build_fingerprint", "page_keys", "search_index"},
    {"kept_collection"},
    {"live_site"},
    {"site_assets"},
    {"build", "build_steps", "analyze", "checking"},
    {"preview", "publish", "authoring"},
    {"cli", "__main__", "__init__"},
]


def layer_of(module: str) -> int:
    for index, names in enumerate(LAYERS):
        if module in names:
            return index
    raise AssertionError(f"briefgen.{module} is in no layer: add it to LAYERS")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_imports_flow_one_way() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        own = layer_of(parts[0])
        for name in imported_modules(path):
            if name.startswith("briefgen.") and layer_of(name.split(".")[1]) > own:
                wrong.append(f"{'/'.join(parts)} imports {name}")
            top = name.split(".")[0]
            edge = parts[0] == "cli" or (top == "watchdog" and parts[:2] == ("preview", "watcher"))
            if top in ("argparse", "watchdog") and not edge:
                wrong.append(f"{'/'.join(parts)} imports {name}, which only the edges may")
    assert wrong == []


def test_analysis_reads_no_files() -> None:
    for path in (PACKAGE / "analysis").glob("*.py"):
        source = path.read_text()
        assert "open(" not in source and "read_text" not in source, path.name
