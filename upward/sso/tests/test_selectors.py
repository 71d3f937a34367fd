"""Whose sign-in the identity provider vouches for: only the organisation's own people, only
when the organisation says so, only through its own provider."""

from __future__ import annotations

from typing import Any

from personas import make_user
from upward.directory.models import Organisation, Person
from upward.sso import services
from upward.sso.selectors import idp_vouches_for_login, password_refused_by


def _configure(organisation: Organisation, by: Any, **changes: Any) -> None:
    values: dict[str, Any] = {
        "enabled": True,
        "protocol": "oidc",
        "oidc_server_url": "https://login.example.com",
        "oidc_client_id": "upward",
        "oidc_client_secret": "secret-secret",
    }
    values.update(changes)
    services.sso_configure(
        organisation=organisation,
        data=services.SsoInput(**values),
        expected_version=services.setting_for(organisation).version,
        by=by,
    )


def test_vouching_needs_the_organisations_word_its_provider_and_its_person(
    org_a: Organisation, org_b: Organisation, org_admin: Any
) -> None:
    person = Person.objects.filter(organisation=org_a).first()
    other = Person.objects.filter(organisation=org_b).first()
    assert person is not None and other is not None
    insider = make_user("insider@northwind.example", person=person)
    outsider = make_user("outsider@riverside.example", person=other)
    staff = make_user("staff@upward.test")
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])

    _configure(org_a, org_admin)
    assert not idp_vouches_for_login("org-northwind", insider)
    _configure(org_a, org_admin, idp_handles_mfa=True)
    assert idp_vouches_for_login("org-northwind", insider)
    assert not idp_vouches_for_login("org-northwind", outsider)
    assert not idp_vouches_for_login("org-northwind", staff)
    assert not idp_vouches_for_login("org-riverside", insider)
    assert not idp_vouches_for_login("google", insider)
    _configure(org_a, org_admin, enabled=False)
    assert not idp_vouches_for_login("org-northwind", insider)


def test_only_the_organisations_people_lose_the_password(
    org_a: Organisation, org_b: Organisation, org_admin: Any
) -> None:
    person = Person.objects.filter(organisation=org_a).first()
    other = Person.objects.filter(organisation=org_b).first()
    assert person is not None and other is not None
    insider = make_user("insider@northwind.example", person=person)
    outsider = make_user("outsider@riverside.example", person=other)
    _configure(org_a, org_admin)
    assert password_refused_by(insider) is None
    _configure(org_a, org_admin, require_sso=True)
    assert password_refused_by(insider) is not None
    assert password_refused_by(outsider) is None
    assert password_refused_by(make_user("nobody@upward.test")) is None
