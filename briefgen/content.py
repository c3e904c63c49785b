"""Article files -> Article: front matter, Markdown, plain text, links.

``parse_article`` works on a string and is what tests call; ``read_article`` only reads bytes
and calls it. Every problem is a ContentError carrying file, line and what to do.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from briefgen.config import Config
from briefgen.errors import ContentError, Diagnostic, error, warning
from briefgen.lazy_fields import LazyFields
from briefgen.markdown_text import LocalLink, TextBlock, render_markdown

_FRONT_MATTER_FENCE = re.compile(r"^---[ \t]*$")
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)*")
# What ends or escapes a URL path (# ? %), what Windows refuses in a file name, and control
# characters and white space other than a plain space.
_UNSAFE_IN_PATH = re.compile(r'[\x00-\x1f\x7f-\x9f\\#?%<>:"|*]|[^\S ]')
_WINDOWS_RESERVED = frozenset(
    [
        "con",
        "prn",
        "aux",
        "nul",
        "conin$",
        "conout$",
        *(f"com{i}" for i in "123456789¹²³"),
        *(f"lpt{i}" for i in "123456789¹²³"),
    ]
)
KNOWN_FIELDS = frozenset(
    "title date source url author topics tags lang draft slug aliases updated pin hide "
    "key_points quotes story".split()
)
MAX_ARTICLE_BYTES = 20 * 1024 * 1024
# What PyYAML's constructors raise for a value that parses but cannot be made.
_IMPOSSIBLE_VALUE = (ValueError, TypeError, OverflowError, LookupError, AttributeError)


@dataclass(frozen=True)
class QuoteOverride:
    text: str
    speaker: str | None


@dataclass(frozen=True)
class Article(LazyFields):
    # Read back from the cache only when a page of it is rendered (or its words are looked
    # at again: keyword topics of an article without front matter topics).
    _lazy = (("blocks", "body", "html", "plain"),)

    rel_path: str  # path under content/, posix: the article's identity
    slug: str
    title: str
    date: datetime  # always aware
    body: str  # the Markdown body
    html: str
    plain: str
    blocks: tuple[TextBlock, ...]
    links: tuple[LocalLink, ...]
    content_hash: str
    body_line: int  # file line where the body starts
    source: str = ""
    url: str = ""
    author: str = ""
    topics: tuple[str, ...] = ()  # as written; the collection maps them through aliases
    tags: tuple[str, ...] = ()
    lang: str = ""
    draft: bool = False
    updated: datetime | None = None
    pin: bool = False
    hide: bool = False
    aliases: tuple[str, ...] = ()
    story: str | bool | None = None
    key_points: tuple[str, ...] | None = None  # an editor's override of the analysis
    quotes: tuple[QuoteOverride, ...] | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[Diagnostic, ...] = ()  # problems that do not stop the article

    def line_of(self, offset: int) -> int:
        """The source line of a plain-text offset."""
        for block in self.blocks:
            if block.start <= offset <= block.end:
                return block.line
        return self.body_line


def is_article_file(rel_path: str) -> bool:
    """The one rule for which files under content/ are articles, shared by every command."""
    if not rel_path.endswith(".md"):
        return False
    return rel_path.rpartition("/")[2].lower() != "readme.md" and not is_set_apart(rel_path)


def is_set_apart(rel_path: str) -> bool:
    """Whether a path under content/ is, or is in, a folder or file whose name starts with
    "_" or "." (edition notes, hidden files): where no article is looked for."""
    return any(part.startswith(("_", ".")) for part in rel_path.split("/"))


def discover_articles(content_dir: Path, linked: list[str] | None = None) -> list[str]:
    """Article paths under ``content_dir`` (posix, relative), sorted; symlinked folders are
    not followed, so nothing outside the site is read by accident (their paths are added to
    ``linked`` when given)."""
    found: list[str] = []
    if not content_dir.is_dir():
        return found
    for folder, dirs, files in os.walk(content_dir):
        dirs[:] = sorted(d for d in dirs if not is_set_apart(d))
        rel_folder = Path(folder).relative_to(content_dir).as_posix()
        if linked is not None:
            linked += [
                d if rel_folder == "." else f"{rel_folder}/{d}"
                for d in dirs
                if (Path(folder) / d).is_symlink()
            ]
        for name in files:
            rel = name if rel_folder == "." else f"{rel_folder}/{name}"
            if is_article_file(rel):
                found.append(rel)
    return sorted(found)


def read_article(content_dir: Path, rel_path: str, config: Config, label: str) -> Article:
    """Read one article file; ``label`` is how messages name it (e.g. content/a.md)."""
    return parse_article(read_article_bytes(content_dir, rel_path, label), rel_path, config, label)


def read_article_bytes(content_dir: Path, rel_path: str, label: str) -> bytes:
    path = content_dir / rel_path
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(content_dir.resolve().parent):
            raise ContentError(
                error(
                    label,
                    None,
                    f"is a link to a file outside the site ({target}): not read",
                    "copy the article into content/ instead of linking to it",
                )
            )
    try:
        if path.stat().st_size > MAX_ARTICLE_BYTES:
            raise ContentError(
                error(
                    label, None, "file is larger than 20 MB", "split it or move it out of content/"
                )
            )
        return path.read_bytes()
    except OSError as exc:
        raise ContentError(
            error(label, None, f"cannot read file: {exc.strerror}", "check the file's permissions")
        ) from exc


# Bump when parsing changes what an Article holds, so cached articles are parsed again.
PARSER_VERSION = "2"


def parse_settings(config: Config) -> str:
    """What a parse depends on besides the file's bytes (``Article.content_hash``)."""
    return f"{PARSER_VERSION}:{config.timezone}:{int(config.markdown_html)}"


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_article(data: bytes, rel_path: str, config: Config, label: str = "") -> Article:
    label = label or rel_path
    text = _decode(data, label)
    fm_text, body, body_line = split_front_matter(text, label)
    meta, lines = _load_front_matter(fm_text, label)
    fields = _check_fields(meta, lines, label, config)
    if not body.strip():
        raise ContentError(
            error(
                label,
                min(body_line, text.count("\n") + 1),  # the closing --- if nothing follows it
                "the article has no body text",
                "write the article below the closing ---",
            )
        )
    rendered = render_markdown(
        body, article_path=rel_path, first_line=body_line, allow_html=config.markdown_html
    )
    warnings = tuple(
        warning(label, line, message, "link only to files under content/; it is left as written")
        for line, message in rendered.problems
    )
    return Article(
        rel_path=rel_path,
        body=body,
        html=rendered.html,
        plain=rendered.plain,
        blocks=rendered.blocks,
        links=rendered.links,
        warnings=warnings,
        content_hash=content_hash(data),
        body_line=body_line,
        slug=fields.pop("slug", None) or _slug_of_path(rel_path, label),
        **fields,
    )


