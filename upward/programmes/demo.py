"""Demo data for programmes: a reverse-mentoring programme with its readiness done, two
invitation waves, an open call for mentors and about 150 applications to screen."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from typing import Any

from django.db.models import Q
from django.utils import timezone

from upward.accounts.models import User
from upward.consent.models import Channel
from upward.core.demo import DemoContext, register_seeder
from upward.directory.models import Person

from . import defaults, identity, selectors, services
from .errors import RuleBroken
from .models import (
    Application,
    Challenge,
    Cohort,
    Invitation,
    InvitationWave,
    Programme,
    Question,
    ReadinessItem,
    Side,
)
from .policy import MatchingPolicy
from .questions import SLOTS, AnswersForm

EVIDENCE: dict[str, tuple[str, str]] = {
    ReadinessItem.Key.DEIB_PLAN: (
        "Amara Osei, Head of Inclusion",
        "DEIB strategy 2026-2029 approved by the board on 12 March; training budget confirmed.",
    ),
    ReadinessItem.Key.LEADERSHIP: (
        "Chief Executive",
        "Executive team briefed at the April offsite; all nine executives agreed to take part "
        "as learners.",
    ),
    ReadinessItem.Key.TIME: (
        "Chief People Officer",
        "Two hours a month agreed for all participants, recorded in the people policy; "
        "managers told in the May managers' briefing.",
    ),
    ReadinessItem.Key.SAFETY_BASELINE: (
        "People Analytics team",
        "Psychological-safety pulse (7 items) sent to all staff in May: 61% response, baseline "
        "score 3.4 out of 5.",
    ),
    ReadinessItem.Key.SUPPORT: (
        "Wellbeing lead",
        "Employee assistance programme, two trained mental health first aiders per site, and a "
        "confidential concern channel in Upward.",
    ),
    ReadinessItem.Key.COORDINATOR: (
        "Chief People Officer",
        "Corin Adeyemi (external) appointed as independent coordinator, outside every "
        "participant's reporting line.",
    ),
}

INTERVIEWS = (
    (
        "Chief Executive",
        "Chief Executive Officer",
        "Senior team hears good news only. Two graduate cohorts lost half their people in 18 "
        "months and exit interviews mention not being listened to.",
        ["voice", "retention", "hierarchy"],
    ),
    (
        "Chair of the Race Equality Network",
        "Employee network lead",
        "Members don't see people like them above manager level. They are asked to educate "
        "leaders for free and are tired of it; any programme must protect their time.",
        ["progression", "wellbeing", "belonging"],
    ),
    (
        "Head of Technology Operations",
        "Senior manager",
        "Decisions about new tools are made by people who don't use them; younger staff find "
        "workarounds and nobody hears about them.",
        ["digital", "generations", "hierarchy"],
    ),
)

LEADER_TEXT = (
    "I want to understand why colleagues from under-represented groups leave us within two "
    "years, and what I do that makes it harder for people to speak up.",
    "I have led teams for twenty years and I am not sure I know what a normal working day "
    "feels like for a graduate here. I would like to listen more than I talk.",
    "I want to lead more inclusively: to notice who is missing from the room when decisions "
    "are made, and to change how my leadership team runs its meetings.",
    "I'd like to understand how our hybrid working policy lands with people early in their "
    "career, especially those without a quiet place to work at home.",
    "Honest feedback on how I come across. People are polite to me, and I suspect I miss a "
    "lot because of it.",
)
MENTOR_TEXT = (
    "That small things, like who gets invited to the informal conversations, decide who gets "
    "on. I would like a leader to see the organisation from where I sit.",
    "What it is like to be the only person like me in most meetings, and how much energy it "
    "takes to decide whether to speak.",
    "How our processes feel from the front line: the approvals, the tools, the waiting. I "
    "have ideas that never get past my manager.",
    "What it means to manage a disability at work without always having to explain it.",
    "How people my age think about careers: we don't expect to stay forever, but we would "
    "stay longer if we could see a path.",
)
OTHER_TEXT = (
    "Meetings where the most senior person speaks first and everyone else agrees.",
    "A project where a junior colleague's idea was taken up only once a manager repeated it.",
    "Not being sure whether it is safe to disagree in front of the executive team.",
    "I'd like to build my network and understand how decisions are really made.",
    "I want the confidence to speak up, and to see whether the organisation means what it says.",
)


def _demo_answers(
    questions: list[Question], topic_ids: list[int], rng: random.Random, side: str
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for q in questions:
        if not q.required and rng.random() < 0.3:
            continue
        name = q.field_name
        if q.kind == Question.Kind.ACKNOWLEDGEMENT:
            data[name] = "on"
        elif q.kind == Question.Kind.TOPICS:
            count = min(q.max_choices or 4, rng.randint(2, 5), len(topic_ids))
            if q.use == Question.Use.TOPICS_AVOID:
                count = rng.randint(0, 2)
            data[name] = [str(t) for t in rng.sample(topic_ids, count)]
        elif q.kind == Question.Kind.LONG_TEXT:
            if q.use == Question.Use.TEXT and q.required:
                data[name] = rng.choice(LEADER_TEXT if side == Side.LEADER else MENTOR_TEXT)
            else:
                data[name] = rng.choice(OTHER_TEXT)
        elif q.kind == Question.Kind.SHORT_TEXT:
            data[name] = rng.choice(OTHER_TEXT)[:100]
        elif q.kind == Question.Kind.SINGLE_CHOICE:
            data[name] = rng.choice(q.choices)
        elif q.kind == Question.Kind.MULTIPLE_CHOICE:
            data[name] = rng.sample(q.choices, rng.randint(1, min(3, len(q.choices))))
        elif q.kind == Question.Kind.SCALE:
            data[name] = str(rng.randint(q.min_value, q.max_value))
        elif q.kind == Question.Kind.AVAILABILITY:
            data[name] = rng.sample([code for code, _ in SLOTS], rng.randint(3, 9))
    return data


def _valid_answers(programme: Programme, side: str, rng: random.Random) -> dict[str, Any]:
    questions = selectors.form_questions(programme, side)
    topics = list(programme.topics.all())
    data = _demo_answers(questions, [t.pk for t in topics], rng, side)
    form = AnswersForm(data=data, questions=questions, topics=topics)
    if not form.is_valid():  # the demo's own answers must pass the real validation
        raise RuntimeError(f"Demo answers are invalid: {form.errors.as_text()}")
    return form.answers()


def _applicant_user(person: Person) -> User:
    if person.user_id is not None:
        return person.user  # type: ignore[return-value]
    user = User.objects.filter(email__iexact=person.email).first()
    if user is None:
        user = User(email=person.email.lower(), display_name=person.name)
        user.set_unusable_password()  # they would set one through their invitation link
        user.save()
    person.user = user
    person.save(update_fields=["user"])
    return user


def _configure(programme: Programme, coordinator: User) -> None:
    today = timezone.localdate()
    if not programme.readiness_items.exists():
        programme.description = (
            "Northwind's executives are mentored for a year by junior colleagues, many from "
            "groups under-represented in our leadership, to build a culture where every voice "
            "is heard. Both sides learn: mentors gain a network, visibility and an inside view "
            "of how decisions are made."
        )
        programme.starts_on = today - dt.timedelta(days=40)
        programme.ends_on = defaults.add_months(programme.starts_on, 12) - dt.timedelta(days=1)
        programme.meeting_cadence = Programme.Cadence.MONTHLY
        programme.matching_policy = MatchingPolicy().as_json()
        programme.identity_dimensions = list(identity.CODES)
        programme.created_by = coordinator
        programme.save()
        defaults.seed_programme(programme)
        services.programme_objectives_set(
            programme=programme,
            by=coordinator,
            version=programme.version,
            challenges=[
                Challenge.INCLUSIVE_LEADERSHIP,
                Challenge.CROSS_GENERATIONAL,
                Challenge.HIERARCHY,
            ],
            details={
                Challenge.INCLUSIVE_LEADERSHIP: "Leaders' inclusion scores in the annual survey "
                "rise from 3.2 to 3.8.",
                Challenge.HIERARCHY: "Ideas from the front line reach the executive team.",
            },
            others=[],
        )
        rule = programme.eligibility_rules.get(side=Side.MENTOR)
        rule.min_tenure_months = 3
        rule.save(update_fields=["min_tenure_months"])
    for item in programme.readiness_items.exclude(status=ReadinessItem.Status.DONE):
        owner, evidence = EVIDENCE.get(item.key, ("Coordinator", "Confirmed."))
        services.readiness_item_update(
            item=item,
            by=coordinator,
            version=item.version,
            status=ReadinessItem.Status.DONE,
            owner=owner,
            evidence=evidence,
        )
    if not programme.interviews.exists():
        for index, (who, role, problems, themes) in enumerate(INTERVIEWS):
            services.interview_record(
                programme=programme,
                by=coordinator,
                interviewee=who,
                role=role,
                held_on=programme.starts_on + dt.timedelta(days=3 + 4 * index)
                if programme.starts_on
                else today,
                problems=problems,
                themes=themes,
                organisation=programme.organisations.first(),
            )
    for name, offset in (("Spring cohort", 60), ("Autumn cohort", 200)):
        Cohort.objects.get_or_create(
            programme=programme,
            name=name,
            defaults={"starts_on": today + dt.timedelta(days=offset), "capacity": 30},
        )
    if programme.applications_opened_at is None:
        services.programme_applications_open(
            programme=programme, by=coordinator, deadline=timezone.now() + dt.timedelta(days=30)
        )
        programme.refresh_from_db()
    if not programme.open_call_mentors:
        services.programme_open_call_set(
            programme=programme,
            by=coordinator,
            version=programme.version,
            leaders=False,
            mentors=True,
        )


def _wave(
    programme: Programme,
    coordinator: User,
    side: str,
    people: list[Person],
    criteria: dict[str, Any],
) -> InvitationWave:
    """A wave as if its emails went out a fortnight ago (the demo sends no email)."""
    wave = programme.waves.filter(side=side).first()
    if wave is not None:
        return wave
    number = programme.waves.count() + 1
    sent_at = timezone.now() - dt.timedelta(days=14 - number)
    wave = InvitationWave.objects.create(
        programme=programme, number=number, side=side, criteria=criteria, created_by=coordinator
    )
    Invitation.objects.bulk_create(
        [
            Invitation(
                programme=programme,
                wave=wave,
                person=p,
                side=side,
                email=p.email,
                nonce=secrets.token_hex(16),
                status=Invitation.Status.SENT,
                sent_at=sent_at,
            )
            for p in people
        ]
    )
    return wave


@register_seeder
def seed_programme(context: DemoContext) -> None:
    programme = context.programme
    coordinator = context.users["coordinator"]
    rng = random.Random(2027)
    _configure(programme, coordinator)
    demo_leader = getattr(context.users["leader"], "person", None)
    demo_mentor = getattr(context.users["mentor"], "person", None)
    reserved = {p.pk for p in (demo_leader, demo_mentor) if p is not None}

    leader_rule = programme.eligibility_rules.filter(side=Side.LEADER).first()
    leader_min = leader_rule.grade_min if leader_rule and leader_rule.grade_min else None
    seniors = list(
        selectors.invitation_candidates(programme=programme, grade_min=leader_min).exclude(
            pk__in=reserved
        )[:60]
    )
    if demo_leader is not None and demo_leader.email:
        seniors.insert(0, demo_leader)
    leader_wave = _wave(
        programme, coordinator, Side.LEADER, seniors, {"grade_min": leader_min, "order": "senior"}
    )
    juniors = list(
        selectors.invitation_candidates(programme=programme, grade_max=2, order="junior").exclude(
            pk__in=reserved
        )[:80]
    )
    mentor_wave = _wave(
        programme, coordinator, Side.MENTOR, juniors, {"grade_max": 2, "order": "junior"}
    )

    if programme.applications.count() >= 100:
        return
    leader_invites = list(
        leader_wave.invitations.exclude(person__in=reserved).select_related("person")
    )
    mentor_invites = list(mentor_wave.invitations.select_related("person"))
    not_invited = (
        Person.objects.filter(organisation__in=programme.organisations.all(), active=True)
        .exclude(email="")
        .exclude(pk__in=reserved)
        .exclude(Q(pk__in=programme.invitations.values("person_id")))
        .order_by("employee_id")
    )
    # The open call: mostly people the rules take, and a few they do not, whose applications
    # show the reasons and, for two, a coordinator's override.
    mentor_max = programme.eligibility_rules.get(side=Side.MENTOR).grade_max or 2
    open_call = list(not_invited.filter(grade_level__lte=mentor_max, grade_level__gte=2)[:25])
    open_call += list(not_invited.filter(grade_level__gt=mentor_max)[:5])
    applicants: list[tuple[Person, str]] = [(i.person, Side.LEADER) for i in leader_invites[:50]]
    applicants += [(i.person, Side.MENTOR) for i in mentor_invites[:70]]
    applicants += [(p, Side.MENTOR) for p in open_call]
    for invitation in leader_invites[50:55] + mentor_invites[70:75]:
        services.invitation_decline(invitation=invitation)
    for invitation in leader_invites[55:] + mentor_invites[75:]:
        services.invitation_mark_opened(invitation=invitation)
    if demo_mentor is not None and demo_mentor.email:
        applicants.append((demo_mentor, Side.MENTOR))

    dimensions = identity.dimensions_for(programme.identity_dimensions)
    for index, (person, side) in enumerate(applicants):
        user = _applicant_user(person)
        values: dict[str, str] = {}
        if person == demo_mentor:
            values = {"ethnicity": "black", "age_band": "16_24"}
        elif rng.random() < 0.45:
            for dimension in rng.sample(dimensions, rng.randint(1, 4)):
                values[dimension.code] = rng.choice(dimension.options)[0]
        try:
            services.application_submit(
                programme=programme,
                user=user,
                side=side,
                answers=_valid_answers(programme, side, rng),
                identity_values=values,
                identity_consents=set(values),
                channel=Channel.WEB if index % 10 else Channel.API,
            )
        except RuleBroken:
            continue

    _decide(programme, coordinator, reserved, rng)


def _decide(
    programme: Programme, coordinator: User, reserved: set[int], rng: random.Random
) -> None:
    cohorts = list(programme.cohorts.order_by("starts_on"))
    for side in (Side.LEADER, Side.MENTOR):
        apps = list(
            Application.objects.filter(
                programme=programme, side=side, status=Application.Status.SUBMITTED
            )
            .exclude(person__in=reserved)
            .order_by("pk")
        )
        ineligible = [a for a in apps if not a.eligible]
        for application in ineligible[:2]:
            services.application_eligibility_override(
                application=application,
                by=coordinator,
                reason="Started recently but already leads the graduate network; the "
                "executive sponsor asked for them to be included.",
            )
        eligible = [a for a in apps if a.eligible]
        accept = eligible[: int(len(eligible) * 0.55)]
        waitlist = eligible[len(accept) : len(accept) + int(len(eligible) * 0.15)]
        decline = eligible[len(accept) + len(waitlist) : len(accept) + len(waitlist) + 3]
        half = len(accept) // 2
        for chunk, cohort in ((accept[:half], cohorts[0]), (accept[half:], cohorts[-1])):
            if chunk:
                services.applications_decide(
                    programme=programme,
                    by=coordinator,
                    application_ids=[a.pk for a in chunk],
                    decision="accept",
                    cohort=cohort,
                )
        for chunk, decision in ((waitlist, "waitlist"), (decline, "decline")):
            if chunk:
                services.applications_decide(
                    programme=programme,
                    by=coordinator,
                    application_ids=[a.pk for a in chunk],
                    decision=decision,
                )
