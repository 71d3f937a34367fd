"""Reads of the privacy app: what the audit view may show to whom."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import models
from django.db.models import F, Min, OuterRef, Q, Subquery, Value
from django.utils import timezone

from upward.accounts import permissions
from upward.accounts.models import Role, RoleGrant, User
from upward.directory.models import Person

from . import registry
from .models import AccessKind, AccessLogEntry, ErasureRecord

CHANGE_PERSON = "change_person"
CHANGE_ROLE = "change_role"
CHANGE_API_ACCESS = "api_token"
KIND_CHOICES = [
    *AccessKind.choices,
    (CHANGE_PERSON, "Change to a directory entry"),
    (CHANGE_ROLE, "Change to a role"),
    (CHANGE_API_ACCESS, "API token created, used or revoked"),
]
KIND_LABELS = dict(KIND_CHOICES)


@dataclass(frozen=True)
class AuditScope:
    """What one user may see in the audit view."""

    everything: bool
    organisation_ids: frozenset[int]
    programme_ids: frozenset[int]

    @property
    def empty(self) -> bool:
        return not (self.everything or self.organisation_ids or self.programme_ids)


def audit_scope(user: Any) -> AuditScope:
    return AuditScope(
        everything=bool(getattr(user, "is_superuser", False)),
        organisation_ids=frozenset(permissions.administered_organisation_ids(user)),
        programme_ids=frozenset(permissions.programme_ids_with_role(user, Role.COORDINATOR)),
    )


def programme_people_ids(programme_ids: set[int] | frozenset[int]) -> models.QuerySet[Any]:
    """Ids of the people taking part in the programmes (every registered provider, plus
    anyone holding a role in them)."""
    ids = Person.objects.filter(user__role_grants__programme_id__in=programme_ids).values("pk")
    query = Q(pk__in=ids)
    for provider in registry.programme_people_providers():
        query |= Q(pk__in=provider(set(programme_ids)))
    return Person.objects.filter(query).values("pk")


def people_in_scope(scope: AuditScope) -> models.QuerySet[Person]:
    if scope.everything:
        return Person.objects.all()
    query = Q(organisation_id__in=scope.organisation_ids)
    if scope.programme_ids:
        query |= Q(pk__in=programme_people_ids(scope.programme_ids))
    return Person.objects.filter(query)


def _reads(scope: AuditScope) -> models.QuerySet[Any]:
    # A concern's reads would tell whoever reads the audit who raised it (even an anonymous
    # one) and that it exists: they stay in the log, shown only in the raiser's own export.
    entries = AccessLogEntry.objects.exclude(kind=AccessKind.CONCERN)
    if not scope.everything:
        query = Q(organisation_id__in=scope.organisation_ids)
        if scope.programme_ids:
            query |= Q(programme_id__in=scope.programme_ids) | Q(
                subject_person_id__in=programme_people_ids(scope.programme_ids)
            )
        entries = entries.filter(query)
    return entries.annotate(
        a_source=Value("read"),
        a_at=F("at"),
        a_kind=F("kind"),
        a_person=F("subject_person_id"),
        a_actor=F("actor_id"),
        a_where=F("route"),
        a_row=F("id"),
    )


IMPORT_REASON = "directory import"


def _person_history(scope: AuditScope) -> models.QuerySet[Any]:
    history = Person.history.model  # type: ignore[attr-defined]
    rows = history.objects.all()
    if not scope.everything:
        rows = rows.filter(id__in=people_in_scope(scope).values("pk"))
    return rows


def _imports(scope: AuditScope) -> models.QuerySet[Any]:
    """One entry per directory import (all its people's rows share one time, actor and
    place), instead of one per person."""
    return (
        _person_history(scope)
        .filter(history_change_reason=IMPORT_REASON)
        .values("history_date", "history_user_id", "history_where")
        .annotate(
            a_source=Value("import"),
            a_at=F("history_date"),
            a_kind=Value(CHANGE_PERSON),
            a_person=Value(None, output_field=models.BigIntegerField()),
            a_actor=F("history_user_id"),
            a_where=F("history_where"),
            a_row=Min("history_id"),
        )
    )


def _person_changes(scope: AuditScope, *, grouped: bool = False) -> models.QuerySet[Any]:
    rows = _person_history(scope)
    if grouped:
        rows = rows.exclude(history_change_reason=IMPORT_REASON)
    return rows.annotate(
        a_source=Value("person"),
        a_at=F("history_date"),
        a_kind=Value(CHANGE_PERSON),
        a_person=F("id"),
        a_actor=F("history_user_id"),
        a_where=F("history_where"),
        a_row=F("history_id"),
    )


def _role_changes(scope: AuditScope) -> models.QuerySet[Any]:
    history = RoleGrant.history.model  # type: ignore[attr-defined]
    rows = history.objects.all()
    if not scope.everything:
        query = Q(organisation_id__in=scope.organisation_ids) | Q(
            programme_id__in=scope.programme_ids
        )
        query |= Q(user_id__in=people_in_scope(scope).filter(user__isnull=False).values("user_id"))
        rows = rows.filter(query)
    person_of_user = Person.objects.filter(user_id=OuterRef("user_id")).values("pk")[:1]
    return rows.annotate(
        a_source=Value("role"),
        a_at=F("history_date"),
        a_kind=Value(CHANGE_ROLE),
        a_person=Subquery(person_of_user, output_field=models.BigIntegerField()),
        a_actor=F("history_user_id"),
        a_where=F("history_where"),
        a_row=F("history_id"),
    )


def _token_history_model() -> Any:
    from django.apps import apps

    if not apps.is_installed("upward.integrations"):
        return None
    return apps.get_model("integrations", "ApiToken").history.model


def _token_events(scope: AuditScope) -> models.QuerySet[Any] | None:
    """A token's creation, revocation and use (recorded at most once a minute), shown as
    events of its owner."""
    history = _token_history_model()
    if history is None:
        return None
    rows = history.objects.all()
    if not scope.everything:
        rows = rows.filter(
            owner_id__in=people_in_scope(scope).filter(user__isnull=False).values("user_id")
        )
    person_of_user = Person.objects.filter(user_id=OuterRef("owner_id")).values("pk")[:1]
    return rows.annotate(
        a_source=Value("token"),
        a_at=F("history_date"),
        a_kind=Value(CHANGE_API_ACCESS),
        a_person=Subquery(person_of_user, output_field=models.BigIntegerField()),
        a_actor=F("history_user_id"),
        a_where=F("history_where"),
        a_row=F("history_id"),
    )


_COLUMNS = ("a_source", "a_at", "a_kind", "a_person", "a_actor", "a_where", "a_row")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def audit_entries(
    user: Any,
    *,
    person_id: int | None = None,
    kind: str = "",
    since: date | None = None,
    until: date | None = None,
) -> models.QuerySet[Any]:
    """Reads and changes the user may see, newest first, as rows of ``_COLUMNS``."""
    scope = audit_scope(user)
    if scope.empty:
        return AccessLogEntry.objects.none().values_list("id")
    parts = []
    if kind in ("", *AccessKind.values):
        parts.append(_reads(scope) if not kind else _reads(scope).filter(kind=kind))
    if kind in ("", CHANGE_PERSON):
        # Without a person chosen, an import is one entry; a person's own trail keeps theirs.
        parts.append(_person_changes(scope, grouped=person_id is None))
        if person_id is None:
            parts.append(_imports(scope))
    if kind in ("", CHANGE_ROLE):
        parts.append(_role_changes(scope))
    if kind in ("", CHANGE_API_ACCESS) and (tokens := _token_events(scope)) is not None:
        parts.append(tokens)
    filtered = []
    for part in parts:
        if person_id is not None:
            part = part.filter(a_person=person_id)
        if since is not None:
            part = part.filter(a_at__gte=_day_start(since))
        if until is not None:
            part = part.filter(a_at__lt=_day_start(until) + timedelta(days=1))
        filtered.append(part.order_by().values_list(*_COLUMNS))
    combined = filtered[0]
    if len(filtered) > 1:
        combined = combined.union(*filtered[1:], all=True)
    return combined.order_by("-a_at", "-a_row")


@dataclass
class AuditRow:
    source: str
    at: datetime
    kind: str
    kind_label: str
    person: Person | None
    person_id: int | None
    actor: User | None
    actor_id: int | None
    where: str
    detail: str


def _change_detail(model: Any, history_id: int) -> str:
    record = model.objects.filter(history_id=history_id).first()
    if record is None:
        return ""
    if record.history_type == "+":
        return "created"
    if record.history_type == "-":
        return "deleted"
    previous = record.prev_record
    if previous is None:
        return "changed"
    fields = sorted(c.field for c in record.diff_against(previous).changes)
    return "changed: " + ", ".join(fields) if fields else "saved without changes"


def audit_rows(page_rows: list[tuple[Any, ...]]) -> list[AuditRow]:
    """Turn a page of ``audit_entries`` into rows to show, with names resolved in bulk."""
    people = Person.objects.in_bulk({r[3] for r in page_rows if r[3] is not None})
    actors = User.objects.in_bulk({r[4] for r in page_rows if r[4] is not None})
    entries = AccessLogEntry.objects.in_bulk([r[6] for r in page_rows if r[0] == "read"])
    models_by_source = {
        "person": Person.history.model,  # type: ignore[attr-defined]
        "role": RoleGrant.history.model,  # type: ignore[attr-defined]
    }
    rows = []
    for source, at, kind, person_id, actor_id, where, row_id in page_rows:
        if source == "read":
            entry = entries.get(row_id)
            detail = entry.object_ref if entry else ""
        elif source == "token":
            record = _token_history_model().objects.filter(history_id=row_id).first()
            detail = (
                f"{record.history_change_reason or 'token changed'}: {record.prefix}… "
                f"({record.name})"
                if record
                else ""
            )
        elif source == "import":
            count = (
                models_by_source["person"]
                .objects.filter(
                    history_change_reason=IMPORT_REASON, history_date=at, history_where=where
                )
                .count()
            )
            detail = f"directory import: {count} {'entry' if count == 1 else 'entries'} written"
        else:
            detail = _change_detail(models_by_source[source], row_id)
        rows.append(
            AuditRow(
                source=source,
                at=at,
                kind=kind,
                kind_label=KIND_LABELS.get(kind, kind),
                person=people.get(person_id),
                person_id=person_id,
                actor=actors.get(actor_id),
                actor_id=actor_id,
                where=where,
                detail=detail,
            )
        )
    return rows


def person_for_admin(user: Any, pk: int) -> Person | None:
    """A directory person the user may handle data requests for (their organisation's)."""
    person = Person.objects.select_related("organisation", "user").filter(pk=pk).first()
    if person is None or not permissions.can_admin_organisation(user, person.organisation):
        return None
    return person


def erasures_for(user: Any) -> models.QuerySet[ErasureRecord]:
    records = ErasureRecord.objects.select_related("organisation", "performed_by")
    if getattr(user, "is_superuser", False):
        return records
    return records.filter(organisation_id__in=permissions.administered_organisation_ids(user))
