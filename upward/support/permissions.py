"""Who may see and act on a concern: the one place that answers it.

A concern is seen by whoever raised it, whoever handles it, and the wellbeing lead it was
escalated to when it went overdue; nobody else (not the other person of the pair, not the
programme's other staff, not an administrator).
"""

from __future__ import annotations

from typing import Any

from upward.accounts.models import Role
from upward.accounts.permissions import coordinator_organisation_ids, programme_ids_with_role

from .models import Concern

HANDLER_ROLES = (Role.COORDINATOR, Role.WELLBEING_LEAD)


def may_handle_anywhere(user: Any) -> bool:
    """Holds a role that concerns can be routed to (for the inbox menu entry)."""
    return any(programme_ids_with_role(user, role) for role in HANDLER_ROLES)


def can_see_concern(user: Any, concern: Concern) -> bool:
    uid = getattr(user, "pk", None)
    if uid is None:
        return False
    return uid in (concern.raiser_id, concern.handler_id, concern.escalated_to_id)


def is_raiser(user: Any, concern: Concern) -> bool:
    return getattr(user, "pk", None) == concern.raiser_id


def is_handler(user: Any, concern: Concern) -> bool:
    """The handler, or the wellbeing lead it was escalated to: both may answer and close."""
    uid = getattr(user, "pk", None)
    return uid is not None and uid in (concern.handler_id, concern.escalated_to_id)


def can_manage_resources(user: Any, programme: Any) -> bool:
    """The programme's coordinators and wellbeing leads maintain its wellbeing resources."""
    if getattr(user, "is_superuser", False):
        return True
    return any(programme.pk in programme_ids_with_role(user, role) for role in HANDLER_ROLES)


def can_manage_organisation_resources(user: Any, organisation_id: int) -> bool:
    """Resources for a whole organisation: coordinators who may set up its programmes."""
    if getattr(user, "is_superuser", False):
        return True
    return organisation_id in coordinator_organisation_ids(user)
