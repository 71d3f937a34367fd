"""A privileged session must have passed the second factor, whatever door it came in by.

The site's sign-in asks for the authenticator code; the Django admin's own sign-in, a password
reset and any other way to get a session with a password alone must not lead further.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from personas import PASSWORD, grant, make_user
from upward.accounts.models import Role, User
from upward.core.demo import current_totp_code

# What a privileged session reaches once it has passed the second factor.
PRIVILEGED_PATHS = [
    "/api/v1/me",
    "/api/v1/organisations/northwind/people",
    "/privacy/audit/",
    "/organisations/northwind/people/",
    "/admin/",
]


@pytest.fixture
def superuser(org_a: Any) -> User:
    user = make_user("root@upward.test", totp=True)
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def assert_no_privileged_access(client: Client) -> None:
    for path in PRIVILEGED_PATHS:
        response = client.get(path)
        if path.startswith("/api/"):
            assert response.status_code == 401, path
        else:
            assert response.status_code == 302, path
            sign_in = "/admin/login/" if path == "/admin/" else reverse("account_login")
            assert response["Location"].startswith(sign_in), path


def pass_second_factor(client: Client, user: Any) -> None:
    response = client.post(
        reverse("mfa_authenticate"), {"code": current_totp_code(user.totp_secret)}
    )
    assert response.status_code == 302


def test_admin_sign_in_is_the_site_sign_in(client: Client, db: Any) -> None:
    response = client.get("/admin/login/?next=/admin/directory/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/admin/directory/"
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"


def test_posting_a_password_to_the_admin_sign_in_gives_no_session(
    client: Client, superuser: User
) -> None:
    response = client.post(
        "/admin/login/", {"username": superuser.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert_no_privileged_access(client)


def test_superuser_through_the_site_sign_in_needs_the_code(client: Client, superuser: User) -> None:
    response = client.post(
        reverse("account_login") + "?next=/admin/",
        {"login": superuser.email, "password": PASSWORD},
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert_no_privileged_access(client)
    pass_second_factor(client, superuser)
    for path in PRIVILEGED_PATHS:
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("persona", ["superuser", "coordinator", "org_admin"])
def test_password_only_session_reaches_nothing_privileged(
    client: Client, persona: str, request: Any, org_a: Any
) -> None:
    user = request.getfixturevalue(persona)
    # client.login() is what any password-only door does: authenticate, then log in.
    assert client.login(email=user.email, password=PASSWORD)
    assert_no_privileged_access(client)
    # The session was ended, not left half-open.
    assert "_auth_user_id" not in client.session
    # Nor can it reach the authenticator's settings and remove it with the password.
    assert client.login(email=user.email, password=PASSWORD)
    response = client.get(reverse("mfa_index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_password_only_api_session_is_told_to_sign_in_again(
    client: Client, coordinator: Any
) -> None:
    assert client.login(email=coordinator.email, password=PASSWORD)
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["detail"] == (
        "Sign in again with your authenticator code to use this account."
    )


def test_staff_user_counts_as_privileged(client: Client, db: Any) -> None:
    staff = make_user("staff@upward.test", totp=True)
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    assert client.login(email=staff.email, password=PASSWORD)
    assert client.get("/api/v1/me").status_code == 401


def test_password_reset_does_not_sign_in_past_the_second_factor(
    client: Client, coordinator: Any
) -> None:
    client.post(reverse("account_reset_password"), {"email": coordinator.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    new_password = "another-long-password-77"
    done = client.post(
        form.redirect_chain[-1][0], {"password1": new_password, "password2": new_password}
    )
    assert done.status_code == 302
    assert_no_privileged_access(client)
    response = client.post(
        reverse("account_login"), {"login": coordinator.email, "password": new_password}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert_no_privileged_access(client)
    pass_second_factor(client, coordinator)
    assert client.get("/api/v1/me").status_code == 200


# allauth announces a new authenticator once the transaction commits, as in production.
@pytest.mark.django_db(transaction=True)
def test_privileged_user_who_sets_up_the_authenticator_goes_on(client: Client, org_a: Any) -> None:
    from allauth.mfa.totp.internal.auth import generate_totp_secret

    admin = make_user("fresh-admin@upward.test")
    grant(admin, Role.ORG_ADMIN, organisation=org_a)
    assert (
        client.post(
            reverse("account_login"), {"login": admin.email, "password": PASSWORD}
        ).status_code
        == 302
    )
    assert client.get("/api/v1/me").status_code == 403
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    assert secret != generate_totp_secret()
    activated = client.post(reverse("mfa_activate_totp"), {"code": current_totp_code(secret)})
    assert activated.status_code == 302
    # Entering a code from the new authenticator is passing the second factor.
    assert client.get("/api/v1/me").status_code == 200
    assert client.get("/organisations/northwind/people/").status_code == 200


def test_removing_the_authenticator_counts_on_the_very_next_request(
    client: Client, coordinator: Any
) -> None:
    """Whether the user has an authenticator is read afresh on every request (in the one query
    that also answers the menu's facts), never remembered from an earlier one."""
    from allauth.mfa.models import Authenticator

    response = client.post(
        reverse("account_login"), {"login": coordinator.email, "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    pass_second_factor(client, coordinator)
    assert client.get("/api/v1/me").status_code == 200
    assert client.get("/").status_code == 200
    Authenticator.objects.filter(user=coordinator).delete()
    page = client.get("/")
    assert page.status_code == 302 and page["Location"] == reverse("mfa_activate_totp")
    assert client.get("/api/v1/me").status_code == 403
