"""The dates pages show, spelt as strftime spells them in the C locale."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from briefgen.render import long_date, short_date, short_time


@given(st.datetimes(timezones=st.just(UTC)))
def test_dates_read_as_strftime_writes_them(d: datetime) -> None:
    assert long_date(d) == f"{d:%A} {d.day} {d:%B %Y}"
    assert short_date(d) == f"{d.day} {d:%b %Y}"
    assert short_time(d) == f"{d.day} {d:%b} {d:%H:%M}"


def test_a_date_in_words() -> None:
    d = datetime(2023, 3, 19, 21, 7, tzinfo=UTC)
    assert (long_date(d), short_date(d), short_time(d)) == (
        "Sunday 19 March 2023",
        "19 Mar 2023",
        "19 Mar 21:07",
    )
