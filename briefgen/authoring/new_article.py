"""``briefgen new "Title"``: a new article file with its front matter filled in."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml
from slugify import slugify

from briefgen.config import Config
from briefgen.content import is_windows_device_name
from briefgen.errors import Refused

_SLUG_LENGTH = 60


class AuthoringError(Refused):
    """Nothing was written: ``message`` says why, ``hint`` what to do."""


def title_slug(title: str) -> str:
    """A file name for a title: lower-case words of ASCII letters and digits joined by '-'
    (other scripts transliterated), cut at a word boundary. Never a Windows device name: the
    title "Con" gives con-article.md, as the reader refuses con.md's slug."""
    apostrophes = [["'", ""], ["\u2019", ""]]  # "Mayor's" is one word: mayors
    slug = (
        slugify(title, max_length=_SLUG_LENGTH, word_boundary=True, replacements=apostrophes)
        or "article"
    )
    return f"{slug}-article" if is_windows_device_name(slug) else slug


def article_date(config: Config, given: str | None, now: datetime) -> datetime:
    """``given`` (2024-10-28, 2024-10-28 09:15 or ISO with an offset; local times are in
    the config's time zone), else now in that time zone, to the minute."""
    tz = config.tz
    if not given:
        return now.astimezone(tz).replace(second=0, microsecond=0)
    try:
        parsed = datetime.fromisoformat(given.strip())
    except ValueError as exc:
        raise AuthoringError(
            f"cannot read the date '{given}'", "write it as 2024-10-28 or 2024-10-28 09:15"
        ) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


class _FrontMatterDumper(yaml.SafeDumper):
    """PyYAML writes U+0085, U+2028 and U+2029 as line breaks, which read back as a space,
    unless the text is double-quoted, where they are escaped: a title keeps them."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if any(char in text for char in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_FrontMatterDumper.add_representer(str, _represent_text)


def front_matter(fields: dict[str, object]) -> str:
    """YAML front matter, in the order given, every value quoted as YAML needs."""
    text = yaml.dump(
        fields, Dumper=_FrontMatterDumper, sort_keys=False, allow_unicode=True, width=1000
    )
    return f"---\n{text}---\n"


def free_path(folder: Path, slug: str) -> Path:
    """``folder/slug.md``, or ``slug-2.md``, ``slug-3.md``... if taken: never an existing file."""
    path = folder / f"{slug}.md"
    number = 2
    while path.exists():
        path = folder / f"{slug}-{number}.md"
        number += 1
    return path


def new_article(
    config: Config,
    title: str,
    now: datetime,
    *,
    topics: tuple[str, ...] = (),
    source: str = "",
    url: str = "",
    date: str | None = None,
) -> Path:
    """Write ``content/YYYY/MM/<slug>.md`` and return its path."""
    if not title.strip():
        raise AuthoringError("the title is empty", 'give one: briefgen new "What happened"')
    if url and not url.startswith(("http://", "https://")):
        raise AuthoringError(f"'{url}' is not a web address", "give an http(s):// address")
    when = article_date(config, date, now)
    fields: dict[str, object] = {
        "title": title.strip(),
        "date": when.isoformat(timespec="minutes"),
    }
    if source:
        fields["source"] = source
    if url:
        fields["url"] = url
    if topics:
        fields["topics"] = list(topics)
    folder = config.content_dir / f"{when:%Y}" / f"{when:%m}"
    folder.mkdir(parents=True, exist_ok=True)
    path = free_path(folder, title_slug(title))
    body = "Write the article here: a paragraph per line block, quotes in quotation marks.\n"
    with path.open("x", encoding="utf-8") as handle:  # never over a file made meanwhile
        handle.write(front_matter(fields) + "\n" + body)
    return path
