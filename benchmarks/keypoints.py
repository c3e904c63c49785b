"""Key points against human summaries, beside lead-k, random-k and sumy's classic summarizers.

Usage: python benchmarks/keypoints.py [CORPUS.jsonl] [--resamples N] [--no-speed]
Default corpus: ../shared/corpora/bbc100.jsonl beside the repository. Needs the benchmark
extras (``pip install -e '.[bench]'``: sumy, rouge-score); downloads nothing.

Every method chooses among the same units, the corpus's lines (one sentence each), so the
figures compare choices, not sentence splitters. For each k (3 and 5) it prints sentence
precision (the share of chosen sentences the person also chose) and ROUGE-1/2/L F1 against the
human summary (stemmed), for the tuning half (articles 001-010 of each topic: the only ones
briefgen's weights were chosen on), the held-out half (011-020) and all; then a paired
bootstrap interval of briefgen minus TextRank; then the speed of the whole analysis.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.analysis.article import analyze_text
from briefgen.analysis.eligibility import eligible_sentences
from briefgen.analysis.keypoints import select_key_points
from briefgen.analysis.quotes import extract_quotes
from briefgen.analysis.sentences import Sentence, split_sentences
from briefgen.analysis.terms import tokenize

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared/corpora/bbc100.jsonl"
COUNTS = (3, 5)
METRICS = ("P", "R1", "R2", "RL")
SEED = 20240
TUNING_IDS = range(1, 11)  # ids 001-010 of each topic; 011-020 are held out


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    plain: str  # paragraph lines joined by spaces, paragraphs by a blank line
    sentences: tuple[Sentence, ...]  # the corpus's lines, with offsets into ``plain``
    human: frozenset[int]  # indices of the sentences the person chose
    summary: str

    @property
    def tuning(self) -> bool:
        return int(self.id.rsplit("-", 1)[1]) in TUNING_IDS


def load(path: Path) -> list[Article]:
    articles = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            articles.append(_article(json.loads(line)))
    return articles


def _article(record: dict[str, Any]) -> Article:
    sentences: list[Sentence] = []
    paragraphs: list[str] = []
    pos = 0
    for paragraph_lines in record["text"].split("\n\n"):
        lines = [line.strip() for line in paragraph_lines.split("\n") if line.strip()]
        if not lines:
            continue
        if paragraphs:
            pos += 2  # the blank line between paragraphs
        for i, line in enumerate(lines):
            if i:
                pos += 1  # the space joining two lines of a paragraph
            sentences.append(Sentence(line, pos, pos + len(line), len(paragraphs)))
            pos += len(line)
        paragraphs.append(" ".join(lines))
    plain = "\n\n".join(paragraphs)
    for sentence in sentences:
        assert plain[sentence.start : sentence.end] == sentence.text, sentence
    index = {sentence.text: i for i, sentence in reversed(list(enumerate(sentences)))}
    human = frozenset(index[s.strip()] for s in record["summary"] if s.strip() in index)
    missing = [s for s in record["summary"] if s.strip() not in index]
    if missing:
        print(f"{record['id']}: {len(missing)} summary sentences are not lines", file=sys.stderr)
    return Article(
        record["id"],
        record["title"],
        plain,
        tuple(sentences),
        human,
        "\n".join(s.strip() for s in record["summary"]),
    )


# --- the methods: each maps (article, k) to the indices of the chosen sentences ------------

Method = Callable[[Article, int], list[int]]


def briefgen(article: Article, count: int) -> list[int]:
    """As the build runs it, on the corpus's sentence units."""
    quotes = extract_quotes(article.plain, article.sentences)
    chosen = select_key_points(
        article.sentences,
        count,
        title=article.title,
        quote_spans=[(q.start, q.end) for q in quotes],
    )
    starts = {sentence.start: i for i, sentence in enumerate(article.sentences)}
    return [starts[sentence.start] for sentence in chosen]


def lead(article: Article, count: int) -> list[int]:
    return list(range(min(count, len(article.sentences))))


def random_choice(article: Article, count: int) -> list[int]:
    rng = random.Random(f"{SEED}-{article.id}-{count}")
    return sorted(rng.sample(range(len(article.sentences)), min(count, len(article.sentences))))


