from __future__ import annotations

import hashlib

from briefgen.analysis.article import analyze_text
from briefgen.analysis.fingerprint import hamming_distance, simhash
from briefgen.analysis.terms import term_counts

WIRE = (
    "North Korean troops have been sent to Russia and deployed to the Kursk region, "
    "NATO Secretary-General Mark Rutte said on Monday after allies were briefed by "
    "South Korean intelligence officials in Brussels."
)


def test_a_lightly_edited_copy_is_a_few_bits_from_the_original() -> None:
    edited = WIRE.replace("on Monday", "on Monday morning")
    assert hamming_distance(simhash(term_counts(WIRE)), simhash(term_counts(edited))) <= 6


def test_an_articles_analysis_gives_the_fingerprint_of_its_text() -> None:
    wire = analyze_text(WIRE, title="Troops in Kursk", key_points=2)
    retold = analyze_text(WIRE + " Seoul confirmed it.", title="Troops in Kursk", key_points=2)
    assert wire.fingerprint == simhash(wire.terms)
    assert hamming_distance(wire.fingerprint, retold.fingerprint) <= 6


def test_an_unrelated_text_is_far_away() -> None:
    other = (
        "Chancellor Rachel Reeves raised taxes by forty billion pounds in the first "
        "Labour budget for fourteen years, lifting employer national insurance."
    )
    assert hamming_distance(simhash(term_counts(WIRE)), simhash(term_counts(other))) >= 16


def _hash(term: str) -> int:
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "big")


def test_one_term_gives_its_own_hash() -> None:
    assert simhash({"nato": 3}) == _hash("nato")


def test_a_bit_needs_more_than_half_the_weight() -> None:
    assert simhash({"nato": 1, "rutte": 1}) == _hash("nato") & _hash("rutte")
    assert simhash({"nato": 2, "rutte": 1}) == _hash("nato")
