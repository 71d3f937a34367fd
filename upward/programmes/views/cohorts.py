"""Cohorts: groups of pairs who start together and meet together."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from upward.core.versioning import VersionConflict, conflict_form

from .. import selectors, services
from ..errors import RuleBroken
from ..forms import CohortForm
from ..models import Cohort, Programme
from ._common import coordinator_page, report


@coordinator_page
def cohorts(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cohort = services.cohort_save(
                programme=programme,
                by=request.user,
                name=data["name"],
                starts_on=data["starts_on"],
                capacity=data["capacity"],
                description=data["description"],
            )
        except RuleBroken as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"{cohort.name} added.")
            return redirect("programmes:cohorts", slug=programme.slug)
    return render(
        request,
        "programmes/cohorts.html",
        {
            "programme": programme,
            "tab": "cohorts",
            "cohorts": selectors.cohorts_with_counts(programme),
            "form": form,
        },
    )


@coordinator_page
def cohort_edit(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    cohort = get_object_or_404(Cohort, pk=pk, programme=programme)
    form = CohortForm(request.POST or None, instance=cohort)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.cohort_save(
                programme=programme,
                by=request.user,
                cohort=Cohort.objects.get(pk=cohort.pk),
                version=form.expected_version,
                name=data["name"],
                starts_on=data["starts_on"],
                capacity=data["capacity"],
                description=data["description"],
            )
        except VersionConflict as exc:
            cohort = Cohort.objects.get(pk=cohort.pk)
            form = conflict_form(form, CohortForm(instance=cohort), exc)
            status = 409
        except RuleBroken as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Cohort saved.")
            return redirect("programmes:cohorts", slug=programme.slug)
    return render(
        request,
        "programmes/cohort_edit.html",
        {"programme": programme, "tab": "cohorts", "cohort": cohort, "form": form},
        status=status,
    )


@coordinator_page
@require_POST
def cohort_delete(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    cohort = get_object_or_404(Cohort, pk=pk, programme=programme)
    try:
        services.cohort_delete(cohort=cohort, by=request.user)
    except RuleBroken as exc:
        report(request, exc)
    else:
        messages.success(request, f"{cohort.name} deleted.")
    return redirect("programmes:cohorts", slug=programme.slug)
