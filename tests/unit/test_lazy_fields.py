"""An article and its analysis read back from the cache are the same as before, though their
bulky fields stay packed until read; pickled to a worker process they travel unpacked."""

from __future__ import annotations

import dataclasses
import mmap
import pickle
from pathlib import Path
from typing import Any

import pytest

from briefgen.analysis.article import analyze_text
from briefgen.config import Config
from briefgen.content import parse_article
from briefgen.lazy_fields import dumps_packed, loads_packed

CONFIG = Config(root=Path("/site"))
TEXT = (
    b"---\ntitle: Rutte on troops\ndate: 2024-10-28\n---\n\n"
    b'NATO chief Mark Rutte said on Monday the deployment was "a significant escalation".\n\n'
    b"Allies met in Brussels to discuss the response.\n"
)


def test_a_pickled_analysis_comes_back_equal_with_its_key_points_packed_until_read() -> None:
    article = parse_article(TEXT, "a.md", CONFIG)
    analysis = analyze_text(article.plain, title=article.title, key_points=3)
    back = _packed_and_back(analysis)
    assert "quotes" not in vars(back) and "key_points" not in vars(back)  # still packed
    assert back.quotes[0].text == "a significant escalation"
    assert back.quotes[0].speaker == "Mark Rutte"
    assert "key_points" in vars(back)  # unpacked with the quotes, which a page shows with it
    assert "terms" not in vars(back) and "names" not in vars(back)  # the other groups not
    assert back.names == analysis.names and "story_terms" in vars(back)
    assert "terms" not in vars(back)  # (topic assignment's, apart from story grouping's)
    assert back == analysis
    assert _packed_and_back(_packed_and_back(analysis)) == analysis


def test_a_pickled_article_comes_back_equal_and_pickles_again() -> None:
    article = parse_article(TEXT, "a.md", CONFIG)
    back = _packed_and_back(article)
    again = pickle.loads(pickle.dumps(back))  # still packed, it travels packed
    assert again.blocks == article.blocks and again == article
    assert dataclasses.replace(back, title="Other").blocks == article.blocks


def test_plain_pickling_sends_an_analysis_whole() -> None:
    article = parse_article(TEXT, "a.md", CONFIG)
    analysis = analyze_text(article.plain, title=article.title, key_points=3)
    sent = pickle.loads(pickle.dumps(analysis))  # as to and from a worker process
    assert "quotes" in vars(sent) and sent == analysis


def test_packed_groups_are_views_of_the_file_read_and_sent_to_a_worker_as_bytes(
    tmp_path: Path,
) -> None:
    article = parse_article(TEXT, "a.md", CONFIG)
    analysis = analyze_text(article.plain, title=article.title, key_points=3)
    path = tmp_path / "packed"
    path.write_bytes(b"".join(dumps_packed({"a.md": (article, analysis)})))
    with path.open("rb") as handle:
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    back_article, back_analysis = loads_packed(mapped)["a.md"]
    packed = [v for v in vars(back_analysis).values() if isinstance(v, memoryview)]
    assert len(packed) == 3  # the three groups, not copied out of the map
    sent = pickle.loads(pickle.dumps(back_analysis))  # (a view does not pickle)
    assert sent == analysis and back_analysis == analysis and back_article == article


@pytest.mark.parametrize("cut", [0, 5, 20, -1])
def test_packed_data_cut_short_is_refused(cut: int) -> None:
    article = parse_article(TEXT, "a.md", CONFIG)
    data = b"".join(dumps_packed({"a.md": article}))
    with pytest.raises((ValueError, pickle.UnpicklingError)):
        loads_packed(data[:cut])
    with pytest.raises(ValueError):
        loads_packed(data + b"x")


def _packed_and_back(value: object) -> Any:
    return loads_packed(b"".join(dumps_packed(value)))
