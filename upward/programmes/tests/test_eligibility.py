"""Eligibility rules per side, with the reason in plain words, and the coordinator's logged
override."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from upward.directory.models import Person
from upward.programmes import services
from upward.programmes.eligibility import eligibility_reasons
from upward.programmes.errors import RuleBroken
from upward.programmes.models import Application, EligibilityRule, Programme, ProgrammeLog

TODAY = dt.date(2027, 6, 15)


def _rule(programme: Programme, side: str, **values: Any) -> EligibilityRule:
    rule = EligibilityRule.objects.get(programme=programme, side=side)
    for key, value in values.items():
        setattr(rule, key, value)
    rule.save()
    return rule


def test_default_rules_take_senior_leaders_and_junior_mentors(ready_programme: Programme) -> None:
    leader_rule = EligibilityRule.objects.get(programme=ready_programme, side="leader")
    mentor_rule = EligibilityRule.objects.get(programme=ready_programme, side="mentor")
    assert (leader_rule.grade_min, leader_rule.grade_max) == (8, None)
    assert (mentor_rule.grade_min, mentor_rule.grade_max) == (None, 5)


def test_grade_reasons_say_the_rule_and_the_persons_grade(
    ready_programme: Programme, mentor: Any, leader: Any
) -> None:
    assert eligibility_reasons(programme=ready_programme, side="mentor", person=mentor.person) == []
    assert eligibility_reasons(programme=ready_programme, side="leader", person=mentor.person) == [
        "This programme takes leaders at grade level 8 or above; the directory shows your grade "
        "level as 1."
    ]
    assert eligibility_reasons(programme=ready_programme, side="mentor", person=leader.person) == [
        "This programme takes mentors at grade level 5 or below; the directory shows your grade "
        "level as 8."
    ]
    _rule(ready_programme, "mentor", grade_min=2, grade_max=4)
    assert eligibility_reasons(programme=ready_programme, side="mentor", person=mentor.person) == [
        "This programme takes mentors at grade levels 2 to 4; the directory shows your grade "
        "level as 1."
    ]


def test_tenure_reason_uses_the_start_date(ready_programme: Programme, mentor: Any) -> None:
    _rule(ready_programme, "mentor", min_tenure_months=6)
    person = mentor.person
    Person.objects.filter(pk=person.pk).update(start_date=dt.date(2027, 3, 1))
    person.refresh_from_db()
    assert eligibility_reasons(
        programme=ready_programme, side="mentor", person=person, today=TODAY
    ) == [
        "This programme asks for at least 6 months in the organisation; the directory shows "
        "you started on 1 March 2027 (3 months)."
    ]
    Person.objects.filter(pk=person.pk).update(start_date=None)
    person.refresh_from_db()
    assert (
        "your start date is not in the directory"
        in eligibility_reasons(
            programme=ready_programme, side="mentor", person=person, today=TODAY
        )[0]
    )
    Person.objects.filter(pk=person.pk).update(start_date=dt.date(2026, 12, 15))
    person.refresh_from_db()
    assert (
        eligibility_reasons(programme=ready_programme, side="mentor", person=person, today=TODAY)
        == []
    )


def test_organisation_and_activity_reasons(
    ready_programme: Programme, mentor: Any, outsider: Any, org_a: Any, org_b: Any
) -> None:
    assert eligibility_reasons(
        programme=ready_programme, side="mentor", person=outsider.person
    ) == ["Riverside Council is not taking part in this programme."]
    ready_programme.organisations.add(org_b)
    rule = _rule(ready_programme, "mentor", grade_max=None)
    rule.organisations.set([org_b])
    assert eligibility_reasons(programme=ready_programme, side="mentor", person=mentor.person) == [
        "This programme takes mentors from Riverside Council only."
    ]
    rule.organisations.clear()
    Person.objects.filter(pk=mentor.person.pk).update(active=False)
    mentor.person.refresh_from_db()
    assert eligibility_reasons(programme=ready_programme, side="mentor", person=mentor.person) == [
        "Your directory record is marked as no longer active."
    ]


def test_mentor_load_cap_counts_active_places_in_other_programmes(
    ready_programme: Programme, mentor: Any, org_a: Any, coordinator: Any
) -> None:
    org_a.mentor_load_cap = 1
    org_a.save(update_fields=["mentor_load_cap"])
    other = Programme.objects.create(
        name="Graduate Voices", slug="graduate-voices", phase="running"
    )
    other.organisations.add(org_a)
    Application.objects.create(
        programme=other, person=mentor.person, user=mentor, side="mentor", status="accepted"
    )
    reasons = eligibility_reasons(programme=ready_programme, side="mentor", person=mentor.person)
    assert reasons == [
        "You already mentor in 1 other programme (Graduate Voices), the most Northwind Group "
        "asks of anyone at once (1). This protects your time."
    ]
    other.phase = "celebration"
    other.save(update_fields=["phase"])
    assert eligibility_reasons(programme=ready_programme, side="mentor", person=mentor.person) == []
    other.phase = "running"
    other.save(update_fields=["phase"])
    _rule(ready_programme, "mentor", respect_mentor_load=False)
    assert eligibility_reasons(programme=ready_programme, side="mentor", person=mentor.person) == []


def test_an_ineligible_applicant_sees_why_and_can_be_let_in_with_a_logged_reason(
    client: Client,
    ready_programme: Programme,
    leader: Any,
    coordinator: Any,
    invite: Any,
    apply_as: Any,
) -> None:
    invite(ready_programme, leader, "mentor")
    application = apply_as(ready_programme, leader, "mentor")
    assert not application.eligible
    assert "grade level 5 or below" in application.eligibility_reasons[0]
    client.force_login(leader)
    page = client.get(reverse("programmes:my_application", args=[ready_programme.slug]))
    assert "does not meet this programme's rules" in page.content.decode()
    assert "grade level 5 or below" in page.content.decode()

    with pytest.raises(RuleBroken, match="record an override"):
        services.applications_decide(
            programme=ready_programme,
            by=coordinator,
            application_ids=[application.pk],
            decision="accept",
        )
    application.refresh_from_db()
    assert application.status == "submitted"

    client.force_login(coordinator)
    url = reverse("programmes:application_override", args=[ready_programme.slug, application.pk])
    short = client.post(url, {"reason": "ok"}, follow=True)
    assert "at least 15 characters" in short.content.decode()
    application.refresh_from_db()
    assert application.eligibility_override_reason == ""
    reason = "Leads the graduate network already; the sponsor asked for them."
    client.post(url, {"reason": reason})
    application.refresh_from_db()
    assert application.eligibility_override_reason == reason
    assert application.eligibility_overridden_by == coordinator
    entry = ready_programme.log.get(action=ProgrammeLog.Action.ELIGIBILITY_OVERRIDE)
    assert entry.reason == reason and entry.application == application
    services.applications_decide(
        programme=ready_programme,
        by=coordinator,
        application_ids=[application.pk],
        decision="accept",
    )
    application.refresh_from_db()
    assert application.status == "accepted"


def test_changing_a_rule_rechecks_undecided_applications(
    client: Client, ready_programme: Programme, mentor_application: Application, coordinator: Any
) -> None:
    client.force_login(coordinator)
    rule = EligibilityRule.objects.get(programme=ready_programme, side="mentor")
    response = client.post(
        reverse("programmes:eligibility", args=[ready_programme.slug]),
        {
            "side": "mentor",
            "mentor-version": str(rule.version),
            "mentor-grade_min": "2",
            "mentor-grade_max": "5",
            "mentor-min_tenure_months": "0",
            "mentor-respect_mentor_load": "on",
        },
        follow=True,
    )
    assert "1 undecided application changed eligibility" in response.content.decode()
    mentor_application.refresh_from_db()
    assert not mentor_application.eligible
    bad = client.post(
        reverse("programmes:eligibility", args=[ready_programme.slug]),
        {
            "side": "mentor",
            "mentor-version": str(rule.version + 1),
            "mentor-grade_min": "6",
            "mentor-grade_max": "2",
            "mentor-min_tenure_months": "-1",
        },
    )
    assert bad.status_code == 200
    errors = dict(bad.context["sides"][1][2].errors)
    assert "grade_max" in errors and "min_tenure_months" in errors
    assert EligibilityRule.objects.get(programme=ready_programme, side="mentor").grade_min == 2


def test_the_form_warns_before_applying_when_a_rule_is_not_met(
    client: Client, ready_programme: Programme, leader: Any, mentor: Any, coordinator: Any
) -> None:
    services.programme_open_call_set(
        programme=ready_programme,
        by=coordinator,
        version=ready_programme.version,
        leaders=True,
        mentors=True,
    )
    client.force_login(leader)
    page = client.get(reverse("programmes:apply_side", args=[ready_programme.slug, "mentor"]))
    assert page.status_code == 200
    assert "Before you apply" in page.content.decode()
    assert "grade level 5 or below" in page.content.decode()
    client.force_login(mentor)
    page = client.get(reverse("programmes:apply_side", args=[ready_programme.slug, "mentor"]))
    assert "Before you apply" not in page.content.decode()
