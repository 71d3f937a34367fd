"""Preparation API: the same operations as the pages.

Participants: their training and workshops, and their pair's agreement (edit, sign, versions).
Coordinators: the pairs board with what each pair waits for, waivers, tracks and modules,
reminders, workshops and attendance. The agreement is readable only by the pair's two people
and the programme's coordinators. A broken rule answers 400, a stale version 409.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from upward.accounts.permissions import can_coordinate
from upward.pairs import selectors as pair_selectors
from upward.pairs.api import Detail, PairOut, pair_out
from upward.programmes.models import Programme
from upward.programmes.selectors import coordinated_programme_or_404

from . import selectors, services
from .emails import person_zone
from .models import Agreement, Module, Track, Workshop

router = Router(tags=["preparation"])

ERRORS: dict[int, Any] = {400: Detail, 404: Detail, 409: Detail}
Version = Field(..., ge=1, le=2**31 - 1)
Cadence = Literal["weekly", "fortnightly", "monthly", "six_weekly"]
AudienceIn = Literal["mentors", "leaders", "everyone"]


def _programme(request: HttpRequest, slug: str) -> Programme:
    return coordinated_programme_or_404(request.user, slug)


# --- the pairs board and waivers ----------------------------------------------------------------


class BoardRowOut(Schema):
    pair: PairOut
    waits_for: list[str] = Field(..., description="Requirement codes, e.g. 'training:leader'.")
    waits_for_words: list[str]
    waived: dict[str, str] = Field(..., description="Requirement code: the reason given.")
    training_done: dict[str, list[int]] = Field(
        ..., description="By side: [modules done, modules required]."
    )
    agreement_version: int | None


@router.get(
    "/programmes/{slug}/pairs",
    response={200: list[BoardRowOut], 404: Detail},
    summary="Every pair of the programme, its state and what it waits for",
)
def board(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    rows = selectors.board(_programme(request, slug))
    return [
        {
            "pair": pair_out(r.pair, request.user),
            "waits_for": r.status.waits_for if r.pair.state == "preparing" else [],
            "waits_for_words": r.waits_words,
            "waived": r.status.waived,
            "training_done": {k: list(v) for k, v in r.status.modules_done.items()},
            "agreement_version": r.status.agreement.number if r.status.agreement else None,
        }
        for r in rows
    ]


class WaiverIn(Schema):
    requirement: Literal[
        "training:leader", "training:mentor", "signature:leader", "signature:mentor"
    ]
    reason: str = Field(..., min_length=1, max_length=1000)
    version: int = Version


@router.post(
    "/pairs/{int:pair_id}/waivers",
    response={200: PairOut, **ERRORS},
    summary="Waive one requirement of activation, with a reason (coordinators)",
)
def waive(request: HttpRequest, pair_id: int, body: WaiverIn) -> dict[str, Any]:
    pair = pair_selectors.pair_or_404(request.user, pair_id)
    if not can_coordinate(request.user, pair.programme):
        raise HttpError(404, "Not found.")
    services.requirement_waive(
        pair=pair,
        requirement=body.requirement,
        reason=body.reason,
        by=request.user,
        version=body.version,
    )
    return pair_out(pair_selectors.pair_or_404(request.user, pair_id), request.user)


# --- the agreement --------------------------------------------------------------------------------


class AgreementOut(Schema):
    number: int
    revision: int
    current: bool
    topics: str
    cadence: str
    meeting_minutes: int
    meeting_format: str
    confidentiality: str
    boundaries: str
    leader_gains: str
    mentor_gains: str
    pause_and_end: str
    first_review_on: dt.date | None
    final_review_on: dt.date | None
    leader_signed_name: str
    leader_signed_at: dt.datetime | None
    mentor_signed_name: str
    mentor_signed_at: dt.datetime | None
    pdf_url: str


class AgreementsOut(Schema):
    current: AgreementOut
    versions: list[int]


def agreement_out(a: Agreement, latest: int) -> dict[str, Any]:
    out = {f: getattr(a, f) for f in AgreementOut.model_fields if hasattr(a, f)}
    out["current"] = a.number == latest
    out["pdf_url"] = reverse("preparation:agreement_pdf", args=[a.pair_id, a.number])
    return out


def _member_pair(request: HttpRequest, pair_id: int) -> Any:
    """Only the pair's two people change or sign its agreement; coordinators read it."""
    pair = pair_selectors.pair_or_404(request.user, pair_id)
    if pair.side_of(request.user) is None:
        raise HttpError(404, "Not found.")
    return pair


