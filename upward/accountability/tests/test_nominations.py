"""The path to sponsorship: a leader nominates their mentor only with the mentor's consent,
asked privately; a decline reaches the leader as "not taken forward", with no reason and not
at the moment it happened (a decline and no answer read the same, at the same time)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from upward.accountability import selectors, services
from upward.accountability.errors import AccountabilityRuleBroken
from upward.accountability.models import ANSWER_DAYS, Nomination
from upward.pairs.models import Pair
from upward.privacy.registry import DataSubject
from upward.privacy.services import subject_export_data

from .conftest import client_of

pytestmark = pytest.mark.django_db

ASKED = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


def _nominate(pair: Pair, leader: Any) -> Nomination:
    with freeze_time(ASKED):
        return services.nomination_make(
            pair=pair,
            by=leader,
            kind="project",
            title="Hiring review",
            description="Six months reviewing graduate hiring.",
        )


def _leader_sees(leader: Any) -> str:
    client = client_of(leader)
    page = client.get(reverse("accountability:nominations")).content.decode()
    # The leader's own nominations (the page's introduction speaks of declining in general).
    made = page.split('id="made"')[1]
    return made + client.get("/api/v1/nominations").content.decode()


def test_the_mentor_is_asked_privately(
    pair: Pair, leader: Any, mentor: Any, mailoutbox: Any
) -> None:
    nomination = _nominate(pair, leader)
    assert nomination.state == "asked"
    assert [m.to for m in mailoutbox] == [[mentor.email]]
    assert "It is your choice" in mailoutbox[0].body
    mentor_view = client_of(mentor).get("/api/v1/nominations").json()
    assert mentor_view["received"][0]["can_answer"] is True and mentor_view["made"] == []


def test_only_the_pairs_leader_nominates(
    pair: Pair, mentor: Any, coordinator: Any, other_pair: Pair, leader: Any
) -> None:
    for person in (mentor, coordinator, other_pair.leader.user):
        with pytest.raises(AccountabilityRuleBroken, match="leader nominates"):
            services.nomination_make(pair=pair, by=person, kind="role", title="T", description="D")
    with pytest.raises(AccountabilityRuleBroken, match="role, a project or an event"):
        services.nomination_make(pair=pair, by=leader, kind="trip", title="T", description="D")
    with pytest.raises(AccountabilityRuleBroken, match="description"):
        services.nomination_make(pair=pair, by=leader, kind="role", title="T", description=" ")
    Pair.objects.filter(pk=pair.pk).update(state=Pair.State.ENDED)
    pair.refresh_from_db()
    with pytest.raises(AccountabilityRuleBroken, match="finished"):
        services.nomination_make(pair=pair, by=leader, kind="role", title="T", description="D")
    assert not Nomination.objects.exists()
    # Through the API, someone outside the pair does not find it at all.
    answer = client_of(other_pair.leader.user).post(
        f"/api/v1/pairs/{pair.pk}/nominations",
        {"kind": "role", "title": "T", "description": "D"},
        content_type="application/json",
    )
    assert answer.status_code == 404


def test_only_the_mentor_answers(pair: Pair, leader: Any, coordinator: Any) -> None:
    nomination = _nominate(pair, leader)
    for person in (leader, coordinator):
        with freeze_time(ASKED), pytest.raises(AccountabilityRuleBroken, match="Only the mentor"):
            services.nomination_answer(nomination=nomination, by=person, agree=True, version=1)
        with freeze_time(ASKED):
            answer = client_of(person).post(
                f"/api/v1/nominations/{nomination.pk}/answer",
                {"agree": True, "version": 1},
                content_type="application/json",
            )
        assert answer.status_code == 404
    assert Nomination.objects.get().state == "asked"


def test_an_agreement_reaches_the_leader_and_the_outcome_is_recorded(
    pair: Pair, leader: Any, mentor: Any, coordinator: Any, mailoutbox: Any
) -> None:
    nomination = _nominate(pair, leader)
    with pytest.raises(AccountabilityRuleBroken, match="agreed to"):
        services.nomination_outcome(
            nomination=nomination, by=leader, outcome="successful", version=1
        )
    with freeze_time(ASKED + dt.timedelta(days=2)):
        services.nomination_answer(nomination=nomination, by=mentor, agree=True, version=1)
        assert "Agreed" in _leader_sees(leader)
    assert mailoutbox[-1].to == [leader.email]
    with pytest.raises(AccountabilityRuleBroken, match="Only the leader or a coordinator"):
        services.nomination_outcome(
            nomination=nomination, by=mentor, outcome="successful", version=2
        )
    answer = client_of(leader).post(
        f"/api/v1/nominations/{nomination.pk}/outcome",
        {"outcome": "successful", "version": 2},
        content_type="application/json",
    )
    assert answer.status_code == 200
    nomination.refresh_from_db()
    assert nomination.state == "closed" and nomination.outcome == "successful"
    counts = selectors.sponsorship_counts(pair.programme)
    assert (counts.nominated, counts.agreed, counts.successful) == (1, 1, 1)


def test_a_decline_is_private_no_reason_and_no_timing_tell(
    pair: Pair, leader: Any, mentor: Any, mailoutbox: Any, other_pair: Pair
) -> None:
    declined = _nominate(pair, leader)
    # A second nomination the mentor never answers: the leader must not tell the two apart.
    silent = _nominate(pair, leader)
    sent = len(mailoutbox)
    with freeze_time(ASKED + dt.timedelta(days=1)):
        client = client_of(mentor)
        answer = client.post(
            reverse("accountability:answer", args=[declined.pk]),
            {"answer": "decline", "version": 1},
        )
        assert answer.status_code == 302
        seen = _leader_sees(leader)
        assert "Not taken forward" not in seen and "declin" not in seen.lower()
        assert seen.count("Waiting for your mentor") == 4  # both, on the page and in the API
        # Nothing in the API for the leader says when anything was answered.
        made = client_of(leader).get("/api/v1/nominations").json()["made"]
        assert all(
            set(n)
            == {
                "id",
                "mentor",
                "kind",
                "title",
                "description",
                "shown",
                "can_record_outcome",
                "version",
            }
            for n in made
        )
    assert len(mailoutbox) == sent  # no email on a decline
    with freeze_time(ASKED + dt.timedelta(days=ANSWER_DAYS, seconds=1)):
        made = {
            n["id"]: n["shown"] for n in client_of(leader).get("/api/v1/nominations").json()["made"]
        }
        assert made == {declined.pk: "Not taken forward", silent.pk: "Not taken forward"}
        seen = _leader_sees(leader)
        assert "declin" not in seen.lower() and "reason" not in seen.lower()
        export = json.dumps(subject_export_data(DataSubject.of_user(leader)), default=str)
        assert "declined" not in export and "Not taken forward" in export
        # The late answer is refused: the window is over.
        with pytest.raises(AccountabilityRuleBroken, match="no longer"):
            services.nomination_answer(nomination=silent, by=mentor, agree=True, version=1)
    # The mentor keeps their own answer.
    mine = client_of(mentor).get(reverse("accountability:nominations")).content.decode()
    assert "declined" in mine
    # A leader cannot record an outcome of a declined nomination.
    with pytest.raises(AccountabilityRuleBroken):
        services.nomination_outcome(
            nomination=Nomination.objects.get(pk=declined.pk),
            by=leader,
            outcome="withdrawn",
            version=2,
        )


def test_bad_answers_are_refused(pair: Pair, leader: Any, mentor: Any) -> None:
    nomination = _nominate(pair, leader)
    with freeze_time(ASKED):
        client = client_of(mentor)
        assert (
            client.post(
                reverse("accountability:answer", args=[nomination.pk]),
                {"answer": "maybe", "version": 1},
            ).status_code
            == 400
        )
        assert (
            client.post(
                f"/api/v1/nominations/{nomination.pk}/answer",
                {"agree": True, "version": 9},
                content_type="application/json",
            ).status_code
            == 409
        )
    assert Nomination.objects.get().state == "asked"
    assert timezone.now()  # the clock is real again


def test_the_coordinator_records_an_outcome_from_the_programme_page(
    pair: Pair, leader: Any, mentor: Any, coordinator: Any
) -> None:
    nomination = _nominate(pair, leader)
    Nomination.objects.filter(pk=nomination.pk).update(state=Nomination.State.AGREED)
    client = client_of(coordinator)
    page = client.get(reverse("accountability:programme", args=[pair.programme.slug]))
    assert "Hiring review" in page.content.decode()
    answer = client.post(
        reverse("accountability:outcome", args=[nomination.pk]),
        {"outcome": "not_successful", "version": 1},
    )
    assert answer.status_code == 302
    assert Nomination.objects.get().outcome == "not_successful"
    assert selectors.sponsorship_counts(pair.programme).not_successful == 1
