"""What a publish did (or, with ``--dry-run``, would do)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from briefgen.publish.plan import Plan


@dataclass(frozen=True)
class PublishReport:
    target: str
    uploads: tuple[str, ...]
    unchanged: int
    deletions: tuple[str, ...]
    foreign: int  # files on the target left as they are
    bytes_up: int
    detail: str = ""  # e.g. the commit made

    @classmethod
    def of(
        cls, plan: Plan, local: Mapping[str, Path], target: str, detail: str = ""
    ) -> PublishReport:
        return cls(
            target,
            plan.uploads,
            len(plan.unchanged),
            plan.deletions,
            len(plan.foreign),
            sum(local[path].stat().st_size for path in plan.uploads),
            detail,
        )
