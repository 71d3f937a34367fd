"""The audit view: coordinators see their programmes' people, org admins their organisation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from upward.accounts.models import Role, RoleGrant
from upward.directory.models import Person
from upward.privacy.models import AccessLogEntry
from upward.privacy.services import access_log_record

from .helpers import signed_in


def _read(actor: Any, person: Person, programme: Any = None, ref: str = "note:1") -> None:
    access_log_record(
        actor=actor,
        subject_person=person,
        kind="pair_note",
        object_ref=ref,
        route="GET /notes/1/",
        programme=programme,
    )


def test_org_admin_sees_reads_and_changes_of_their_people_only(
    org_admin: Any, leader: Any, outsider: Any, coordinator: Any, coordinator_b: Any
) -> None:
    _read(coordinator, leader.person, ref="note:1")
    _read(coordinator_b, outsider.person, ref="note:2")
    leader.person.location = "York"
    leader.person.save()
    outsider.person.location = "Hull"
    outsider.person.save()
    page = signed_in(org_admin).get(reverse("privacy:audit"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "note:1" in body and "note:2" not in body
    assert leader.person.name in body and outsider.person.name not in body
    assert "changed: location" in body or "created" in body


def test_coordinator_sees_reads_in_their_programme(
    coordinator: Any,
    coordinator_b: Any,
    programme_a: Any,
    programme_b: Any,
    leader: Any,
    outsider: Any,
) -> None:
    _read(coordinator, leader.person, programme=programme_a, ref="note:1")
    _read(coordinator_b, outsider.person, programme=programme_b, ref="note:2")
    body = signed_in(coordinator).get(reverse("privacy:audit")).content.decode()
    assert "note:1" in body and "note:2" not in body
    body_b = signed_in(coordinator_b).get(reverse("privacy:audit")).content.decode()
    assert "note:2" in body_b and "note:1" not in body_b


def test_coordinator_sees_changes_to_their_participants(
    coordinator: Any, programme_a: Any, leader: Any, mentor: Any
) -> None:
    RoleGrant.objects.create(user=leader, role=Role.PARTICIPANT, programme=programme_a)
    leader.person.location = "York"
    leader.person.save()
    mentor.person.location = "Hull"
    mentor.person.save()
    body = signed_in(coordinator).get(reverse("privacy:audit")).content.decode()
    assert leader.person.name in body
    assert mentor.person.name not in body  # not a participant of programme A


def test_filters_by_person_kind_and_date(
    org_admin: Any, coordinator: Any, leader: Any, mentor: Any
) -> None:
    _read(coordinator, leader.person, ref="note:1")
    _read(coordinator, mentor.person, ref="note:2")
    client = signed_in(org_admin)
    url = reverse("privacy:audit")
    by_person = client.get(
        url, {"person": leader.person.name, "kind": "pair_note"}
    ).content.decode()
    assert "note:1" in by_person and "note:2" not in by_person
    assert f"Audit trail of {leader.person.name}" in by_person
    by_id = client.get(url, {"person": leader.person.employee_id}).content.decode()
    assert f"Audit trail of {leader.person.name}" in by_id
    # Several people share part of a name: the page lists them, shows nothing until one is chosen.
    part = leader.person.name.split()[0][:2]
    several = client.get(url, {"person": part}).content.decode()
    if "Several people match" in several:
        assert "note:1" not in several and f"person_id={leader.person.pk}" in several
    picked = client.get(url, {"person": part, "person_id": leader.person.pk}).content.decode()
    assert "note:1" in picked and "note:2" not in picked
    nobody = client.get(url, {"person": "Nobody Atall"}).content.decode()
    assert "Nobody you may see matches" in nobody and "note:1" not in nobody
    only_changes = client.get(url, {"kind": "change_person"}).content.decode()
    assert "note:1" not in only_changes
    tomorrow = (timezone.now() + timedelta(days=1)).date().isoformat()
    future = client.get(url, {"since": tomorrow}).content.decode()
    assert "note:1" not in future and "Nothing to show" in future


@pytest.mark.parametrize(
    "params",
    [
        {"person": "x" * 101},
        {"person_id": "abc"},
        {"kind": "everything"},
        {"since": "2026-05-02", "until": "2026-05-01"},
    ],
)
def test_bad_filters_are_explained_and_show_nothing(
    org_admin: Any, coordinator: Any, leader: Any, params: dict[str, str]
) -> None:
    _read(coordinator, leader.person)
    response = signed_in(org_admin).get(reverse("privacy:audit"), params)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="errorlist"' in body
    assert "note:1" not in body


def test_pagination(org_admin: Any, coordinator: Any, leader: Any) -> None:
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            actor_id=coordinator.pk,
            subject_person_id=leader.person.pk,
            organisation_id=leader.person.organisation_id,
            kind="pair_note",
            object_ref=f"note:{i}",
            route="GET /x/",
        )
        for i in range(60)
    )
    client = signed_in(org_admin)
    first = client.get(reverse("privacy:audit"), {"kind": "pair_note"})
    assert first.context["page"].paginator.count == 60
    assert len(first.context["rows"]) == 50
    second = client.get(reverse("privacy:audit"), {"kind": "pair_note", "page": 2})
    assert len(second.context["rows"]) == 10
    assert "kind=pair_note&amp;page=1" in second.content.decode()


@pytest.mark.parametrize("who", ["leader", "mentor", "sponsor", "wellbeing_lead", "outsider"])
def test_people_without_a_privileged_role_get_404(request: Any, who: str) -> None:
    assert signed_in(request.getfixturevalue(who)).get(reverse("privacy:audit")).status_code == 404


def test_the_audit_view_is_in_the_navigation(coordinator: Any, leader: Any) -> None:
    nav = signed_in(coordinator).get(reverse("core:dashboard")).context["nav_items"]
    assert any(item["url"] == reverse("privacy:audit") for item in nav)
    nav = signed_in(leader).get(reverse("core:dashboard")).context["nav_items"]
    assert not any(item["url"] == reverse("privacy:audit") for item in nav)


def test_coordinators_see_changes_to_their_applicants(
    world: Any, coordinator: Any, coordinator_b: Any, mentor: Any
) -> None:
    person = mentor.person
    person.location = "Leeds"
    person.save()
    body = (
        signed_in(coordinator)
        .get(reverse("privacy:audit"), {"person": person.name})
        .content.decode()
    )
    assert "changed" in body and person.name in body
    other = signed_in(coordinator_b).get(reverse("privacy:audit"), {"person": person.name})
    assert other.context["page"].paginator.count == 0


def test_an_import_is_one_entry_and_each_person_keeps_their_own(org_admin: Any, org_a: Any) -> None:
    client = signed_in(org_admin)
    url = reverse("privacy:audit")
    page = client.get(url, {"kind": "change_person"})
    rows = page.context["rows"]
    imports = [r for r in rows if r.source == "import"]
    people = org_a.people.count()
    assert len(imports) == 1 and imports[0].detail == f"directory import: {people} entries written"
    assert page.context["page"].paginator.count == 1
    assert "Directory import" in page.content.decode()
    someone = org_a.people.order_by("pk").first()
    own = client.get(url, {"person": someone.employee_id}).context["rows"]
    assert [(r.source, r.detail) for r in own] == [("person", "created")]
