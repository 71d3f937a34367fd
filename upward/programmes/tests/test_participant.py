"""The participant's side: find the programme, apply, change answers until the deadline, see
the status, withdraw and apply again."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from upward.programmes import services
from upward.programmes.errors import RuleBroken
from upward.programmes.models import Application, Programme

from .conftest import valid_answers, valid_form_data


def test_an_invited_leader_applies_from_my_programmes(
    client: Client, ready_programme: Programme, leader: Any, invite: Any
) -> None:
    invite(ready_programme, leader, "leader")
    client.force_login(leader)
    mine = client.get(reverse("programmes:mine")).content.decode()
    assert ready_programme.name in mine and "You are invited to take part as a leader" in mine
    home = client.get(reverse("core:dashboard")).content.decode()
    assert "Your programmes" in home and "You are invited" in home
    start = client.get(reverse("programmes:apply", args=[ready_programme.slug]))
    assert start["Location"] == reverse(
        "programmes:apply_side", args=[ready_programme.slug, "leader"]
    )
    form = client.get(start["Location"])
    assert form.status_code == 200
    html = form.content.decode()
    assert "I will come as a learner" in html and "Send my application" in html
    sent = client.post(start["Location"], valid_form_data(ready_programme, "leader"), follow=True)
    assert "your application is in" in sent.content.decode()
    application = Application.objects.get()
    assert application.person == leader.person and application.status == "submitted"
    status = client.get(reverse("programmes:my_application", args=[ready_programme.slug]))
    assert "Your application is in. The coordinator will be in touch." in status.content.decode()
    # Applying again goes to the application, not a second form.
    again = client.get(reverse("programmes:apply", args=[ready_programme.slug]))
    assert again["Location"] == reverse("programmes:my_application", args=[ready_programme.slug])


def test_answers_can_change_until_the_deadline_and_not_after(
    client: Client, leader_application: Application, leader: Any
) -> None:
    programme = leader_application.programme
    client.force_login(leader)
    url = reverse("programmes:apply_side", args=[programme.slug, "leader"])
    page = client.get(url)
    assert page.context["editing"] and "Save my changes" in page.content.decode()
    data = valid_form_data(programme, "leader")
    text_question = next(q for q in page.context["answers_form"].questions if q.kind == "long_text")
    data[text_question.field_name] = "Changed my mind about what I want to learn."
    assert client.post(url, data).status_code == 302
    leader_application.refresh_from_db()
    assert (
        leader_application.answers[str(text_question.pk)]
        == "Changed my mind about what I want to learn."
    )

    Programme.objects.filter(pk=programme.pk).update(
        applications_deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    programme.refresh_from_db()
    closed = client.get(url, follow=True)
    assert "The deadline has passed" in closed.content.decode()
    data[text_question.field_name] = "Too late"
    client.post(url, data)
    leader_application.refresh_from_db()
    assert leader_application.answers[str(text_question.pk)] != "Too late"
    with pytest.raises(RuleBroken, match="deadline has passed"):
        services.application_submit(
            programme=programme,
            user=leader,
            side="leader",
            answers=valid_answers(programme, "leader"),
            identity_values={},
            identity_consents=set(),
            channel="web",
        )
    status = client.get(
        reverse("programmes:my_application", args=[programme.slug])
    ).content.decode()
    assert "Change my answers" not in status


def test_a_decided_application_cannot_be_changed(
    leader_application: Application, leader: Any, coordinator: Any
) -> None:
    programme = leader_application.programme
    services.applications_decide(
        programme=programme,
        by=coordinator,
        application_ids=[leader_application.pk],
        decision="accept",
    )
    with pytest.raises(RuleBroken, match="decision has been made"):
        services.application_submit(
            programme=programme,
            user=leader,
            side="leader",
            answers=valid_answers(programme, "leader"),
            identity_values={},
            identity_consents=set(),
            channel="web",
        )


def test_withdraw_then_apply_again(
    client: Client, leader_application: Application, leader: Any
) -> None:
    programme = leader_application.programme
    client.force_login(leader)
    confirm = client.get(reverse("programmes:withdraw", args=[programme.slug]))
    assert "without giving a reason and without any penalty" in confirm.content.decode()
    client.post(reverse("programmes:withdraw", args=[programme.slug]))
    leader_application.refresh_from_db()
    assert leader_application.status == "withdrawn" and leader_application.withdrawn_at
    status = client.get(
        reverse("programmes:my_application", args=[programme.slug])
    ).content.decode()
    assert "You withdrew your application." in status and "Apply again" in status
    with pytest.raises(RuleBroken, match="already withdrawn"):
        services.application_withdraw(application=leader_application, channel="web")
    client.post(
        reverse("programmes:apply_side", args=[programme.slug, "leader"]),
        valid_form_data(programme, "leader"),
    )
    leader_application.refresh_from_db()
    assert leader_application.status == "submitted" and leader_application.withdrawn_at is None
    assert Application.objects.count() == 1


def test_side_rules(
    client: Client, ready_programme: Programme, leader: Any, invite: Any, coordinator: Any
) -> None:
    invite(ready_programme, leader, "leader")
    client.force_login(leader)
    assert (
        client.get(
            reverse("programmes:apply_side", args=[ready_programme.slug, "mentor"])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("programmes:apply_side", args=[ready_programme.slug, "admin"])
        ).status_code
        == 404
    )
    with pytest.raises(RuleBroken, match="not invited on this side"):
        services.application_submit(
            programme=ready_programme,
            user=leader,
            side="mentor",
            answers=valid_answers(ready_programme, "mentor"),
            identity_values={},
            identity_consents=set(),
            channel="web",
        )
    services.programme_open_call_set(
        programme=ready_programme,
        by=coordinator,
        version=ready_programme.version,
        leaders=False,
        mentors=True,
    )
    choose = client.get(reverse("programmes:apply", args=[ready_programme.slug]))
    assert choose.status_code == 200
    assert [c[0] for c in choose.context["form"].fields["side"].choices] == ["leader", "mentor"]
    picked = client.post(
        reverse("programmes:apply", args=[ready_programme.slug]), {"side": "mentor"}
    )
    assert picked["Location"] == reverse(
        "programmes:apply_side", args=[ready_programme.slug, "mentor"]
    )
    application = services.application_submit(
        programme=ready_programme,
        user=leader,
        side="leader",
        answers=valid_answers(ready_programme, "leader"),
        identity_values={},
        identity_consents=set(),
        channel="web",
    )
    with pytest.raises(RuleBroken, match="To change side, withdraw and apply again"):
        services.application_submit(
            programme=ready_programme,
            user=leader,
            side="mentor",
            answers=valid_answers(ready_programme, "mentor"),
            identity_values={},
            identity_consents=set(),
            channel="web",
        )
    assert Application.objects.get().pk == application.pk


def test_closed_applications_and_people_without_a_directory_record(
    client: Client,
    ready_programme: Programme,
    leader: Any,
    coordinator: Any,
    invite: Any,
    sponsor: Any,
) -> None:
    invite(ready_programme, leader, "leader")
    services.programme_applications_close(programme=ready_programme, by=coordinator)
    client.force_login(leader)
    page = client.get(reverse("programmes:apply", args=[ready_programme.slug]))
    assert "Applications for this programme are not open any more" in page.content.decode()
    client.force_login(sponsor)
    mine = client.get(reverse("programmes:mine")).content.decode()
    assert "not linked to your organisation's directory" in mine
    assert client.get(reverse("programmes:apply", args=[ready_programme.slug])).status_code == 404
    with pytest.raises(RuleBroken, match="not linked"):
        services.application_submit(
            programme=ready_programme,
            user=sponsor,
            side="leader",
            answers={},
            identity_values={},
            identity_consents=set(),
            channel="web",
        )


def test_participant_api_round_trip(
    client: Client, ready_programme: Programme, mentor: Any, invite: Any
) -> None:
    invite(ready_programme, mentor, "mentor")
    client.force_login(mentor)
    base = f"/api/v1/programmes/{ready_programme.slug}"
    mine = client.get("/api/v1/programmes/mine").json()
    assert mine[0]["invited_as"] == "mentor" and mine[0]["can_apply"] is True
    form = client.get(f"{base}/form/mentor").json()
    assert {d["code"] for d in form["identity"]} == {"ethnicity", "disability", "age_band"}
    assert form["identity"][0]["wording_version"] == "2026-1"
    answers: dict[str, Any] = {}
    for q in form["questions"]:
        if q["kind"] == "acknowledgement":
            answers[str(q["id"])] = True
        elif q["kind"] == "topics":
            answers[str(q["id"])] = [q["topics"][0]["id"]]
        elif q["kind"] in ("short_text", "long_text"):
            answers[str(q["id"])] = "Something I know."
        elif q["kind"] == "single_choice":
            answers[str(q["id"])] = q["options"][0]
        elif q["kind"] == "multiple_choice":
            answers[str(q["id"])] = q["options"][:1]
        elif q["kind"] == "scale":
            answers[str(q["id"])] = q["min_value"]
        elif q["kind"] == "availability":
            answers[str(q["id"])] = [q["slots"][0]["code"]]
    body = {"side": "mentor", "answers": answers, "identity": {"disability": "yes"}}
    no_version = client.put(f"{base}/application", body, content_type="application/json")
    assert no_version.status_code == 400 and "wording" in no_version.json()["detail"]
    no_consent = client.put(
        f"{base}/application",
        {**body, "wording_version": "2026-1"},
        content_type="application/json",
    )
    assert no_consent.status_code == 422
    assert "tick the box to agree" in no_consent.json()["errors"]["identity.disability"][0]
    assert not Application.objects.exists()
    created = client.put(
        f"{base}/application",
        {**body, "consent": ["disability"], "wording_version": "2026-1"},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["identity_shared"] == [
        {"dimension": "disability", "label": "Disability", "value": "Yes"}
    ]
    from upward.consent.models import Consent

    assert Consent.objects.get(user=mentor).channel == "api"
    updated = client.put(
        f"{base}/application",
        {"side": "mentor", "answers": answers},
        content_type="application/json",
    )
    assert updated.status_code == 200 and updated.json()["identity_shared"] == []
    assert client.delete(f"{base}/application/identity/disability").status_code == 404
    withdrawn = client.post(f"{base}/application/withdraw")
    assert withdrawn.json()["status"] == "withdrawn"
