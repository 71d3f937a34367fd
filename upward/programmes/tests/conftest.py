"""Programme fixtures on top of the root personas.

- ``ready_programme``: programme A with the defaults a new programme gets, its objectives
  chosen, the readiness checklist complete and applications open (no open call).
- ``invite``: invites a user's directory person to a programme on one side, as a wave would.
- ``apply_as``: a user applies through the service with valid answers for every question.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import pytest

from upward.consent.models import Channel
from upward.programmes import defaults, selectors, services
from upward.programmes.models import (
    Application,
    Challenge,
    Invitation,
    InvitationWave,
    Programme,
    Question,
    ReadinessItem,
    Side,
)
from upward.programmes.questions import AnswersForm


def complete_readiness(programme: Programme, by: Any) -> None:
    for item in programme.readiness_items.all():
        services.readiness_item_update(
            item=item,
            by=by,
            version=item.version,
            status=ReadinessItem.Status.DONE,
            owner="Head of People",
            evidence="Signed off at the steering group.",
        )


@pytest.fixture
def ready_programme(programme_a: Programme, coordinator: Any) -> Programme:
    defaults.seed_programme(programme_a)
    services.programme_objectives_set(
        programme=programme_a,
        by=coordinator,
        version=programme_a.version,
        challenges=[Challenge.INCLUSIVE_LEADERSHIP, Challenge.HIERARCHY],
        details={},
        others=[],
    )
    programme_a.identity_dimensions = ["ethnicity", "disability", "age_band"]
    programme_a.save(update_fields=["identity_dimensions"])
    complete_readiness(programme_a, coordinator)
    services.programme_applications_open(programme=programme_a, by=coordinator)
    programme_a.refresh_from_db()
    return programme_a


def _invite(programme: Programme, user: Any, side: str) -> Invitation:
    wave, _ = InvitationWave.objects.get_or_create(
        programme=programme, number=1, defaults={"side": side}
    )
    return Invitation.objects.create(
        programme=programme,
        wave=wave,
        person=user.person,
        side=side,
        email=user.person.email or user.email,
        nonce=secrets.token_hex(16),
        status=Invitation.Status.SENT,
    )


@pytest.fixture
def invite() -> Callable[[Programme, Any, str], Invitation]:
    return _invite


def valid_form_data(programme: Programme, side: str) -> dict[str, Any]:
    """Form data answering every question of one side's form, in the shape a browser posts."""
    data: dict[str, Any] = {}
    topics = list(programme.topics.all())
    for q in selectors.form_questions(programme, side):
        name = q.field_name
        kind = q.kind
        if kind == Question.Kind.ACKNOWLEDGEMENT:
            data[name] = "on"
        elif kind == Question.Kind.TOPICS:
            data[name] = [str(t.pk) for t in topics[:2]]
        elif kind in (Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT):
            data[name] = "I want to listen more than I talk."
        elif kind == Question.Kind.SINGLE_CHOICE:
            data[name] = q.choices[0]
        elif kind == Question.Kind.MULTIPLE_CHOICE:
            data[name] = q.choices[:2]
        elif kind == Question.Kind.SCALE:
            data[name] = str(q.max_value)
        elif kind == Question.Kind.AVAILABILITY:
            data[name] = ["mon_morning", "wed_lunch"]
    return data


def valid_answers(programme: Programme, side: str) -> dict[str, Any]:
    form = AnswersForm(
        data=valid_form_data(programme, side),
        questions=selectors.form_questions(programme, side),
        topics=list(programme.topics.all()),
    )
    assert form.is_valid(), form.errors
    return form.answers()


def _apply(
    programme: Programme,
    user: Any,
    side: str,
    identity_values: dict[str, str] | None = None,
) -> Application:
    values = identity_values or {}
    return services.application_submit(
        programme=programme,
        user=user,
        side=side,
        answers=valid_answers(programme, side),
        identity_values=values,
        identity_consents=set(values),
        channel=Channel.WEB,
    )


@pytest.fixture
def apply_as() -> Callable[..., Application]:
    return _apply


@pytest.fixture
def leader_application(ready_programme: Programme, leader: Any) -> Application:
    _invite(ready_programme, leader, Side.LEADER)
    return _apply(ready_programme, leader, Side.LEADER)


@pytest.fixture
def mentor_application(ready_programme: Programme, mentor: Any) -> Application:
    _invite(ready_programme, mentor, Side.MENTOR)
    return _apply(ready_programme, mentor, Side.MENTOR, {"ethnicity": "black", "age_band": "16_24"})
