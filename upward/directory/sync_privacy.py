"""What the HR system's files hold about a person, for export and erasure, and what goes with
a programme's retention (its HRIS flags).

A kept file's diff names people by employee id (and, for new people, changes and leavers, by
name): the person's export shows those entries, and erasure takes them out of every file of
their organisation. A file still waiting for approval holds the person's row in its content,
which cannot be edited row by row: erasure dismisses it and empties it, so nothing of the
person is applied again from it (the next file from the HR system brings the others back).
Flags about the person's pairs and applications are deleted with them.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from upward.privacy.registry import DataSubject

from .models import HrisFlag, HrisSync

# The keys under which a diff entry names a person by employee id.
_ID_KEYS = ("employee_id", "leader", "mentor", "manager")
_LISTS = (
    "new",
    "changes",
    "leavers",
    "reporting_line_pairs",
    "leaver_pairs",
    "leaver_applications",
)


def _names(entry: Any, employee_id: str) -> bool:
    if not isinstance(entry, dict):
        return False
    if any(entry.get(key) == employee_id for key in _ID_KEYS):
        return True
    manager = (entry.get("fields") or {}).get("manager")
    return isinstance(manager, list) and employee_id in manager


def _file_holds(sync: HrisSync, employee_id: str) -> bool:
    """Whether a waiting file has a row for the person (an unreadable file counts as holding
    them: it cannot be shown not to)."""
    from .importer import DirectoryFileError, read_rows

    try:
        data = bytes(sync.content or b"")
        return any(
            row.get("employee_id") == employee_id or row.get("manager_employee_id") == employee_id
            for _, row in read_rows(sync.filename, data)
        )
    except DirectoryFileError:
        return True


def _syncs_of(subject: DataSubject) -> tuple[Any, str]:
    person = subject.person
    if person is None or not person.employee_id:
        return HrisSync.objects.none(), ""
    return HrisSync.objects.filter(organisation_id=person.organisation_id), person.employee_id


def _flags_of(subject: DataSubject) -> Any:
    person = subject.person
    if person is None:
        return HrisFlag.objects.none()
    # Every flag names its pair or its application, so these find each flag about the person
    # (a search of the messages for the employee id would also find E12's flags for E1).
    about = Q(pair__leader__person=person) | Q(pair__mentor__person=person)
    about |= Q(application__person=person)
    return HrisFlag.objects.filter(about)


def export_hris(subject: DataSubject) -> dict[str, Any]:
    syncs, employee_id = _syncs_of(subject)
    files = []
    if employee_id:
        for sync in syncs.only("filename", "created_at", "status", "diff", "errors"):
            diff = sync.diff or {}
            mine = {
                kind: [e for e in diff.get(kind, []) if _names(e, employee_id)] for kind in _LISTS
            }
            mine = {kind: found for kind, found in mine.items() if found}
            errors = [e for e in sync.errors or [] if _names(e, employee_id)]
            if mine or errors:
                files.append(
                    {
                        "file": sync.filename,
                        "received_at": sync.created_at,
                        "status": sync.get_status_display(),
                        "entries": mine,
                        "row_errors": errors,
                    }
                )
    flags = [
        {"programme": f.programme.name, "about": f.get_kind_display(), "message": f.message}
        for f in _flags_of(subject).select_related("programme")
    ]
    return {"hr_system_files": files, "flags_to_coordinators": flags}


def erase_hris(subject: DataSubject) -> dict[str, int]:
    from upward.privacy.services import delete_with_history

    syncs, employee_id = _syncs_of(subject)
    cleaned = dismissed = 0
    if employee_id:
        with transaction.atomic():
            for sync in syncs.select_for_update().only(
                "status", "diff", "errors", "filename", "content"
            ):
                diff = dict(sync.diff or {})
                changed = False
                for kind in _LISTS:
                    entries = diff.get(kind)
                    if not entries:
                        continue
                    kept = [e for e in entries if not _names(e, employee_id)]
                    if len(kept) != len(entries):
                        diff[kind] = kept
                        changed = True
                errors = [e for e in sync.errors or [] if not _names(e, employee_id)]
                changed = changed or len(errors) != len(sync.errors or [])
                fields: dict[str, Any] = {}
                if changed:
                    fields.update(diff=diff, errors=errors)
                    cleaned += 1
                if sync.status == HrisSync.Status.PREVIEWED and (
                    changed or _file_holds(sync, employee_id)
                ):
                    fields.update(status=HrisSync.Status.DISMISSED, content=b"")
                    dismissed += 1
                if fields:
                    HrisSync.objects.filter(pk=sync.pk).update(**fields)
    flags = delete_with_history(_flags_of(subject))
    return {
        "hris_files_cleaned": cleaned,
        "hris_files_dismissed": dismissed,
        "hris_flags_deleted": flags,
    }


def purge_hris(programme: Any) -> dict[str, int]:
    deleted, _ = HrisFlag.objects.filter(programme=programme).delete()
    return {"hris_flags_deleted": deleted}
