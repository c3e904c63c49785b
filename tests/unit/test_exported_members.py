from __future__ import annotations

import briefgen


def test_the_public_api_is_pinned() -> None:
    assert briefgen.__all__ == ["BuildOptions", "BuildResult", "Diagnostic", "__version__", "build"]
    for name in briefgen.__all__:
        assert getattr(briefgen, name) is not None
