"""Reminders to people behind on their training, at most once per configured period.

The coordinator asks; the background worker sends.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from upward.accounts.permissions import can_coordinate
from upward.notifications.services import notify
from upward.programmes.models import Programme

from ..errors import PreparationRuleBroken
from ..models import PreparationSettings, TrainingReminder
from ..selectors import people_behind


def training_reminders_request(*, programme: Programme, by: Any, base_url: str = "") -> None:
    if not can_coordinate(by, programme):
        raise PreparationRuleBroken("Only the programme's coordinators can send reminders.")
    if not people_behind(programme):
        raise PreparationRuleBroken("Nobody is behind on their training: no reminders to send.")
    from ..tasks import send_training_reminders

    transaction.on_commit(lambda: send_training_reminders.enqueue(programme.pk, base_url))


def training_reminders_send(*, programme_id: int, base_url: str = "") -> int:
    """Email everyone behind who has not had a reminder within the period. Returns how many."""
    programme = Programme.objects.get(pk=programme_id)
    every = (
        PreparationSettings.objects.filter(programme=programme)
        .values_list("reminder_every_days", flat=True)
        .first()
        or 7
    )
    since = timezone.now() - dt.timedelta(days=every)
    recent = set(
        TrainingReminder.objects.filter(programme=programme, sent_at__gte=since).values_list(
            "user_id", flat=True
        )
    )
    url = base_url.rstrip("/") + reverse("preparation:training") if base_url else ""
    sent = 0
    for person in people_behind(programme):
        if person.user_id in recent or not person.email:
            continue
        notify(
            to=person.email,
            user_id=person.user_id,
            event="training_reminder",
            subject=f"Your training for {programme.name}",
            context={"person": person, "programme": programme, "url": url},
            base_url=base_url,
            programme=programme,
        )
        TrainingReminder.objects.create(programme=programme, user_id=person.user_id)
        sent += 1
    return sent
