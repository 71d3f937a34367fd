"""What each person's home page shows, by the roles they hold."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from upward.accounts import permissions
from upward.accounts.models import Role
from upward.directory.models import Organisation
from upward.programmes.models import Programme
from upward.programmes.selectors import page_person_of


def dashboard_for(user: Any) -> dict[str, Any]:
    roles = permissions.roles_of(user)
    org_ids = permissions.administered_organisation_ids(user)
    organisations = (
        Organisation.objects.filter(pk__in=org_ids)
        .annotate(
            people_count=Count("people", filter=Q(people__active=True)),
        )
        .order_by("name")
    )
    coordinated = (
        Programme.objects.filter(pk__in=permissions.programme_ids_with_role(user, Role.COORDINATOR))
        .prefetch_related("organisations")
        .annotate(
            # What is waiting for the coordinator: applications to screen, replies to chase.
            to_screen=Count(
                "applications", filter=Q(applications__status="submitted"), distinct=True
            ),
            awaiting_replies=Count(
                "match_proposals", filter=Q(match_proposals__status="pending"), distinct=True
            ),
        )
    )
    # Programme-level figures only: a sponsor never sees an individual.
    sponsored = Programme.objects.filter(
        pk__in=permissions.programme_ids_with_role(user, Role.SPONSOR)
    ).annotate(
        applied=Count("applications", distinct=True),
        accepted=Count("applications", filter=Q(applications__status="accepted"), distinct=True),
        confirmed_pairs=Count(
            "match_proposals", filter=Q(match_proposals__status="confirmed"), distinct=True
        ),
    )
    wellbeing = Programme.objects.filter(
        pk__in=permissions.programme_ids_with_role(user, Role.WELLBEING_LEAD)
    )
    person = page_person_of(user)
    return {
        "roles": roles,
        "organisations": organisations,
        "coordinated": coordinated,
        "sponsored": sponsored,
        "wellbeing": wellbeing,
        "person": person,
    }
