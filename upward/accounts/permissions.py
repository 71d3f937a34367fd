"""Who may see and do what: the one place that answers it for organisations and programmes.

Views and API endpoints ask these functions; templates never re-implement the rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from upward.core import navigation

from .models import PRIVILEGED_ROLES, Role, RoleGrant

if TYPE_CHECKING:
    from upward.directory.models import Organisation
    from upward.programmes.models import Programme


def _grants(user: Any) -> list[RoleGrant]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached: list[RoleGrant] | None = getattr(user, "_upward_grants", None)
    if cached is None and not navigation.has_read_facts(user):
        # The grants come back with the menu's facts, in one query (core.navigation).
        navigation.facts_of(user)
        cached = getattr(user, "_upward_grants", None)
    if cached is None:  # forgotten after a change in this request: read them again
        cached = list(RoleGrant.objects.filter(user=user))
        user._upward_grants = cached
    return cached


def forget_cached_grants(user: Any) -> None:
    if hasattr(user, "_upward_grants"):
        del user._upward_grants


def roles_of(user: Any) -> set[str]:
    return {g.role for g in _grants(user)}


def is_privileged(user: Any) -> bool:
    """Holds a role that sees other people's data (or the admin site), so MFA is required."""
    if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False):
        return True
    return any(g.role in PRIVILEGED_ROLES for g in _grants(user))


def administered_organisation_ids(user: Any) -> set[int]:
    return {
        g.organisation_id
        for g in _grants(user)
        if g.role == Role.ORG_ADMIN and g.organisation_id is not None
    }


def can_admin_organisation(user: Any, organisation: Organisation) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return organisation.pk in administered_organisation_ids(user)


def coordinator_organisation_ids(user: Any) -> set[int]:
    """Organisations in which the user may set up new programmes."""
    return {
        g.organisation_id
        for g in _grants(user)
        if g.role == Role.COORDINATOR and g.organisation_id is not None
    }


def programme_ids_with_role(user: Any, role: str) -> set[int]:
    return {g.programme_id for g in _grants(user) if g.role == role and g.programme_id}


def can_coordinate(user: Any, programme: Programme) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return programme.pk in programme_ids_with_role(user, Role.COORDINATOR)


def visible_organisations_q(user: Any) -> Q:
    """Filter for the organisations whose directory the user may browse."""
    if getattr(user, "is_superuser", False):
        return Q()
    return Q(pk__in=administered_organisation_ids(user))
