"""Leaders' commitments: adoption needs a leader owner and a measure, the status flow, overdue
and on-time flags against a frozen clock, versioned edits, and who sees what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from freezegun import freeze_time

from upward.accountability import selectors, services
from upward.accountability.errors import AccountabilityRuleBroken, AccountabilityVersionConflict
from upward.accountability.models import Commitment, Idea, IdeaSession

from .conftest import client_of

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 3, 1)
DUE = dt.date(2027, 4, 30)


@pytest.fixture
def idea(session: IdeaSession, mentor: Any) -> Idea:
    return services.idea_submit(
        session=session, by=mentor, text="Publish pay bands", anonymous=True
    )


def _terms(**more: Any) -> dict[str, Any]:
    return {
        "change": "Pay bands on the intranet",
        "measure": "Roles with a published band",
        "baseline": "0%",
        "target": "100%",
        "due_on": DUE,
        **more,
    }


@pytest.fixture
def commitment(idea: Idea, coordinator: Any, leader: Any) -> Commitment:
    with freeze_time(TODAY):
        return services.idea_adopt(idea=idea, by=coordinator, owner=leader, **_terms())


def test_adopting_makes_the_leaders_commitment_and_tells_them(
    commitment: Commitment, leader: Any, idea: Idea, mailoutbox: Any
) -> None:
    assert commitment.owner == leader and commitment.status == "planned" and commitment.idea == idea
    idea.refresh_from_db()
    assert idea.adopted
    assert [m.to for m in mailoutbox] == [[leader.email]]
    assert "Roles with a published band" in mailoutbox[0].body


@pytest.mark.parametrize(
    ("owner", "more", "message"),
    [
        (None, {}, "Choose the leader"),
        ("mentor", {}, "must be a leader in this programme"),
        ("sponsor", {}, "must be a leader in this programme"),
        ("leader", {"measure": " "}, "Give a measure"),
        ("leader", {"baseline": ""}, "baseline"),
        ("leader", {"change": ""}, "what will change"),
        ("leader", {"due_on": TODAY}, "due date after today"),
    ],
)
def test_a_commitment_without_a_leader_owner_or_measure_is_refused(
    idea: Idea,
    coordinator: Any,
    request: Any,
    owner: str | None,
    more: dict[str, Any],
    message: str,
) -> None:
    who = request.getfixturevalue(owner) if owner else None
    with freeze_time(TODAY), pytest.raises(AccountabilityRuleBroken, match=message):
        services.idea_adopt(idea=idea, by=coordinator, owner=who, **_terms(**more))
    assert not Commitment.objects.exists()
    idea.refresh_from_db()
    assert not idea.adopted


def test_only_a_coordinator_adopts(idea: Idea, leader: Any) -> None:
    with freeze_time(TODAY), pytest.raises(AccountabilityRuleBroken, match="coordinators"):
        services.idea_adopt(idea=idea, by=leader, owner=leader, **_terms())


def test_the_api_refuses_a_missing_owner_or_measure_plainly(
    idea: Idea, coordinator: Any, leader: Any, mentor: Any
) -> None:
    client = client_of(coordinator)
    url = f"/api/v1/ideas/{idea.pk}/adopt"
    body = {**_terms(due_on="2999-01-01"), "owner_id": leader.pk}
    no_owner = client.post(url, {**body, "owner_id": None}, content_type="application/json")
    assert no_owner.status_code == 400 and "Choose the leader" in no_owner.json()["detail"]
    not_leader = client.post(url, {**body, "owner_id": mentor.pk}, content_type="application/json")
    assert (
        not_leader.status_code == 400 and "leader in this programme" in not_leader.json()["detail"]
    )
    no_measure = client.post(url, {**body, "measure": ""}, content_type="application/json")
    assert no_measure.status_code == 400 and "measure" in no_measure.json()["detail"]
    assert not Commitment.objects.exists()
    made = client.post(url, body, content_type="application/json")
    assert made.status_code == 201 and made.json()["owner"] == leader.person.name


def _update(c: Commitment, by: Any, status: str, **more: Any) -> None:
    c.refresh_from_db()
    services.commitment_update(
        commitment=c,
        by=by,
        version=c.version,
        status=status,
        note=more.pop("note", "Moving"),
        **more,
    )


def test_the_status_flow_and_its_refusals(commitment: Commitment, leader: Any) -> None:
    with freeze_time(TODAY):
        _update(commitment, leader, "in_progress")
        with pytest.raises(AccountabilityRuleBroken, match="cannot go back to planned"):
            _update(commitment, leader, "planned")
        with pytest.raises(AccountabilityRuleBroken, match="evidence"):
            _update(commitment, leader, "done")
        _update(commitment, leader, "done", evidence="Intranet page")
        with pytest.raises(AccountabilityRuleBroken, match="takes no more updates"):
            _update(commitment, leader, "in_progress")
    commitment.refresh_from_db()
    assert commitment.status == "done" and commitment.done_on == TODAY
    assert [u.status for u in commitment.updates.all()] == ["in_progress", "done"]


def test_dropping_needs_a_reason(commitment: Commitment, leader: Any) -> None:
    with pytest.raises(AccountabilityRuleBroken, match="Say why"):
        _update(commitment, leader, "dropped")
    _update(commitment, leader, "dropped", reason="The budget went elsewhere")
    commitment.refresh_from_db()
    assert commitment.status == "dropped" and commitment.drop_reason == "The budget went elsewhere"
    assert not commitment.is_overdue(DUE + dt.timedelta(days=9))


def test_a_stale_update_is_refused_with_409(commitment: Commitment, leader: Any) -> None:
    services.commitment_update(
        commitment=commitment, by=leader, version=1, status="in_progress", note="Started"
    )
    answer = client_of(leader).post(
        f"/api/v1/commitments/{commitment.pk}/updates",
        {"status": "in_progress", "note": "Again", "version": 1},
        content_type="application/json",
    )
    assert answer.status_code == 409
    assert commitment.updates.count() == 1


def test_overdue_and_on_time_against_a_frozen_clock(
    commitment: Commitment, leader: Any, sponsor: Any
) -> None:
    with freeze_time(DUE):
        assert not Commitment.objects.get().overdue
        assert selectors.standing(Commitment.objects.get()) == "On track"
    with freeze_time(DUE + dt.timedelta(days=1)):
        assert Commitment.objects.get().overdue
        assert selectors.follow_through(Commitment.objects.all()).overdue == 1
        body = (
            client_of(sponsor)
            .get(f"/api/v1/programmes/{commitment.programme.slug}/commitments")
            .json()
        )
        assert (
            body["follow_through"]["overdue"] == 1
            and body["commitments"][0]["standing"] == "Overdue"
        )
        _update(commitment, leader, "done", evidence="Intranet page")
        done = Commitment.objects.get()
        assert not done.overdue and done.on_time is False
        assert selectors.standing(done) == "Done late"
        ft = selectors.follow_through(Commitment.objects.all())
        assert (ft.done, ft.done_late, ft.done_on_time, ft.overdue) == (1, 1, 0, 0)


def test_done_by_the_due_date_is_on_time(commitment: Commitment, leader: Any) -> None:
    with freeze_time(DUE):
        _update(commitment, leader, "done", evidence="Intranet page")
    assert Commitment.objects.get().on_time is True
    assert selectors.standing(Commitment.objects.get()) == "Done on time"


def test_edits_are_versioned_and_the_old_terms_kept(
    commitment: Commitment, leader: Any, coordinator: Any, other_pair: Any
) -> None:
    services.commitment_edit(commitment=commitment, by=leader, version=1, **_terms(target="90%"))
    with pytest.raises(AccountabilityVersionConflict):
        services.commitment_edit(
            commitment=commitment, by=coordinator, version=1, **_terms(target="80%")
        )
    with pytest.raises(AccountabilityRuleBroken, match="Only a coordinator hands"):
        services.commitment_edit(
            commitment=commitment, by=leader, version=2, owner=other_pair.leader.user, **_terms()
        )
    services.commitment_edit(
        commitment=commitment, by=coordinator, version=2, owner=other_pair.leader.user, **_terms()
    )
    commitment.refresh_from_db()
    assert (
        commitment.owner == other_pair.leader.user
        and commitment.target == "100%"
        and commitment.version == 3
    )
    assert [r.terms["target"] for r in commitment.revisions.all()] == ["100%", "90%"]
    answer = client_of(coordinator).put(
        f"/api/v1/commitments/{commitment.pk}",
        {**_terms(due_on="2999-01-01"), "version": 1},
        content_type="application/json",
    )
    assert answer.status_code == 409


def test_leaders_see_their_own_and_sponsors_see_all(
    commitment: Commitment,
    leader: Any,
    sponsor: Any,
    other_pair: Any,
    mentor: Any,
    outsider: Any,
    coordinator_b: Any,
) -> None:
    own = client_of(leader)
    assert [c["id"] for c in own.get("/api/v1/commitments").json()] == [commitment.pk]
    assert "Pay bands on the intranet" in own.get(reverse("accountability:mine")).content.decode()
    assert own.get(reverse("accountability:commitment", args=[commitment.pk])).status_code == 200
    assert (
        client_of(sponsor)
        .get(reverse("accountability:commitment", args=[commitment.pk]))
        .status_code
        == 200
    )
    page = (
        client_of(sponsor)
        .get(reverse("accountability:programme", args=[commitment.programme.slug]))
        .content.decode()
    )
    assert "Pay bands on the intranet" in page and "On track" in page
    for person in (other_pair.leader.user, mentor, outsider, coordinator_b):
        client = client_of(person)
        assert (
            client.get(reverse("accountability:commitment", args=[commitment.pk])).status_code
            == 404
        )
        assert client.get(f"/api/v1/commitments/{commitment.pk}").status_code == 404
        assert client.get("/api/v1/commitments").json() == []
        assert (
            client.get(
                reverse("accountability:programme", args=[commitment.programme.slug])
            ).status_code
            == 404
        )
    # A sponsor reads; they do not update.
    answer = client_of(sponsor).post(
        f"/api/v1/commitments/{commitment.pk}/updates",
        {"status": "in_progress", "note": "x", "version": 1},
        content_type="application/json",
    )
    assert answer.status_code == 404 and Commitment.objects.get().status == "planned"


def test_the_leader_updates_through_the_page(commitment: Commitment, leader: Any) -> None:
    client = client_of(leader)
    url = reverse("accountability:commitment_update", args=[commitment.pk])
    bad = client.post(url, {"status": "done", "note": "Finished", "version": 1})
    assert bad.status_code == 400 and "Give the evidence" in bad.content.decode()
    ok = client.post(url, {"status": "in_progress", "note": "Draft bands agreed", "version": 1})
    assert ok.status_code == 302
    page = client.get(reverse("accountability:commitment", args=[commitment.pk])).content.decode()
    assert "Draft bands agreed" in page


def test_the_programme_summary_and_report_rows(
    commitment: Commitment, programme_a: Any, leader: Any
) -> None:
    with freeze_time(DUE + dt.timedelta(days=3)):
        rows = selectors.programme_summary(programme_a)
        by_key = {(r["section"], r["key"]): r["value"] for r in rows}
        assert by_key[("commitments", "total")] == 1 and by_key[("commitments", "overdue")] == 1
        assert by_key[("ideas", "ideas")] == 1 and by_key[("ideas", "adopted")] == 1
        report = selectors.commitment_section_rows(programme_a)
    assert ("Leaders' commitments", "1") in report and ("Overdue", "1") in report
    assert all(value.isdigit() for _label, value in report)
    assert leader.person.name not in str(report)


def test_sponsors_see_the_programme_level_not_which_leader(
    commitment: Commitment, leader: Any, sponsor: Any, coordinator: Any
) -> None:
    client = client_of(sponsor)
    slug = commitment.programme.slug
    for url in (
        reverse("accountability:programme", args=[slug]),
        reverse("accountability:commitment", args=[commitment.pk]),
        f"/api/v1/programmes/{slug}/commitments",
        f"/api/v1/commitments/{commitment.pk}",
    ):
        answer = client.get(url)
        assert answer.status_code == 200
        assert leader.person.name not in answer.content.decode(), url
    assert client.get(f"/api/v1/commitments/{commitment.pk}").json()["owner"] == (
        "A leader of the programme"
    )
    coordinating = client_of(coordinator).get(f"/api/v1/commitments/{commitment.pk}").json()
    assert coordinating["owner"] == leader.person.name
