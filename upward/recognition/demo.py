"""Demo data for recognition: "Reverse Mentoring 2026", a small programme of the demo
organisation that closed last year. Its pairs completed and their certificates were issued
(one on a coordinator's grant; one leader met too few times to complete), one story was
published with both people's agreement, and one person asked to be on the recognition list.
The other demo programmes keep their own story. Idempotent: a closed programme is left as is."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from upward.accounts.models import Role, RoleGrant
from upward.core.demo import DemoContext, _user, demo_password, register_seeder
from upward.directory.models import Organisation, Person
from upward.pairs.models import Pair, PairEvent
from upward.programmes.models import Application, Programme, Side

from . import selectors, services
from .models import Closure, CompletionGrant, CompletionRules, Story

logger = logging.getLogger(__name__)

SLUG = "reverse-mentoring-2026"
NAME = "Reverse Mentoring 2026"
MEETINGS = (5, 4, 2)  # held by each pair; the rule asks for three
STORY_TITLE = "What a year of listening changed"
STORY = (
    "We met once a month for a year. The first meetings were about hiring, and what it feels "
    "like to be the newest and youngest person in a room. By the summer the team had a "
    "listening session every month, and two ideas from those sessions are now how the "
    "department runs its stand-ups. Neither of us expected to learn as much as we did."
)


def _people(organisation: Organisation, senior: bool, count: int) -> list[Person]:
    people = Person.objects.filter(organisation=organisation, user__isnull=True)
    people = people.filter(grade_level__gte=5) if senior else people.filter(grade_level__lte=2)
    # From the end of the directory, away from the people the other seeders pick first.
    return list(people.order_by("-employee_id")[:count])


@register_seeder
def seed_recognition(context: DemoContext) -> None:
    organisation = context.organisation
    existing = Programme.objects.filter(slug=SLUG).first()
    if existing is not None and Closure.objects.filter(programme=existing).exists():
        return
    today = timezone.localdate()
    starts_on = dt.date(today.year - 1, 1, 15)
    ends_on = dt.date(today.year - 1, 12, 15)
    seniors = _people(organisation, True, len(MEETINGS))
    juniors = _people(organisation, False, len(MEETINGS))
    if len(seniors) < len(MEETINGS) or len(juniors) < len(MEETINGS):
        logger.info("Demo recognition: too few people for %s", NAME)
        return
    password = demo_password()
    coordinator = context.users["coordinator"]
    with transaction.atomic():
        programme, _ = Programme.objects.get_or_create(
            slug=SLUG,
            defaults={
                "name": NAME,
                "kind": Programme.Kind.REVERSE,
                "phase": Programme.Phase.CELEBRATION,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "description": "Last year's programme: closed, with its certificates issued.",
            },
        )
        programme.organisations.add(organisation)
        RoleGrant.objects.get_or_create(
            user=coordinator, role=Role.COORDINATOR, organisation=None, programme=programme
        )
        CompletionRules.objects.get_or_create(
            programme=programme,
            defaults={"agreement_signed": False, "training_done": False, "min_meetings": 3},
        )
        since = timezone.make_aware(dt.datetime.combine(starts_on, dt.time(9)))
        ended = timezone.make_aware(dt.datetime.combine(ends_on, dt.time(17)))
        pairs = []
        for senior, junior, held in zip(seniors, juniors, MEETINGS, strict=True):
            applications = []
            for person, side in ((senior, Side.LEADER), (junior, Side.MENTOR)):
                user = _user(person.email, person.name, password, person=person)
                application, _ = Application.objects.get_or_create(
                    programme=programme,
                    person=person,
                    defaults={"user": user, "side": side, "status": Application.Status.ACCEPTED},
                )
                applications.append(application)
            pair, made = Pair.objects.get_or_create(
                programme=programme,
                leader=applications[0],
                mentor=applications[1],
                defaults={"since": since, "state_since": ended, "state": Pair.State.COMPLETED},
            )
            if made:
                PairEvent.objects.create(pair=pair, action=PairEvent.Action.CREATED)
                PairEvent.objects.create(
                    pair=pair, action=PairEvent.Action.COMPLETED, note="The programme closed."
                )
                _meetings(pair, held, since)
            pairs.append(pair)
        # The third pair met twice: the mentor moved team mid-year, and the coordinator
        # counted their year as completed.
        short = pairs[-1]
        CompletionGrant.objects.get_or_create(
            programme=programme,
            application=short.mentor,
            defaults={
                "reason": "Moved team in July; kept meeting the leader informally until the end.",
                "granted_by": coordinator,
                "granted_at": ended,
            },
        )
        for row in selectors.completion_status(programme):
            if row.completes and row.certificate is None:
                services._issue(row, completed_on=ends_on)
        _story(pairs[0])
        first = pairs[0].mentor
        services.listing_set(user=first.user, programme=programme, listed=True)
        Closure.objects.get_or_create(
            programme=programme,
            defaults={
                "closed_by": coordinator,
                "closed_at": ended,
                "retention_on": services.retention_date(programme, today),
                "summary": {"pairs_completed": len(pairs), "pairs_ended": 0},
            },
        )
    logger.info("Demo recognition: %s closed with its certificates", NAME)


def _meetings(pair: Pair, held: int, since: dt.datetime) -> None:
    from upward.running.models import Meeting

    for n in range(held):
        Meeting.objects.create(
            pair=pair,
            state=Meeting.State.HELD,
            starts_at=since + dt.timedelta(days=30 * (n + 1)),
            held_minutes=60,
        )


def _story(pair: Pair) -> None:
    if Story.objects.filter(pair=pair).exists():
        return
    story = Story.objects.create(
        pair=pair, author=pair.mentor.user, title=STORY_TITLE, body=STORY, anonymised=True
    )
    now = timezone.now()
    Story.objects.filter(pk=story.pk).update(
        leader_consent_hash=story.text_hash,
        leader_consent_at=now,
        mentor_consent_hash=story.text_hash,
        mentor_consent_at=now,
    )
