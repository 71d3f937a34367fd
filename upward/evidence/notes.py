"""The coordinator's notes on a programme's results: stories and observations shown beside the
chart or instrument whose data should corroborate them, and lessons learned for the report.

Each save keeps the text as a revision; a change names the version it started from (a stale
one is refused). The text may name people: it is encrypted, exported to its author, and read
only by the programme's coordinators and sponsors."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from upward.accounts.permissions import can_coordinate
from upward.core.versioning import VersionConflict, save_versioned
from upward.programmes.models import Programme

from . import catalogue
from .errors import EvidenceRuleBroken
from .models import ResultNote, ResultNoteRevision

# The dashboard's charts a note can sit beside (instruments are added per programme).
CHARTS = {
    "safety": "Psychological safety over time",
    "pre-post": "Change from before to after",
    "funnel": "Participation",
    "meetings": "Meetings held per month",
    "goals": "Goals progress",
}
TITLE_LIMIT = 200
BODY_LIMIT = 10_000


def anchors_for(programme: Programme) -> dict[str, str]:
    """What a note can sit beside: "" (the programme as a whole), a chart, an instrument."""
    out = {"": "The programme as a whole", **CHARTS}
    for i in catalogue.available_for(programme):
        out[f"instrument:{i.key}"] = f"Survey: {i.title}"
    return out


def result_note_save(
    *,
    programme: Programme,
    by: Any,
    kind: str,
    title: str,
    body: str,
    anchor: str = "",
    note: ResultNote | None = None,
    version: int | None = None,
) -> ResultNote:
    """Write a new note or change one (``note`` with the ``version`` the editor saw)."""
    if not can_coordinate(by, programme):
        raise EvidenceRuleBroken("Only the programme's coordinators can write notes on results.")
    if kind not in ResultNote.Kind.values:
        raise EvidenceRuleBroken("A note is a story (or observation) or a lesson learned.")
    title, body, anchor = (title or "").strip(), (body or "").strip(), (anchor or "").strip()
    if not title or len(title) > TITLE_LIMIT:
        raise EvidenceRuleBroken(f"Give the note a title of at most {TITLE_LIMIT} characters.")
    if not body or len(body) > BODY_LIMIT:
        raise EvidenceRuleBroken(f"Write the note: at most {BODY_LIMIT:,} characters.")
    if kind == ResultNote.Kind.LESSON:
        anchor = ""  # lessons are for the programme as a whole
    elif anchor not in anchors_for(programme):
        raise EvidenceRuleBroken("Choose a chart or survey of this programme for the note.")
    with transaction.atomic():
        if note is None:
            note = ResultNote.objects.create(
                programme=programme, kind=kind, anchor=anchor, title=title, body=body, author=by
            )
        else:
            if note.programme_id != programme.pk:
                raise EvidenceRuleBroken("This note belongs to another programme.")
            if version is None:
                raise EvidenceRuleBroken("Reload the page: the version of the note is missing.")
            note.kind, note.anchor, note.title, note.body = kind, anchor, title, body
            save_versioned(
                note,
                expected_version=version,
                fields=["kind", "anchor", "title", "body"],
                what="this note",
            )
        ResultNoteRevision.objects.create(
            note=note, number=note.version, title=title, body=body, by=by
        )
    return note


def notes_of(programme: Programme, kind: str | None = None) -> list[ResultNote]:
    found = ResultNote.objects.filter(programme=programme)
    if kind:
        found = found.filter(kind=kind)
    return list(found)


def stories_by_anchor(programme: Programme) -> dict[str, list[ResultNote]]:
    """Stories and observations by what they sit beside ("" for the programme as a whole)."""
    out: dict[str, list[ResultNote]] = {}
    for n in notes_of(programme, ResultNote.Kind.STORY):
        out.setdefault(n.anchor, []).append(n)
    return out


__all__ = ["VersionConflict", "anchors_for", "notes_of", "result_note_save", "stories_by_anchor"]
