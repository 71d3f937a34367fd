"""What notifications hold about a person (their choices, and the emails queued or sent to
them), for their own export and erasure, and what goes when a programme's retention ends."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from upward.privacy.registry import DataSubject

from . import catalogue
from .models import Notice, Preference


def export_notifications(subject: DataSubject) -> dict[str, Any]:
    user = subject.user
    out: dict[str, Any] = {"choices": {}, "emails_queued_or_sent": []}
    if user is None:
        return out
    out["choices"] = {
        catalogue.CATEGORIES[p.category].name
        if p.category in catalogue.CATEGORIES
        else p.category: p.every
        for p in Preference.objects.filter(user=user)
    }
    out["emails_queued_or_sent"] = [
        {
            "email": n.event,
            "subject": n.subject,
            "text_waiting_for_the_digest": n.body,
            "in_a_digest": n.digest,
            "queued_at": n.created_at,
            "sent_at": n.sent_at,
        }
        for n in Notice.objects.filter(user=user)
    ]
    return out


def erase_notifications(subject: DataSubject) -> dict[str, int]:
    user = subject.user
    if user is None:
        return {"choices": 0, "notices": 0}
    return {
        "choices": Preference.objects.filter(user=user).delete()[0],
        "notices": Notice.objects.filter(user=user).delete()[0],
    }


def purge_notifications(programme: Any) -> dict[str, int]:
    return {
        "notices_deleted": Notice.objects.filter(
            Q(programme=programme) | Q(pair__programme=programme)
        ).delete()[0]
    }
