"""Matching objects for the access matrix's test world (``upward/privacy/tests``): a finished
run of programme A pairing the world's leader with its mentor, published as a proposal, and a
pair set aside. Made once per world, when the matrix first needs them."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from upward.matches.inputs import run_settings
from upward.matches.models import MatchingRun, PairExclusion, Proposal, ProposedPair


def matching(w: Any) -> SimpleNamespace:
    made = getattr(w, "matching_objects", None)
    if made is not None:
        return made  # type: ignore[no-any-return]
    now = timezone.now()
    run = MatchingRun.objects.create(
        programme=w.programme_a,
        number=1,
        status=MatchingRun.Status.DONE,
        stage=MatchingRun.Stage.FINISHED,
        progress=1.0,
        policy={"settings": run_settings(w.programme_a)},
        leaders_count=1,
        mentors_count=1,
        finished_at=now,
    )
    pair = ProposedPair.objects.create(
        run=run, leader=w.leader_application, mentor=w.mentor_application, score=50.0
    )
    proposal = Proposal.objects.create(
        programme=w.programme_a,
        run=run,
        leader=w.leader_application,
        mentor=w.mentor_application,
        score=50.0,
        introduction_for_leader=["You are both usually free for about 3 hours a week."],
        introduction_for_mentor=["You are both usually free for about 3 hours a week."],
        published_at=now,
    )
    exclusion = PairExclusion.objects.create(
        programme=w.programme_a,
        leader=w.leader_application,
        mentor=w.mentor_application,
        reason=PairExclusion.Reason.COORDINATOR,
    )
    made = SimpleNamespace(run=run, pair=pair, proposal=proposal, exclusion=exclusion)
    w.matching_objects = made
    return made


def path_values(w: Any) -> dict[str, Any]:
    """Values for the matching API's path parameters, by name."""
    m = matching(w)
    return {
        "number": m.run.number,
        "leader_id": w.leader_application.pk,
        "proposal_id": m.proposal.pk,
    }


def run_kwargs(w: Any) -> dict[str, Any]:
    return {"slug": w.programme_a.slug, "number": matching(w).run.number}
