"""What the pairs app holds about a person, for their export, and what goes at retention."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from upward.privacy.registry import DataSubject

from .models import Pair, PairEvent


def export_pairs(subject: DataSubject) -> list[dict[str, Any]]:
    person = subject.person
    if person is None:
        return []
    pairs = Pair.objects.filter(Q(leader__person=person) | Q(mentor__person=person)).select_related(
        "programme", "leader__person", "mentor__person"
    )
    out = []
    for p in pairs:
        side = "leader" if p.leader.person_id == person.pk else "mentor"
        partner = p.mentor if side == "leader" else p.leader
        out.append(
            {
                "programme": p.programme.name,
                "as": p.role_words(side),
                "partner": partner.person.name,
                "state": p.get_state_display(),
                "since": p.since,
                "history": [
                    {"what": e.get_action_display(), "when": e.created_at, "note": e.note}
                    for e in p.events.all()
                ],
            }
        )
    return out


def purge_pairs(programme: Any) -> dict[str, int]:
    from upward.privacy.services import delete_with_history

    events = delete_with_history(PairEvent.objects.filter(pair__programme=programme))
    return {
        "pair_events_deleted": events,
        "pairs_deleted": delete_with_history(Pair.objects.filter(programme=programme)),
    }
