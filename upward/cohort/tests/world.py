"""Cohort objects for the access matrix's test world: in programme A, the world's pair (its
leader and the mentor, the "partner"), a post by the leader, a group coaching session and an
upcoming mid-point check-in for everyone."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from upward.cohort.models import PairMessage, Post
from upward.preparation.models import Workshop
from upward.preparation.tests import world as preparation_world


def cohort(w: Any) -> SimpleNamespace:
    made = getattr(w, "cohort_objects", None)
    if made is not None:
        return made  # type: ignore[no-any-return]
    pair = preparation_world.preparation(w).pair
    leader = w.leader_application.user
    post = Post.objects.create(programme=w.programme_a, author=leader, body="Hello, cohort")
    soon = timezone.now() + dt.timedelta(days=10)
    midpoint = Workshop.objects.create(
        programme=w.programme_a,
        kind=Workshop.Kind.MIDPOINT,
        title="Mid-point check-in",
        starts_at=soon,
        place="Head office",
    )
    coaching = Workshop.objects.create(
        programme=w.programme_a,
        kind=Workshop.Kind.COACHING,
        title="Group coaching",
        starts_at=soon,
        place="Head office",
    )
    message = PairMessage.objects.create(pair=pair, author=leader, body="See you Tuesday")
    made = SimpleNamespace(
        pair=pair, post=post, midpoint=midpoint, coaching=coaching, message=message
    )
    w.cohort_objects = made
    return made


def path_values(w: Any) -> dict[str, Any]:
    c = cohort(w)
    return {"post_id": c.post.pk, "event_id": c.midpoint.pk}
