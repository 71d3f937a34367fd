"""Activation: a pair becomes active once both people have finished their required training
and signed the current agreement, or a coordinator has waived what is missing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from upward.accounts.permissions import can_coordinate
from upward.pairs.models import Pair, PairEvent
from upward.pairs.services import bump, locked_pair, pair_move

from .. import gate
from ..errors import PreparationRuleBroken
from ..models import Waiver


def pairs_activate_ready(*, pairs: Iterable[Pair], by: Any, base_url: str = "") -> list[int]:
    """Activate every preparing pair among ``pairs`` whose gate is open; tell both people.
    Call inside the transaction of the change that may have opened the gate."""
    preparing = list(
        Pair.objects.filter(
            pk__in=[p.pk for p in pairs], state=Pair.State.PREPARING
        ).select_related("leader", "mentor")
    )
    activated = []
    statuses = gate.statuses(preparing)
    for pair in preparing:
        if statuses[pair.pk].ready:
            pair_move(
                pair=pair,
                action="activate",
                by=by,
                version=None,
                note="Both are prepared and have signed the agreement.",
            )
            activated.append(pair.pk)
    if activated:
        from ..tasks import send_activation_emails

        transaction.on_commit(lambda: send_activation_emails.enqueue(activated, base_url))
    return activated


def requirement_waive(
    *, pair: Pair, requirement: str, reason: str, by: Any, version: int | None, base_url: str = ""
) -> Waiver:
    """Set aside one requirement of activation for this pair, with the reason (logged)."""
    if requirement not in gate.REQUIREMENTS:
        raise PreparationRuleBroken("Choose which requirement to waive from the list.")
    reason = (reason or "").strip()
    if not reason:
        raise PreparationRuleBroken(
            "Give a reason for waiving it: it is kept in the pair's history."
        )
    if len(reason) > 1000:
        raise PreparationRuleBroken("Keep the reason under 1,000 characters.")
    if not can_coordinate(by, pair.programme):
        raise PreparationRuleBroken("Only the programme's coordinators can waive a requirement.")
    if version is None:
        raise PreparationRuleBroken("Reload the page: the version of the pair you saw is missing.")
    with transaction.atomic():
        current = locked_pair(pair, version)
        if current.state != Pair.State.PREPARING:
            raise PreparationRuleBroken("Only a pair that is still preparing waits for anything.")
        current = Pair.objects.select_related("programme", "leader__person", "mentor__person").get(
            pk=current.pk
        )
        status = gate.status_of(current)
        if requirement in status.waived:
            raise PreparationRuleBroken("That requirement has already been waived for this pair.")
        if requirement not in status.waits_for:
            raise PreparationRuleBroken(
                f"{gate.requirement_words(current, requirement)} is already done: nothing to waive."
            )
        waiver = Waiver.objects.create(pair=current, requirement=requirement, reason=reason, by=by)
        PairEvent.objects.create(
            pair=current,
            action=PairEvent.Action.WAIVED,
            actor=by,
            # Names stay out of the history: the requirement says which side.
            note=f"{Waiver.Requirement(requirement).label} waived: {reason}",
        )
        bump(current)
        pairs_activate_ready(pairs=[current], by=by, base_url=base_url)
    return waiver
