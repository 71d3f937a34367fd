"""allauth's OpenID Connect callback, with the id token's signature always checked.

allauth skips the signature when it fetched the id token itself from the token endpoint, as
OpenID Connect Core 3.1.3.7 allows over TLS. Upward checks it anyway, against the provider's
published keys and with an asymmetric algorithm only, so an answer changed on the way cannot
sign anyone in; and a token it cannot read is a failed sign-in, never a server error.
"""

from __future__ import annotations

import json
from typing import Any

import jwt
import requests
from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404, HttpRequest, HttpResponse

ASYMMETRIC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)


def _signing_key(keys: list[dict[str, Any]], kid: str | None) -> Any:
    candidates = [k for k in keys if kid is None or k.get("kid") == kid]
    candidates = [k for k in candidates if k.get("use", "sig") == "sig"]
    if len(candidates) != 1:
        raise OAuth2Error("No single signing key matches the id token")
    return jwt.PyJWK(json.loads(json.dumps(candidates[0]))).key


def decode_id_token(*, id_token: str, config: dict[str, Any], client_id: str) -> dict[str, Any]:
    try:
        header = jwt.get_unverified_header(id_token)
        algorithm = header.get("alg")
        if algorithm not in ASYMMETRIC_ALGORITHMS:
            raise OAuth2Error(f"Id token signed with {algorithm!r}, not a public-key algorithm")
        with get_adapter().get_requests_session() as session:
            answer = session.get(config["jwks_uri"])
            answer.raise_for_status()
            keys = answer.json().get("keys") or []
        data = jwt.decode(
            id_token,
            key=_signing_key(keys, header.get("kid")),
            algorithms=[algorithm],
            audience=client_id,
            issuer=config["issuer"],
            options={"require": ["iss", "aud", "exp", "iat", "sub"]},
        )
        jwtkit.verify_jti(data)
        return dict(data)
    except (jwt.PyJWTError, KeyError, ValueError, TypeError, AttributeError) as exc:
        raise OAuth2Error("Invalid id_token") from exc
    except requests.RequestException as exc:
        raise OAuth2Error("The provider's keys could not be read") from exc


class SignatureCheckingAdapter(OpenIDConnectOAuth2Adapter):
    def _decode_id_token(self, app: SocialApp, id_token: str) -> dict[str, Any]:
        return decode_id_token(
            id_token=id_token, config=self.openid_config, client_id=app.client_id
        )


@login_not_required
def callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        view = OAuth2CallbackView.adapter_view(SignatureCheckingAdapter(request, provider_id))
        return view(request)  # type: ignore[no-any-return]
    except SocialApp.DoesNotExist:
        raise Http404("No such identity provider") from None
