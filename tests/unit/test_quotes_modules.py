"""The quote extractor's modules import one way: each only from modules after it here."""

from __future__ import annotations

import ast
from pathlib import Path

ANALYSIS = Path(__file__).resolve().parents[2] / "briefgen" / "analysis"
ORDER = [
    "quotes",
    "quotation_marks",
    "attribution",
    "mentions",
    "names",
    "given_names",
    "tokens",
    "sentences",
]


def test_quote_modules_import_one_way() -> None:
    wrong = []
    for position, name in enumerate(ORDER):
        tree = ast.parse((ANALYSIS / f"{name}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported = node.module.removeprefix("briefgen.analysis.")
                if imported in ORDER and ORDER.index(imported) <= position:
                    wrong.append(f"{name} imports {imported}")
    assert wrong == []
