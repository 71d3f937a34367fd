"""Setting a programme up: the wizard, objectives, schedule, matching policy in plain words,
coordinators and phases; on the pages and through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from upward.accounts.models import Role, RoleGrant
from upward.programmes import services
from upward.programmes.errors import RuleBroken
from upward.programmes.models import PhaseWindow, Programme, ProgrammeLog, Question
from upward.programmes.policy import MatchingPolicy, describe, policy_of


def test_the_wizard_creates_a_programme_with_everything_it_needs(
    client: Client, coordinator: Any, org_a: Any
) -> None:
    client.force_login(coordinator)
    response = client.post(
        reverse("programmes:create"),
        {
            "name": "Reverse Mentoring 2028",
            "kind": "reverse",
            "organisations": [org_a.pk],
            "description": "Leaders learn from junior colleagues.",
            "starts_on": "2028-01-10",
            "length_months": "12",
            "meeting_cadence": "monthly",
            "meeting_minutes": "60",
            "hours_per_month": "3",
            "anonymity_threshold": "5",
        },
    )
    programme = Programme.objects.get(name="Reverse Mentoring 2028")
    assert response["Location"] == reverse("programmes:objectives", args=[programme.slug])
    assert programme.slug == "reverse-mentoring-2028"
    assert (programme.starts_on, programme.ends_on) == (dt.date(2028, 1, 10), dt.date(2029, 1, 9))
    assert RoleGrant.objects.filter(
        user=coordinator, role=Role.COORDINATOR, programme=programme
    ).exists()
    assert programme.readiness_items.count() == 6
    assert programme.topics.count() == 14
    assert programme.forms.count() == 2
    assert programme.eligibility_rules.count() == 2
    windows = list(PhaseWindow.objects.filter(programme=programme).order_by("starts_on"))
    assert [w.phase for w in windows] == list(Programme.Phase.values)
    assert windows[0].starts_on == dt.date(2028, 1, 10) and windows[-1].ends_on == dt.date(
        2029, 1, 9
    )
    assert programme.log.filter(action=ProgrammeLog.Action.CREATED).exists()
    ack = Question.objects.filter(
        form__programme=programme, form__side="leader", kind="acknowledgement"
    ).first()
    assert "about 3 hours a month for 12 months" in ack.label

    objectives = client.post(
        reverse("programmes:objectives", args=[programme.slug]),
        {
            "challenges": ["psychological_safety"],
            "other": "Close the pay gap\n",
            "detail_psychological_safety": "Pulse up 0.4",
            "version": programme.version,
        },
    )
    assert objectives["Location"] == reverse("programmes:schedule", args=[programme.slug])
    assert [o.title for o in programme.objectives.all()] == [
        "Strengthen psychological safety",
        "Close the pay gap",
    ]
    assert programme.objectives.first().detail == "Pulse up 0.4"
    empty = client.post(
        reverse("programmes:objectives", args=[programme.slug]),
        {"other": " ", "version": programme.version + 1},
    )
    assert "Choose at least one challenge" in empty.content.decode()
    assert programme.objectives.count() == 2


def test_bad_basics_are_refused_with_clear_messages(
    client: Client, coordinator: Any, org_a: Any, org_b: Any
) -> None:
    client.force_login(coordinator)
    response = client.post(
        reverse("programmes:create"),
        {
            "name": "",
            "kind": "reverse",
            "organisations": [org_b.pk],
            "starts_on": "soon",
            "length_months": "1",
            "meeting_cadence": "monthly",
            "meeting_minutes": "60",
            "hours_per_month": "2",
            "anonymity_threshold": "2",
        },
    )
    errors = response.context["form"].errors
    assert errors["anonymity_threshold"] == ["The anonymity threshold can never be below 3."]
    assert "organisations" in errors and "starts_on" in errors and "name" in errors
    assert "length_months" in errors
    assert not Programme.objects.filter(name="").exists()
    with pytest.raises(
        RuleBroken, match="only include organisations you coordinate for: Riverside"
    ):
        services.programme_create(
            name="Sneaky",
            kind="reverse",
            organisations=[org_b],
            starts_on=dt.date(2028, 1, 1),
            by=coordinator,
        )
    with pytest.raises(RuleBroken, match="never be below 3"):
        services.programme_create(
            name="Tiny groups",
            kind="reverse",
            organisations=[org_a],
            starts_on=dt.date(2028, 1, 1),
            by=coordinator,
            anonymity_threshold=2,
        )
    assert Programme.objects.count() == 1  # programme A only


def test_reserved_words_never_become_slugs(coordinator: Any, org_a: Any) -> None:
    programme = services.programme_create(
        name="New",
        kind="reverse",
        organisations=[org_a],
        starts_on=dt.date(2028, 1, 1),
        by=coordinator,
    )
    assert programme.slug == "new-programme"


def test_schedule_must_run_in_order(
    client: Client, ready_programme: Programme, coordinator: Any
) -> None:
    ready_programme.starts_on = dt.date(2027, 1, 1)
    ready_programme.save()
    from upward.programmes.defaults import seed_schedule

    seed_schedule(ready_programme)
    client.force_login(coordinator)
    url = reverse("programmes:schedule", args=[ready_programme.slug])
    data = {"version": str(ready_programme.version)}
    for window in PhaseWindow.objects.filter(programme=ready_programme):
        data[f"{window.phase}_start"] = window.starts_on.isoformat()
        data[f"{window.phase}_end"] = window.ends_on.isoformat()
    bad = {**data, "matching_start": "2026-06-01"}
    response = client.post(url, bad)
    assert "Matching starts before the phase before it." in response.content.decode()
    assert PhaseWindow.objects.get(
        programme=ready_programme, phase="matching"
    ).starts_on != dt.date(2026, 6, 1)
    backwards = {**data, "running_end": "2026-01-01"}
    assert "Running must end on or after its start." in client.post(url, backwards).content.decode()
    moved = {**data, "celebration_end": "2028-03-31"}
    assert client.post(url, moved).status_code == 302
    ready_programme.refresh_from_db()
    assert ready_programme.ends_on == dt.date(2028, 3, 31)


def test_matching_policy_is_saved_and_shown_in_plain_words(
    client: Client, ready_programme: Programme, coordinator: Any
) -> None:
    client.force_login(coordinator)
    url = reverse("programmes:policy", args=[ready_programme.slug])
    data = {
        "version": str(ready_programme.version),
        "min_grade_gap": "3",
        "ban_same_department": "on",
        "min_availability_overlap": "2",
        "algorithm": "optimal",
        "identity_dimensions": ["ethnicity", "gender"],
        "weight_topics": "5",
        "weight_objectives": "3",
        "weight_text": "0",
        "weight_seniority_gap": "2",
        "weight_difference": "4",
        "weight_availability": "3",
        "weight_culture_history": "1",
        "weight_preferences": "2",
        "weight_working_style": "0",
    }
    assert client.post(url, data).status_code == 302
    ready_programme.refresh_from_db()
    policy = policy_of(ready_programme.matching_policy)
    assert policy.min_grade_gap == 3 and policy.ban_same_department and policy.weights["text"] == 0
    assert ready_programme.identity_dimensions == ["ethnicity", "gender"]
    review = client.get(reverse("programmes:review", args=[ready_programme.slug])).content.decode()
    assert "Never pairs two people in the same reporting line" in review
    assert "Never pairs two people from the same department." in review
    assert "at least 3 grades more senior" in review
    assert "Counts most strongly: topics leaders want to explore" in review
    assert "The difference sought is in ethnicity, gender" in review
    assert "Not considered: similarity of what each person wrote" in review
    bad = client.post(url, {**data, "weight_topics": "9", "min_grade_gap": "-1"})
    assert bad.status_code == 200 and {"weight_topics", "min_grade_gap"} <= set(
        bad.context["form"].errors
    )


def test_policy_words_for_the_defaults() -> None:
    words = describe(MatchingPolicy())
    assert (
        words["rules"][0] == "Never pairs two people in the same reporting line, however far apart."
    )
    assert words["weights"][0].startswith("Counts most strongly: topics")
    assert policy_of({"weights": {"topics": 99}, "algorithm": "magic"}).weights["topics"] == 5


def test_coordinators_can_be_added_and_removed_but_never_the_last(
    client: Client, ready_programme: Programme, coordinator: Any, sponsor: Any
) -> None:
    client.force_login(coordinator)
    url = reverse("programmes:coordinators", args=[ready_programme.slug])
    unknown = client.post(url, {"email": "nobody@upward.test"})
    assert "Nobody has an Upward account" in unknown.content.decode()
    client.post(url, {"email": sponsor.email})
    grant = RoleGrant.objects.get(user=sponsor, role=Role.COORDINATOR, programme=ready_programme)
    assert "already coordinates" in client.post(url, {"email": sponsor.email}).content.decode()
    client.post(reverse("programmes:coordinator_remove", args=[ready_programme.slug, grant.pk]))
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    own = RoleGrant.objects.get(user=coordinator, programme=ready_programme)
    last = client.post(
        reverse("programmes:coordinator_remove", args=[ready_programme.slug, own.pk]), follow=True
    )
    assert "at least one coordinator" in last.content.decode()


def test_phase_changes_are_logged(
    client: Client, ready_programme: Programme, coordinator: Any
) -> None:
    client.force_login(coordinator)
    services.programme_applications_close(programme=ready_programme, by=coordinator)
    client.post(reverse("programmes:phase", args=[ready_programme.slug]), {"phase": "matching"})
    ready_programme.refresh_from_db()
    assert ready_programme.phase == "matching"
    entry = ready_programme.log.get(action=ProgrammeLog.Action.PHASE_CHANGED)
    assert entry.summary == "Phase changed from Sourcing to Matching"
    bad = client.post(
        reverse("programmes:phase", args=[ready_programme.slug]), {"phase": "party"}, follow=True
    )
    assert "Choose one of the programme&#x27;s phases" in bad.content.decode()


def test_api_set_up_and_cohorts(client: Client, coordinator: Any, org_a: Any, org_b: Any) -> None:
    client.force_login(coordinator)
    created = client.post(
        "/api/v1/programmes/",
        {
            "name": "Reciprocal 2028",
            "kind": "reciprocal",
            "organisations": ["northwind"],
            "starts_on": "2028-02-01",
            "length_months": 9,
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["slug"] == "reciprocal-2028" and body["readiness"] == {
        "total": 6,
        "done": 0,
        "complete": False,
        "overridden": False,
        "passed": False,
    }
    assert body["ends_on"] == "2028-10-31"
    assert body["matching_policy_in_words"]["rules"][0].startswith("Never pairs two people")
    base = "/api/v1/programmes/reciprocal-2028"
    assert (
        client.post(
            "/api/v1/programmes/",
            {"name": "Bad", "organisations": ["riverside"], "starts_on": "2028-01-01"},
            content_type="application/json",
        ).status_code
        == 400
    )
    assert (
        client.post(
            "/api/v1/programmes/",
            {"name": "Bad", "organisations": ["nowhere"], "starts_on": "2028-01-01"},
            content_type="application/json",
        ).json()["detail"]
        == "Unknown organisation: nowhere."
    )
    assert body["version"] == 1
    patched = client.patch(
        base,
        {"hours_per_month": 4, "anonymity_threshold": 2, "version": 1},
        content_type="application/json",
    )
    assert patched.status_code == 422
    patched = client.patch(
        base, {"hours_per_month": 4, "version": 1}, content_type="application/json"
    )
    assert patched.json()["hours_per_month"] == 4
    assert patched.json()["version"] == 2
    cohort = client.post(
        f"{base}/cohorts", {"name": "First", "capacity": 10}, content_type="application/json"
    )
    assert cohort.status_code == 201
    duplicate = client.post(f"{base}/cohorts", {"name": "First"}, content_type="application/json")
    assert duplicate.status_code == 400 and "already a cohort" in duplicate.json()["detail"]
    cohort_id = cohort.json()["id"]
    assert cohort.json()["version"] == 1
    renamed = client.put(
        f"{base}/cohorts/{cohort_id}",
        {"name": "Second", "version": 1},
        content_type="application/json",
    )
    assert renamed.json()["name"] == "Second"
    assert renamed.json()["version"] == 2
    assert client.delete(f"{base}/cohorts/{cohort_id}").status_code == 204
    gated = client.post(f"{base}/phase", {"phase": "matching"}, content_type="application/json")
    assert gated.status_code == 400 and "readiness" in gated.json()["detail"]
    assert [p["slug"] for p in client.get("/api/v1/programmes/").json()] == [
        "reciprocal-2028",
        "programme-a",
    ]


def test_api_waves_preview_then_send(
    client: Client,
    ready_programme: Programme,
    coordinator: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core import mail

    client.force_login(coordinator)
    base = f"/api/v1/programmes/{ready_programme.slug}/invitations"
    preview = client.post(
        f"{base}/waves",
        {"side": "leader", "grade_min": 6, "preview": True},
        content_type="application/json",
    ).json()
    assert preview["sent"] is False and preview["count"] == 9
    assert [p["grade_level"] for p in preview["people"]][:3] == [10, 8, 8]
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            f"{base}/waves",
            {"side": "leader", "grade_min": 6, "limit": 3},
            content_type="application/json",
        )
    assert sent.status_code == 201 and sent.json()["number"] == 1 and len(mail.outbox) == 3
    counts = client.get(base).json()
    assert counts["totals"] == {"invited": 3, "opened": 0, "applied": 0, "declined": 0}
    assert counts["waves"][0]["counts"]["invited"] == 3
    people = client.get(f"{base}/people").json()
    assert people["count"] == 3 and {p["status"] for p in people["items"]} == {"sent"}
    bad = client.post(
        f"{base}/waves",
        {"side": "leader", "grade_min": 9, "grade_max": 2},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert client.post(f"{base}/remind").json() == {"reminded": 0}