def _slug_of_path(rel_path: str, label: str) -> str:
    """The default slug: the path under content/ without .md, when it is safe as a URL and as
    a folder everywhere (a#b.md, 100%.md and what?.md would make broken links)."""
    slug = rel_path.removesuffix(".md")
    if not is_safe_path(slug):
        raise ContentError(
            error(
                label,
                None,
                f"the file name makes an unsafe URL: "
                f"'articles/{slug.encode('unicode_escape').decode()}/'",
                "rename the file with letters, digits, '-' and '_', "
                "or give it a line 'slug: new-name' in the front matter",
            )
        )
    return slug


def is_safe_path(path: str) -> bool:
    """Whether ``path`` is a safe URL path and relative file path on Linux, macOS and Windows:
    no character that ends a URL path or that Windows refuses, no empty, '.' or '..' segment,
    no segment ending in '.' or ' ' (Windows drops them), no Windows device name."""
    return not _UNSAFE_IN_PATH.search(path) and all(
        part not in ("", ".", "..")
        and not part.endswith((".", " "))
        and not is_windows_device_name(part)
        for part in path.split("/")
    )


def is_windows_device_name(name: str) -> bool:
    """CON, nul.txt, Com1: names Windows keeps for devices, whatever the case or extension."""
    return name.split(".")[0].rstrip(" ").lower() in _WINDOWS_RESERVED


