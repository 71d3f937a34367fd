"""Demo data for matching: the spring cohort matched and published (the demo leader and mentor
each have a proposal to accept or decline) and the autumn cohort matched, ready to review.

Idempotent: a cohort that already has a finished run is left as it is.
"""

from __future__ import annotations

import logging
from typing import Any

from upward.consent.models import Channel
from upward.core.demo import DemoContext, register_seeder
from upward.programmes import selectors as programme_selectors
from upward.programmes import services as programme_services
from upward.programmes.errors import RuleBroken
from upward.programmes.models import Application, Cohort, Programme, Question, Side
from upward.programmes.questions import SLOTS, AnswersForm

from . import problem as run_problem
from . import services
from .change import plan_change
from .errors import MatchRuleBroken
from .models import MatchingRun, PairLock, ProposedPair

logger = logging.getLogger(__name__)

LEADER_WORDS = (
    "I want to understand what it is like to be early in your career here, and what I do "
    "that makes it harder for people to speak up."
)


def _answers(programme: Programme, side: str, like: dict[str, Any] | None) -> dict[str, Any]:
    """Valid answers for the demo leader, sharing topics and times with their mentor."""
    questions = programme_selectors.form_questions(programme, side)
    topics = list(programme.topics.all())
    data: dict[str, Any] = {}
    for q in questions:
        name = q.field_name
        if q.kind == Question.Kind.ACKNOWLEDGEMENT:
            data[name] = "on"
        elif q.kind == Question.Kind.TOPICS:
            wanted = [str(t) for t in (like or {}).get("topics", [])] or [
                str(t.pk) for t in topics[:3]
            ]
            data[name] = wanted[: q.max_choices or 5]
        elif q.kind in (Question.Kind.LONG_TEXT, Question.Kind.SHORT_TEXT):
            data[name] = LEADER_WORDS[:190] if q.kind == Question.Kind.SHORT_TEXT else LEADER_WORDS
        elif q.kind == Question.Kind.SINGLE_CHOICE:
            data[name] = q.choices[-1] if q.choices else ""
        elif q.kind == Question.Kind.MULTIPLE_CHOICE:
            data[name] = q.choices[:1]
        elif q.kind == Question.Kind.SCALE:
            data[name] = str(q.max_value)
        elif q.kind == Question.Kind.AVAILABILITY:
            data[name] = [code for code, _label in SLOTS]
    form = AnswersForm(data=data, questions=questions, topics=topics)
    if not form.is_valid():
        raise RuntimeError(f"Demo answers are invalid: {form.errors.as_text()}")
    return form.answers()


def _accepted(
    programme: Programme, user: Any, side: str, cohort: Cohort, coordinator: Any, like: Any
) -> Application | None:
    person = programme_selectors.person_of(user)
    if person is None:
        return None
    application = Application.objects.filter(programme=programme, person=person).first()
    if application is None:
        try:
            application = programme_services.application_submit(
                programme=programme,
                user=user,
                side=side,
                answers=_answers(programme, side, like),
                identity_values={},
                identity_consents=set(),
                channel=Channel.WEB,
            )
        except RuleBroken as exc:
            logger.warning("Demo %s could not apply: %s", side, exc)
            return None
    if application.side != side or application.status == Application.Status.WITHDRAWN:
        return None
    if application.status == Application.Status.SUBMITTED:
        # Free at every time on the grid, so the demo pair overlaps whatever their time zones.
        answers = dict(application.answers or {})
        for q in programme_selectors.form_questions(programme, side):
            if q.kind == Question.Kind.AVAILABILITY:
                answers[str(q.pk)] = [code for code, _label in SLOTS]
        kept = programme_selectors.consented_identity(application)
        try:
            application = programme_services.application_submit(
                programme=programme,
                user=user,
                side=side,
                answers=answers,
                identity_values=kept,
                identity_consents=set(kept),
                channel=Channel.WEB,
            )
        except RuleBroken as exc:
            logger.warning("Demo %s could not update their answers: %s", side, exc)
    if not application.may_take_part:
        programme_services.application_eligibility_override(
            application=application,
            by=coordinator,
            reason="Demo participant: included so the demo shows a proposed match.",
        )
    if application.status != Application.Status.ACCEPTED or application.cohort_id != cohort.pk:
        try:
            programme_services.applications_decide(
                programme=programme,
                by=coordinator,
                application_ids=[application.pk],
                decision="accept",
                cohort=cohort,
            )
        except RuleBroken as exc:
            logger.warning("Demo %s could not be accepted: %s", side, exc)
            return None
    application.refresh_from_db()
    return application


