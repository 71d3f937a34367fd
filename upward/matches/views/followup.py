"""The coordinator's follow-up of published proposals: who answered, who is waiting and since
when, and a reminder for whoever has not answered."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from upward.programmes.models import Programme

from .. import selectors, services
from ..errors import MatchRuleBroken
from ._common import coordinator_page, report, site_url

PER_PAGE = 50


class StateForm(forms.Form):
    state = forms.ChoiceField(choices=list(selectors.PROPOSAL_STATES.items()), required=False)
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False)


@coordinator_page
def proposals(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = StateForm(request.GET)
    if not form.is_valid():
        messages.error(request, "Choose one of the states in the list.")
        return redirect("matches:proposals", slug=programme.slug)
    state = form.cleaned_data["state"] or "pending"
    page = Paginator(selectors.proposal_rows(programme, state), PER_PAGE).get_page(
        form.cleaned_data["page"] or 1
    )
    return render(
        request,
        "matches/proposals.html",
        {
            "programme": programme,
            "tab": "matching",
            "state": state,
            "state_label": selectors.PROPOSAL_STATES[state],
            "states": selectors.PROPOSAL_STATES,
            "counts": selectors.proposal_counts(programme),
            "page": page,
            "rows": [selectors.proposal_row(p) for p in page.object_list],
        },
    )


@coordinator_page
@require_POST
def remind(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    try:
        services.proposal_remind(
            programme=programme, proposal_id=pk, by=request.user, base_url=site_url(request)
        )
    except MatchRuleBroken as exc:
        report(request, exc)
    else:
        messages.success(request, "Reminder sent to whoever has not answered yet.")
    return redirect(reverse("matches:proposals", args=[programme.slug]) + "?state=pending")
