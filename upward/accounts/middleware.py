from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from upward.core import navigation
from upward.sso.selectors import idp_vouches

from .permissions import is_privileged
from .second_factor import HAS_AUTHENTICATOR, passed_second_factor

# Paths a privileged user can reach before turning on MFA: signing in and out, setting up
# the authenticator itself, static files and the health check.
_ALWAYS_ALLOWED = ("/accounts/", "/static/", "/healthz")
# Paths that need no session at all, so a session that skipped the second factor may stay
# on them without being ended.
_NO_SESSION_NEEDED = ("/static/", "/healthz")


def _uses_a_token(request: HttpRequest) -> bool:
    """An API request with a bearer token runs as the token's owner and never reads the session
    (a bad token answers 401, it does not fall back to it); the second factor was proved when
    the token was created. So the session it happens to carry is left alone."""
    return request.path.startswith("/api/") and request.headers.get(
        "Authorization", ""
    ).lower().startswith("bearer ")


class RequireMfaForPrivilegedRoles:
    """Coordinators, organisation admins and staff must protect their account with an
    authenticator app, and every session of theirs must have passed it.

    Whatever door a session came in by (the site's sign-in, the admin's, a password reset,
    anything that calls ``login()``), a privileged user with an authenticator whose session
    holds no record of the second factor is signed out and sent to the site's sign-in, which
    asks for the code. That includes the account pages: with a password alone, nobody may
    reach the authenticator's settings and remove it.

    The one exception: a session that came in through the user's own organisation's single
    sign-on, when that organisation says its identity provider asks for the second factor.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            not user.is_authenticated
            or request.path.startswith(_NO_SESSION_NEEDED)
            or _uses_a_token(request)
            or not is_privileged(user)
        ):
            return self.get_response(request)
        if idp_vouches(request, user):
            # Signed in through the organisation's single sign-on, whose identity provider
            # (the organisation says) asks for the second factor itself.
            return self.get_response(request)
        # Read in the one query that also answers the menu's facts (core.navigation), whose
        # answer is kept only until a table it reads is written (core.page_cache): removing
        # the authenticator takes effect on the next request.
        has_authenticator = navigation.fact(user, HAS_AUTHENTICATOR)
        if has_authenticator:
            if passed_second_factor(request):
                return self.get_response(request)
            logout(request)
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Sign in again with your authenticator code to use this account."},
                    status=401,
                )
            messages.info(
                request, "Please sign in again: your role needs your authenticator code too."
            )
            return redirect_to_login(request.get_full_path())
        if request.path.startswith(_ALWAYS_ALLOWED):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": "Turn on two-factor authentication to use this account."}, status=403
            )
        messages.info(
            request,
            "Your role gives you access to other people's information, so your account "
            "needs two-factor authentication. Set up an authenticator app to continue.",
        )
        return redirect("mfa_activate_totp")
