"""A coordinator's edits to a finished run: lock, unlock, exclude, change a partner.

Each edit checks the run's version (optimistic locking) and bumps it, so a coordinator acting
on a page another coordinator has since changed gets a conflict instead of a lost update.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from upward.programmes.models import Programme

from .. import problem as run_problem
from ..change import ChangePlan, plan_change
from ..errors import MatchRuleBroken
from ..inputs import LIVE
from ..models import (
    MatchingRun,
    PairExclusion,
    PairLock,
    Proposal,
    ProposedPair,
    RunChange,
    UnmatchedPerson,
)
from ._common import checked_run, log


def _pair_of(run: MatchingRun, leader_id: int) -> ProposedPair:
    pair = (
        ProposedPair.objects.filter(run=run, leader_id=leader_id)
        .select_related("leader__person", "mentor__person")
        .first()
    )
    if pair is None:
        raise MatchRuleBroken(f"That leader has no partner in run {run.number}.")
    return pair


def _published(pair: ProposedPair) -> bool:
    return Proposal.objects.filter(
        leader_id=pair.leader_id, mentor_id=pair.mentor_id, status__in=LIVE
    ).exists()


def pair_lock(*, run: MatchingRun, leader_id: int, by: Any, version: int | None) -> PairLock:
    """Keep this pair in every later run of the programme."""
    with transaction.atomic():
        run = checked_run(run, version)
        pair = _pair_of(run, leader_id)
        lock, _ = PairLock.objects.update_or_create(
            programme=run.programme,
            leader_id=pair.leader_id,
            defaults={"mentor_id": pair.mentor_id, "created_by": by},
        )
        log(
            run.programme,
            by,
            RunChange.Action.LOCKED,
            "Locked a pair",
            run,
            leader_id=pair.leader_id,
            mentor_id=pair.mentor_id,
        )
    return lock


def pair_unlock(*, run: MatchingRun, leader_id: int, by: Any, version: int | None) -> None:
    """Let later runs decide this pair again."""
    with transaction.atomic():
        run = checked_run(run, version)
        pair = _pair_of(run, leader_id)
        if _published(pair):
            raise MatchRuleBroken(
                "This pair has been proposed to both people, so it stays until one of them "
                "declines."
            )
        deleted, _ = PairLock.objects.filter(
            programme=run.programme, leader_id=pair.leader_id, mentor_id=pair.mentor_id
        ).delete()
        if not deleted:
            raise MatchRuleBroken(
                f"{pair.leader.person.name} with {pair.mentor.person.name} is not locked."
            )
        log(
            run.programme,
            by,
            RunChange.Action.UNLOCKED,
            "Unlocked a pair",
            run,
            leader_id=pair.leader_id,
            mentor_id=pair.mentor_id,
        )


def pair_exclude(
    *, run: MatchingRun, leader_id: int, by: Any, version: int | None
) -> PairExclusion:
    """Set a pair aside: it leaves this run and is never proposed again in the programme."""
    with transaction.atomic():
        run = checked_run(run, version)
        pair = _pair_of(run, leader_id)
        if _published(pair):
            raise MatchRuleBroken(
                "This pair has been proposed to both people, so it cannot be set aside; it ends "
                "only if one of them declines."
            )
        exclusion, _ = PairExclusion.objects.get_or_create(
            programme=run.programme,
            leader_id=pair.leader_id,
            mentor_id=pair.mentor_id,
            defaults={"reason": PairExclusion.Reason.COORDINATOR, "created_by": by},
        )
        PairLock.objects.filter(
            programme=run.programme, leader_id=pair.leader_id, mentor_id=pair.mentor_id
        ).delete()
        pair.delete()
        UnmatchedPerson.objects.create(
            run=run,
            application_id=pair.leader_id,
            side="leader",
            code="set_aside",
            reason="their pair was set aside by a coordinator; re-run to find a new partner",
        )
        if not ProposedPair.objects.filter(run=run, mentor_id=pair.mentor_id).exists():
            UnmatchedPerson.objects.get_or_create(
                run=run,
                application_id=pair.mentor_id,
                defaults={
                    "side": "mentor",
                    "code": "set_aside",
                    "reason": "their pair was set aside by a coordinator; re-run to find a new "
                    "partner",
                },
            )
        log(
            run.programme,
            by,
            RunChange.Action.EXCLUDED,
            "Set a pair aside",
            run,
            leader_id=pair.leader_id,
            mentor_id=pair.mentor_id,
        )
    return exclusion


def exclusion_remove(*, programme: Programme, exclusion_id: int, by: Any) -> None:
    """Allow a pair the coordinator set aside to be proposed again (declines stay)."""
    with transaction.atomic():
        exclusion = (
            PairExclusion.objects.select_for_update()
            .filter(programme=programme, pk=exclusion_id)
            .select_related("leader__person", "mentor__person")
            .first()
        )
        if exclusion is None:
            raise MatchRuleBroken("That exclusion has already been removed.")
        if exclusion.reason == PairExclusion.Reason.DECLINED:
            raise MatchRuleBroken(
                "A proposed match that did not go ahead is never proposed again, so this "
                "exclusion stays."
            )
        leader_id, mentor_id = exclusion.leader_id, exclusion.mentor_id
        exclusion.delete()
        log(
            programme,
            by,
            RunChange.Action.INCLUDED,
            "Allowed a pair again",
            leader_id=leader_id,
            mentor_id=mentor_id,
        )


def pair_change(
    *,
    run: MatchingRun,
    leader_id: int,
    mentor_id: int,
    displace_id: int | None,
    by: Any,
    version: int | None,
) -> ChangePlan:
    """Pair a leader with another mentor (manual match, move or swap), never breaking a hard
    rule. The new pairs are locked so that re-runs keep them."""
    with transaction.atomic():
        run = checked_run(run, version)
        rp = run_problem.build(run, resolve_locks=False)
        plan = plan_change(
            run, leader_id=leader_id, mentor_id=mentor_id, displace_id=displace_id, rp=rp
        )
        if plan.problems:
            raise MatchRuleBroken(" ".join(plan.problems))
        if plan.breaches:
            raise MatchRuleBroken(
                "This change is not possible: it breaks a rule that is never broken ("
                + "; ".join(plan.breaches)
                + ")."
            )
        _apply(run, plan, by)
        for row in plan.rows:
            log(
                run.programme,
                by,
                RunChange.Action.CHANGED,
                "Paired by hand" if row.after else "Left without a partner",
                run,
                leader_id=row.leader.pk,
                mentor_id=row.after.pk if row.after else None,
            )
    return plan


def _apply(run: MatchingRun, plan: ChangePlan, by: Any) -> None:
    leader, mentor = plan.leader, plan.mentor
    first = plan.rows[0]
    if plan.current is not None:
        old_mentor_id = plan.current.mentor_id
        plan.current.mentor = mentor
        plan.current.score = round(first.score_after or 0.0, 4)
        plan.current.explanation = first.criteria
        plan.current.source = ProposedPair.Source.MANUAL
        plan.current.save(update_fields=["mentor", "score", "explanation", "source"])
    else:
        old_mentor_id = None
        ProposedPair.objects.create(
            run=run,
            leader=leader,
            mentor=mentor,
            score=round(first.score_after or 0.0, 4),
            explanation=first.criteria,
            source=ProposedPair.Source.MANUAL,
        )
    UnmatchedPerson.objects.filter(run=run, application_id__in=[leader.pk, mentor.pk]).delete()
    locks = [(leader.pk, mentor.pk)]
    displaced = plan.displaced
    if displaced is not None:
        if old_mentor_id is not None:
            second = plan.rows[1]
            # The displaced leader takes the moving leader's old mentor (a swap).
            ProposedPair.objects.filter(pk=displaced.pk).update(
                mentor_id=old_mentor_id,
                score=round(second.score_after or 0.0, 4),
                explanation=second.criteria,
                source=ProposedPair.Source.MANUAL,
            )
            locks.append((displaced.leader_id, old_mentor_id))
        else:
            ProposedPair.objects.filter(pk=displaced.pk).delete()
            PairLock.objects.filter(programme=run.programme, leader_id=displaced.leader_id).delete()
            UnmatchedPerson.objects.create(
                run=run,
                application_id=displaced.leader_id,
                side="leader",
                code="replaced",
                reason="a coordinator gave their mentor's place to another leader",
            )
    elif (
        old_mentor_id is not None
        and not ProposedPair.objects.filter(run=run, mentor_id=old_mentor_id).exists()
    ):
        UnmatchedPerson.objects.create(
            run=run,
            application_id=old_mentor_id,
            side="mentor",
            code="moved",
            reason="a coordinator moved their leader to another mentor",
        )
    for lead, ment in locks:
        PairLock.objects.update_or_create(
            programme=run.programme,
            leader_id=lead,
            defaults={"mentor_id": ment, "created_by": by},
        )
