"""What cohort life holds about a person, for their own export and erasure, and what goes when
a programme's retention ends. A person's export holds the messages they wrote, never their
partner's; mid-point answers are held with no link to anyone, so only the fact of answering is
exported."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from upward.privacy.registry import DataSubject

from .models import (
    MidpointParticipation,
    MidpointResponse,
    PairMessage,
    Post,
    Report,
)


def export_cohort(subject: DataSubject) -> dict[str, Any]:
    user = subject.user
    out: dict[str, Any] = {"posts": [], "reports": [], "messages": [], "check_ins_answered": []}
    if user is None:
        return out
    out["posts"] = [
        {
            "programme": p.programme.name,
            "reply_to": p.parent_id,
            "announcement": p.announcement,
            "written_at": p.created_at,
            "text": p.body,
            "hidden_by_the_coordinator": p.hidden_at is not None,
        }
        for p in Post.objects.filter(author=user).select_related("programme")
    ]
    out["reports"] = [
        {"post": r.post_id, "reason": r.reason, "made_at": r.created_at}
        for r in Report.objects.filter(by=user)
    ]
    out["messages"] = [
        {"pair": m.pair_id, "written_at": m.created_at, "text": m.body}
        for m in PairMessage.objects.filter(author=user)
    ]
    out["check_ins_answered"] = [
        {"event": p.workshop.title, "programme": p.workshop.programme.name}
        for p in MidpointParticipation.objects.filter(user=user).select_related(
            "workshop__programme"
        )
    ]
    return out


def erase_cohort(subject: DataSubject) -> dict[str, int]:
    """The person's messages and reports go (their choices and notices are the notifications
    app's); their posts keep their place
    (replies hang on them) but lose their author and text."""
    counts = {"posts": 0, "messages": 0, "reports": 0}
    user = subject.user
    if user is None:
        return counts
    counts["posts"] = Post.objects.filter(author=user).update(author=None, body="")
    counts["messages"] = PairMessage.objects.filter(author=user).delete()[0]
    counts["reports"] = Report.objects.filter(by=user).delete()[0]
    MidpointParticipation.objects.filter(user=user).delete()
    return counts


def purge_cohort(programme: Any) -> dict[str, int]:
    events = Q(workshop__programme=programme)
    return {
        "posts_deleted": Post.objects.filter(programme=programme).delete()[0],
        "messages_deleted": PairMessage.objects.filter(pair__programme=programme).delete()[0],
        "check_in_answers_deleted": MidpointResponse.objects.filter(events).delete()[0]
        + MidpointParticipation.objects.filter(events).delete()[0],
    }
