"""Integrations: a leader, on a phone, creates an API token (the secret shown once), uses it,
and revokes it; an organisation admin registers a webhook and refuses an http address."""

from __future__ import annotations

import datetime as dt
import urllib.request
from typing import Any

from django.utils import timezone

from personas import PASSWORD
from upward.integrations.models import ApiToken, WebhookEndpoint


def _me(base: str, secret: str) -> int:
    request = urllib.request.Request(
        base + "/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
    )
    try:
        with urllib.request.urlopen(request) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as refused:
        return int(refused.code)


def test_a_leader_creates_uses_and_revokes_a_token(journey: Any, leader: Any) -> None:
    me = journey(width=390, height=844, mobile=True)
    me.sign_in(leader.email, PASSWORD)
    me.visit("/integrations/tokens/")
    me.assert_fits_screen()
    me.page.get_by_label("Name").fill("My reports")
    me.page.get_by_label("Directory (organisations, people, roles): read", exact=True).check()
    expires = timezone.now().date() + dt.timedelta(days=30)
    me.page.get_by_label("Expires on").fill(expires.isoformat())
    me.submit("Create the token")
    secret = me.page.locator("code", has_text="upw_").first.inner_text().strip()
    assert secret.startswith("upw_")
    assert ApiToken.objects.get().name == "My reports"
    assert _me(me.base_url, secret) == 200

    me.visit("/integrations/tokens/")
    assert secret not in me.page.content()
    me.submit("Revoke My reports")
    assert "was revoked" in me.message()
    assert _me(me.base_url, secret) == 401


def test_an_admin_registers_a_webhook(journey: Any, org_admin: Any, org_a: Any) -> None:
    admin = journey()
    admin.sign_in(org_admin.email, PASSWORD, totp_secret=org_admin.totp_secret)
    admin.visit("/integrations/tokens/")
    admin.follow(f"Webhooks of {org_a.name}")
    admin.page.get_by_label("Address").fill("http://hooks.example.org/upward")
    admin.page.get_by_label("A pair was formed (both people accepted)").check()
    admin.submit("Register")
    assert "Use an https:// address" in admin.message()
    assert not WebhookEndpoint.objects.exists()
    admin.page.get_by_label("Address").fill("https://hooks.example.org/upward")
    admin.page.get_by_label("A pair was formed (both people accepted)").check()
    admin.page.get_by_label("Format").select_option("chat")
    admin.submit("Register")
    assert "whsec_" in admin.text()
    admin.follow("https://hooks.example.org/upward")
    assert "Nothing was sent to this address yet." in admin.text()
