"""Workshops: sign-up and leaving; coordinators' scheduling, cancelling and attendance."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from upward.core.bounds import BoundedDateTime, Id
from upward.pairs.api import Detail
from upward.programmes.models import Programme

from .. import selectors, services
from ..emails import person_zone
from ..models import Workshop
from ._common import ERRORS, AudienceIn, Version, coordinated

router = Router(tags=["preparation"])


class WorkshopOut(Schema):
    id: int
    title: str
    kind: str
    audience: str
    cohort_id: int | None
    starts_at: dt.datetime = Field(..., description="In your own time zone.")
    minutes: int
    place: str
    video_url: str
    capacity: int
    booked: int
    cancelled: bool
    sequence: int
    version: int
    your_place: str | None = Field(None, description="'booked', 'waiting' or none.")
    calendar_url: str


def workshop_out(w: Workshop, tz_name: str, place: str | None = None) -> dict[str, Any]:
    from upward.core.ics import zone

    return {
        "id": w.pk,
        "title": w.title,
        "kind": w.kind,
        "audience": w.audience,
        "cohort_id": w.cohort_id,
        "starts_at": w.starts_at.astimezone(zone(tz_name)),
        "minutes": w.minutes,
        "place": w.place,
        "video_url": w.video_url,
        "capacity": w.capacity,
        "booked": getattr(w, "booked", None)
        if getattr(w, "booked", None) is not None
        else w.seats.filter(status="booked").count(),
        "cancelled": w.cancelled_at is not None,
        "sequence": w.sequence,
        "version": w.version,
        "your_place": place,
        "calendar_url": reverse("preparation:workshop_ics", args=[w.pk]),
    }


@router.get("/workshops", response=list[WorkshopOut], summary="Upcoming workshops you may join")
def my_workshops(request: HttpRequest) -> list[dict[str, Any]]:
    tz = person_zone(request.user)
    return [workshop_out(w, tz, place or None) for w, place in selectors.my_workshops(request.user)]


@router.post(
    "/workshops/{int:workshop_id}/sign-up",
    response={200: WorkshopOut, **ERRORS},
    summary="Book a place, or join the waiting list when it is full",
)
def sign_up(request: HttpRequest, workshop_id: int) -> dict[str, Any]:
    workshop = selectors.workshop_for_user(request.user, workshop_id)
    seat = services.workshop_sign_up(
        workshop=workshop, user=request.user, base_url=request.build_absolute_uri("/")
    )
    return workshop_out(workshop, person_zone(request.user), seat.status)


@router.post(
    "/workshops/{int:workshop_id}/leave",
    response={200: WorkshopOut, **ERRORS},
    summary="Give up your place or leave the waiting list",
)
def leave(request: HttpRequest, workshop_id: int) -> dict[str, Any]:
    workshop = selectors.workshop_for_user(request.user, workshop_id)
    services.workshop_leave(
        workshop=workshop, user=request.user, base_url=request.build_absolute_uri("/")
    )
    return workshop_out(workshop, person_zone(request.user))


@router.get(
    "/programmes/{slug}/workshops",
    response={200: list[WorkshopOut], 404: Detail},
    summary="The programme's workshops (coordinators)",
)
def workshops(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    tz = person_zone(request.user)
    return [workshop_out(w, tz) for w in selectors.workshops_of(coordinated(request, slug))]


class WorkshopIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    kind: Literal[
        "training", "joint", "kickoff", "coaching", "midpoint", "ideas", "celebration"
    ] = "training"
    audience: AudienceIn = "everyone"
    cohort_id: Id | None = None
    starts_at: BoundedDateTime = Field(
        ..., description="With its UTC offset, e.g. 2027-03-04T09:30:00+00:00."
    )
    minutes: int = Field(90, ge=15, le=480)
    place: str = Field("", max_length=300)
    video_url: str = Field("", max_length=500)
    capacity: int = Field(20, ge=1, le=1000)
    description: str = Field("", max_length=5000)


class WorkshopChangeIn(WorkshopIn):
    version: int = Version


def _values(programme: Programme, body: WorkshopIn | WorkshopChangeIn) -> dict[str, Any]:
    if body.starts_at.tzinfo is None:
        raise HttpError(400, "Give starts_at with its UTC offset.")
    data = body.model_dump(exclude={"version", "cohort_id"})
    data["cohort"] = None
    if body.cohort_id is not None:
        data["cohort"] = programme.cohorts.filter(pk=body.cohort_id).first()
        if data["cohort"] is None:
            raise HttpError(400, "Choose one of the programme's cohorts.")
    return data


@router.post(
    "/programmes/{slug}/workshops",
    response={201: WorkshopOut, **ERRORS},
    summary="Schedule a workshop, joint session or cohort kick-off",
)
def workshop_create(request: HttpRequest, slug: str, body: WorkshopIn) -> Any:
    programme = coordinated(request, slug)
    w = services.workshop_save(
        programme=programme, by=request.user, values=_values(programme, body)
    )
    return Status(201, workshop_out(w, person_zone(request.user)))


def _workshop(request: HttpRequest, slug: str, workshop_id: int) -> Workshop:
    return get_object_or_404(
        Workshop.objects.select_related("programme"),
        programme=coordinated(request, slug),
        pk=workshop_id,
    )


@router.put(
    "/programmes/{slug}/workshops/{int:workshop_id}",
    response={200: WorkshopOut, **ERRORS},
    summary="Change a workshop: everyone booked gets the updated invitation (same UID, higher "
    "SEQUENCE)",
)
def workshop_update(
    request: HttpRequest, slug: str, workshop_id: int, body: WorkshopChangeIn
) -> dict[str, Any]:
    w = _workshop(request, slug, workshop_id)
    saved = services.workshop_save(
        programme=w.programme,
        by=request.user,
        workshop=w,
        version=body.version,
        values=_values(w.programme, body),
        base_url=request.build_absolute_uri("/"),
    )
    return workshop_out(saved, person_zone(request.user))


class WorkshopVersionIn(Schema):
    version: int = Version


@router.post(
    "/programmes/{slug}/workshops/{int:workshop_id}/cancel",
    response={200: WorkshopOut, **ERRORS},
    summary="Cancel a workshop: everyone booked gets a METHOD:CANCEL invitation",
)
def workshop_cancel(
    request: HttpRequest, slug: str, workshop_id: int, body: WorkshopVersionIn
) -> dict[str, Any]:
    w = _workshop(request, slug, workshop_id)
    saved = services.workshop_cancel(
        workshop=w, by=request.user, version=body.version, base_url=request.build_absolute_uri("/")
    )
    return workshop_out(saved, person_zone(request.user))


class AttendanceIn(Schema):
    version: int = Version
    present: list[Id] = Field(
        default_factory=list, max_length=1000, description="User ids who came."
    )


class AttendanceOut(Schema):
    came: int


@router.post(
    "/programmes/{slug}/workshops/{int:workshop_id}/attendance",
    response={200: AttendanceOut, **ERRORS},
    summary="Record who came; everyone else booked is marked absent",
)
def attendance(
    request: HttpRequest, slug: str, workshop_id: int, body: AttendanceIn
) -> dict[str, int]:
    w = _workshop(request, slug, workshop_id)
    came = services.attendance_take(
        workshop=w, by=request.user, attended_user_ids=set(body.present), version=body.version
    )
    return {"came": came}