def _current(pair: Any) -> Agreement:
    found = Agreement.objects.filter(pair=pair).order_by("-number").first()
    return found or services.agreement_start_for(pair)


@router.get(
    "/pairs/{int:pair_id}/agreement",
    response={200: AgreementsOut, 404: Detail},
    summary="The pair's current agreement and the numbers of all its versions",
)
def agreement(request: HttpRequest, pair_id: int) -> dict[str, Any]:
    pair = pair_selectors.pair_or_404(request.user, pair_id)
    current = _current(pair)
    versions = [a.number for a in selectors.agreements_of(pair)]
    return {"current": agreement_out(current, current.number), "versions": versions}


@router.get(
    "/pairs/{int:pair_id}/agreement/versions/{int:version_number}",
    response={200: AgreementOut, 404: Detail},
    summary="One version of the agreement, as it was",
)
def agreement_version(request: HttpRequest, pair_id: int, version_number: int) -> dict[str, Any]:
    pair = pair_selectors.pair_or_404(request.user, pair_id)
    latest = _current(pair).number
    return agreement_out(selectors.agreement_version(pair, version_number), latest)


class AgreementIn(Schema):
    revision: int = Version
    topics: str | None = Field(None, min_length=1, max_length=4000)
    cadence: Cadence | None = None
    meeting_minutes: int | None = Field(None, ge=15, le=240)
    meeting_format: Literal["in_person", "video", "mixed"] | None = None
    confidentiality: str | None = Field(None, min_length=1, max_length=4000)
    boundaries: str | None = Field(None, max_length=4000)
    leader_gains: str | None = Field(None, max_length=4000)
    mentor_gains: str | None = Field(None, max_length=4000)
    pause_and_end: str | None = Field(None, min_length=1, max_length=4000)
    first_review_on: dt.date | None = None
    final_review_on: dt.date | None = None


@router.patch(
    "/pairs/{int:pair_id}/agreement",
    response={200: AgreementOut, **ERRORS},
    summary="Change the agreement (the two people). After a signature this makes a new version "
    "that both sign again",
)
def agreement_edit(request: HttpRequest, pair_id: int, body: AgreementIn) -> dict[str, Any]:
    pair = _member_pair(request, pair_id)
    changes = body.model_dump(exclude_unset=True)
    revision = changes.pop("revision")
    saved = services.agreement_edit(pair=pair, by=request.user, revision=revision, changes=changes)
    return agreement_out(saved, saved.number)


class SignIn(Schema):
    number: int = Version
    revision: int = Version
    typed_name: str = Field(..., min_length=1, max_length=200)


@router.post(
    "/pairs/{int:pair_id}/agreement/sign",
    response={200: AgreementOut, **ERRORS},
    summary="Sign the current version by typing your full name",
)
def agreement_sign(request: HttpRequest, pair_id: int, body: SignIn) -> dict[str, Any]:
    pair = _member_pair(request, pair_id)
    signed = services.agreement_sign(
        pair=pair,
        user=request.user,
        number=body.number,
        revision=body.revision,
        typed_name=body.typed_name,
    )
    return agreement_out(signed, signed.number)


# --- training -----------------------------------------------------------------------------------


class QuestionOut(Schema):
    id: int
    prompt: str
    choices: list[str]


class ModuleOut(Schema):
    id: int
    title: str
    body: str
    link_url: str
    link_label: str
    file_url: str | None
    pass_mark: int | None
    questions: list[QuestionOut]
    version: int
    done: bool | None = None


class TrackOut(Schema):
    id: int
    programme_slug: str
    title: str
    audience: str
    summary: str
    required: bool
    version: int
    modules: list[ModuleOut]


