"""Pieces shared by the running pages."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from upward.preparation.views._common import report

from .. import selectors
from ..errors import RunningRuleBroken
from ..models import Meeting


def _zone_of(user: object) -> str:
    person = getattr(user, "person", None)
    return (person.time_zone if person is not None else "") or "UTC"


def _meeting_post(request: HttpRequest, pk: int) -> Meeting:
    return selectors.meeting_or_404(request.user, pk)


def _done(
    request: HttpRequest,
    meeting: Meeting,
    call: object,
    success: str,
    target: str = "running:pair",
) -> HttpResponse:
    try:
        call()  # type: ignore[operator]
    except RunningRuleBroken as exc:
        report(request, exc)
    else:
        messages.success(request, success)
    return redirect(target, pk=meeting.pair_id)
