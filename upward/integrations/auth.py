"""Bearer tokens on /api/v1: who the request runs as, what it may touch, how often.

``token_auth`` comes before the session in the API's ``auth`` list. A request with
``Authorization: Bearer upw_…`` runs as the token's owner (``request.user``), so every
permission check of every operation still applies; the token's scopes only narrow it. No
session is opened, and no CSRF token is needed (a browser never sends this header by itself).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja.security import HttpBearer

from . import tokens
from .errors import ScopeMissing, TokenRateLimited, TokenRefused
from .models import ApiToken
from .scopes import ACCOUNT, allows, area_of_request, needed_scope


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = tokens.token_find(token)
        tokens.rate_check(api_token)
        area = area_of_request(request)
        if area == ACCOUNT:
            raise ScopeMissing(
                "A token cannot manage tokens, webhooks or notification choices: sign in to do "
                "that."
            )
        if area is None:
            raise ScopeMissing("This operation cannot be used with a token.")
        if not allows(api_token.scopes, area, request.method or "GET"):
            raise ScopeMissing(
                f"This token lacks the scope {needed_scope(area, request.method or 'GET')}."
            )
        request.user = tokens.acting_user(api_token)
        request.api_token = api_token  # type: ignore[attr-defined]
        tokens.token_touch(api_token)
        return api_token


token_auth = TokenAuth()


def install(api: Any) -> None:
    """Answer the token's refusals in the API's error shape."""

    def refused(request: HttpRequest, exc: Exception) -> HttpResponse:
        response: HttpResponse = api.error_response(request, 401, str(exc))
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response

    def lacks_scope(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.error_response(request, 403, str(exc))  # type: ignore[no-any-return]

    def too_many(request: HttpRequest, exc: Exception) -> HttpResponse:
        assert isinstance(exc, TokenRateLimited)
        response: HttpResponse = api.error_response(request, 429, str(exc))
        response["Retry-After"] = str(exc.retry_after)
        return response

    api.add_exception_handler(TokenRefused, refused)
    api.add_exception_handler(ScopeMissing, lacks_scope)
    api.add_exception_handler(TokenRateLimited, too_many)
