"""What running a pair holds about a person, for their own export and erasure, and what goes
when a programme's retention ends. A person's export holds their own reflections only: never
the other person's."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from upward.privacy.registry import DataSubject

from .models import (
    CalendarFeed,
    CheckIn,
    Goal,
    Meeting,
    Nudge,
    NudgePreference,
    PairNote,
    Reflection,
)


def export_running(subject: DataSubject) -> dict[str, Any]:
    user, person = subject.user, subject.person
    out: dict[str, Any] = {"meetings": [], "notes": [], "reflections": [], "goals": []}
    if person is not None:
        mine = Q(pair__leader__person=person) | Q(pair__mentor__person=person)
        out["meetings"] = [
            {
                "pair": m.pair_id,
                "state": m.state,
                "starts_at": m.starts_at,
                "minutes": m.held_minutes,
                "topics_covered": m.topics_covered,
            }
            for m in Meeting.objects.filter(mine).order_by("starts_at", "pk")
        ]
        out["notes"] = [
            {"pair": n.pair_id, "title": n.title, "body": n.body, "updated_at": n.updated_at}
            for n in PairNote.objects.filter(mine).order_by("created_at", "pk")
        ]
    if user is not None:
        out["goals"] = [
            {
                "statement": g.statement,
                "measure": g.measure,
                "target": g.target,
                "due_on": g.due_on,
                "progress": g.progress,
                "updates": [(u.created_at, u.percent, u.comment) for u in g.updates.all()],
            }
            for g in Goal.objects.filter(owner=user).prefetch_related("updates")
        ]
        out["reminders"] = [
            {"sent_at": n.sent_at, "reasons": n.reasons}
            for n in Nudge.objects.filter(user=user).order_by("sent_at")
        ]
        out["check_ins"] = [
            {
                "pair": c.pair_id,
                "kind": c.kind,
                "due_on": c.due_on,
                "answered_at": c.answered_at,
                "score": c.score,
                "comment": c.comment,
                "comment_shared_with_the_coordinator": c.shared,
            }
            for c in CheckIn.objects.filter(user=user).order_by("due_on", "pk")
        ]
        out["reflections"] = [
            {"pair": r.pair_id, "written_at": r.created_at, "reflection": r.body}
            for r in Reflection.objects.filter(author=user).order_by("created_at", "pk")
        ]
    return out


def erase_running(subject: DataSubject) -> dict[str, int]:
    """The person's reflections and calendar feed go (meetings and shared notes go with the
    pair, when the person's applications go)."""
    counts = {"reflections": 0, "feeds": 0, "goals": 0}
    if subject.user is not None:
        counts["reflections"] = Reflection.objects.filter(author=subject.user).delete()[0]
        counts["goals"] = Goal.objects.filter(owner=subject.user).delete()[0]
        Nudge.objects.filter(user=subject.user).delete()
        NudgePreference.objects.filter(user=subject.user).delete()
        counts["feeds"] = CalendarFeed.objects.filter(user=subject.user).delete()[0]
    return counts


def purge_running(programme: Any) -> dict[str, int]:
    return {
        "reflections_deleted": Reflection.objects.filter(pair__programme=programme).delete()[0],
        "goals_deleted": Goal.objects.filter(pair__programme=programme).delete()[0],
        "nudges_deleted": Nudge.objects.filter(pair__programme=programme).delete()[0],
        "notes_deleted": PairNote.objects.filter(pair__programme=programme).delete()[0],
        "meetings_deleted": Meeting.objects.filter(pair__programme=programme).delete()[0],
    }
