"""Signing in with a password, and with a second factor where the role needs one."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from personas import PASSWORD, make_user
from upward.accounts.models import Role, RoleGrant
from upward.core.demo import current_totp_code


def sign_in(client: Client, email: str, password: str = PASSWORD) -> Any:
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_participant_signs_in_with_password_only(client: Client, leader: Any) -> None:
    response = sign_in(client, leader.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_wrong_password_is_refused(client: Client, leader: Any) -> None:
    response = sign_in(client, leader.email, "wrong-password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_coordinator_needs_the_authenticator_code(client: Client, coordinator: Any) -> None:
    response = sign_in(client, coordinator.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # Not signed in yet.
    assert client.get(reverse("core:dashboard"))["Location"].startswith(reverse("account_login"))
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "Incorrect code" in wrong.content.decode()
    right = client.post(
        reverse("mfa_authenticate"), {"code": current_totp_code(coordinator.totp_secret)}
    )
    assert right.status_code == 302
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_privileged_role_without_authenticator_must_set_one_up(
    client: Client, org_a: Any, db: Any
) -> None:
    admin = make_user("new-admin@upward.test")
    RoleGrant.objects.create(user=admin, role=Role.ORG_ADMIN, organisation=org_a)
    assert sign_in(client, admin.email).status_code == 302
    response = client.get(reverse("directory:people", args=[org_a.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    api = client.get("/api/v1/organisations")
    assert api.status_code == 403
    assert "two-factor" in api.json()["detail"]
    # The set-up page is reachable (after confirming the password once more).
    setup = client.get(reverse("mfa_activate_totp"), follow=True)
    assert setup.status_code == 200
    assert setup.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    confirmed = client.post(setup.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert confirmed.request["PATH_INFO"] == reverse("mfa_activate_totp")
    assert "Authenticator" in confirmed.content.decode()


@pytest.mark.parametrize("path", ["/", "/me/", "/organisations/", "/api/v1/me"])
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, path: str, db: Any) -> None:
    response = client.get(path)
    if path.startswith("/api/"):
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_open_sign_up_is_closed_by_default(client: Client, db: Any) -> None:
    response = client.post(
        reverse("account_signup"),
        {"email": "stranger@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "closed" in response.content.decode().lower()
    from upward.accounts.models import User

    assert not User.objects.filter(email="stranger@example.org").exists()


def test_signed_in_pages_are_not_cached(client: Client, leader: Any) -> None:
    client.force_login(leader)
    response = client.get(reverse("core:me"))
    assert "no-store" in response["Cache-Control"]


def test_confirming_identity_takes_the_password_or_authenticator_never_an_emailed_code(
    client: Client, leader: Any
) -> None:
    client.force_login(leader)
    page = client.get(reverse("account_reauthenticate"))
    assert page.status_code == 200
    assert "sign-in code" not in page.content.decode().lower()
    for name in ("account_request_reauthentication_code", "account_confirm_reauthentication_code"):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.post(reverse("account_request_reauthentication_code")).status_code == 403
    assert not mail.outbox
