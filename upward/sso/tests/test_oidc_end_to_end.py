"""Single sign-on end to end against a real OpenID Connect provider on 127.0.0.1."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.core import mail
from django.test import Client
from django.urls import reverse

from personas import PASSWORD, grant, make_user
from upward.accounts.models import Role, User
from upward.directory.models import Organisation, Person

from .conftest import (
    EMPLOYEE_ID,
    IDENTITIES,
    Provider,
    TamperingProxy,
    authorise,
    begin,
    configure,
    sign_in,
    signed_in_user_id,
)


def _person(organisation: Organisation, index: int) -> Person:
    person = Person.objects.filter(organisation=organisation, user__isnull=True).order_by("pk")[
        index
    ]
    return person


@pytest.fixture
def ada(org_a: Organisation) -> User:
    return make_user(IDENTITIES["ada"]["email"], person=_person(org_a, 0))


@pytest.fixture
def bram(org_a: Organisation) -> User:
    person = _person(org_a, 1)
    person.employee_id = EMPLOYEE_ID
    person.save(update_fields=["employee_id"])
    return make_user("bram.work@northwind.example", person=person)


@pytest.fixture
def cleo(org_a: Organisation) -> User:
    return make_user(IDENTITIES["cleo"]["email"], person=_person(org_a, 2))


@pytest.fixture
def finn(org_a: Organisation) -> User:
    """An organisation admin of A who is also a person of A's directory, with an authenticator."""
    user = make_user(IDENTITIES["finn"]["email"], person=_person(org_a, 3), totp=True)
    grant(user, Role.ORG_ADMIN, organisation=org_a)
    return user


@pytest.fixture
def sso(org_a: Organisation, oidc_provider: Provider, org_admin: User) -> Any:
    return configure(org_a, oidc_provider, org_admin)


