"""Pairwise precision and recall of story merging on the labelled fixture set.

Usage: python benchmarks/stories.py [FIXTURE_DIR]
Default: tests/fixtures/stories (its README describes the set: 47 articles in 19 stories, with
deliberate near-misses). Every pair of articles the labels put in one story and the build put
in one story is a true positive. Targets (DESIGN.md): precision 0.95, recall 0.85.
"""

from __future__ import annotations

import argparse
import json
import time
from itertools import combinations
from pathlib import Path

from briefgen.collection import collect
from briefgen.config import Config
from briefgen.content import discover_articles, read_article
from briefgen.reading import analyze_article

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "stories"


def built_stories(content: Path) -> dict[str, str]:
    """Each article file name -> the story id the collection gave it."""
    config = Config(root=content.parent)
    articles = [read_article(content, rel, config, rel) for rel in discover_articles(content)]
    collection = collect([(a, analyze_article(a, config)) for a in articles], config)
    return {item.article.rel_path: story.id for story in collection.stories for item in story.items}


def pairwise(labels: dict[str, str], found: dict[str, str]) -> tuple[float, float, list[str]]:
    true_pairs = {frozenset(p) for p in combinations(labels, 2) if labels[p[0]] == labels[p[1]]}
    found_pairs = {frozenset(p) for p in combinations(found, 2) if found[p[0]] == found[p[1]]}
    hits = true_pairs & found_pairs
    precision = len(hits) / len(found_pairs) if found_pairs else 1.0
    recall = len(hits) / len(true_pairs) if true_pairs else 1.0
    notes = [
        f"wrong merge: {' + '.join(sorted(p))}"
        for p in sorted(found_pairs - true_pairs, key=sorted)
    ]
    notes += [
        f"missed: {' + '.join(sorted(p))}" for p in sorted(true_pairs - found_pairs, key=sorted)
    ]
    return precision, recall, notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fixture", nargs="?", type=Path, default=DEFAULT)
    args = parser.parse_args()
    labels = json.loads((args.fixture / "labels.json").read_text())
    start = time.perf_counter()
    found = built_stories(args.fixture / "content")
    seconds = time.perf_counter() - start
    precision, recall, notes = pairwise(labels, found)
    stories = len(set(found.values()))
    print(f"{len(found)} articles, {len(set(labels.values()))} labelled stories, {stories} found")
    for note in notes:
        print(f"  {note}")
    print(
        f"pairwise precision {precision:.3f}, recall {recall:.3f} (targets 0.95 / 0.85): "
        f"{'met' if precision >= 0.95 and recall >= 0.85 else 'NOT met'}"
    )
    print(f"read, analysed and grouped in {seconds:.2f} s")


if __name__ == "__main__":
    main()
