"""What preparation holds about a person (training progress, workshop places, agreements and
signatures), for their export and erasure, and what goes when a programme's retention ends."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from upward.privacy.registry import DataSubject

from .models import Agreement, ModuleCompletion, TrainingReminder, Waiver, Workshop, WorkshopSeat


def export_preparation(subject: DataSubject) -> dict[str, Any]:
    user, person = subject.user, subject.person
    out: dict[str, Any] = {"training": [], "workshops": [], "agreements": []}
    if user is not None:
        out["training"] = [
            {"module": c.module.title, "finished_at": c.completed_at, "score": c.score}
            for c in ModuleCompletion.objects.filter(user=user).select_related("module")
        ]
        out["workshops"] = [
            {
                "workshop": s.workshop.title,
                "starts_at": s.workshop.starts_at,
                "place": s.get_status_display(),
                "attended": s.attended,
            }
            for s in WorkshopSeat.objects.filter(user=user).select_related("workshop")
        ]
    if person is not None:
        mine = Q(pair__leader__person=person) | Q(pair__mentor__person=person)
        for a in Agreement.objects.filter(mine).select_related("pair__leader"):
            side = "leader" if a.pair.leader.person_id == person.pk else "mentor"
            out["agreements"].append(
                {
                    "pair": a.pair_id,
                    "version": a.number,
                    "topics": a.topics,
                    "you_hope_to_gain": getattr(a, f"{side}_gains"),
                    "you_signed_as": getattr(a, f"{side}_signed_name"),
                    "you_signed_at": getattr(a, f"{side}_signed_at"),
                }
            )
    return out


def erase_preparation(subject: DataSubject) -> dict[str, int]:
    """Progress, places and reminders go; the person's signatures are cleared from agreements
    (the pairs themselves go with the person's applications)."""
    from upward.privacy.services import delete_with_history

    counts = {"completions": 0, "seats": 0, "reminders": 0, "signatures": 0}
    if subject.user is not None:
        counts["completions"] = delete_with_history(
            ModuleCompletion.objects.filter(user=subject.user)
        )
        counts["seats"] = delete_with_history(WorkshopSeat.objects.filter(user=subject.user))
        counts["reminders"] = delete_with_history(
            TrainingReminder.objects.filter(user=subject.user)
        )
    if subject.person is not None:
        for side in ("leader", "mentor"):
            counts["signatures"] += Agreement.objects.filter(
                **{f"pair__{side}__person": subject.person}
            ).update(**{f"{side}_signed_name": "", f"{side}_gains": ""})
    return counts


def purge_preparation(programme: Any) -> dict[str, int]:
    from upward.privacy.services import delete_with_history

    return {
        "agreements_deleted": delete_with_history(
            Agreement.objects.filter(pair__programme=programme)
        ),
        "waivers_deleted": delete_with_history(Waiver.objects.filter(pair__programme=programme)),
        "completions_deleted": delete_with_history(
            ModuleCompletion.objects.filter(module__track__programme=programme)
        ),
        "seats_deleted": delete_with_history(
            WorkshopSeat.objects.filter(workshop__programme=programme)
        ),
        "reminders_deleted": delete_with_history(
            TrainingReminder.objects.filter(programme=programme)
        ),
        "workshops_deleted": delete_with_history(Workshop.objects.filter(programme=programme)),
    }
