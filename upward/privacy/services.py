"""Writes of the privacy app: the access log, exports, erasure and retention."""

from __future__ import annotations

import io
import json
import re
import secrets
import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from . import registry
from .audit import audit_where, history_models
from .models import AccessKind, AccessLogEntry, ErasureRecord, RetentionRun
from .registry import DataSubject

_OBJECT_REF = re.compile(r"^[a-z][a-z0-9_]{0,40}:[A-Za-z0-9_-]{1,50}$")

# Sections that must run after every other app's eraser, in this order: other apps' records
# still point at the person and the account while their erasers run.
FINAL_ERASERS = ("directory", "account")


# --- the access log -----------------------------------------------------------------------


def access_log_record(
    *,
    actor: Any,
    subject_person: Any,
    kind: str,
    object_ref: str,
    route: str,
    programme: Any = None,
) -> AccessLogEntry | None:
    """Record that ``actor`` read ``subject_person``'s special-category data, concern or note.

    Call it where the data is shown or sent (a view, an API endpoint, an export), after the
    permission check passed. Reads by the owner are not recorded (returns None).
    ``object_ref`` is ``<kind of thing>:<id>`` (e.g. ``concern:12``): never a name or a text.
    ``route`` is where it was read: ``upward.privacy.audit.request_route(request)`` or a command.
    """
    if kind not in AccessKind.values:
        raise ValueError(
            f"Unknown access kind {kind!r}; use one of {', '.join(AccessKind.values)}."
        )
    if not _OBJECT_REF.match(object_ref or ""):
        raise ValueError(
            f"object_ref must look like 'concern:12' (a kind and an id), not {object_ref!r}."
        )
    if subject_person is None or subject_person.pk is None:
        raise ValueError("access_log_record needs the person whose data was read.")
    actor_id = getattr(actor, "pk", None)
    if actor_id is not None and actor_id == subject_person.user_id:
        return None
    return AccessLogEntry.objects.create(
        actor_id=actor_id,
        subject_person_id=subject_person.pk,
        organisation_id=subject_person.organisation_id,
        programme_id=getattr(programme, "pk", programme),
        kind=kind,
        object_ref=object_ref,
        route=(route or "")[:200],
    )


# --- deleting with history ------------------------------------------------------------------


def _history_model_of(model: type[models.Model]) -> type[models.Model] | None:
    for history in history_models():
        if history.instance_type is model:  # type: ignore[attr-defined]
            return history
    return None


def delete_with_history(queryset: models.QuerySet[Any]) -> int:
    """Delete rows and every audit history row of them. Returns how many rows were deleted."""
    model = queryset.model
    pks = list(queryset.values_list("pk", flat=True))
    if not pks:
        return 0
    deleted = 0
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        count, _ = model._base_manager.filter(pk__in=chunk).delete()
        deleted += count
        history = _history_model_of(model)
        if history is not None:
            history._base_manager.filter(**{f"{model._meta.pk.attname}__in": chunk}).delete()
    return len(pks)


# --- subject access export ------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def subject_export_data(subject: DataSubject) -> dict[str, Any]:
    """Everything held about a person, section by section, as JSON-ready data."""
    sections = {}
    for section, exporter in registry.exporters().items():
        sections[section] = _jsonable(exporter(subject))
    return {
        "generated_at": timezone.now().astimezone(UTC).isoformat(),
        "about": {
            "name": subject.person.name
            if subject.person
            else getattr(subject.user, "display_name", ""),
            "email": getattr(subject.user, "email", "")
            or (subject.person.email if subject.person else ""),
        },
        "sections": sections,
    }


def subject_export_build(*, subject: DataSubject, by: Any, route: str) -> bytes:
    """A zip with ``data.json`` and a readable ``index.html`` of everything held about a person.

    When someone other than the person produces it (an organisation admin on request), the
    access log records it.
    """
    if subject.person is None and subject.user is None:
        raise ValueError("There is nobody to export.")
    data = subject_export_data(subject)
    if subject.person is not None:
        access_log_record(
            actor=by,
            subject_person=subject.person,
            kind=AccessKind.EXPORT,
            object_ref=f"person:{subject.person.pk}",
            route=route,
        )
    html = render_to_string("privacy/export_document.html", {"data": data})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False))
        archive.writestr("index.html", html)
    return buffer.getvalue()


