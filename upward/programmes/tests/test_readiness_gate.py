"""The readiness gate: applications open only with the checklist complete, or after a
coordinator records an override with a reason. Refusals change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from upward.programmes import defaults, selectors, services
from upward.programmes.errors import RuleBroken
from upward.programmes.models import Programme, ProgrammeLog, ReadinessItem

from .conftest import complete_readiness


@pytest.fixture
def new_programme(programme_a: Programme) -> Programme:
    defaults.seed_programme(programme_a)
    return programme_a


def test_a_new_programme_has_the_six_standard_items(new_programme: Programme) -> None:
    keys = list(new_programme.readiness_items.values_list("key", flat=True))
    assert keys == [
        "deib_plan",
        "leadership",
        "time",
        "safety_baseline",
        "support",
        "coordinator",
    ]
    readiness = selectors.readiness_of(new_programme)
    assert (readiness.done, readiness.total, readiness.passed) == (0, 6, False)


def test_applications_cannot_open_until_the_checklist_is_complete(
    new_programme: Programme, coordinator: Any
) -> None:
    items = list(new_programme.readiness_items.all())
    for item in items[:-1]:
        services.readiness_item_update(
            item=item,
            by=coordinator,
            version=item.version,
            status="done",
            owner="Head of DEI",
            evidence="Plan v2",
        )
    with pytest.raises(RuleBroken, match="readiness checklist is complete"):
        services.programme_applications_open(programme=new_programme, by=coordinator)
    new_programme.refresh_from_db()
    assert new_programme.applications_opened_at is None
    assert new_programme.phase == Programme.Phase.READINESS
    services.readiness_item_update(
        item=items[-1],
        by=coordinator,
        version=items[-1].version,
        status="done",
        owner="CPO",
        evidence="Appointed in May",
    )
    services.programme_applications_open(programme=new_programme, by=coordinator)
    new_programme.refresh_from_db()
    assert new_programme.applications_open
    assert new_programme.phase == Programme.Phase.SOURCING
    assert new_programme.log.filter(action=ProgrammeLog.Action.APPLICATIONS_OPENED).exists()


@pytest.mark.parametrize(
    ("owner", "evidence", "missing"),
    [
        ("", "A plan", "an owner"),
        ("Ann", "", "the evidence"),
        ("", " ", "an owner and the evidence"),
    ],
)
def test_an_item_is_done_only_with_an_owner_and_evidence(
    new_programme: Programme, coordinator: Any, owner: str, evidence: str, missing: str
) -> None:
    item = new_programme.readiness_items.first()
    with pytest.raises(RuleBroken, match=f"give {missing}"):
        services.readiness_item_update(
            item=item,
            by=coordinator,
            version=item.version,
            status="done",
            owner=owner,
            evidence=evidence,
        )
    item.refresh_from_db()
    assert item.status == ReadinessItem.Status.TODO


def test_override_needs_a_reason_and_is_logged(new_programme: Programme, coordinator: Any) -> None:
    with pytest.raises(RuleBroken, match="at least 15 characters"):
        services.programme_readiness_override(programme=new_programme, by=coordinator, reason="go")
    new_programme.refresh_from_db()
    assert new_programme.readiness_overridden_at is None
    reason = "The board asked us to start now; the baseline survey runs in week one."
    services.programme_readiness_override(programme=new_programme, by=coordinator, reason=reason)
    entry = new_programme.log.get(action=ProgrammeLog.Action.READINESS_OVERRIDE)
    assert entry.actor == coordinator and entry.reason == reason
    assert "0 of 6" in entry.summary
    services.programme_applications_open(programme=new_programme, by=coordinator)
    new_programme.refresh_from_db()
    assert new_programme.applications_open


def test_no_override_of_a_complete_checklist(new_programme: Programme, coordinator: Any) -> None:
    complete_readiness(new_programme, coordinator)
    with pytest.raises(RuleBroken, match="nothing to override"):
        services.programme_readiness_override(
            programme=new_programme, by=coordinator, reason="Just to be sure, really sure."
        )


def test_the_phase_cannot_move_on_before_the_gate(
    new_programme: Programme, coordinator: Any
) -> None:
    with pytest.raises(RuleBroken, match="readiness checklist is not complete"):
        services.programme_phase_set(programme=new_programme, by=coordinator, phase="matching")
    new_programme.refresh_from_db()
    assert new_programme.phase == "readiness"


def test_the_pages_enforce_the_gate_too(
    client: Client, new_programme: Programme, coordinator: Any
) -> None:
    client.force_login(coordinator)
    slug = new_programme.slug
    response = client.post(reverse("programmes:open", args=[slug]), follow=True)
    assert "readiness checklist is complete" in response.content.decode()
    new_programme.refresh_from_db()
    assert new_programme.applications_opened_at is None

    item = new_programme.readiness_items.first()
    bad = client.post(
        reverse("programmes:readiness_item", args=[slug, item.pk]),
        {"status": "done", "owner": "", "evidence": "", "version": item.version},
    )
    assert bad.status_code == 200
    assert "give an owner and the evidence" in bad.content.decode()
    item.refresh_from_db()
    assert item.status == "todo"

    short = client.post(
        reverse("programmes:readiness_override", args=[slug]), {"reason": "because"}, follow=True
    )
    assert "at least 15 characters" in short.content.decode()
    new_programme.refresh_from_db()
    assert new_programme.readiness_overridden_at is None

    client.post(
        reverse("programmes:readiness_override", args=[slug]),
        {"reason": "The executive team wants to start before the summer break."},
    )
    board = client.get(reverse("programmes:readiness", args=[slug])).content.decode()
    assert "Overridden by" in board and "before the summer break" in board
    opened = client.post(reverse("programmes:open", args=[slug]))
    assert opened.status_code == 302
    new_programme.refresh_from_db()
    assert new_programme.applications_open


def test_the_api_enforces_the_gate_too(
    client: Client, new_programme: Programme, coordinator: Any
) -> None:
    client.force_login(coordinator)
    base = f"/api/v1/programmes/{new_programme.slug}"
    response = client.post(f"{base}/applications/open", {}, content_type="application/json")
    assert response.status_code == 400
    assert "readiness checklist" in response.json()["detail"]
    for item in client.get(f"{base}/readiness").json()["items"]:
        patched = client.patch(
            f"{base}/readiness/{item['id']}",
            {
                "status": "done",
                "owner": "Owner",
                "evidence": "Evidence",
                "version": item["version"],
            },
            content_type="application/json",
        )
        assert patched.status_code == 200
    opened = client.post(f"{base}/applications/open", {}, content_type="application/json")
    assert opened.status_code == 200 and opened.json()["applications_open"] is True


def test_custom_items_join_the_gate(new_programme: Programme, coordinator: Any) -> None:
    complete_readiness(new_programme, coordinator)
    extra = services.readiness_item_add(
        programme=new_programme, by=coordinator, title="Works council consulted"
    )
    assert not selectors.readiness_of(new_programme).passed
    services.readiness_item_remove(item=extra, by=coordinator)
    assert selectors.readiness_of(new_programme).passed
    standard = new_programme.readiness_items.first()
    with pytest.raises(RuleBroken, match="cannot be removed"):
        services.readiness_item_remove(item=standard, by=coordinator)


def test_interviews_are_recorded_encrypted_with_themes(
    client: Client, new_programme: Programme, coordinator: Any
) -> None:
    from django.db import connection

    client.force_login(coordinator)
    response = client.post(
        reverse("programmes:interview_new", args=[new_programme.slug]),
        {
            "interviewee": "Chief Executive",
            "role": "CEO",
            "held_on": "2026-03-02",
            "problems": "Graduates leave within two years.",
            "themes": ["retention", "voice"],
        },
    )
    assert response.status_code == 302
    interview = new_programme.interviews.get()
    assert interview.themes == ["voice", "retention"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT problems FROM programmes_stakeholderinterview WHERE id = %s", [interview.pk]
        )
        raw = cursor.fetchone()[0]
    assert "Graduates" not in raw and raw.startswith("enc1:")
    assert selectors.interview_themes(new_programme) == [
        ("Losing diverse talent", 1),
        ("Voices not heard by leaders", 1),
    ]
    bad = client.post(
        reverse("programmes:interview_new", args=[new_programme.slug]),
        {"interviewee": "", "role": "CFO", "held_on": "not a date", "problems": ""},
    )
    assert bad.status_code == 200
    assert new_programme.interviews.count() == 1


def test_the_deadline_moves_only_into_the_future_and_is_logged(
    client: Client, coordinator: Any, new_programme: Programme
) -> None:
    import datetime as dt

    complete_readiness(new_programme, coordinator)
    client.force_login(coordinator)
    url = reverse("programmes:deadline", args=[new_programme.slug])
    closed = client.post(url, {"deadline": "2099-01-01T12:00"}, follow=True)
    assert "Applications are not open" in closed.content.decode()
    services.programme_applications_open(programme=new_programme, by=coordinator)
    past = client.post(url, {"deadline": "2001-01-01T12:00"}, follow=True)
    assert "The deadline must be in the future." in past.content.decode()
    new_programme.refresh_from_db()
    assert new_programme.applications_deadline is None
    client.post(url, {"deadline": "2099-01-01T12:00"})
    new_programme.refresh_from_db()
    assert new_programme.applications_deadline == dt.datetime(2099, 1, 1, 12, 0, tzinfo=dt.UTC)
    assert new_programme.log.filter(action=ProgrammeLog.Action.DEADLINE_CHANGED).exists()
    page = client.get(reverse("programmes:detail", args=[new_programme.slug])).content.decode()
    assert 'value="2099-01-01T12:00"' in page and "Change the deadline" in page
    api = client.post(
        f"/api/v1/programmes/{new_programme.slug}/applications/deadline",
        {"deadline": None},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["applications_deadline"] is None
    new_programme.refresh_from_db()
    assert new_programme.applications_open
