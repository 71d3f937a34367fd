"""Whether this session passed the second factor, and recording it when an authenticator is
set up (entering a code from the new authenticator proves it as signing in with it does)."""

from __future__ import annotations

from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.db.models import Exists
from django.http import HttpRequest

HAS_AUTHENTICATOR = "has_authenticator"


def has_authenticator_fact(user: Any) -> Exists:
    """The user has an authenticator app (TOTP): a menu fact (core.navigation), so the
    second-factor middleware reads it in the one facts query of the request."""
    return Exists(Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP))


def passed_second_factor(request: HttpRequest) -> bool:
    """True when this session's sign-in records (kept by allauth, tied to the user) hold an
    authenticator code or recovery code, entered at sign-in or since."""
    records = get_authentication_records(request, request.user)  # type: ignore[arg-type]
    return any(record.get("method") == "mfa" for record in records)


def record_second_factor_on_setup(
    *, request: HttpRequest | None, user: Any, authenticator: Authenticator, **_: Any
) -> None:
    if request is None or authenticator.type != Authenticator.Type.TOTP:
        return
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
