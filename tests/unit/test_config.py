from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.config import find_config, load_config, parse_config
from briefgen.errors import ConfigError, Level

ROOT = Path("/site")


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_config(text, Path("briefgen.yaml"), ROOT)


def test_a_wrong_type_names_the_line_and_the_key() -> None:
    _, problems = parse("title: Daily\nkey_points: four\n")
    [problem] = problems
    assert problem.level is Level.ERROR
    assert (problem.path, problem.line) == ("briefgen.yaml", 2)
    assert "key_points" in problem.message


def test_a_nested_wrong_value_names_its_dotted_key() -> None:
    _, problems = parse("edition:\n  period: monthly\n")
    assert [(p.line, p.level) for p in problems] == [(2, Level.ERROR)]
    assert "edition.period" in problems[0].message


def test_an_unknown_key_is_a_warning_with_its_line() -> None:
    config, problems = parse("title: Daily\ncolour: red\n")
    assert config.title == "Daily"
    assert [(p.line, p.level) for p in problems] == [(2, Level.WARNING)]
    assert "colour" in problems[0].message


def test_an_unknown_time_zone_is_an_error() -> None:
    _, problems = parse("timezone: Mars/Olympus\n")
    assert problems[0].level is Level.ERROR and "Mars/Olympus" in problems[0].message


def test_broken_yaml_raises_with_its_line() -> None:
    with pytest.raises(ConfigError) as caught:
        parse("title: Daily\ntopics: [a\nbase_url: x\n")
    assert caught.value.diagnostic.line in (2, 3)


def test_topic_aliases_map_front_matter_names_to_ids() -> None:
    config, problems = parse(
        "topics:\n  security:\n    label: Security\n    aliases: [defence, war]\n  economy:\n"
    )
    assert problems == []
    assert config.topic_id("Defence") == "security"
    assert config.topic_id("security") == "security"
    assert config.topic_id("Economy") == "economy"
    assert config.topic_id("Space Race") == "space-race"


def test_nested_sections_have_their_defaults() -> None:
    config, _ = parse("title: Daily\n")
    assert (config.edition.period, config.edition.week_start) == ("daily", "monday")
    assert config.key_points == 4 and config.links == "directories"
    assert config.markdown_html is False


def test_no_config_file_gives_the_defaults(tmp_path: Path) -> None:
    config, problems = load_config(tmp_path)
    assert config.title == "Briefing" and problems == []


def test_the_nearest_config_above_a_file_is_found(tmp_path: Path) -> None:
    (tmp_path / "briefgen.yaml").write_text("title: Outer\n")
    (tmp_path / "content" / "a").mkdir(parents=True)
    article = tmp_path / "content" / "a" / "x.md"
    article.write_text("")
    assert find_config(article) == tmp_path / "briefgen.yaml"


def test_a_topic_id_that_cannot_be_a_url_is_an_error() -> None:
    _, problems = parse("topics:\n  Climate Policy!:\n    label: Climate\n")
    assert [(p.line, p.level) for p in problems] == [(2, Level.ERROR)]


def test_unconfigured_topic_names_become_safe_ids() -> None:
    config, _ = parse("title: T\n")
    assert config.topic_id("../../etc") == "etc"
    assert config.topic_id("Économie & Finance") == "économie-finance"
    assert config.topic_id("///") == "untitled"
