"""briefgen.yaml -> Config, a frozen dataclass; every problem carries file and line.

Validation collects diagnostics instead of stopping at the first: a wrong type is an error
(the build does not run), an unknown key a warning (an error with ``--strict``).
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefgen.errors import ConfigError, Diagnostic, error, warning

THEME_DIR = Path(__file__).parent / "theme"  # the built-in theme: templates and static files

CONFIG_NAME = "briefgen.yaml"


@dataclass(frozen=True)
class TopicConfig:
    id: str
    label: str
    description: str = ""
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class PublishConfig:
    """A named place ``briefgen publish`` puts the site (briefgen.yaml ``publish:``)."""

    name: str
    to: str  # git:REMOTE[#BRANCH], dir:PATH, rsync:[USER@]HOST:PATH or s3://BUCKET[/PREFIX]
    cname: str = ""  # a custom domain, written as CNAME on a git branch
    max_deletes: int = 256  # a publish deleting more stops and asks for --force
    endpoint_url: str = ""  # S3-compatible stores (MinIO, R2, ...)
    region: str = ""
    profile: str = ""  # a profile of the AWS configuration (never credentials themselves)
    compress: str = ""  # S3: "gzip" or "br" to store text files compressed


@dataclass(frozen=True)
class EditionConfig:
    period: str = "daily"  # "daily" or "weekly"
    week_start: str = "monday"  # "monday" or "sunday"


@dataclass(frozen=True)
class Config:
    root: Path
    path: Path | None = None  # the briefgen.yaml read, None for the defaults
    title: str = "Briefing"
    description: str = ""
    base_url: str = ""
    language: str = "en"
    timezone: str = "UTC"
    key_points: int = 4
    page_size: int = 20
    about: str = ""
    edition: EditionConfig = field(default_factory=EditionConfig)
    topics: tuple[TopicConfig, ...] = ()
    topic_threshold: float = 0.1  # likeness to a configured topic's articles to join it
    story_window_days: int = 3  # how far apart two reports of one story may be
    markdown_html: bool = False
    links: str = "directories"  # or "files": every link ends in index.html
    article_text: str = "full"  # or "none": article pages without the article's own text
    robots: str = "index"  # or "noindex": ask search engines to keep the site out
    publish: tuple[PublishConfig, ...] = ()  # the first is the default target

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def layouts_dir(self) -> Path:
        return self.root / "layouts"

    @property
    def static_dir(self) -> Path:
        return self.root / "static"

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def topic_id(self, name: str) -> str:
        """The topic id a front matter name means, through ids, labels and aliases."""
        wanted = _fold(name)
        known = self._topic_names.get(wanted)
        if known is not None:
            return known
        return "-".join(re.findall(r"[^\W_]+", wanted)) or "untitled"

    @functools.cached_property
    def _topic_names(self) -> dict[str, str]:
        """Each configured topic's id, label and aliases, folded, to its id (the first topic
        that names it)."""
        names: dict[str, str] = {}
        for topic in self.topics:
            for name in (topic.id, topic.label, *topic.aliases):
                names.setdefault(_fold(name), topic.id)
        return names


def _fold(name: str) -> str:
    return " ".join(name.lower().replace("_", " ").replace("-", " ").split())


_TOPIC_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def find_config(start: Path) -> Path | None:
    """The nearest briefgen.yaml in ``start`` (a file's folder) or a folder above it."""
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.resolve().parents):
        if (candidate / CONFIG_NAME).is_file():
            return candidate / CONFIG_NAME
    return None


def load_config(root: Path, config_file: Path | None = None) -> tuple[Config, list[Diagnostic]]:
    """Read the site's config; defaults when there is none. Raises ConfigError when unusable."""
    path = config_file or root / CONFIG_NAME
    if not path.is_file():
        if config_file is not None:
            raise ConfigError(
                error(str(path), None, "config file not found", "check the --config path")
            )
        return Config(root=root), []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            error(str(path), None, f"cannot read config: {exc}", "save it as UTF-8 text")
        ) from exc
    return parse_config(text, path, root)


def parse_config(text: str, path: Path, root: Path) -> tuple[Config, list[Diagnostic]]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ConfigError(
            error(
                str(path),
                mark.line + 1 if mark else None,
                f"invalid YAML: {exc.problem or exc}",
                "fix the YAML syntax",
            )
        ) from exc
    reader = _Reader(str(path))
    if node is None:
        return Config(root=root, path=path), []
    values = reader.mapping(node, "", _CONFIG_SCHEMA)
    if any(d.level.value == "error" for d in reader.diagnostics):
        return Config(root=root, path=path), reader.diagnostics
    config = _make_config(values, root, path)
    return config, reader.diagnostics


