"""``briefgen analyze``: the analysis of given article files, outside or inside a site.

The JSON form is a stable contract (DESIGN.md): one object per article, in the order the
paths were given (a folder: its articles sorted by path).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from briefgen.analysis.quotes import Quote
from briefgen.collection import collect
from briefgen.config import Config, find_config, load_config
from briefgen.content import Article, discover_articles, read_article
from briefgen.errors import BriefgenError, Diagnostic
from briefgen.reading import analyze_article


@dataclass(frozen=True)
class AnalyzedArticle:
    path: str
    title: str = ""
    key_points: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()
    topics: tuple[str, ...] = ()
    error: str = ""

    def as_json(self) -> dict[str, Any]:
        if self.error:
            return {"path": self.path, "error": self.error}
        return {
            "path": self.path,
            "title": self.title,
            "key_points": list(self.key_points),
            "quotes": [
                {"text": q.text, "speaker": q.speaker, "start": q.start, "end": q.end}
                for q in self.quotes
            ],
            "topics": list(self.topics),
        }


def analyze_paths(
    paths: Sequence[Path], key_points: int | None = None
) -> tuple[list[AnalyzedArticle], list[Diagnostic]]:
    config, problems = _config_for(paths)
    if key_points is not None:
        config = replace(config, key_points=key_points)
    files = [file for path in paths for file in _article_files(path)]
    read: list[tuple[str, Article | str]] = []
    for shown, file in files:
        try:
            read.append((shown, read_article(file.parent, file.name, config, shown)))
        except BriefgenError as exc:
            read.append((shown, str(exc.diagnostic)))
    articles = [a for _, a in read if isinstance(a, Article)]
    analyses = {id(a): analyze_article(a, config) for a in articles}
    collection = collect(((a, analyses[id(a)]) for a in articles), config)
    topics = {id(item.article): item.topics for item in collection.items}
    results = []
    for shown, article in read:
        if isinstance(article, str):
            results.append(AnalyzedArticle(shown, error=article))
            continue
        analysis = analyses[id(article)]
        results.append(
            AnalyzedArticle(
                path=shown,
                title=article.title,
                key_points=tuple(p.text for p in analysis.key_points),
                quotes=analysis.quotes,
                topics=topics[id(article)],
            )
        )
    return results, problems


def _config_for(paths: Sequence[Path]) -> tuple[Config, list[Diagnostic]]:
    found = find_config(paths[0]) if paths else None
    if found is None:
        return Config(root=Path.cwd()), []
    return load_config(found.parent, found)


def _article_files(path: Path) -> list[tuple[str, Path]]:
    if path.is_dir():
        return [(str(path / rel), path / rel) for rel in discover_articles(path)]
    return [(str(path), path)]
