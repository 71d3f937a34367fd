from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from upward.accounts import permissions
from upward.core.bounds import BoundedPageNumberPagination

from . import selectors
from .models import Organisation

router = Router(tags=["directory"])


class MeOut(Schema):
    email: str
    name: str
    roles: list[str]
    organisation: str | None
    employee_id: str | None


class OrganisationOut(Schema):
    slug: str
    name: str


class PersonOut(Schema):
    id: int
    employee_id: str
    name: str
    email: str
    job_title: str
    grade: str
    grade_level: int
    department: str
    location: str
    time_zone: str
    manager_id: int | None
    active: bool


@router.get("/me", response=MeOut, summary="The signed-in user")
def me(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    person = getattr(user, "person", None)
    return {
        "email": user.email,
        "name": user.get_full_name(),
        "roles": sorted(permissions.roles_of(user)),
        "organisation": person.organisation.name if person else None,
        "employee_id": person.employee_id if person else None,
    }


@router.get(
    "/organisations", response=list[OrganisationOut], summary="Organisations you administer"
)
def organisations(request: HttpRequest) -> Any:
    return selectors.organisations_for(request.user)


@router.get(
    "/organisations/{slug}/people",
    response=list[PersonOut],
    summary="People in an organisation's directory",
)
@paginate(BoundedPageNumberPagination, page_size=100)
def people(request: HttpRequest, slug: str, q: str = "") -> Any:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_admin_organisation(request.user, organisation):
        raise Http404("No such organisation")
    return selectors.people_for(request.user, organisation, query=q[:100])
