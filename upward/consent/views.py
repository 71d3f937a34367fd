from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors, services
from .errors import ConsentError
from .models import Channel


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    consents = list(selectors.consents_of(request.user))
    return render(
        request,
        "consent/mine.html",
        {
            "active": [c for c in consents if c.active],
            "past": [c for c in consents if not c.active],
        },
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    consent = selectors.consent_of(request.user, pk)
    if consent is None:
        raise Http404("No such consent")
    try:
        services.consent_withdraw(consent=consent, channel=Channel.WEB)
    except ConsentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"You have withdrawn your consent for {consent.purpose_label.lower()}. "
            "What you shared under it has been deleted.",
        )
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("consent:mine")
