"""Writes of the pair's lifecycle, each one keyword-only service in one transaction.

Activation is gated by preparation (training and the signed agreement): it calls
``pair_move`` once the gate is open. Every other change checks the pair's version.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from upward.programmes.models import Programme

from .errors import PairRuleBroken, PairVersionConflict
from .models import Pair, PairEvent
from .permissions import can_change_state

logger = logging.getLogger(__name__)

# Called with the new pair, in the same transaction, by apps that start something for every
# pair (preparation drafts the agreement). Registered in their ``AppConfig.ready()``.
FORMED_HOOKS: list[Callable[[Pair], object]] = []
# Called as ``hook(pair=, action=, by=, reason=)`` in the transaction of every pause, resume,
# end or completion asked for by a person or a coordinator (support tells the other person
# neutrally and passes a reason to the coordinators). Registered in ``AppConfig.ready()``.
STATE_HOOKS: list[Callable[..., object]] = []
# Steps either person may take without fault: neither their name nor their reason goes into the
# pair's history, which both people read.
NO_FAULT = ("pause", "end")

S = Pair.State
# action: (states it may start from, state it leads to, event recorded)
ACTIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "activate": ((S.PREPARING,), S.ACTIVE, PairEvent.Action.ACTIVATED),
    "pause": ((S.ACTIVE,), S.PAUSED, PairEvent.Action.PAUSED),
    "resume": ((S.PAUSED,), S.ACTIVE, PairEvent.Action.RESUMED),
    "complete": ((S.ACTIVE, S.PAUSED), S.COMPLETED, PairEvent.Action.COMPLETED),
    "end": ((S.PREPARING, S.ACTIVE, S.PAUSED), S.ENDED, PairEvent.Action.ENDED),
}
REFUSALS = {
    "activate": "Only a pair that is still preparing can become active.",
    "pause": "Only an active pair can be paused.",
    "resume": "Only a paused pair can be resumed.",
    "complete": "Only an active or paused pair can be completed.",
    "end": "This pair has already finished.",
}


def pair_create_from_proposal(*, proposal: Any) -> Pair:
    """Form the pair of a confirmed proposal (called in the transaction that confirms it)."""
    existing = Pair.objects.filter(proposal=proposal).first()
    if existing is not None:
        return existing
    leader = proposal.leader
    now = proposal.closed_at or timezone.now()
    pair = Pair.objects.create(
        programme_id=proposal.programme_id,
        cohort_id=leader.cohort_id or proposal.mentor.cohort_id,
        proposal=proposal,
        leader_id=proposal.leader_id,
        mentor_id=proposal.mentor_id,
        reciprocal=proposal.programme.kind == Programme.Kind.RECIPROCAL,
        since=now,
        state_since=now,
    )
    PairEvent.objects.create(pair=pair, action=PairEvent.Action.CREATED)
    for hook in FORMED_HOOKS:
        hook(pair)
    logger.info("pair %s formed from proposal %s", pair.pk, proposal.pk)
    return pair


def locked_pair(pair: Pair, version: int | None) -> Pair:
    """The pair, locked for this transaction, if nobody changed it since ``version`` was read.
    Call inside ``transaction.atomic()``; ``version=None`` skips the check (system changes)."""
    current = Pair.objects.select_for_update().get(pk=pair.pk)
    if version is not None and current.version != version:
        raise PairVersionConflict("pair", current.version)
    return current


def bump(pair: Pair) -> None:
    Pair.objects.filter(pk=pair.pk).update(version=F("version") + 1)
    pair.refresh_from_db(fields=["version"])


def pair_move(*, pair: Pair, action: str, by: Any, version: int | None, note: str = "") -> Pair:
    """Move the pair along its lifecycle. Permission is the caller's to check."""
    if action not in ACTIONS:
        raise PairRuleBroken(f"Unknown change: {action!r}.")
    starts, to, event = ACTIONS[action]
    with transaction.atomic():
        current = locked_pair(pair, version)
        if current.state not in starts:
            raise PairRuleBroken(REFUSALS[action])
        current.state = to
        current.state_since = timezone.now()
        current.save(update_fields=["state", "state_since"])
        bump(current)
        PairEvent.objects.create(
            pair=current,
            action=event,
            actor=by if getattr(by, "pk", None) else None,
            note=note[:1000],
        )
    pair.state, pair.state_since, pair.version = current.state, current.state_since, current.version
    return pair


def pair_state_change(
    *, pair: Pair, action: str, by: Any, version: int | None, note: str = ""
) -> Pair:
    """Pause, resume, end or complete a pair, as one of its people or a coordinator.
    Activation is not done here: it follows from preparation. When one of the two people pauses
    or ends, the history records neither who did it nor why: the reason goes to the
    coordinators only (through ``STATE_HOOKS``)."""
    if action == "activate":
        raise PairRuleBroken(
            "A pair becomes active by itself once both have finished their training and signed "
            "the agreement, or a coordinator has waived what is missing."
        )
    if action not in ACTIONS:
        raise PairRuleBroken("Choose pause, resume, end or complete.")
    if not can_change_state(by, pair, action):
        raise PairRuleBroken("Only a coordinator can mark a pair as completed.")
    if version is None:
        raise PairRuleBroken("Reload the page: the version of the pair you saw is missing.")
    no_fault = action in NO_FAULT and pair.side_of(by) is not None
    with transaction.atomic():
        pair_move(
            pair=pair,
            action=action,
            by=None if no_fault else by,
            version=version,
            note="" if no_fault else note,
        )
        for hook in STATE_HOOKS:
            hook(pair=pair, action=action, by=by, reason=note.strip()[:1000] if no_fault else "")
    return pair
