from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse

from .sessions import AUTH_AT, SEEN_AT

# Write the "last seen" time at most this often, so a busy page does not save its session
# on every request.
_SEEN_RESOLUTION = 60


class SessionLifetime:
    """Ends a session after UPWARD_SESSION_IDLE_TIMEOUT without activity and, whatever the
    activity, UPWARD_SESSION_MAX_AGE after sign-in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session = request.session
            now = time.time()
            started = session.get(AUTH_AT)
            seen = session.get(SEEN_AT)
            if started is None:
                session[AUTH_AT] = started = now
            idle = seen is not None and now - seen > settings.UPWARD_SESSION_IDLE_TIMEOUT
            expired = now - started > settings.UPWARD_SESSION_MAX_AGE
            if idle or expired:
                logout(request)
                return self._ended(request, idle=idle)
            if seen is None or now - seen >= _SEEN_RESOLUTION:
                session[SEEN_AT] = now
        return self.get_response(request)

    def _ended(self, request: HttpRequest, *, idle: bool) -> HttpResponse:
        reason = (
            "You were signed out after a period without activity."
            if idle
            else "You were signed out because your session reached its time limit."
        )
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": reason + " Sign in again."}, status=401)
        messages.info(request, reason + " Please sign in again.")
        return redirect_to_login(request.path)
