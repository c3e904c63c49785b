"""A 64-bit SimHash of an article's terms: near-identical texts (the same wire copy run by
two outlets, a re-published article) get fingerprints a few bits apart, so the collection can
find them without comparing every pair of texts."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import lru_cache

BITS = 64


_LANE = 24  # bits per counter: room for a total weight of 16 million
_LANE_MASK = (1 << _LANE) - 1


@lru_cache(maxsize=65536)
def _spread_hash(term: str) -> int:
    """The term's 64-bit hash with each bit moved into its own 24-bit lane, so that adding
    ``weight * spread`` over all terms counts, per bit, the weight of terms that set it: one
    big-integer multiply-add per term instead of a loop over 64 bits."""
    hashed = int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "big")
    return sum(1 << (bit * _LANE) for bit in range(BITS) if hashed >> bit & 1)


def simhash(weights: Mapping[str, int]) -> int:
    lanes = 0
    total = 0
    for term, weight in weights.items():
        lanes += weight * _spread_hash(term)
        total += weight
    half = total / 2
    return sum(1 << bit for bit in range(BITS) if (lanes >> (bit * _LANE)) & _LANE_MASK > half)


def hamming_distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()
