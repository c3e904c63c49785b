from __future__ import annotations

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


def test_an_unrelated_text_is_far_away() -> None:
    other = (
        "Chancellor Rachel Reeves raised taxes by forty billion pounds in the first "
        "Labour budget for fourteen years, lifting employer national insurance."
    )
    assert hamming_distance(simhash(term_counts(WIRE)), simhash(term_counts(other))) >= 16
