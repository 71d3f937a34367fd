from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from the organisation's directory or an invitation, not open sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(getattr(settings, "UPWARD_OPEN_SIGNUP", False))
