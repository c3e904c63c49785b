"""A story's page shows each fact once, crediting every outlet that reported it, and each
quotation once with all the outlets that carried it."""

from __future__ import annotations

from briefgen.analysis.quotes import Quote
from briefgen.story_points import MAX_POINTS, StoryPoint, merge_points, merge_quotes

LEAD = (
    "bbc.md",
    (
        "The central bank raised interest rates to 5% on Thursday.",
        "Mortgage holders face higher monthly payments this year.",
        "The decision was backed by seven of the nine committee members.",
    ),
)
OTHER = (
    "guardian.md",
    (
        "Interest rates were raised to 5% by the central bank on Thursday.",
        "Shares in housebuilders fell sharply after the announcement.",
    ),
)


def test_the_same_fact_from_two_outlets_is_one_point_crediting_both() -> None:
    points = merge_points((LEAD, OTHER))
    assert points[0] == StoryPoint(LEAD[1][0], ("bbc.md", "guardian.md"))
    assert [p.text for p in points] == [
        LEAD[1][0],  # carried by both, in the lead's wording
        LEAD[1][1],
        LEAD[1][2],
        OTHER[1][1],
    ]
    assert all(p.sources == (p.sources[0],) for p in points[1:])


FACTS = {
    "rates": "The central bank raised interest rates on Thursday.",
    "payments": "Mortgage holders face higher monthly payments.",
    "vote": "Seven committee members backed the decision.",
    "shares": "Housebuilder shares fell sharply afterwards.",
    "pound": "Sterling climbed against the dollar.",
    "forecast": "Economists expect inflation to ease next spring.",
    "warning": "Charities warned about rising rents.",
    "exports": "Manufacturers reported weaker export orders.",
}


def test_points_most_outlets_carry_come_first_when_there_are_too_many() -> None:
    lead = [
        "rates",
        "payments",
        "vote",
        "shares",
        "pound",
        "forecast",
        "warning",
    ]
    reports = (
        ("0.md", tuple(FACTS[key] for key in lead)),
        ("1.md", (FACTS["warning"],)),
        ("2.md", (FACTS["warning"], FACTS["exports"])),
    )
    points = merge_points(reports)
    assert len(points) == MAX_POINTS
    # Carried by all three outlets: kept though the lead article gives it last. Of the
    # points one outlet carries, the lead's first ones fill the rest, in its order.
    assert [p.text for p in points] == [FACTS[key] for key in lead if key != "forecast"]
    assert points[-1].sources == ("0.md", "1.md", "2.md")


def test_the_same_quotation_is_one_quote_with_every_outlet() -> None:
    said = "We will do whatever it takes to bring inflation down."
    quotes = merge_quotes(
        (
            ("bbc.md", (Quote(said, "Jane Doe", 0, 10), Quote("A separate remark.", None, 20, 30))),
            ("guardian.md", (Quote(said.upper().replace(".", "!"), "Jane Doe", 5, 15),)),
            ("times.md", (Quote(said, "John Roe", 0, 10),)),  # someone else saying it
        )
    )
    by_speaker = {group.speaker: group.quotes for group in quotes}
    assert [q.sources for q in by_speaker["Jane Doe"]] == [("bbc.md", "guardian.md")]
    assert by_speaker["Jane Doe"][0].quote.text == said  # as the first outlet gave it
    assert [q.sources for q in by_speaker["John Roe"]] == [("times.md",)]
    assert [q.quote.text for q in by_speaker[None]] == ["A separate remark."]
