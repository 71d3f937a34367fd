from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from the organisation's directory or an invitation, not open sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(getattr(settings, "UPWARD_OPEN_SIGNUP", False))

    def get_login_stages(self) -> list[str]:
        # The second-factor step knows when the organisation's identity provider did it.
        return [
            "upward.sso.stages.AuthenticateStage"
            if stage == "allauth.mfa.stages.AuthenticateStage"
            else stage
            for stage in super().get_login_stages()
        ]

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse | None:
        """A person whose organisation requires single sign-on signs in only through it."""
        from upward.sso.selectors import password_refused_by

        signal_kwargs = kwargs.get("signal_kwargs") or {}
        if user.is_active and not signal_kwargs.get("sociallogin"):
            setting = password_refused_by(user)
            if setting is not None:
                from allauth.account.internal.stagekit import clear_login

                clear_login(request)
                return render(
                    request,
                    "sso/password_refused.html",
                    {"organisation": setting.organisation},
                    status=403,
                )
        return super().pre_login(request, user, **kwargs)

    def send_password_reset_mail(self, user: Any, email: str, context: dict[str, Any]) -> None:
        """No reset link for a person whose organisation requires single sign-on: the email
        says where to sign in instead (the page shows the same answer for every address)."""
        from upward.sso.selectors import password_refused_by

        setting = password_refused_by(user)
        if setting is not None:
            self.send_mail(
                "sso/email/password_reset_refused",
                email,
                {**context, "organisation": setting.organisation},
            )
            return
        super().send_password_reset_mail(user, email, context)
