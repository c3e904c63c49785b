"""Frozen dataclasses whose bulky fields, stored in the cache, come back packed until read.

A build that changed one article of 10,000 reads every other article's parse and analysis
back from the cache, yet needs their key points, quotes, word counts and text blocks only
for the few pages it renders again. Unpickling is paid per object (a key point, a quote, a
block: tens of thousands of them), not per byte; so in the cache those fields are packed in
a few groups per article (``dumps_packed``), each unpickled the first time one of its fields
is read. Nothing else changes: the fields are ordinary attributes once read, and equality and
``dataclasses.replace`` read them as usual. Plain pickling (to and from worker processes)
packs nothing. A first build's articles come packed too: its workers write the cache files,
and the main process maps them as any later build does (``reading``), so each render worker
unpacks only the groups of the pages it renders.

In what ``dumps_packed`` writes, the packed groups come after the pickle, out of its stream
(pickle's out-of-band buffers): ``loads_packed`` given a memory map of the file makes each a
view of the file, not a copy, so a group never read is never read from disk either (at
10,000 articles the groups are 100 MB, the rest 4 MB).
"""

from __future__ import annotations

import io
import pickle
import struct
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

_PACKED = "_packed_fields_"  # + the group's number: an attribute holding a group packed


class LazyFields:
    """Mixin for a frozen dataclass: ``_lazy`` names the fields packed when pickled, in
    groups: each group is one buffer (bytes, or a view of a file), unpickled the first time
    one of its fields is read (so fields that are read together belong together, and apart
    from the others)."""

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

    def __getstate__(self) -> dict[str, Any]:
        """Plain pickling (to and from a worker process): a group still packed travels as
        bytes (it may be a view of a cache file, which does not pickle)."""
        return {
            name: bytes(value) if isinstance(value, memoryview) else value
            for name, value in self.__dict__.items()
        }

    def packed_reduction(self) -> tuple[Any, ...]:
        """How ``dumps_packed`` pickles it: each group of lazy fields as one buffer."""
        state = dict(self.__dict__)
        groups = []
        for number, group in enumerate(self._lazy):
            packed = state.pop(f"{_PACKED}{number}", None)
            if packed is None:
                values = tuple(state.pop(field) for field in group)
                packed = pickle.dumps(values, pickle.HIGHEST_PROTOCOL)
            groups.append(pickle.PickleBuffer(packed))
        return (_unpickle, (type(self), state, tuple(groups)))


class _PackingPickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        return obj.packed_reduction() if isinstance(obj, LazyFields) else NotImplemented


# What dumps_packed writes: this header (a mark, how many groups, the pickle's length), each
# group's length, the pickle, then the groups one after another.
_HEADER = struct.Struct("<4sIQ")
_MARK = b"BGLF"


def dumps_packed(value: object) -> list[bytes | memoryview]:
    """``value`` pickled, with the lazy fields of every LazyFields object in it packed, as
    the pieces of one file, to be written in order."""
    groups: list[memoryview] = []
    stream = io.BytesIO()
    _PackingPickler(
        stream, pickle.HIGHEST_PROTOCOL, buffer_callback=lambda group: groups.append(group.raw())
    ).dump(value)
    lengths = [len(group) for group in groups]
    return [
        _HEADER.pack(_MARK, len(groups), stream.tell()),
        struct.pack(f"<{len(groups)}Q", *lengths),
        stream.getvalue(),
        *groups,
    ]


def loads_packed(data: bytes | memoryview) -> Any:
    """What ``dumps_packed`` pickled, from its pieces joined (say, a memory map of the file
    they were written to: each packed group is then a view of it). ValueError or one of
    pickle's errors where ``data`` is not such pieces whole."""
    view = memoryview(data)
    try:
        mark, count, length = _HEADER.unpack_from(view)
        lengths = struct.unpack_from(f"<{count}Q", view, _HEADER.size)
    except struct.error as exc:
        raise ValueError("packed data cut short") from exc
    if mark != _MARK:
        raise ValueError("not packed by dumps_packed")
    at = _HEADER.size + 8 * count
    if at + length + sum(lengths) != len(view):
        raise ValueError("packed data cut short or run on")
    stream, at = view[at : at + length], at + length
    groups: list[memoryview] = []
    for size in lengths:
        groups.append(view[at : at + size])
        at += size
    return pickle.loads(stream, buffers=groups)


def _unpickle(
    cls: type[LazyFields], state: dict[str, Any], groups: Sequence[bytes | memoryview]
) -> LazyFields:
    made = object.__new__(cls)
    for number, packed in enumerate(groups):
        state[f"{_PACKED}{number}"] = packed
    object.__setattr__(made, "__dict__", state)  # (the dict unpickled for it alone: no copy)
    return made
