"""Demo data for cohort life, in the past-matching programme: a cohort space with posts,
replies and a pinned announcement; a group coaching session that was held, with attendance;
an upcoming mid-point check-in; and a short message thread of the demo leader and mentor."""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import Q
from django.utils import timezone

from upward.core.demo import DemoContext, register_seeder
from upward.pairs.models import Pair
from upward.preparation.models import Audience, Workshop, WorkshopSeat

from .models import PairMessage, Post

logger = logging.getLogger(__name__)

POSTS = (
    (
        "How did everyone handle the first conversation about hiring? Ours went well once we "
        "agreed to speak plainly.",
        ("Same for us: agreeing the ground rules first made the difference.",),
    ),
    (
        "A book that helped me prepare as a mentor: it has good questions to open with.",
        ("Thanks, I will look for it.", "We used two of its questions last week."),
    ),
    ("Is anyone else finding it hard to keep to a monthly meeting? Tips welcome.", ()),
)
MESSAGES = (
    ("leader", "Thank you for last week. I have been thinking about what you said on hiring."),
    ("mentor", "Glad it helped. Shall we bring the listening sessions to our next meeting?"),
    ("leader", "Yes please. I will bring the notes from the first one."),
)


def _space(context: DemoContext, pairs: list[Pair]) -> None:
    programme, coordinator = context.programme, context.users["coordinator"]
    if Post.objects.filter(programme=programme).exists():
        return
    people = [u for p in pairs for u in (p.leader.user, p.mentor.user)]
    if not people:
        return
    Post.objects.create(
        programme=programme,
        author=coordinator,
        body="Welcome to the cohort space. The mid-point check-in is coming up: please book "
        "your place and answer the short questionnaire.",
        announcement=True,
        pinned=True,
    )
    for i, (body, replies) in enumerate(POSTS):
        post = Post.objects.create(programme=programme, author=people[i % len(people)], body=body)
        for j, reply in enumerate(replies):
            Post.objects.create(
                programme=programme,
                parent=post,
                author=people[(i + j + 1) % len(people)],
                body=reply,
            )


def _events(context: DemoContext, pairs: list[Pair]) -> None:
    programme, now = context.programme, timezone.now()
    if not Workshop.objects.filter(programme=programme, kind=Workshop.Kind.COACHING).exists():
        coaching = Workshop.objects.create(
            programme=programme,
            kind=Workshop.Kind.COACHING,
            audience=Audience.EVERYONE,
            title="Group coaching: listening across levels",
            description="A coach-led session for mentors and leaders together.",
            starts_at=(now - dt.timedelta(days=10)).replace(minute=0, second=0, microsecond=0),
            minutes=90,
            place="Head office, room 4",
            capacity=40,
        )
        for i, user in enumerate(u for p in pairs for u in (p.leader.user, p.mentor.user)):
            WorkshopSeat.objects.get_or_create(
                workshop=coaching,
                user=user,
                defaults={"status": WorkshopSeat.Status.BOOKED, "attended": i % 4 != 3},
            )
    if not Workshop.objects.filter(programme=programme, kind=Workshop.Kind.MIDPOINT).exists():
        Workshop.objects.create(
            programme=programme,
            kind=Workshop.Kind.MIDPOINT,
            audience=Audience.EVERYONE,
            title="Mid-point check-in",
            description="Half way: what is working, what to change. A short questionnaire "
            "goes with it, answered privately.",
            starts_at=(now + dt.timedelta(days=21)).replace(
                hour=14, minute=0, second=0, microsecond=0
            ),
            minutes=120,
            place="Head office, main hall",
            video_url="https://video.example/midpoint",
            capacity=60,
        )


def _thread(context: DemoContext) -> None:
    leader, mentor = context.users["leader"], context.users.get("mentor")
    if mentor is None:
        return
    pair = (
        Pair.objects.filter(programme=context.programme, leader__user=leader, mentor__user=mentor)
        .select_related("leader", "mentor")
        .first()
    )
    if pair is None or PairMessage.objects.filter(pair=pair).exists():
        return
    for side, body in MESSAGES:
        PairMessage.objects.create(
            pair=pair, author=leader if side == "leader" else mentor, body=body
        )


@register_seeder
def seed_cohort(context: DemoContext) -> None:
    """Idempotent: each part is made only when the programme has none of it yet."""
    pairs = list(
        Pair.objects.filter(programme=context.programme)
        .exclude(state=Pair.State.ENDED)
        .filter(Q(leader__user__isnull=False) & Q(mentor__user__isnull=False))
        .select_related("leader__user", "mentor__user")
        .order_by("pk")
    )
    _space(context, pairs)
    _events(context, pairs)
    _thread(context)
    logger.info("Demo cohort: space, events and the demo pair's thread in place")
