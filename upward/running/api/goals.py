"""SMART goals through the API: the check, saving and progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Schema

from upward.core.bounds import BoundedDate
from upward.pairs.api import Detail

from .. import selectors, services
from ..models import Goal
from ..smart import smart_check
from ._common import ERRORS, Version, router


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
