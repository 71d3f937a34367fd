"""Nudges: a reminder email to each person of an active pair that has gone quiet, has overdue
goals, or has their check-in unanswered. At most once per period (the site's
RUNNING_NUDGE_MIN_DAYS, or longer when the person chose so); never for those who said never.

Run daily: the ``send_nudges`` task, or ``upward running-nudges`` from cron.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from upward.notifications.services import QUEUED, SENT, notify
from upward.pairs.models import Pair

from .models import CheckIn, Goal, Nudge, NudgePreference
from .selectors import quiet_weeks_of
from .zones import shown_in

logger = logging.getLogger(__name__)


def min_days() -> int:
    return int(getattr(settings, "RUNNING_NUDGE_MIN_DAYS", 7))


def nudges_send(*, now: dt.datetime | None = None) -> int:
    """Send the nudges due at ``now`` (the clock is a parameter so tests can fix it)."""
    now = now or timezone.now()
    today = now.date()
    pairs = list(
        Pair.objects.filter(state=Pair.State.ACTIVE)
        .select_related("programme", "leader__person", "mentor__person")
        .annotate(last_held=Max("meetings__starts_at", filter=Q(meetings__state="held")))
    )
    pair_ids = [p.pk for p in pairs]
    # Each programme's own quiet weeks (the site's default where it set none).
    weeks_of = quiet_weeks_of({p.programme_id for p in pairs})
    overdue: dict[tuple[int, int], int] = {}
    for pair_id, owner_id in Goal.objects.filter(
        pair_id__in=pair_ids, due_on__lt=today, progress__lt=100
    ).values_list("pair_id", "owner_id"):
        overdue[(pair_id, owner_id)] = overdue.get((pair_id, owner_id), 0) + 1
    unanswered = set(
        CheckIn.objects.filter(
            pair_id__in=pair_ids, answered_at__isnull=True, due_on__lte=today
        ).values_list("pair_id", "user_id")
    )
    choices = dict(NudgePreference.objects.values_list("user_id", "every_days"))
    last_sent = dict(
        Nudge.objects.values("user_id").annotate(last=Max("sent_at")).values_list("user_id", "last")
    )
    sent = 0
    for pair in pairs:
        weeks = weeks_of[pair.programme_id]
        last_held = pair.last_held  # type: ignore[attr-defined]
        quiet = (last_held or pair.state_since) < now - dt.timedelta(weeks=weeks)
        for mine, theirs in ((pair.leader, pair.mentor), (pair.mentor, pair.leader)):
            user_id = mine.user_id
            if user_id is None:
                continue
            every = choices.get(user_id, NudgePreference.Every.WEEK)
            if every == NudgePreference.Every.NEVER:
                continue
            period = dt.timedelta(days=max(every, min_days()))
            last = last_sent.get(user_id)
            if last is not None and now - last < period:
                continue
            reasons = []
            if quiet:
                # Times read in the person's own time zone, as on their pages.
                reasons.append(
                    f"You and {theirs.person.name} have not met since "
                    f"{shown_in(last_held, mine.person.time_zone)}, {weeks} weeks or more ago."
                    if last_held
                    else f"You and {theirs.person.name} have not met yet, {weeks} weeks or more "
                    "after your pairing began."
                )
            if overdue.get((pair.pk, user_id)):
                n = overdue[(pair.pk, user_id)]
                reasons.append(f"{n} of your goals {'is' if n == 1 else 'are'} past the due date.")
            if (pair.pk, user_id) in unanswered:
                reasons.append("A check-in is waiting for your answer.")
            if not reasons:
                continue
            to = mine.person.email
            if not to:
                continue
            with transaction.atomic():
                outcome = notify(
                    to=to,
                    user_id=user_id,
                    event="nudge",
                    subject=f"Your mentoring in {pair.programme.name}",
                    context={"name": mine.person.name, "reasons": reasons},
                    programme=pair.programme,
                    pair=pair,
                )
                if outcome not in (SENT, QUEUED):
                    continue  # they chose no reminders by email: nothing sent, nothing counted
                Nudge.objects.create(user_id=user_id, pair=pair, reasons=reasons, sent_at=now)
            last_sent[user_id] = now
            sent += 1
    logger.info("nudges sent: %d", sent)
    return sent


def nudge_preference_set(*, user: Any, every_days: int) -> NudgePreference:
    if every_days not in NudgePreference.Every.values:
        raise ValueError("Choose once a week, a fortnight, a month, or never.")
    with transaction.atomic():
        found, _ = NudgePreference.objects.update_or_create(
            user=user, defaults={"every_days": every_days}
        )
    return found


__all__ = ["nudge_preference_set", "nudges_send"]
