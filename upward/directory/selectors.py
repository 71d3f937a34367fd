"""Reads of the directory, including the reporting line at any depth.

The chain above and below a person is found with one recursive query, not a query per level,
so it stays quick in a directory of 100,000 people.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from upward.accounts import permissions

from .models import Organisation, Person

# Both queries stop at depth 200: a guard against a loop slipped into the data by hand
# (imports reject loops); no real hierarchy is that deep.
_ABOVE = """
WITH RECURSIVE chain(id, depth) AS (
    SELECT manager_id, 1 FROM directory_person WHERE id = %s AND manager_id IS NOT NULL
    UNION ALL
    SELECT p.manager_id, c.depth + 1
    FROM directory_person p JOIN chain c ON p.id = c.id
    WHERE p.manager_id IS NOT NULL AND c.depth < 200
)
SELECT id, depth FROM chain
"""

_BELOW = """
WITH RECURSIVE below(id, depth) AS (
    SELECT id, 1 FROM directory_person WHERE manager_id = %s
    UNION ALL
    SELECT p.id, b.depth + 1
    FROM directory_person p JOIN below b ON p.manager_id = b.id
    WHERE b.depth < 200
)
SELECT id FROM below
"""


def reporting_chain_above(person: Person) -> list[Person]:
    """The person's managers, nearest first, up to the top of the organisation."""
    with connection.cursor() as cursor:
        cursor.execute(_ABOVE, [person.pk])
        depth_of = {row[0]: row[1] for row in cursor.fetchall()}
    people = Person.objects.in_bulk(list(depth_of))
    return sorted(people.values(), key=lambda p: depth_of[p.pk])


def reporting_chain_below(person: Person) -> QuerySet[Person]:
    """Everyone who reports to the person, directly or through others, at any depth."""
    # Reviewed (bandit B611): _BELOW is a constant; the person id is a bound parameter.
    return Person.objects.filter(pk__in=RawSQL(_BELOW, [person.pk]))  # noqa: S611  # nosec B611


def in_reporting_line(a: Person, b: Person) -> bool:
    """True when one of the two manages the other, directly or indirectly."""
    if a.pk == b.pk:
        return True
    above_a = {p.pk for p in reporting_chain_above(a)}
    if b.pk in above_a:
        return True
    return a.pk in {p.pk for p in reporting_chain_above(b)}


def manager_map(organisation_ids: list[int]) -> dict[int, int | None]:
    """{person id: manager id} for whole organisations, for building matching input."""
    return dict(
        Person.objects.filter(organisation_id__in=organisation_ids).values_list("id", "manager_id")
    )


def organisations_for(user: Any) -> QuerySet[Organisation]:
    """The organisations whose directory the user may browse."""
    return Organisation.objects.filter(permissions.visible_organisations_q(user))


def people_for(user: Any, organisation: Organisation, *, query: str = "") -> QuerySet[Person]:
    """The people of one organisation, if the user may browse it (else none)."""
    if not permissions.can_admin_organisation(user, organisation):
        return Person.objects.none()
    people = Person.objects.filter(organisation=organisation).select_related("manager")
    if query:
        people = people.filter(
            Q(name__icontains=query)
            | Q(employee_id__iexact=query)
            | Q(email__icontains=query)
            | Q(department__icontains=query)
            | Q(job_title__icontains=query)
        )
    return people.order_by("-grade_level", "name")
