"""briefgen: a static site generator for news briefing digests.

The public API is small: ``build(root, BuildOptions(...)) -> BuildResult`` and the
``Diagnostic`` it reports problems with.
"""

from __future__ import annotations

from briefgen.build import BuildOptions, BuildResult, build
from briefgen.errors import Diagnostic
from briefgen.version import __version__

__all__ = ["BuildOptions", "BuildResult", "Diagnostic", "__version__", "build"]