def test_first_sign_in_is_linked_by_verified_email_and_the_identity_returns(
    sso: Any, ada: User, oidc_provider: Provider
) -> None:
    client = Client()
    response = sign_in(client, oidc_provider, "ada", ada.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    assert signed_in_user_id(client) == str(ada.pk)
    account = SocialAccount.objects.get(user=ada)
    assert account.provider == "org-northwind"
    assert client.get(reverse("core:dashboard")).status_code == 200

    # The second time the identity itself is known: a changed email here does not matter.
    User.objects.filter(pk=ada.pk).update(email="ada.renamed@northwind.example")
    again = Client()
    response = sign_in(again, oidc_provider, "ada", "someone@northwind.example")
    assert signed_in_user_id(again) == str(ada.pk)
    assert SocialAccount.objects.filter(user=ada).count() == 1


def test_first_sign_in_is_linked_by_employee_id(
    sso: Any, bram: User, oidc_provider: Provider
) -> None:
    client = Client()
    sign_in(client, oidc_provider, "bram", bram.email)
    assert signed_in_user_id(client) == str(bram.pk)
    assert SocialAccount.objects.get(user=bram).provider == "org-northwind"


def test_employee_id_is_not_used_when_the_organisation_does_not_say_so(
    org_a: Organisation, oidc_provider: Provider, org_admin: User, bram: User
) -> None:
    configure(org_a, oidc_provider, org_admin, employee_id_claim="")
    client = Client()
    response = sign_in(client, oidc_provider, "bram", bram.email)
    assert response.status_code == 403
    assert signed_in_user_id(client) is None


def test_an_unverified_email_is_not_linked(sso: Any, cleo: User, oidc_provider: Provider) -> None:
    client = Client()
    response = sign_in(client, oidc_provider, "cleo", cleo.email)
    assert response.status_code == 403
    assert "nobody in Northwind Group" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert not SocialAccount.objects.exists()


def test_an_unknown_identity_is_refused_and_nobody_is_created(
    sso: Any, oidc_provider: Provider
) -> None:
    users = User.objects.count()
    client = Client()
    response = sign_in(client, oidc_provider, "dara", "nobody.here@northwind.example")
    assert response.status_code == 403
    assert "to add you to the directory" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert User.objects.count() == users
    assert not SocialAccount.objects.exists()


def test_a_person_of_another_organisation_is_not_linked(
    sso: Any, org_b: Organisation, oidc_provider: Provider
) -> None:
    eve = make_user(IDENTITIES["eve"]["email"], person=_person(org_b, 0))
    client = Client()
    response = sign_in(client, oidc_provider, "eve", "someone@northwind.example")
    assert response.status_code == 403
    assert signed_in_user_id(client) is None
    assert not SocialAccount.objects.filter(user=eve).exists()


def test_sso_required_refuses_password_sign_in_and_reset_but_sso_works(
    org_a: Organisation, oidc_provider: Provider, org_admin: User, ada: User
) -> None:
    client = Client()
    # Before the rule, the password works.
    assert (
        client.post("/accounts/login/", {"login": ada.email, "password": PASSWORD}).status_code
        == 302
    )
    assert signed_in_user_id(client) == str(ada.pk)

    configure(org_a, oidc_provider, org_admin, require_sso=True)
    client = Client()
    response = client.post("/accounts/login/", {"login": ada.email, "password": PASSWORD})
    assert response.status_code == 403
    assert (
        "requires its people to sign in through its identity provider" in response.content.decode()
    )
    assert signed_in_user_id(client) is None

    # Password reset: the organisation's addresses are told at once; nobody gets a link.
    response = client.post("/accounts/password/reset/", {"email": ada.email})
    assert response.status_code == 200
    assert "no password to reset here" in response.content.decode()
    assert mail.outbox == []
    # An account of the organisation under another address gets an email saying why, no link.
    User.objects.filter(pk=ada.pk).update(email="ada@elsewhere.example")
    response = client.post("/accounts/password/reset/", {"email": "ada@elsewhere.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "no password to reset here" in mail.outbox[0].body
    assert "/accounts/password/reset/key/" not in mail.outbox[0].body
    User.objects.filter(pk=ada.pk).update(email=IDENTITIES["ada"]["email"])

    # Single sign-on still signs the person in.
    sign_in(client, oidc_provider, "ada", IDENTITIES["ada"]["email"])
    assert signed_in_user_id(client) == str(ada.pk)


def test_sso_required_leaves_other_organisations_alone(
    org_a: Organisation, oidc_provider: Provider, org_admin: User, outsider: User
) -> None:
    configure(org_a, oidc_provider, org_admin, require_sso=True)
    client = Client()
    response = client.post("/accounts/login/", {"login": outsider.email, "password": PASSWORD})
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(outsider.pk)


# --- malformed and forged answers ----------------------------------------------------------


def test_a_callback_with_a_forged_state_signs_nobody_in(
    sso: Any, ada: User, oidc_provider: Provider
) -> None:
    client = Client()
    callback = authorise(oidc_provider.browser("ada"), begin(client, ada.email))
    path, _, query = callback.partition("?")
    params = dict(part.split("=", 1) for part in query.split("&"))
    response = client.get(path, {"code": params["code"], "state": "forged-state"})
    assert response.status_code == 401
    assert "could not be checked, so nobody was signed in" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert not SocialAccount.objects.exists()


def test_a_callback_with_a_forged_code_signs_nobody_in(
    sso: Any, ada: User, oidc_provider: Provider
) -> None:
    client = Client()
    callback = authorise(oidc_provider.browser("ada"), begin(client, ada.email))
    path, _, query = callback.partition("?")
    params = dict(part.split("=", 1) for part in query.split("&"))
    response = client.get(path, {"code": "forged-code", "state": params["state"]})
    assert "could not be checked, so nobody was signed in" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_a_callback_without_a_code_signs_nobody_in(sso: Any, ada: User) -> None:
    client = Client()
    begin(client, ada.email)
    response = client.get("/accounts/oidc/org-northwind/login/callback/", {"error": "server_error"})
    assert "nobody was signed in" in response.content.decode()
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"aud": "another-client"}, id="minted for another client"),
        pytest.param({"iss": "https://evil.example"}, id="from another issuer"),
        pytest.param({"exp": 1_000_000_000}, id="expired"),
        # Claims that keep audience, issuer and expiry: only the signature gives it away.
        pytest.param({"sub": "999", "email": "bram@personal.example"}, id="another person"),
        pytest.param({"email_verified": True, "nickname": "x"}, id="an extra claim"),
    ],
)
def test_a_tampered_id_token_signs_nobody_in(
    org_a: Organisation,
    oidc_provider: Provider,
    org_admin: User,
    ada: User,
    tampering_proxy: TamperingProxy,
    change: dict[str, Any],
) -> None:
    """The token endpoint's answer is changed on the way: the id token no longer checks out
    against the provider's keys, audience, issuer or expiry, so the sign-in is refused."""
    configure(org_a, oidc_provider, org_admin)
    app = SocialApp.objects.get(provider_id="org-northwind")
    app.settings["openid_configuration_overrides"] = {"token_endpoint": tampering_proxy.url}
    app.save(update_fields=["settings"])

    # Passed on unchanged, the answer signs the person in: the proxy itself is harmless.
    client = Client()
    sign_in(client, oidc_provider, "ada", ada.email)
    assert signed_in_user_id(client) == str(ada.pk)
    SocialAccount.objects.all().delete()

    tampering_proxy.change.update(change)
    client = Client()
    response = sign_in(client, oidc_provider, "ada", ada.email)
    assert "could not be checked, so nobody was signed in" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert not SocialAccount.objects.exists()