class _WordTokenizer:
    """What sumy's English ``Tokenizer`` does for words (NLTK's Treebank-style tokenizer, then
    only tokens that start with a letter), without the Punkt data it loads when built. The
    sentences are never split again: each corpus line is one ``Sentence`` of the model."""

    _WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['-])*$")

    def __init__(self) -> None:
        from nltk.tokenize import NLTKWordTokenizer  # type: ignore[import-untyped]

        self._tokenizer = NLTKWordTokenizer()
        self.language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(line.strip() for line in paragraph.split("\n") if line.strip())

    def to_words(self, sentence: str) -> tuple[str, ...]:
        words = self._tokenizer.tokenize(sentence)
        return tuple(word for word in words if self._WORD.match(word))


def sumy_methods() -> dict[str, Method]:
    from sumy.models.dom import (  # type: ignore[import-untyped]
        ObjectDocumentModel,
        Paragraph,
    )
    from sumy.models.dom import Sentence as SumySentence
    from sumy.nlp.stemmers import Stemmer  # type: ignore[import-untyped]
    from sumy.summarizers.kl import KLSummarizer  # type: ignore[import-untyped]
    from sumy.summarizers.lex_rank import LexRankSummarizer  # type: ignore[import-untyped]
    from sumy.summarizers.lsa import LsaSummarizer  # type: ignore[import-untyped]
    from sumy.summarizers.luhn import LuhnSummarizer  # type: ignore[import-untyped]
    from sumy.summarizers.sum_basic import SumBasicSummarizer  # type: ignore[import-untyped]
    from sumy.summarizers.text_rank import TextRankSummarizer  # type: ignore[import-untyped]
    from sumy.utils import get_stop_words  # type: ignore[import-untyped]

    tokenizer = _WordTokenizer()
    stemmer = Stemmer("english")
    stop_words = get_stop_words("english")

    def document(article: Article) -> Any:
        paragraphs: dict[int, list[Any]] = {}
        for sentence in article.sentences:
            unit = SumySentence(sentence.text, tokenizer)
            paragraphs.setdefault(sentence.paragraph, []).append(unit)
        return ObjectDocumentModel([Paragraph(units) for units in paragraphs.values()])

    def method(summarizer_class: Any) -> Method:
        summarizer = summarizer_class(stemmer)
        summarizer.stop_words = stop_words

        def choose(article: Article, count: int) -> list[int]:
            chosen = summarizer(document(article), count)
            texts = [sentence.text for sentence in article.sentences]
            indices = []
            for unit in chosen:
                i = texts.index(str(unit))
                while i in indices:  # the same line twice in one article
                    i = texts.index(str(unit), i + 1)
                indices.append(i)
            return sorted(indices)

        return choose

    def eligible_only(choose: Method) -> Method:
        """A method on only the sentences briefgen may choose (no bare quotations, fragments or
        boilerplate): what the rules cost, apart from how the choice is made."""

        def choose_eligible(article: Article, count: int) -> list[int]:
            quotes = [(q.start, q.end) for q in extract_quotes(article.plain, article.sentences)]
            kept = [i for i, _ in eligible_sentences(article.sentences, quotes)]
            sentences = tuple(article.sentences[i] for i in kept)
            human = frozenset(kept.index(i) for i in article.human if i in kept)
            narrowed = Article(article.id, article.title, article.plain, sentences, human, "")
            return [kept[i] for i in choose(narrowed, count)]

        return choose_eligible

    text_rank = method(TextRankSummarizer)
    return {
        "TextRank": text_rank,
        "TextRank*": eligible_only(text_rank),
        "LexRank": method(LexRankSummarizer),
        "LSA": method(LsaSummarizer),
        "Luhn": method(LuhnSummarizer),
        "SumBasic": method(SumBasicSummarizer),
        "KL": method(KLSummarizer),
    }


# --- scoring -------------------------------------------------------------------------------

Scores = dict[str, dict[int, dict[str, list[float]]]]  # method -> k -> metric -> per article


def score_all(articles: Sequence[Article], methods: dict[str, Method]) -> Scores:
    from rouge_score import rouge_scorer  # type: ignore[import-untyped]

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    scores: Scores = {}
    for name, method in methods.items():
        scores[name] = {count: {metric: [] for metric in METRICS} for count in COUNTS}
        for article in articles:
            for count in COUNTS:
                chosen = method(article, count)
                text = "\n".join(article.sentences[i].text for i in chosen)
                rouge = scorer.score(article.summary, text)
                figures = scores[name][count]
                figures["P"].append(len(article.human.intersection(chosen)) / max(len(chosen), 1))
                figures["R1"].append(rouge["rouge1"].fmeasure)
                figures["R2"].append(rouge["rouge2"].fmeasure)
                figures["RL"].append(rouge["rougeL"].fmeasure)
    return scores


def print_table(scores: Scores, articles: Sequence[Article]) -> None:
    parts = {
        "tuning half (001-010)": [i for i, a in enumerate(articles) if a.tuning],
        "held-out half (011-020)": [i for i, a in enumerate(articles) if not a.tuning],
        "all": list(range(len(articles))),
    }
    header = "".join(f"  k={count} {metric:<3}" for count in COUNTS for metric in METRICS)
    for label, rows in parts.items():
        print(f"\n{label}: {len(rows)} articles")
        print(f"{'method':<10}{header}")
        for name, by_count in scores.items():
            cells = "".join(
                f"  {statistics.fmean(by_count[count][metric][i] for i in rows):>7.3f}"
                for count in COUNTS
                for metric in METRICS
            )
            print(f"{name:<10}{cells}")


def print_bootstrap(
    scores: Scores, articles: Sequence[Article], resamples: int, baseline: str = "TextRank"
) -> None:
    print(f"\npaired bootstrap, briefgen minus {baseline}: mean [95% interval], {resamples} draws")
    parts = {
        "held-out": [i for i, a in enumerate(articles) if not a.tuning],
        "all": list(range(len(articles))),
    }
    for label, rows in parts.items():
        for count in COUNTS:
            for metric in ("P", "R2"):
                ours = scores["briefgen"][count][metric]
                theirs = scores[baseline][count][metric]
                differences = [ours[i] - theirs[i] for i in rows]
                low, high = _bootstrap(differences, resamples)
                print(
                    f"  {label:<9} k={count} {metric:<3} {statistics.fmean(differences):+.3f} "
                    f"[{low:+.3f}, {high:+.3f}]"
                )


def _bootstrap(values: Sequence[float], resamples: int) -> tuple[float, float]:
    rng = random.Random(SEED)
    n = len(values)
    means = sorted(statistics.fmean(rng.choices(values, k=n)) for _ in range(resamples))
    return means[int(0.025 * resamples)], means[int(0.975 * resamples) - 1]


# --- speed ---------------------------------------------------------------------------------


def print_speed(articles: Sequence[Article], rounds: int = 5) -> None:
    """One core, warm word caches. Two figures: what the issue's target counts (key points,
    quotes and speakers, from plain text) and the whole analysis the build caches (which adds
    the word counts, fingerprint and names that topics and stories use)."""
    for label, run in (
        ("key points, quotes and speakers", _points_and_quotes),
        ("whole analyze_text (adds terms, fingerprint, names)", _whole_analysis),
    ):
        per_article: list[float] = []
        for round_number in range(rounds):
            for article in articles:
                began = time.perf_counter()
                run(article)
                if round_number:  # the first round fills the word caches
                    per_article.append(time.perf_counter() - began)
        median = statistics.median(per_article)
        print(f"\nspeed of {label}, one core, {rounds - 1} warm rounds:")
        print(f"  median {median * 1000:.2f} ms an article")
        print(f"  throughput {1 / statistics.fmean(per_article):.0f} articles per second")
    paragraphs = [p for article in articles for p in article.plain.split("\n\n")]
    for megabytes in (1, 10):
        text = _long_article(paragraphs, megabytes * 1_000_000)
        began = time.perf_counter()
        analysis = analyze_text(text, title="A very long article", key_points=5)
        seconds = time.perf_counter() - began
        print(
            f"  {megabytes:>2} MB article ({text.count(chr(10)) // 2 + 1} paragraphs): "
            f"{seconds:.2f} s, {seconds / megabytes:.2f} s per MB, "
            f"{len(analysis.key_points)} points"
        )


def _points_and_quotes(article: Article) -> None:
    sentences = split_sentences(article.plain)
    quotes = extract_quotes(article.plain, sentences)
    select_key_points(
        sentences,
        4,
        title=article.title,
        quote_spans=[(q.start, q.end) for q in quotes],
        sentence_terms=[tokenize(s.text) for s in sentences],
    )


def _whole_analysis(article: Article) -> None:
    analyze_text(article.plain, title=article.title, key_points=4)


def _long_article(paragraphs: Sequence[str], size: int) -> str:
    """Corpus paragraphs in turn, each round's copy with its own numbers, so that repeats are
    not identical."""
    parts: list[str] = []
    length = 0
    round_number = 0
    while length < size:
        round_number += 1
        for paragraph in paragraphs:
            varied = paragraph.replace(" the ", f" the {round_number} ", 1)
            parts.append(varied)
            length += len(varied) + 2
            if length >= size:
                break
    return "\n\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--no-speed", action="store_true", help="skip the timings")
    args = parser.parse_args()
    articles = load(args.corpus)
    methods: dict[str, Method] = {"briefgen": briefgen, "lead-k": lead, "random-k": random_choice}
    methods.update(sumy_methods())
    print(f"corpus: {args.corpus}, {len(articles)} articles")
    print("P: share of chosen sentences the person chose; R1/R2/RL: ROUGE F1 (stemmed)")
    print("TextRank*: TextRank on only the sentences briefgen's rules allow (a diagnostic)")
    scores = score_all(articles, methods)
    print_table(scores, articles)
    print_bootstrap(scores, articles, args.resamples)
    if not args.no_speed:
        print_speed(articles)


if __name__ == "__main__":
    main()
