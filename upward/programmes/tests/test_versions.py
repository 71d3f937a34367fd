"""No lost updates: every edit of a shared programme record names the version it started from.

Two coordinators (or two API clients) who load the same version and both save: the first
save wins, the second answers 409 and changes nothing. A page shows the saved values again,
with the person's attempt beside them.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from personas import grant, make_user
from upward.accounts.models import Role
from upward.api import api
from upward.core.versioning import VersionConflict
from upward.preparation.models import Module, Track, Workshop
from upward.programmes import services
from upward.programmes.defaults import seed_schedule
from upward.programmes.models import (
    ApplicationForm,
    Cohort,
    EligibilityRule,
    PhaseWindow,
    Programme,
    Question,
    ReadinessItem,
    StakeholderInterview,
)
from upward.programmes.policy import policy_of
from upward.recognition.models import CompletionRules
from upward.running.models import RunningSettings

CONFLICT = "after you opened it, so your change was not saved"


@pytest.fixture
def second_coordinator(ready_programme: Programme) -> Any:
    user = make_user("second-coordinator@upward.test", totp=True)
    grant(user, Role.COORDINATOR, programme=ready_programme)
    return user


@pytest.fixture
def two(
    client: Client, coordinator: Any, second_coordinator: Any, ready_programme: Programme
) -> tuple[Client, Client]:
    """Two coordinators of programme A, each signed in with their own browser. The programme
    has dates and a schedule, as one set up through the pages has."""
    ready_programme.starts_on = dt.date(2027, 1, 4)
    ready_programme.ends_on = dt.date(2027, 12, 31)
    ready_programme.save(update_fields=["starts_on", "ends_on"])
    seed_schedule(ready_programme)
    client.force_login(coordinator)
    other = Client()
    other.force_login(second_coordinator)
    return client, other


def form_data(form: forms.BaseForm) -> dict[str, Any]:
    """What a browser posts for ``form`` as it was rendered (hidden version included)."""
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(field, forms.BooleanField):
            if value:
                data[key] = "on"
        elif value is None:
            data[key] = ""
        elif isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        elif isinstance(value, dt.date):
            data[key] = value.isoformat()
        else:
            data[key] = str(value)
    return data


def race(
    two: tuple[Client, Client],
    url: str,
    first: Callable[[dict[str, Any]], dict[str, Any]],
    second: Callable[[dict[str, Any]], dict[str, Any]],
    form_of: Callable[[Any], forms.BaseForm] = lambda page: page.context["form"],
) -> Any:
    """Both coordinators open ``url``; the first saves, then the second saves: its answer."""
    a, b = two
    page_a, page_b = a.get(url), b.get(url)
    assert page_a.status_code == page_b.status_code == 200
    # The page itself carries the version it shows, so a browser sends it back.
    rendered = form_of(page_a)
    hidden = f'type="hidden" name="{rendered.add_prefix("version")}" value="{rendered["version"].value()}"'
    assert hidden in page_a.content.decode()
    saved = a.post(url, first(form_data(form_of(page_a))))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    stale = b.post(url, second(form_data(form_of(page_b))))
    assert stale.status_code == 409
    assert CONFLICT in stale.content.decode()
    return stale


def differences(form: forms.BaseForm) -> list[tuple[str, str, str]]:
    conflict = getattr(form, "conflict", None)
    assert conflict is not None
    return [(d.label, d.theirs, d.yours) for d in conflict.differences]


# --- the programme: API -----------------------------------------------------------------------


def test_two_patches_from_the_same_version_the_second_is_409_and_the_first_survives(
    client: Client, coordinator: Any, ready_programme: Programme
) -> None:
    client.force_login(coordinator)
    url = f"/api/v1/programmes/{ready_programme.slug}"
    read = client.get(url).json()
    version = read["version"]
    renamed = client.patch(
        url, {"name": "Renamed", "version": version}, content_type="application/json"
    )
    assert renamed.status_code == 200
    assert renamed.json()["version"] == version + 1
    described = client.patch(
        url,
        {"description": "A new description", "version": version},
        content_type="application/json",
    )
    assert described.status_code == 409
    assert described.json() == {
        "detail": "Someone else saved this programme after you opened it, so your change was "
        f"not saved. It is now at version {version + 1}: look at their change and make yours "
        "again."
    }
    ready_programme.refresh_from_db()
    assert ready_programme.name == "Renamed"
    assert ready_programme.description == read["description"]
    assert ready_programme.version == version + 1
    again = client.patch(
        url,
        {"description": "A new description", "version": version + 1},
        content_type="application/json",
    )
    assert again.status_code == 200
    assert (again.json()["name"], again.json()["description"]) == ("Renamed", "A new description")


def test_a_patch_without_a_version_is_422_and_changes_nothing(
    client: Client, coordinator: Any, ready_programme: Programme
) -> None:
    client.force_login(coordinator)
    url = f"/api/v1/programmes/{ready_programme.slug}"
    for body in ({"name": "No version"}, {"name": "Bad", "version": -1}, {"version": 2**31}):
        response = client.patch(url, body, content_type="application/json")
        assert response.status_code == 422, body
    fresh = Programme.objects.get(pk=ready_programme.pk)
    assert (fresh.name, fresh.version) == (ready_programme.name, ready_programme.version)


def test_a_patch_does_not_put_back_a_phase_changed_meanwhile(
    client: Client, coordinator: Any, ready_programme: Programme
) -> None:
    client.force_login(coordinator)
    url = f"/api/v1/programmes/{ready_programme.slug}"
    version = client.get(url).json()["version"]
    services.programme_phase_set(programme=ready_programme, by=coordinator, phase="readiness")
    patched = client.patch(
        url, {"name": "Renamed", "version": version}, content_type="application/json"
    )
    assert patched.status_code == 200
    assert patched.json()["phase"] == "readiness"
    assert Programme.objects.get(pk=ready_programme.pk).phase == "readiness"


# --- the programme: pages ---------------------------------------------------------------------


def test_two_coordinators_edit_the_basics_and_the_second_sees_the_first_change(
    two: tuple[Client, Client], ready_programme: Programme
) -> None:
    old_name = ready_programme.name
    stale = race(
        two,
        reverse("programmes:edit", args=[ready_programme.slug]),
        lambda data: {**data, "name": "Reverse Mentoring 2029"},
        lambda data: {**data, "description": "Leaders listen first."},
    )
    ready_programme.refresh_from_db()
    assert ready_programme.name == "Reverse Mentoring 2029"
    assert ready_programme.description == ""
    form = stale.context["form"]
    assert form["name"].value() == "Reverse Mentoring 2029"
    assert form["version"].value() == ready_programme.version
    assert differences(form) == [
        ("Programme name", "Reverse Mentoring 2029", old_name),
        ("What the programme is for", "(empty)", "Leaders listen first."),
    ]
    page = stale.content.decode()
    assert "Someone else saved first." in page
    assert 'value="Reverse Mentoring 2029"' in page
    assert f'name="version" value="{ready_programme.version}"' in page
    # Saving again from the page now shown works.
    retry = two[1].post(
        reverse("programmes:edit", args=[ready_programme.slug]),
        {**form_data(form), "description": "Leaders listen first."},
    )
    assert retry.status_code == 302
    ready_programme.refresh_from_db()
    assert (ready_programme.name, ready_programme.description) == (
        "Reverse Mentoring 2029",
        "Leaders listen first.",
    )


def test_a_page_post_without_the_version_changes_nothing(
    two: tuple[Client, Client], ready_programme: Programme
) -> None:
    a, _ = two
    url = reverse("programmes:edit", args=[ready_programme.slug])
    data = form_data(a.get(url).context["form"])
    del data["version"]
    response = a.post(url, {**data, "name": "Sneaked in"})
    assert response.status_code == 200
    assert "Reload the page: the version of the record you saw is missing." in (
        response.content.decode()
    )
    assert Programme.objects.get(pk=ready_programme.pk).name == ready_programme.name


def test_objectives_page_refuses_a_stale_save(
    two: tuple[Client, Client], ready_programme: Programme
) -> None:
    race(
        two,
        reverse("programmes:objectives", args=[ready_programme.slug]),
        lambda data: {**data, "other": "Close the pay gap"},
        lambda data: {**data, "challenges": ["trust"], "other": ""},
    )
    assert [o.challenge for o in ready_programme.objectives.all()] == [
        "inclusive_leadership",
        "hierarchy",
        "other",
    ]


def test_schedule_page_refuses_a_stale_save(
    two: tuple[Client, Client], ready_programme: Programme
) -> None:
    race(
        two,
        reverse("programmes:schedule", args=[ready_programme.slug]),
        lambda data: {**data, "celebration_end": "2031-03-31"},
        lambda data: {**data, "celebration_end": "2031-06-30"},
    )
    window = PhaseWindow.objects.get(programme=ready_programme, phase="celebration")
    assert window.ends_on == dt.date(2031, 3, 31)


def test_policy_page_refuses_a_stale_save(
    two: tuple[Client, Client], ready_programme: Programme
) -> None:
    stale = race(
        two,
        reverse("programmes:policy", args=[ready_programme.slug]),
        lambda data: {**data, "min_grade_gap": "3"},
        lambda data: {**data, "weight_text": "0"},
    )
    ready_programme.refresh_from_db()
    policy = policy_of(ready_programme.matching_policy)
    assert policy.min_grade_gap == 3 and policy.weights["text"] != 0
    assert stale.context["form"]["min_grade_gap"].value() == 3


def test_open_call_refuses_a_stale_save(
    two: tuple[Client, Client], ready_programme: Programme
) -> None:
    a, b = two
    detail = reverse("programmes:detail", args=[ready_programme.slug])
    url = reverse("programmes:open_call", args=[ready_programme.slug])
    data_a = form_data(a.get(detail).context["open_call_form"])
    data_b = form_data(b.get(detail).context["open_call_form"])
    hidden = f'type="hidden" name="version" value="{ready_programme.version}"'
    assert hidden in a.get(detail).content.decode()
    invitations = reverse("programmes:invitations", args=[ready_programme.slug])
    assert hidden in a.get(invitations).content.decode()
    assert a.post(url, {**data_a, "mentors": "on"}).status_code == 302
    stale = b.post(url, {**data_b, "leaders": "on"}, follow=True)
    assert CONFLICT in stale.content.decode()
    ready_programme.refresh_from_db()
    assert (ready_programme.open_call_leaders, ready_programme.open_call_mentors) == (False, True)
    assert stale.context["open_call_form"]["mentors"].value() is True


# --- the programme's other shared records: pages ----------------------------------------------


def test_readiness_item_page_refuses_a_stale_save(
    two: tuple[Client, Client], ready_programme: Programme
) -> None:
    item = ready_programme.readiness_items.first()
    assert item is not None
    stale = race(
        two,
        reverse("programmes:readiness_item", args=[ready_programme.slug, item.pk]),
        lambda data: {**data, "owner": "Priya Shah"},
        lambda data: {**data, "evidence": "Minutes of 3 May"},
    )
    item.refresh_from_db()
    assert (item.owner, item.evidence) == ("Priya Shah", "Signed off at the steering group.")
    assert stale.context["form"]["owner"].value() == "Priya Shah"


def test_interview_page_refuses_a_stale_save(
    two: tuple[Client, Client], ready_programme: Programme, coordinator: Any
) -> None:
    interview = services.interview_record(
        programme=ready_programme,
        by=coordinator,
        interviewee="Sam Lee",
        role="Chief People Officer",
        held_on=dt.date(2027, 3, 1),
        problems="Ideas stop at middle management.",
        themes=["hierarchy"],
    )
    race(
        two,
        reverse("programmes:interview", args=[ready_programme.slug, interview.pk]),
        lambda data: {**data, "role": "CPO"},
        lambda data: {**data, "problems": "Nobody hears the front line."},
    )
    stored = StakeholderInterview.objects.get(pk=interview.pk)
    assert (stored.role, stored.problems, stored.version) == (
        "CPO",
        "Ideas stop at middle management.",
        2,
    )


def test_cohort_page_refuses_a_stale_save(
    two: tuple[Client, Client], ready_programme: Programme
) -> None:
    cohort = Cohort.objects.create(programme=ready_programme, name="Spring", capacity=10)
    race(
        two,
        reverse("programmes:cohort", args=[ready_programme.slug, cohort.pk]),
        lambda data: {**data, "capacity": "12"},
        lambda data: {**data, "name": "Spring 2028"},
    )
    cohort.refresh_from_db()
    assert (cohort.name, cohort.capacity, cohort.version) == ("Spring", 12, 2)


def test_question_page_refuses_a_stale_save(
    two: tuple[Client, Client], ready_programme: Programme
) -> None:
    question = Question.objects.filter(
        form__programme=ready_programme, form__side="leader", kind="long_text"
    ).first()
    assert question is not None
    label = question.label
    race(
        two,
        reverse("programmes:question", args=[ready_programme.slug, "leader", question.pk]),
        lambda data: {**data, "help_text": "A few words are enough."},
        lambda data: {**data, "label": "Something else entirely"},
    )
    question.refresh_from_db()
    assert (question.label, question.help_text) == (label, "A few words are enough.")


def test_form_introduction_refuses_a_stale_save(
    two: tuple[Client, Client], ready_programme: Programme
) -> None:
    race(
        two,
        reverse("programmes:form", args=[ready_programme.slug, "mentor"]),
        lambda data: {**data, "intro": "Ten minutes, no more."},
        lambda data: {**data, "intro": "Take your time."},
        form_of=lambda page: page.context["intro_form"],
    )
    form = ApplicationForm.objects.get(programme=ready_programme, side="mentor")
    assert (form.intro, form.version) == ("Ten minutes, no more.", 2)


def test_eligibility_page_refuses_a_stale_save(
    two: tuple[Client, Client], ready_programme: Programme
) -> None:
    def mentor_form(page: Any) -> forms.BaseForm:
        return next(form for side, _label, form in page.context["sides"] if side == "mentor")

    stale = race(
        two,
        reverse("programmes:eligibility", args=[ready_programme.slug]),
        lambda data: {**data, "side": "mentor", "mentor-min_tenure_months": "6"},
        lambda data: {**data, "side": "mentor", "mentor-grade_min": "2"},
        form_of=mentor_form,
    )
    rule = EligibilityRule.objects.get(programme=ready_programme, side="mentor")
    assert (rule.min_tenure_months, rule.grade_min, rule.version) == (6, None, 2)
    assert mentor_form(stale)["min_tenure_months"].value() == 6


# --- the other shared records: API ------------------------------------------------------------


def test_readiness_item_patch_refuses_a_stale_version(
    client: Client, coordinator: Any, ready_programme: Programme
) -> None:
    client.force_login(coordinator)
    base = f"/api/v1/programmes/{ready_programme.slug}/readiness"
    item = client.get(base).json()["items"][0]
    url = f"{base}/{item['id']}"
    body = {"status": "done", "owner": "Ann", "evidence": "Plan v3", "version": item["version"]}
    first = client.patch(url, body, content_type="application/json")
    assert first.status_code == 200 and first.json()["version"] == item["version"] + 1
    second = client.patch(
        url, {**body, "owner": "Bo", "evidence": "Plan v4"}, content_type="application/json"
    )
    assert second.status_code == 409
    assert "Someone else saved “" in second.json()["detail"]
    stored = ReadinessItem.objects.get(pk=item["id"])
    assert (stored.owner, stored.evidence) == ("Ann", "Plan v3")
    missing = client.patch(
        url, {"status": "todo", "owner": "", "evidence": ""}, content_type="application/json"
    )
    assert missing.status_code == 422
    assert ReadinessItem.objects.get(pk=item["id"]).status == "done"


def test_cohort_put_refuses_a_stale_version(
    client: Client, coordinator: Any, ready_programme: Programme
) -> None:
    client.force_login(coordinator)
    base = f"/api/v1/programmes/{ready_programme.slug}/cohorts"
    created = client.post(base, {"name": "Spring"}, content_type="application/json").json()
    url = f"{base}/{created['id']}"
    first = client.put(
        url, {"name": "Spring", "capacity": 8, "version": 1}, content_type="application/json"
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    second = client.put(url, {"name": "Summer", "version": 1}, content_type="application/json")
    assert second.status_code == 409
    assert second.json()["detail"].startswith("Someone else saved the cohort “Spring” after")
    assert client.put(url, {"name": "Summer"}, content_type="application/json").status_code == 422
    stored = Cohort.objects.get(pk=created["id"])
    assert (stored.name, stored.capacity, stored.version) == ("Spring", 8, 2)


# --- every edit operation of the API ---------------------------------------------------------

# An operation that edits what only one person owns, and why it carries no version.
NOT_SHARED = {
    ("put", "/api/v1/programmes/{slug}/application"): (
        "a person's own application: only they change their answers, and the service locks "
        "the row while it writes"
    ),
}


def _stale_requests(
    programme: Programme, coordinator: Any
) -> dict[tuple[str, str], tuple[str, dict[str, Any], Callable[[], object]]]:
    """For each edit operation: a request made from version 1 after the record moved on, and
    how to read back what it must not have changed."""
    item = programme.readiness_items.first()
    assert item is not None
    cohort = Cohort.objects.create(programme=programme, name="Spring")
    base = f"/api/v1/programmes/{programme.slug}"
    # Someone saved the programme's running settings twice since the editor read them.
    running_settings = RunningSettings.objects.create(programme=programme, quiet_weeks=3, version=3)
    completion_rules = CompletionRules.objects.create(
        programme=programme, min_meetings=2, version=3
    )
    track = Track.objects.create(programme=programme, audience="everyone", title="Listening")
    module = Module.objects.create(track=track, title="Listening well")
    workshop = Workshop.objects.create(
        programme=programme,
        title="Kick-off",
        starts_at=timezone.now() + dt.timedelta(days=7),
        uid="stale-test@upward",
    )
    for record in (Programme.objects.get(pk=programme.pk), item, cohort, module, workshop):
        type(record).objects.filter(pk=record.pk).update(version=2)
    return {
        ("patch", "/api/v1/programmes/{slug}"): (
            base,
            {"name": "Stale", "version": 1},
            lambda: Programme.objects.get(pk=programme.pk).name,
        ),
        ("put", "/api/v1/programmes/{slug}/completion/rules"): (
            f"{base}/completion/rules",
            {
                "agreement_signed": False,
                "training_done": False,
                "min_meetings": 9,
                "final_checkin": True,
                "version": 1,
            },
            lambda: CompletionRules.objects.get(pk=completion_rules.pk).min_meetings,
        ),
        ("put", "/api/v1/programmes/{slug}/running/settings"): (
            f"{base}/running/settings",
            {"quiet_weeks": 6, "version": 1},
            lambda: RunningSettings.objects.get(pk=running_settings.pk).quiet_weeks,
        ),
        ("put", "/api/v1/programmes/{slug}/working-style"): (
            f"{base}/working-style",
            {"weight": 3, "version": 1},
            lambda: Programme.objects.get(pk=programme.pk).matching_policy,
        ),
        ("patch", "/api/v1/programmes/{slug}/readiness/{item_id}"): (
            f"{base}/readiness/{item.pk}",
            {"status": "todo", "version": 1},
            lambda: ReadinessItem.objects.get(pk=item.pk).status,
        ),
        ("put", "/api/v1/programmes/{slug}/cohorts/{cohort_id}"): (
            f"{base}/cohorts/{cohort.pk}",
            {"name": "Stale", "version": 1},
            lambda: Cohort.objects.get(pk=cohort.pk).name,
        ),
        ("put", "/api/v1/programmes/{slug}/training/modules/{module_id}"): (
            f"{base}/training/modules/{module.pk}",
            {"title": "Stale", "version": 1},
            lambda: Module.objects.get(pk=module.pk).title,
        ),
        ("put", "/api/v1/programmes/{slug}/workshops/{workshop_id}"): (
            f"{base}/workshops/{workshop.pk}",
            {
                "title": "Stale",
                "starts_at": "2030-01-07T09:30:00+00:00",
                "place": "Room 4",
                "version": 1,
            },
            lambda: Workshop.objects.get(pk=workshop.pk).title,
        ),
    }


def test_every_edit_operation_needs_a_version_and_answers_409_when_it_is_stale(
    client: Client, coordinator: Any, ready_programme: Programme
) -> None:
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    edits = [
        (method, path, operation)
        for path, operations in schema["paths"].items()
        if path.startswith("/api/v1/programmes")
        for method, operation in operations.items()
        if method in ("patch", "put") and (method, path) not in NOT_SHARED
    ]
    assert len(edits) >= 3
    client.force_login(coordinator)
    stale = _stale_requests(ready_programme, coordinator)
    for method, path, operation in edits:
        name = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        body_schema = components[name.rsplit("/", 1)[1]]
        assert "version" in body_schema.get("required", []), (method, path)
        assert "409" in {str(code) for code in operation["responses"]}, (method, path)
        assert (method, path) in stale, f"{method.upper()} {path} has no stale-version check here"
        url, body, read_back = stale[(method, path)]
        before = read_back()
        response = getattr(client, method)(url, body, content_type="application/json")
        assert response.status_code == 409, (method, path, response.content)
        assert set(response.json()) == {"detail"}
        assert read_back() == before


# --- at the same moment ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_edits_at_the_same_moment_one_wins_and_the_other_is_refused(
    coordinator: Any, programme_a: Programme, org_a: Any
) -> None:
    """Both threads read version 1, wait for each other, then save: exactly one is saved.

    Runs on PostgreSQL (CI runs the suite there too); SQLite's in-memory test database, shared
    between threads, fails a waiting writer at once ("table is locked") instead of waiting.
    """
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that lets two connections wait for each other")
    barrier = threading.Barrier(2, timeout=30)
    outcomes: dict[str, str] = {}

    def edit(field: str, value: str) -> None:
        try:
            programme = Programme.objects.get(pk=programme_a.pk)
            changes = {"name": programme.name, "description": programme.description}
            changes[field] = value
            barrier.wait()
            services.programme_update(
                programme=programme,
                by=coordinator,
                version=programme.version,
                kind=programme.kind,
                organisations=[org_a],
                starts_on=None,
                ends_on=None,
                meeting_cadence=programme.meeting_cadence,
                meeting_minutes=programme.meeting_minutes,
                hours_per_month=programme.hours_per_month,
                anonymity_threshold=programme.anonymity_threshold,
                **changes,
            )
        except VersionConflict:
            outcomes[field] = "conflict"
        else:
            outcomes[field] = "saved"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=edit, args=("name", "Renamed")),
        threading.Thread(target=edit, args=("description", "Described")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    stored = Programme.objects.get(pk=programme_a.pk)
    assert stored.version == 2
    if outcomes["name"] == "saved":
        assert (stored.name, stored.description) == ("Renamed", "")
    else:
        assert (stored.name, stored.description) == ("Reverse Mentoring A", "Described")
