"""People and roles: an organisation's admin appoints and removes coordinators, sponsors and
wellbeing leads for the organisation or its programmes (the same service as
``upward grant-role``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from upward.accounts.models import Role, RoleGrant
from upward.accounts.services import (
    APPOINTABLE_ROLES,
    ROLE_WORDS,
    GrantRefused,
    role_appoint,
    role_dismiss,
)
from upward.programmes.models import Programme

from .forms import AppointForm
from .models import Organisation
from .views import _organisation_for_admin


def appointments_of(organisation: Organisation) -> QuerySet[RoleGrant]:
    """Coordinators, sponsors and wellbeing leads of the organisation and its programmes."""
    return (
        RoleGrant.objects.filter(role__in=APPOINTABLE_ROLES)
        .filter(Q(organisation=organisation) | Q(programme__organisations=organisation))
        .select_related("user", "programme", "organisation")
        .distinct()
        .order_by("role", "user__email", "pk")
    )


def programmes_of(organisation: Organisation) -> list[Programme]:
    return list(Programme.objects.filter(organisations=organisation).order_by("name"))


def appoint(
    request: HttpRequest, organisation: Organisation, form: AppointForm, programmes: list[Any]
) -> str:
    """Appoint from a valid form; returns the message to show. Raises GrantRefused."""
    slug = form.cleaned_data["scope"]
    programme = next((p for p in programmes if p.slug == slug), None) if slug else None
    outcome = role_appoint(
        by=request.user,
        organisation=organisation,
        email=form.cleaned_data["email"],
        role=form.cleaned_data["role"],
        programme=programme,
        name=form.cleaned_data["name"],
        base_url=request.build_absolute_uri("/"),
    )
    where = programme.name if programme else organisation.name
    role = Role(form.cleaned_data["role"]).label.lower()
    return (
        f"{outcome.user.email} is now {role} for {where}. We emailed them what the role lets "
        "them see and do."
    )


@login_required
def roles(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_for_admin(request, slug)
    programmes = programmes_of(organisation)
    form = AppointForm(request.POST or None, organisation=organisation, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        try:
            done = appoint(request, organisation, form, programmes)
        except GrantRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect("directory:roles", slug=organisation.slug)
    return render(
        request,
        "directory/roles.html",
        {
            "organisation": organisation,
            "form": form,
            "grants": appointments_of(organisation),
            "role_words": [(r.label, ROLE_WORDS[r]) for r in APPOINTABLE_ROLES],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation_for_admin(request, slug)
    try:
        grant = role_dismiss(by=request.user, organisation=organisation, grant_id=pk)
    except GrantRefused as exc:
        messages.error(request, str(exc))
    else:
        where = grant.programme.name if grant.programme else organisation.name
        messages.success(
            request,
            f"{grant.user.email} is no longer {grant.get_role_display().lower()} for {where}.",
        )
    return redirect("directory:roles", slug=organisation.slug)
