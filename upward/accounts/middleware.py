from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .permissions import is_privileged

# Paths a privileged user can reach before turning on MFA: signing in and out, setting up
# the authenticator itself, static files and the health check.
_ALWAYS_ALLOWED = ("/accounts/", "/static/", "/healthz")


class RequireMfaForPrivilegedRoles:
    """Coordinators and organisation admins must protect their account with an authenticator app."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_ALWAYS_ALLOWED)
            and is_privileged(user)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            if request.path.startswith("/api/"):
                return HttpResponse(
                    '{"detail": "Turn on two-factor authentication to use this account."}',
                    status=403,
                    content_type="application/json",
                )
            messages.info(
                request,
                "Your role gives you access to other people's information, so your account "
                "needs two-factor authentication. Set up an authenticator app to continue.",
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
