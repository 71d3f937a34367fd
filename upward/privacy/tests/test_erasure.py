"""Erasure: an org admin erases a person everywhere, history included, with a reason."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from personas import make_user
from upward.accounts.models import Role, RoleGrant, User
from upward.directory.models import Person
from upward.privacy import registry, services
from upward.privacy.models import AccessLogEntry, ErasureRecord, UserSession

from .helpers import signed_in

REASON = "Erasure request received by email on 3 May"


def _with_history(person: Person, by: Any) -> None:
    person.job_title = "Chief Executive"
    person._history_user = by  # type: ignore[attr-defined]
    person.save()


def test_erasure_through_the_page(
    org_admin: Any, leader: Any, coordinator: Any, programme_a: Any
) -> None:
    person = leader.person
    person_id, user_id, employee_id = person.pk, leader.pk, person.employee_id
    manager_id = person.manager_id
    reports = list(person.reports.values_list("pk", flat=True))
    _with_history(person, org_admin)
    RoleGrant.objects.create(user=leader, role=Role.PARTICIPANT, programme=programme_a)
    services.access_log_record(
        actor=coordinator,
        subject_person=person,
        kind="pair_note",
        object_ref="pair_note:1",
        route="GET /x/",
    )
    client = signed_in(org_admin)
    signed_in(leader)  # the leader is signed in somewhere

    page = client.get(reverse("privacy:person", args=[person_id]))
    assert page.status_code == 200
    form = client.get(reverse("privacy:person_erase", args=[person_id]))
    assert form.status_code == 200

    response = client.post(
        reverse("privacy:person_erase", args=[person_id]),
        {"reason": REASON, "confirm_employee_id": employee_id, "confirm": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:requests")

    # The account is gone, and with it its sessions and roles.
    assert not User.objects.filter(pk=user_id).exists()
    assert not UserSession.objects.filter(user_id=user_id).exists()
    assert not RoleGrant.objects.filter(user_id=user_id).exists()
    # The directory entry is an anonymous placeholder; reports moved up to the next manager.
    placeholder = Person.objects.get(pk=person_id)
    assert placeholder.name == "Erased person"
    assert placeholder.employee_id.startswith("erased-")
    assert (placeholder.email, placeholder.job_title, placeholder.active) == ("", "", False)
    assert placeholder.user_id is None and placeholder.manager_id is None
    assert set(Person.objects.filter(pk__in=reports).values_list("manager_id", flat=True)) <= {
        manager_id
    }
    # No history row anywhere still knows who they were.
    history = Person.history.model  # type: ignore[attr-defined]
    assert not history.objects.filter(id=person_id).exists()
    assert not history.objects.filter(manager_id=person_id).exists()
    assert not User.history.model.objects.filter(id=user_id).exists()  # type: ignore[attr-defined]
    assert not RoleGrant.history.model.objects.filter(user_id=user_id).exists()  # type: ignore[attr-defined]
    # The reports' own change is audited with the route it came from.
    if reports:
        moved = history.objects.filter(id=reports[0]).first()
        assert moved.history_where == f"POST /privacy/people/{person_id}/erase/"
    # The access log keeps its entry, pointing at the anonymous placeholder only.
    assert AccessLogEntry.objects.get().subject_person_id == person_id
    record = ErasureRecord.objects.get()
    assert record.reason == REASON and record.performed_by == org_admin
    assert record.summary["account"]["accounts_deleted"] == 1
    assert employee_id not in str(record.summary)
    listing = client.get(reverse("privacy:requests")).content.decode()
    assert REASON in listing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "short", "confirm_employee_id": "{emp}", "confirm": "on"}, "at least 10"),
        (
            {"reason": REASON, "confirm_employee_id": "WRONG", "confirm": "on"},
            "not the employee id",
        ),
        ({"reason": REASON, "confirm_employee_id": "{emp}"}, "This field is required"),
    ],
)
def test_bad_confirmation_changes_nothing(
    org_admin: Any, leader: Any, data: dict[str, str], message: str
) -> None:
    person = leader.person
    data = {k: v.replace("{emp}", person.employee_id) for k, v in data.items()}
    response = signed_in(org_admin).post(reverse("privacy:person_erase", args=[person.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.filter(pk=leader.pk).exists()
    assert Person.objects.get(pk=person.pk).name == person.name
    assert not ErasureRecord.objects.exists()


def test_an_admin_cannot_erase_themselves(org_a: Any) -> None:
    person = Person.objects.filter(organisation=org_a, user__isnull=True).first()
    admin = make_user("self-admin@upward.test", person=person, totp=True)
    RoleGrant.objects.create(user=admin, role=Role.ORG_ADMIN, organisation=org_a)
    with pytest.raises(ValueError, match="cannot erase your own record"):
        services.person_erase(person=person, by=admin, reason=REASON)


def test_erasing_twice_is_refused(org_admin: Any, leader: Any) -> None:
    person = leader.person
    services.person_erase(person=person, by=org_admin, reason=REASON)
    person.refresh_from_db()
    with pytest.raises(ValueError, match="already been erased"):
        services.person_erase(person=person, by=org_admin, reason=REASON)


def test_a_failing_eraser_rolls_everything_back(
    org_admin: Any, leader: Any, monkeypatch: Any
) -> None:
    def broken(subject: registry.DataSubject) -> dict[str, int]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(registry, "_ERASERS", {"broken": broken, **registry._ERASERS})
    with pytest.raises(RuntimeError):
        services.person_erase(person=leader.person, by=org_admin, reason=REASON)
    assert User.objects.filter(pk=leader.pk).exists()
    assert Authenticator.objects.count() >= 1
    assert not ErasureRecord.objects.exists()


def test_other_apps_erasers_run_before_the_account_goes(
    org_admin: Any, leader: Any, monkeypatch: Any
) -> None:
    seen = []

    def erase_badges(subject: registry.DataSubject) -> dict[str, int]:
        seen.append((subject.person.pk, User.objects.filter(pk=subject.user.pk).exists()))
        return {"badges_deleted": 2}

    monkeypatch.setattr(registry, "_ERASERS", {**registry._ERASERS})
    registry.register_eraser("badges", erase_badges)
    person_id = leader.person.pk
    record = services.person_erase(person=leader.person, by=org_admin, reason=REASON)
    assert seen == [(person_id, True)]
    assert record.summary["badges"] == {"badges_deleted": 2}


@pytest.mark.parametrize("who", ["org_admin_b", "coordinator", "leader", "outsider"])
def test_nobody_else_may_erase(request: Any, who: str, leader: Any) -> None:
    client = signed_in(request.getfixturevalue(who))
    url = reverse("privacy:person_erase", args=[leader.person.pk])
    assert client.get(url).status_code == 404
    data = {"reason": REASON, "confirm_employee_id": leader.person.employee_id, "confirm": "on"}
    assert client.post(url, data).status_code == 404
    assert User.objects.filter(pk=leader.pk).exists()


def test_finding_a_person_by_employee_id(org_admin: Any, leader: Any, org_b: Any) -> None:
    client = signed_in(org_admin)
    person = leader.person
    found = client.post(
        reverse("privacy:requests"),
        {"organisation": person.organisation_id, "employee_id": person.employee_id},
    )
    assert found.status_code == 302
    assert found["Location"] == reverse("privacy:person", args=[person.pk])
    # The employee id travels in the form body, never in the address.
    assert person.employee_id not in found["Location"]
    other = Person.objects.filter(organisation=org_b).first()
    refused = client.post(
        reverse("privacy:requests"),
        {"organisation": org_b.pk, "employee_id": other.employee_id},
    )
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    missing = client.post(
        reverse("privacy:requests"),
        {"organisation": person.organisation_id, "employee_id": "NOPE-1"},
    )
    assert "Nobody with this employee id" in missing.content.decode()


def test_rows_of_other_apps_that_point_at_the_person_go_too(
    org_admin: Any, leader: Any, programme_a: Any
) -> None:
    from upward.consent.models import Consent

    consent = Consent.objects.create(
        user=leader,
        person=leader.person,
        purpose="matching",
        wording_version="1",
        wording="I agree",
        channel="web",
    )
    record = services.person_erase(person=leader.person, by=org_admin, reason=REASON)
    assert not Consent.objects.filter(pk=consent.pk).exists()
    assert record.summary["consent"] == {"consents_deleted": 1}


def test_consent_is_in_the_export(leader: Any) -> None:
    from upward.consent.models import Consent

    from .helpers import unzip

    Consent.objects.create(
        user=leader,
        person=leader.person,
        purpose="matching",
        wording_version="2",
        wording="I agree to be matched",
        channel="web",
    )
    data, _ = unzip(signed_in(leader).post(reverse("privacy:my_data_download")).content)
    (entry,) = data["sections"]["consent"]
    assert entry["wording"] == "I agree to be matched"
    assert entry["wording_version"] == "2" and entry["withdrawn_at"] is None


def test_an_invitation_to_the_person_goes_with_them(
    org_admin: Any, leader: Any, programme_a: Any
) -> None:
    from upward.programmes.models import Invitation, InvitationWave

    wave = InvitationWave.objects.create(programme=programme_a, number=1, side="leader")
    invitation = Invitation.objects.create(
        programme=programme_a,
        wave=wave,
        person=leader.person,
        side="leader",
        email=leader.email,
        nonce="abc",
    )
    record = services.person_erase(person=leader.person, by=org_admin, reason=REASON)
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    assert record.summary["directory"]["programmes_invitation_deleted"] == 1
    assert InvitationWave.objects.filter(pk=wave.pk).exists()


def test_programme_log_entries_naming_the_person_go(
    world: Any, org_admin: Any, coordinator: Any, mentor: Any
) -> None:
    from upward.programmes.models import Application, ProgrammeLog
    from upward.programmes.services._log import log

    application = world.mentor_application
    # What the programmes app writes when a coordinator overrides eligibility.
    log(
        world.programme_a,
        coordinator,
        ProgrammeLog.Action.ELIGIBILITY_OVERRIDE,
        f"Eligibility overridden for {mentor.person.name}",
        reason="Panel agreed",
        application=application,
    )
    name = mentor.person.name
    services.person_erase(person=mentor.person, by=org_admin, reason=REASON)
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not ProgrammeLog.objects.filter(summary__contains=name).exists()
