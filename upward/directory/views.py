from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from upward.accounts import permissions

from . import selectors, services
from .forms import DirectoryUploadForm, PeopleSearchForm
from .models import DirectoryImport, Organisation, Person


def _organisation_for_admin(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_admin_organisation(request.user, organisation):
        # Not 403: an outsider should not learn which organisations exist.
        raise Http404("No such organisation")
    return organisation


@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    visible = selectors.organisations_for(request.user)
    return render(request, "directory/organisations.html", {"organisations": visible})


@login_required
def people(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_for_admin(request, slug)
    form = PeopleSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.people_for(request.user, organisation, query=query), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "directory/people.html",
        {"organisation": organisation, "page": page, "form": form, "query": query},
    )


@login_required
def person_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation_for_admin(request, slug)
    person = get_object_or_404(Person, pk=pk, organisation=organisation)
    reports = selectors.reporting_chain_below(person)
    return render(
        request,
        "directory/person.html",
        {
            "organisation": organisation,
            "person": person,
            "managers": selectors.reporting_chain_above(person),
            "direct_reports": person.reports.order_by("name")[:100],
            "all_reports_count": reports.count(),
        },
    )


@login_required
def import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_for_admin(request, slug)
    form = DirectoryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        staged = services.directory_import_upload(
            organisation=organisation,
            filename=upload.name,
            data=upload.read(),
            by=request.user,
            deactivate_missing=form.cleaned_data["deactivate_missing"],
        )
        return redirect("directory:import_detail", slug=slug, pk=staged.pk)
    services.directory_imports_reap(organisation=organisation)
    recent = organisation.imports.all()[:10]
    return render(
        request,
        "directory/import_upload.html",
        {"organisation": organisation, "form": form, "recent": recent},
    )


def _staged(request: HttpRequest, slug: str, pk: int) -> DirectoryImport:
    organisation = _organisation_for_admin(request, slug)
    return get_object_or_404(DirectoryImport, pk=pk, organisation=organisation)


@login_required
def import_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    staged = _staged(request, slug, pk)
    if services.directory_imports_reap(organisation=staged.organisation):
        staged.refresh_from_db()
    template = (
        "directory/_import_status.html"
        if request.headers.get("HX-Request")
        else "directory/import_detail.html"
    )
    return render(request, template, {"organisation": staged.organisation, "staged": staged})


@login_required
@require_POST
def import_confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    staged = _staged(request, slug, pk)
    try:
        services.directory_import_confirm(staged=staged)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The import has started. This page shows its progress.")
    return redirect("directory:import_detail", slug=slug, pk=pk)
