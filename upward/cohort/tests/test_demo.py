"""The demo's cohort life: a space with posts, replies and one announcement, a held group
coaching session with attendance, an upcoming mid-point check-in and the demo pair's thread.
Seeding twice adds nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from upward.cohort.demo import seed_cohort
from upward.cohort.models import PairMessage, Post
from upward.core.demo import DemoContext
from upward.preparation.models import Workshop

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        Post.objects.count(),
        PairMessage.objects.count(),
        Workshop.objects.count(),
    )


def test_seeding_is_idempotent(
    pair: Any, other_pair: Any, org_a: Any, org_b: Any, coordinator: Any
) -> None:
    context = DemoContext(
        organisation=org_a,
        partner=org_b,
        programme=pair.programme,
        users={
            "coordinator": coordinator,
            "leader": pair.leader.user,
            "mentor": pair.mentor.user,
        },
        size=10,
    )
    seed_cohort(context)
    first = _counts()
    seed_cohort(context)
    assert _counts() == first
    posts = Post.objects.filter(programme=pair.programme)
    assert posts.filter(announcement=True, pinned=True).count() == 1
    assert posts.filter(parent__isnull=True).count() >= 4
    assert posts.filter(parent__isnull=False).count() >= 3
    coaching = Workshop.objects.get(kind=Workshop.Kind.COACHING)
    assert coaching.starts_at < timezone.now()
    assert coaching.seats.filter(attended=True).exists()
    midpoint = Workshop.objects.get(kind=Workshop.Kind.MIDPOINT)
    assert midpoint.starts_at > timezone.now()
    assert PairMessage.objects.filter(pair=pair).count() == 3


def test_the_full_demo_has_a_cohort_life(tmp_path: Any) -> None:
    from django.test import override_settings

    from upward.accounts.models import User
    from upward.core.demo import seed_demo
    from upward.programmes.models import Programme

    with override_settings(DATA_DIR=tmp_path):
        seed_demo(size=1200)
        counts = _counts()
        seed_demo(size=1200)
    assert _counts() == counts
    programme = Programme.objects.get(slug="reverse-mentoring-2027")
    posts = Post.objects.filter(programme=programme)
    assert posts.filter(announcement=True).count() == 1
    assert posts.filter(parent__isnull=False).exists()
    assert Workshop.objects.filter(
        programme=programme, kind=Workshop.Kind.COACHING, seats__attended=True
    ).exists()
    assert Workshop.objects.filter(
        programme=programme, kind=Workshop.Kind.MIDPOINT, starts_at__gt=timezone.now()
    ).exists()
    leader = User.objects.get(email__startswith="leader@")
    mentor = User.objects.get(email__startswith="mentor@")
    thread = PairMessage.objects.filter(pair__leader__user=leader, pair__mentor__user=mentor)
    assert thread.count() == 3
