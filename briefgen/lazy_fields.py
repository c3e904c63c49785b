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

_PACKED = "_packed_fields_"  # + the group's number: an attribute holding a group packed


class LazyFields:
    """Mixin for a frozen dataclass: ``_lazy`` names the fields packed when pickled, in
    groups: each group is one bytes value, unpickled the first time one of its fields is
    read (so fields that are read together belong together, and apart from the others)."""

    _lazy: ClassVar[tuple[tuple[str, ...], ...]] = ()

    if not TYPE_CHECKING:  # (for the type checker every field is an ordinary attribute)

        def __getattr__(self, name: str) -> Any:
            """Called only for an attribute not set: a packed field's first read."""
            for number, group in enumerate(self._lazy):
                packed = self.__dict__.get(f"{_PACKED}{number}")
                if packed is not None and name in group:
                    values = pickle.loads(packed)
                    for field, value in zip(group, values, strict=True):
                        self.__dict__.setdefault(field, value)  # (another thread was first?)
                    self.__dict__.pop(f"{_PACKED}{number}", None)
                    return self.__dict__[name]
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def packed_reduction(self) -> tuple[Any, ...]:
        """How ``dumps_packed`` pickles it: each group of lazy fields as one bytes value."""
        state = dict(self.__dict__)
        groups = []
        for number, group in enumerate(self._lazy):
            packed = state.pop(f"{_PACKED}{number}", None)
            if packed is None:
                values = tuple(state.pop(field) for field in group)
                packed = pickle.dumps(values, pickle.HIGHEST_PROTOCOL)
            groups.append(packed)
        return (_unpickle, (type(self), state, tuple(groups)))


class _PackingPickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        return obj.packed_reduction() if isinstance(obj, LazyFields) else NotImplemented


def dumps_packed(value: object) -> bytes:
    """``pickle.dumps``, with the lazy fields of every LazyFields object in ``value`` packed."""
    buffer = io.BytesIO()
    _PackingPickler(buffer, pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def _unpickle(
    cls: type[LazyFields], state: dict[str, Any], groups: tuple[bytes, ...]
) -> LazyFields:
    made = object.__new__(cls)
    made.__dict__.update(state)
    for number, packed in enumerate(groups):
        made.__dict__[f"{_PACKED}{number}"] = packed
    return made
