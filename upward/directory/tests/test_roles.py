"""People and roles in the browser and the API: an organisation's admin appoints and removes
coordinators, sponsors and wellbeing leads through the same service as ``upward grant-role``,
with the same refusals and audit; the person appointed is told what the role means."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse

from upward.accounts.models import Role, RoleGrant, User
from upward.programmes.models import Programme


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_admin_appoints_a_sponsor_for_a_programme_and_they_are_told(
    org_admin: Any, org_a: Any, programme_a: Programme, django_capture_on_commit_callbacks: Any
) -> None:
    url = reverse("directory:roles", args=[org_a.slug])
    client = _client(org_admin)
    page = client.get(url).content.decode()
    assert "People and roles at Northwind Group" in page and "---------" not in page
    assert '<option value="programme-a">Reverse Mentoring A</option>' in page
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url,
            {"email": "Sam.Sponsor@Example.org", "name": "Sam", "role": "sponsor",
             "scope": "programme-a"},
            follow=True,
        )  # fmt: skip
    html = done.content.decode()
    assert "sam.sponsor@example.org is now sponsor for Reverse Mentoring A." in html
    grant = RoleGrant.objects.get(user__email="sam.sponsor@example.org")
    assert (grant.role, grant.programme, grant.organisation, grant.granted_by) == (
        Role.SPONSOR, programme_a, None, org_admin,
    )  # fmt: skip
    [email] = mail.outbox
    assert email.to == ["sam.sponsor@example.org"]
    assert email.subject == "You are now sponsor for Reverse Mentoring A"
    assert "never see an individual's application" in email.body
    assert "/accounts/password/reset/" in email.body  # a new account has no password yet
    # The audit trail records who gave the role.
    history = RoleGrant.history.filter(id=grant.pk).get()  # type: ignore[attr-defined]
    assert history.history_type == "+" and history.history_user == org_admin

    again = client.post(
        url, {"email": "sam.sponsor@example.org", "role": "sponsor", "scope": "programme-a"}
    )
    assert again.status_code == 400 and "is already sponsor" in again.content.decode()
    assert len(mail.outbox) == 1

    removed = client.post(
        reverse("directory:role_remove", args=[org_a.slug, grant.pk]), follow=True
    ).content.decode()
    assert "sam.sponsor@example.org is no longer sponsor for Reverse Mentoring A." in removed
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()


def test_the_same_refusals_as_grant_role(
    org_admin: Any, org_a: Any, programme_a: Programme, coordinator: Any
) -> None:
    client = _client(org_admin)
    url = reverse("directory:roles", args=[org_a.slug])
    bad = client.post(url, {"email": "x@example.org", "role": "org_admin", "scope": ""})
    assert bad.status_code == 400 and not User.objects.filter(email="x@example.org").exists()
    only = RoleGrant.objects.get(user=coordinator, programme=programme_a)
    refused = client.post(
        reverse("directory:role_remove", args=[org_a.slug, only.pk]), follow=True
    ).content.decode()
    assert "A programme needs at least one coordinator." in refused
    assert RoleGrant.objects.filter(pk=only.pk).exists()


def test_the_api_appoints_lists_and_removes(
    org_admin: Any, org_a: Any, programme_a: Programme, django_capture_on_commit_callbacks: Any
) -> None:
    client = _client(org_admin)
    base = f"/api/v1/organisations/{org_a.slug}/roles"
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(
            base,
            {"email": "wren@example.org", "role": "wellbeing_lead"},
            content_type="application/json",
        )
    assert made.status_code == 201
    body = made.json()
    assert (body["email"], body["role"], body["programme"]) == (
        "wren@example.org", "wellbeing_lead", None,
    )  # fmt: skip
    assert "concerns" in mail.outbox[0].body
    listed = client.get(base).json()
    assert {"wren@example.org"} <= {g["email"] for g in listed}
    wrong = client.post(
        base,
        {"email": "a@example.org", "role": "sponsor", "programme": "programme-b"},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "has no programme" in wrong.json()["detail"]
    assert (
        client.post(
            base, {"email": "a@example.org", "role": "org_admin"}, content_type="application/json"
        ).status_code
        == 422
    )
    gone = client.post(f"{base}/{body['id']}/remove")
    assert gone.status_code == 200 and not RoleGrant.objects.filter(pk=body["id"]).exists()


def test_an_outsider_is_refused(org_admin_b: Any, org_a: Any, outsider: Any) -> None:
    for user in (org_admin_b, outsider):
        client = _client(user)
        assert client.get(reverse("directory:roles", args=[org_a.slug])).status_code == 404
        assert client.get(f"/api/v1/organisations/{org_a.slug}/roles").status_code == 404
        made = client.post(
            f"/api/v1/organisations/{org_a.slug}/roles",
            {"email": "x@example.org", "role": "sponsor"},
            content_type="application/json",
        )
        assert made.status_code == 404
    assert not RoleGrant.objects.filter(user__email="x@example.org").exists()
