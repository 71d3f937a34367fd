"""``upward grant-role``: an operator gives a new installation its first admins and coordinators."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from upward.accounts.models import Role, RoleGrant, User
from upward.directory.models import Organisation, Person
from upward.programmes.models import Programme

pytestmark = pytest.mark.django_db


def grant(*args: str) -> str:
    out = StringIO()
    call_command("grant_role", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def organisation() -> Organisation:
    organisation = Organisation.objects.create(name="Acme Health", slug="acme")
    Person.objects.create(
        organisation=organisation,
        employee_id="E1",
        name="Ada Obi",
        email="Ada.Obi@acme.example",
        grade="Director",
        grade_level=8,
    )
    return organisation


def test_first_org_admin_gets_an_account_a_password_by_email_and_must_set_up_mfa(
    organisation: Organisation, client: Client
) -> None:
    out = grant("ada.obi@acme.example", "org_admin", "--organisation", "acme")
    assert "Created the account ada.obi@acme.example." in out
    assert "is now org_admin of Acme Health" in out
    assert "Forgot your password?" in out and "authenticator" in out
    user = User.objects.get(email="ada.obi@acme.example")
    assert not user.has_usable_password()
    assert user.display_name == "Ada Obi"
    assert Person.objects.get(employee_id="E1").user == user  # linked to their directory entry
    assert RoleGrant.objects.filter(
        user=user, role=Role.ORG_ADMIN, organisation=organisation
    ).exists()
    # The password-reset page emails them a link; following it sets their first password.
    client.post(reverse("account_reset_password"), {"email": "ada.obi@acme.example"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/password/reset/key/[^\s]+", mail.outbox[0].body)
    assert link is not None, mail.outbox[0].body
    page = client.get(link.group(0), follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link.group(0)
    done = client.post(
        form_url, {"password1": "a-long-new-passphrase", "password2": "a-long-new-passphrase"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-long-new-passphrase")
    # Signing in, they are sent to set up an authenticator before anything else.
    client.post(
        reverse("account_login"),
        {"login": "ada.obi@acme.example", "password": "a-long-new-passphrase"},
    )
    assert client.get(reverse("core:dashboard"))["Location"].startswith(reverse("mfa_index"))


def test_granting_again_changes_nothing_and_revoking_takes_it_away(
    organisation: Organisation,
) -> None:
    grant("ada.obi@acme.example", "coordinator", "--organisation", "acme")
    again = grant("ada.obi@acme.example", "coordinator", "--organisation", "acme")
    assert "already was coordinator" in again and "Created" not in again
    assert RoleGrant.objects.count() == 1 and User.objects.count() == 1
    out = grant("ada.obi@acme.example", "coordinator", "--organisation", "acme", "--revoke")
    assert "no longer coordinator" in out
    assert not RoleGrant.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ada@acme.example", "org_admin", "--organisation", "nowhere"], "No organisation"),
        (["ada@acme.example", "owner", "--organisation", "acme"], "No role 'owner'"),
        (["not-an-email", "coordinator", "--organisation", "acme"], "is not an email address"),
        (["ada@acme.example", "participant", "--organisation", "acme"], "not a role within"),
        (["ada@acme.example", "org_admin", "--programme", "p"], "not a role within"),
        (["ada@acme.example", "sponsor", "--organisation", "acme", "--revoke"], "Nobody has"),
    ],
)
def test_bad_requests_say_why_and_change_nothing(
    organisation: Organisation, args: list[str], message: str
) -> None:
    Programme.objects.create(name="Pilot", slug="p")
    with pytest.raises(CommandError, match=message):
        grant(*args)
    assert not User.objects.exists() and not RoleGrant.objects.exists()


def test_a_programme_keeps_its_last_coordinator(organisation: Organisation) -> None:
    programme = Programme.objects.create(name="Pilot", slug="p")
    grant("ada.obi@acme.example", "coordinator", "--programme", "p")
    with pytest.raises(CommandError, match="at least one coordinator"):
        grant("ada.obi@acme.example", "coordinator", "--programme", "p", "--revoke")
    assert RoleGrant.objects.filter(programme=programme).count() == 1


def test_a_deactivated_account_is_not_given_a_role(organisation: Organisation) -> None:
    User.objects.create_user(email="gone@acme.example", is_active=False)
    with pytest.raises(CommandError, match="deactivated"):
        grant("gone@acme.example", "sponsor", "--organisation", "acme")
    assert not RoleGrant.objects.exists()


def test_the_grant_is_on_the_audit_record_with_the_command(organisation: Organisation) -> Any:
    grant("ada.obi@acme.example", "wellbeing_lead", "--organisation", "acme")
    record = RoleGrant.history.get()
    assert record.history_type == "+"
    assert record.history_where.startswith("command: ")
