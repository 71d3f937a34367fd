"""Meetings through the API: propose, pick, move, cancel and record the outcome."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Schema

from upward.core.bounds import BoundedDateTime
from upward.pairs.api import Detail

from .. import selectors, services
from ..errors import RunningRuleBroken
from ..models import Meeting
from ..zones import local_to_aware
from ._common import ERRORS, Version, router


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
