"""The demo: the demo leader and mentor have a next meeting; the other pairs have meetings,
notes, goals and check-ins in varied health; seeding again adds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from upward.accounts.models import User
from upward.core.demo import seed_demo
from upward.programmes.models import Programme
from upward.running import selectors
from upward.running.models import CheckIn, Goal, Meeting, PairNote

pytestmark = pytest.mark.django_db


def test_the_demo_pairs_have_a_running_history(tmp_path: Path) -> None:
    with override_settings(DATA_DIR=tmp_path):
        seed_demo(size=1200)
        counts = (Meeting.objects.count(), Goal.objects.count(), CheckIn.objects.count())
        seed_demo(size=1200)
    assert (Meeting.objects.count(), Goal.objects.count(), CheckIn.objects.count()) == counts
    leader = User.objects.get(email__startswith="leader@")
    mentor = User.objects.get(email__startswith="mentor@")
    for user in (leader, mentor):
        upcoming = selectors.next_meeting(user)
        assert upcoming is not None and upcoming.starts_at > timezone.now()
    programme = Programme.objects.get(slug="reverse-mentoring-2027")
    today = timezone.localdate()
    lights = {p.pk: selectors.health_of(p, today).light for p in selectors.board_pairs(programme)}
    with_history = set(Goal.objects.values_list("pair_id", flat=True))
    demo_pairs = {
        p.pk for p in selectors.board_pairs(programme) if p.leader.user_id == leader.pk
    } | {p.pk for p in selectors.board_pairs(programme) if p.mentor.user_id == mentor.pk}
    others = set(lights) - demo_pairs
    # Every other pair has a history, alternately healthy and not.
    assert with_history == others and len(others) >= 3
    healthy = (len(others) + 1) // 2
    assert sorted(lights[pk] for pk in with_history) == ["green"] * healthy + ["red"] * (
        len(others) - healthy
    )
    assert PairNote.objects.filter(pair_id__in=with_history).count() == len(others)
