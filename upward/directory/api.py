from __future__ import annotations

from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
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


# --- people and roles (an organisation's admin) -------------------------------------------------


class AppointmentErrorOut(Schema):
    detail: str


class AppointmentOut(Schema):
    id: int
    email: str
    name: str
    role: str
    programme: str | None


class AppointIn(Schema):
    email: str = Field(..., max_length=254)
    role: Literal["coordinator", "sponsor", "wellbeing_lead"]
    programme: str | None = Field(
        None, max_length=80, description="A programme's slug; leave out for the organisation."
    )
    name: str = Field("", max_length=200)


def _appointment_out(grant: Any) -> dict[str, Any]:
    return {
        "id": grant.pk,
        "email": grant.user.email,
        "name": grant.user.display_name,
        "role": grant.role,
        "programme": grant.programme.slug if grant.programme else None,
    }


def _admin_organisation(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_admin_organisation(request.user, organisation):
        raise Http404("No such organisation")
    return organisation


@router.get(
    "/organisations/{slug}/roles",
    response=list[AppointmentOut],
    summary="Coordinators, sponsors and wellbeing leads of the organisation and its programmes",
)
def list_roles(request: HttpRequest, slug: str) -> Any:
    from .roles import appointments_of

    organisation = _admin_organisation(request, slug)
    return [_appointment_out(g) for g in appointments_of(organisation)[:500]]


@router.post(
    "/organisations/{slug}/roles",
    response={201: AppointmentOut, 400: AppointmentErrorOut},
    summary="Appoint a coordinator, sponsor or wellbeing lead (they are told by email)",
)
def appoint_role(request: HttpRequest, slug: str, body: AppointIn) -> Any:
    from upward.accounts.models import RoleGrant
    from upward.accounts.services import GrantRefused, role_appoint
    from upward.programmes.models import Programme

    organisation = _admin_organisation(request, slug)
    programme = None
    if body.programme:
        programme = Programme.objects.filter(
            slug=body.programme, organisations=organisation
        ).first()
        if programme is None:
            return 400, {"detail": f"{organisation.name} has no programme '{body.programme}'."}
    try:
        outcome = role_appoint(
            by=request.user,
            organisation=organisation,
            email=body.email,
            role=body.role,
            programme=programme,
            name=body.name,
            base_url=request.build_absolute_uri("/"),
        )
    except GrantRefused as exc:
        return 400, {"detail": str(exc)}
    grant = RoleGrant.objects.select_related("user", "programme").get(
        user=outcome.user,
        role=body.role,
        organisation=None if programme else organisation,
        programme=programme,
    )
    return 201, _appointment_out(grant)


@router.post(
    "/organisations/{slug}/roles/{int:grant_id}/remove",
    response={200: AppointmentOut, 400: AppointmentErrorOut},
    summary="Take a coordinator's, sponsor's or wellbeing lead's role away",
)
def remove_role(request: HttpRequest, slug: str, grant_id: int) -> Any:
    from upward.accounts.services import GrantRefused, role_dismiss

    organisation = _admin_organisation(request, slug)
    try:
        grant = role_dismiss(by=request.user, organisation=organisation, grant_id=grant_id)
    except GrantRefused as exc:
        return 400, {"detail": str(exc)}
    return _appointment_out(grant)
