"""Screening applications: lists, details, logged sensitive views, decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from upward.core.bounds import MAX_ID, BoundedPageNumberPagination, Id

from .. import selectors, services
from ..models import (
    Application,
    Cohort,
    SensitiveAccess,
    Side,
)
from ._common import (
    AnswerOut,
    ReasonIn,
    answers_out,
    coordinated,
)

router = Router(tags=["screening"])

# --- screening ------------------------------------------------------------------------------


class ApplicationSummaryOut(Schema):
    id: int
    person_id: int
    name: str
    organisation: str
    department: str
    grade_level: int
    side: str
    status: str
    eligible: bool
    eligibility_reasons: list[str]
    eligibility_override_reason: str
    cohort_id: int | None
    submitted_at: dt.datetime


def _summary(application: Application) -> dict[str, Any]:
    person = application.person
    return {
        "id": application.pk,
        "person_id": person.pk,
        "name": person.name,
        "organisation": person.organisation.name,
        "department": person.department,
        "grade_level": person.grade_level,
        "side": application.side,
        "status": application.status,
        "eligible": application.eligible,
        "eligibility_reasons": application.eligibility_reasons,
        "eligibility_override_reason": application.eligibility_override_reason,
        "cohort_id": application.cohort_id,
        "submitted_at": application.submitted_at,
    }


class ApplicationDetailOut(ApplicationSummaryOut):
    answers: list[AnswerOut]
    has_sensitive: bool


@router.get(
    "/{slug}/applications",
    response=list[ApplicationSummaryOut],
    summary="Applications, filtered; never with identity or sensitive answers",
)
@paginate(BoundedPageNumberPagination, page_size=100)
def list_applications(
    request: HttpRequest,
    slug: str,
    side: str = "",
    status: str = "",
    eligibility: str = "",
    cohort: int | None = Query(None, ge=1, le=MAX_ID),
    q: str = "",
) -> Any:
    programme = coordinated(request, slug)
    if side and side not in Side.values:
        raise HttpError(400, f"Unknown side '{side}'.")
    if status and status not in Application.Status.values:
        raise HttpError(400, f"Unknown status '{status}'.")
    if eligibility and eligibility not in ("eligible", "ineligible", "overridden"):
        raise HttpError(400, f"Unknown eligibility filter '{eligibility}'.")
    listed = selectors.applications_for_screening(
        programme,
        side=side,
        status=status,
        eligibility=eligibility,
        cohort_id=cohort,
        query=q[:100],
    )
    return [_summary(a) for a in listed]


@router.get(
    "/{slug}/applications/{int:application_id}",
    response=ApplicationDetailOut,
    summary="One application; sensitive answers hidden",
)
def get_application(request: HttpRequest, slug: str, application_id: int) -> Any:
    programme = coordinated(request, slug)
    application = selectors.application_of_coordinated(request.user, programme, application_id)
    return {
        **_summary(application),
        "answers": answers_out(application, include_sensitive=False),
        "has_sensitive": any(
            q.sensitive for q in selectors.form_questions(programme, application.side)
        )
        or application.identity_disclosures.exists(),
    }


class SensitiveIn(Schema):
    reason: Literal["matching", "eligibility", "adjustment", "safeguarding", "other"]
    note: str = Field("", max_length=300)


class LabelledOut(Schema):
    label: str
    value: str


class SensitiveOut(Schema):
    identity: list[LabelledOut]
    answers: list[LabelledOut]


@router.post(
    "/{slug}/applications/{int:application_id}/sensitive",
    response=SensitiveOut,
    summary="See an applicant's sensitive answers; the look is recorded with the reason",
)
def see_sensitive(
    request: HttpRequest, slug: str, application_id: int, payload: SensitiveIn
) -> Any:
    programme = coordinated(request, slug)
    application = selectors.application_of_coordinated(request.user, programme, application_id)
    shown = services.application_sensitive_view(
        application=application,
        viewer=request.user,
        reason=SensitiveAccess.Reason(payload.reason),
        note=payload.note,
        channel="api",
    )
    return {
        "identity": [{"label": r["label"], "value": r["value"]} for r in shown["identity"]],
        "answers": [{"label": r["label"], "value": r["text"]} for r in shown["answers"]],
    }


class DecideIn(Schema):
    applications: list[Id] = Field(..., min_length=1, max_length=5000)
    decision: Literal["accept", "waitlist", "decline", "cohort"]
    cohort: Id | None = None


class DecidedOut(Schema):
    updated: int


@router.post(
    "/{slug}/applications/decide",
    response=DecidedOut,
    summary="Accept, waitlist, decline or assign a cohort, all or none",
)
def decide(request: HttpRequest, slug: str, payload: DecideIn) -> Any:
    programme = coordinated(request, slug)
    cohort = None
    if payload.cohort is not None:
        cohort = Cohort.objects.filter(pk=payload.cohort, programme=programme).first()
        if cohort is None:
            raise HttpError(400, "Choose one of this programme's cohorts.")
    count = services.applications_decide(
        programme=programme,
        by=request.user,
        application_ids=payload.applications,
        decision=payload.decision,
        cohort=cohort,
    )
    return {"updated": count}


@router.post(
    "/{slug}/applications/{int:application_id}/override",
    response=ApplicationSummaryOut,
    summary="Let an ineligible applicant take part, with a reason kept on the record",
)
def override_eligibility(
    request: HttpRequest, slug: str, application_id: int, payload: ReasonIn
) -> Any:
    programme = coordinated(request, slug)
    application = selectors.application_of_coordinated(request.user, programme, application_id)
    application = services.application_eligibility_override(
        application=application, by=request.user, reason=payload.reason
    )
    return _summary(application)
