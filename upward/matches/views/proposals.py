"""A participant's own proposals: the introduction, accepting, and declining privately."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..errors import MatchRuleBroken
from ._common import report, site_url


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request, "matches/mine.html", {"proposals": selectors.proposals_for(request.user)}
    )


@login_required
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request, "matches/proposal.html", {"proposal": selectors.proposal_for(request.user, pk)}
    )


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.proposal_record_or_404(request.user, pk)
    try:
        done = services.proposal_accept(
            proposal=record, user=request.user, base_url=site_url(request)
        )
    except MatchRuleBroken as exc:
        report(request, exc)
    else:
        if done.status == done.Status.CONFIRMED:
            messages.success(request, "You have both accepted: your match is confirmed.")
        else:
            messages.success(
                request, "You accepted. We will let you know when the match is confirmed."
            )
    return redirect("matches:proposal", pk=pk)


@login_required
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to confirm, then decline. No reason is asked for."""
    record = selectors.proposal_record_or_404(request.user, pk)
    if request.method == "POST":
        try:
            services.proposal_decline(
                proposal=record, user=request.user, base_url=site_url(request)
            )
        except MatchRuleBroken as exc:
            report(request, exc)
        else:
            messages.success(
                request,
                "Done. The other person is told only that the match will not go ahead, and "
                "the coordinator will propose someone new for each of you.",
            )
        return redirect("matches:proposal", pk=pk)
    return render(
        request,
        "matches/decline.html",
        {"proposal": selectors.proposal_for(request.user, pk)},
    )
