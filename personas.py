"""Test personas, each with a fixed story (fixtures in conftest.py).

Organisation A (Northwind) runs programme A; organisation B (Riverside) runs programme B.

- ``coordinator``: coordinates programme A (and may set up programmes for organisation A).
- ``coordinator_b``: coordinates programme B only.
- ``org_admin`` / ``org_admin_b``: keep the directory of organisation A / B.
- ``leader``: a senior executive of A; ``mentor``: a junior colleague of A.
- ``sponsor`` and ``wellbeing_lead`` of programme A.
- ``outsider``: someone from organisation B with no role at all.

Privileged personas have an authenticator, as the MFA rule requires.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from upward.accounts.models import Role, RoleGrant, User
from upward.directory.models import Organisation, Person
from upward.directory.services import directory_import_apply
from upward.directory.synthetic import generate_people, to_csv_bytes
from upward.programmes.models import Programme

PASSWORD = "a-long-test-password-42"


def make_organisation(name: str, slug: str, size: int = 60, seed: int = 3) -> Organisation:
    organisation = Organisation.objects.create(name=name, slug=slug, email_domain=f"{slug}.example")
    rows = generate_people(size, seed=seed, domain=f"{slug}.example", prefix=slug[:2].upper())
    directory_import_apply(
        organisation=organisation, filename="people.csv", data=to_csv_bytes(rows)
    )
    return organisation


def make_user(email: str, *, person: Person | None = None, totp: bool = False) -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, display_name=email.split("@")[0]
    )
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    if totp:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        user.totp_secret = secret  # type: ignore[attr-defined]
    return user


def grant(user: User, role: str, **scope: Any) -> RoleGrant:
    return RoleGrant.objects.create(user=user, role=role, **scope)


@pytest.fixture
def org_a(db: Any) -> Organisation:
    return make_organisation("Northwind Group", "northwind", seed=3)


@pytest.fixture
def org_b(db: Any) -> Organisation:
    return make_organisation("Riverside Council", "riverside", size=50, seed=5)


@pytest.fixture
def programme_a(org_a: Organisation) -> Programme:
    programme = Programme.objects.create(name="Reverse Mentoring A", slug="programme-a")
    programme.organisations.add(org_a)
    return programme


@pytest.fixture
def programme_b(org_b: Organisation) -> Programme:
    programme = Programme.objects.create(name="Reverse Mentoring B", slug="programme-b")
    programme.organisations.add(org_b)
    return programme


@pytest.fixture
def coordinator(programme_a: Programme, org_a: Organisation) -> User:
    user = make_user("coordinator@upward.test", totp=True)
    grant(user, Role.COORDINATOR, programme=programme_a)
    grant(user, Role.COORDINATOR, organisation=org_a)
    return user


@pytest.fixture
def coordinator_b(programme_b: Programme) -> User:
    user = make_user("coordinator-b@upward.test", totp=True)
    grant(user, Role.COORDINATOR, programme=programme_b)
    return user


@pytest.fixture
def org_admin(org_a: Organisation) -> User:
    user = make_user("admin-a@upward.test", totp=True)
    grant(user, Role.ORG_ADMIN, organisation=org_a)
    return user


@pytest.fixture
def org_admin_b(org_b: Organisation) -> User:
    user = make_user("admin-b@upward.test", totp=True)
    grant(user, Role.ORG_ADMIN, organisation=org_b)
    return user


@pytest.fixture
def leader(org_a: Organisation) -> User:
    # The most senior person below the chief executive.
    person = (
        Person.objects.filter(organisation=org_a, manager__isnull=False)
        .order_by("-grade_level", "employee_id")
        .first()
    )
    assert person is not None
    return make_user("leader@upward.test", person=person)


@pytest.fixture
def mentor(org_a: Organisation) -> User:
    person = (
        Person.objects.filter(organisation=org_a).order_by("grade_level", "employee_id").first()
    )
    assert person is not None
    return make_user("mentor@upward.test", person=person)


@pytest.fixture
def sponsor(programme_a: Programme) -> User:
    user = make_user("sponsor@upward.test")
    grant(user, Role.SPONSOR, programme=programme_a)
    return user


@pytest.fixture
def wellbeing_lead(programme_a: Programme) -> User:
    user = make_user("wellbeing@upward.test")
    grant(user, Role.WELLBEING_LEAD, programme=programme_a)
    return user


@pytest.fixture
def outsider(org_b: Organisation) -> User:
    person = Person.objects.filter(organisation=org_b).order_by("-grade_level", "employee_id")[3]
    return make_user("outsider@upward.test", person=person)


def production_environment(data_dir: Path) -> dict[str, str]:
    """An environment in which ``upward.settings.production`` starts: real-looking secrets, a
    SQLite file in ``data_dir`` (allowed by UPWARD_SINGLE_PROCESS, as for a one-machine test),
    an SMTP host name (nothing is sent by the tests that use it)."""
    from cryptography.fernet import Fernet

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "UPWARD_", "EMAIL_"))
        and k not in {"DEBUG", "DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "upward.settings.production",
            "UPWARD_DATA_DIR": str(data_dir),
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "upward.example.org",
            "DATABASE_URL": f"sqlite:///{data_dir}/prod.sqlite3",
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "FIELD_HASH_KEY": secrets.token_urlsafe(40),
            "EMAIL_HOST": "smtp.example.org",
            "UPWARD_SINGLE_PROCESS": "1",
        }
    )
    return env


@pytest.fixture(autouse=True)
def force_login_passes_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """``Client.force_login`` stands for a finished sign-in, second factor included.

    A privileged session must have passed the authenticator (RequireMfaForPrivilegedRoles);
    tests that sign in for real, or with a password alone, use ``Client.login`` or the
    sign-in pages instead.
    """
    import time

    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.account.internal.userkit import user_id_to_str
    from django.test import Client

    original = Client.force_login

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        session = self.session
        now = time.time()
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": now, "email": user.email},
            {"method": "mfa", "at": now, "type": "totp"},
        ]
        session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
