"""What evidence holds about a person: which surveys they answered, and the notes on results
they wrote as a coordinator. Their survey answers are not linked to them, so they cannot be
exported or erased as theirs (that is the point)."""

from __future__ import annotations

from typing import Any

from upward.privacy.registry import DataSubject

from .models import Participation, ResultNote, ResultNoteRevision


def export_evidence(subject: DataSubject) -> dict[str, Any]:
    if subject.user is None:
        return {"surveys_answered": [], "notes_on_results": []}
    notes = ResultNote.objects.filter(author=subject.user).select_related("programme")
    revisions = ResultNoteRevision.objects.filter(by=subject.user).select_related("note")
    return {
        "surveys_answered": [
            p.campaign.title
            for p in Participation.objects.filter(user=subject.user).select_related("campaign")
        ],
        "note": "Survey answers are stored without your name, so they cannot be listed here.",
        "notes_on_results": [
            {
                "programme": n.programme.name,
                "kind": n.kind,
                "beside": n.anchor,
                "title": n.title,
                "text": n.body,
                "written_at": n.created_at.isoformat(),
            }
            for n in notes
        ],
        "note_versions_saved": [
            {
                "note": r.note_id,
                "version": r.number,
                "title": r.title,
                "text": r.body,
                "saved_at": r.saved_at.isoformat(),
            }
            for r in revisions
        ],
    }


def erase_evidence(subject: DataSubject) -> dict[str, int]:
    """Who answered goes; notes on results stay with the programme, no longer linked to their
    writer (their text is the programme's record of its results)."""
    from upward.privacy.services import delete_with_history

    if subject.user is None:
        return {"participations": 0, "notes_unlinked": 0}
    unlinked = ResultNote.objects.filter(author=subject.user).update(author=None)
    unlinked += ResultNoteRevision.objects.filter(by=subject.user).update(by=None)
    return {
        "participations": delete_with_history(Participation.objects.filter(user=subject.user)),
        "notes_unlinked": unlinked,
    }
