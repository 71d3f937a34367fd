"""The pages and API operations for tokens and webhooks: the secret shown once, the list with
scopes, expiry and last use, revocation, the delivery log without bodies."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from upward.integrations import webhooks
from upward.integrations.models import ApiToken, WebhookAttempt, WebhookDelivery, WebhookEndpoint

from .conftest import bearer, make_token

pytestmark = pytest.mark.django_db


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_tokens_page_shows_the_secret_once(leader: Any) -> None:
    client = _signed_in(leader)
    expires = (timezone.now().date() + dt.timedelta(days=30)).isoformat()
    answer = client.post(
        reverse("integrations:tokens"),
        {"name": "Reports", "scopes": ["pairs:read", "surveys:read"], "expires_on": expires},
    )
    assert answer.status_code == 200
    secret = answer.context["secret"]
    assert secret.startswith("upw_") and secret in answer.content.decode()
    token = ApiToken.objects.get()
    assert (token.kind, token.scopes) == ("personal", ["pairs:read", "surveys:read"])
    listed = client.get(reverse("integrations:tokens")).content.decode()
    assert secret not in listed
    assert token.prefix in listed and "pairs:read, surveys:read" in listed and "Never" in listed
    assert bearer(secret).get("/api/v1/pairs").status_code == 200
    assert "Reports" in client.get(reverse("integrations:tokens")).content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"expires_on": "2020-01-01"}, "Choose an expiry day after today."),
        ({"scopes": ["everything:write"]}, "Select a valid choice"),
    ],
)
def test_the_tokens_page_refuses_bad_input(
    leader: Any, fields: dict[str, Any], message: str
) -> None:
    data = {
        "name": "Reports",
        "scopes": ["pairs:read"],
        "expires_on": (timezone.now().date() + dt.timedelta(days=3)).isoformat(),
        **fields,
    }
    answer = _signed_in(leader).post(reverse("integrations:tokens"), data)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not ApiToken.objects.exists()


def test_an_admin_creates_a_service_token_on_the_page(org_admin: Any, org_a: Any) -> None:
    expires = (timezone.now().date() + dt.timedelta(days=30)).isoformat()
    answer = _signed_in(org_admin).post(
        reverse("integrations:tokens"),
        {
            "name": "HR sync",
            "acts_for": str(org_a.pk),
            "scopes": ["directory:read"],
            "expires_on": expires,
        },
    )
    assert answer.status_code == 200
    token = ApiToken.objects.get()
    assert (token.kind, token.organisation) == ("service", org_a)


def test_revoking_on_the_page(leader: Any, mentor: Any) -> None:
    token, secret = make_token(leader)
    assert (
        _signed_in(mentor).post(reverse("integrations:token_revoke", args=[token.pk])).status_code
        == 404
    )
    answer = _signed_in(leader).post(reverse("integrations:token_revoke", args=[token.pk]))
    assert answer.status_code == 302
    assert bearer(secret).get("/api/v1/me").status_code == 401


def test_the_api_creates_lists_and_revokes_tokens_with_a_session(leader: Any) -> None:
    client = _signed_in(leader)
    expires = (timezone.now().date() + dt.timedelta(days=5)).isoformat()
    made = client.post(
        "/api/v1/tokens",
        data={"name": "CLI", "scopes": ["pairs:write"], "expires_on": expires},
        content_type="application/json",
    )
    assert made.status_code == 201
    body = made.json()
    assert body["secret"].startswith("upw_") and body["state"] == "active"
    listed = client.get("/api/v1/tokens").json()
    assert [t["name"] for t in listed] == ["CLI"] and "secret" not in listed[0]
    refused = client.post(
        "/api/v1/tokens",
        data={"name": "CLI", "scopes": ["pairs:write"], "expires_on": "2020-01-01"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json() == {"detail": "Choose an expiry day after today."}
    revoked = client.post(f"/api/v1/tokens/{body['id']}/revoke", content_type="application/json")
    assert revoked.json()["state"] == "revoked"
    assert bearer(body["secret"]).get("/api/v1/me").status_code == 401


def test_the_webhooks_page_registers_and_shows_the_log_without_bodies(
    org_admin: Any, org_a: Any
) -> None:
    client = _signed_in(org_admin)
    url = reverse("integrations:webhooks", args=[org_a.slug])
    refused = client.post(
        url, {"url": "http://hooks.example.org", "events": ["pair.formed"], "format": "json"}
    )
    assert refused.status_code == 400
    assert "Use an https:// address" in refused.content.decode()
    answer = client.post(
        url, {"url": "https://hooks.example.org/u", "events": ["pair.formed"], "format": "chat"}
    )
    assert answer.status_code == 200
    assert answer.context["secret"].startswith("whsec_")
    endpoint = WebhookEndpoint.objects.get()
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event="pair.formed", payload={})
    WebhookAttempt.objects.create(
        delivery=delivery, number=1, status_code=502, error="answered 502"
    )
    log = client.get(reverse("integrations:webhook_log", args=[org_a.slug, endpoint.pk]))
    assert log.status_code == 200
    assert "status 502" in log.content.decode()
    removed = client.post(reverse("integrations:webhook_remove", args=[org_a.slug, endpoint.pk]))
    assert removed.status_code == 302
    assert not WebhookEndpoint.objects.exists()


def test_the_webhook_api(org_admin: Any, org_a: Any, org_admin_b: Any) -> None:
    client = _signed_in(org_admin)
    base = f"/api/v1/organisations/{org_a.slug}/webhooks"
    bad = client.post(
        base,
        data={"url": "http://x.example.org", "events": ["pair.formed"]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "https" in bad.json()["detail"]
    made = client.post(
        base,
        data={"url": "https://x.example.org", "events": ["pair.ended"]},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["secret"].startswith("whsec_")
    assert [e["url"] for e in client.get(base).json()] == ["https://x.example.org"]
    assert _signed_in(org_admin_b).get(base).status_code == 404
    pk = made.json()["id"]
    assert client.get(f"{base}/{pk}/deliveries").json() == []
    assert client.post(f"{base}/{pk}/remove", content_type="application/json").status_code == 204
    assert webhooks.EVENTS  # the events a form offers
