"""Automatic topics against the corpus labels, beside TF-IDF + k-means; and their speed.

Usage: python benchmarks/topics.py [CORPUS.jsonl] [--scale N] [--seeds N]
Default corpus: ../shared/corpora/bbc100.jsonl beside the repository. Needs the benchmark
extras (``pip install -e '.[bench]'``: scikit-learn, for the k-means baseline only).

1. Labels hidden, no configured topics: every article is a leftover, so the clustering alone
   decides, choosing the number of topics itself (it is not told there are five). NMI and
   adjusted Rand index against the labels, beside TF-IDF + k-means told k = the number of
   labels (median over seeds), on the tuning half (articles 001-010 of each topic, the only
   ones briefgen's parameters were chosen on), the held-out half (011-020) and all.
2. Two articles per label given as front matter, the labels configured as topics: the share of
   the other articles placed in their own topic, in another, and left "Unsorted".
3. The time of assign_topics on ``--scale`` articles (the corpus copied with its term counts
   thinned and jittered), with no topic configured and with the labels configured.
Doc terms are briefgen.analysis.terms.term_counts(title + "\\n" + text), as the build's.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefgen.analysis.terms import term_counts
from briefgen.config import TopicConfig
from briefgen.topic_assignment import SIMILAR, TopicDoc, assign_topics

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared/corpora/bbc100.jsonl"
TUNING_IDS = range(1, 11)  # ids 001-010 of each topic; 011-020 are held out
SEED = 20240


@dataclass(frozen=True)
class Labelled:
    doc: TopicDoc
    label: str
    number: int  # the nnn of "<topic>-<nnn>"


def load(path: Path) -> list[Labelled]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [
        Labelled(
            TopicDoc(
                key=row["id"],
                terms=term_counts(row["title"] + "\n" + row["text"]),
                text=(row["title"] + "\n" + row["text"]).lower(),
            ),
            row["topic"],
            int(row["id"].rsplit("-", 1)[1]),
        )
        for row in rows
    ]


def halves(articles: list[Labelled]) -> list[tuple[str, list[Labelled]]]:
    return [
        ("tuning (001-010)", [a for a in articles if a.number in TUNING_IDS]),
        ("held out (011-020)", [a for a in articles if a.number not in TUNING_IDS]),
        ("all", articles),
    ]


# --- agreement with the labels --------------------------------------------------------------


def _entropy(counts: Sequence[int], total: int) -> float:
    return -sum(c / total * math.log(c / total) for c in counts if c)


def nmi(truth: Sequence[str], found: Sequence[str]) -> float:
    """Normalized mutual information, arithmetic-mean normalisation (scikit-learn's default)."""
    total = len(truth)
    joint = Counter(zip(truth, found, strict=True))
    left, right = Counter(truth), Counter(found)
    mutual = sum(
        n / total * math.log(n * total / (left[a] * right[b])) for (a, b), n in joint.items()
    )
    mean = (_entropy(list(left.values()), total) + _entropy(list(right.values()), total)) / 2
    return mutual / mean if mean else 1.0


def ari(truth: Sequence[str], found: Sequence[str]) -> float:
    """Adjusted Rand index (Hubert and Arabie)."""

    def pairs(n: int) -> float:
        return n * (n - 1) / 2

    index = sum(pairs(n) for n in Counter(zip(truth, found, strict=True)).values())
    left = sum(pairs(n) for n in Counter(truth).values())
    right = sum(pairs(n) for n in Counter(found).values())
    expected = left * right / pairs(len(truth))
    best = (left + right) / 2
    return (index - expected) / (best - expected) if best != expected else 1.0


# --- the methods ------------------------------------------------------------------------------


def briefgen_clusters(articles: Sequence[Labelled]) -> list[str]:
    result = assign_topics([a.doc for a in articles], ())
    return [result.topics[a.doc.key][0] for a in articles]


def kmeans_clusters(articles: Sequence[Labelled], k: int, seed: int) -> list[str]:
    from sklearn.cluster import KMeans  # type: ignore[import-untyped]
    from sklearn.feature_extraction import DictVectorizer  # type: ignore[import-untyped]
    from sklearn.feature_extraction.text import TfidfTransformer  # type: ignore[import-untyped]

    counts = DictVectorizer().fit_transform([dict(a.doc.terms) for a in articles])
    vectors = TfidfTransformer().fit_transform(counts)
    labels = KMeans(n_clusters=k, random_state=seed, n_init=10).fit_predict(vectors)
    return [str(label) for label in labels]


def task_clustering(articles: list[Labelled], seeds: int) -> None:
    print("1. Clustering with the labels hidden (no configured topics)")
    print(f"   {'set':<20} {'method':<26} {'NMI':>6} {'ARI':>6} {'topics':>7}")
    for name, part in halves(articles):
        truth = [a.label for a in part]
        k = len(set(truth))
        found = briefgen_clusters(part)
        sizes = sorted(Counter(found).values(), reverse=True)
        print(
            f"   {name:<20} {'briefgen (chooses k)':<26} {nmi(truth, found):6.3f}"
            f" {ari(truth, found):6.3f} {len(sizes):7d}   sizes {sizes}"
        )
        runs = [kmeans_clusters(part, k, seed) for seed in range(seeds)]
        nmis = [nmi(truth, r) for r in runs]
        aris = [ari(truth, r) for r in runs]
        print(
            f"   {'':<20} {f'k-means k={k}, median of {seeds}':<26} {statistics.median(nmis):6.3f}"
            f" {statistics.median(aris):6.3f} {k:7d}   NMI {min(nmis):.2f}-{max(nmis):.2f},"
            f" ARI {min(aris):.2f}-{max(aris):.2f}"
        )


def task_few_labels(articles: list[Labelled], per_label: int = 2) -> None:
    print(f"\n2. {per_label} articles per label given as front matter, the rest placed")
    print(f"   {'set':<20} {'draws':>5} {'right':>7} {'wrong':>7} {'unsorted':>9}  right of placed")
    labels = sorted({a.label for a in articles})
    configured = [TopicConfig(label, label.title()) for label in labels]
    for name, part in halves(articles):
        numbers = sorted({a.number for a in part})
        draws = [numbers[i : i + per_label] for i in range(0, len(numbers), per_label)]
        right = wrong = unsorted = 0
        for chosen in draws:
            docs = [
                TopicDoc(
                    a.doc.key, a.doc.terms, a.doc.text, (a.label,) if a.number in chosen else ()
                )
                for a in part
            ]
            result = assign_topics(docs, configured)
            for a in part:
                if a.number in chosen:
                    continue
                if result.how[a.doc.key] != SIMILAR:
                    unsorted += 1
                elif result.topics[a.doc.key] == (a.label,):
                    right += 1
                else:
                    wrong += 1
        total = right + wrong + unsorted
        print(
            f"   {name:<20} {len(draws):5d} {right / total:7.1%} {wrong / total:7.1%}"
            f" {unsorted / total:9.1%}  {right / max(1, right + wrong):.1%}"
        )


def synthetic(articles: list[Labelled], size: int) -> list[Labelled]:
    """``size`` articles: the corpus over and over, each copy with a fifth of its terms dropped
    and the counts jittered, so no two copies are the same."""
    rng = random.Random(SEED)
    made = []
    for n in range(size):
        source = articles[n % len(articles)]
        terms = {
            term: max(1, count + rng.choice((-1, 0, 0, 1)))
            for term, count in source.doc.terms.items()
            if rng.random() > 0.2
        }
        key = f"copy{n // len(articles):04d}/{source.doc.key}"
        made.append(Labelled(TopicDoc(key, terms, source.doc.text), source.label, source.number))
    return made


def task_speed(articles: list[Labelled], size: int) -> None:
    print(f"\n3. Time of assign_topics on {size:,} articles (best of 3)")
    many = synthetic(articles, size)
    labels = sorted({a.label for a in articles})
    configured = [TopicConfig(label, label.title()) for label in labels]
    given = [
        TopicDoc(a.doc.key, a.doc.terms, a.doc.text, (a.label,) if a.number <= 2 else ())
        for a in many[: len(articles)]
    ] + [a.doc for a in many[len(articles) :]]
    cases: list[tuple[str, Callable[[], object]]] = [
        ("no topic configured (all clustered)", lambda: assign_topics([a.doc for a in many], ())),
        ("labels configured, 10 given", lambda: assign_topics(given, configured)),
    ]
    for name, run in cases:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            result = run()
            times.append(time.perf_counter() - start)
        assert result is not None
        print(f"   {name:<40} {min(times):6.2f} s")
    found = briefgen_clusters(many)
    truth = [a.label for a in many]
    print(
        f"   clustering of the {size:,} copies: NMI {nmi(truth, found):.3f},"
        f" ARI {ari(truth, found):.3f}, {len(set(found))} topics"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--scale", type=int, default=10_000)
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    articles = load(args.corpus)
    task_clustering(articles, args.seeds)
    task_few_labels(articles)
    task_speed(articles, args.scale)


if __name__ == "__main__":
    main()
