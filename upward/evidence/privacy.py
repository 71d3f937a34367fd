"""What evidence holds about a person: only which surveys they answered. Their answers are not
linked to them, so they cannot be exported or erased as theirs (that is the point)."""

from __future__ import annotations

from typing import Any

from upward.privacy.registry import DataSubject

from .models import Participation


def export_evidence(subject: DataSubject) -> dict[str, Any]:
    if subject.user is None:
        return {"surveys_answered": []}
    return {
        "surveys_answered": [
            p.campaign.title
            for p in Participation.objects.filter(user=subject.user).select_related("campaign")
        ],
        "note": "Survey answers are stored without your name, so they cannot be listed here.",
    }


def erase_evidence(subject: DataSubject) -> dict[str, int]:
    from upward.privacy.services import delete_with_history

    if subject.user is None:
        return {"participations": 0}
    return {"participations": delete_with_history(Participation.objects.filter(user=subject.user))}
