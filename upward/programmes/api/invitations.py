"""Invitation waves, counts and reminders."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from upward.core.bounds import BoundedPageNumberPagination

from .. import selectors, services
from ..models import (
    Invitation,
    Programme,
)
from ._common import (
    SideLiteral,
    coordinated,
    organisations_from,
)

router = Router(tags=["invitations"])

# --- invitations ----------------------------------------------------------------------------


class CountsOut(Schema):
    invited: int
    opened: int
    applied: int
    declined: int


class WaveOut(Schema):
    number: int
    side: str
    created_at: dt.datetime
    counts: CountsOut


class InvitationsOut(Schema):
    totals: CountsOut
    waves: list[WaveOut]


class InvitedPersonOut(Schema):
    person_id: int
    name: str
    job_title: str
    grade_level: int
    organisation: str


class InvitationOut(Schema):
    id: int
    wave: int
    side: str
    status: str
    name: str
    sent_at: dt.datetime | None
    reminders_sent: int


class WaveIn(Schema):
    side: SideLiteral
    organisations: list[str] = Field(default_factory=list, description="Organisation slugs.")
    departments: list[str] = Field(default_factory=list)
    grade_min: int | None = Field(None, ge=0, le=100)
    grade_max: int | None = Field(None, ge=0, le=100)
    identifiers: list[str] = Field(
        default_factory=list, description="Employee ids or email addresses."
    )
    order: Literal["senior", "junior", "name"] = "senior"
    limit: int | None = Field(None, ge=1, le=5000)
    message: str = Field("", max_length=2000)
    preview: bool = Field(False, description="Only list who would be invited; send nothing.")


class WaveResultOut(Schema):
    sent: bool
    number: int | None
    count: int
    people: list[InvitedPersonOut]


def _invitation_totals(programme: Programme) -> dict[str, Any]:
    totals, per_wave = selectors.invitation_counts(programme)
    empty = selectors.InvitationCounts()
    return {
        "totals": totals.__dict__,
        "waves": [
            {
                "number": w.number,
                "side": w.side,
                "created_at": w.created_at,
                "counts": per_wave.get(w.pk, empty).__dict__,
            }
            for w in selectors.waves_of(programme)
        ],
    }


@router.get(
    "/{slug}/invitations",
    response=InvitationsOut,
    summary="Invitation counts: invited, opened, applied, declined, in all and per wave",
)
def invitation_counts(request: HttpRequest, slug: str) -> Any:
    return _invitation_totals(coordinated(request, slug))


@router.get("/{slug}/invitations/people", response=list[InvitationOut], summary="Everyone invited")
@paginate(BoundedPageNumberPagination, page_size=100)
def invitation_list(request: HttpRequest, slug: str, status: str = "") -> Any:
    programme = coordinated(request, slug)
    invitations = programme.invitations.select_related("person", "wave")
    if status:
        if status not in Invitation.Status.values:
            raise HttpError(400, f"Unknown status '{status}'.")
        invitations = invitations.filter(status=status)
    return [
        {
            "id": i.pk,
            "wave": i.wave.number,
            "side": i.side,
            "status": i.status,
            "name": i.person.name,
            "sent_at": i.sent_at,
            "reminders_sent": i.reminders_sent,
        }
        for i in invitations
    ]


@router.post(
    "/{slug}/invitations/waves",
    response={200: WaveResultOut, 201: WaveResultOut},
    summary="Invite a wave of people (most senior first by default), or preview it",
)
def send_wave(request: HttpRequest, slug: str, payload: WaveIn) -> Any:
    programme = coordinated(request, slug)
    if (
        payload.grade_min is not None
        and payload.grade_max is not None
        and payload.grade_min > payload.grade_max
    ):
        raise HttpError(400, "The lowest grade must not be above the highest grade.")
    organisation_ids = (
        [o.pk for o in organisations_from(payload.organisations)] if payload.organisations else []
    )
    candidates = selectors.invitation_candidates(
        programme=programme,
        organisation_ids=organisation_ids,
        departments=payload.departments,
        grade_min=payload.grade_min,
        grade_max=payload.grade_max,
        identifiers=payload.identifiers,
        order=payload.order,
    )
    people = list(candidates[: payload.limit] if payload.limit else candidates)
    listed = [
        {
            "person_id": p.pk,
            "name": p.name,
            "job_title": p.job_title,
            "grade_level": p.grade_level,
            "organisation": p.organisation.name,
        }
        for p in people
    ]
    if payload.preview:
        return Status(200, {"sent": False, "number": None, "count": len(people), "people": listed})
    wave = services.invitation_wave_send(
        programme=programme,
        by=request.user,
        side=payload.side,
        people=people,
        criteria={
            "organisation_ids": organisation_ids,
            "departments": payload.departments,
            "grade_min": payload.grade_min,
            "grade_max": payload.grade_max,
            "identifiers": payload.identifiers,
            "order": payload.order,
            "limit": payload.limit,
        },
        message=payload.message,
        base_url=request.build_absolute_uri("/"),
    )
    return Status(
        201, {"sent": True, "number": wave.number, "count": len(people), "people": listed}
    )


class RemindedOut(Schema):
    reminded: int


@router.post(
    "/{slug}/invitations/remind",
    response=RemindedOut,
    summary="Remind people who have not replied (at most twice, three days apart)",
)
def remind(request: HttpRequest, slug: str) -> Any:
    programme = coordinated(request, slug)
    count = services.invitation_reminders_send(
        programme=programme, by=request.user, base_url=request.build_absolute_uri("/")
    )
    return {"reminded": count}
