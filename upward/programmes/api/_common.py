"""Shared pieces of the programme API: access, errors and the schemas several parts use."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import HttpError

from upward.core.api import VersionIn
from upward.core.bounds import BoundedDate
from upward.directory.models import Organisation

from .. import identity, selectors
from ..models import (
    Application,
    Programme,
)
from ..policy import describe, policy_of
from ..questions import answers_for_display

SideLiteral = Literal["leader", "mentor"]


def coordinated(request: HttpRequest, slug: str) -> Programme:
    return selectors.coordinated_programme_or_404(request.user, slug)


# --- schemas --------------------------------------------------------------------------------


class ObjectiveOut(Schema):
    challenge: str
    title: str
    detail: str


class ReadinessOut(Schema):
    total: int
    done: int
    complete: bool
    overridden: bool
    passed: bool


class ProgrammeSummaryOut(Schema):
    slug: str
    name: str
    kind: str
    phase: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    applications_open: bool


class ProgrammeOut(ProgrammeSummaryOut):
    version: int
    description: str
    organisations: list[str]
    meeting_cadence: str
    meeting_minutes: int
    hours_per_month: int
    anonymity_threshold: int
    applications_deadline: dt.datetime | None
    open_call_leaders: bool
    open_call_mentors: bool
    objectives: list[ObjectiveOut]
    identity_dimensions: list[str]
    matching_policy: dict[str, Any]
    matching_policy_in_words: dict[str, list[str]]
    readiness: ReadinessOut


def programme_out(programme: Programme) -> dict[str, Any]:
    readiness = selectors.readiness_of(programme)
    policy = policy_of(programme.matching_policy)
    return {
        "slug": programme.slug,
        "name": programme.name,
        "kind": programme.kind,
        "phase": programme.phase,
        "starts_on": programme.starts_on,
        "ends_on": programme.ends_on,
        "applications_open": programme.applications_open,
        "version": programme.version,
        "description": programme.description,
        "organisations": [o.slug for o in programme.organisations.all()],
        "meeting_cadence": programme.meeting_cadence,
        "meeting_minutes": programme.meeting_minutes,
        "hours_per_month": programme.hours_per_month,
        "anonymity_threshold": programme.anonymity_threshold,
        "applications_deadline": programme.applications_deadline,
        "open_call_leaders": programme.open_call_leaders,
        "open_call_mentors": programme.open_call_mentors,
        "objectives": [
            {"challenge": o.challenge, "title": o.title, "detail": o.detail}
            for o in programme.objectives.all()
        ],
        "identity_dimensions": programme.identity_dimensions,
        "matching_policy": policy.as_json(),
        "matching_policy_in_words": describe(
            policy,
            difference=[d.label for d in identity.dimensions_for(programme.identity_dimensions)],
        ),
        "readiness": {
            "total": readiness.total,
            "done": readiness.done,
            "complete": readiness.complete,
            "overridden": readiness.overridden,
            "passed": readiness.passed,
        },
    }


class ProgrammeCreateIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: Literal["reverse", "reciprocal", "traditional"] = "reverse"
    organisations: list[str] = Field(..., min_length=1, description="Organisation slugs.")
    starts_on: BoundedDate
    length_months: int = Field(12, ge=3, le=36)
    description: str = Field("", max_length=5000)
    meeting_cadence: Literal["weekly", "fortnightly", "monthly", "six_weekly"] = "monthly"
    meeting_minutes: int = Field(60, ge=15, le=240)
    hours_per_month: int = Field(2, ge=1, le=40)
    anonymity_threshold: int = Field(5, ge=3, le=50)


class ProgrammePatchIn(VersionIn):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: Literal["reverse", "reciprocal", "traditional"] | None = None
    organisations: list[str] | None = Field(None, min_length=1)
    description: str | None = Field(None, max_length=5000)
    starts_on: BoundedDate | None = None
    ends_on: BoundedDate | None = None
    meeting_cadence: Literal["weekly", "fortnightly", "monthly", "six_weekly"] | None = None
    meeting_minutes: int | None = Field(None, ge=15, le=240)
    hours_per_month: int | None = Field(None, ge=1, le=40)
    anonymity_threshold: int | None = Field(None, ge=3, le=50)


def organisations_from(slugs: list[str]) -> list[Organisation]:
    found = list(Organisation.objects.filter(slug__in=slugs))
    missing = sorted(set(slugs) - {o.slug for o in found})
    if missing:
        raise HttpError(400, f"Unknown organisation: {', '.join(missing)}.")
    return found


class ReasonIn(Schema):
    reason: str = Field(..., max_length=2000)


class AnswerOut(Schema):
    question_id: int
    question: str
    answer: str
    hidden: bool


def answers_out(application: Application, *, include_sensitive: bool) -> list[dict[str, Any]]:
    rows = answers_for_display(
        selectors.form_questions(application.programme, application.side),
        application.answers or {},
        application.programme.topics.all(),
        include_sensitive=include_sensitive,
    )
    return [
        {
            "question_id": row["question"].pk,
            "question": row["question"].label,
            "answer": row["text"],
            "hidden": row["hidden"],
        }
        for row in rows
    ]