def _decode(data: bytes, label: str) -> str:
    if b"\x00" in data[:8192]:
        raise ContentError(
            error(
                label,
                None,
                "this is a binary file, not Markdown text",
                "remove it from content/ or rename it",
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        at = exc.start + (3 if data.startswith(codecs.BOM_UTF8) else 0)  # counted after a BOM
        before = data[:at].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        raise ContentError(
            error(
                label,
                before.count(b"\n") + 1,
                f"not valid UTF-8 (byte {at})",
                "save the file as UTF-8",
            )
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, label: str) -> tuple[str, str, int]:
    """(front matter, body, the body's first line); ContentError when there is none."""
    lines = text.split("\n")
    if not lines or not _FRONT_MATTER_FENCE.match(lines[0]):
        raise ContentError(
            error(
                label,
                1,
                "no front matter",
                "start the file with --- then title: and date: then ---",
            )
        )
    for index in range(1, len(lines)):
        if _FRONT_MATTER_END.match(lines[index]):
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return front, body, index + 2
    raise ContentError(
        error(label, 1, "front matter is not closed", "end the front matter with a line of ---")
    )


def _load_front_matter(text: str, label: str) -> tuple[dict[str, Any], dict[str, int]]:
    """Parse YAML, returning the values and each top-level key's file line."""
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except _IMPOSSIBLE_VALUE as exc:
        # A value that parses but cannot exist, such as the date 2024-13-45, or one an explicit
        # tag cannot make (!!bool maybe, !!timestamp soon: PyYAML's KeyError, AttributeError).
        line = _line_of_bad_value(text, loader_class)
        why = f": {exc}" if isinstance(exc, ValueError | OverflowError) else ""
        raise ContentError(
            error(
                label,
                line,
                f"front matter has an impossible value{why}",
                "check the dates, numbers and !!tags on this line",
            )
        ) from exc
    except yaml.reader.ReaderError as exc:
        # A character YAML allows nowhere, such as a control character; libyaml counts its
        # ``position`` in bytes, so the line is found from the character itself.
        code = int(exc.character)
        line = text.count("\n", 0, max(text.find(chr(code)), 0)) + 2
        raise ContentError(
            error(
                label,
                line,
                f"front matter has a character YAML does not allow (U+{code:04X})",
                f'delete it or, to keep it, write "\\u{code:04X}" inside double quotes',
            )
        ) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.context_mark or exc.problem_mark  # context: where the broken value began
        line = mark.line + 2 if mark else 1
        problem = exc.problem or str(exc)
        raise ContentError(
            error(
                label,
                line,
                f"front matter is not valid YAML: {problem}",
                "quote values that contain ': ' or start with a quote mark",
            )
        ) from exc
    finally:
        loader.dispose()
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise ContentError(
            error(
                label,
                2,
                "front matter must be key: value lines",
                "write title: ... and date: ... between the --- lines",
            )
        )
    lines = {str(key.value): key.start_mark.line + 2 for key, _ in node.value}
    return {str(k): v for k, v in data.items()}, lines


def _line_of_bad_value(text: str, loader_class: Any) -> int | None:
    node = yaml.compose(text, Loader=loader_class)
    if not isinstance(node, yaml.MappingNode):
        return None
    for key, value in node.value:
        try:
            yaml.safe_load(yaml.serialize(value))
        except _IMPOSSIBLE_VALUE:
            return int(key.start_mark.line) + 2
    return None


def _check_fields(
    meta: dict[str, Any], lines: dict[str, int], label: str, config: Config
) -> dict[str, Any]:
    def fail(key: str, message: str, hint: str) -> ContentError:
        return ContentError(error(label, lines.get(key, 1), message, hint))

    def text(key: str, required: bool = False) -> str:
        value = meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):  # title: " "
            if required:
                raise fail(key, f"front matter has no {key}", f"add a line '{key}: ...'")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise fail(
                key,
                f"{key} must be text, not {type(value).__name__}",
                f"write {key}: followed by plain text",
            )
        return str(value).strip()

    def words(key: str) -> tuple[str, ...]:
        value = meta.get(key)
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, str | int) and not isinstance(item, bool) for item in items):
            raise fail(key, f"{key} must be a list of words", f"write {key}: [one, two]")
        return tuple(str(item).strip() for item in items if str(item).strip())

    def flag(key: str) -> bool:
        value = meta.get(key, False)
        if not isinstance(value, bool):
            raise fail(key, f"{key} must be true or false", f"write {key}: true")
        return value

    title = text("title", required=True)
    if "date" not in meta or meta["date"] in (None, ""):
        raise fail("date", "front matter has no date", "add a line 'date: 2024-10-28'")
    tz = config.tz
    fields: dict[str, Any] = {
        "title": title,
        "date": _parse_date(meta["date"], tz, lambda m, h: fail("date", m, h)),
        "source": text("source"),
        "url": text("url"),
        "author": ", ".join(words("author")),
        "topics": words("topics"),
        "tags": words("tags"),
        "lang": text("lang"),
        "draft": flag("draft"),
        "pin": flag("pin"),
        "hide": flag("hide"),
        "aliases": words("aliases"),
    }
    if fields["url"] and not re.match(r"^https?://", fields["url"], re.IGNORECASE):
        raise fail(
            "url",
            "url must start with http:// or https://",
            "give the original article's web address",
        )
    if meta.get("updated") not in (None, ""):
        fields["updated"] = _parse_date(meta["updated"], tz, lambda m, h: fail("updated", m, h))
    fields["aliases"] = tuple(
        _check_slug(alias, "aliases", lambda m, h: fail("aliases", m, h))
        for alias in fields["aliases"]
    )
    if "slug" in meta:
        fields["slug"] = _check_slug(text("slug"), "slug", lambda m, h: fail("slug", m, h))
    story = meta.get("story")
    if story is not None:
        if not isinstance(story, str | bool):
            raise fail("story", "story must be a story id or false", "write story: false")
        if isinstance(story, str) and story:  # the URL stories/<id>/ when articles join it
            story = _check_slug(story, "story", lambda m, h: fail("story", m, h), ascii_only=False)
        fields["story"] = story
    if "key_points" in meta:
        fields["key_points"] = words("key_points")
    if "quotes" in meta:
        fields["quotes"] = _quote_overrides(meta["quotes"], lambda m, h: fail("quotes", m, h))
    fields["extra"] = {k: v for k, v in meta.items() if k not in KNOWN_FIELDS}
    return fields


