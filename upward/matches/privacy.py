"""What matching holds about a person, for their subject access export, and what goes when a
programme's retention period ends."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from upward.privacy.registry import DataSubject

from .models import (
    MatchingRun,
    PairExclusion,
    PairLock,
    Proposal,
    ProposedPair,
    RunChange,
    UnmatchedPerson,
)


def export_matching(subject: DataSubject) -> dict[str, Any]:
    person = subject.person
    if person is None:
        return {"proposals": [], "proposed_pairs": [], "left_unmatched": []}
    mine = Q(leader__person=person) | Q(mentor__person=person)
    proposals = Proposal.objects.filter(mine).select_related(
        "programme", "leader__person", "mentor__person"
    )
    out_proposals = []
    for p in proposals:
        side = "leader" if p.leader.person_id == person.pk else "mentor"
        declined = p.status == Proposal.Status.DECLINED
        partner = p.mentor if side == "leader" else p.leader
        accepted = p.leader_accepted_at if side == "leader" else p.mentor_accepted_at
        out_proposals.append(
            {
                "programme": p.programme.name,
                "as": side,
                "status": p.get_status_display(),
                "partner": None if declined else partner.person.name,
                "published_at": p.published_at,
                "you_accepted_at": accepted,
                "introduction": p.introduction_for_leader
                if side == "leader"
                else p.introduction_for_mentor,
            }
        )
    pairs = ProposedPair.objects.filter(mine).select_related(
        "run__programme", "leader__person", "mentor__person"
    )
    unmatched = UnmatchedPerson.objects.filter(application__person=person).select_related(
        "run__programme"
    )
    return {
        "proposals": out_proposals,
        "proposed_pairs": [
            {
                "programme": p.run.programme.name,
                "run": p.run.number,
                "as": "leader" if p.leader.person_id == person.pk else "mentor",
                "partner": (p.mentor if p.leader.person_id == person.pk else p.leader).person.name,
                "score": p.score,
                "explanation": p.explanation,
            }
            for p in pairs
        ],
        "left_unmatched": [
            {"programme": u.run.programme.name, "run": u.run.number, "reason": u.reason}
            for u in unmatched
        ],
    }


def purge_matching(programme: Any) -> dict[str, int]:
    """Everything matching holds about the programme's people goes at the end of retention."""
    from upward.privacy.services import delete_with_history

    counts = {
        "proposals_deleted": delete_with_history(Proposal.objects.filter(programme=programme)),
        "locks_deleted": delete_with_history(PairLock.objects.filter(programme=programme)),
        "exclusions_deleted": delete_with_history(
            PairExclusion.objects.filter(programme=programme)
        ),
        "changes_deleted": delete_with_history(RunChange.objects.filter(programme=programme)),
    }
    counts["runs_deleted"] = delete_with_history(MatchingRun.objects.filter(programme=programme))
    return counts