# --- erasure ----------------------------------------------------------------------------------


def _scrub_history(*, person_id: int | None, user_id: int | None) -> int:
    """Remove the person from every audit history table. Returns how many rows were deleted.

    - rows recording the person's own directory entry or account are deleted;
    - rows of a record tied to them (a role grant, an application, a pair…) are deleted;
    - rows of other people's directory entries that mention them (as manager) keep the change
      but lose the reference, and so do rows of changes they made (``history_user``).
    """
    from upward.accounts.models import User
    from upward.directory.models import Person

    targets: dict[Any, int | None] = {Person: person_id, User: user_id}
    removed = 0
    for history in history_models():
        manager = history._base_manager
        instance_type = history.instance_type  # type: ignore[attr-defined]
        own_id = targets.get(instance_type)
        if own_id is not None:
            removed += manager.filter(**{instance_type._meta.pk.attname: own_id}).delete()[0]
        for field in history._meta.concrete_fields:
            target_id = targets.get(field.related_model) if field.is_relation else None
            if target_id is None:
                continue
            rows = manager.filter(**{field.attname: target_id})
            if field.name == "history_user" or instance_type is Person:
                rows.update(**{field.attname: None})
            else:
                removed += rows.delete()[0]
    return removed


def person_erase(*, person: Any, by: Any, reason: str) -> ErasureRecord:
    """Erase a person everywhere: every app's records, their account, their history.

    What aggregates need stays, without identity: the directory entry becomes an anonymous
    placeholder (so counts and other people's reporting lines still add up) and the access
    log keeps its entries, which refer to that placeholder by number only.
    """
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValueError("Give the reason for the erasure (at least 10 characters).")
    if by is not None and person.user_id is not None and person.user_id == by.pk:
        raise ValueError("You cannot erase your own record; ask another administrator.")
    if person.name == ERASED_NAME and not person.active and person.user_id is None:
        raise ValueError("This person has already been erased.")
    subject = DataSubject.of_person(person)
    person_id = person.pk
    user_id = subject.user.pk if subject.user is not None else None
    erasers = registry.erasers()
    order = [s for s in erasers if s not in FINAL_ERASERS] + [
        s for s in FINAL_ERASERS if s in erasers
    ]
    summary: dict[str, Any] = {}
    with transaction.atomic():
        for section in order:
            summary[section] = erasers[section](subject)
        summary["history"] = {"rows_removed": _scrub_history(person_id=person_id, user_id=user_id)}
        return ErasureRecord.objects.create(
            organisation_id=person.organisation_id,
            person_ref=person_id,
            performed_by=by,
            reason=reason,
            summary=summary,
        )


ERASED_NAME = "Erased person"


def erased_employee_id() -> str:
    return f"erased-{secrets.token_hex(6)}"


# --- retention --------------------------------------------------------------------------------


def retention_due(*, today: date | None = None) -> models.QuerySet[Any]:
    """Ended programmes past their retention period whose personal data is still held."""
    from upward.programmes.models import Programme

    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.UPWARD_RETENTION_DAYS)
    return (
        Programme.objects.filter(ends_on__isnull=False, ends_on__lt=cutoff)
        .filter(retention_run__isnull=True)
        .order_by("ends_on", "pk")
    )


def programme_retention_apply(*, programme: Any) -> RetentionRun:
    """Delete an ended programme's personal data through every registered purger."""
    with transaction.atomic(), audit_where("retention"):
        summary = {
            section: purger(programme) for section, purger in registry.retention_purgers().items()
        }
        run, _ = RetentionRun.objects.get_or_create(
            programme=programme, defaults={"summary": summary}
        )
    return run


def retention_apply(*, today: date | None = None) -> list[RetentionRun]:
    """Apply retention to every programme that is due. Idempotent: each is purged once."""
    from .sessions import stale_sessions_forget

    runs = [programme_retention_apply(programme=p) for p in retention_due(today=today)]
    stale_sessions_forget()
    return runs
