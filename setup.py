"""The compiled build: with BRIEFGEN_COMPILE=1 (set by build_support/backend.py for a wheel,
never for an editable install), mypyc compiles the modules below to C extensions. They are
pure, typed Python (mypy --strict) that every article of a build runs through: at 10,000
articles the analysis took 1.3x less CPU and the whole first build 13% less wall time, with
the same site byte for byte (tests/e2e/test_compiled.py). The source stays the one truth: a
module runs the same compiled or not, and an editable install runs it as Python.

The collection, the site model and the page keys are compiled too: a build after one
article changed runs their loops over every article (at 10,000, 5% less wall time; the
render of a full build gains nothing, its time is Jinja's code and markupsafe's).

What stays Python: the rest, and in the compiled modules the frozen dataclasses other
modules keep (``@mypyc_attr(native_class=False)``: as native classes they did not unpickle
from the cache) or that keep things in their ``__dict__`` (``collection.Story``'s merges:
mypyc makes a ``functools.cached_property`` a plain property, so no compiled module uses
one). Everything else is in pyproject.toml.
"""

from __future__ import annotations

import os

from setuptools import setup

COMPILED = [
    "briefgen/analysis/attribution.py",
    "briefgen/analysis/eligibility.py",
    "briefgen/analysis/entities.py",
    "briefgen/analysis/fingerprint.py",
    "briefgen/analysis/given_names.py",
    "briefgen/analysis/keypoints.py",
    "briefgen/analysis/mentions.py",
    "briefgen/analysis/names.py",
    "briefgen/analysis/quotation_marks.py",
    "briefgen/analysis/quotes.py",
    "briefgen/analysis/sentences.py",
    "briefgen/analysis/terms.py",
    "briefgen/analysis/tokens.py",
    "briefgen/markdown_text.py",
    "briefgen/collection.py",
    "briefgen/sitemodel.py",
    "briefgen/page_keys.py",
    "briefgen/story_grouping.py",
    "briefgen/story_points.py",
    "briefgen/topic_assignment.py",
    "briefgen/topic_clustering.py",
]


def _extensions() -> list[object]:
    if os.environ.get("BRIEFGEN_COMPILE") != "1":
        return []
    from mypyc.build import mypycify

    # Not the checks of pyproject.toml's [tool.mypy] (strict: CI runs them), and no
    # third-party types (their stubs may or may not be installed where pip builds): the
    # compiled code is the same whatever the environment has.
    options = ["--config-file=", "--ignore-missing-imports", "--no-site-packages"]
    return list(mypycify([*options, *COMPILED], opt_level="3"))


setup(ext_modules=_extensions())
