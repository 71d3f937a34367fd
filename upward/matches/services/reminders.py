"""Reminding whoever has not answered a proposal, at most once a period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from upward.programmes.models import Programme

from ..errors import MatchRuleBroken
from ..models import Proposal, RunChange
from ._common import log

# A person is reminded at most this often, however many times the coordinator asks.
REMINDER_PERIOD = dt.timedelta(days=3)


def next_reminder_at(proposal: Proposal) -> dt.datetime | None:
    """When the next reminder may go out (None: it may go now)."""
    if proposal.reminded_at is None:
        return None
    due = proposal.reminded_at + REMINDER_PERIOD
    return due if due > timezone.now() else None


def proposal_remind(
    *, programme: Programme, proposal_id: int, by: Any, base_url: str = ""
) -> Proposal:
    """Email the person (or both) who has not answered a proposal yet. Refused when the
    proposal is answered or closed, or when a reminder went out less than a period ago."""
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update()
            .filter(programme=programme, pk=proposal_id)
            .select_related("leader__person", "mentor__person")
            .first()
        )
        if proposal is None:
            raise MatchRuleBroken("There is no such proposal in this programme.")
        if proposal.status != Proposal.Status.PENDING:
            raise MatchRuleBroken(
                "This proposal is no longer waiting for an answer, so there is nobody to remind."
            )
        due = next_reminder_at(proposal)
        if due is not None:
            raise MatchRuleBroken(
                f"A reminder went out on {timezone.localtime(proposal.reminded_at):%d %B at %H:%M}"
                f". The next one can go from {timezone.localtime(due):%d %B at %H:%M}, so "
                "nobody is chased more than once every few days."
            )
        proposal.reminded_at = timezone.now()
        proposal.save(update_fields=["reminded_at"])
        log(
            programme,
            by,
            RunChange.Action.REMINDED,
            "Reminder sent about a proposal waiting for an answer",
            leader_id=proposal.leader_id,
            mentor_id=proposal.mentor_id,
        )
        from ..tasks import send_match_emails

        ids = [proposal.pk]
        transaction.on_commit(lambda: send_match_emails.enqueue("reminder", ids, base_url))
    return proposal
