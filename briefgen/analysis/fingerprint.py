"""A 64-bit SimHash of an article's terms: near-identical texts (the same wire copy run by
two outlets, a re-published article) get fingerprints a few bits apart, so the collection can
find them without comparing every pair of texts."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import lru_cache
from operator import mul

BITS = 64


# Bits per counter: 24 give room for a total weight of 16 million, and the 25th takes the vote
# (see `simhash`) without carrying into the next counter.
_LANE = 25
_VOTE_BIT = _LANE - 1
_EVERY_LANE = sum(1 << (bit * _LANE) for bit in range(BITS))  # a 1 in each lane


@lru_cache(maxsize=65536)
def _spread_hash(term: str) -> int:
    """The term's 64-bit hash with each bit moved into its own lane, so that adding
    ``weight * spread`` over all terms counts, per bit, the weight of terms that set it: one
    big-integer multiply-add per term instead of a loop over 64 bits."""
    hashed = int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "big")
    return sum(1 << (bit * _LANE) for bit in range(BITS) if hashed >> bit & 1)


def simhash(weights: Mapping[str, int]) -> int:
    """Each bit is set where the terms that set it weigh more than half of all terms.

    The counting and the vote are a few operations on big integers, not loops over terms and
    bits in Python: the counters are summed in one pass in C; adding (2**24 - threshold) to
    every counter carries into its vote bit exactly where it reaches the threshold; and the
    vote bits, every `_LANE` binary digits, are read with one slice.
    """
    lanes = sum(map(mul, map(_spread_hash, weights), weights.values()))
    threshold = sum(weights.values()) // 2 + 1  # more than half: integer weights
    voted = lanes + ((1 << _VOTE_BIT) - threshold) * _EVERY_LANE
    return int(format(voted, f"0{BITS * _LANE}b")[::_LANE], 2)


def hamming_distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()
