"""Nobody outside a programme sees or changes any of it, on the pages or through the API:
coordinators of other programmes, admins and people of other organisations, sponsors and
wellbeing leads, participants of another programme, and other participants of the same one."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from upward.programmes import defaults, services
from upward.programmes.errors import RuleBroken
from upward.programmes.models import Application, Programme, SensitiveAccess

from .conftest import complete_readiness, valid_answers

OUTSIDE = (
    "coordinator_b",
    "org_admin",
    "org_admin_b",
    "sponsor",
    "wellbeing_lead",
    "outsider",
    "leader",
)


@pytest.fixture
def b_applicant(
    programme_b: Programme, coordinator_b: Any, outsider: Any, invite: Any
) -> Application:
    """The outsider has applied to programme B, run by coordinator B."""
    defaults.seed_programme(programme_b)
    programme_b.identity_dimensions = ["ethnicity"]
    programme_b.save(update_fields=["identity_dimensions"])
    complete_readiness(programme_b, coordinator_b)
    services.programme_applications_open(programme=programme_b, by=coordinator_b)
    programme_b.refresh_from_db()
    rule = programme_b.eligibility_rules.get(side="mentor")
    rule.grade_max = None
    rule.save()
    invite(programme_b, outsider, "mentor")
    return services.application_submit(
        programme=programme_b,
        user=outsider,
        side="mentor",
        answers=valid_answers(programme_b, "mentor"),
        identity_values={"ethnicity": "asian"},
        identity_consents={"ethnicity"},
        channel="web",
    )


def _coordinator_urls(programme: Programme, application: Application) -> list[tuple[str, str]]:
    slug = programme.slug
    item = programme.readiness_items.first()
    cohort = programme.cohorts.create(name="Spring")
    question = programme.forms.get(side="leader").questions.first()
    topic = programme.topics.first()
    interview = programme.interviews.create(
        interviewee="CEO", role="CEO", held_on="2026-01-01", problems="x", themes=[]
    )
    get = [
        reverse("programmes:detail", args=[slug]),
        reverse("programmes:edit", args=[slug]),
        reverse("programmes:objectives", args=[slug]),
        reverse("programmes:schedule", args=[slug]),
        reverse("programmes:policy", args=[slug]),
        reverse("programmes:review", args=[slug]),
        reverse("programmes:coordinators", args=[slug]),
        reverse("programmes:record", args=[slug]),
        reverse("programmes:readiness", args=[slug]),
        reverse("programmes:readiness_item", args=[slug, item.pk]),
        reverse("programmes:interview_new", args=[slug]),
        reverse("programmes:interview", args=[slug, interview.pk]),
        reverse("programmes:cohorts", args=[slug]),
        reverse("programmes:cohort", args=[slug, cohort.pk]),
        reverse("programmes:invitations", args=[slug]),
        reverse("programmes:wave_new", args=[slug]),
        reverse("programmes:topics", args=[slug]),
        reverse("programmes:eligibility", args=[slug]),
        reverse("programmes:form", args=[slug, "leader"]),
        reverse("programmes:form_preview", args=[slug, "leader"]),
        reverse("programmes:question_new", args=[slug, "leader"]),
        reverse("programmes:question", args=[slug, "leader", question.pk]),
        reverse("programmes:applications", args=[slug]),
        reverse("programmes:application", args=[slug, application.pk]),
    ]
    post = [
        reverse("programmes:phase", args=[slug]),
        reverse("programmes:coordinator_remove", args=[slug, 1]),
        reverse("programmes:readiness_item_add", args=[slug]),
        reverse("programmes:readiness_item_remove", args=[slug, item.pk]),
        reverse("programmes:readiness_override", args=[slug]),
        reverse("programmes:interview_delete", args=[slug, interview.pk]),
        reverse("programmes:open", args=[slug]),
        reverse("programmes:close", args=[slug]),
        reverse("programmes:deadline", args=[slug]),
        reverse("programmes:open_call", args=[slug]),
        reverse("programmes:cohort_delete", args=[slug, cohort.pk]),
        reverse("programmes:remind", args=[slug]),
        reverse("programmes:topic_remove", args=[slug, topic.pk]),
        reverse("programmes:form_reset", args=[slug, "leader"]),
        reverse("programmes:question_remove", args=[slug, "leader", question.pk]),
        reverse("programmes:question_move", args=[slug, "leader", question.pk]),
        reverse("programmes:decide", args=[slug]),
        reverse("programmes:application_sensitive", args=[slug, application.pk]),
        reverse("programmes:application_override", args=[slug, application.pk]),
    ]
    return [("get", u) for u in get] + [("post", u) for u in post]


def test_coordinator_pages_are_404_for_everyone_else(
    client: Client,
    request: pytest.FixtureRequest,
    ready_programme: Programme,
    mentor_application: Application,
    b_applicant: Application,
) -> None:
    urls = _coordinator_urls(ready_programme, mentor_application)
    for persona in OUTSIDE:
        client.force_login(request.getfixturevalue(persona))
        for method, url in urls:
            response = getattr(client, method)(
                url,
                {
                    "reason": "matching",
                    "applications": [mentor_application.pk],
                    "decision": "decline",
                },
            )
            assert response.status_code == 404, (persona, method, url, response.status_code)
    client.logout()
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    mentor_application.refresh_from_db()
    assert mentor_application.status == "submitted"
    assert not SensitiveAccess.objects.exists()
    ready_programme.refresh_from_db()
    assert ready_programme.applications_open


def test_coordinator_api_is_404_for_everyone_else(
    client: Client,
    request: pytest.FixtureRequest,
    ready_programme: Programme,
    mentor_application: Application,
    b_applicant: Application,
) -> None:
    base = f"/api/v1/programmes/{ready_programme.slug}"
    item = ready_programme.readiness_items.first()
    cohort = ready_programme.cohorts.create(name="Spring")
    calls = [
        ("get", base, None),
        ("patch", base, {"name": "Taken over", "version": ready_programme.version}),
        ("post", f"{base}/phase", {"phase": "matching"}),
        ("get", f"{base}/readiness", None),
        ("patch", f"{base}/readiness/{item.pk}", {"status": "todo", "version": item.version}),
        ("post", f"{base}/readiness/override", {"reason": "A long enough reason to pass."}),
        ("post", f"{base}/applications/open", {}),
        ("post", f"{base}/applications/close", None),
        ("post", f"{base}/applications/deadline", {"deadline": None}),
        ("get", f"{base}/cohorts", None),
        ("post", f"{base}/cohorts", {"name": "Mine now"}),
        ("put", f"{base}/cohorts/{cohort.pk}", {"name": "Renamed", "version": cohort.version}),
        ("delete", f"{base}/cohorts/{cohort.pk}", None),
        ("get", f"{base}/invitations", None),
        ("get", f"{base}/invitations/people", None),
        ("post", f"{base}/invitations/waves", {"side": "leader", "preview": True}),
        ("post", f"{base}/invitations/remind", None),
        ("get", f"{base}/applications", None),
        ("get", f"{base}/applications/{mentor_application.pk}", None),
        ("post", f"{base}/applications/{mentor_application.pk}/sensitive", {"reason": "matching"}),
        (
            "post",
            f"{base}/applications/decide",
            {"applications": [mentor_application.pk], "decision": "decline"},
        ),
        (
            "post",
            f"{base}/applications/{mentor_application.pk}/override",
            {"reason": "A long enough reason here."},
        ),
    ]
    for persona in OUTSIDE:
        client.force_login(request.getfixturevalue(persona))
        assert ready_programme.slug not in str(client.get("/api/v1/programmes/").json())
        for method, url, body in calls:
            # An operation without a body takes an empty JSON object (not the text "None").
            response = getattr(client, method)(url, body or {}, content_type="application/json")
            assert response.status_code == 404, (persona, method, url, response.status_code)
    client.logout()
    for method, url, body in calls:
        assert (
            getattr(client, method)(url, body or {}, content_type="application/json").status_code
            == 401
        )
    mentor_application.refresh_from_db()
    assert mentor_application.status == "submitted" and not SensitiveAccess.objects.exists()
    assert ready_programme.cohorts.get().name == "Spring"


def test_a_coordinator_of_another_programme_cannot_reach_in_through_their_own(
    b_applicant: Application, mentor_application: Application, coordinator_b: Any
) -> None:
    with pytest.raises(RuleBroken, match="not in this programme"):
        services.applications_decide(
            programme=b_applicant.programme,
            by=coordinator_b,
            application_ids=[mentor_application.pk],
            decision="decline",
        )
    mentor_application.refresh_from_db()
    assert mentor_application.status == "submitted"


def test_participants_see_only_their_own_application(
    client: Client,
    ready_programme: Programme,
    leader_application: Application,
    mentor_application: Application,
    b_applicant: Application,
    outsider: Any,
    mentor: Any,
    coordinator_b: Any,
) -> None:
    slug = ready_programme.slug
    # The participant of programme B, from another organisation.
    client.force_login(outsider)
    for url in (
        reverse("programmes:apply", args=[slug]),
        reverse("programmes:apply_side", args=[slug, "mentor"]),
        reverse("programmes:my_application", args=[slug]),
        reverse("programmes:withdraw", args=[slug]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("programmes:withdraw", args=[slug])).status_code == 404
    assert (
        client.post(reverse("programmes:identity_stop", args=[slug, "ethnicity"])).status_code
        == 404
    )
    assert ready_programme.name not in client.get(reverse("programmes:mine")).content.decode()
    base = f"/api/v1/programmes/{slug}"
    assert client.get(f"{base}/application").status_code == 404
    assert client.get(f"{base}/form/mentor").status_code == 404
    assert (
        client.put(
            f"{base}/application",
            {"side": "mentor", "answers": {}},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert client.post(f"{base}/application/withdraw").status_code == 404
    assert client.delete(f"{base}/application/identity/ethnicity").status_code == 404
    assert [p["programme"]["slug"] for p in client.get("/api/v1/programmes/mine").json()] == [
        b_applicant.programme.slug
    ]

    # The mentor of programme A sees their own application and nothing of the leader's.
    client.force_login(mentor)
    mine = client.get(reverse("programmes:my_application", args=[slug]))
    assert mine.context["application"] == mentor_application
    own = client.get(f"{base}/application").json()
    assert own["id"] == mentor_application.pk
    assert (
        client.get(f"/api/v1/programmes/{b_applicant.programme.slug}/application").status_code
        == 404
    )
    client.post(reverse("programmes:withdraw", args=[b_applicant.programme.slug]))
    b_applicant.refresh_from_db()
    assert b_applicant.status == "submitted"
    leader_application.refresh_from_db()
    assert leader_application.status == "submitted"

    # Coordinator B coordinates B, and takes part in nothing: A stays invisible.
    client.force_login(coordinator_b)
    assert client.get(reverse("programmes:my_application", args=[slug])).status_code == 404


def test_the_index_lists_only_your_programmes(
    client: Client,
    ready_programme: Programme,
    b_applicant: Application,
    coordinator: Any,
    coordinator_b: Any,
    leader: Any,
) -> None:
    client.force_login(coordinator_b)
    page = client.get(reverse("programmes:index")).content.decode()
    assert b_applicant.programme.name in page and ready_programme.name not in page
    client.force_login(leader)
    assert client.get(reverse("programmes:index")).status_code == 404
    assert client.get(reverse("programmes:create")).status_code == 404
    response = client.post(
        "/api/v1/programmes/",
        {"name": "X", "organisations": ["northwind"], "starts_on": "2027-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Programme.objects.filter(name="X").exists()
