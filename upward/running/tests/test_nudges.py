"""Nudges with a fixed clock: sent once per period, never more often than the person chose, and
never to someone who said never; the coordinator's board lists the quiet pair."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from upward.pairs.models import Pair
from upward.running.models import CheckIn, Nudge, NudgePreference
from upward.running.nudges import nudge_preference_set, nudges_send

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2030, 5, 6, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def quiet_pair(pair: Pair) -> Pair:
    Pair.objects.filter(pk=pair.pk).update(state_since=NOW - dt.timedelta(weeks=6))
    pair.refresh_from_db()
    return pair


def test_once_per_period_and_each_persons_choice(
    settings: Any, quiet_pair: Pair, leader: Any, mentor: Any
) -> None:
    settings.RUNNING_NUDGE_MIN_DAYS = 7
    nudge_preference_set(user=mentor, every_days=NudgePreference.Every.MONTH)
    CheckIn.objects.create(pair=quiet_pair, user=leader, kind="relationship", due_on=NOW.date())

    assert nudges_send(now=NOW) == 2
    by_person = {m.to[0]: m.body for m in mail.outbox}
    leader_mail, mentor_mail = (
        by_person[leader.person.email],
        by_person[mentor.person.email],
    )
    assert (
        f"- You and {mentor.person.name} have not met yet, 4 weeks or more after your pairing "
        "began." in leader_mail
    )
    assert "- A check-in is waiting for your answer." in leader_mail
    assert "check-in" not in mentor_mail

    # The same day, and six days later: nothing more.
    assert nudges_send(now=NOW + dt.timedelta(hours=3)) == 0
    assert nudges_send(now=NOW + dt.timedelta(days=6, hours=23)) == 0
    # A week later the leader (weekly) gets one; the mentor chose monthly.
    assert nudges_send(now=NOW + dt.timedelta(days=7)) == 1
    assert mail.outbox[-1].to == [leader.person.email]
    assert nudges_send(now=NOW + dt.timedelta(days=30)) == 2

    nudge_preference_set(user=leader, every_days=NudgePreference.Every.NEVER)
    assert nudges_send(now=NOW + dt.timedelta(days=90)) == 1
    assert mail.outbox[-1].to == [mentor.person.email]
    assert Nudge.objects.filter(user=leader).count() == 3


def test_the_site_minimum_overrides_a_more_frequent_choice(
    settings: Any, quiet_pair: Pair, leader: Any
) -> None:
    settings.RUNNING_NUDGE_MIN_DAYS = 14
    assert nudges_send(now=NOW) == 2
    assert nudges_send(now=NOW + dt.timedelta(days=13)) == 0
    assert nudges_send(now=NOW + dt.timedelta(days=14)) == 2


def test_a_pair_that_meets_gets_no_nudge_and_the_board_lists_quiet_pairs(
    client: Any, quiet_pair: Pair, coordinator: Any
) -> None:
    weeks_ago = timezone.now() - dt.timedelta(weeks=6)
    Pair.objects.filter(pk=quiet_pair.pk).update(state_since=weeks_ago)
    call_command("running_nudges", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 2
    client.force_login(coordinator)
    board = client.get(reverse("running:board", args=[quiet_pair.programme.slug]))
    page = board.content.decode()
    assert "<h2>Quiet pairs</h2>" in page
    assert f"<li>{quiet_pair.leader.person.name} and {quiet_pair.mentor.person.name}</li>" in page
    Pair.objects.filter(pk=quiet_pair.pk).update(state_since=NOW)
    assert nudges_send(now=NOW + dt.timedelta(days=8)) == 0


def test_the_choice_is_saved_from_the_page(client: Any, mentor: Any) -> None:
    client.force_login(mentor)
    client.post(reverse("running:nudges"), {"every_days": "14"})
    assert NudgePreference.objects.get(user=mentor).every_days == 14
    client.post(reverse("running:nudges"), {"every_days": "3"})
    assert NudgePreference.objects.get(user=mentor).every_days == 14
