"""The release of briefgen: what `briefgen --version` says, and what the caches it writes are
marked with."""

__version__ = "0.1.0"
