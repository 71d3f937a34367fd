"""Support API: concerns from the raiser's side (raise, list, read, reply) and the handler's
(inbox, read, reply, triage, close). A concern is visible to its raiser, its handler and the
wellbeing lead it was escalated to; anyone else gets 404. A handler never learns the raiser of
an anonymous concern. A broken rule answers 400, a stale version 409."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from upward.pairs import selectors as pair_selectors
from upward.pairs.api import Detail
from upward.privacy.audit import request_route

from . import selectors, services
from .emails import raiser_words
from .models import Concern
from .permissions import is_handler

router = Router(tags=["support"])
ERRORS: dict[int, Any] = {400: Detail, 404: Detail, 409: Detail}
Text = Field(..., min_length=1, max_length=services.MAX_TEXT)
Version = Field(..., ge=1, le=2**31 - 1)


class MessageOut(Schema):
    from_raiser: bool
    at: dt.datetime
    text: str


class ConcernOut(Schema):
    id: int
    programme: str
    about: str
    route_to: str
    anonymous: bool
    raised_by: str = Field(
        ...,
        description="'you' for the raiser; a name, or a neutral phrase "
        "when anonymous, for the handler.",
    )
    state: str
    text: str
    due_at: dt.datetime
    overdue: bool
    routing_note: str
    outcome: str
    version: int
    created_at: dt.datetime
    messages: list[MessageOut]


class ConcernRow(Schema):
    id: int
    programme: str
    about: str
    raised_by: str
    state: str
    due_at: dt.datetime
    overdue: bool


def concern_out(concern: Concern, user: Any, *, full: bool = True) -> dict[str, Any]:
    handler = is_handler(user, concern)
    out = {
        "id": concern.pk,
        "programme": concern.programme.name,
        "about": concern.about,
        "route_to": concern.route_to,
        "anonymous": concern.anonymous,
        "raised_by": raiser_words(concern) if handler else "you",
        "state": concern.state,
        "due_at": concern.due_at,
        "overdue": selectors.is_overdue(concern),
    }
    if full:
        out |= {
            "text": concern.body,
            "routing_note": "" if handler else concern.routing_note,
            "outcome": concern.outcome,
            "version": concern.version,
            "created_at": concern.created_at,
            "messages": [
                {"from_raiser": m.from_raiser, "at": m.created_at, "text": m.body}
                for m in concern.messages.all()
            ],
        }
    return out


class ConcernIn(Schema):
    pair_id: int = Field(..., ge=1, le=2**31 - 1)
    about: Literal["relationship", "conversation", "wellbeing", "safeguarding"]
    route_to: Literal["coordinator", "wellbeing_lead"]
    anonymous: bool = False
    text: str = Field(..., max_length=services.MAX_TEXT)


class MessageIn(Schema):
    text: str = Field(..., max_length=services.MAX_TEXT)


class TriageIn(Schema):
    state: Literal["triaged", "in_progress"]
    version: int = Version


class CloseIn(Schema):
    outcome: str = Field(..., max_length=services.MAX_TEXT)
    version: int = Version


@router.get("/support/concerns", response=list[ConcernRow], summary="The concerns you raised")
def my_concerns(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        concern_out(c, request.user, full=False) for c in selectors.concerns_raised_by(request.user)
    ]


@router.post(
    "/support/concerns",
    response={201: ConcernOut, **ERRORS},
    summary="Raise a concern about a pair you are in, to the coordinator or the wellbeing lead",
)
def concern_raise(request: HttpRequest, body: ConcernIn) -> tuple[int, dict[str, Any]]:
    pair = pair_selectors.pair_or_404(request.user, body.pair_id)
    if pair.side_of(request.user) is None:
        raise Http404("No such pair.")  # coordinators see the pair but raise no concern on it
    concern = services.concern_raise(
        by=request.user,
        pair=pair,
        about=body.about,
        route_to=body.route_to,
        anonymous=body.anonymous,
        body=body.text,
    )
    return 201, concern_out(concern, request.user)


@router.get(
    "/support/inbox",
    response=list[ConcernRow],
    summary="Concerns you handle or that were escalated to you, the nearest deadline first",
)
def inbox(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        concern_out(c, request.user, full=False)
        for c in selectors.concerns_for_handler(request.user)
    ]


@router.get(
    "/support/concerns/{int:concern_id}",
    response={200: ConcernOut, 404: Detail},
    summary="One concern with its thread (its raiser and handler only; reads are logged)",
)
def concern_detail(request: HttpRequest, concern_id: int) -> dict[str, Any]:
    concern = selectors.concern_or_404(request.user, concern_id, route=request_route(request))
    return concern_out(concern, request.user)


@router.post(
    "/support/concerns/{int:concern_id}/messages",
    response={201: ConcernOut, **ERRORS},
    summary="Write in the concern's private thread (raiser or handler)",
)
def concern_reply(
    request: HttpRequest, concern_id: int, body: MessageIn
) -> tuple[int, dict[str, Any]]:
    route = request_route(request)
    concern = selectors.concern_or_404(request.user, concern_id, route=route)
    services.concern_reply(concern=concern, by=request.user, body=body.text)
    return 201, concern_out(concern, request.user)


def _handled(request: HttpRequest, concern_id: int) -> Concern:
    concern = selectors.concern_or_404(request.user, concern_id, route=request_route(request))
    if not is_handler(request.user, concern):
        raise Http404("No such concern.")
    return concern


@router.post(
    "/support/concerns/{int:concern_id}/triage",
    response={200: ConcernOut, **ERRORS},
    summary="Move a concern to triaged or in progress (the handler)",
)
def concern_triage(request: HttpRequest, concern_id: int, body: TriageIn) -> dict[str, Any]:
    concern = _handled(request, concern_id)
    services.concern_triage(
        concern=concern, by=request.user, state=body.state, version=body.version
    )
    return concern_out(concern, request.user)


@router.post(
    "/support/concerns/{int:concern_id}/close",
    response={200: ConcernOut, **ERRORS},
    summary="Close a concern with its outcome (the handler)",
)
def concern_close(request: HttpRequest, concern_id: int, body: CloseIn) -> dict[str, Any]:
    concern = _handled(request, concern_id)
    services.concern_close(
        concern=concern, by=request.user, outcome=body.outcome, version=body.version
    )
    return concern_out(concern, request.user)
