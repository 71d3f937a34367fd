"""Programmes, their readiness gate and cohorts."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from upward.core.api import CONFLICT, VersionIn
from upward.core.bounds import BoundedDate, BoundedDateTime
from upward.matching.style import TRAITS

from .. import selectors, services
from ..models import (
    Cohort,
    ReadinessItem,
)
from ._common import (
    ProgrammeCreateIn,
    ProgrammeOut,
    ProgrammePatchIn,
    ProgrammeSummaryOut,
    ReadinessOut,
    ReasonIn,
    coordinated,
    organisations_from,
    programme_out,
)

router = Router(tags=["programmes"])
TRAIT_NAMES = Literal[TRAITS]  # type: ignore[valid-type]

# --- programmes -----------------------------------------------------------------------------


@router.get("", response=list[ProgrammeSummaryOut], summary="Programmes you coordinate")
def list_programmes(request: HttpRequest) -> Any:
    return list(selectors.coordinated_programmes(request.user))


class ParticipantProgrammeOut(Schema):
    programme: ProgrammeSummaryOut
    invited_as: str | None
    application_status: str | None
    sides_open_to_you: list[str]
    can_apply: bool


@router.get(
    "/mine",
    response=list[ParticipantProgrammeOut],
    summary="Programmes you are invited to, applied to, or may apply to",
)
def my_programmes(request: HttpRequest) -> Any:
    return [
        {
            "programme": view.programme,
            "invited_as": view.invitation.side if view.invitation else None,
            "application_status": view.application.status if view.application else None,
            "sides_open_to_you": view.sides if view.programme.applications_open else [],
            "can_apply": view.can_apply,
        }
        for view in selectors.participant_programmes(request.user)
    ]


@router.post("", response={201: ProgrammeOut}, summary="Set up a programme")
def create_programme(request: HttpRequest, payload: ProgrammeCreateIn) -> Any:
    if not selectors.can_set_up_programmes(request.user):
        raise HttpError(403, "You cannot set up programmes.")
    programme = services.programme_create(
        by=request.user,
        name=payload.name,
        kind=payload.kind,
        organisations=organisations_from(payload.organisations),
        starts_on=payload.starts_on,
        length_months=payload.length_months,
        description=payload.description,
        meeting_cadence=payload.meeting_cadence,
        meeting_minutes=payload.meeting_minutes,
        hours_per_month=payload.hours_per_month,
        anonymity_threshold=payload.anonymity_threshold,
    )
    return Status(201, programme_out(programme))


@router.get("/{slug}", response=ProgrammeOut, summary="One programme you coordinate")
def get_programme(request: HttpRequest, slug: str) -> Any:
    return programme_out(coordinated(request, slug))


@router.patch(
    "/{slug}",
    response={200: ProgrammeOut, **CONFLICT},
    summary="Change a programme's basics (send the version you read; 409 if it is outdated)",
)
def patch_programme(request: HttpRequest, slug: str, payload: ProgrammePatchIn) -> Any:
    programme = coordinated(request, slug)
    data = payload.dict(exclude_unset=True)
    organisations = (
        organisations_from(data["organisations"])
        if data.get("organisations") is not None
        else list(programme.organisations.all())
    )
    services.programme_update(
        programme=programme,
        by=request.user,
        version=payload.version,
        name=data.get("name") or programme.name,
        kind=data.get("kind") or programme.kind,
        organisations=organisations,
        description=data.get("description", programme.description) or "",
        starts_on=data.get("starts_on", programme.starts_on),
        ends_on=data.get("ends_on", programme.ends_on),
        meeting_cadence=data.get("meeting_cadence") or programme.meeting_cadence,
        meeting_minutes=data.get("meeting_minutes") or programme.meeting_minutes,
        hours_per_month=data.get("hours_per_month") or programme.hours_per_month,
        anonymity_threshold=data.get("anonymity_threshold") or programme.anonymity_threshold,
    )
    return programme_out(programme)


class ProgrammeWorkingStyleIn(VersionIn):
    weight: int = Field(
        ge=0, le=5, description="0 turns the criterion off; 1 to 5 how much it counts"
    )
    complementary_traits: list[TRAIT_NAMES] = Field(  # type: ignore[valid-type]
        default_factory=list,
        max_length=5,
        description="Traits on which complementary people are paired; alike on the others",
    )


@router.put(
    "/{slug}/working-style",
    response={200: ProgrammeOut, **CONFLICT},
    summary="Match on working style: its weight and, per trait, alike or complementary "
    "(send the version you read; 409 if it is outdated)",
)
def set_working_style(request: HttpRequest, slug: str, payload: ProgrammeWorkingStyleIn) -> Any:
    programme = coordinated(request, slug)
    services.programme_working_style_set(
        programme=programme,
        by=request.user,
        version=payload.version,
        weight=payload.weight,
        complementary_traits=list(payload.complementary_traits),
    )
    return programme_out(programme)


class PhaseIn(Schema):
    phase: Literal[
        "readiness",
        "sourcing",
        "matching",
        "preparation",
        "running",
        "midpoint",
        "close",
        "celebration",
    ]


@router.post("/{slug}/phase", response=ProgrammeOut, summary="Move to another phase")
def set_phase(request: HttpRequest, slug: str, payload: PhaseIn) -> Any:
    programme = coordinated(request, slug)
    programme = services.programme_phase_set(
        programme=programme, by=request.user, phase=payload.phase
    )
    return programme_out(programme)


# --- readiness ------------------------------------------------------------------------------


class ReadinessItemOut(Schema):
    id: int
    version: int
    key: str
    title: str
    description: str
    status: str
    owner: str
    evidence: str
    due_on: dt.date | None
    completed_at: dt.datetime | None


class InterviewOut(Schema):
    id: int
    interviewee: str
    role: str
    held_on: dt.date
    problems: str
    themes: list[str]


class ReadinessBoardOut(Schema):
    readiness: ReadinessOut
    items: list[ReadinessItemOut]
    interviews: list[InterviewOut]
    override_reason: str


class ReadinessItemIn(VersionIn):
    status: Literal["todo", "in_progress", "done"]
    owner: str = Field("", max_length=200)
    evidence: str = Field("", max_length=10000)
    due_on: BoundedDate | None = None


class OpenIn(Schema):
    deadline: BoundedDateTime | None = None


@router.get("/{slug}/readiness", response=ReadinessBoardOut, summary="The readiness board")
def readiness_board(request: HttpRequest, slug: str) -> Any:
    programme = coordinated(request, slug)
    readiness = selectors.readiness_of(programme)
    return {
        "readiness": {
            "total": readiness.total,
            "done": readiness.done,
            "complete": readiness.complete,
            "overridden": readiness.overridden,
            "passed": readiness.passed,
        },
        "items": list(programme.readiness_items.all()),
        "interviews": list(programme.interviews.all()),
        "override_reason": programme.readiness_override_reason,
    }


@router.patch(
    "/{slug}/readiness/{int:item_id}",
    response={200: ReadinessItemOut, **CONFLICT},
    summary="Update a checklist item (send the version you read; 409 if it is outdated)",
)
def update_item(request: HttpRequest, slug: str, item_id: int, payload: ReadinessItemIn) -> Any:
    programme = coordinated(request, slug)
    item = get_object_or_404(ReadinessItem, pk=item_id, programme=programme)
    return services.readiness_item_update(
        item=item,
        by=request.user,
        version=payload.version,
        status=payload.status,
        owner=payload.owner,
        evidence=payload.evidence,
        due_on=payload.due_on,
    )


@router.post(
    "/{slug}/readiness/override",
    response=ProgrammeOut,
    summary="Override the readiness gate, with a reason kept on the record",
)
def override_readiness(request: HttpRequest, slug: str, payload: ReasonIn) -> Any:
    programme = coordinated(request, slug)
    programme = services.programme_readiness_override(
        programme=programme, by=request.user, reason=payload.reason
    )
    return programme_out(programme)


@router.post(
    "/{slug}/applications/open",
    response=ProgrammeOut,
    summary="Open applications (only once the readiness gate is passed)",
)
def open_applications(request: HttpRequest, slug: str, payload: OpenIn) -> Any:
    programme = coordinated(request, slug)
    programme = services.programme_applications_open(
        programme=programme, by=request.user, deadline=payload.deadline
    )
    return programme_out(programme)


@router.post(
    "/{slug}/applications/deadline",
    response=ProgrammeOut,
    summary="Move or remove the deadline for applying and changing answers",
)
def set_deadline(request: HttpRequest, slug: str, payload: OpenIn) -> Any:
    programme = coordinated(request, slug)
    programme = services.programme_deadline_set(
        programme=programme, by=request.user, deadline=payload.deadline
    )
    return programme_out(programme)


@router.post("/{slug}/applications/close", response=ProgrammeOut, summary="Close applications")
def close_applications(request: HttpRequest, slug: str) -> Any:
    programme = coordinated(request, slug)
    programme = services.programme_applications_close(programme=programme, by=request.user)
    return programme_out(programme)


# --- cohorts --------------------------------------------------------------------------------


class CohortOut(Schema):
    id: int
    version: int
    name: str
    starts_on: dt.date | None
    capacity: int | None
    description: str


class CohortIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    starts_on: BoundedDate | None = None
    capacity: int | None = Field(None, ge=1, le=10000)
    description: str = Field("", max_length=2000)


class CohortChangeIn(CohortIn, VersionIn):
    pass


@router.get("/{slug}/cohorts", response=list[CohortOut], summary="The programme's cohorts")
def list_cohorts(request: HttpRequest, slug: str) -> Any:
    return list(coordinated(request, slug).cohorts.all())


@router.post("/{slug}/cohorts", response={201: CohortOut}, summary="Add a cohort")
def create_cohort(request: HttpRequest, slug: str, payload: CohortIn) -> Any:
    programme = coordinated(request, slug)
    cohort = services.cohort_save(programme=programme, by=request.user, **payload.dict())
    return Status(201, cohort)


@router.put(
    "/{slug}/cohorts/{int:cohort_id}",
    response={200: CohortOut, **CONFLICT},
    summary="Change a cohort (send the version you read; 409 if it is outdated)",
)
def update_cohort(request: HttpRequest, slug: str, cohort_id: int, payload: CohortChangeIn) -> Any:
    programme = coordinated(request, slug)
    cohort = get_object_or_404(Cohort, pk=cohort_id, programme=programme)
    return services.cohort_save(
        programme=programme, by=request.user, cohort=cohort, **payload.dict()
    )


@router.delete("/{slug}/cohorts/{int:cohort_id}", response={204: None}, summary="Delete a cohort")
def delete_cohort(request: HttpRequest, slug: str, cohort_id: int) -> Any:
    programme = coordinated(request, slug)
    cohort = get_object_or_404(Cohort, pk=cohort_id, programme=programme)
    services.cohort_delete(cohort=cohort, by=request.user)
    return Status(204, None)
