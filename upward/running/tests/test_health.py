"""Check-ins (the fit check after the first meeting, answering once) and the coordinator's
traffic light with its reasons, never the answers' words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from upward.pairs.models import Pair
from upward.running import selectors, services
from upward.running.errors import RunningRuleBroken
from upward.running.models import CheckIn, Goal, Meeting

pytestmark = pytest.mark.django_db


def health(pair: Pair) -> tuple[str, list[str]]:
    row = selectors.board_pairs(pair.programme).get(pk=pair.pk)
    found = selectors.health_of(row, timezone.localdate())
    return found.light, found.reasons


def held(pair: Pair, weeks_ago: int) -> Meeting:
    return Meeting.objects.create(
        pair=pair,
        state=Meeting.State.HELD,
        starts_at=timezone.now() - dt.timedelta(weeks=weeks_ago),
        held_minutes=60,
    )


def test_pair_health_reasons(pair: Pair, leader: Any, mentor: Any) -> None:
    now, today = timezone.now(), timezone.localdate()
    Pair.objects.filter(pk=pair.pk).update(state_since=now - dt.timedelta(weeks=3, days=1))
    assert health(pair) == ("green", [])
    Pair.objects.filter(pk=pair.pk).update(state_since=now - dt.timedelta(weeks=5, days=1))
    assert health(pair) == ("amber", ["No meeting yet, 5 weeks after it became active"])
    held(pair, weeks_ago=9)
    assert health(pair) == ("red", ["No meeting for 9 weeks"])
    held(pair, weeks_ago=1)
    assert health(pair) == ("green", [])

    CheckIn.objects.create(
        pair=pair, user=leader, kind="relationship", due_on=today - dt.timedelta(days=10)
    )
    # Asked three days ago: not yet late.
    CheckIn.objects.create(
        pair=pair, user=mentor, kind="relationship", due_on=today - dt.timedelta(days=3)
    )
    assert health(pair) == ("amber", ["1 check-in unanswered"])
    Goal.objects.create(
        pair=pair, owner=leader, statement="x", due_on=today - dt.timedelta(days=1), progress=50
    )
    Goal.objects.create(
        pair=pair, owner=leader, statement="y", due_on=today - dt.timedelta(days=1), progress=100
    )
    assert health(pair) == ("amber", ["1 check-in unanswered", "1 goal overdue"])
    fit = CheckIn.objects.create(pair=pair, user=mentor, kind="fit", due_on=today)
    services.checkin_answer(checkin=fit, by=mentor, score=2, comment="We never click.")
    assert health(pair) == (
        "red",
        [
            "1 check-in unanswered",
            "A low fit was reported after the first meeting",
            "1 goal overdue",
        ],
    )


def test_the_fit_check_follows_the_first_meeting_and_is_answered_once(
    client: Any, pair: Pair, leader: Any, mentor: Any, coordinator: Any
) -> None:
    meeting = services.meeting_propose(
        pair=pair, by=leader, times=[timezone.now() + dt.timedelta(days=1)]
    )
    services.meeting_pick(meeting=meeting, by=mentor, option_id=meeting.options.get().pk, version=1)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))
    meeting.refresh_from_db()
    services.meeting_record(meeting=meeting, by=mentor, outcome="held", minutes=60, version=2)
    fits = CheckIn.objects.filter(pair=pair, kind="fit").order_by("user_id")
    assert sorted(c.user_id for c in fits) == sorted([leader.pk, mentor.pk])

    mine = fits.get(user=mentor)
    client.force_login(leader)
    assert client.get(reverse("running:checkin", args=[mine.pk])).status_code == 404
    client.force_login(mentor)
    response = client.post(
        reverse("running:checkin", args=[mine.pk]), {"score": "1", "comment": "Too formal."}
    )
    assert response.status_code == 302
    again = client.post(
        f"/api/v1/checkins/{mine.pk}/answer", {"score": 5}, content_type="application/json"
    )
    assert (again.status_code, again.json()) == (
        400,
        {"detail": "You have already answered this check-in."},
    )
    mine.refresh_from_db()
    assert (mine.score, mine.comment) == (1, "Too formal.")
    with pytest.raises(RunningRuleBroken, match="Answer with a score from 1 to 5"):
        services.checkin_answer(checkin=fits.get(user=leader), by=leader, score=9)

    client.force_login(coordinator)
    board = client.get(reverse("running:board", args=[pair.programme.slug])).content.decode()
    assert "A low fit was reported after the first meeting" in board
    assert "Too formal" not in board


def test_relationship_checkins_open_at_the_cadence(pair: Pair, leader: Any) -> None:
    today = timezone.localdate()
    Pair.objects.filter(pk=pair.pk).update(state_since=timezone.now() - dt.timedelta(days=31))
    assert services.checkins_open(today=today) == 0  # no meeting held yet
    held(pair, weeks_ago=2)
    assert services.checkins_open(today=today) == 2  # monthly cadence, 31 days in
    assert services.checkins_open(today=today) == 0
    assert services.checkins_open(today=today + dt.timedelta(days=29)) == 0
    assert services.checkins_open(today=today + dt.timedelta(days=30)) == 2
