"""Pairs for tests, made the way production makes them: a published proposal both accept."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from upward.matches import services as match_services
from upward.matches.models import MatchingRun, Proposal
from upward.pairs.models import Pair
from upward.programmes.models import Application, Programme, Side


def application(programme: Programme, user: Any, side: str, cohort: Any = None) -> Application:
    found = Application.objects.filter(programme=programme, person=user.person).first()
    if found is not None:
        return found
    return Application.objects.create(
        programme=programme,
        person=user.person,
        user=user,
        side=side,
        status=Application.Status.ACCEPTED,
        cohort=cohort,
    )


def run_of(programme: Programme) -> MatchingRun:
    run = MatchingRun.objects.filter(programme=programme).first()
    if run is None:
        run = MatchingRun.objects.create(
            programme=programme, number=1, status=MatchingRun.Status.DONE, progress=1.0
        )
    return run


def proposal(programme: Programme, leader: Any, mentor: Any, cohort: Any = None) -> Proposal:
    return Proposal.objects.create(
        programme=programme,
        run=run_of(programme),
        leader=application(programme, leader, Side.LEADER, cohort),
        mentor=application(programme, mentor, Side.MENTOR, cohort),
        score=50.0,
        published_at=timezone.now(),
    )


def make_pair(programme: Programme, leader: Any, mentor: Any, cohort: Any = None) -> Pair:
    """Both accept a proposal; the pair forms in the same transaction."""
    p = proposal(programme, leader, mentor, cohort)
    match_services.proposal_accept(proposal=p, user=leader)
    match_services.proposal_accept(proposal=p, user=mentor)
    return Pair.objects.select_related("programme", "leader__person", "mentor__person").get(
        proposal=p
    )


def colleague(org: Any, email: str, offset: int) -> Any:
    """Another person of the organisation with an account (for second pairs)."""
    from personas import make_user
    from upward.directory.models import Person

    person = Person.objects.filter(organisation=org, user__isnull=True).order_by("employee_id")[
        offset
    ]
    return make_user(email, person=person)
