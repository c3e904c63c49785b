"""Editors' notes on editions: ``content/_editions/<edition id>.md`` (``2024-10-28.md`` for a
daily edition, ``2024-W44.md`` for a weekly one). The body is Markdown shown at the top of the
edition; front matter is optional. The folder starts with ``_``, so its files are never
articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefgen.config import Config
from briefgen.errors import Diagnostic, warning
from briefgen.markdown_text import render_markdown

NOTES_FOLDER = "_editions"
_EDITION_ID = re.compile(r"^\d{4}-(?:\d{2}-\d{2}|W\d{2})$")


@dataclass(frozen=True)
class EditionNote:
    edition: str  # the edition id the file is named for
    html: str
    path: str  # as shown in messages: content/_editions/...


def read_edition_notes(config: Config) -> tuple[list[EditionNote], list[Diagnostic]]:
    folder = config.content_dir / NOTES_FOLDER
    notes: list[EditionNote] = []
    problems: list[Diagnostic] = []
    if not folder.is_dir():
        return notes, problems
    for path in sorted(folder.glob("*.md")):
        label = f"content/{NOTES_FOLDER}/{path.name}"
        edition = path.stem
        if not _EDITION_ID.match(edition):
            problems.append(
                warning(
                    label,
                    None,
                    "not named for an edition, so it is not shown",
                    "name it like 2024-10-28.md (daily) or 2024-W44.md (weekly)",
                )
            )
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(
                warning(label, None, f"cannot read the note: {exc}", "save it as UTF-8 text")
            )
            continue
        body, first_line = _without_front_matter(text)
        rendered = render_markdown(
            body,
            article_path=f"{NOTES_FOLDER}/{path.name}",
            first_line=first_line,
            allow_html=config.markdown_html,
        )
        notes.append(EditionNote(edition, rendered.html, label))
    return notes, problems


def _without_front_matter(text: str) -> tuple[str, int]:
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                return "\n".join(lines[index + 1 :]), index + 2
    return "\n".join(lines), 1


def unused_notes(notes: list[EditionNote], edition_ids: set[str]) -> list[Diagnostic]:
    """Notes for editions that do not exist (a typo in the date, or no articles that day)."""
    return [
        warning(
            note.path,
            None,
            f"there is no edition {note.edition} in this build",
            "check the date in the file name",
        )
        for note in notes
        if note.edition not in edition_ids
    ]
