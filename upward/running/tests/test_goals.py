"""SMART goals: the check's exact feedback on good and bad drafts, saving with a reason,
progress with history, and goals private to the pair (the coordinator sees figures only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from upward.pairs.models import Pair
from upward.programmes.models import Objective
from upward.running import services
from upward.running.errors import RunningRuleBroken
from upward.running.models import Goal
from upward.running.smart import smart_check

TODAY = dt.date(2027, 2, 1)
GOOD = {
    "statement": "Run four listening sessions with junior staff",
    "measure": "Sessions held, counted in my calendar",
    "target": "4 sessions",
    "due_on": dt.date(2027, 6, 30),
    "has_objective": True,
}
VAGUE = "“understand” is vague: say what you will do that someone could see, such as “run”, “write”, “present”, “ask” or “hold”."
NO_MEASURE = "Say how you will measure it: what will you count, see or hear?"
NO_TARGET = "Give a target: the number or result that means it is done."
NO_DATE = "Give a due date: by when will it be done?"
PAST = "The due date has passed: choose a date still to come."
FAR = "The due date is more than a year away: choose one within the programme."
NO_OBJECTIVE = "Link it to one of the programme's objectives."


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"statement": "Write a one-page note on what I heard, and present it"}, []),
        ({"statement": "Understand the experience of junior staff"}, [VAGUE]),
        (
            {"statement": "Get better at listening"},
            [
                "“get better at” is vague: say what you will do that someone could see, such as "
                "“run”, “write”, “present”, “ask” or “hold”."
            ],
        ),
        (
            {"statement": "Know more about hiring, improve it"},
            [VAGUE.replace("understand", "know")],
        ),
        ({"measure": "  "}, [NO_MEASURE]),
        ({"target": ""}, [NO_TARGET]),
        ({"due_on": None}, [NO_DATE]),
        ({"due_on": TODAY}, [PAST]),
        ({"due_on": dt.date(2028, 3, 1)}, [FAR]),
        ({"has_objective": False}, [NO_OBJECTIVE]),
        (
            {
                "statement": "Improve inclusion",
                "measure": "",
                "target": "",
                "due_on": None,
                "has_objective": False,
            },
            [
                VAGUE.replace("understand", "improve"),
                NO_MEASURE,
                NO_TARGET,
                NO_DATE,
                NO_OBJECTIVE,
            ],
        ),
        # A word that merely contains a vague verb is not flagged.
        ({"statement": "Run knowledge-sharing lunches twice a month"}, []),
    ],
)
def test_the_smart_check_gives_exact_feedback(changes: dict[str, Any], expected: list[str]) -> None:
    assert smart_check(**{**GOOD, **changes}, today=TODAY) == expected


@pytest.mark.django_db
def test_a_goal_that_is_not_smart_needs_a_reason(
    client: Any, pair: Pair, leader: Any, mentor: Any, coordinator: Any
) -> None:
    objective = Objective.objects.create(programme=pair.programme, challenge="other")
    with pytest.raises(services.GoalNotSmart) as refused:
        services.goal_save(pair=pair, by=leader, statement="Understand hiring")
    assert refused.value.problems[0].startswith("“understand” is vague")
    assert Goal.objects.count() == 0
    with pytest.raises(RunningRuleBroken, match="Write the goal's statement: it is empty"):
        services.goal_save(pair=pair, by=leader, statement=" ", kept_because="x")

    kept = services.goal_save(
        pair=pair, by=leader, statement="Understand hiring", kept_because="A first step"
    )
    assert kept.kept_because == "A first step"
    due = dt.date.today() + dt.timedelta(days=60)
    good = services.goal_save(
        pair=pair,
        by=mentor,
        statement="Present two ideas to the board",
        measure="Board minutes",
        target="2 ideas",
        due_on=due,
        objective_id=objective.pk,
        kept_because="ignored when the check passes",
    )
    assert good.kept_because == ""

    services.goal_progress(goal=good, by=mentor, percent=40, comment="One drafted", version=1)
    services.goal_progress(goal=good, by=mentor, percent=80, comment="", version=2)
    with pytest.raises(RunningRuleBroken, match="Only its owner"):
        services.goal_progress(goal=good, by=leader, percent=90, version=3)
    good.refresh_from_db()
    assert good.progress == 80
    assert [(u.percent, u.comment) for u in good.updates.all()] == [(40, "One drafted"), (80, "")]

    client.force_login(coordinator)
    board = client.get(reverse("running:board", args=[pair.programme.slug])).content.decode()
    assert "<td>2</td><td>40%</td>" in board
    assert "Present two ideas" not in board and "Understand hiring" not in board
    assert client.get(reverse("running:goals", args=[pair.pk])).status_code == 404
    assert client.get(f"/api/v1/pairs/{pair.pk}/goals").status_code == 404


@pytest.mark.django_db
def test_the_goal_page_shows_the_checks_feedback_and_saves_nothing(
    client: Any, pair: Pair, leader: Any
) -> None:
    client.force_login(leader)
    response = client.post(
        reverse("running:goal_add", args=[pair.pk]), {"statement": "Explore new ideas"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "“explore” is vague" in page and "Give a due date: by when will it be done?" in page
    assert Goal.objects.count() == 0
    api = client.post(
        f"/api/v1/pairs/{pair.pk}/goals/check",
        {"statement": "Explore new ideas", "measure": "x", "target": "y"},
        content_type="application/json",
    )
    assert api.json()["problems"] == [
        "“explore” is vague: say what you will do that someone could see, such as “run”, "
        "“write”, “present”, “ask” or “hold”.",
        NO_DATE,
        NO_OBJECTIVE,
    ]
