"""One's own check-ins through the API."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Schema

from upward.pairs.api import Detail

from .. import selectors, services
from ..models import CheckIn
from ._common import router


class CheckInOut(Schema):
    id: int
    pair_id: int
    kind: str
    due_on: dt.date
    answered_at: dt.datetime | None
    shared: bool


class AnswerIn(Schema):
    score: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=2000)
    share: bool = Field(
        False, description="Let the programme's coordinators read the comment (off by default)."
    )


@router.get("/checkins", response=list[CheckInOut], summary="Your own unanswered check-ins")
def checkins(request: HttpRequest) -> list[CheckIn]:
    return list(selectors.open_checkins(request.user))


@router.post(
    "/checkins/{int:checkin_id}/answer",
    response={200: CheckInOut, 400: Detail, 404: Detail},
    summary="Answer your own check-in (once; private unless you share the comment)",
)
def checkin_answer(request: HttpRequest, checkin_id: int, body: AnswerIn) -> CheckIn:
    item = selectors.own_checkin_or_404(request.user, checkin_id)
    return services.checkin_answer(
        checkin=item, by=request.user, score=body.score, comment=body.comment, share=body.share
    )
