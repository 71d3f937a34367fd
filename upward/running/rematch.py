"""The no-fault rematch a coordinator offers after a low fit check.

It ends the pair through the pairs' own lifecycle (``pair_move``), closes its proposal and sets
the two people apart the way a declined match is (so neither is proposed to the other again and
both count as waiting for a rematch), records it in the matching history, and tells each person
privately by email. Nobody learns who reported the low fit, and it costs neither person anything.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from upward.accounts.permissions import can_coordinate
from upward.matches.models import PairExclusion, Proposal, RunChange
from upward.matches.services._common import log
from upward.notifications.services import notify
from upward.pairs.models import Pair
from upward.pairs.services import pair_move

from .errors import RunningRuleBroken
from .models import CheckIn
from .selectors import LOW_FIT

logger = logging.getLogger(__name__)

PAIR_NOTE = "Ended for a no-fault rematch"


def rematch_possible(pair: Pair) -> bool:
    """A live pair with a low fit reported (the condition for offering a rematch)."""
    return (
        pair.live
        and CheckIn.objects.filter(
            pair=pair, kind=CheckIn.Kind.FIT, score__isnull=False, score__lte=LOW_FIT
        ).exists()
    )


def rematch_offer(*, pair: Pair, by: Any, version: int | None) -> Pair:
    """End the pair without fault and put both people back for matching. Refused, with nothing
    changed, for anyone but the programme's coordinators, for a pair already finished, for a
    pair with no low fit reported, and for a stale version of the pair."""
    if not can_coordinate(by, pair.programme):
        raise RunningRuleBroken("Only the programme's coordinators can offer a rematch.")
    if version is None:
        raise RunningRuleBroken("Reload the page: the version of the pair you saw is missing.")
    if not pair.live:
        raise RunningRuleBroken("This pair has already finished: there is nothing to rematch.")
    if not rematch_possible(pair):
        raise RunningRuleBroken(
            "A rematch is offered after a low fit check, and neither person reported one."
        )
    with transaction.atomic():
        pair_move(pair=pair, action="end", by=by, version=version, note=PAIR_NOTE)
        if pair.proposal_id is not None:
            proposal = Proposal.objects.select_for_update().get(pk=pair.proposal_id)
            if proposal.status != Proposal.Status.DECLINED:
                proposal.status = Proposal.Status.DECLINED
                proposal.closed_at = timezone.now()
                proposal.leader_accepted_at = None
                proposal.mentor_accepted_at = None
                proposal.save(
                    update_fields=[
                        "status",
                        "closed_at",
                        "leader_accepted_at",
                        "mentor_accepted_at",
                    ]
                )
        PairExclusion.objects.get_or_create(
            programme=pair.programme,
            leader_id=pair.leader_id,
            mentor_id=pair.mentor_id,
            defaults={"reason": PairExclusion.Reason.DECLINED, "created_by": None},
        )
        log(
            pair.programme,
            by,
            RunChange.Action.DECLINED,
            "A pair ended for a no-fault rematch after the fit check",
            leader_id=pair.leader_id,
            mentor_id=pair.mentor_id,
        )
        for application in (pair.leader, pair.mentor):
            if application.user_id is not None:
                transaction.on_commit(partial(_tell, pair.pk, application.pk))
    logger.info("pair %s ended for a no-fault rematch", pair.pk)
    return pair


def _tell(pair_id: int, application_id: int) -> None:
    """The same private, neutral email to each of the two people: it names nobody's answer."""
    pair = Pair.objects.select_related("programme", "leader__person", "mentor__person").get(
        pk=pair_id
    )
    application = pair.leader if pair.leader_id == application_id else pair.mentor
    user = application.user
    if user is None or not user.email:
        return
    notify(
        to=user,
        event="rematch",
        subject=f"A new mentoring partner for you in {pair.programme.name}",
        context={"name": application.person.name},
        programme=pair.programme,
    )
