"""Sign-in throttling with django-axes, fitted to django-allauth's email sign-in."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


def login_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The account a sign-in attempt is for (allauth sends ``email``, its form ``login``)."""
    sources: list[Any] = [credentials or {}]
    if request is not None:
        sources.append(getattr(request, "POST", {}))
    for source in sources:
        for key in ("email", "login", "username"):
            value = source.get(key)
            if value:
                return str(value).strip().lower()[:254]
    return ""


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses sign-in for a locked-out account and address; throttles HTTP sign-ins only.

    Authentication without a request comes from code running on the server (the shell, a
    command, the test client's ``login``), not from a visitor, so there is nothing to throttle.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)  # type: ignore[arg-type]
