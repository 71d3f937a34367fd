"""The second-factor step of a sign-in, skipped only when the sign-in came through the
person's organisation's single sign-on and the organisation says its identity provider does
the second factor."""

from __future__ import annotations

from allauth.mfa.stages import AuthenticateStage as _AuthenticateStage
from django.http import HttpRequest

from . import selectors


def came_through_vouching_idp(login: object) -> bool:
    kwargs = getattr(login, "signal_kwargs", None) or {}
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is None or getattr(login, "user", None) is None:
        return False
    if isinstance(sociallogin, dict):  # a login resumed from the session holds it serialised
        provider_id = (sociallogin.get("account") or {}).get("provider", "")
    else:
        provider_id = sociallogin.account.provider
    return selectors.idp_vouches_for_login(str(provider_id), login.user)  # type: ignore[attr-defined]


class AuthenticateStage(_AuthenticateStage):
    def _should_handle(self, request: HttpRequest) -> bool:
        if came_through_vouching_idp(self.login):
            return False
        return super()._should_handle(request)