def _run(
    programme: Programme,
    cohort: Cohort,
    coordinator: Any,
    leader: Application | None = None,
    mentor: Application | None = None,
) -> MatchingRun | None:
    if MatchingRun.objects.filter(programme=programme, cohort=cohort, status="done").exists():
        return None
    try:
        run = services.run_start(
            programme=programme, by=coordinator, cohort=cohort, background=False
        )
    except MatchRuleBroken as exc:
        logger.warning("Demo matching of %s not run: %s", cohort, exc)
        return None
    if leader is not None and mentor is not None:
        # The demo leader and mentor are paired with each other when the rules allow it, so
        # both sides of the demo see the same proposal.
        rp = run_problem.build(run, resolve_locks=False)
        lp, mp = rp.pair_ids(leader.pk, mentor.pk)
        if rp.problem.check_pair(lp, mp).allowed:
            PairLock.objects.get_or_create(
                programme=programme, leader=leader, defaults={"mentor": mentor}
            )
    return services.run_execute(run_id=run.pk)


def _place(run: MatchingRun, application: Application, coordinator: Any) -> None:
    """Make sure a demo participant has a partner in the run (never against a hard rule)."""
    side = application.side
    if ProposedPair.objects.filter(run=run, **{side: application}).exists():
        return
    rp = run_problem.build(run, resolve_locks=False)
    if side == Side.LEADER:
        tries = [(application.pk, a) for a, s in rp.input.side_of.items() if s == Side.MENTOR]
    else:
        tries = [(a, application.pk) for a, s in rp.input.side_of.items() if s == Side.LEADER]
    for leader_id, mentor_id in tries:
        try:
            plan = plan_change(run, leader_id=leader_id, mentor_id=mentor_id, rp=rp)
            if plan.options and not plan.displaced:
                plan = plan_change(
                    run,
                    leader_id=leader_id,
                    mentor_id=mentor_id,
                    displace_id=plan.options[0].leader_id,
                    rp=rp,
                )
        except MatchRuleBroken:
            continue
        if plan.allowed:
            run.refresh_from_db()
            services.pair_change(
                run=run,
                leader_id=leader_id,
                mentor_id=mentor_id,
                displace_id=plan.displaced.leader_id if plan.displaced else None,
                by=coordinator,
                version=run.version,
            )
            return


@register_seeder
def seed_matching(context: DemoContext) -> None:
    programme = context.programme
    coordinator = context.users["coordinator"]
    cohorts = list(programme.cohorts.order_by("starts_on", "name"))
    if not cohorts:
        return
    spring, autumn = cohorts[0], cohorts[-1]
    mentor = _accepted(programme, context.users["mentor"], Side.MENTOR, spring, coordinator, None)
    like = programme_selectors.matching_profile(mentor) if mentor else None
    leader = _accepted(programme, context.users["leader"], Side.LEADER, spring, coordinator, like)
    run = _run(programme, spring, coordinator, leader, mentor)
    if run is not None and run.status == MatchingRun.Status.DONE:
        for application in (leader, mentor):
            if application is not None:
                _place(run, application, coordinator)
        run.refresh_from_db()
        try:
            services.run_publish(run=run, by=coordinator, version=run.version, notify=False)
        except MatchRuleBroken as exc:
            logger.warning("Demo run not published: %s", exc)
    if autumn.pk != spring.pk:
        _run(programme, autumn, coordinator)