def module_out(m: Module, done: bool | None = None) -> dict[str, Any]:
    return {
        "id": m.pk,
        "title": m.title,
        "body": m.body,
        "link_url": m.link_url,
        "link_label": m.link_label,
        "file_url": reverse("preparation:attachment", args=[m.pk]) if m.attachment else None,
        "pass_mark": m.pass_mark,
        "questions": [
            {"id": q.pk, "prompt": q.prompt, "choices": q.choices} for q in m.questions.all()
        ],
        "version": m.version,
        "done": done,
    }


def track_out(t: Track, done: dict[int, bool] | None = None) -> dict[str, Any]:
    return {
        "id": t.pk,
        "programme_slug": t.programme.slug,
        "title": t.title,
        "audience": t.audience,
        "summary": t.summary,
        "required": t.required,
        "version": t.version,
        "modules": [
            module_out(m, None if done is None else done.get(m.pk, False)) for m in t.modules.all()
        ],
    }


@router.get("/training", response=list[TrackOut], summary="Your training and your progress")
def my_training(request: HttpRequest) -> list[dict[str, Any]]:
    out = []
    for _programme, tracks in selectors.my_training(request.user):
        for progress in tracks:
            out.append(track_out(progress.track, {m.pk: d for m, d in progress.modules}))
    return out


class CompleteIn(Schema):
    answers: dict[int, int] = Field(
        default_factory=dict, description="Question id: index of the chosen answer.", max_length=50
    )


@router.post(
    "/training/modules/{int:module_id}/complete",
    response={200: ModuleOut, **ERRORS},
    summary="Finish a module (with the knowledge check's answers, if it has one)",
)
def module_complete(request: HttpRequest, module_id: int, body: CompleteIn) -> dict[str, Any]:
    module, _done = selectors.module_for(request.user, module_id)
    services.module_complete(module=module, user=request.user, answers=body.answers)
    return module_out(module, True)


