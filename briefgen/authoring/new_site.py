"""``briefgen init [DIR]``: a new briefing site that builds at once.

The files it writes are in ``starter/`` beside this module, with ``$name`` placeholders.
"""

from __future__ import annotations

from datetime import datetime
from importlib.resources import files
from pathlib import Path
from string import Template

from briefgen.authoring.new_article import AuthoringError, front_matter
from briefgen.config import Config


def _starter(name: str, **values: str) -> str:
    text = files("briefgen.authoring").joinpath("starter", name).read_text(encoding="utf-8")
    return Template(text).substitute(values)


def new_site(folder: Path, now: datetime, *, force: bool = False) -> list[Path]:
    """Write a new site into ``folder``; the files written. A folder with files in it (other
    than a git repository's) is refused unless ``force``, and even then no file is
    overwritten."""
    folder = folder.absolute()
    if folder.exists() and not folder.is_dir():
        raise AuthoringError(f"{folder} is a file", "name a folder for the new site")
    present = [p for p in folder.iterdir() if p.name != ".git"] if folder.is_dir() else []
    if present and not force:
        raise AuthoringError(
            f"{folder} is not empty ({len(present)} entries)",
            "choose a new or empty folder, or add --force to add the missing files only",
        )
    local = now.astimezone(Config(root=folder).tz)
    title = folder.name.replace("-", " ").replace("_", " ").strip().title() or "Briefing"
    article = front_matter(
        {
            "title": "Council approves protected cycle lanes across the city centre",
            "date": local.replace(second=0, microsecond=0).isoformat(timespec="minutes"),
            "source": "Example Desk",
            "author": "briefgen",
            "topics": ["city"],
        }
    )
    texts = {
        "briefgen.yaml": _starter(
            "briefgen.yaml", title=_yaml_text(f"{title} Briefing"), timezone="UTC"
        ),
        f"content/{local:%Y}/{local:%m}/council-approves-cycle-lanes.md": article
        + "\n"
        + _starter("article.md", weekday=f"{local:%A}"),
        "layouts/README.md": _starter("layouts-README.md"),
        ".gitignore": _starter("gitignore"),
    }
    written = []
    for name, text in texts.items():
        path = folder / name
        if path.exists():
            continue  # (with --force) what is there stays
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    (folder / "static").mkdir(exist_ok=True)
    return written


def _yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
