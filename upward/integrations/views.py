"""Pages: your tokens (create, shown once; list; revoke) and an organisation's webhooks
(register, shown once; delivery log; remove)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from upward.accounts import permissions
from upward.accounts.second_factor import passed_second_factor
from upward.directory.models import Organisation

from . import selectors
from . import tokens as token_services
from . import webhooks as webhook_services
from .errors import IntegrationRuleBroken
from .forms import TokenForm, WebhookForm
from .models import WebhookEndpoint


def _admin_organisations(request: HttpRequest) -> list[Organisation]:
    return list(
        Organisation.objects.filter(permissions.visible_organisations_q(request.user)).order_by(
            "name"
        )
    )


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    organisations = _admin_organisations(request)
    form = TokenForm(request.POST or None, organisations=organisations)
    status = 200
    created = secret = None
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                created, secret = token_services.token_create(
                    owner=request.user,
                    name=data["name"],
                    scopes=data["scopes"],
                    expires_on=data["expires_on"],
                    organisation=form.organisations.get(data["acts_for"] or ""),
                    second_factor_passed=passed_second_factor(request),
                )
            except IntegrationRuleBroken as exc:
                messages.error(request, str(exc))
                status = 400
            else:
                form = TokenForm(organisations=organisations)
        else:
            status = 400
    return render(
        request,
        "integrations/tokens.html",
        {
            "form": form,
            "tokens": selectors.tokens_for(request.user),
            "organisations": organisations,
            "created": created,
            "secret": secret,
        },
        status=status,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.token_for(request.user, pk)
    if token is None:
        raise Http404("No such token")
    try:
        token_services.token_revoke(token=token, by=request.user)
    except IntegrationRuleBroken as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The token {token.name} was revoked: it no longer works.")
    return redirect("integrations:tokens")


def _organisation_for_admin(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_admin_organisation(request.user, organisation):
        raise Http404("No such organisation")
    return organisation


@login_required
def webhooks(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_for_admin(request, slug)
    form = WebhookForm(request.POST or None)
    status = 200
    created = secret = None
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                created, secret = webhook_services.endpoint_create(
                    organisation=organisation,
                    url=data["url"],
                    events=data["events"],
                    format=data["format"],
                    by=request.user,
                )
            except IntegrationRuleBroken as exc:
                messages.error(request, str(exc))
                status = 400
            else:
                form = WebhookForm()
        else:
            status = 400
    return render(
        request,
        "integrations/webhooks.html",
        {
            "organisation": organisation,
            "form": form,
            "endpoints": selectors.endpoints_of(organisation),
            "created": created,
            "secret": secret,
            "events": webhook_services.EVENTS,
        },
        status=status,
    )


def _endpoint(request: HttpRequest, slug: str, pk: int) -> WebhookEndpoint:
    organisation = _organisation_for_admin(request, slug)
    return get_object_or_404(WebhookEndpoint, pk=pk, organisation=organisation)


@login_required
def webhook_log(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, slug, pk)
    return render(
        request,
        "integrations/webhook_log.html",
        {
            "organisation": endpoint.organisation,
            "endpoint": endpoint,
            "deliveries": selectors.deliveries_of(endpoint),
        },
    )


@login_required
@require_POST
def webhook_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, slug, pk)
    organisation = endpoint.organisation
    try:
        webhook_services.endpoint_remove(endpoint=endpoint, by=request.user)
    except IntegrationRuleBroken as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The webhook was removed: nothing more is sent to it.")
    return redirect("integrations:webhooks", slug=organisation.slug)
