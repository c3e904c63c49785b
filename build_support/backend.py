"""briefgen's build backend: setuptools', except that a wheel (``pip install .``, a release)
is compiled with mypyc (setup.py says which modules, and why). An editable install
(``pip install -e .``, for working on briefgen) and the source distribution are not: edits
then run as they are written.

Where compiling fails (no C compiler, no Python headers), the wheel is built again without
it and works the same, only slower; ``briefgen --version`` says which one is installed.
BRIEFGEN_PURE=1 asks for the pure Python wheel from the start.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from setuptools import build_meta as _setuptools
from setuptools.build_meta import (
    build_editable,
    build_sdist,
    get_requires_for_build_editable,
    get_requires_for_build_sdist,
    prepare_metadata_for_build_editable,
    prepare_metadata_for_build_wheel,
)

__all__ = [
    "build_editable",
    "build_sdist",
    "build_wheel",
    "get_requires_for_build_editable",
    "get_requires_for_build_sdist",
    "get_requires_for_build_wheel",
    "prepare_metadata_for_build_editable",
    "prepare_metadata_for_build_wheel",
]

# The compiler's version is pinned: the compiled wheel is the same from one build to the next.
MYPYC = "mypy==2.4.1"


def _compiling() -> bool:
    return os.environ.get("BRIEFGEN_PURE") != "1"


def get_requires_for_build_wheel(config_settings: dict[str, Any] | None = None) -> list[str]:
    needed = _setuptools.get_requires_for_build_wheel(config_settings)
    return [*needed, MYPYC] if _compiling() else needed


def build_wheel(
    wheel_directory: str,
    config_settings: dict[str, Any] | None = None,
    metadata_directory: str | None = None,
) -> str:
    if not _compiling():
        return _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)
    os.environ["BRIEFGEN_COMPILE"] = "1"  # (what setup.py reads)
    try:
        return _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)
    # Whatever stops the compiled build (mypyc missing, a compiler's error, on which
    # setuptools exits) leaves the Python one to build.
    except (Exception, SystemExit) as exc:  # noqa: BLE001
        sys.stderr.write(f"briefgen: compiling failed ({exc}); building the Python wheel\n")
    finally:
        del os.environ["BRIEFGEN_COMPILE"]
    return _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)
