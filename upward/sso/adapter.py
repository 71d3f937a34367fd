"""allauth's social-account adapter for organisations' single sign-on.

Nobody is ever created by a sign-in: the identity provider's person is linked to an existing
account of that organisation's directory, the first time only by a verified email or by the
directory's employee id, and refused otherwise (``sso/refused.html``).
"""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from django.http import HttpRequest
from django.shortcuts import render

from upward.directory.models import Person

from . import selectors
from .models import SsoSetting


def claims_of(sociallogin: SocialLogin) -> dict[str, Any]:
    """The identity's claims: OpenID Connect's userinfo (or id token), or SAML's attributes
    (each a list; the first value is taken)."""
    data = sociallogin.account.extra_data or {}
    if "userinfo" in data or "id_token" in data:
        data = data.get("userinfo") or data.get("id_token") or {}
    return {
        key: (value[0] if isinstance(value, list) and value else value)
        for key, value in data.items()
    }


def _refuse(request: HttpRequest, reason: str, setting: SsoSetting | None) -> ImmediateHttpResponse:
    return ImmediateHttpResponse(
        render(
            request,
            "sso/refused.html",
            {"reason": reason, "organisation": setting.organisation if setting else None},
            status=403,
        )
    )


def _people(setting: SsoSetting) -> Any:
    return Person.objects.filter(
        organisation_id=setting.organisation_id, active=True, user__isnull=False
    ).select_related("user")


def find_account(setting: SsoSetting, sociallogin: SocialLogin) -> tuple[Any, str]:
    """The one account of the organisation this identity is, and how it was found; or (None,
    why not)."""
    claims = claims_of(sociallogin)
    found: dict[int, Any] = {}
    how: list[str] = []
    if setting.employee_id_claim:
        employee_id = str(claims.get(setting.employee_id_claim) or "").strip()
        if employee_id:
            person = _people(setting).filter(employee_id=employee_id).first()
            if person is not None:
                found[person.user.pk] = person.user
                how.append("employee id")
    if setting.link_by_email:
        for address in sociallogin.email_addresses:
            if not address.verified or not address.email:
                continue
            for person in _people(setting).filter(user__email__iexact=address.email):
                found[person.user.pk] = person.user
                how.append("verified email")
    if len(found) > 1:
        return None, (
            "The identity provider's details match more than one person here, so nobody was "
            "signed in. Ask your organisation's admin to correct the directory."
        )
    if not found:
        return None, (
            "Your organisation's identity provider signed you in, but nobody in "
            f"{setting.organisation.name}'s directory here matches you by a verified email "
            "address or employee id, so nobody was signed in. Ask your organisation's admin "
            "to add you to the directory."
        )
    return next(iter(found.values())), " and ".join(sorted(set(how)))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(
        self, request: HttpRequest | None, provider: Any = None, client_id: Any = None
    ) -> list[SocialApp]:
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        for app in apps:
            if app.provider == "openid_connect" and not app.secret:
                setting = selectors.setting_for_provider(app.provider_id)
                if setting is not None:
                    # Only in memory, for this sign-in: the stored copy stays encrypted.
                    app.secret = setting.oidc_client_secret
        return apps

    def list_providers(self, request: HttpRequest) -> list[Any]:
        """Only the signed-in person's own organisation's provider is ever listed (on the
        linked-identities page), so nobody learns which other organisations use one."""
        user = getattr(request, "user", None)
        setting = selectors.setting_for_user(user) if user is not None else None
        if setting is None:
            return []
        return [
            p
            for p in super().list_providers(request)
            if p.app and p.app.provider_id == setting.provider_id
        ]

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        setting = selectors.setting_for_provider(sociallogin.account.provider)
        if setting is None:
            raise _refuse(
                request, "This organisation does not sign in through Upward any more.", None
            )
        if sociallogin.is_existing:
            user = sociallogin.user
            if not _people(setting).filter(user_id=user.pk).exists():
                raise _refuse(
                    request,
                    f"This identity is no longer linked to anyone in {setting.organisation.name}'s "
                    "directory here, so nobody was signed in.",
                    setting,
                )
            return
        user, how = find_account(setting, sociallogin)
        if user is None:
            raise _refuse(request, how, setting)
        sociallogin.connect(request, user)

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False
