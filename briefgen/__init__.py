"""briefgen: a static site generator for news briefing digests.

The public API is small: ``build(root, BuildOptions(...)) -> BuildResult`` and the
``Diagnostic`` it reports problems with.
"""

from __future__ import annotations

__version__ = "0.1.0"

from briefgen.build import BuildOptions, BuildResult, build
from briefgen.errors import Diagnostic

__all__ = ["BuildOptions", "BuildResult", "Diagnostic", "__version__", "build"]
