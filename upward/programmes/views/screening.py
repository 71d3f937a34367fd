"""Screening: the applications list with filters and bulk decisions, one application's page,
the logged look at sensitive answers, and eligibility overrides."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..errors import RuleBroken
from ..forms import BulkDecisionForm, ReasonForm, ScreeningFilterForm, SensitiveViewForm
from ..models import Application, Programme
from ..questions import answers_for_display
from ._common import coordinator_page, report

PAGE_SIZE = 50


@coordinator_page
def applications(request: HttpRequest, programme: Programme) -> HttpResponse:
    departments = selectors.departments_of(programme)
    filters = ScreeningFilterForm(request.GET or None, programme=programme, departments=departments)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    organisation = chosen.get("organisation")
    listed = selectors.applications_for_screening(
        programme,
        side=chosen.get("side", ""),
        status=chosen.get("status", ""),
        eligibility=chosen.get("eligibility", ""),
        organisation_id=organisation.pk if organisation else None,
        cohort_id=chosen.get("cohort"),
        department=chosen.get("department", ""),
        query=chosen.get("q", ""),
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "programmes/screening/list.html",
        {
            "programme": programme,
            "tab": "applications",
            "filters": filters,
            "page": page,
            "querystring": query.urlencode(),
            "bulk_form": BulkDecisionForm(programme=programme),
            "counts": selectors.application_counts(programme),
            "several_organisations": programme.organisations.count() > 1,
        },
    )


@coordinator_page
@require_POST
def decide(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = BulkDecisionForm(request.POST, programme=programme)
    back = reverse("programmes:applications", args=[programme.slug])
    if request.POST.get("back", "").startswith(back):
        back = request.POST["back"]
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    try:
        count = services.applications_decide(
            programme=programme,
            by=request.user,
            application_ids=form.cleaned_data["applications"],
            decision=form.cleaned_data["decision"],
            cohort=form.cleaned_data["cohort"],
        )
    except RuleBroken as exc:
        report(request, exc)
    else:
        messages.success(request, f"Done: {count} application{'s' if count != 1 else ''} updated.")
    return redirect(back)


def _detail_context(programme: Programme, application: Application) -> dict[str, object]:
    questions = selectors.form_questions(programme, application.side)
    return {
        "programme": programme,
        "tab": "applications",
        "application": application,
        "person": application.person,
        "answers": answers_for_display(
            questions,
            application.answers or {},
            programme.topics.all(),
            include_sensitive=False,
        ),
        "has_sensitive": any(q.sensitive for q in questions)
        or application.identity_disclosures.exists(),
        "sensitive_form": SensitiveViewForm(),
        "override_form": ReasonForm(),
        "bulk_form": BulkDecisionForm(programme=programme),
        "invitation": application.invitation,
        "log": programme.log.filter(application=application).select_related("actor")[:20],
    }


@coordinator_page
def application_detail(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    application = selectors.application_of_coordinated(request.user, programme, pk)
    return render(
        request, "programmes/screening/detail.html", _detail_context(programme, application)
    )


@coordinator_page
@require_POST
def application_sensitive(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    """Show the sensitive answers once, after a reason is given; the look is logged."""
    application = selectors.application_of_coordinated(request.user, programme, pk)
    context = _detail_context(programme, application)
    form = SensitiveViewForm(request.POST)
    context["sensitive_form"] = form
    if form.is_valid():
        try:
            context["sensitive"] = services.application_sensitive_view(
                application=application,
                viewer=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except RuleBroken as exc:
            form.add_error(None, str(exc))
    status = 200 if form.is_valid() and "sensitive" in context else 400
    return render(request, "programmes/screening/detail.html", context, status=status)


@coordinator_page
@require_POST
def application_override(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    application = selectors.application_of_coordinated(request.user, programme, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.application_eligibility_override(
                application=application, by=request.user, reason=form.cleaned_data["reason"]
            )
        except RuleBroken as exc:
            report(request, exc)
        else:
            messages.success(request, "Override recorded: this person may now be accepted.")
    else:
        for error in form.errors.get("reason", []):
            messages.error(request, str(error))
    return redirect("programmes:application", slug=programme.slug, pk=application.pk)
