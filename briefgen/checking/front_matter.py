"""Where things stand in an article's front matter, and fields that look like misspellings.

The values come from ``content.parse_article``, so a check and the build never disagree on
what the front matter says; this module only finds lines: of each top-level key and of each
entry of a list, so a finding can point at the one key point or topic that is wrong. It also
reads files the reader rejected, which is when a misspelled ``titel`` matters most.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Set
from dataclasses import dataclass, field

import yaml

from briefgen.content import KNOWN_FIELDS, split_front_matter
from briefgen.errors import BriefgenError, Diagnostic, warning

# Misspellings too far from the field for difflib, or near a field it would not pick.
_LIKELY_MEANT = {
    "titel": "title",
    "data": "date",
    "topic": "topics",
    "category": "topics",
    "categories": "topics",
    "tag": "tags",
    "sources": "source",
    "authors": "author",
    "keypoints": "key_points",
    "key_point": "key_points",
    "quote": "quotes",
    "pinned": "pin",
    "hidden": "hide",
}
# 0.8 catches one wrong, missing or extra letter in a word of five or more (``tittle``,
# ``auther``, ``drafts``) and leaves a custom field that only shares letters alone
# (``subtitle``, ``summary``).
_CLOSENESS = 0.8
_FRONT_MATTER_FIRST_LINE = 2  # line 1 is the opening ---


@dataclass(frozen=True)
class FrontMatterLines:
    """File lines (1-based) of the top-level keys and of the entries of list values."""

    keys: Mapping[str, int] = field(default_factory=dict)
    entries: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    def of_key(self, key: str) -> int | None:
        return self.keys.get(key)

    def of_entry(self, key: str, index: int, count: int) -> int | None:
        """The line of entry ``index`` of the ``count`` values read from the list under
        ``key``; the key's own line when the file has not that many entries (a single value
        written without a list, or empty entries the reader dropped)."""
        entries = self.entries.get(key, ())
        return entries[index] if len(entries) == count else self.of_key(key)


def front_matter_lines(data: bytes, label: str) -> FrontMatterLines:
    """The lines of what the front matter holds; empty when it does not read as a mapping
    (the reader has said why)."""
    text = data.decode("utf-8-sig", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    try:
        front, _, _ = split_front_matter(text, label)
        node = yaml.compose(front, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (BriefgenError, yaml.YAMLError):
        return FrontMatterLines()
    if not isinstance(node, yaml.MappingNode):
        return FrontMatterLines()
    keys: dict[str, int] = {}
    entries: dict[str, tuple[int, ...]] = {}
    for key, value in node.value:
        name = str(key.value)
        keys.setdefault(name, key.start_mark.line + _FRONT_MATTER_FIRST_LINE)
        if isinstance(value, yaml.SequenceNode):
            entries[name] = tuple(
                item.start_mark.line + _FRONT_MATTER_FIRST_LINE for item in value.value
            )
    return FrontMatterLines(keys, entries)


def meant_field(key: str, present: Set[str]) -> str | None:
    """The known field an unknown ``key`` was probably meant to be, or None for a field of
    the site's own. A guess by likeness is made only for a known field not ``present``: next
    to ``title``, ``titles`` is a field of its own, not a typo."""
    if key in KNOWN_FIELDS:
        return None
    folded = key.lower().replace("-", "_")
    if folded in KNOWN_FIELDS:
        return folded
    if folded in _LIKELY_MEANT:
        return _LIKELY_MEANT[folded]
    if any(part in KNOWN_FIELDS for part in folded.split("_")):
        return None  # a field about a known one: updated_by, source_url, story_id
    close = difflib.get_close_matches(folded, sorted(KNOWN_FIELDS - present), 1, _CLOSENESS)
    return close[0] if close else None


def may_be_misspelled(keys: Set[str]) -> bool:
    """Whether any of ``keys`` (the unknown fields of an article) could be a misspelling: a
    cheap test, before the file is read again for its lines."""
    return any(meant_field(key, frozenset()) for key in keys)


def misspelled_fields(label: str, lines: FrontMatterLines) -> list[Diagnostic]:
    """A warning for each unknown field that looks like a known one misspelled; other
    unknown fields are the site's own (they reach the templates) and are fine."""
    present = frozenset(lines.keys)
    findings = []
    for key, line in lines.keys.items():
        meant = meant_field(key, present)
        if meant is not None:
            findings.append(
                warning(
                    label,
                    line,
                    f"unknown field '{key}': did you mean '{meant}'?",
                    f"rename it to '{meant}'; as written it only reaches the templates",
                )
            )
    return findings
