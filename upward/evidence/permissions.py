"""Who may see the results of a campaign, and at what level: the one place that answers it.

- a coordinator of the programme: every segment the anonymity engine releases;
- a sponsor of the programme: the programme level only (the whole campaign, by stage);
- an organisation admin of one of the audience's organisations: that organisation's segments;
- anyone else, leaders and mentors included: nothing. Nobody ever sees one person's answers.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from upward.accounts.models import Role
from upward.accounts.permissions import (
    administered_organisation_ids,
    can_coordinate,
    programme_ids_with_role,
)
from upward.programmes.models import Programme


class Level(StrEnum):
    ALL = "all"
    PROGRAMME = "programme"
    ORGANISATION = "organisation"


def results_level(user: Any, programme: Programme) -> tuple[Level, set[int]] | None:
    """The level of results ``user`` may see for ``programme``, with the organisations for an
    organisation admin; None when they may see none."""
    if can_coordinate(user, programme):
        return Level.ALL, set()
    if programme.pk in programme_ids_with_role(user, Role.SPONSOR):
        return Level.PROGRAMME, set()
    orgs = administered_organisation_ids(user) & set(
        programme.organisations.values_list("pk", flat=True)
    )
    if orgs:
        return Level.ORGANISATION, orgs
    return None


def can_read_alerts(user: Any, programme: Programme) -> bool:
    """Safeguarding alerts go to the programme's wellbeing leads, and to nobody else."""
    return programme.pk in programme_ids_with_role(user, Role.WELLBEING_LEAD)
