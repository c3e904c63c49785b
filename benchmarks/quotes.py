"""Quote precision, recall and speaker accuracy on the hand-annotated gold set.

Usage: python benchmarks/quotes.py [GOLD.json] [--quiet]
Default gold set: tests/fixtures/quotes/gold.json (its annotation rules are in the README
beside it). A found quote matches a gold quote of the same article when the texts are equal
after normalising quotation marks and whitespace; speaker accuracy is over matched quotes.
The targets in DESIGN.md: precision 0.95, recall 0.90, speakers 0.90.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.analysis.quotes import Quote, extract_quotes

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "quotes" / "gold.json"
TARGETS = {"precision": 0.95, "recall": 0.90, "speakers": 0.90}

_MARKS = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_ENDS = " \"',.!?;:"


def normalise(text: str) -> str:
    """Curly marks made straight, whitespace collapsed, marks and closing punctuation at
    either end dropped."""
    return " ".join(text.translate(_MARKS).split()).strip(_ENDS)


@dataclass
class Score:
    """The tally of one article, or of the whole set."""

    gold: int = 0
    found: int = 0
    matched: int = 0
    right_speaker: int = 0
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    wrong_speakers: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.found += other.found
        self.matched += other.matched
        self.right_speaker += other.right_speaker
        self.misses += other.misses
        self.false_positives += other.false_positives
        self.wrong_speakers += other.wrong_speakers

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def speakers(self) -> float:
        return self.right_speaker / self.matched if self.matched else 1.0


def score_article(article: dict[str, Any], found: Sequence[Quote]) -> Score:
    """Match found quotes to the article's gold quotes by normalised text, each gold quote
    at most once (a repeat found twice is a false positive)."""
    score = Score(gold=len(article["quotes"]), found=len(found))
    waiting: dict[str, list[str | None]] = {}
    for gold in article["quotes"]:
        waiting.setdefault(normalise(gold["text"]), []).append(gold["speaker"])
    for quote in found:
        speakers = waiting.get(normalise(quote.text))
        if not speakers:
            score.false_positives.append(f"{quote.text!r} ({quote.speaker})")
            continue
        expected = speakers.pop(0)
        score.matched += 1
        if quote.speaker == expected:
            score.right_speaker += 1
        else:
            score.wrong_speakers.append(f"{quote.text!r}: {quote.speaker} (gold: {expected})")
    for text, speakers in waiting.items():
        score.misses += [f"{text!r} ({speaker})" for speaker in speakers]
    return score


def load_gold(path: Path = DEFAULT) -> list[dict[str, Any]]:
    articles: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["articles"]
    return articles


def score_gold(
    articles: Sequence[dict[str, Any]],
    extract: Callable[[str], Sequence[Quote]] = extract_quotes,
) -> tuple[Score, list[tuple[str, Score]]]:
    """The whole set's score and each article's."""
    total = Score()
    per_article = []
    for article in articles:
        score = score_article(article, extract(article["text"]))
        per_article.append((article["id"], score))
        total.add(score)
    return total, per_article


def _line(name: str, score: Score) -> str:
    return (
        f"{name:<32} gold {score.gold:>4}  found {score.found:>4}  matched {score.matched:>4}  "
        f"precision {score.precision:.3f}  recall {score.recall:.3f}  "
        f"speakers {score.speakers:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--quiet", action="store_true", help="figures only, no lists")
    args = parser.parse_args()
    articles = load_gold(args.gold)
    total, per_article = score_gold(articles)
    negatives = sum(len(a["negatives"]) for a in articles)
    print(
        f"gold set: {args.gold.name}, {len(articles)} articles, {total.gold} quotes, "
        f"{negatives} negatives"
    )
    for name, score in per_article:
        print(_line(name, score))
        if args.quiet:
            continue
        for label, items in (
            ("miss", score.misses),
            ("false positive", score.false_positives),
            ("wrong speaker", score.wrong_speakers),
        ):
            for item in items:
                print(f"    {label}: {' '.join(item.split())}")
    print(_line("overall", total))
    met = all(getattr(total, name) >= target for name, target in TARGETS.items())
    targets = ", ".join(f"{name} {target}" for name, target in TARGETS.items())
    print(f"targets ({targets}): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
