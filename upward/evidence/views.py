"""Evidence pages: a person's surveys and the survey itself; coordinators' campaigns; results
for coordinators, sponsors and organisation admins, always through the anonymity engine."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from upward.programmes.selectors import coordinated_programme_or_404

from . import selectors, services
from .errors import AnswersInvalid, EvidenceRuleBroken
from .forms import CampaignForm
from .instruments import Kind


@login_required
def surveys(request: HttpRequest) -> HttpResponse:
    return render(
        request, "evidence/surveys.html", {"campaigns": selectors.open_surveys_for(request.user)}
    )


def _questions(
    campaign: selectors.Campaign, given: dict[str, str], errors: dict[str, str]
) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for item in campaign.definition.items:
        options: list[tuple[str, str]] = []
        if item.kind is Kind.LIKERT:
            options = [(str(i + 1), label) for i, label in enumerate(item.labels)]
        elif item.kind is Kind.CHOICE:
            options = [(c, c) for c in item.choices]
        out.append(
            {
                "item": item,
                "options": options,
                "value": given.get(item.key, ""),
                "error": errors.get(item.key, ""),
            }
        )
    return out


@login_required
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.survey_or_404(request.user, pk)
    errors: dict[str, str] = {}
    given: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        keys = {i.key for i in campaign.definition.items}
        given = {k: request.POST.get(k, "")[:2100] for k in keys}
        try:
            services.response_submit(campaign=campaign, by=request.user, answers=given)
        except AnswersInvalid as e:
            errors, status = e.errors, 400
            messages.error(request, "Some answers need attention; nothing was saved.")
        except EvidenceRuleBroken as e:
            messages.error(request, str(e))
            status = 400
        else:
            messages.success(request, "Thank you: your answers are saved, without your name.")
            return redirect("evidence:surveys")
    context = {
        "campaign": campaign,
        "questions": _questions(campaign, given, errors),
        "open": selectors.is_open(campaign),
        "answered": selectors.has_responded(campaign, request.user),
    }
    return render(request, "evidence/respond.html", context, status=status)


@login_required
def campaigns(request: HttpRequest, slug: str) -> HttpResponse:
    programme = coordinated_programme_or_404(request.user, slug)
    form = CampaignForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.campaign_create(programme=programme, by=request.user, **data)
            except EvidenceRuleBroken as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, "The survey is set up.")
                return redirect("evidence:campaigns", slug=programme.slug)
        status = 400
    context = {
        "programme": programme,
        "campaigns": list(programme.campaigns.all()),
        "form": form,
    }
    return render(request, "evidence/campaigns.html", context, status=status)


@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    r = selectors.results(request.user, pk)
    return render(request, "evidence/results.html", {"r": r})
