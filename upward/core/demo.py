"""The demo: a seeded organisation, a programme and one sign-in per role.

Seeding is idempotent: running it again finds what is there and adds only what is missing.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.db import transaction

from upward.accounts.models import Role, RoleGrant, User
from upward.directory.models import Organisation, Person
from upward.directory.selectors import reporting_chain_above
from upward.directory.services import directory_import_apply
from upward.directory.synthetic import generate_people, to_csv_bytes
from upward.programmes.models import Programme


@dataclass
class DemoLogin:
    role: str
    email: str
    description: str
    mfa: bool


# Extra seeding steps registered by other apps; each takes the DemoContext.
_SEEDERS: list[Callable[[DemoContext], None]] = []


def register_seeder(func: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
    if func not in _SEEDERS:
        _SEEDERS.append(func)
    return func


@dataclass
class DemoContext:
    organisation: Organisation
    partner: Organisation
    programme: Programme
    users: dict[str, User]
    size: int
    # The second programme, still in sourcing (set by the programmes' seeder).
    sourcing: Programme | None = None


def demo_password() -> str:
    """A password for the demo accounts, made once per installation and kept locally."""
    path = settings.DATA_DIR / "demo_password"
    if not path.exists():
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text("upward-" + secrets.token_urlsafe(9))
        path.chmod(0o600)
    return path.read_text().strip()


def _organisation(
    name: str, slug: str, domain: str, size: int, seed: int, prefix: str
) -> Organisation:
    organisation, created = Organisation.objects.get_or_create(
        slug=slug, defaults={"name": name, "email_domain": domain}
    )
    if created or not organisation.people.exists():
        rows = generate_people(size, seed=seed, domain=domain, prefix=prefix)
        directory_import_apply(
            organisation=organisation, filename="demo.csv", data=to_csv_bytes(rows)
        )
    return organisation


def _user(email: str, name: str, password: str, person: Person | None = None) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, display_name=name)
    elif not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    if person is not None and person.user_id is None and not hasattr(user, "person"):
        person.user = user
        person.save(update_fields=["user"])
    return user


def _grant(
    user: User,
    role: str,
    *,
    organisation: Organisation | None = None,
    programme: Programme | None = None,
) -> None:
    RoleGrant.objects.get_or_create(
        user=user, role=role, organisation=organisation, programme=programme
    )


def ensure_totp(user: User) -> str:
    """Give a demo account an authenticator secret (printed, so a phone app can add it)."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        return str(get_adapter().decrypt(existing.data["secret"]))
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def seed_demo(*, size: int = 2000) -> tuple[list[DemoLogin], dict[str, str]]:
    """Create (or complete) the demo data. Returns the logins and the TOTP secrets."""
    password = demo_password()
    domain = settings.UPWARD_DEMO_DOMAIN
    with transaction.atomic():
        northwind = _organisation(
            "Northwind Group", "northwind", "northwind.example", size, seed=7, prefix="NW"
        )
        riverside = _organisation(
            "Riverside Council", "riverside", "riverside.example", 200, seed=11, prefix="RC"
        )
        programme, _ = Programme.objects.get_or_create(
            slug="reverse-mentoring-2027",
            defaults={
                "name": "Reverse Mentoring 2027",
                "kind": Programme.Kind.REVERSE,
            },
        )
        programme.organisations.add(northwind)

        junior = (
            Person.objects.filter(organisation=northwind, grade_level__lte=2, user__isnull=True)
            .order_by("employee_id")
            .first()
        )
        # The demo leader is a senior leader outside the demo mentor's reporting line and
        # department, so the matching rules let the two be each other's partner.
        above = [p.pk for p in reporting_chain_above(junior)] if junior else []
        senior = (
            Person.objects.filter(organisation=northwind, manager__isnull=False, user__isnull=True)
            .exclude(pk__in=above)
            .exclude(department=junior.department if junior else "")
            .order_by("-grade_level", "employee_id")
            .first()
        )
        users = {
            "coordinator": _user(f"coordinator@{domain}", "Corin Adeyemi", password),
            "org_admin": _user(f"admin@{domain}", "Alex Morgan", password),
            "sponsor": _user(f"sponsor@{domain}", "Sam Okafor", password),
            "wellbeing_lead": _user(f"wellbeing@{domain}", "Wren Castillo", password),
            "leader": _user(
                f"leader@{domain}", senior.name if senior else "Lee Leader", password, senior
            ),
            "mentor": _user(
                f"mentor@{domain}", junior.name if junior else "Mo Mentor", password, junior
            ),
            "other_admin": _user(f"riverside-admin@{domain}", "Rowan Patel", password),
        }
        _grant(users["coordinator"], Role.COORDINATOR, programme=programme)
        _grant(users["coordinator"], Role.COORDINATOR, organisation=northwind)
        _grant(users["org_admin"], Role.ORG_ADMIN, organisation=northwind)
        _grant(users["sponsor"], Role.SPONSOR, programme=programme)
        _grant(users["wellbeing_lead"], Role.WELLBEING_LEAD, programme=programme)
        _grant(users["other_admin"], Role.ORG_ADMIN, organisation=riverside)
        secrets_by_email = {
            users[key].email: ensure_totp(users[key])
            for key in ("coordinator", "org_admin", "other_admin")
        }
        context = DemoContext(northwind, riverside, programme, users, size)
        for seeder in _SEEDERS:
            seeder(context)

    logins = [
        DemoLogin("Coordinator", users["coordinator"].email, "runs the programme", True),
        DemoLogin("Org admin", users["org_admin"].email, "keeps Northwind's directory", True),
        DemoLogin("Sponsor", users["sponsor"].email, "sees programme-level results", False),
        DemoLogin("Wellbeing lead", users["wellbeing_lead"].email, "receives concerns", False),
        DemoLogin(
            "Leader", users["leader"].email, "a senior leader, matched with the mentor", False
        ),
        DemoLogin(
            "Mentor", users["mentor"].email, "a junior colleague, matched with the leader", False
        ),
        DemoLogin(
            "Other org admin", users["other_admin"].email, "admin of Riverside Council", True
        ),
    ]
    return logins, secrets_by_email


def current_totp_code(secret: str) -> str:
    """The code an authenticator app shows now for this secret."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))
