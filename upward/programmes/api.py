"""Programme API: the same rules as the pages. Coordinators manage their programmes;
participants see and change only their own application. Anyone else gets 404.

A broken rule answers 400 with ``{"detail": "..."}``; answers that fail the form's checks
answer 422 with ``{"detail": "...", "errors": {"<question id>": ["..."]}}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from upward.consent.models import Channel
from upward.directory.models import Organisation

from . import identity, selectors, services
from .errors import RuleBroken
from .forms import IdentityForm
from .models import (
    Application,
    Cohort,
    Invitation,
    Programme,
    ReadinessItem,
    SensitiveAccess,
    Side,
)
from .policy import describe, policy_of
from .questions import SLOTS, AnswersForm, answers_for_display, data_from_api
from .services.applications import EDITABLE

router = Router(tags=["programmes"])

SideLiteral = Literal["leader", "mentor"]


def _rule(exc: RuleBroken) -> HttpError:
    return HttpError(400, str(exc))


def _coordinated(request: HttpRequest, slug: str) -> Programme:
    return selectors.coordinated_programme_or_404(request.user, slug)


# --- schemas --------------------------------------------------------------------------------


class ObjectiveOut(Schema):
    challenge: str
    title: str
    detail: str


class ReadinessOut(Schema):
    total: int
    done: int
    complete: bool
    overridden: bool
    passed: bool


class ProgrammeSummaryOut(Schema):
    slug: str
    name: str
    kind: str
    phase: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    applications_open: bool


class ProgrammeOut(ProgrammeSummaryOut):
    description: str
    organisations: list[str]
    meeting_cadence: str
    meeting_minutes: int
    hours_per_month: int
    anonymity_threshold: int
    applications_deadline: dt.datetime | None
    open_call_leaders: bool
    open_call_mentors: bool
    objectives: list[ObjectiveOut]
    identity_dimensions: list[str]
    matching_policy: dict[str, Any]
    matching_policy_in_words: dict[str, list[str]]
    readiness: ReadinessOut


def _programme_out(programme: Programme) -> dict[str, Any]:
    readiness = selectors.readiness_of(programme)
    policy = policy_of(programme.matching_policy)
    return {
        "slug": programme.slug,
        "name": programme.name,
        "kind": programme.kind,
        "phase": programme.phase,
        "starts_on": programme.starts_on,
        "ends_on": programme.ends_on,
        "applications_open": programme.applications_open,
        "description": programme.description,
        "organisations": [o.slug for o in programme.organisations.all()],
        "meeting_cadence": programme.meeting_cadence,
        "meeting_minutes": programme.meeting_minutes,
        "hours_per_month": programme.hours_per_month,
        "anonymity_threshold": programme.anonymity_threshold,
        "applications_deadline": programme.applications_deadline,
        "open_call_leaders": programme.open_call_leaders,
        "open_call_mentors": programme.open_call_mentors,
        "objectives": [
            {"challenge": o.challenge, "title": o.title, "detail": o.detail}
            for o in programme.objectives.all()
        ],
        "identity_dimensions": programme.identity_dimensions,
        "matching_policy": policy.as_json(),
        "matching_policy_in_words": describe(
            policy,
            difference=[d.label for d in identity.dimensions_for(programme.identity_dimensions)],
        ),
        "readiness": {
            "total": readiness.total,
            "done": readiness.done,
            "complete": readiness.complete,
            "overridden": readiness.overridden,
            "passed": readiness.passed,
        },
    }


class ProgrammeCreateIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: Literal["reverse", "reciprocal", "traditional"] = "reverse"
    organisations: list[str] = Field(..., min_length=1, description="Organisation slugs.")
    starts_on: dt.date
    length_months: int = Field(12, ge=3, le=36)
    description: str = Field("", max_length=5000)
    meeting_cadence: Literal["weekly", "fortnightly", "monthly", "six_weekly"] = "monthly"
    meeting_minutes: int = Field(60, ge=15, le=240)
    hours_per_month: int = Field(2, ge=1, le=40)
    anonymity_threshold: int = Field(5, ge=3, le=50)


class ProgrammePatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: Literal["reverse", "reciprocal", "traditional"] | None = None
    organisations: list[str] | None = Field(None, min_length=1)
    description: str | None = Field(None, max_length=5000)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    meeting_cadence: Literal["weekly", "fortnightly", "monthly", "six_weekly"] | None = None
    meeting_minutes: int | None = Field(None, ge=15, le=240)
    hours_per_month: int | None = Field(None, ge=1, le=40)
    anonymity_threshold: int | None = Field(None, ge=3, le=50)


def _organisations(slugs: list[str]) -> list[Organisation]:
    found = list(Organisation.objects.filter(slug__in=slugs))
    missing = sorted(set(slugs) - {o.slug for o in found})
    if missing:
        raise HttpError(400, f"Unknown organisation: {', '.join(missing)}.")
    return found


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
    try:
        programme = services.programme_create(
            by=request.user,
            name=payload.name,
            kind=payload.kind,
            organisations=_organisations(payload.organisations),
            starts_on=payload.starts_on,
            length_months=payload.length_months,
            description=payload.description,
            meeting_cadence=payload.meeting_cadence,
            meeting_minutes=payload.meeting_minutes,
            hours_per_month=payload.hours_per_month,
            anonymity_threshold=payload.anonymity_threshold,
        )
    except RuleBroken as exc:
        raise _rule(exc) from exc
    return 201, _programme_out(programme)


@router.get("/{slug}", response=ProgrammeOut, summary="One programme you coordinate")
def get_programme(request: HttpRequest, slug: str) -> Any:
    return _programme_out(_coordinated(request, slug))


@router.patch("/{slug}", response=ProgrammeOut, summary="Change a programme's basics")
def patch_programme(request: HttpRequest, slug: str, payload: ProgrammePatchIn) -> Any:
    programme = _coordinated(request, slug)
    data = payload.dict(exclude_unset=True)
    organisations = (
        _organisations(data["organisations"])
        if data.get("organisations") is not None
        else list(programme.organisations.all())
    )
    try:
        services.programme_update(
            programme=programme,
            by=request.user,
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
    except RuleBroken as exc:
        raise _rule(exc) from exc
    return _programme_out(programme)


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
    programme = _coordinated(request, slug)
    try:
        programme = services.programme_phase_set(
            programme=programme, by=request.user, phase=payload.phase
        )
    except RuleBroken as exc:
        raise _rule(exc) from exc
    return _programme_out(programme)


# --- readiness ------------------------------------------------------------------------------


class ReadinessItemOut(Schema):
    id: int
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


class ReadinessItemIn(Schema):
    status: Literal["todo", "in_progress", "done"]
    owner: str = Field("", max_length=200)
    evidence: str = Field("", max_length=10000)
    due_on: dt.date | None = None


class ReasonIn(Schema):
    reason: str = Field(..., max_length=2000)


class OpenIn(Schema):
    deadline: dt.datetime | None = None


@router.get("/{slug}/readiness", response=ReadinessBoardOut, summary="The readiness board")
def readiness_board(request: HttpRequest, slug: str) -> Any:
    programme = _coordinated(request, slug)
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
    "/{slug}/readiness/{item_id}", response=ReadinessItemOut, summary="Update a checklist item"
)
def update_item(request: HttpRequest, slug: str, item_id: int, payload: ReadinessItemIn) -> Any:
    programme = _coordinated(request, slug)
    item = get_object_or_404(ReadinessItem, pk=item_id, programme=programme)
    try:
        return services.readiness_item_update(
            item=item,
            by=request.user,
            status=payload.status,
            owner=payload.owner,
            evidence=payload.evidence,
            due_on=payload.due_on,
        )
    except RuleBroken as exc:
        raise _rule(exc) from exc


@router.post(
    "/{slug}/readiness/override",
    response=ProgrammeOut,
    summary="Override the readiness gate, with a reason kept on the record",
)
def override_readiness(request: HttpRequest, slug: str, payload: ReasonIn) -> Any:
    programme = _coordinated(request, slug)
    try:
        programme = services.programme_readiness_override(
            programme=programme, by=request.user, reason=payload.reason
        )
    except RuleBroken as exc:
        raise _rule(exc) from exc
    return _programme_out(programme)


@router.post(
    "/{slug}/applications/open",
    response=ProgrammeOut,
    summary="Open applications (only once the readiness gate is passed)",
)
def open_applications(request: HttpRequest, slug: str, payload: OpenIn) -> Any:
    programme = _coordinated(request, slug)
    try:
        programme = services.programme_applications_open(
            programme=programme, by=request.user, deadline=payload.deadline
        )
    except RuleBroken as exc:
        raise _rule(exc) from exc
    return _programme_out(programme)


@router.post("/{slug}/applications/close", response=ProgrammeOut, summary="Close applications")
def close_applications(request: HttpRequest, slug: str) -> Any:
    programme = _coordinated(request, slug)
    try:
        programme = services.programme_applications_close(programme=programme, by=request.user)
    except RuleBroken as exc:
        raise _rule(exc) from exc
    return _programme_out(programme)


# --- cohorts --------------------------------------------------------------------------------


class CohortOut(Schema):
    id: int
    name: str
    starts_on: dt.date | None
    capacity: int | None
    description: str


class CohortIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    starts_on: dt.date | None = None
    capacity: int | None = Field(None, ge=1, le=10000)
    description: str = Field("", max_length=2000)


@router.get("/{slug}/cohorts", response=list[CohortOut], summary="The programme's cohorts")
def list_cohorts(request: HttpRequest, slug: str) -> Any:
    return list(_coordinated(request, slug).cohorts.all())


@router.post("/{slug}/cohorts", response={201: CohortOut}, summary="Add a cohort")
def create_cohort(request: HttpRequest, slug: str, payload: CohortIn) -> Any:
    programme = _coordinated(request, slug)
    try:
        cohort = services.cohort_save(programme=programme, by=request.user, **payload.dict())
    except RuleBroken as exc:
        raise _rule(exc) from exc
    return 201, cohort


@router.put("/{slug}/cohorts/{cohort_id}", response=CohortOut, summary="Change a cohort")
def update_cohort(request: HttpRequest, slug: str, cohort_id: int, payload: CohortIn) -> Any:
    programme = _coordinated(request, slug)
    cohort = get_object_or_404(Cohort, pk=cohort_id, programme=programme)
    try:
        return services.cohort_save(
            programme=programme, by=request.user, cohort=cohort, **payload.dict()
        )
    except RuleBroken as exc:
        raise _rule(exc) from exc


@router.delete("/{slug}/cohorts/{cohort_id}", response={204: None}, summary="Delete a cohort")
def delete_cohort(request: HttpRequest, slug: str, cohort_id: int) -> Any:
    programme = _coordinated(request, slug)
    cohort = get_object_or_404(Cohort, pk=cohort_id, programme=programme)
    try:
        services.cohort_delete(cohort=cohort, by=request.user)
    except RuleBroken as exc:
        raise _rule(exc) from exc
    return 204, None


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
    return _invitation_totals(_coordinated(request, slug))


@router.get("/{slug}/invitations/people", response=list[InvitationOut], summary="Everyone invited")
@paginate(PageNumberPagination, page_size=100)
def invitation_list(request: HttpRequest, slug: str, status: str = "") -> Any:
    programme = _coordinated(request, slug)
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
    programme = _coordinated(request, slug)
    if (
        payload.grade_min is not None
        and payload.grade_max is not None
        and payload.grade_min > payload.grade_max
    ):
        raise HttpError(400, "The lowest grade must not be above the highest grade.")
    organisation_ids = (
        [o.pk for o in _organisations(payload.organisations)] if payload.organisations else []
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
        return 200, {"sent": False, "number": None, "count": len(people), "people": listed}
    try:
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
    except RuleBroken as exc:
        raise _rule(exc) from exc
    return 201, {"sent": True, "number": wave.number, "count": len(people), "people": listed}


class RemindedOut(Schema):
    reminded: int


@router.post(
    "/{slug}/invitations/remind",
    response=RemindedOut,
    summary="Remind people who have not replied (at most twice, three days apart)",
)
def remind(request: HttpRequest, slug: str) -> Any:
    programme = _coordinated(request, slug)
    try:
        count = services.invitation_reminders_send(
            programme=programme, by=request.user, base_url=request.build_absolute_uri("/")
        )
    except RuleBroken as exc:
        raise _rule(exc) from exc
    return {"reminded": count}


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


class AnswerOut(Schema):
    question_id: int
    question: str
    answer: str
    hidden: bool


class ApplicationDetailOut(ApplicationSummaryOut):
    answers: list[AnswerOut]
    has_sensitive: bool


@router.get(
    "/{slug}/applications",
    response=list[ApplicationSummaryOut],
    summary="Applications, filtered; never with identity or sensitive answers",
)
@paginate(PageNumberPagination, page_size=100)
def list_applications(
    request: HttpRequest,
    slug: str,
    side: str = "",
    status: str = "",
    eligibility: str = "",
    cohort: int | None = None,
    q: str = "",
) -> Any:
    programme = _coordinated(request, slug)
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


def _answers(application: Application, *, include_sensitive: bool) -> list[dict[str, Any]]:
    rows = answers_for_display(
        selectors.form_questions(application.programme, application.side),
        application.answers or {},
        application.programme.topics.all(),
        include_sensitive=include_sensitive,
    )
    return [
        {
            "question_id": row["question"].pk,
            "question": row["question"].label,
            "answer": row["text"],
            "hidden": row["hidden"],
        }
        for row in rows
    ]


@router.get(
    "/{slug}/applications/{application_id}",
    response=ApplicationDetailOut,
    summary="One application; sensitive answers hidden",
)
def get_application(request: HttpRequest, slug: str, application_id: int) -> Any:
    programme = _coordinated(request, slug)
    application = selectors.application_of_coordinated(request.user, programme, application_id)
    return {
        **_summary(application),
        "answers": _answers(application, include_sensitive=False),
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
    "/{slug}/applications/{application_id}/sensitive",
    response=SensitiveOut,
    summary="See an applicant's sensitive answers; the look is recorded with the reason",
)
def see_sensitive(
    request: HttpRequest, slug: str, application_id: int, payload: SensitiveIn
) -> Any:
    programme = _coordinated(request, slug)
    application = selectors.application_of_coordinated(request.user, programme, application_id)
    try:
        shown = services.application_sensitive_view(
            application=application,
            viewer=request.user,
            reason=SensitiveAccess.Reason(payload.reason),
            note=payload.note,
            channel="api",
        )
    except RuleBroken as exc:
        raise _rule(exc) from exc
    return {
        "identity": [{"label": r["label"], "value": r["value"]} for r in shown["identity"]],
        "answers": [{"label": r["label"], "value": r["text"]} for r in shown["answers"]],
    }


class DecideIn(Schema):
    applications: list[int] = Field(..., min_length=1, max_length=5000)
    decision: Literal["accept", "waitlist", "decline", "cohort"]
    cohort: int | None = None


class DecidedOut(Schema):
    updated: int


@router.post(
    "/{slug}/applications/decide",
    response=DecidedOut,
    summary="Accept, waitlist, decline or assign a cohort, all or none",
)
def decide(request: HttpRequest, slug: str, payload: DecideIn) -> Any:
    programme = _coordinated(request, slug)
    cohort = None
    if payload.cohort is not None:
        cohort = Cohort.objects.filter(pk=payload.cohort, programme=programme).first()
        if cohort is None:
            raise HttpError(400, "Choose one of this programme's cohorts.")
    try:
        count = services.applications_decide(
            programme=programme,
            by=request.user,
            application_ids=payload.applications,
            decision=payload.decision,
            cohort=cohort,
        )
    except RuleBroken as exc:
        raise _rule(exc) from exc
    return {"updated": count}


@router.post(
    "/{slug}/applications/{application_id}/override",
    response=ApplicationSummaryOut,
    summary="Let an ineligible applicant take part, with a reason kept on the record",
)
def override_eligibility(
    request: HttpRequest, slug: str, application_id: int, payload: ReasonIn
) -> Any:
    programme = _coordinated(request, slug)
    application = selectors.application_of_coordinated(request.user, programme, application_id)
    try:
        application = services.application_eligibility_override(
            application=application, by=request.user, reason=payload.reason
        )
    except RuleBroken as exc:
        raise _rule(exc) from exc
    return _summary(application)


# --- participants ---------------------------------------------------------------------------


class QuestionOut(Schema):
    id: int
    kind: str
    label: str
    help_text: str
    required: bool
    options: list[str]
    topics: list[dict[str, Any]]
    min_value: int | None
    max_value: int | None
    min_label: str
    max_label: str
    max_choices: int | None
    slots: list[dict[str, str]]


class DimensionOut(Schema):
    code: str
    label: str
    question: str
    purpose: str
    options: list[dict[str, str]]
    consent_wording: str
    wording_version: str


class FormOut(Schema):
    side: str
    intro: str
    questions: list[QuestionOut]
    identity: list[DimensionOut]


@router.get(
    "/{slug}/form/{side}",
    response=FormOut,
    summary="The application form for one side, with the optional identity questions",
)
def get_form(request: HttpRequest, slug: str, side: SideLiteral) -> Any:
    programme = Programme.objects.filter(slug=slug).first()
    allowed = programme is not None and (
        selectors.coordinated_programmes(request.user).filter(pk=programme.pk).exists()
        or _participant_or_none(request, slug) is not None
    )
    if programme is None or not allowed:
        raise Http404("No such programme")
    topics = [{"id": t.pk, "name": t.name} for t in programme.topics.all()]
    form_obj = programme.forms.filter(side=side).first()
    questions = []
    for q in selectors.form_questions(programme, side):
        questions.append(
            {
                "id": q.pk,
                "kind": q.kind,
                "label": q.label,
                "help_text": q.help_text,
                "required": q.required,
                "options": q.choices,
                "topics": topics if q.kind == "topics" else [],
                "min_value": q.min_value if q.kind == "scale" else None,
                "max_value": q.max_value if q.kind == "scale" else None,
                "min_label": q.min_label,
                "max_label": q.max_label,
                "max_choices": q.max_choices,
                "slots": [{"code": c, "label": label} for c, label in SLOTS]
                if q.kind == "availability"
                else [],
            }
        )
    return {
        "side": side,
        "intro": form_obj.intro if form_obj else "",
        "questions": questions,
        "identity": [
            {
                "code": d.code,
                "label": d.label,
                "question": d.question,
                "purpose": d.purpose,
                "options": [{"value": v, "label": label} for v, label in d.options],
                "consent_wording": identity.WORDING.format(scope=programme.name),
                "wording_version": identity.WORDING_VERSION,
            }
            for d in identity.dimensions_for(programme.identity_dimensions)
        ],
    }


def _participant_or_none(request: HttpRequest, slug: str) -> selectors.ParticipantView | None:
    try:
        return selectors.participant_programme_or_404(request.user, slug)
    except Http404:
        return None


class SharedOut(Schema):
    dimension: str
    label: str
    value: str


class MyApplicationOut(Schema):
    id: int
    side: str
    status: str
    submitted_at: dt.datetime
    can_edit: bool
    eligible: bool
    eligibility_reasons: list[str]
    answers: list[AnswerOut]
    identity_shared: list[SharedOut]


def _mine(application: Application) -> dict[str, Any]:
    return {
        "id": application.pk,
        "side": application.side,
        "status": application.status,
        "submitted_at": application.submitted_at,
        "can_edit": application.status in EDITABLE and application.programme.applications_open,
        "eligible": application.eligible,
        "eligibility_reasons": application.eligibility_reasons,
        "answers": _answers(application, include_sensitive=True),
        "identity_shared": [
            {
                "dimension": code,
                "label": identity.BY_CODE[code].label,
                "value": identity.BY_CODE[code].option_label(value),
            }
            for code, value in sorted(selectors.consented_identity(application).items())
            if code in identity.BY_CODE
        ],
    }


@router.get("/{slug}/application", response=MyApplicationOut, summary="Your application")
def my_application(request: HttpRequest, slug: str) -> Any:
    view = selectors.participant_programme_or_404(request.user, slug)
    if view.application is None:
        raise HttpError(404, "You have not applied to this programme.")
    return _mine(view.application)


class ApplyIn(Schema):
    side: SideLiteral
    answers: dict[str, Any] = Field(..., description="Answers keyed by question id.")
    identity: dict[str, str] = Field(
        default_factory=dict, description="Optional identity answers keyed by dimension code."
    )
    consent: list[str] = Field(
        default_factory=list,
        description="Dimensions whose answer you consent to Upward keeping, in the wording of "
        "'wording_version'.",
    )
    wording_version: str | None = None


class ProblemsOut(Schema):
    detail: str
    errors: dict[str, list[str]]


@router.put(
    "/{slug}/application",
    response={200: MyApplicationOut, 201: MyApplicationOut, 422: ProblemsOut},
    summary="Apply, or change your answers until the deadline",
)
def apply(request: HttpRequest, slug: str, payload: ApplyIn) -> Any:
    view = selectors.participant_programme_or_404(request.user, slug)
    programme = view.programme
    if payload.identity and payload.wording_version != identity.WORDING_VERSION:
        raise HttpError(
            400,
            "The consent wording has changed, or no version was given. Read the current wording "
            "and send its version with your consent.",
        )
    questions = selectors.form_questions(programme, payload.side)
    topics = list(programme.topics.all())
    data, problems = data_from_api(questions, payload.answers)
    answers_form = AnswersForm(data=data, questions=questions, topics=topics)
    identity_data: dict[str, Any] = {
        f"identity_{code}": value for code, value in payload.identity.items()
    }
    identity_data.update({f"consent_{code}": "on" for code in payload.consent})
    dimensions = identity.dimensions_for(programme.identity_dimensions)
    offered = {d.code for d in dimensions}
    for code in [*payload.identity, *payload.consent]:
        if code not in offered:
            problems[f"identity.{code}"] = "This programme does not ask about that."
    identity_form = IdentityForm(
        data=identity_data, dimensions=dimensions, scope_label=programme.name
    )
    valid = answers_form.is_valid() & identity_form.is_valid()
    errors: dict[str, list[str]] = {key: [message] for key, message in problems.items()}
    for name, messages in answers_form.errors.items():
        key = name.removeprefix("q") if name != "__all__" else "form"
        errors[key] = list(messages)
    for name, messages in identity_form.errors.items():
        key = "identity." + name.split("_", 1)[1] if "_" in name else name
        errors.setdefault(key, []).extend(messages)
    if not valid or errors:
        return 422, {"detail": "Some answers need attention; nothing was saved.", "errors": errors}
    existed = view.application is not None and view.application.status != "withdrawn"
    try:
        application = services.application_submit(
            programme=programme,
            user=request.user,
            side=payload.side,
            answers=answers_form.answers(),
            identity_values=identity_form.values(),
            identity_consents=identity_form.consents(),
            channel=Channel.API,
        )
    except RuleBroken as exc:
        raise _rule(exc) from exc
    return (200 if existed else 201), _mine(application)


@router.post(
    "/{slug}/application/withdraw",
    response=MyApplicationOut,
    summary="Withdraw your application; identity answers for the programme are deleted",
)
def withdraw(request: HttpRequest, slug: str) -> Any:
    view = selectors.participant_programme_or_404(request.user, slug)
    if view.application is None:
        raise HttpError(404, "You have not applied to this programme.")
    try:
        application = services.application_withdraw(
            application=view.application, channel=Channel.API
        )
    except RuleBroken as exc:
        raise _rule(exc) from exc
    return _mine(application)


@router.delete(
    "/{slug}/application/identity/{dimension}",
    response={204: None},
    summary="Stop sharing one identity answer: its consent is withdrawn and the answer deleted",
)
def stop_sharing(request: HttpRequest, slug: str, dimension: str) -> Any:
    view = selectors.participant_programme_or_404(request.user, slug)
    if view.application is None:
        raise HttpError(404, "You have not applied to this programme.")
    try:
        services.application_identity_stop(
            application=view.application, dimension=dimension, channel=Channel.API
        )
    except RuleBroken as exc:
        raise HttpError(404, str(exc)) from exc
    return 204, None
