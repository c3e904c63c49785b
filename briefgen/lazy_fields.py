"""Frozen dataclasses whose bulky fields, stored in the cache, come back packed until read.

A build that changed one article of 10,000 reads every other article's parse and analysis
back from the cache, yet needs their key points, quotes, word counts and text blocks only
for the few pages it renders again. Unpickling is paid per object (a key point, a quote, a
block: tens of thousands of them), not per byte; so in the cache those fields are one bytes
value per article (``dumps_packed``), unpickled the first time one of them is read. Nothing
else changes: the fields are ordinary attributes once read, and equality and
``dataclasses.replace`` read them as usual. Plain pickling (to and from worker processes)
packs nothing: a cold build's articles are all used at once, and packed in the workers they
would be unpacked again by every render worker, each holding its own copy.
"""

from __future__ import annotations

import io
import pickle
from typing import TYPE_CHECKING, Any, ClassVar

_PACKED = "_packed_fields"


class LazyFields:
    """Mixin for a frozen dataclass: ``_lazy`` names the fields packed when pickled."""

    _lazy: ClassVar[tuple[str, ...]] = ()

    if not TYPE_CHECKING:  # (for the type checker every field is an ordinary attribute)

        def __getattr__(self, name: str) -> Any:
            """Called only for an attribute not set: a packed field's first read."""
            packed = self.__dict__.get(_PACKED)
            if packed is None or name not in self._lazy:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            values = pickle.loads(packed)
            for field, value in zip(self._lazy, values, strict=True):
                self.__dict__.setdefault(field, value)  # (another thread may have been first)
            self.__dict__.pop(_PACKED, None)
            return self.__dict__[name]

    def packed_reduction(self) -> tuple[Any, ...]:
        """How ``dumps_packed`` pickles it: the lazy fields as one bytes value."""
        state = dict(self.__dict__)
        packed = state.pop(_PACKED, None)
        if packed is None:
            values = tuple(state.pop(field) for field in self._lazy)
            packed = pickle.dumps(values, pickle.HIGHEST_PROTOCOL)
        return (_unpickle, (type(self), state, packed))


class _PackingPickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        return obj.packed_reduction() if isinstance(obj, LazyFields) else NotImplemented


def dumps_packed(value: object) -> bytes:
    """``pickle.dumps``, with the lazy fields of every LazyFields object in ``value`` packed."""
    buffer = io.BytesIO()
    _PackingPickler(buffer, pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def _unpickle(cls: type[LazyFields], state: dict[str, Any], packed: bytes) -> LazyFields:
    made = object.__new__(cls)
    made.__dict__.update(state)
    made.__dict__[_PACKED] = packed
    return made
