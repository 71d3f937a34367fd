"""Reads of support. Every read of a concern by someone other than its raiser is written to
the access log, after the permission check passed."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from upward.privacy.models import AccessKind
from upward.privacy.services import access_log_record

from .models import Concern, ExitReason, Resource
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
