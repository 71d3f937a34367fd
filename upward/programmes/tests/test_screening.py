"""Screening: filters, bulk decisions that are all-or-nothing, cohorts, and looks at sensitive
answers that need a reason and are logged."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from upward.programmes import services
from upward.programmes.errors import RuleBroken
from upward.programmes.models import Application, Cohort, Programme, SensitiveAccess


@pytest.fixture
def many(ready_programme: Programme, org_a: Any, apply_as: Any, invite: Any) -> list[Application]:
    """Five junior mentors have applied."""
    from upward.accounts.models import User

    people = list(org_a.people.filter(grade_level=1, user__isnull=True).order_by("employee_id")[:5])
    applications = []
    for index, person in enumerate(people):
        user = User.objects.create_user(email=f"m{index}@upward.test", password=None)
        person.user = user
        person.save(update_fields=["user"])
        invite(ready_programme, user, "mentor")
        applications.append(apply_as(ready_programme, user, "mentor"))
    return applications


def test_bulk_decisions_and_cohorts_from_the_list(
    client: Client, ready_programme: Programme, coordinator: Any, many: list[Application]
) -> None:
    spring = Cohort.objects.create(programme=ready_programme, name="Spring", capacity=10)
    client.force_login(coordinator)
    url = reverse("programmes:decide", args=[ready_programme.slug])
    response = client.post(
        url,
        {"applications": [many[0].pk, many[1].pk], "decision": "accept", "cohort": spring.pk},
        follow=True,
    )
    assert "2 applications updated" in response.content.decode()
    client.post(url, {"applications": [many[2].pk], "decision": "waitlist"})
    client.post(url, {"applications": [many[3].pk], "decision": "decline"})
    statuses = {a.pk: a for a in Application.objects.all()}
    assert statuses[many[0].pk].status == "accepted" and statuses[many[0].pk].cohort == spring
    assert statuses[many[0].pk].decided_by == coordinator
    assert statuses[many[2].pk].status == "waitlisted"
    assert statuses[many[3].pk].status == "declined"
    assert statuses[many[4].pk].status == "submitted"

    listing = client.get(
        reverse("programmes:applications", args=[ready_programme.slug]), {"status": "accepted"}
    )
    assert {a.pk for a in listing.context["page"]} == {many[0].pk, many[1].pk}
    assert listing.context["page"].paginator.count == 2
    by_cohort = client.get(
        reverse("programmes:applications", args=[ready_programme.slug]), {"cohort": "0"}
    )
    assert by_cohort.context["page"].paginator.count == 3


def test_a_decision_is_all_or_nothing(
    client: Client,
    ready_programme: Programme,
    coordinator: Any,
    many: list[Application],
    mentor: Any,
) -> None:
    services.application_withdraw(application=many[4], channel="web")
    with pytest.raises(RuleBroken, match="withdrew"):
        services.applications_decide(
            programme=ready_programme,
            by=coordinator,
            application_ids=[many[0].pk, many[4].pk],
            decision="accept",
        )
    other = Programme.objects.create(name="Other", slug="other")
    stranger = Application.objects.create(
        programme=other, person=mentor.person, user=mentor, side="mentor"
    )
    with pytest.raises(RuleBroken, match="not in this programme"):
        services.applications_decide(
            programme=ready_programme,
            by=coordinator,
            application_ids=[many[0].pk, stranger.pk],
            decision="decline",
        )
    small = Cohort.objects.create(programme=ready_programme, name="Small", capacity=1)
    client.force_login(coordinator)
    response = client.post(
        reverse("programmes:decide", args=[ready_programme.slug]),
        {
            "applications": [many[0].pk],
            "decision": "accept",
            "cohort": str(Cohort.objects.create(programme=other, name="Not ours").pk),
        },
        follow=True,
    )
    assert (
        "Select a valid choice" in response.content.decode()
        or "cohort" in response.content.decode()
    )
    assert set(
        Application.objects.filter(programme=ready_programme).values_list("status", flat=True)
    ) == {"submitted", "withdrawn"}
    assert small.applications.count() == 0
    empty = client.post(
        reverse("programmes:decide", args=[ready_programme.slug]),
        {"decision": "accept"},
        follow=True,
    )
    assert "Tick at least one application." in empty.content.decode()


def test_cohort_capacity_is_respected(
    ready_programme: Programme,
    coordinator: Any,
    leader_application: Application,
    org_a: Any,
    apply_as: Any,
    invite: Any,
) -> None:
    from upward.accounts.models import User

    person = org_a.people.filter(grade_level=8, user__isnull=True).first()
    user = User.objects.create_user(email="second-leader@upward.test", password=None)
    person.user = user
    person.save(update_fields=["user"])
    invite(ready_programme, user, "leader")
    second = apply_as(ready_programme, user, "leader")
    cohort = Cohort.objects.create(programme=ready_programme, name="Tiny", capacity=1)
    with pytest.raises(RuleBroken, match="takes at most 1 pairs"):
        services.applications_decide(
            programme=ready_programme,
            by=coordinator,
            application_ids=[leader_application.pk, second.pk],
            decision="accept",
            cohort=cohort,
        )
    assert not Application.objects.filter(status="accepted").exists()
    services.applications_decide(
        programme=ready_programme,
        by=coordinator,
        application_ids=[second.pk],
        decision="accept",
        cohort=cohort,
    )
    with pytest.raises(RuleBroken, match="cannot be below 1"):
        services.cohort_save(
            programme=ready_programme,
            by=coordinator,
            cohort=cohort,
            version=cohort.version,
            name="Tiny",
            starts_on=None,
            capacity=0,
        )
    with pytest.raises(RuleBroken, match="Move them to another cohort"):
        services.cohort_delete(cohort=cohort, by=coordinator)


def test_sensitive_answers_are_hidden_until_a_reason_is_given_and_each_look_is_logged(
    client: Client, ready_programme: Programme, coordinator: Any, mentor_application: Application
) -> None:
    client.force_login(coordinator)
    listing = client.get(reverse("programmes:applications", args=[ready_programme.slug]))
    assert "Black, Black British" not in listing.content.decode()
    url = reverse("programmes:application", args=[ready_programme.slug, mentor_application.pk])
    page = client.get(url).content.decode()
    assert "Black, Black British" not in page and "Sensitive: hidden" in page
    assert not SensitiveAccess.objects.exists()

    reveal = reverse(
        "programmes:application_sensitive", args=[ready_programme.slug, mentor_application.pk]
    )
    missing = client.post(reveal, {"reason": "other", "note": ""})
    assert missing.status_code == 400
    assert "Say why you need to see this information." in missing.content.decode()
    assert "Black, Black British" not in missing.content.decode()
    assert not SensitiveAccess.objects.exists()

    shown = client.post(reveal, {"reason": "matching"})
    assert shown.status_code == 200
    html = shown.content.decode()
    assert "Black, Black British, Caribbean or African" in html and "16 to 24" in html
    assert "This look has been recorded" in html
    access = SensitiveAccess.objects.get()
    assert access.viewer == coordinator and access.reason == "matching"
    assert "identity.ethnicity" in access.fields
    record = client.get(reverse("programmes:record", args=[ready_programme.slug])).content.decode()
    assert "Checking a proposed match" in record
    with pytest.raises(ValueError):
        access.note = "edited"
        access.save()


def test_the_api_hides_sensitive_answers_and_logs_the_look(
    client: Client, ready_programme: Programme, coordinator: Any, mentor_application: Application
) -> None:
    client.force_login(coordinator)
    base = f"/api/v1/programmes/{ready_programme.slug}/applications"
    listed = client.get(base, {"side": "mentor"}).json()
    assert listed["count"] == 1 and "identity" not in listed["items"][0]
    detail = client.get(f"{base}/{mentor_application.pk}").json()
    assert detail["has_sensitive"] is True
    assert any(a["hidden"] for a in detail["answers"])
    assert "black" not in str(detail).lower()
    bad = client.post(
        f"{base}/{mentor_application.pk}/sensitive",
        {"reason": "curiosity"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert not SensitiveAccess.objects.exists()
    shown = client.post(
        f"{base}/{mentor_application.pk}/sensitive",
        {"reason": "adjustment", "note": "Room booking"},
        content_type="application/json",
    )
    assert shown.status_code == 200
    assert {
        "label": "Ethnicity",
        "value": "Black, Black British, Caribbean or African",
    } in shown.json()["identity"]
    access = SensitiveAccess.objects.get()
    assert access.channel == "api" and access.note == "Room booking"
    decided = client.post(
        f"{base}/decide",
        {"applications": [mentor_application.pk], "decision": "waitlist"},
        content_type="application/json",
    )
    assert decided.json() == {"updated": 1}
    assert client.get(base, {"status": "nonsense"}).status_code == 400


def test_the_list_page_reads_a_fixed_number_of_queries(
    client: Client,
    ready_programme: Programme,
    coordinator: Any,
    many: list[Application],
    django_assert_max_num_queries: Any,
) -> None:
    client.force_login(coordinator)
    url = reverse("programmes:applications", args=[ready_programme.slug])
    client.get(url)
    # A fixed number: the page's own reads and the menu's (the role grants and one query for
    # all its other questions, core.navigation).
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.context["page"].paginator.count == 5
