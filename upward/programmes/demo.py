"""Demo data for programmes: two programmes whose phase, dates and applications agree.

- Reverse Mentoring 2027 is past matching: its call for applications ran two months ago and
  closed a month ago, every application is decided, and the demo leader and mentor were
  accepted into the spring cohort. The matching demo (``upward.matches.demo``) adds its runs.
- Reciprocal Mentoring 2027 is in sourcing: applications are open for three more weeks, a few
  are accepted, nothing is matched; the demo leader and mentor are invited to apply.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from upward.accounts.models import Role, RoleGrant, User
from upward.consent.models import Channel
from upward.core.demo import DemoContext, register_seeder
from upward.directory.models import Person

from . import defaults, demo_text, identity, selectors, services
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
        elif q.kind in (Question.Kind.LONG_TEXT, Question.Kind.SHORT_TEXT):
            matching_text = q.use == Question.Use.TEXT and "objective" not in q.help_text.lower()
            text = demo_text.answer(rng, side=side, label=q.label, matching_text=matching_text)
            data[name] = text[:100] if q.kind == Question.Kind.SHORT_TEXT else text
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


def _pair_answers(programme: Programme, side: str, rng: random.Random) -> dict[str, Any]:
    """The demo leader's and mentor's answers: the same topics, every time free, texts that
    share their themes."""
    questions = selectors.form_questions(programme, side)
    topics = list(programme.topics.all())
    data = _demo_answers(questions, [t.pk for t in topics], rng, side)
    for q in questions:
        name = q.field_name
        if q.kind == Question.Kind.TOPICS:
            data[name] = (
                [] if q.use == Question.Use.TOPICS_AVOID else [str(t.pk) for t in topics[:3]]
            )
        elif q.kind == Question.Kind.AVAILABILITY:
            data[name] = [code for code, _label in SLOTS]
        elif q.kind == Question.Kind.SCALE:
            data[name] = str(q.max_value)
        elif q.kind == Question.Kind.LONG_TEXT and q.use == Question.Use.TEXT and q.required:
            data[name] = demo_text.PAIR_TEXT[side]
    form = AnswersForm(data=data, questions=questions, topics=topics)
    if not form.is_valid():
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
    # Seeding is one step in the audit trail, not one change per person.
    person.skip_history_when_saving = True  # type: ignore[attr-defined]
    person.save(update_fields=["user"])
    del person.skip_history_when_saving  # type: ignore[attr-defined]
    return user


@dataclass(frozen=True)
class Plan:
    """How one demo programme is set up: when it started, what it is for, its cohorts."""

    started_days_ago: int
    description: str
    cohorts: tuple[tuple[str, int], ...]
    challenges: tuple[str, ...]


PAST_PLAN = Plan(
    started_days_ago=75,
    description=(
        "Northwind's executives are mentored for a year by junior colleagues, many from groups "
        "under-represented in our leadership, to build a culture where every voice is heard. "
        "Both sides learn: mentors gain a network, visibility and an inside view of how "
        "decisions are made."
    ),
    cohorts=(("Spring cohort", 20), ("Autumn cohort", 150)),
    challenges=(Challenge.INCLUSIVE_LEADERSHIP, Challenge.CROSS_GENERATIONAL, Challenge.HIERARCHY),
)
SOURCING_PLAN = Plan(
    started_days_ago=40,
    description=(
        "Leaders and junior colleagues from Northwind Group and Riverside Council learn from "
        "each other for a year: each pair sets goals on both sides, and the two organisations "
        "share what works."
    ),
    cohorts=(("2027 cohort", 70),),
    challenges=(Challenge.BELONGING, Challenge.TALENT),
)


def _configure(programme: Programme, coordinator: User, plan: Plan) -> None:
    today = timezone.localdate()
    if not programme.readiness_items.exists():
        programme.description = plan.description
        programme.starts_on = today - dt.timedelta(days=plan.started_days_ago)
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
            challenges=list(plan.challenges),
            details={
                Challenge.INCLUSIVE_LEADERSHIP: "Leaders' inclusion scores in the annual survey "
                "rise from 3.2 to 3.8.",
                Challenge.HIERARCHY: "Ideas from the front line reach the executive team.",
                Challenge.TALENT: "Fewer graduates leave within two years in both organisations.",
            },
            others=[],
        )
        rule = programme.eligibility_rules.get(side=Side.MENTOR)
        rule.min_tenure_months = 3
        rule.save(update_fields=["min_tenure_months"])
    for item in programme.readiness_items.exclude(status=ReadinessItem.Status.DONE):
        owner, evidence = demo_text.EVIDENCE.get(item.key, ("Coordinator", "Confirmed."))
        services.readiness_item_update(
            item=item,
            by=coordinator,
            version=item.version,
            status=ReadinessItem.Status.DONE,
            owner=owner,
            evidence=evidence,
        )
    if not programme.interviews.exists():
        for index, (who, role, problems, themes) in enumerate(demo_text.INTERVIEWS):
            services.interview_record(
                programme=programme,
                by=coordinator,
                interviewee=who,
                role=role,
                held_on=(programme.starts_on or today) + dt.timedelta(days=3 + 4 * index),
                problems=problems,
                themes=themes,
                organisation=programme.organisations.first(),
            )
    for name, offset in plan.cohorts:
        Cohort.objects.get_or_create(
            programme=programme,
            name=name,
            defaults={"starts_on": today + dt.timedelta(days=offset), "capacity": 30},
        )
    if programme.applications_opened_at is None:
        services.programme_applications_open(
            programme=programme, by=coordinator, deadline=timezone.now() + dt.timedelta(days=20)
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
    days_ago: int,
) -> InvitationWave:
    """A wave as if its emails went out some days ago (the demo sends no email)."""
    wave = programme.waves.filter(side=side).first()
    if wave is not None:
        return wave
    number = programme.waves.count() + 1
    sent_at = timezone.now() - dt.timedelta(days=days_ago - number)
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


def _submit(
    programme: Programme,
    applicants: list[tuple[Person, str]],
    rng: random.Random,
    special: dict[int, dict[str, Any]],
) -> int:
    """Submit each applicant's answers; a few share identity data under consent."""
    dimensions = identity.dimensions_for(programme.identity_dimensions)
    submitted = 0
    for index, (person, side) in enumerate(applicants):
        user = _applicant_user(person)
        values: dict[str, str] = {}
        if person.pk in special:
            values = dict(special[person.pk].get("identity", {}))
            answers = _pair_answers(programme, side, rng)
        else:
            if rng.random() < 0.45:
                for dimension in rng.sample(dimensions, rng.randint(1, 4)):
                    values[dimension.code] = rng.choice(dimension.options)[0]
            answers = _valid_answers(programme, side, rng)
        try:
            services.application_submit(
                programme=programme,
                user=user,
                side=side,
                answers=answers,
                identity_values=values,
                identity_consents=set(values),
                channel=Channel.WEB if index % 10 else Channel.API,
            )
        except RuleBroken:
            continue
        submitted += 1
    return submitted


