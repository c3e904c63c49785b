"""Rendering the site's pages over worker processes, straight into the output's staging
folder: each worker writes the pages it rendered (only those whose bytes changed), so page
bytes never travel back to this process nor wait in its memory."""

from __future__ import annotations

from briefgen.errors import Diagnostic, TemplateError
from briefgen.output import Placement, SiteWriter, safe_relative
from briefgen.parallel import map_over_shared
from briefgen.render import Renderer
from briefgen.sitemodel import SiteModel

_Shared = tuple[SiteModel, Renderer, list[int], list[str], Placement]


def render_into(
    writer: SiteWriter, site: SiteModel, renderer: Renderer, jobs: int, skip: set[str]
) -> list[Diagnostic]:
    """Render the pages (but those in ``skip``, by output path) over ``jobs`` processes into
    ``writer``; the template errors, each once. After an error the staged pages are of no
    use (nothing is committed), but no harm either: the staging folder is a spare."""
    wanted = [i for i, page in enumerate(site.pages) if page.output not in skip]
    if not wanted:
        return []
    # Refused here, before any worker writes.
    paths = [safe_relative(site.pages[index].output) for index in wanted]
    shared = (site, renderer, wanted, paths, writer.placement())
    errors: dict[tuple[str, int | None, str], Diagnostic] = {}
    outcomes = map_over_shared(_render_and_place, shared, len(wanted), jobs)
    for index, outcome in zip(wanted, outcomes, strict=True):
        if isinstance(outcome, bool):
            writer.record(site.pages[index].output, written=outcome)
        else:
            errors.setdefault((outcome.path, outcome.line, outcome.message), outcome)
    return list(errors.values())


def _render_and_place(shared: _Shared, position: int) -> bool | Diagnostic:
    """Render one page and stage it: whether it was written (its bytes changed)."""
    site, renderer, wanted, paths, placement = shared
    try:
        content = renderer.render(site.pages[wanted[position]]).content
    except TemplateError as exc:
        return exc.diagnostic
    return placement.place(paths[position], content)
