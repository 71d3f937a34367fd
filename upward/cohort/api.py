"""Cohort API: cohort events (attendance, the mid-point questionnaire), the cohort space
(posts, replies, reports, hiding), a pair's private messages (its two people only: 404 for
anyone else) and notification choices.

A broken rule answers 400 and a stale version 409, with the one error shape.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from upward.accounts.permissions import can_coordinate
from upward.core.api_base import ErrorOut
from upward.core.bounds import BoundedDateTime, Id
from upward.preparation import services as preparation_services
from upward.preparation.emails import person_zone
from upward.programmes.selectors import coordinated_programme_or_404

from . import midpoint, selectors, services
from .errors import CohortRuleBroken
from .models import PairMessage, Post

router = Router(tags=["cohort"])
ERRORS: dict[int, Any] = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut}
Version = Field(..., ge=1, le=2**31 - 1)
EventKind = Literal["coaching", "midpoint", "ideas", "celebration"]
EveryIn = Literal["each", "digest", "none"]


# --- events -----------------------------------------------------------------------------------


class CohortEventOut(Schema):
    id: int
    title: str
    kind: str
    audience: str
    cohort_id: int | None
    starts_at: dt.datetime = Field(..., description="In your own time zone.")
    minutes: int
    place: str
    video_url: str
    cancelled: bool
    version: int
    your_place: str | None = Field(None, description="'booked', 'waiting' or none.")
    booked: int | None = Field(None, description="Coordinators only.")
    came: int | None = Field(None, description="Coordinators only.")
    calendar_url: str
    sign_up_url: str


def _event_out(w: Any, tz_name: str, place: str | None = None) -> dict[str, Any]:
    from django.urls import reverse

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
        "cancelled": w.cancelled_at is not None,
        "version": w.version,
        "your_place": place,
        "booked": getattr(w, "booked", None),
        "came": getattr(w, "came", None),
        "calendar_url": reverse("preparation:workshop_ics", args=[w.pk]),
        "sign_up_url": f"/api/v1/workshops/{w.pk}/sign-up",
    }


@router.get("/cohort/events", response=list[CohortEventOut], summary="Upcoming cohort events")
def my_events(request: HttpRequest) -> list[dict[str, Any]]:
    tz = person_zone(request.user)
    return [_event_out(w, tz, place or None) for w, place in selectors.my_events(request.user)]


@router.get(
    "/programmes/{slug}/cohort/events",
    response={200: list[CohortEventOut], 404: ErrorOut},
    summary="The programme's cohort events with booked and attended counts (coordinators)",
)
def programme_events(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    programme = coordinated_programme_or_404(request.user, slug)
    tz = person_zone(request.user)
    return [_event_out(w, tz) for w in selectors.events_of(programme)]


class CohortEventIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    kind: EventKind
    audience: Literal["mentors", "leaders", "everyone"] = "everyone"
    cohort_id: Id | None = None
    starts_at: BoundedDateTime = Field(..., description="With its UTC offset.")
    minutes: int = Field(90, ge=15, le=480)
    place: str = Field("", max_length=300)
    video_url: str = Field("", max_length=500)
    capacity: int = Field(40, ge=1, le=1000)
    description: str = Field("", max_length=5000)


@router.post(
    "/programmes/{slug}/cohort/events",
    response={201: CohortEventOut, **ERRORS},
    summary="Schedule a cohort event: people book a place and get a calendar invitation",
)
def event_create(request: HttpRequest, slug: str, body: CohortEventIn) -> Any:
    programme = coordinated_programme_or_404(request.user, slug)
    if body.starts_at.tzinfo is None:
        raise CohortRuleBroken("Give starts_at with its UTC offset.")
    values = body.model_dump(exclude={"cohort_id"})
    values["cohort"] = None
    if body.cohort_id is not None:
        values["cohort"] = programme.cohorts.filter(pk=body.cohort_id).first()
        if values["cohort"] is None:
            raise CohortRuleBroken("Choose one of the programme's cohorts.")
    event = services.event_schedule(
        programme=programme,
        by=request.user,
        values=values,
        base_url=request.build_absolute_uri("/"),
    )
    return Status(201, _event_out(event, person_zone(request.user)))


class CohortAttendanceIn(Schema):
    version: int = Version
    present: list[Id] = Field(default_factory=list, max_length=1000, description="User ids.")


class CohortAttendanceOut(Schema):
    came: int


@router.post(
    "/programmes/{slug}/cohort/events/{int:event_id}/attendance",
    response={200: CohortAttendanceOut, **ERRORS},
    summary="Record who came; everyone else booked is marked absent",
)
def attendance(
    request: HttpRequest, slug: str, event_id: int, body: CohortAttendanceIn
) -> dict[str, int]:
    programme = coordinated_programme_or_404(request.user, slug)
    event = selectors.event_of_programme_or_404(programme, event_id)
    came = preparation_services.attendance_take(
        workshop=event, by=request.user, attended_user_ids=set(body.present), version=body.version
    )
    return {"came": came}


class CohortInvitedOut(Schema):
    booked: int = Field(..., description="People booked now and sent a calendar invitation.")


@router.post(
    "/programmes/{slug}/cohort/events/{int:event_id}/invite",
    response={200: CohortInvitedOut, **ERRORS},
    summary="Book everyone the event is for and send them a calendar invitation",
)
def invite_all(request: HttpRequest, slug: str, event_id: int) -> dict[str, int]:
    programme = coordinated_programme_or_404(request.user, slug)
    event = selectors.event_of_programme_or_404(programme, event_id)
    booked = services.event_invite_all(
        workshop=event, by=request.user, base_url=request.build_absolute_uri("/")
    )
    return {"booked": booked}


class CohortAverageOut(Schema):
    question: str
    prompt: str
    average: float


class CohortResultsOut(Schema):
    state: str = Field(
        ..., description="'open' (nothing shown until it closes), 'too_few' or 'shown'."
    )
    threshold: int
    closes_at: dt.datetime
    answers: int | None
    averages: list[CohortAverageOut]


@router.get(
    "/programmes/{slug}/cohort/events/{int:event_id}/results",
    response={200: CohortResultsOut, **ERRORS},
    summary="A mid-point check-in's results: counts and averages only, never an answer",
)
def results(request: HttpRequest, slug: str, event_id: int) -> dict[str, Any]:
    programme = coordinated_programme_or_404(request.user, slug)
    event = selectors.event_of_programme_or_404(programme, event_id)
    if event.kind != "midpoint":
        raise CohortRuleBroken("Only a mid-point check-in has a questionnaire.")
    r = midpoint.midpoint_results(event)
    return {
        "state": r.state,
        "threshold": r.threshold,
        "closes_at": r.closes_at,
        "answers": r.answers,
        "averages": [{"question": k, "prompt": p, "average": a} for k, p, a in r.averages],
    }


class CohortQuestionOut(Schema):
    key: str
    prompt: str


class CohortQuestionnaireOut(Schema):
    event_id: int
    questions: list[CohortQuestionOut]
    scale: list[int]
    answered: bool
    closes_at: dt.datetime


@router.get(
    "/cohort/check-ins/{int:event_id}",
    response={200: CohortQuestionnaireOut, 404: ErrorOut},
    summary="The mid-point questionnaire, and whether you answered",
)
def questionnaire(request: HttpRequest, event_id: int) -> dict[str, Any]:
    event = selectors.midpoint_for_user(request.user, event_id)
    return {
        "event_id": event.pk,
        "questions": [{"key": k, "prompt": p} for k, p in midpoint.QUESTIONS],
        "scale": list(range(midpoint.SCALE[0], midpoint.SCALE[1] + 1)),
        "answered": selectors.has_answered(request.user, event),
        "closes_at": selectors.answers_close_at(event),
    }


class CohortAnswersIn(Schema):
    answers: dict[str, Annotated[int, Field(ge=0, le=1000)]] = Field(
        ..., max_length=20, description="Each question's key with a number from 1 to 5."
    )


class CohortDoneOut(Schema):
    detail: str


@router.post(
    "/cohort/check-ins/{int:event_id}/answer",
    response={200: CohortDoneOut, **ERRORS},
    summary="Answer the mid-point questionnaire, once; stored with no link to you",
)
def answer(request: HttpRequest, event_id: int, body: CohortAnswersIn) -> dict[str, str]:
    event = selectors.midpoint_for_user(request.user, event_id)
    midpoint.midpoint_answer(workshop=event, user=request.user, answers=dict(body.answers))
    return {"detail": "Thank you: your answers are stored with no link to you."}


# --- the cohort space -------------------------------------------------------------------------


class CohortReplyOut(Schema):
    id: int
    author: str
    body: str
    created_at: dt.datetime
    hidden: bool
    version: int


class CohortPostOut(CohortReplyOut):
    announcement: bool
    pinned: bool
    reports: int | None = Field(None, description="Coordinators only.")
    replies: list[CohortReplyOut]


def _author(post: Post) -> str:
    if post.author is None:
        return ""
    person = getattr(post.author, "person", None)
    return person.name if person is not None else post.author.display_name


def _reply_out(post: Post) -> dict[str, Any]:
    return {
        "id": post.pk,
        "author": _author(post),
        "body": "" if post.removed else post.body,
        "created_at": post.created_at,
        "hidden": post.hidden_at is not None,
        "version": post.version,
    }


def _post_out(post: Post) -> dict[str, Any]:
    return {
        **_reply_out(post),
        "announcement": post.announcement,
        "pinned": post.pinned,
        "reports": getattr(post, "n_reports", None),
        "replies": [_reply_out(r) for r in post.replies.all()],
    }


@router.get(
    "/programmes/{slug}/cohort/posts",
    response={200: list[CohortPostOut], 404: ErrorOut},
    summary="The cohort space's posts with their replies, announcements first",
)
def posts(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    programme = selectors.space_or_404(request.user, slug)
    return [_post_out(p) for p in selectors.posts_of(programme, request.user)]


class CohortPostIn(Schema):
    body: str = Field(..., max_length=20000)
    announcement: bool = Field(False, description="Coordinators only: pinned at the top.")


@router.post(
    "/programmes/{slug}/cohort/posts",
    response={201: CohortPostOut, **ERRORS},
    summary="Post in the cohort space",
)
def post_create(request: HttpRequest, slug: str, body: CohortPostIn) -> Any:
    programme = selectors.space_or_404(request.user, slug)
    post = services.post_create(
        programme=programme,
        by=request.user,
        body=body.body,
        announcement=body.announcement,
        pinned=body.announcement,
        base_url=request.build_absolute_uri("/"),
    )
    return Status(201, _post_out(post))


class CohortReplyIn(Schema):
    body: str = Field(..., max_length=20000)


@router.post(
    "/cohort/posts/{int:post_id}/replies",
    response={201: CohortReplyOut, **ERRORS},
    summary="Reply to a post",
)
def reply_create(request: HttpRequest, post_id: int, body: CohortReplyIn) -> Any:
    post = selectors.post_or_404(request.user, post_id)
    reply = services.reply_create(
        post=post, by=request.user, body=body.body, base_url=request.build_absolute_uri("/")
    )
    return Status(201, _reply_out(reply))


class CohortReportIn(Schema):
    reason: str = Field(..., max_length=5000)


@router.post(
    "/cohort/posts/{int:post_id}/report",
    response={200: CohortDoneOut, **ERRORS},
    summary="Report a post or reply to the coordinator, with a reason",
)
def report(request: HttpRequest, post_id: int, body: CohortReportIn) -> dict[str, str]:
    post = selectors.post_or_404(request.user, post_id)
    services.post_report(post=post, by=request.user, reason=body.reason)
    return {"detail": "Reported to the coordinator. The author is not told who asked."}


class CohortVersionIn(Schema):
    version: int = Version


@router.post(
    "/cohort/posts/{int:post_id}/hide",
    response={200: CohortReplyOut, **ERRORS},
    summary="Hide a post or reply from participants (coordinators)",
)
def hide(request: HttpRequest, post_id: int, body: CohortVersionIn) -> dict[str, Any]:
    post = selectors.post_or_404(request.user, post_id)
    if not can_coordinate(request.user, post.programme):
        from django.http import Http404

        raise Http404("No such post.")
    return _reply_out(services.post_hide(post=post, by=request.user, version=body.version))


# --- pair messages ----------------------------------------------------------------------------


class CohortMessageOut(Schema):
    id: int
    from_you: bool
    body: str
    created_at: dt.datetime


def _message_out(m: PairMessage, user: Any) -> dict[str, Any]:
    return {
        "id": m.pk,
        "from_you": m.author_id == user.pk,
        "body": m.body,
        "created_at": m.created_at,
    }


@router.get(
    "/pairs/{int:pair_id}/messages",
    response={200: list[CohortMessageOut], 404: ErrorOut},
    summary="The pair's private thread (its two people only)",
)
def messages(request: HttpRequest, pair_id: int) -> list[dict[str, Any]]:
    pair = selectors.member_pair_or_404(request.user, pair_id)
    return [_message_out(m, request.user) for m in selectors.messages_of(pair)]


class CohortMessageIn(Schema):
    body: str = Field(..., max_length=20000)


@router.post(
    "/pairs/{int:pair_id}/messages",
    response={201: CohortMessageOut, **ERRORS},
    summary="Send a message to your partner (refused with 404 for a pair you are not in)",
)
def message_send(request: HttpRequest, pair_id: int, body: CohortMessageIn) -> Any:
    pair = selectors.member_pair_or_404(request.user, pair_id)
    message = services.message_send(
        pair=pair, by=request.user, body=body.body, base_url=request.build_absolute_uri("/")
    )
    return Status(201, _message_out(message, request.user))


# --- notification choices ---------------------------------------------------------------------


class CohortPreferencesOut(Schema):
    posts: str
    messages: str


class CohortPreferencesIn(Schema):
    posts: EveryIn
    messages: EveryIn


@router.get(
    "/cohort/preferences",
    response=CohortPreferencesOut,
    summary="Your choice of emails: each one, a daily digest or none",
)
def preferences(request: HttpRequest) -> dict[str, str]:
    pref = selectors.preference_of(request.user)
    return {"posts": pref.posts, "messages": pref.messages}


@router.put(
    "/cohort/preferences",
    response={200: CohortPreferencesOut, **ERRORS},
    summary="Choose your emails for cohort posts and partner messages",
)
def preferences_set(request: HttpRequest, body: CohortPreferencesIn) -> dict[str, str]:
    pref = services.preference_set(user=request.user, posts=body.posts, messages=body.messages)
    return {"posts": pref.posts, "messages": pref.messages}