@router.get(
    "/programmes/{slug}/training",
    response={200: list[TrackOut], 404: Detail},
    summary="The programme's training tracks and modules (coordinators)",
)
def tracks(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    programme = _programme(request, slug)
    return [
        track_out(t)
        for t in Track.objects.filter(programme=programme)
        .select_related("programme")
        .prefetch_related("modules__questions")
    ]


class TrackIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    audience: AudienceIn
    summary: str = Field("", max_length=2000)
    required: bool = True


@router.post(
    "/programmes/{slug}/training/tracks",
    response={201: TrackOut, **ERRORS},
    summary="Add a training track",
)
def track_create(request: HttpRequest, slug: str, body: TrackIn) -> Any:
    programme = _programme(request, slug)
    track = services.track_save(programme=programme, by=request.user, **body.model_dump())
    return Status(201, track_out(track))


class ModuleIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field("", max_length=20000)
    link_url: str = Field("", max_length=500)
    link_label: str = Field("", max_length=200)
    pass_mark: int | None = Field(None, description="1 to 100, with a knowledge check.")
    questions: str | None = Field(
        None,
        max_length=10000,
        description="Blocks separated by a blank line: the question, then '- choice' lines with "
        "the right one as '* choice'.",
    )
    version: int | None = Field(
        None, ge=1, le=2**31 - 1, description="Required to change a module."
    )


@router.post(
    "/programmes/{slug}/training/tracks/{int:track_id}/modules",
    response={201: ModuleOut, **ERRORS},
    summary="Add a module to a track (files are uploaded on the page)",
)
def module_create(request: HttpRequest, slug: str, track_id: int, body: ModuleIn) -> Any:
    track = get_object_or_404(Track, programme=_programme(request, slug), pk=track_id)
    data = body.model_dump(exclude={"version"})
    return Status(201, module_out(services.module_save(track=track, by=request.user, **data)))


@router.put(
    "/programmes/{slug}/training/modules/{int:module_id}",
    response={200: ModuleOut, **ERRORS},
    summary="Change a module (with the version you read)",
)
def module_update(
    request: HttpRequest, slug: str, module_id: int, body: ModuleIn
) -> dict[str, Any]:
    module = get_object_or_404(
        Module.objects.select_related("track__programme"),
        track__programme=_programme(request, slug),
        pk=module_id,
    )
    data = body.model_dump(exclude={"version"})
    saved = services.module_save(
        track=module.track, by=request.user, module=module, version=body.version, **data
    )
    return module_out(saved)


class BehindOut(Schema):
    name: str
    modules_done: int
    modules_required: int


@router.get(
    "/programmes/{slug}/training/behind",
    response={200: list[BehindOut], 404: Detail},
    summary="People in preparing pairs who have not finished their training",
)
def behind(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    return [
        {"name": b.name, "modules_done": b.done, "modules_required": b.of}
        for b in selectors.people_behind(_programme(request, slug))
    ]


class RemindIn(Schema):
    reminder_every_days: int | None = Field(None, ge=1, le=60)


@router.post(
    "/programmes/{slug}/training/reminders",
    response={202: Detail, **ERRORS},
    summary="Remind everyone behind, at most once per period (sent in the background)",
)
def remind(request: HttpRequest, slug: str, body: RemindIn) -> Any:
    programme = _programme(request, slug)
    if body.reminder_every_days is not None:
        services.preparation_settings_save(
            programme=programme, by=request.user, reminder_every_days=body.reminder_every_days
        )
    services.training_reminders_request(
        programme=programme, by=request.user, base_url=request.build_absolute_uri("/")
    )
    return Status(
        202, {"detail": "Reminders are on their way, except to people reminded recently."}
    )


# --- workshops ----------------------------------------------------------------------------------


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
    return [workshop_out(w, tz) for w in selectors.workshops_of(_programme(request, slug))]


class WorkshopIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    kind: Literal["training", "joint", "kickoff"] = "training"
    audience: AudienceIn = "everyone"
    cohort_id: int | None = None
    starts_at: dt.datetime = Field(
        ..., description="With its UTC offset, e.g. 2027-03-04T09:30:00+00:00."
    )
    minutes: int = Field(90, ge=15, le=480)
    place: str = Field("", max_length=300)
    video_url: str = Field("", max_length=500)
    capacity: int = Field(20, ge=1, le=1000)
    description: str = Field("", max_length=5000)
    version: int | None = Field(None, ge=1, le=2**31 - 1, description="Required to change one.")


def _values(programme: Programme, body: WorkshopIn) -> dict[str, Any]:
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
    programme = _programme(request, slug)
    w = services.workshop_save(
        programme=programme, by=request.user, values=_values(programme, body)
    )
    return Status(201, workshop_out(w, person_zone(request.user)))


def _workshop(request: HttpRequest, slug: str, workshop_id: int) -> Workshop:
    return get_object_or_404(
        Workshop.objects.select_related("programme"),
        programme=_programme(request, slug),
        pk=workshop_id,
    )


@router.put(
    "/programmes/{slug}/workshops/{int:workshop_id}",
    response={200: WorkshopOut, **ERRORS},
    summary="Change a workshop: everyone booked gets the updated invitation (same UID, higher "
    "SEQUENCE)",
)
def workshop_update(
    request: HttpRequest, slug: str, workshop_id: int, body: WorkshopIn
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


class VersionIn(Schema):
    version: int = Version


@router.post(
    "/programmes/{slug}/workshops/{int:workshop_id}/cancel",
    response={200: WorkshopOut, **ERRORS},
    summary="Cancel a workshop: everyone booked gets a METHOD:CANCEL invitation",
)
def workshop_cancel(
    request: HttpRequest, slug: str, workshop_id: int, body: VersionIn
) -> dict[str, Any]:
    w = _workshop(request, slug, workshop_id)
    saved = services.workshop_cancel(
        workshop=w, by=request.user, version=body.version, base_url=request.build_absolute_uri("/")
    )
    return workshop_out(saved, person_zone(request.user))


class AttendanceIn(Schema):
    version: int = Version
    present: list[int] = Field(
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
