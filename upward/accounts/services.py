"""Giving and taking away roles: the one place a grant is written outside a programme's pages.

Used by ``upward grant-role``, which is how an operator gives a new installation its first
organisation admins and coordinators (everyone else gets their account through an invitation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from upward.directory.models import Organisation, Person

from . import permissions
from .models import PRIVILEGED_ROLES, Role, RoleGrant, User

# Roles held within an organisation, and within one programme.
ORGANISATION_ROLES = (Role.ORG_ADMIN, Role.COORDINATOR, Role.SPONSOR, Role.WELLBEING_LEAD)
PROGRAMME_ROLES = (Role.COORDINATOR, Role.SPONSOR, Role.WELLBEING_LEAD)


class GrantRefused(Exception):
    """The grant cannot be made or taken away; the message says why. Nothing changed."""


@dataclass(frozen=True)
class GrantOutcome:
    user: User
    grant_changed: bool
    account_created: bool
    needs_password: bool
    needs_authenticator: bool


def _scope_words(organisation: Organisation | None, programme: Any) -> str:
    return f"organisation {organisation.name}" if organisation else f"programme {programme.name}"


def _check(role: str, organisation: Organisation | None, programme: Any) -> Role:
    if (organisation is None) == (programme is None):
        raise GrantRefused("Give exactly one of an organisation or a programme.")
    try:
        chosen = Role(role)
    except ValueError:
        names = ", ".join(r.value for r in ORGANISATION_ROLES)
        raise GrantRefused(f"No role '{role}'. Roles: {names}.") from None
    allowed = ORGANISATION_ROLES if organisation is not None else PROGRAMME_ROLES
    if chosen not in allowed:
        where = "an organisation" if organisation is not None else "a programme"
        names = ", ".join(r.value for r in allowed)
        raise GrantRefused(f"'{chosen.value}' is not a role within {where}. Roles there: {names}.")
    return chosen


def role_grant(
    *,
    email: str,
    role: str,
    organisation: Organisation | None = None,
    programme: Any = None,
    name: str = "",
    by: Any = None,
) -> GrantOutcome:
    """Give ``email`` the role, creating their account (without a password) when they have none.

    Idempotent: granting a role someone already holds changes nothing.
    """
    chosen = _check(role, organisation, programme)
    address = email.strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise GrantRefused(f"'{email}' is not an email address.") from None
    with transaction.atomic():
        user = User.objects.filter(email__iexact=address).first()
        created = user is None
        if user is None:
            # Their directory entry, when exactly one not yet linked to an account has the address.
            people = list(Person.objects.filter(email__iexact=address, user__isnull=True)[:2])
            person = people[0] if len(people) == 1 else None
            display = name.strip() or (person.name if person else "")
            user = User.objects.create_user(email=address, password=None, display_name=display)
            if person is not None:
                person.user = user
                person.save(update_fields=["user"])
        elif not user.is_active:
            raise GrantRefused(
                f"The account {user.email} is deactivated; reactivate it before giving it a role."
            )
        _grant, made = RoleGrant.objects.get_or_create(
            user=user,
            role=chosen,
            organisation=organisation,
            programme=programme,
            defaults={"granted_by": by},
        )
        permissions.forget_cached_grants(user)
    return GrantOutcome(
        user=user,
        grant_changed=made,
        account_created=created,
        needs_password=not user.has_usable_password(),
        needs_authenticator=chosen in PRIVILEGED_ROLES and not is_mfa_enabled(user),
    )


def role_revoke(
    *,
    email: str,
    role: str,
    organisation: Organisation | None = None,
    programme: Any = None,
) -> User:
    """Take the role away. A programme keeps at least one coordinator."""
    chosen = _check(role, organisation, programme)
    user = User.objects.filter(email__iexact=email.strip()).first()
    scope = _scope_words(organisation, programme)
    if user is None:
        raise GrantRefused(f"Nobody has an account with the email address {email.strip()}.")
    with transaction.atomic():
        grants = RoleGrant.objects.select_for_update().filter(
            role=chosen, organisation=organisation, programme=programme
        )
        if not grants.filter(user=user).exists():
            raise GrantRefused(f"{user.email} is not {chosen.label.lower()} of the {scope}.")
        if programme is not None and chosen == Role.COORDINATOR and grants.count() == 1:
            raise GrantRefused("A programme needs at least one coordinator.")
        grants.filter(user=user).delete()
        permissions.forget_cached_grants(user)
    return user
