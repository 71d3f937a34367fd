"""What support holds about a person, for their export and erasure, and what goes when a
programme's retention ends. A concern is exported to its raiser only: a handler's export, or
the other person's, says nothing about it."""

from __future__ import annotations

from typing import Any

from upward.privacy.registry import DataSubject

from .models import Concern, ConcernMessage, ExitReason, Pulse, StrainFlag


def export_support(subject: DataSubject) -> dict[str, Any]:
    if subject.user is None:
        return {"concerns": [], "pulses": []}
    concerns = Concern.objects.filter(raiser=subject.user).select_related("programme")
    return {
        "concerns": [
            {
                "programme": c.programme.name,
                "about": c.get_about_display(),
                "anonymous": c.anonymous,
                "state": c.get_state_display(),
                "raised_at": c.created_at,
                "text": c.body,
                "outcome": c.outcome,
                "thread": [
                    {"from_you": m.from_raiser, "when": m.created_at, "text": m.body}
                    for m in c.messages.all()
                ],
            }
            for c in concerns
        ],
        "pulses": [
            {"meeting_day": p.on, "energy": p.energy, "strain": p.strain}
            for p in Pulse.objects.filter(mentor=subject.user)
        ],
    }


def erase_support(subject: DataSubject) -> dict[str, int]:
    from upward.privacy.services import delete_with_history

    if subject.user is None:
        return {"concerns_deleted": 0}
    mine = Concern.objects.filter(raiser=subject.user)
    delete_with_history(ConcernMessage.objects.filter(concern__in=mine))
    return {
        "concerns_deleted": delete_with_history(mine),
        "pulses_deleted": delete_with_history(Pulse.objects.filter(mentor=subject.user)),
        "strain_flags_deleted": delete_with_history(StrainFlag.objects.filter(mentor=subject.user)),
    }


def purge_support(programme: Any) -> dict[str, int]:
    from upward.privacy.services import delete_with_history

    concerns = Concern.objects.filter(programme=programme)
    messages = delete_with_history(ConcernMessage.objects.filter(concern__in=concerns))
    return {
        "concern_messages_deleted": messages,
        "concerns_deleted": delete_with_history(concerns),
        "pulses_deleted": delete_with_history(Pulse.objects.filter(pair__programme=programme)),
        "strain_flags_deleted": delete_with_history(
            StrainFlag.objects.filter(pair__programme=programme)
        ),
        "exit_reasons_deleted": delete_with_history(
            ExitReason.objects.filter(pair__programme=programme)
        ),
    }
