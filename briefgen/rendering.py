"""Rendering the site's pages over worker processes, straight into the output's staging
folder: each worker writes the pages it rendered (only those whose bytes changed), so page
bytes never travel back to this process nor wait in its memory."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from briefgen.collection import Story
from briefgen.errors import Diagnostic, TemplateError
from briefgen.output import Placement, SiteWriter, safe_relative
from briefgen.parallel import map_over_shared
from briefgen.render import Renderer
from briefgen.sitemodel import Page, SiteModel
from briefgen.story_points import StoryPoint

_Merged = tuple[tuple[str, tuple[StoryPoint, ...]], ...]  # (story id, merged points)
_Shared = tuple[SiteModel, Renderer, list[int], list[str], Placement, dict[str, Story]]


def render_into(
    writer: SiteWriter,
    site: SiteModel,
    renderer: Renderer,
    jobs: int,
    skip: set[str],
    unmerged: Mapping[str, Story] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> tuple[list[Diagnostic], dict[str, tuple[StoryPoint, ...]]]:
    """Render the pages (but those in ``skip``, by output path) over ``jobs`` processes into
    ``writer``; the template errors, each once, and the points of the ``unmerged`` stories
    (by id) that rendering merged, wherever it did. After an error the staged pages are of
    no use (nothing is committed), but no harm either: the staging folder is a spare.
    ``meanwhile`` is called once the workers have started (or before rendering here)."""
    wanted = [i for i, page in enumerate(site.pages) if page.output not in skip]
    if not wanted:
        if meanwhile is not None:
            meanwhile()
        return [], {}
    # Refused here, before any worker writes.
    paths = [safe_relative(site.pages[index].output) for index in wanted]
    shared = (site, renderer, wanted, paths, writer.placement(), dict(unmerged or {}))
    errors: dict[tuple[str, int | None, str], Diagnostic] = {}
    merged: dict[str, tuple[StoryPoint, ...]] = {}
    outcomes = map_over_shared(_render_and_place, shared, len(wanted), jobs, meanwhile)
    for index, (outcome, made) in zip(wanted, outcomes, strict=True):
        merged.update(made)
        if isinstance(outcome, Diagnostic):
            errors.setdefault((outcome.path, outcome.line, outcome.message), outcome)
        else:
            writer.record(site.pages[index].output, outcome)
    return list(errors.values()), merged


def _render_and_place(shared: _Shared, position: int) -> tuple[int | Diagnostic | None, _Merged]:
    """Render one page and stage it: the inode of the file written (None: its bytes had not
    changed), and the stories whose points it merged."""
    site, renderer, wanted, paths, placement, unmerged = shared
    page = site.pages[wanted[position]]
    try:
        content = renderer.render(page).content
    except TemplateError as exc:
        return exc.diagnostic, ()
    return placement.place(paths[position], content), _merged_on(page, unmerged)


def _merged_on(page: Page, unmerged: dict[str, Story]) -> _Merged:
    """The ``unmerged`` stories of the page that now have their points merged, taken out of
    ``unmerged`` (this process's copy: each is told once by each process that merged it)."""
    made = []
    for label in page.depends_on:
        if label.startswith("story:") and (story := unmerged.get(label[6:])) is not None:
            points = story.merged_points
            if points is not None:
                made.append((story.id, points))
                del unmerged[story.id]
    return tuple(made)
