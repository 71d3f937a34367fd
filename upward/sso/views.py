"""Pages of single sign-on: the organisation admin's configuration page, and the sign-in
through an organisation's identity provider."""

from __future__ import annotations

import logging

import requests
from allauth.account.utils import get_next_redirect_url
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.base import AuthProcess
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from upward.core.versioning import VersionConflict
from upward.directory.views import _organisation_for_admin

from . import selectors, services
from .forms import SsoSettingForm, SsoStartForm
from .models import SsoSetting

log = logging.getLogger(__name__)


def _initial(setting: SsoSetting) -> dict[str, object]:
    return {
        "version": setting.version,
        "enabled": setting.enabled,
        "protocol": setting.protocol,
        "oidc_server_url": setting.oidc_server_url,
        "oidc_client_id": setting.oidc_client_id,
        "saml_entity_id": setting.saml_entity_id,
        "saml_metadata_url": setting.saml_metadata_url,
        "saml_metadata_xml": setting.saml_metadata_xml,
        "require_sso": setting.require_sso,
        "idp_handles_mfa": setting.idp_handles_mfa,
        "link_by_email": setting.link_by_email,
        "employee_id_claim": setting.employee_id_claim,
    }


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_for_admin(request, slug)
    setting = services.setting_for(organisation)
    status = 200
    if request.method == "POST":
        form = SsoSettingForm(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                services.sso_configure(
                    organisation=organisation,
                    data=services.SsoInput(**data),
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                )
            except (services.SsoRefused, VersionConflict) as exc:
                form.add_error(None, str(exc))
                status = 409 if isinstance(exc, VersionConflict) else 400
            else:
                messages.success(request, "The single sign-on setting is saved.")
                return redirect("sso:settings", slug=slug)
        else:
            status = 400
    else:
        form = SsoSettingForm(initial=_initial(setting))
    return render(
        request,
        "sso/settings.html",
        {
            "organisation": organisation,
            "setting": setting,
            "form": form,
            "callback_url": request.build_absolute_uri(
                f"/accounts/oidc/{setting.provider_id}/login/callback/"
            ),
            "saml_metadata_url": request.build_absolute_uri(
                f"/accounts/saml/{organisation.slug}/metadata/"
            ),
        },
        status=status,
    )


def _begin(request: HttpRequest, setting: SsoSetting) -> HttpResponse:
    """Send the browser to the organisation's identity provider."""
    adapter = get_adapter(request)
    try:
        app = adapter.get_app(request, provider=setting.provider_id)
        provider = app.get_provider(request)
        return provider.redirect(
            request, AuthProcess.LOGIN, next_url=get_next_redirect_url(request)
        )
    except (requests.RequestException, ValueError, KeyError) as exc:
        log.warning("Identity provider of organisation %s unreachable", setting.organisation_id)
        return render(
            request,
            "sso/refused.html",
            {
                "organisation": setting.organisation,
                "reason": "Your organisation's identity provider could not be reached, so "
                "nobody was signed in. Try again in a moment, or tell your organisation's admin. "
                f"({type(exc).__name__})",
            },
            status=502,
        )


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """ "Sign in with your organisation": the work email address finds the organisation."""
    form = SsoStartForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            setting = selectors.setting_for_email(form.cleaned_data["email"])
            if setting is not None:
                return _begin(request, setting)
            form.add_error(
                "email",
                "No organisation signs in through its identity provider with this address. "
                "Sign in with your password instead.",
            )
        status = 400
    return render(request, "sso/start.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's own sign-in link, for people whose address has another domain."""
    setting = selectors.setting_for_slug(slug)
    if setting is None:
        raise Http404("No such organisation")
    if request.method == "POST":
        return _begin(request, setting)
    return render(request, "sso/organisation.html", {"organisation": setting.organisation})


def login_error(request: HttpRequest) -> HttpResponse:
    """Where a failed sign-in through an identity provider is sent: says so plainly."""
    return render(request, "socialaccount/authentication_error.html")


def social_signup(request: HttpRequest) -> HttpResponse:
    """Nobody is created by a sign-in through an identity provider (allauth's sign-up page for
    such sign-ins is closed here)."""
    raise Http404("Accounts are created by the organisation")


def saml_finish_acs(request: HttpRequest, organization_slug: str) -> HttpResponse:
    """allauth's end of a SAML sign-in, with a plain page instead of an error for an answer
    that is not even XML (allauth catches the other bad answers itself)."""
    from allauth.socialaccount.providers.saml.views import finish_acs
    from lxml.etree import LxmlError

    try:
        return finish_acs(request, organization_slug=organization_slug)
    except (LxmlError, ValueError):
        log.warning("Malformed SAML answer for organisation %s", organization_slug)
        return render(request, "socialaccount/authentication_error.html", status=400)
