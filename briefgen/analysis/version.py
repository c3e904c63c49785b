"""The analysis's version, apart from the analysis: the cache keys and a build's check read
it without importing the analysis itself."""

from __future__ import annotations

# Part of every analysis cache key: bump it when a change to the analysis changes what it
# gives for the same article, so that every article is analysed again.
ANALYZER_VERSION = "7"
