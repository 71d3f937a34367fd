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
from django.db import models, transaction

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


# --- appointments by an organisation's admin, from the roles page and the API -----------------

# The roles an organisation's admin gives and takes away (organisation admins are appointed by
# an operator with ``upward grant-role``).
APPOINTABLE_ROLES = (Role.COORDINATOR, Role.SPONSOR, Role.WELLBEING_LEAD)

# What each role lets its holder see and do, told to the person appointed.
ROLE_WORDS: dict[str, str] = {
    Role.COORDINATOR: (
        "You can set up and run the programme: readiness, invitations, screening "
        "applications, matching, and following every pair. You see participants' applications "
        "and matches, so your account must use two-factor authentication: you set it up the "
        "first time you sign in."
    ),
    Role.SPONSOR: (
        "You can see the programme's overall figures and results as it runs. You never see an "
        "individual's application, answers or match."
    ),
    Role.WELLBEING_LEAD: (
        "Participants' concerns can be routed to you in confidence. You see those concerns and "
        "nothing else: no applications, answers or matches."
    ),
}


def _appointment_scope(
    by: Any, organisation: Organisation, programme: Any, role: str
) -> tuple[Organisation | None, Any]:
    if not permissions.can_admin_organisation(by, organisation):
        raise GrantRefused(f"Only an admin of {organisation.name} can appoint people there.")
    if role not in APPOINTABLE_ROLES:
        names = ", ".join(str(r.label).lower() for r in APPOINTABLE_ROLES)
        raise GrantRefused(f"From this page you can appoint a {names}.")
    if programme is not None and not programme.organisations.filter(pk=organisation.pk).exists():
        raise GrantRefused(f"{programme.name} does not involve {organisation.name}.")
    return (None, programme) if programme is not None else (organisation, None)


def _appointment_email(outcome: GrantOutcome, role: str, scope: str, base_url: str) -> None:
    from upward.notifications.services import notify

    notify(
        to=outcome.user,
        event="account_appointed",
        subject=f"You are now {Role(role).label.lower()} for {scope}",
        context={
            "name": outcome.user.display_name or outcome.user.email,
            "role": Role(role).label.lower(),
            "scope": scope,
            "what": ROLE_WORDS[role],
            "needs_password": outcome.needs_password,
            "base_url": base_url.rstrip("/"),
        },
        base_url=base_url,
    )


def role_appoint(
    *,
    by: Any,
    organisation: Organisation,
    email: str,
    role: str,
    programme: Any = None,
    name: str = "",
    base_url: str = "",
) -> GrantOutcome:
    """An organisation's admin appoints a coordinator, sponsor or wellbeing lead for the
    organisation or one of its programmes, through :func:`role_grant` (the same refusals and
    audit as ``upward grant-role``). The person appointed is told by email what the role lets
    them see and do."""
    scope_org, scope_programme = _appointment_scope(by, organisation, programme, role)
    with transaction.atomic():
        outcome = role_grant(
            email=email,
            role=role,
            organisation=scope_org,
            programme=scope_programme,
            name=name,
            by=by,
        )
        if not outcome.grant_changed:
            raise GrantRefused(
                f"{outcome.user.email} is already {Role(role).label.lower()} of the "
                f"{_scope_words(scope_org, scope_programme)}."
            )
        scope = scope_programme.name if scope_programme is not None else organisation.name
        transaction.on_commit(lambda: _appointment_email(outcome, role, scope, base_url))
    return outcome


def role_dismiss(*, by: Any, organisation: Organisation, grant_id: int) -> RoleGrant:
    """Take away a coordinator's, sponsor's or wellbeing lead's role in the organisation or one
    of its programmes, through :func:`role_revoke` (a programme keeps one coordinator)."""
    grant = (
        RoleGrant.objects.filter(pk=grant_id, role__in=APPOINTABLE_ROLES)
        .filter(
            models.Q(organisation=organisation) | models.Q(programme__organisations=organisation)
        )
        .select_related("user", "programme", "organisation")
        .first()
    )
    if grant is None or not permissions.can_admin_organisation(by, organisation):
        raise GrantRefused("There is no such appointment in this organisation.")
    role_revoke(
        email=grant.user.email,
        role=grant.role,
        organisation=grant.organisation,
        programme=grant.programme,
    )
    return grant
