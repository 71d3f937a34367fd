"""Demo data for matching the programme past matching: the spring cohort published three
weeks ago with most pairs confirmed (the demo leader and mentor with each other), one declined
and rematched, two waiting for a reply; the autumn cohort matched and ready to review.

Idempotent: a programme that already has runs is left as it is.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.utils import timezone

from upward.core.demo import DemoContext, register_seeder
from upward.programmes import selectors as programme_selectors
from upward.programmes.models import Application, Cohort, Programme, Side

from . import problem as run_problem
from . import services
from .change import plan_change
from .errors import MatchRuleBroken
from .models import MatchingRun, PairLock, Proposal, ProposedPair

logger = logging.getLogger(__name__)


def _accepted(programme: Programme, user: Any, cohort: Cohort) -> Application | None:
    """The demo participant's application, when it is accepted into the cohort."""
    person = programme_selectors.person_of(user)
    if person is None:
        return None
    return Application.objects.filter(
        programme=programme,
        person=person,
        status=Application.Status.ACCEPTED,
        cohort=cohort,
    ).first()


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


def _confirm(proposals: list[Proposal], when: dt.datetime) -> None:
    """Both people accepted, in the days after publication (seeded, so no email goes out)."""
    for index, proposal in enumerate(proposals):
        leader_at = when + dt.timedelta(days=1 + index % 4, hours=index % 7)
        mentor_at = when + dt.timedelta(days=2 + index % 5, hours=index % 5)
        Proposal.objects.filter(pk=proposal.pk).update(
            leader_accepted_at=leader_at,
            mentor_accepted_at=mentor_at,
            status=Proposal.Status.CONFIRMED,
            closed_at=max(leader_at, mentor_at),
        )


def _backdate(run: MatchingRun, when: dt.datetime) -> None:
    MatchingRun.objects.filter(pk=run.pk).update(
        created_at=when - dt.timedelta(hours=2),
        started_at=when - dt.timedelta(hours=2),
        finished_at=when - dt.timedelta(hours=1),
        published_at=when if run.published_at else None,
    )
    Proposal.objects.filter(run=run).update(published_at=when)


def _publish(run: MatchingRun, coordinator: Any) -> list[Proposal]:
    run.refresh_from_db()
    try:
        return services.run_publish(run=run, by=coordinator, version=run.version, notify=False)
    except MatchRuleBroken as exc:
        logger.warning("Demo run not published: %s", exc)
        return []


@register_seeder
def seed_matching(context: DemoContext) -> None:
    """The spring cohort matched and published three weeks ago: the demo leader and mentor are
    each other's confirmed partner, most pairs are confirmed, one pair declined and both people
    were rematched a week ago, and two pairs still wait for one reply. The autumn cohort is
    matched and ready to review."""
    programme = context.programme
    coordinator = context.users["coordinator"]
    cohorts = list(programme.cohorts.order_by("starts_on", "name"))
    if not cohorts or MatchingRun.objects.filter(programme=programme).exists():
        return
    spring, autumn = cohorts[0], cohorts[-1]
    mentor = _accepted(programme, context.users["mentor"], spring)
    leader = _accepted(programme, context.users["leader"], spring)
    run = _run(programme, spring, coordinator, leader, mentor)
    now = timezone.now()
    if run is not None and run.status == MatchingRun.Status.DONE:
        for application in (leader, mentor):
            if application is not None:
                _place(run, application, coordinator)
        proposals = sorted(_publish(run, coordinator), key=lambda p: p.pk)
        published = now - dt.timedelta(days=21)
        run.refresh_from_db()
        _backdate(run, published)
        # The demo people's own matches are confirmed, so each sees a confirmed match.
        ours = {a.pk for a in (leader, mentor) if a is not None}
        demo = [p for p in proposals if p.leader_id in ours or p.mentor_id in ours]
        others = [p for p in proposals if p not in demo]
        declined, waiting = others[:1], others[1:3]
        _confirm(demo + others[3:], published)
        for index, proposal in enumerate(waiting):
            # One side answered; the other has not yet, so the coordinator can remind them.
            side = "leader" if index % 2 == 0 else "mentor"
            Proposal.objects.filter(pk=proposal.pk).update(
                **{f"{side}_accepted_at": published + dt.timedelta(days=2)}
            )
        for proposal in declined:
            proposal.refresh_from_db()
            # Seeded as past: both people were told at the time, so no email goes out now.
            services.proposal_decline(proposal=proposal, user=proposal.leader.user, notify=False)
            Proposal.objects.filter(pk=proposal.pk).update(
                closed_at=published + dt.timedelta(days=6)
            )
        if declined:
            rematch = _rematch(programme, run, coordinator)
            if rematch is not None:
                again = _publish(rematch, coordinator)
                rematch.refresh_from_db()
                _backdate(rematch, now - dt.timedelta(days=7))
                _confirm(again[:1], now - dt.timedelta(days=7))
    if autumn.pk != spring.pk:
        _run(programme, autumn, coordinator)


def _rematch(programme: Programme, based_on: MatchingRun, coordinator: Any) -> MatchingRun | None:
    try:
        run = services.run_start(
            programme=programme,
            by=coordinator,
            based_on=based_on,
            purpose=MatchingRun.Purpose.REMATCH,
            background=False,
        )
    except MatchRuleBroken as exc:
        logger.warning("Demo rematch not run: %s", exc)
        return None
    done = services.run_execute(run_id=run.pk)
    return done if done.status == MatchingRun.Status.DONE else None
