"""Pairs API: the pairs you are in, one pair, and pausing, resuming, ending or completing it.

Only the pair's two people and the programme's coordinators see a pair; anyone else gets 404.
A broken rule answers 400 and a stale version 409, with ``{"detail": "..."}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from . import selectors, services
from .models import Pair

router = Router(tags=["pairs"])


class Detail(Schema):
    detail: str


class PairPersonOut(Schema):
    name: str
    role: str


class RelationshipOut(Schema):
    id: int
    programme: str
    programme_slug: str
    cohort: str | None
    state: str
    state_words: str
    reciprocal: bool
    since: dt.datetime
    state_since: dt.datetime
    version: int
    leader: PairPersonOut
    mentor: PairPersonOut
    you_are: str | None = Field(None, description="'leader' or 'mentor' when you are in the pair.")


def pair_out(pair: Pair, user: Any) -> dict[str, Any]:
    return {
        "id": pair.pk,
        "programme": pair.programme.name,
        "programme_slug": pair.programme.slug,
        "cohort": pair.cohort.name if pair.cohort else None,
        "state": pair.state,
        "state_words": pair.get_state_display(),
        "reciprocal": pair.reciprocal,
        "since": pair.since,
        "state_since": pair.state_since,
        "version": pair.version,
        "leader": {"name": pair.leader.person.name, "role": pair.role_words("leader")},
        "mentor": {"name": pair.mentor.person.name, "role": pair.role_words("mentor")},
        "you_are": pair.side_of(user),
    }


class StateIn(Schema):
    action: Literal["pause", "resume", "end", "complete"]
    version: int = Field(..., ge=1, le=2**31 - 1)
    note: str = Field("", max_length=1000)


@router.get("/pairs", response=list[RelationshipOut], summary="The pairs you are in")
def my_pairs(request: HttpRequest) -> list[dict[str, Any]]:
    return [pair_out(p, request.user) for p in selectors.pairs_of_user(request.user)]


@router.get(
    "/pairs/{int:pair_id}",
    response={200: RelationshipOut, 404: Detail},
    summary="One pair you may see",
)
def pair_detail(request: HttpRequest, pair_id: int) -> dict[str, Any]:
    return pair_out(selectors.pair_or_404(request.user, pair_id), request.user)


@router.post(
    "/pairs/{int:pair_id}/state",
    response={200: RelationshipOut, 400: Detail, 404: Detail, 409: Detail},
    summary="Pause, resume or end a pair (either person, without fault); complete it "
    "(coordinators)",
)
def pair_state(request: HttpRequest, pair_id: int, body: StateIn) -> dict[str, Any]:
    pair = selectors.pair_or_404(request.user, pair_id)
    services.pair_state_change(
        pair=pair, action=body.action, by=request.user, version=body.version, note=body.note
    )
    return pair_out(selectors.pair_or_404(request.user, pair_id), request.user)
