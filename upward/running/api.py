"""Running API: a pair's meetings, for its two people only (404 for anyone else).

A broken rule answers 400 and a stale version 409, with ``{"detail": "..."}``. Times are sent
either with an offset (ISO 8601) or as wall-clock times with ``zone`` (an IANA name).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from upward.core.bounds import BoundedDate, BoundedDateTime
from upward.pairs.api import Detail

from . import selectors, services
from .errors import RunningRuleBroken
from .models import CheckIn, Goal, Meeting, PairNote, Reflection
from .smart import smart_check
from .zones import local_to_aware

router = Router(tags=["meetings"])
ERRORS: dict[int, Any] = {400: Detail, 404: Detail, 409: Detail}
Version = Field(..., ge=1, le=2**31 - 1)


class ShownOut(Schema):
    name: str
    zone: str
    text: str


class OptionOut(Schema):
    id: int
    starts_at: dt.datetime
    shown: list[ShownOut]


class MeetingOut(Schema):
    id: int
    pair_id: int
    state: str
    starts_at: dt.datetime | None
    shown: list[ShownOut]
    minutes: int
    place: str
    uid: str
    sequence: int
    held_minutes: int | None
    topics_covered: str
    proposed_by_you: bool
    options: list[OptionOut]
    version: int


def meeting_out(meeting: Meeting, user: Any) -> dict[str, Any]:
    pair = meeting.pair
    return {
        "id": meeting.pk,
        "pair_id": meeting.pair_id,
        "state": meeting.state,
        "starts_at": meeting.starts_at,
        "shown": selectors.both_zones(pair, meeting.starts_at) if meeting.starts_at else [],
        "minutes": meeting.minutes,
        "place": meeting.place,
        "uid": meeting.uid,
        "sequence": meeting.sequence,
        "held_minutes": meeting.held_minutes,
        "topics_covered": meeting.topics_covered,
        "proposed_by_you": meeting.proposed_by_id == user.pk,
        "options": [
            {"id": o.pk, "starts_at": o.starts_at, "shown": selectors.both_zones(pair, o.starts_at)}
            for o in meeting.options.all()
        ]
        if meeting.state == Meeting.State.PROPOSED
        else [],
        "version": meeting.version,
    }


def _aware(moment: dt.datetime, zone: str) -> dt.datetime:
    if moment.tzinfo is not None:
        return moment
    if not zone:
        raise RunningRuleBroken("Give each time with an offset, or name its time zone in 'zone'.")
    return local_to_aware(moment, zone)


class ProposeIn(Schema):
    times: list[BoundedDateTime] = Field(..., min_length=1, max_length=5)
    zone: str = Field("", max_length=64, description="IANA zone of times sent without an offset.")
    minutes: int = Field(60, ge=15, le=480)
    place: str = Field("", max_length=300)


class PickIn(Schema):
    option: int = Field(..., ge=1, le=2**31 - 1)
    version: int = Version


class MoveIn(Schema):
    starts_at: BoundedDateTime
    zone: str = Field("", max_length=64)
    minutes: int | None = Field(None, ge=15, le=480)
    version: int = Version


class CancelIn(Schema):
    version: int = Version


class OutcomeIn(Schema):
    outcome: Literal["held", "no_show"]
    minutes: int = Field(0, ge=0, le=480)
    topics: str = Field("", max_length=5000)
    version: int = Version


@router.get(
    "/pairs/{int:pair_id}/meetings",
    response={200: list[MeetingOut], 404: Detail},
    summary="Your pair's meetings (the two people only)",
)
def meetings(request: HttpRequest, pair_id: int) -> list[dict[str, Any]]:
    pair = selectors.member_pair_or_404(request.user, pair_id)
    rows = selectors.meetings_of(pair)
    for meeting in rows:
        meeting.pair = pair
    return [meeting_out(m, request.user) for m in rows]


@router.post(
    "/pairs/{int:pair_id}/meetings",
    response={201: MeetingOut, **ERRORS},
    summary="Propose one to five times for a meeting",
)
def meeting_propose(request: HttpRequest, pair_id: int, body: ProposeIn) -> tuple[int, Any]:
    pair = selectors.member_pair_or_404(request.user, pair_id)
    meeting = services.meeting_propose(
        pair=pair,
        by=request.user,
        times=[_aware(t, body.zone) for t in body.times],
        minutes=body.minutes,
        place=body.place,
    )
    return 201, meeting_out(selectors.meeting_or_404(request.user, meeting.pk), request.user)


def _answer(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    return meeting_out(selectors.meeting_or_404(request.user, meeting_id), request.user)


@router.post(
    "/meetings/{int:meeting_id}/pick",
    response={200: MeetingOut, **ERRORS},
    summary="Pick one of the proposed times (the other person)",
)
def meeting_pick(request: HttpRequest, meeting_id: int, body: PickIn) -> dict[str, Any]:
    meeting = selectors.meeting_or_404(request.user, meeting_id)
    services.meeting_pick(
        meeting=meeting,
        by=request.user,
        option_id=body.option,
        version=body.version,
        base_url=request.build_absolute_uri("/"),
    )
    return _answer(request, meeting_id)


@router.post(
    "/meetings/{int:meeting_id}/move",
    response={200: MeetingOut, **ERRORS},
    summary="Move a scheduled meeting (same invitation, higher sequence)",
)
def meeting_move(request: HttpRequest, meeting_id: int, body: MoveIn) -> dict[str, Any]:
    meeting = selectors.meeting_or_404(request.user, meeting_id)
    services.meeting_move(
        meeting=meeting,
        by=request.user,
        starts_at=_aware(body.starts_at, body.zone),
        minutes=body.minutes,
        version=body.version,
        base_url=request.build_absolute_uri("/"),
    )
    return _answer(request, meeting_id)


@router.post(
    "/meetings/{int:meeting_id}/cancel",
    response={200: MeetingOut, **ERRORS},
    summary="Cancel a meeting still to come",
)
def meeting_cancel(request: HttpRequest, meeting_id: int, body: CancelIn) -> dict[str, Any]:
    meeting = selectors.meeting_or_404(request.user, meeting_id)
    services.meeting_cancel(
        meeting=meeting,
        by=request.user,
        version=body.version,
        base_url=request.build_absolute_uri("/"),
    )
    return _answer(request, meeting_id)


@router.post(
    "/meetings/{int:meeting_id}/outcome",
    response={200: MeetingOut, **ERRORS},
    summary="Mark a meeting held (with length and topics) or a no-show",
)
def meeting_outcome(request: HttpRequest, meeting_id: int, body: OutcomeIn) -> dict[str, Any]:
    meeting = selectors.meeting_or_404(request.user, meeting_id)
    services.meeting_record(
        meeting=meeting,
        by=request.user,
        outcome=body.outcome,
        minutes=body.minutes,
        topics=body.topics,
        version=body.version,
    )
    return _answer(request, meeting_id)


# --- shared notes and one's own reflections ---------------------------------------------------


class RevisionOut(Schema):
    number: int
    title: str
    body: str
    saved_at: dt.datetime


class NoteOut(Schema):
    id: int
    pair_id: int
    title: str
    body: str
    updated_at: dt.datetime
    version: int
    history: list[RevisionOut]


def note_out(note: PairNote) -> dict[str, Any]:
    return {
        "id": note.pk,
        "pair_id": note.pair_id,
        "title": note.title,
        "body": note.body,
        "updated_at": note.updated_at,
        "version": note.version,
        "history": [
            {"number": r.number, "title": r.title, "body": r.body, "saved_at": r.saved_at}
            for r in note.revisions.all()
        ],
    }


class NoteIn(Schema):
    title: str = Field(..., max_length=200)
    body: str = Field("", max_length=20000)


class NoteEditIn(NoteIn):
    version: int = Version


class ReflectionOut(Schema):
    id: int
    pair_id: int
    body: str
    created_at: dt.datetime


class ReflectionIn(Schema):
    body: str = Field(..., max_length=20000)


@router.get(
    "/pairs/{int:pair_id}/notes",
    response={200: list[NoteOut], 404: Detail},
    summary="Your pair's shared notes with their history",
)
def notes(request: HttpRequest, pair_id: int) -> list[dict[str, Any]]:
    pair = selectors.member_pair_or_404(request.user, pair_id)
    return [note_out(n) for n in selectors.notes_of(pair)]


@router.post(
    "/pairs/{int:pair_id}/notes", response={201: NoteOut, **ERRORS}, summary="Add a shared note"
)
def note_add(request: HttpRequest, pair_id: int, body: NoteIn) -> tuple[int, Any]:
    pair = selectors.member_pair_or_404(request.user, pair_id)
    note = services.note_save(pair=pair, by=request.user, title=body.title, body=body.body)
    return 201, note_out(selectors.note_or_404(request.user, note.pk))


@router.put(
    "/notes/{int:note_id}", response={200: NoteOut, **ERRORS}, summary="Change a shared note"
)
def note_edit(request: HttpRequest, note_id: int, body: NoteEditIn) -> dict[str, Any]:
    note = selectors.note_or_404(request.user, note_id)
    services.note_save(
        pair=note.pair,
        by=request.user,
        note=note,
        version=body.version,
        title=body.title,
        body=body.body,
    )
    return note_out(selectors.note_or_404(request.user, note_id))


@router.get(
    "/pairs/{int:pair_id}/reflections",
    response={200: list[ReflectionOut], 404: Detail},
    summary="Your own private reflections on the pair (nobody else's, whoever asks)",
)
def reflections(request: HttpRequest, pair_id: int) -> list[Reflection]:
    pair = selectors.member_pair_or_404(request.user, pair_id)
    return list(selectors.reflections_of(request.user, pair)[:200])


@router.post(
    "/pairs/{int:pair_id}/reflections",
    response={201: ReflectionOut, **ERRORS},
    summary="Write a private reflection only you can read",
)
def reflection_add(request: HttpRequest, pair_id: int, body: ReflectionIn) -> tuple[int, Any]:
    pair = selectors.member_pair_or_404(request.user, pair_id)
    return 201, services.reflection_write(pair=pair, by=request.user, body=body.body)


# --- SMART goals -------------------------------------------------------------------------------


class GoalUpdateOut(Schema):
    percent: int
    comment: str
    created_at: dt.datetime


class GoalOut(Schema):
    id: int
    pair_id: int
    yours: bool
    statement: str
    measure: str
    target: str
    due_on: dt.date | None
    objective_id: int | None
    kept_because: str
    progress: int
    version: int
    updates: list[GoalUpdateOut]


def goal_out(goal: Goal, user: Any) -> dict[str, Any]:
    return {
        "id": goal.pk,
        "pair_id": goal.pair_id,
        "yours": goal.owner_id == user.pk,
        "statement": goal.statement,
        "measure": goal.measure,
        "target": goal.target,
        "due_on": goal.due_on,
        "objective_id": goal.objective_id,
        "kept_because": goal.kept_because,
        "progress": goal.progress,
        "version": goal.version,
        "updates": [
            {"percent": u.percent, "comment": u.comment, "created_at": u.created_at}
            for u in goal.updates.all()
        ],
    }


class GoalIn(Schema):
    statement: str = Field(..., max_length=1000)
    measure: str = Field("", max_length=1000)
    target: str = Field("", max_length=500)
    due_on: BoundedDate | None = None
    objective_id: int | None = Field(None, ge=1, le=2**31 - 1)
    kept_because: str = Field("", max_length=1000)


class SmartOut(Schema):
    problems: list[str]


class ProgressIn(Schema):
    percent: int = Field(..., ge=0, le=100)
    comment: str = Field("", max_length=2000)
    version: int = Version


@router.get(
    "/pairs/{int:pair_id}/goals",
    response={200: list[GoalOut], 404: Detail},
    summary="Both people's goals (the two people only)",
)
def goals(request: HttpRequest, pair_id: int) -> list[dict[str, Any]]:
    pair = selectors.member_pair_or_404(request.user, pair_id)
    return [goal_out(g, request.user) for g in selectors.goals_of(pair)]


@router.post(
    "/pairs/{int:pair_id}/goals/check",
    response={200: SmartOut, 404: Detail},
    summary="The SMART check of a draft goal, without saving it",
)
def goal_check(request: HttpRequest, pair_id: int, body: GoalIn) -> dict[str, Any]:
    pair = selectors.member_pair_or_404(request.user, pair_id)
    has_objective = (
        body.objective_id is not None
        and pair.programme.objectives.filter(pk=body.objective_id).exists()
    )
    return {
        "problems": smart_check(
            statement=body.statement,
            measure=body.measure,
            target=body.target,
            due_on=body.due_on,
            has_objective=has_objective,
            today=timezone.localdate(),
        )
    }


@router.post(
    "/pairs/{int:pair_id}/goals",
    response={201: GoalOut, **ERRORS},
    summary="Set a goal (a goal the SMART check finds wanting needs kept_because)",
)
def goal_add(request: HttpRequest, pair_id: int, body: GoalIn) -> tuple[int, Any]:
    pair = selectors.member_pair_or_404(request.user, pair_id)
    goal = services.goal_save(pair=pair, by=request.user, **body.dict())
    return 201, goal_out(selectors.goal_or_404(request.user, goal.pk), request.user)


@router.post(
    "/goals/{int:goal_id}/progress",
    response={200: GoalOut, **ERRORS},
    summary="Record progress on your own goal",
)
def goal_progress(request: HttpRequest, goal_id: int, body: ProgressIn) -> dict[str, Any]:
    goal = selectors.goal_or_404(request.user, goal_id)
    services.goal_progress(
        goal=goal, by=request.user, percent=body.percent, comment=body.comment, version=body.version
    )
    return goal_out(selectors.goal_or_404(request.user, goal_id), request.user)


# --- check-ins ---------------------------------------------------------------------------------


class CheckInOut(Schema):
    id: int
    pair_id: int
    kind: str
    due_on: dt.date
    answered_at: dt.datetime | None


class AnswerIn(Schema):
    score: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=2000)


@router.get("/checkins", response=list[CheckInOut], summary="Your own unanswered check-ins")
def checkins(request: HttpRequest) -> list[CheckIn]:
    return list(selectors.open_checkins(request.user))


@router.post(
    "/checkins/{int:checkin_id}/answer",
    response={200: CheckInOut, 400: Detail, 404: Detail},
    summary="Answer your own check-in (once; the answer stays private)",
)
def checkin_answer(request: HttpRequest, checkin_id: int, body: AnswerIn) -> CheckIn:
    item = selectors.own_checkin_or_404(request.user, checkin_id)
    return services.checkin_answer(
        checkin=item, by=request.user, score=body.score, comment=body.comment
    )
