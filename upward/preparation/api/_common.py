"""Shared pieces of the preparation API: error answers, bounded versions, the programme."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field

from upward.pairs.api import Detail
from upward.programmes.models import Programme
from upward.programmes.selectors import coordinated_programme_or_404

ERRORS: dict[int, Any] = {400: Detail, 404: Detail, 409: Detail}
Version = Field(..., ge=1, le=2**31 - 1)
Cadence = Literal["weekly", "fortnightly", "monthly", "six_weekly"]
AudienceIn = Literal["mentors", "leaders", "everyone"]


def coordinated(request: HttpRequest, slug: str) -> Programme:
    return coordinated_programme_or_404(request.user, slug)
