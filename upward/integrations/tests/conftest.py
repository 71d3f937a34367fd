from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from upward.integrations import tokens
from upward.integrations.models import ApiToken
from upward.integrations.scopes import SCOPES


def make_token(
    user: Any,
    scopes: list[str] | tuple[str, ...] = SCOPES,
    *,
    organisation: Any = None,
    days: int = 30,
) -> tuple[ApiToken, str]:
    return tokens.token_create(
        owner=user,
        name="script",
        scopes=list(scopes),
        expires_on=timezone.now().date() + dt.timedelta(days=days),
        organisation=organisation,
        second_factor_passed=True,
    )


def bearer(secret: str) -> Client:
    """A client that sends the token and nothing else: no session, no CSRF token."""
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()
