"""Demo data for running: the demo leader and mentor have a next meeting; the other pairs have
meetings, a shared note, goals and check-ins, in alternating health (going well, or overdue
goals, a low fit and an unanswered check-in)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import Q
from django.utils import timezone

from upward.core.demo import DemoContext, register_seeder
from upward.pairs.models import Pair

from .models import CheckIn, Goal, GoalUpdate, Meeting, PairNote, PairNoteRevision

logger = logging.getLogger(__name__)


def _next_meeting(pair: Pair, proposer_id: int | None) -> None:
    start = (timezone.now() + dt.timedelta(days=5)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    Meeting.objects.create(
        pair=pair,
        proposed_by_id=proposer_id,
        state=Meeting.State.SCHEDULED,
        starts_at=start,
        minutes=60,
        place="Video call",
    )


def _history(pair: Pair, healthy: bool) -> None:
    now, today = timezone.now(), timezone.localdate()
    weeks = (2, 6) if healthy else (9, 13)
    for n in weeks:
        Meeting.objects.create(
            pair=pair,
            state=Meeting.State.HELD,
            starts_at=now - dt.timedelta(weeks=n),
            held_minutes=60,
            topics_covered="Hiring; what it is like to be new here",
        )
    note = PairNote.objects.create(
        pair=pair,
        title="What we agreed to try",
        body="One listening session a month with the team.",
        created_by_id=pair.leader.user_id,
    )
    PairNoteRevision.objects.create(
        note=note, number=1, title=note.title, body=note.body, by_id=pair.leader.user_id
    )
    for side, statement in (
        (pair.leader, "Run four listening sessions with junior staff"),
        (pair.mentor, "Present one idea to the leadership team"),
    ):
        goal = Goal.objects.create(
            pair=pair,
            owner_id=side.user_id,
            statement=statement,
            measure="Sessions held, counted in the calendar",
            target="4",
            due_on=today + dt.timedelta(days=60) if healthy else today - dt.timedelta(days=5),
            progress=50 if healthy else 20,
        )
        GoalUpdate.objects.create(goal=goal, percent=goal.progress, by_id=side.user_id)
    for side in (pair.leader, pair.mentor):
        CheckIn.objects.create(
            pair=pair,
            user_id=side.user_id,
            kind=CheckIn.Kind.FIT,
            due_on=today - dt.timedelta(weeks=weeks[1]),
            answered_at=now - dt.timedelta(weeks=weeks[1]),
            score=4 if healthy else 2,
        )
        CheckIn.objects.create(
            pair=pair,
            user_id=side.user_id,
            kind=CheckIn.Kind.RELATIONSHIP,
            due_on=today - dt.timedelta(days=14),
            answered_at=now - dt.timedelta(days=13) if healthy else None,
            score=4 if healthy else None,
        )


@register_seeder
def seed_running(context: DemoContext) -> None:
    """Idempotent: a pair that already has meetings is left as it is."""
    leader, mentor = context.users["leader"], context.users.get("mentor")
    pairs = Pair.objects.filter(programme=context.programme).select_related("leader", "mentor")
    demo_ids = [u.pk for u in (leader, mentor) if u is not None]
    for pair in pairs.filter(Q(leader__user_id__in=demo_ids) | Q(mentor__user_id__in=demo_ids)):
        if not Meeting.objects.filter(pair=pair).exists():
            _next_meeting(pair, pair.mentor.user_id)
    # The other pairs (one active, the rest still preparing) meet too, in varied health.
    active = list(
        pairs.filter(state__in=[Pair.State.ACTIVE, Pair.State.PREPARING])
        .exclude(leader__user_id__in=demo_ids)
        .exclude(mentor__user_id__in=demo_ids)
        .exclude(meetings__isnull=False)
        .order_by("pk")
    )
    for i, pair in enumerate(active):
        _history(pair, healthy=i % 2 == 0)
    logger.info("Demo running: %d active pairs given a history", len(active))
