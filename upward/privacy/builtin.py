"""Export, erasure and retention for the foundation's apps (accounts, directory) and for the
privacy app's own records (change history, access log)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from . import registry
from .audit import history_models
from .models import AccessLogEntry
from .registry import DataSubject

# --- exporters ----------------------------------------------------------------------------


def export_account(subject: DataSubject) -> dict[str, Any]:
    user = subject.user
    if user is None:
        return {"has_account": False}
    from allauth.mfa.models import Authenticator

    grants = user.role_grants.select_related("organisation", "programme").order_by("granted_at")
    return {
        "has_account": True,
        "email": user.email,
        "display_name": user.display_name,
        "active": user.is_active,
        "joined": user.date_joined,
        "last_sign_in": user.last_login,
        "roles": [
            {
                "role": g.get_role_display(),
                "organisation": g.organisation.name if g.organisation else None,
                "programme": g.programme.name if g.programme else None,
                "granted_at": g.granted_at,
            }
            for g in grants
        ],
        # Which kinds of second factor are on; the secrets themselves are never exported.
        "two_factor_methods": sorted(
            Authenticator.objects.filter(user=user).values_list("type", flat=True)
        ),
    }


def export_directory(subject: DataSubject) -> dict[str, Any]:
    person = subject.person
    if person is None:
        return {"in_directory": False}
    return {
        "in_directory": True,
        "organisation": person.organisation.name,
        "employee_id": person.employee_id,
        "name": person.name,
        "email": person.email,
        "job_title": person.job_title,
        "grade": person.grade,
        "grade_level": person.grade_level,
        "department": person.department,
        "location": person.location,
        "time_zone": person.time_zone,
        "manager": person.manager.name if person.manager else None,
        "start_date": person.start_date,
        "active": person.active,
        "updated_at": person.updated_at,
    }


def _changed_by(record: Any, subject: DataSubject) -> str:
    if record.history_user_id is None:
        return "the system"
    if subject.user is not None and record.history_user_id == subject.user.pk:
        return "you"
    return f"staff user #{record.history_user_id}"


def _history_rows(subject: DataSubject) -> list[Any]:
    from upward.accounts.models import User
    from upward.directory.models import Person

    rows: list[Any] = []
    for history in history_models():
        instance_type = history.instance_type  # type: ignore[attr-defined]
        condition = Q(pk__in=[])
        if instance_type is Person and subject.person is not None:
            condition |= Q(id=subject.person.pk)
        if instance_type is User and subject.user is not None:
            condition |= Q(id=subject.user.pk)
        for field in history._meta.concrete_fields:
            if not field.is_relation or field.name == "history_user":
                continue
            if instance_type is not Person and field.related_model is Person and subject.person:
                condition |= Q(**{field.attname: subject.person.pk})
            if (
                field.related_model is User
                and subject.user is not None
                and instance_type is not Person
            ):
                condition |= Q(**{field.attname: subject.user.pk})
        rows.extend(history._base_manager.filter(condition))
    rows.sort(key=lambda r: (r.history_date, r.history_id))
    return rows


def _record_changes(record: Any) -> dict[str, Any]:
    previous = record.prev_record
    if record.history_type == "+" or previous is None:
        excluded = {
            "history_id",
            "history_date",
            "history_type",
            "history_user",
            "history_change_reason",
            "history_where",
        }
        return {
            f.name: getattr(record, f.attname)
            for f in record._meta.concrete_fields
            if f.name not in excluded
        }
    delta = record.diff_against(previous)
    return {c.field: {"from": c.old, "to": c.new} for c in delta.changes}


def _original_id(record: Any) -> Any:
    return getattr(record, record.instance_type._meta.pk.attname)


def export_history(subject: DataSubject) -> list[dict[str, Any]]:
    kinds = {"+": "created", "~": "changed", "-": "deleted"}
    return [
        {
            "when": r.history_date,
            "record": f"{r.instance_type._meta.verbose_name} #{_original_id(r)}",
            "what": kinds.get(r.history_type, r.history_type),
            "by": _changed_by(r, subject),
            "where": r.history_where,
            "changes": _record_changes(r),
        }
        for r in _history_rows(subject)
    ]


def export_access_log(subject: DataSubject) -> list[dict[str, Any]]:
    if subject.person is None:
        return []
    entries = AccessLogEntry.objects.filter(subject_person_id=subject.person.pk).order_by("at")
    return [
        {
            "when": e.at,
            "what": e.get_kind_display(),
            "record": e.object_ref,
            "by": f"staff user #{e.actor_id}" if e.actor_id else "the system",
            "where": e.route,
        }
        for e in entries
    ]


# --- erasers --------------------------------------------------------------------------------


def erase_directory(subject: DataSubject) -> dict[str, int]:
    from .services import ERASED_NAME, erased_employee_id

    person = subject.person
    if person is None:
        return {"people_anonymised": 0}
    counts = _sweep_rows_pointing_at(person)
    # The people who reported to them now report to their manager, so everyone else's
    # reporting line (which keeps matching power-safe) stays whole.
    moved = 0
    for report in person.reports.all():
        report.manager_id = person.manager_id
        report.save(update_fields=["manager", "updated_at"])
        moved += 1
    person.name = ERASED_NAME
    person.employee_id = erased_employee_id()
    for name in ("email", "job_title", "grade", "department", "location"):
        setattr(person, name, "")
    person.grade_level = 0
    person.time_zone = "UTC"
    person.manager = None
    person.start_date = None
    person.active = False
    person.user = None
    person.save()
    return {"people_anonymised": 1, "reports_moved_to_next_manager": moved, **counts}


def _sweep_rows_pointing_at(person: Any) -> dict[str, int]:
    """Whatever still points at the person after every app's eraser ran goes as if the person
    were deleted: rows that belong to them (on_delete=CASCADE) are deleted, references that may
    be empty (SET_NULL) are emptied. The directory entry itself stays as a placeholder."""
    from django.db import models

    from upward.directory.models import Person

    from .services import delete_with_history

    counts: dict[str, int] = {}
    # include_hidden: relations declared with related_name="+" point at the person too.
    relations: list[Any] = [
        f
        for f in Person._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)
    ]
    for relation in relations:
        model = relation.related_model
        field = relation.field
        if model is Person or hasattr(model, "instance_type") or not field.concrete:
            continue
        rows = model._base_manager.filter(**{field.name: person})
        on_delete = field.remote_field.on_delete
        if on_delete is models.CASCADE:
            deleted = delete_with_history(rows)
        elif on_delete is models.SET_NULL:
            deleted = rows.update(**{field.name: None})
        else:
            continue
        if deleted:
            outcome = "deleted" if on_delete is models.CASCADE else "unlinked"
            key = f"{model._meta.label_lower.replace('.', '_')}_{outcome}"
            counts[key] = counts.get(key, 0) + deleted
    return counts


def erase_account(subject: DataSubject) -> dict[str, int]:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from .sessions import user_sessions_end

    user = subject.user
    if user is None:
        return {"accounts_deleted": 0}
    ended = user_sessions_end(user=user)
    sign_ins = 0
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        sign_ins += model.objects.filter(username__iexact=user.email).delete()[0]
    user.delete()
    return {"accounts_deleted": 1, "sessions_ended": ended, "sign_in_records_deleted": sign_ins}


# --- retention ------------------------------------------------------------------------------


def purge_programme_roles(programme: Any) -> dict[str, int]:
    """Participants' programme roles go; staff roles stay so the programme report can be read."""
    from upward.accounts.models import Role, RoleGrant

    from .services import delete_with_history

    deleted = delete_with_history(
        RoleGrant.objects.filter(programme=programme, role=Role.PARTICIPANT)
    )
    return {"participant_roles_deleted": deleted}


def register_builtins() -> None:
    """The privacy app's own sections; the other apps register theirs in their ``ready()``.
    Orders: see ``upward.privacy.registry``."""
    registry.register_exporter("account", export_account, order=10)
    registry.register_exporter("directory", export_directory, order=20)
    registry.register_exporter("change_history", export_history, order=30)
    registry.register_exporter("access_log", export_access_log, order=40)
    registry.register_eraser("directory", erase_directory)
    registry.register_eraser("account", erase_account)
    registry.register_retention("programme_roles", purge_programme_roles, order=10)
