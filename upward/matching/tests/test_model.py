"""Participants, availability helpers and an organisation tree passed in by the caller."""

from __future__ import annotations

import pytest

from upward.matching import (
    MatchingInputError,
    MatchingProblem,
    OrgTree,
    Participant,
    Rule,
    Side,
    weekly_slots,
)


def test_weekly_slots_convert_local_hours_to_utc() -> None:
    london = weekly_slots(0, days=[0], start=9, end=12)
    assert london == frozenset({9, 10, 11})
    new_york = weekly_slots(-5, days=[0], start=9, end=11)  # 14:00-16:00 UTC
    assert new_york == frozenset({14, 15})
    india = weekly_slots(5.5, days=[0], start=9, end=17)  # 03:30-11:30 UTC: whole hours 4-10
    assert india == frozenset(range(4, 11))
    sydney_monday = weekly_slots(10, days=[0], start=8, end=9)  # Sunday 22:00 UTC
    assert sydney_monday == frozenset({166})  # Sunday is day 6: 6 * 24 + 22
    assert len(weekly_slots(0)) == 40


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"utc_offset": 20}, "utc_offset"),
        ({"utc_offset": 0, "start": 18, "end": 9}, "start and end"),
        ({"utc_offset": 0, "days": [7]}, "days"),
    ],
)
def test_weekly_slots_bad_input(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(MatchingInputError, match=message):
        weekly_slots(**kwargs)  # type: ignore[arg-type]


def test_shortcut_constructors() -> None:
    lead = Participant.leader(7, grade=9)
    ment = Participant.mentor("m-1", capacity=2)
    assert lead.side is Side.LEADER and lead.id == 7
    assert ment.side is Side.MENTOR and ment.capacity == 2


def test_an_org_tree_from_the_directory_replaces_manager_chains() -> None:
    # The directory knows that "boss" manages "middle", who manages "junior"; the
    # participants themselves carry no chains.
    tree = OrgTree.from_managers({"boss": None, "middle": "boss", "junior": "middle", "x": None})
    problem = MatchingProblem(
        [Participant.leader("boss", grade=9), Participant.leader("x", grade=9)],
        [Participant.mentor("junior", grade=1)],
        org_tree=tree,
    )
    assert {b.rule for b in problem.check_pair("boss", "junior").breaches} == {Rule.REPORTING_LINE}
    assert problem.check_pair("x", "junior").allowed
    with pytest.raises(MatchingInputError, match="not in the organisation tree"):
        MatchingProblem(
            [Participant.leader("stranger", grade=9)],
            [Participant.mentor("junior", grade=1)],
            org_tree=tree,
        )