def _candidates(programme: Programme, exclude: set[int], side: str) -> list[Person]:
    if side == Side.LEADER:
        rule = programme.eligibility_rules.filter(side=Side.LEADER).first()
        grade_min = rule.grade_min if rule and rule.grade_min else None
        return list(
            selectors.invitation_candidates(programme=programme, grade_min=grade_min).exclude(
                pk__in=exclude
            )[:60]
        )
    return list(
        selectors.invitation_candidates(programme=programme, grade_max=2, order="junior").exclude(
            pk__in=exclude
        )[:80]
    )


def _demo_people(context: DemoContext) -> tuple[Person | None, Person | None]:
    leader = getattr(context.users["leader"], "person", None)
    mentor = getattr(context.users["mentor"], "person", None)
    return leader, mentor


@register_seeder
def seed_programme(context: DemoContext) -> None:
    """The programme past matching: its call for applications ran two months ago and closed a
    month ago; the demo leader and mentor applied and were accepted into the spring cohort."""
    programme = context.programme
    coordinator = context.users["coordinator"]
    if programme.applications.exists():
        return
    rng = random.Random(2027)
    _configure(programme, coordinator, PAST_PLAN)
    demo_leader, demo_mentor = _demo_people(context)
    reserved = {p.pk for p in (demo_leader, demo_mentor) if p is not None}
    seniors = _candidates(programme, reserved, Side.LEADER)
    juniors = _candidates(programme, reserved, Side.MENTOR)
    if demo_leader is not None:
        seniors.insert(0, demo_leader)
    if demo_mentor is not None:
        juniors.insert(0, demo_mentor)
    leader_min = seniors[-1].grade_level if seniors else None
    leader_wave = _wave(
        programme,
        coordinator,
        Side.LEADER,
        seniors,
        {"grade_min": leader_min, "order": "senior"},
        60,
    )
    mentor_wave = _wave(
        programme, coordinator, Side.MENTOR, juniors, {"grade_max": 2, "order": "junior"}, 60
    )
    leader_invites = list(
        leader_wave.invitations.exclude(person__in=reserved).select_related("person")
    )
    mentor_invites = list(
        mentor_wave.invitations.exclude(person__in=reserved).select_related("person")
    )
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
    special: dict[int, dict[str, Any]] = {}
    if demo_leader is not None and demo_leader.email:
        applicants.insert(0, (demo_leader, Side.LEADER))
        special[demo_leader.pk] = {}
    if demo_mentor is not None and demo_mentor.email:
        applicants.insert(1, (demo_mentor, Side.MENTOR))
        special[demo_mentor.pk] = {"identity": {"ethnicity": "black", "age_band": "16_24"}}
    _submit(programme, applicants, rng, special)
    spring = programme.cohorts.order_by("starts_on").first()
    demo_apps = list(programme.applications.filter(person__in=reserved))
    for application in demo_apps:
        if not application.may_take_part:
            services.application_eligibility_override(
                application=application,
                by=coordinator,
                reason="Demo participant: included so the demo shows a confirmed match.",
            )
    if demo_apps and spring is not None:
        services.applications_decide(
            programme=programme,
            by=coordinator,
            application_ids=[a.pk for a in demo_apps],
            decision="accept",
            cohort=spring,
        )
    _decide(programme, coordinator, reserved)
    services.programme_applications_close(programme=programme, by=coordinator)
    # The call ran two months ago and closed a month ago.
    now = timezone.now()
    Programme.objects.filter(pk=programme.pk).update(
        applications_opened_at=now - dt.timedelta(days=60),
        applications_deadline=now - dt.timedelta(days=30),
        applications_closed_at=now - dt.timedelta(days=30),
    )
    for offset, pk in enumerate(programme.applications.order_by("pk").values_list("pk", flat=True)):
        Application.objects.filter(pk=pk).update(
            submitted_at=now - dt.timedelta(days=58 - offset % 27, hours=offset % 9)
        )
    programme.applications.exclude(decided_at=None).update(decided_at=now - dt.timedelta(days=27))
    programme.refresh_from_db()
    services.programme_phase_set(
        programme=programme, by=coordinator, phase=Programme.Phase.MATCHING
    )


