"""Articles analysed per second on one core (key points, quotes, terms, fingerprint).

Usage: python benchmarks/analysis_speed.py [CORPUS.jsonl] [--rounds N]
Default corpus: ../shared/corpora/bbc100.jsonl beside the repository. Prints figures; the
target in DESIGN.md is at least 1,000 articles per second per core (1 ms an article).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from briefgen.analysis.article import analyze_text

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "bbc100.jsonl"


def plain_text(article: dict[str, str]) -> str:
    """The corpus keeps one sentence per line; the content stage makes one line a paragraph."""
    paragraphs = article["text"].split("\n\n")
    return "\n\n".join(" ".join(p.split("\n")) for p in paragraphs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    articles = [json.loads(line) for line in args.corpus.read_text().splitlines() if line]
    texts = [(a["title"], plain_text(a)) for a in articles]
    words = statistics.mean(len(text.split()) for _, text in texts)
    per_article: list[float] = []
    first_round = 0.0
    for round_number in range(args.rounds):
        start = time.perf_counter()
        for title, text in texts:
            began = time.perf_counter()
            analyze_text(text, title=title, key_points=4)
            if round_number:
                per_article.append(time.perf_counter() - began)
        if round_number == 0:
            first_round = time.perf_counter() - start
    per_article.sort()
    median = statistics.median(per_article)
    print(f"corpus: {args.corpus.name}, {len(texts)} articles, {words:.0f} words on average")
    print(f"first round (cold caches): {first_round / len(texts) * 1000:.2f} ms an article")
    print(
        f"warm: median {median * 1000:.2f} ms, p90 "
        f"{per_article[int(len(per_article) * 0.9)] * 1000:.2f} ms an article"
    )
    print(f"throughput: {1 / statistics.mean(per_article):.0f} articles per second on one core")


if __name__ == "__main__":
    main()
