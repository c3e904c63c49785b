"""Rendering the site's pages over worker processes, straight into the output writer."""

from __future__ import annotations

from collections.abc import Iterator

from briefgen.errors import Diagnostic, TemplateError
from briefgen.output import SiteWriter
from briefgen.parallel import map_over_shared
from briefgen.render import Renderer
from briefgen.sitemodel import SiteModel


def render_into(
    writer: SiteWriter, site: SiteModel, renderer: Renderer, jobs: int, skip: set[str]
) -> list[Diagnostic]:
    """Render the pages (but those in ``skip``, by output path) over ``jobs`` processes into
    ``writer`` as they come; the template errors, each once."""
    errors: dict[tuple[str, int | None, str], Diagnostic] = {}
    for output, outcome in render_pages(site, renderer, jobs, skip):
        if isinstance(outcome, bytes):
            if not errors:  # after an error nothing will be written: spare the work
                writer.add(output, outcome)
        else:
            errors.setdefault((outcome.path, outcome.line, outcome.message), outcome)
    return list(errors.values())


def render_pages(
    site: SiteModel, renderer: Renderer, jobs: int = 1, skip: set[str] | None = None
) -> Iterator[tuple[str, bytes | Diagnostic]]:
    """Each page's output path and its bytes or its template error, in the site's order,
    rendered over ``jobs`` processes (but those in ``skip``)."""
    wanted = [i for i, page in enumerate(site.pages) if page.output not in (skip or set())]
    outcomes = map_over_shared(_render_one, (site, renderer, wanted), len(wanted), jobs)
    for index, outcome in zip(wanted, outcomes, strict=True):
        yield site.pages[index].output, outcome


def _render_one(shared: tuple[SiteModel, Renderer, list[int]], position: int) -> bytes | Diagnostic:
    site, renderer, wanted = shared
    try:
        return renderer.render(site.pages[wanted[position]]).content
    except TemplateError as exc:
        return exc.diagnostic