SOURCING_SLUG = "reciprocal-mentoring-2027"


@register_seeder
def seed_sourcing_programme(context: DemoContext) -> None:
    """The programme in sourcing: applications open for another three weeks, no matching yet;
    the demo leader and mentor are invited and have not answered."""
    coordinator = context.users["coordinator"]
    programme, _ = Programme.objects.get_or_create(
        slug=SOURCING_SLUG,
        defaults={"name": "Reciprocal Mentoring 2027", "kind": Programme.Kind.RECIPROCAL},
    )
    programme.organisations.add(context.organisation, context.partner)
    context.sourcing = programme
    RoleGrant.objects.get_or_create(user=coordinator, role=Role.COORDINATOR, programme=programme)
    if programme.applications.exists():
        return
    rng = random.Random(2028)
    _configure(programme, coordinator, SOURCING_PLAN)
    taken = set(context.programme.applications.values_list("person_id", flat=True))
    demo_leader, demo_mentor = _demo_people(context)
    reserved = {p.pk for p in (demo_leader, demo_mentor) if p is not None}
    seniors = _candidates(programme, taken | reserved, Side.LEADER)[:30]
    juniors = _candidates(programme, taken | reserved, Side.MENTOR)[:40]
    if demo_leader is not None:
        seniors.insert(0, demo_leader)
    if demo_mentor is not None:
        juniors.insert(0, demo_mentor)
    leader_wave = _wave(programme, coordinator, Side.LEADER, seniors, {"order": "senior"}, 10)
    mentor_wave = _wave(programme, coordinator, Side.MENTOR, juniors, {"grade_max": 2}, 10)
    applicants: list[tuple[Person, str]] = [
        (i.person, Side.LEADER)
        for i in leader_wave.invitations.exclude(person__in=reserved).select_related("person")[:14]
    ]
    applicants += [
        (i.person, Side.MENTOR)
        for i in mentor_wave.invitations.exclude(person__in=reserved).select_related("person")[:22]
    ]
    _submit(programme, applicants, rng, {})
    cohort = programme.cohorts.first()
    for side in (Side.LEADER, Side.MENTOR):
        first = list(
            programme.applications.filter(side=side, eligible=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:5]
        )
        if first and cohort is not None:
            services.applications_decide(
                programme=programme,
                by=coordinator,
                application_ids=first,
                decision="accept",
                cohort=cohort,
            )


def _decide(programme: Programme, coordinator: User, reserved: set[int]) -> None:
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
        # Past the deadline nobody stays undecided: the rest are declined with thanks.
        decline = eligible[len(accept) + len(waitlist) :]
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