def test_an_unreachable_provider_gets_a_clear_message(
    org_a: Organisation, oidc_provider: Provider, org_admin: User, ada: User
) -> None:
    configure(org_a, oidc_provider, org_admin, oidc_server_url="http://127.0.0.1:9/o")
    response = Client().post("/sso/", {"email": ada.email})
    assert response.status_code == 502
    assert "could not be reached" in response.content.decode()


# --- the second factor ----------------------------------------------------------------------


def test_privileged_sso_sign_in_still_asks_for_the_authenticator_by_default(
    sso: Any, finn: User, oidc_provider: Provider
) -> None:
    client = Client()
    response = sign_in(client, oidc_provider, "finn", finn.email)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_user_id(client) is None


def test_the_identity_provider_vouches_for_the_second_factor_when_the_organisation_says_so(
    org_a: Organisation, oidc_provider: Provider, org_admin: User, finn: User
) -> None:
    configure(org_a, oidc_provider, org_admin, idp_handles_mfa=True)
    client = Client()
    response = sign_in(client, oidc_provider, "finn", finn.email)
    assert response.status_code == 302
    assert response["Location"] != "/accounts/2fa/authenticate/"
    assert signed_in_user_id(client) == str(finn.pk)
    # A privileged page answers: the middleware accepts the identity provider's sign-in.
    assert client.get(f"/organisations/{org_a.slug}/people/").status_code == 200

    # The same person with a password is still asked for the authenticator.
    password_client = Client()
    response = password_client.post("/accounts/login/", {"login": finn.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_user_id(password_client) is None


def test_a_privileged_person_without_authenticator_is_not_sent_to_set_one_up_after_a_vouched_sso(
    org_a: Organisation, oidc_provider: Provider, org_admin: User
) -> None:
    configure(org_a, oidc_provider, org_admin, idp_handles_mfa=True)
    user = make_user(IDENTITIES["finn"]["email"], person=_person(org_a, 3))
    grant(user, Role.ORG_ADMIN, organisation=org_a)
    client = Client()
    sign_in(client, oidc_provider, "finn", user.email)
    assert client.get(f"/organisations/{org_a.slug}/people/").status_code == 200
    # Without the organisation's word, the same session must set up an authenticator.
    configure(org_a, oidc_provider, org_admin, idp_handles_mfa=False)
    response = client.get(f"/organisations/{org_a.slug}/people/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_the_organisations_own_sign_in_link_works_for_an_address_of_another_domain(
    sso: Any, bram: User, oidc_provider: Provider
) -> None:
    client = Client()
    assert client.get("/sso/northwind/").status_code == 200
    response = client.post("/sso/northwind/")
    assert response.status_code == 302
    client_callback = authorise(oidc_provider.browser("bram"), str(response["Location"]))
    client.get(client_callback)
    assert signed_in_user_id(client) == str(bram.pk)


def test_a_linked_identity_whose_person_left_the_directory_is_refused(
    sso: Any, ada: User, oidc_provider: Provider
) -> None:
    sign_in(Client(), oidc_provider, "ada", ada.email)
    Person.objects.filter(user=ada).update(active=False)
    client = Client()
    response = sign_in(client, oidc_provider, "ada", ada.email)
    assert response.status_code == 403
    assert "no longer linked" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_requiring_sso_ends_the_password_sessions_of_the_organisations_people(
    org_a: Organisation,
    oidc_provider: Provider,
    org_admin: User,
    ada: User,
    bram: User,
    outsider: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    configure(org_a, oidc_provider, org_admin)
    with_password = Client()
    with_password.post("/accounts/login/", {"login": ada.email, "password": PASSWORD})
    through_sso = Client()
    sign_in(through_sso, oidc_provider, "bram", bram.email)
    elsewhere = Client()
    elsewhere.post("/accounts/login/", {"login": outsider.email, "password": PASSWORD})
    dashboard = reverse("core:dashboard")
    assert all(c.get(dashboard).status_code == 200 for c in (with_password, through_sso, elsewhere))

    with django_capture_on_commit_callbacks(execute=True):
        configure(org_a, oidc_provider, org_admin, require_sso=True)

    response = with_password.get(dashboard)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert through_sso.get(dashboard).status_code == 200
    assert elsewhere.get(dashboard).status_code == 200
