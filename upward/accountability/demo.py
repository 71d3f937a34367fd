"""Demo data: in the past-matching programme, a closed idea session with ideas (some anonymous)
and votes, two similar ideas grouped, three ideas adopted as leaders' commitments (one on track,
one overdue, one done on time), and the demo leader's nomination of their mentor, agreed."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from upward.core.demo import DemoContext, register_seeder
from upward.pairs.models import Pair

from .models import Commitment, CommitmentUpdate, Idea, IdeaGroup, IdeaSession, IdeaVote, Nomination
from .services import normalise

logger = logging.getLogger(__name__)

TITLE = "What should change here?"
IDEAS = (
    ("Let junior staff present their own work at leadership meetings", False),
    ("Publish the pay bands for every role", True),
    ("Open pay bands and the promotion criteria to everyone", True),
    ("Flexible working hours agreed by each team", False),
    ("Reverse mentoring for every new director", False),
    ("Anonymous monthly question time with the executive team", True),
)


@register_seeder
@transaction.atomic
def seed_accountability(context: DemoContext) -> None:
    """Idempotent: a programme that already has the demo session is left as it is."""
    programme = context.programme
    if IdeaSession.objects.filter(programme=programme, title=TITLE).exists():
        return
    pairs = list(Pair.objects.filter(programme=programme).select_related("leader", "mentor"))
    if not pairs:
        return
    now, today = timezone.now(), timezone.localdate()
    session = IdeaSession.objects.create(
        programme=programme,
        title=TITLE,
        prompt="One change that would make this a better place to work for everyone.",
        opens_at=now - dt.timedelta(days=30),
        closes_at=now - dt.timedelta(days=23),
        votes_per_person=3,
        created_by=context.users["coordinator"],
    )
    people = [p.mentor.user for p in pairs] + [p.leader.user for p in pairs]
    ideas = []
    for n, (text, anonymous) in enumerate(IDEAS):
        author = people[n % len(people)]
        ideas.append(
            Idea.objects.create(
                session=session,
                text=text,
                normalised=normalise(text),
                anonymous=anonymous,
                author=None if anonymous else author,
                submitted_on=(now - dt.timedelta(days=29)).date(),
            )
        )
    for n, voter in enumerate(dict.fromkeys(people)):
        for k in range(3):
            idea = ideas[(n + k * 2) % len(ideas)]
            IdeaVote.objects.get_or_create(idea=idea, voter=voter, defaults={"session": session})
    group = IdeaGroup.objects.create(session=session, title="Open pay bands")
    Idea.objects.filter(pk__in=[ideas[1].pk, ideas[2].pk]).update(group=group)

    leaders = [p.leader.user for p in pairs]
    demo_leader = context.users["leader"]
    if any(u.pk == demo_leader.pk for u in leaders):
        leaders.sort(key=lambda u: u.pk != demo_leader.pk)
    plans = (
        (
            ideas[1],
            "Publish pay bands for every role on the intranet",
            "Roles with a published band",
            "0%",
            "100%",
            today + dt.timedelta(days=60),
            Commitment.Status.IN_PROGRESS,
            None,
        ),
        (
            ideas[0],
            "Two junior colleagues present at each leadership meeting",
            "Meetings with a junior presenter",
            "0 of 10",
            "8 of 10",
            today - dt.timedelta(days=10),
            Commitment.Status.IN_PROGRESS,
            None,
        ),
        (
            ideas[5],
            "Hold a monthly anonymous question time with the executive team",
            "Question times held",
            "0",
            "3",
            today - dt.timedelta(days=5),
            Commitment.Status.DONE,
            today - dt.timedelta(days=8),
        ),
    )
    coordinator = context.users["coordinator"]
    for n, (idea, change, measure, baseline, target, due, status, done_on) in enumerate(plans):
        owner = leaders[n % len(leaders)]
        commitment = Commitment.objects.create(
            programme=programme,
            idea=idea,
            owner=owner,
            change=change,
            measure=measure,
            baseline=baseline,
            target=target,
            due_on=due,
            status=status,
            done_on=done_on,
            created_by=coordinator,
        )
        Idea.objects.filter(pk=idea.pk).update(adopted=True)
        if idea.group_id:
            Idea.objects.filter(group_id=idea.group_id).update(adopted=True)
        CommitmentUpdate.objects.create(
            commitment=commitment,
            by=owner,
            status=Commitment.Status.IN_PROGRESS,
            note="Agreed with the executive team; first steps taken.",
        )
        if status == Commitment.Status.DONE:
            CommitmentUpdate.objects.create(
                commitment=commitment,
                by=owner,
                status=status,
                note="Three question times held, about forty questions answered.",
                evidence="Intranet: minutes of each question time",
            )
    demo_pair = next((p for p in pairs if p.leader.user_id == demo_leader.pk), pairs[0])
    Nomination.objects.create(
        pair=demo_pair,
        kind=Nomination.Kind.PROJECT,
        title="Inclusive hiring review",
        description="A six-month project reviewing how the organisation hires graduates.",
        state=Nomination.State.AGREED,
        asked_at=now - dt.timedelta(days=20),
        answered_at=now - dt.timedelta(days=18),
    )
    logger.info("Demo accountability: an idea session with %d ideas", len(ideas))