def _parse_date(value: Any, tz: ZoneInfo, fail: Any) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise fail(
                f"cannot read the date '{value}'",
                "write it as 2024-10-28 or 2024-10-28T14:30:00+01:00",
            ) from None
    else:
        raise fail(f"cannot read the date {value!r}", "write it as 2024-10-28")
    parsed = parsed.replace(tzinfo=_shared_zone(parsed.tzinfo) if parsed.tzinfo else tz)
    try:  # the site places it in UTC, in its time zone and in a week's edition
        years = {parsed.astimezone(UTC).year, parsed.astimezone(tz).year}
    except OverflowError:
        years = {1}
    if min(years) < 2 or max(years) > 9998:
        raise fail(f"the date {parsed.isoformat()} is out of range", "write a year from 2 to 9998")
    return parsed


# Fixed offsets ("+01:00") by offset and name, one object each: the cache pickles a time
# zone shared by many articles once a file, and reading it back makes one, not one an
# article (at 10,000 articles, 15 of the 75 ms the articles' fields took to read back).
_ZONES: dict[tuple[timedelta | None, str | None], tzinfo] = {}


def _shared_zone(zone: tzinfo) -> tzinfo:
    if type(zone) is not timezone:
        return zone  # (a ZoneInfo is one object a key already)
    return _ZONES.setdefault((zone.utcoffset(None), zone.tzname(None)), zone)


def _check_slug(slug: str, key: str, fail: Any, *, ascii_only: bool = True) -> str:
    slug = slug.strip("/")
    if (ascii_only and not _SLUG.fullmatch(slug)) or not is_safe_path(slug):
        raise fail(
            f"{key}: '{slug.encode('unicode_escape').decode()}' is not a safe URL path",
            f"use letters, digits, '-', '_' and '/' only, e.g. {key}: rutte-nato",
        )
    return slug


def _quote_overrides(value: Any, fail: Any) -> tuple[QuoteOverride, ...]:
    if not isinstance(value, list):
        raise fail("quotes must be a list", "write quotes: [{text: ..., speaker: ...}]")
    quotes = []
    for item in value:
        if isinstance(item, str):
            quotes.append(QuoteOverride(item, None))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            speaker = item.get("speaker")
            quotes.append(QuoteOverride(item["text"], str(speaker) if speaker else None))
        else:
            raise fail("each quote needs a text", "write - {text: ..., speaker: ...}")
    return tuple(quotes)
