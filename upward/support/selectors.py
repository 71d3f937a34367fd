"""Reads of support. Every read of a concern by someone other than its raiser is written to
the access log, after the permission check passed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from upward.privacy.models import AccessKind
from upward.privacy.services import access_log_record

from .models import Concern, ExitReason, Resource, StrainFlag
from .permissions import can_see_concern, is_raiser

RELATED = ("programme", "raiser_person", "handler", "escalated_to")


def concerns_raised_by(user: Any) -> QuerySet[Concern]:
    if not getattr(user, "is_authenticated", False):
        return Concern.objects.none()
    return Concern.objects.filter(raiser=user).select_related(*RELATED)


def concerns_for_handler(user: Any) -> QuerySet[Concern]:
    """The inbox: concerns the user handles or that were escalated to them, open ones first,
    the nearest deadline first."""
    if not getattr(user, "is_authenticated", False):
        return Concern.objects.none()
    return (
        Concern.objects.filter(Q(handler=user) | Q(escalated_to=user))
        .select_related(*RELATED)
        .order_by("closed_at", "due_at", "pk")
    )


def is_overdue(concern: Concern) -> bool:
    return concern.open and concern.answered_at is None and concern.due_at < timezone.now()


def log_concern_read(user: Any, concern: Concern, route: str) -> None:
    if not is_raiser(user, concern):
        access_log_record(
            actor=user,
            subject_person=concern.raiser_person,
            kind=AccessKind.CONCERN,
            object_ref=f"concern:{concern.pk}",
            route=route,
            programme=concern.programme_id,
        )


def concern_or_404(user: Any, pk: int, *, route: str) -> Concern:
    """The concern, for its raiser, handler and escalation lead; 404 for anyone else. A read by
    anyone but the raiser is logged."""
    concern = Concern.objects.select_related(*RELATED).filter(pk=pk).first()
    if concern is None or not can_see_concern(user, concern):
        raise Http404("No such concern.")
    log_concern_read(user, concern, route)
    return concern


def exit_reasons_of(programme: Any) -> QuerySet[ExitReason]:
    """Reasons people gave for pausing or ending (the programme's coordinators only)."""
    return (
        ExitReason.objects.filter(pair__programme=programme)
        .select_related("pair__leader__person", "pair__mentor__person")
        .order_by("-created_at", "-pk")
    )


def resources_for_programmes(programmes: list[Any]) -> QuerySet[Resource]:
    """The resources a participant of these programmes can reach: each programme's own and
    those of its organisations."""
    ids = [p.pk for p in programmes]
    return (
        Resource.objects.filter(Q(programme_id__in=ids) | Q(organisation__programmes__in=ids))
        .distinct()
        .select_related("programme", "organisation")
    )


def resources_of(programme: Any) -> QuerySet[Resource]:
    return resources_for_programmes([programme])


def managed_programme_or_404(user: Any, slug: str) -> Any:
    """The programme, for its coordinators and wellbeing leads; 404 for anyone else."""
    from upward.programmes.models import Programme

    from .permissions import can_manage_resources

    programme = Programme.objects.filter(slug=slug).first()
    if programme is None or not can_manage_resources(user, programme):
        raise Http404("No such programme.")
    return programme


def strain_flags_of(programme: Any) -> QuerySet[StrainFlag]:
    """Open strain flags of a programme: which pair and since when, never an answer."""
    return (
        StrainFlag.objects.filter(pair__programme=programme, cleared_at__isnull=True)
        .select_related("pair__leader__person", "pair__mentor__person")
        .order_by("-raised_at", "-pk")
    )


def strain_flags_for_wellbeing_lead(user: Any) -> QuerySet[StrainFlag]:
    from upward.accounts.models import Role
    from upward.accounts.permissions import programme_ids_with_role

    ids = programme_ids_with_role(user, Role.WELLBEING_LEAD)
    return (
        StrainFlag.objects.filter(pair__programme_id__in=ids, cleared_at__isnull=True)
        .select_related("pair__programme", "pair__mentor__person")
        .order_by("-raised_at", "-pk")
    )


@dataclass(frozen=True)
class MentorLoad:
    live_pairs: int
    cap: int
    hours_a_month: int


def mentor_load(user: Any) -> MentorLoad | None:
    """The load matching respects for a mentor: live pairs across programmes against the
    organisation's cap, and the hours a month those programmes ask for."""
    from upward.pairs.models import Pair

    person = getattr(user, "person", None)
    if person is None:
        return None
    live = list(
        Pair.objects.filter(
            mentor__person=person,
            state__in=(Pair.State.PREPARING, Pair.State.ACTIVE, Pair.State.PAUSED),
        ).select_related("programme")
    )
    return MentorLoad(
        live_pairs=len(live),
        cap=person.organisation.mentor_load_cap,
        hours_a_month=sum(p.programme.hours_per_month for p in live),
    )


def invitations_last_year(person_ids: list[int]) -> dict[int, int]:
    """How many programmes invited each person in the last 12 months."""
    from django.db.models import Count

    from upward.programmes.models import Invitation

    since = timezone.now() - dt.timedelta(days=365)
    rows = (
        Invitation.objects.filter(person_id__in=person_ids, created_at__gte=since)
        .values("person_id")
        .annotate(n=Count("pk"))
        .values_list("person_id", "n")
    )
    return dict(rows)


def asked_again(people: list[Any]) -> list[tuple[Any, int]]:
    """People of an invitation wave already invited to other programmes in the last 12
    months at least ``UPWARD_INVITATION_REPEAT_WARNING`` times (default 1), most asked first."""
    from django.conf import settings

    threshold = getattr(settings, "UPWARD_INVITATION_REPEAT_WARNING", 1)
    counts = invitations_last_year([p.pk for p in people])
    found = [(p, counts[p.pk]) for p in people if counts.get(p.pk, 0) >= threshold]
    return sorted(found, key=lambda pc: (-pc[1], pc[0].name))
