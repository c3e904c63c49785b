"""Diagnostics and the few exceptions briefgen raises.

Every problem a user can fix is a :class:`Diagnostic`: where (path, line), how bad (level),
what is wrong (message) and what to do (hint). Stages collect diagnostics instead of stopping
at the first one, so one run names every broken file.

Exception tree (raised only where a stage cannot go on at all)::

    BriefgenError            carries one Diagnostic
     ├── ConfigError         briefgen.yaml cannot be used
     ├── ContentError        one article cannot be read (caught per article by build)
     ├── TemplateError       a layout fails to load or render
     └── OutputError         the output folder cannot be written
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Level(str, Enum):
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Diagnostic:
    path: str
    line: int | None
    level: Level
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        text = f"{where}: {self.level.value}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "level": self.level.value,
            "message": self.message,
            "hint": self.hint,
        }


def error(path: str, line: int | None, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(path, line, Level.ERROR, message, hint)


def warning(path: str, line: int | None, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(path, line, Level.WARNING, message, hint)


def has_errors(diagnostics: Iterable[Diagnostic], strict: bool = False) -> bool:
    """Whether these diagnostics make a run fail; with ``strict`` warnings count too."""
    return any(d.level is Level.ERROR or strict for d in diagnostics)


class BriefgenError(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


class ConfigError(BriefgenError):
    pass


class ContentError(BriefgenError):
    pass


class TemplateError(BriefgenError):
    pass


class OutputError(BriefgenError):
    pass


class Refused(Exception):
    """A command stopped before changing anything (a publish, an import, the search index):
    ``message`` says why, ``hint`` how to go on."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})"
