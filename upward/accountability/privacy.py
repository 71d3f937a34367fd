"""What accountability holds about a person, for their own export and erasure, and what goes
when a programme's retention ends.

An anonymous idea is in nobody's export: it holds no link to its author, so there is nothing to
find it by (the person was told so when they chose). A person's votes are theirs; a nomination
is in both people's exports, the leader's with only the words the leader may read.
"""

from __future__ import annotations

from typing import Any

from upward.privacy.registry import DataSubject

from .models import Commitment, Idea, IdeaSession, IdeaVote, Nomination


def export_accountability(subject: DataSubject) -> dict[str, Any]:
    user = subject.user
    out: dict[str, Any] = {"ideas": [], "votes": [], "commitments": [], "nominations": []}
    if user is None:
        return out
    out["ideas"] = [
        {"session": i.session.title, "idea": i.text, "submitted_on": i.submitted_on}
        for i in Idea.objects.filter(author=user, anonymous=False).select_related("session")
    ]
    out["votes"] = [
        {"session": v.session.title, "idea": v.idea.text}
        for v in IdeaVote.objects.filter(voter=user).select_related("session", "idea")
    ]
    out["commitments"] = [
        {
            "change": c.change,
            "measure": c.measure,
            "baseline": c.baseline,
            "target": c.target,
            "due_on": c.due_on,
            "status": c.status,
            "updates": [(u.created_at, u.status, u.note, u.evidence) for u in c.updates.all()],
        }
        for c in Commitment.objects.filter(owner=user).prefetch_related("updates")
    ]
    for n in Nomination.objects.filter(pair__leader__user=user).order_by("pk"):
        out["nominations"].append(
            {"as": "leader", "title": n.title, "kind": n.kind, "shown": n.leader_words()}
        )
    for n in Nomination.objects.filter(pair__mentor__user=user).order_by("pk"):
        out["nominations"].append(
            {
                "as": "mentor",
                "title": n.title,
                "kind": n.kind,
                "your_answer": n.state,
                "outcome": n.outcome,
            }
        )
    return out


def erase_accountability(subject: DataSubject) -> dict[str, int]:
    """Votes and nominations go; named ideas lose their author (the words stay with the
    session, as anonymous ones do); commitments are the person's and go."""
    counts = {"votes": 0, "ideas_unlinked": 0, "commitments": 0, "nominations": 0}
    user = subject.user
    if user is None:
        return counts
    counts["votes"] = IdeaVote.objects.filter(voter=user).delete()[0]
    counts["ideas_unlinked"] = Idea.objects.filter(author=user).update(author=None, anonymous=True)
    counts["commitments"] = Commitment.objects.filter(owner=user).delete()[0]
    counts["nominations"] = (
        Nomination.objects.filter(pair__mentor__user=user).delete()[0]
        + Nomination.objects.filter(pair__leader__user=user).delete()[0]
    )
    return counts


def purge_accountability(programme: Any) -> dict[str, int]:
    return {
        "commitments_deleted": Commitment.objects.filter(programme=programme).delete()[0],
        "idea_sessions_deleted": IdeaSession.objects.filter(programme=programme).delete()[0],
        "nominations_deleted": Nomination.objects.filter(pair__programme=programme).delete()[0],
    }