# --- schema -------------------------------------------------------------------------------

Schema = Mapping[str, "Callable[[_Reader, yaml.Node, str], Any] | Schema"]


class _Reader:
    """Turns YAML nodes into checked Python values, noting each problem with its line."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []

    def fail(self, node: yaml.Node, key: str, message: str, hint: str) -> None:
        self.diagnostics.append(
            error(self.path, node.start_mark.line + 1, f"{key}: {message}", hint)
        )

    def mapping(self, node: yaml.Node, prefix: str, schema: Schema) -> dict[str, Any]:
        if not isinstance(node, yaml.MappingNode):
            self.fail(
                node,
                prefix or "config",
                "must be a mapping of keys to values",
                "write key: value lines",
            )
            return {}
        values: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            dotted = f"{prefix}.{key}" if prefix else key
            spec = schema.get(key)
            if spec is None:
                known = ", ".join(sorted(schema))
                self.diagnostics.append(
                    warning(
                        self.path,
                        key_node.start_mark.line + 1,
                        f"unknown key '{dotted}'",
                        f"known keys here: {known}",
                    )
                )
            elif isinstance(spec, Mapping):
                values[key] = self.mapping(value_node, dotted, spec)
            else:
                values[key] = spec(self, value_node, dotted)
        return values


_KIND_NAMES = {str: "text", int: "a whole number", bool: "true or false"}


def _scalar(kind: type, hint: str) -> Callable[[_Reader, yaml.Node, str], Any]:
    def read(reader: _Reader, node: yaml.Node, key: str) -> Any:
        value = yaml.safe_load(yaml.serialize(node)) if isinstance(node, yaml.ScalarNode) else None
        if kind is str and isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if value is None and kind is str:
            value = ""
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if not ok:
            reader.fail(node, key, f"must be {_KIND_NAMES.get(kind, kind.__name__)}", hint)
            return None
        return value

    return read


def _choice(*choices: str) -> Callable[[_Reader, yaml.Node, str], Any]:
    def read(reader: _Reader, node: yaml.Node, key: str) -> Any:
        value = node.value if isinstance(node, yaml.ScalarNode) else None
        if value not in choices:
            reader.fail(
                node,
                key,
                f"must be one of {', '.join(choices)}",
                f"write {key.rsplit('.', 1)[-1]}: {choices[0]}",
            )
            return None
        return value

    return read


def _int_range(low: int, high: int) -> Callable[[_Reader, yaml.Node, str], Any]:
    base = _scalar(int, f"a whole number from {low} to {high}")

    def read(reader: _Reader, node: yaml.Node, key: str) -> Any:
        value = base(reader, node, key)
        if value is not None and not low <= value <= high:
            reader.fail(node, key, f"must be from {low} to {high}", f"e.g. {key}: {low}")
            return None
        return value

    return read


def _number_range(low: float, high: float) -> Callable[[_Reader, yaml.Node, str], Any]:
    def read(reader: _Reader, node: yaml.Node, key: str) -> Any:
        value = yaml.safe_load(yaml.serialize(node)) if isinstance(node, yaml.ScalarNode) else None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not (low <= value <= high)
        ):
            reader.fail(node, key, f"must be a number from {low} to {high}", f"e.g. {key}: 0.1")
            return None
        return float(value)

    return read


def _timezone(reader: _Reader, node: yaml.Node, key: str) -> Any:
    value = _scalar(str, "an IANA time zone like Europe/London")(reader, node, key)
    if value:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            reader.fail(
                node,
                key,
                f"unknown time zone '{value}'",
                "use an IANA name like UTC or Europe/Berlin",
            )
            return None
    return value


def _string_list(reader: _Reader, node: yaml.Node, key: str) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return (str(node.value),)
    if not isinstance(node, yaml.SequenceNode) or not all(
        isinstance(item, yaml.ScalarNode) for item in node.value
    ):
        reader.fail(node, key, "must be a list of words", "write [one, two]")
        return ()
    return tuple(str(item.value) for item in node.value)


_TOPIC_SCHEMA: Schema = {
    "label": _scalar(str, "a short name shown to readers"),
    "description": _scalar(str, "one sentence about the topic"),
    "aliases": _string_list,
    "keywords": _string_list,
}


def _topics(reader: _Reader, node: yaml.Node, key: str) -> Any:
    if not isinstance(node, yaml.MappingNode):
        reader.fail(
            node,
            key,
            "must map topic ids to their settings",
            "write topics: {economy: {label: Economy}}",
        )
        return ()
    topics = []
    for key_node, value_node in node.value:
        topic_id = str(key_node.value)
        if not _TOPIC_ID.match(topic_id):
            reader.fail(
                key_node,
                f"{key}.{topic_id}",
                "a topic id is part of its URL",
                "use lower-case letters, digits and '-', e.g. climate-policy",
            )
            continue
        settings = (
            {}
            if isinstance(value_node, yaml.ScalarNode) and value_node.value == ""
            else reader.mapping(value_node, f"{key}.{topic_id}", _TOPIC_SCHEMA)
        )
        topics.append(
            TopicConfig(
                id=topic_id,
                label=settings.get("label") or topic_id.replace("-", " ").title(),
                description=settings.get("description") or "",
                aliases=settings.get("aliases") or (),
                keywords=settings.get("keywords") or (),
            )
        )
    return tuple(topics)


_PUBLISH_SCHEMA: Schema = {
    "to": _scalar(str, "e.g. git:git@github.com:you/briefing.git#gh-pages or dir:/srv/www"),
    "cname": _scalar(str, "a domain name, e.g. briefing.example.org"),
    "max_deletes": _int_range(0, 1_000_000),
    "endpoint_url": _scalar(str, "e.g. https://minio.example.org"),
    "region": _scalar(str, "e.g. eu-west-1"),
    "profile": _scalar(str, "a profile name from ~/.aws/config"),
    "compress": _choice("gzip", "br"),
}


def _publish(reader: _Reader, node: yaml.Node, key: str) -> Any:
    if not isinstance(node, yaml.MappingNode):
        reader.fail(
            node,
            key,
            "must map target names to where they publish",
            "write publish: {pages: 'git:git@github.com:you/briefing.git'}",
        )
        return ()
    targets = []
    for key_node, value_node in node.value:
        name = str(key_node.value)
        settings: dict[str, Any]
        if isinstance(value_node, yaml.ScalarNode):
            settings = {"to": str(value_node.value)}
        else:
            settings = reader.mapping(value_node, f"{key}.{name}", _PUBLISH_SCHEMA)
        if not settings.get("to"):
            reader.fail(value_node, f"{key}.{name}", "says nowhere to publish", "add to: TARGET")
            continue
        max_deletes = settings.get("max_deletes")
        targets.append(
            PublishConfig(
                name,
                settings["to"],
                settings.get("cname") or "",
                256 if max_deletes is None else max_deletes,
                settings.get("endpoint_url") or "",
                settings.get("region") or "",
                settings.get("profile") or "",
                settings.get("compress") or "",
            )
        )
    return tuple(targets)


_CONFIG_SCHEMA: Schema = {
    "title": _scalar(str, "the site's name"),
    "description": _scalar(str, "one sentence about the briefing"),
    "base_url": _scalar(str, "e.g. https://example.org/briefing/"),
    "language": _scalar(str, "a language code like en"),
    "timezone": _timezone,
    "key_points": _int_range(1, 10),
    "page_size": _int_range(1, 1000),
    "about": _scalar(str, "text for the about page"),
    "edition": {
        "period": _choice("daily", "weekly"),
        "week_start": _choice("monday", "sunday"),
    },
    "topics": _topics,
    "markdown": {"html": _scalar(bool, "true or false")},
    "links": _choice("directories", "files"),
    "article_text": _choice("full", "none"),
    "robots": _choice("index", "noindex"),
    "publish": _publish,
    "topic_threshold": _number_range(0.0, 1.0),
    "story_window_days": _int_range(0, 60),
}


def _make_config(values: dict[str, Any], root: Path, path: Path) -> Config:
    defaults = Config(root=root)
    edition = values.get("edition", {})
    config = Config(
        root=root,
        path=path,
        title=values.get("title") or defaults.title,
        description=values.get("description") or "",
        base_url=values.get("base_url") or "",
        language=values.get("language") or defaults.language,
        timezone=values.get("timezone") or defaults.timezone,
        key_points=values.get("key_points") or defaults.key_points,
        page_size=values.get("page_size") or defaults.page_size,
        about=values.get("about") or "",
        edition=EditionConfig(
            period=edition.get("period") or "daily",
            week_start=edition.get("week_start") or "monday",
        ),
        topics=values.get("topics") or (),
        markdown_html=bool(values.get("markdown", {}).get("html", False)),
        links=values.get("links") or defaults.links,
        article_text=values.get("article_text") or defaults.article_text,
        robots=values.get("robots") or defaults.robots,
        publish=values.get("publish") or (),
        topic_threshold=(
            values["topic_threshold"]
            if values.get("topic_threshold") is not None
            else defaults.topic_threshold
        ),
        story_window_days=(
            values["story_window_days"]
            if values.get("story_window_days") is not None
            else defaults.story_window_days
        ),
    )
    return config
