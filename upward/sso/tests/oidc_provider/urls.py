"""The provider's pages: django-oauth-toolkit's OpenID Connect endpoints under /o/, and a
sign-in at the provider (``/login/<username>/``) standing for the identity provider's own
sign-in page, which is not what the tests are about."""

from __future__ import annotations

import json
import os
from typing import Any

from django.contrib.auth import get_user_model, login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import include, path
from oauth2_provider.oauth2_validators import OAuth2Validator


def identities() -> dict[str, dict[str, Any]]:
    with open(os.environ["OIDC_TEST_IDENTITIES"]) as handle:
        return dict(json.load(handle))


class ClaimsValidator(OAuth2Validator):
    # Every claim of the identity goes out, including the directory's employee id.
    oidc_claim_scope = None

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        claims = dict(identities()[request.user.username])
        claims.pop("password", None)
        return claims


def sign_in(request: HttpRequest, username: str) -> HttpResponse:
    user = get_object_or_404(get_user_model(), username=username)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return HttpResponse("signed in at the identity provider")


urlpatterns = [
    path("login/<str:username>/", sign_in),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
